-- Conflicting lines of one file (see import_duplicates): how many keys and the first five
-- as (pupil_key, date). Columns: n (BIGINT), examples (STRUCT[]).
SELECT count(*) AS n,
       (SELECT list({'pupil_key': pupil_key, 'date': date} ORDER BY date, pupil_key)
        FROM (SELECT pupil_key, date FROM duplicates WHERE conflict ORDER BY date, pupil_key LIMIT 5)) AS examples
FROM duplicates
WHERE conflict;
