-- Remove the stored records that the incoming ones replace (newest import wins); returns how
-- many (skipped while absences is empty). Columns: the count.
-- The stored records are found by a semi join that hashes the incoming keys (a week's records),
-- not the stored ones: DELETE ... USING hashed all of absences and ran out of memory at XL.
DELETE FROM absences
WHERE rowid IN (
    SELECT a.rowid FROM absences AS a
    SEMI JOIN incoming AS i
        ON a.pupil_key = i.pupil_key AND a.date = i.date AND a.halfday = i.halfday AND a.lesson_hour = i.lesson_hour
);
