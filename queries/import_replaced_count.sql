-- How many stored records the incoming ones overwrite (skipped while absences is empty).
-- Columns: replaced.
SELECT count(*) AS replaced FROM absences AS a SEMI JOIN incoming AS i
    ON a.pupil_key = i.pupil_key AND a.date = i.date
   AND a.halfday = i.halfday AND a.lesson_hour = i.lesson_hour;
