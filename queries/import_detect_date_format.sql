-- How many values of date_sample (see import_date_sample) parse with a candidate format.
-- Parameters: $format (VARCHAR, strptime). Columns: ok (BIGINT), total (BIGINT).
-- Needs: date_sample(value).
SELECT count(*) FILTER (WHERE try_strptime(value, $format) IS NOT NULL) AS ok, count(*) AS total
FROM date_sample;
