-- The records of the staged rows, as the view `incoming`: whole-day rows become VM and NM
-- (no NM on Wednesday). Run after import_drop_superseded (one record per key). A view:
-- the records are read where they are used instead of being copied once more.
CREATE OR REPLACE TEMP VIEW incoming AS
SELECT pupil_key, date, halfday, lesson_hour, raw_code, code, category, note
FROM (
    SELECT s.* EXCLUDE (halfday),
           unnest(CASE
               WHEN s.halfday <> 'DAG' THEN [s.halfday]
               WHEN dayofweek(s.date) = 3 THEN ['VM']
               ELSE ['VM', 'NM']
           END) AS halfday
    FROM staged AS s
);
