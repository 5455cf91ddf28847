-- Whether two staged lines may share a key (pupil, date, half-day, lesson hour): a hash of the
-- key that occurs twice. Equal keys always hash alike, so false means no duplicates at all;
-- true (duplicates, or in rare cases two keys with one hash) runs import_duplicate_keys, which
-- is exact. Grouping one 64-bit hash is cheaper than grouping the four columns, and a GROUP BY
-- (unlike count(DISTINCT)) spills to disk when the lines do not fit in memory (XL).
-- Needs: staged. Columns: maybe.
SELECT EXISTS (
    SELECT 1 FROM staged GROUP BY hash(pupil_key, date, halfday, lesson_hour) HAVING count(*) > 1
) AS maybe;
