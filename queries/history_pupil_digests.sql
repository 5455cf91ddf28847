-- Per pupil, a digest of the indexed reviews and agreements: the minutes index compares it
-- before and after indexing to know whose list rows change. Parameters: none.
-- Columns: pupil_key, digest.
SELECT pupil_key, sum(h)::VARCHAR AS digest
FROM (
    SELECT pupil_key, hash('r', r) AS h FROM reviews AS r
    UNION ALL
    SELECT pupil_key, hash('a', a) AS h FROM agreements AS a
)
GROUP BY pupil_key;
