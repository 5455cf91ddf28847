-- Since the team's first agreement: per pupil with an agreement this school year, the absent
-- half-days (all codes except L) and B half-days on the school days from the first agreement up
-- to today, against the same number of school days just before it.
-- Needs: school_days(date, halfdays, after_break, weekday, day_index) for the school year up
--   to $today (see tui.signals.school_days_table).
-- Parameters: $year_start, $today (DATE); $pupil_keys (VARCHAR[], NULL for all pupils).
-- Columns: pupil_key, first_date, days_since, days_before, weeks_since, weeks_before,
--   possible_since, possible_before, absent_since, absent_before, b_since, b_before.
WITH firsts AS (
    SELECT pupil_key, min(meeting_date) AS first_date
    FROM agreements
    WHERE meeting_date BETWEEN $year_start AND $today
      AND ($pupil_keys IS NULL OR pupil_key IN (SELECT unnest($pupil_keys)))
    GROUP BY pupil_key
),
last_day AS (
    SELECT coalesce(max(day_index), -1) AS last_index FROM school_days WHERE date <= $today
),
windows AS (
    -- since: day_index from the first school day on or after the agreement up to today;
    -- before: as many school days just before it (fewer at the start of the school year).
    SELECT f.pupil_key, f.first_date, w.start_index, l.last_index,
           greatest(l.last_index - w.start_index + 1, 0) AS days_since
    FROM firsts AS f
    CROSS JOIN last_day AS l
    CROSS JOIN LATERAL (
        SELECT coalesce(min(s.day_index), l.last_index + 1) AS start_index
        FROM school_days AS s WHERE s.date >= f.first_date
    ) AS w
),
bounds AS (
    SELECT *, greatest(start_index - days_since, 0) AS before_index FROM windows
),
day_windows AS (
    SELECT b.pupil_key, s.date, s.halfdays,
           CASE WHEN s.day_index >= b.start_index THEN 'since' ELSE 'before' END AS part
    FROM bounds AS b
    JOIN school_days AS s
      ON s.day_index BETWEEN b.before_index AND b.last_index AND s.date <= $today
),
possible AS (
    SELECT pupil_key,
           count(*) FILTER (WHERE part = 'since') AS days_since,
           count(*) FILTER (WHERE part = 'before') AS days_before,
           count(DISTINCT date_trunc('week', date)) FILTER (WHERE part = 'since') AS weeks_since,
           count(DISTINCT date_trunc('week', date)) FILTER (WHERE part = 'before') AS weeks_before,
           coalesce(sum(halfdays) FILTER (WHERE part = 'since'), 0) AS possible_since,
           coalesce(sum(halfdays) FILTER (WHERE part = 'before'), 0) AS possible_before
    FROM day_windows
    GROUP BY pupil_key
),
absent AS (
    SELECT d.pupil_key,
           count(*) FILTER (WHERE d.part = 'since') AS absent_since,
           count(*) FILTER (WHERE d.part = 'before') AS absent_before,
           count(*) FILTER (WHERE d.part = 'since' AND h.code = 'B') AS b_since,
           count(*) FILTER (WHERE d.part = 'before' AND h.code = 'B') AS b_before
    FROM day_windows AS d
    JOIN halfdays AS h ON h.pupil_key = d.pupil_key AND h.date = d.date AND h.absent
    GROUP BY d.pupil_key
)
SELECT b.pupil_key, b.first_date,
       coalesce(p.days_since, 0) AS days_since, coalesce(p.days_before, 0) AS days_before,
       coalesce(p.weeks_since, 0) AS weeks_since, coalesce(p.weeks_before, 0) AS weeks_before,
       coalesce(p.possible_since, 0) AS possible_since, coalesce(p.possible_before, 0) AS possible_before,
       coalesce(a.absent_since, 0) AS absent_since, coalesce(a.absent_before, 0) AS absent_before,
       coalesce(a.b_since, 0) AS b_since, coalesce(a.b_before, 0) AS b_before
FROM bounds AS b
LEFT JOIN possible AS p USING (pupil_key)
LEFT JOIN absent AS a USING (pupil_key)
ORDER BY b.pupil_key;
