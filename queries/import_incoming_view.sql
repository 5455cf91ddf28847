-- The records of the staged rows, as the view `incoming`: whole-day rows become VM and NM
-- (no NM on Wednesday; a whole-day late arrival is one late arrival, in the morning), with
-- the code and category of import_codes. Run after import_drop_superseded (one record per
-- key). A view: the records are read where they are used instead of being copied once more.
CREATE OR REPLACE TEMP VIEW incoming AS
SELECT pupil_key, date, halfday, lesson_hour, raw_code, code, category, note
FROM (
    SELECT s.pupil_key, s.date, s.lesson_hour, s.raw_code, c.code, c.category, s.note,
           unnest(CASE
               WHEN s.halfday <> 'DAG' THEN [s.halfday::VARCHAR]
               WHEN dayofweek(s.date) = 3 OR c.category = 'late' THEN ['VM']
               ELSE ['VM', 'NM']
           END) AS halfday
    FROM staged AS s
    JOIN import_codes AS c ON c.code_index = s.code_index
);
