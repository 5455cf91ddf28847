-- How many (pupil, date, half-day, lesson hour) keys occur more than once in `staged`.
-- Columns: n.
SELECT count(*) AS n FROM (
    SELECT 1 FROM staged GROUP BY pupil_key, date, halfday, lesson_hour HAVING count(*) > 1
);
