-- One staged line per (pupil, date, half-day, lesson hour): delete the lines of a key that
-- occurs more than once except the one that counts (see import_duplicates: the more serious
-- code, between equal codes the last line). A file's rows are all whole-day rows or none,
-- so a key of `staged` stands for the same records after whole days are split. Run after
-- import_upsert_pupils, which reads every line. Needs: duplicates.
DELETE FROM staged AS s
USING duplicates AS d
WHERE s.pupil_key = d.pupil_key AND s.date = d.date AND s.halfday = d.halfday
  AND s.lesson_hour = d.lesson_hour AND s.rowid <> d.keep;
