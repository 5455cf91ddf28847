-- The first 2,000 filled values of one column of raw_import, into the temp table
-- date_sample (one read of the file's start; import_detect_date_format then tries each
-- candidate format on it). Parameters: $birth (BOOLEAN: the birth-date column instead of the date column).
CREATE OR REPLACE TEMP TABLE date_sample AS
SELECT trim(CASE WHEN $birth THEN birth_date ELSE date END) AS value
FROM raw_import
WHERE nullif(trim(CASE WHEN $birth THEN birth_date ELSE date END), '') IS NOT NULL
LIMIT 2000;
