-- For each key of duplicate_keys, as the temp table duplicates: the line that counts (the
-- more serious code; between equal ones the last line: staged is in file order) and
-- whether the lines disagree on the code (a conflict). Needs: staged, duplicate_keys, import_codes.
CREATE OR REPLACE TEMP TABLE duplicates AS
SELECT s.pupil_key, s.date, s.halfday, s.lesson_hour,
       arg_max(s.rowid, (c.severity, s.rowid)) AS keep,
       min(s.code_index) <> max(s.code_index) AS conflict
FROM staged AS s
SEMI JOIN duplicate_keys AS k
    ON k.pupil_key = s.pupil_key AND k.date = s.date AND k.halfday = s.halfday AND k.lesson_hour = s.lesson_hour
JOIN import_codes AS c ON c.code_index = s.code_index
GROUP BY s.pupil_key, s.date, s.halfday, s.lesson_hour;
