-- Staged rows on a day or half-day without lessons (weekend, holiday, free day, summer,
-- Wednesday afternoon, after today): how many and the first five dates.
-- Needs: staged, lesson_days. Columns: n (BIGINT), first_dates (DATE[]).
WITH off AS (
    SELECT s.date
    FROM staged AS s
    LEFT JOIN lesson_days AS l ON l.date = s.date
    WHERE l.date IS NULL OR (s.halfday = 'NM' AND l.halfdays = 1)
)
SELECT count(*) AS n,
       (SELECT list(date ORDER BY date) FROM (SELECT DISTINCT date FROM off ORDER BY date LIMIT 5)) AS first_dates
FROM off;
