-- Staged rows as records when every key is unique (no window needed): whole-day
-- rows become VM and NM (no NM on Wednesday). Into the temp table `incoming`.
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
);
