-- Remove the stored records that the incoming ones replace (newest import wins); returns how
-- many (skipped while absences is empty). Columns: the count.
DELETE FROM absences AS a USING incoming AS i
WHERE a.pupil_key = i.pupil_key AND a.date = i.date
  AND a.halfday = i.halfday AND a.lesson_hour = i.lesson_hour;
