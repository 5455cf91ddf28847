-- Absent half-days per school week (Monday-based) for every pupil, or some: one list per
-- pupil, oldest week first, 0 for a week without absences, the same length for everyone.
-- A week counts when it holds at least one school day; full holiday weeks are left out.
-- Needs: school_days(date, ...) for the school year up to today (see tui.signals.school_days_table).
-- Parameters: $pupil_keys (VARCHAR[], NULL for all pupils).
-- Columns: pupil_key, weekly (INTEGER[]).
WITH weeks AS (
    SELECT DISTINCT date_trunc('week', date)::DATE AS monday FROM school_days
),
counts AS (
    SELECT h.pupil_key, date_trunc('week', h.date)::DATE AS monday, count(*) AS n
    FROM halfdays AS h
    JOIN school_days AS s ON s.date = h.date
    WHERE h.absent AND ($pupil_keys IS NULL OR h.pupil_key IN (SELECT unnest($pupil_keys)))
    GROUP BY ALL
)
SELECT p.pupil_key,
       list(coalesce(c.n, 0)::INTEGER ORDER BY w.monday) FILTER (WHERE w.monday IS NOT NULL) AS weekly
FROM pupils AS p
LEFT JOIN weeks AS w ON TRUE
LEFT JOIN counts AS c ON c.pupil_key = p.pupil_key AND c.monday = w.monday
WHERE $pupil_keys IS NULL OR p.pupil_key IN (SELECT unnest($pupil_keys))
GROUP BY p.pupil_key
ORDER BY p.pupil_key;
