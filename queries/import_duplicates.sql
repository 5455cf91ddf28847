-- The keys (pupil, date, half-day, lesson hour) that occur on more than one staged line,
-- as the temp table duplicates: the line that counts (the more serious code; between equal
-- ones the last line) and whether the lines disagree on the code (a conflict).
-- Needs: staged, import_codes.
CREATE OR REPLACE TEMP TABLE duplicates AS
SELECT s.pupil_key, s.date, s.halfday, s.lesson_hour,
       arg_max(s.rowid, (c.severity, s.rowid)) AS keep,
       min(s.code_index) <> max(s.code_index) AS conflict
FROM staged AS s
JOIN import_codes AS c ON c.code_index = s.code_index
GROUP BY s.pupil_key, s.date, s.halfday, s.lesson_hour
HAVING count(*) > 1;
