-- The keys (pupil, date, half-day, lesson hour) that occur on more than one staged line, as
-- the temp table duplicate_keys (usually empty: then import_duplicates and
-- import_drop_superseded are skipped). Returns the number of such keys. Needs: staged.
CREATE OR REPLACE TEMP TABLE duplicate_keys AS
SELECT pupil_key, date, halfday, lesson_hour
FROM staged
GROUP BY pupil_key, date, halfday, lesson_hour
HAVING count(*) > 1;
