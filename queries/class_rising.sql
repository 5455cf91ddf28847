-- Pupils whose absences rise in the same weeks, per class. A pupil "rises" in a window of
-- $window_weeks school weeks when their absent half-days in it (all codes except L) are at
-- least $min_rise and more than $rise_factor times what they were on average per window in
-- the $baseline_weeks school weeks before it. A window is returned when at least
-- $min_pupils pupils of one class rise in it.
-- Needs: school_days(date, halfdays, ...) for the school year up to $today.
-- Parameters: $year_start, $today (DATE); $window_weeks, $baseline_weeks, $min_rise,
--   $min_pupils (INTEGER); $rise_factor (DOUBLE).
-- Columns: class, window_start (Monday of the window's first week in which one of these pupils
--   was absent), window_end (Friday of the last such week), pupil_keys (VARCHAR[]),
--   absent (INTEGER[], per pupil in the window), baseline (DOUBLE[], per pupil: average per
--   window before it).
WITH weeks AS (
    SELECT monday, (row_number() OVER (ORDER BY monday) - 1)::INTEGER AS w
    FROM (SELECT DISTINCT date_trunc('week', date)::DATE AS monday FROM school_days WHERE date <= $today)
),
counts AS (
    SELECT h.pupil_key, date_trunc('week', h.date)::DATE AS monday, count(*) AS n
    FROM halfdays AS h
    JOIN school_days AS s ON s.date = h.date
    WHERE h.absent AND h.date BETWEEN $year_start AND $today
    GROUP BY ALL
),
grid AS (
    SELECT p.pupil_key, p.class, w.w, w.monday, coalesce(c.n, 0) AS n
    FROM pupils AS p
    CROSS JOIN weeks AS w
    LEFT JOIN counts AS c ON c.pupil_key = p.pupil_key AND c.monday = w.monday
    WHERE p.pupil_key IN (SELECT pupil_key FROM counts)
),
windows AS (
    SELECT pupil_key, class, w, monday,
           sum(n) OVER (PARTITION BY pupil_key ORDER BY w ROWS BETWEEN $window_weeks - 1 PRECEDING AND CURRENT ROW)
               AS recent,
           min(CASE WHEN n > 0 THEN w END) OVER (PARTITION BY pupil_key ORDER BY w
                                                 ROWS BETWEEN $window_weeks - 1 PRECEDING AND CURRENT ROW) AS first_w,
           max(CASE WHEN n > 0 THEN w END) OVER (PARTITION BY pupil_key ORDER BY w
                                                 ROWS BETWEEN $window_weeks - 1 PRECEDING AND CURRENT ROW) AS last_w,
           sum(n) OVER (PARTITION BY pupil_key ORDER BY w
                        ROWS BETWEEN $window_weeks + $baseline_weeks - 1 PRECEDING AND $window_weeks PRECEDING)
               AS before_n,
           count(*) OVER (PARTITION BY pupil_key ORDER BY w
                          ROWS BETWEEN $window_weeks + $baseline_weeks - 1 PRECEDING AND $window_weeks PRECEDING)
               AS before_weeks
    FROM grid
),
rising AS (
    SELECT pupil_key, class, w, first_w, last_w, recent::INTEGER AS recent,
           coalesce(before_n / nullif(before_weeks, 0) * $window_weeks, 0)::DOUBLE AS baseline
    FROM windows
    WHERE w >= $window_weeks - 1
      AND before_weeks >= $window_weeks
      AND recent >= $min_rise
      AND recent > $rise_factor * coalesce(before_n / nullif(before_weeks, 0) * $window_weeks, 0)
)
SELECT r.class,
       (SELECT monday FROM weeks WHERE weeks.w = min(r.first_w)) AS window_start,
       (SELECT monday FROM weeks WHERE weeks.w = max(r.last_w)) + 4 AS window_end,
       list(r.pupil_key ORDER BY r.recent DESC, r.pupil_key) AS pupil_keys,
       list(r.recent ORDER BY r.recent DESC, r.pupil_key) AS absent,
       list(r.baseline ORDER BY r.recent DESC, r.pupil_key) AS baseline
FROM rising AS r
GROUP BY r.class, r.w
HAVING count(*) >= $min_pupils
ORDER BY r.class, window_start;
