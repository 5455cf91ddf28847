-- Within one file the last line wins per (pupil, date, half-day, lesson hour): delete the
-- earlier staged rows of a key that occurs more than once (staged is in file order: its
-- rowid orders the lines). A file's rows are all whole-day rows or none, so a key of
-- `staged` stands for the same records after whole days are split. Run after
-- import_upsert_pupils, which reads every line. Returns the number of rows deleted.
DELETE FROM staged AS s
USING (
    SELECT pupil_key, date, halfday, lesson_hour, max(rowid) AS last_line
    FROM staged
    GROUP BY pupil_key, date, halfday, lesson_hour
    HAVING count(*) > 1
) AS d
WHERE s.pupil_key = d.pupil_key AND s.date = d.date AND s.halfday = d.halfday
  AND s.lesson_hour = d.lesson_hour AND s.rowid < d.last_line;
