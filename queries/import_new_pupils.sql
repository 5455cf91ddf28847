-- How many pupils of the staged rows are not stored yet (run before import_upsert_pupils;
-- skipped while pupils is empty: then every one is new). Columns: new_pupils.
SELECT count(*) AS new_pupils FROM (SELECT DISTINCT pupil_key FROM staged) AS s
ANTI JOIN pupils AS p ON p.pupil_key = s.pupil_key;
