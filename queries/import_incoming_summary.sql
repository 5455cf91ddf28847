-- What the incoming records hold, counted on staged (one pass, no split of whole days:
-- a whole-day row is two records, one on a Wednesday or for a late arrival). Run after
-- import_drop_superseded. Columns: records, pupils, first_date, last_date.
SELECT count(*) + count(*) FILTER (
           WHERE halfday = 'DAG' AND dayofweek(date) <> 3
             AND code_index NOT IN (SELECT code_index FROM import_codes WHERE category = 'late')
       ) AS records,
       count(DISTINCT pupil_key) AS pupils, min(date) AS first_date, max(date) AS last_date
FROM staged;
