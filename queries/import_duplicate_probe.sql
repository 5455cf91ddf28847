-- Whether two staged lines may share a key (pupil, date, half-day, lesson hour): fewer distinct
-- hashes of the key than lines. Equal keys always hash alike, so false means no duplicates at
-- all; true (duplicates, or in rare cases two keys with one hash) runs import_duplicate_keys,
-- which is exact. One 64-bit hash per line is about half the work of grouping the four columns.
-- Needs: staged. Columns: maybe.
SELECT count(DISTINCT hash(pupil_key, date, halfday, lesson_hour)) < count(*) AS maybe FROM staged;
