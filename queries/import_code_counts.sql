-- Incoming records per raw code, counted on staged (a whole-day row is two records, one
-- on a Wednesday or for a late arrival). Run after import_drop_superseded.
-- Columns: raw_code, code, category, n.
SELECT s.raw_code, c.code, c.category,
       s.n + CASE WHEN c.category = 'late' THEN 0 ELSE s.whole END AS n
FROM (
    SELECT raw_code, code_index, count(*) AS n,
           count(*) FILTER (WHERE halfday = 'DAG' AND dayofweek(date) <> 3) AS whole
    FROM staged
    GROUP BY raw_code, code_index
) AS s
JOIN import_codes AS c ON c.code_index = s.code_index
ORDER BY n DESC, raw_code;
