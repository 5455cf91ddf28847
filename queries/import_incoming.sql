-- Staged rows as records: whole-day rows become VM and NM (no NM on Wednesday),
-- and within one file the last line wins per (pupil, date, half-day, lesson hour).
-- Into the temp table `incoming`. Parameters: none.
CREATE OR REPLACE TEMP TABLE incoming AS
SELECT pupil_key, date, halfday, lesson_hour, raw_code, code, category, note, line
FROM (
    SELECT s.* EXCLUDE (halfday),
           unnest(CASE
               WHEN s.halfday <> 'DAG' THEN [s.halfday]
               WHEN dayofweek(s.date) = 3 THEN ['VM']
               ELSE ['VM', 'NM']
           END) AS halfday
    FROM staged AS s
)
QUALIFY row_number() OVER (PARTITION BY pupil_key, date, halfday, lesson_hour ORDER BY line DESC) = 1;
