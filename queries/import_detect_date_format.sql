-- How many of the first 2,000 filled values of one column parse with a candidate format.
-- Parameters: $format (VARCHAR, strptime), $birth (BOOLEAN: the birth-date column instead of the date column).
-- Columns: ok (BIGINT), total (BIGINT).
WITH sample AS (
    SELECT trim(CASE WHEN $birth THEN birth_date ELSE date END) AS value
    FROM raw_import
    WHERE nullif(trim(CASE WHEN $birth THEN birth_date ELSE date END), '') IS NOT NULL
    LIMIT 2000
)
SELECT count(*) FILTER (WHERE try_strptime(value, $format) IS NOT NULL) AS ok, count(*) AS total
FROM sample;
