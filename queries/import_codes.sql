-- The code map as the temp table import_codes(code_index, code, category): what staged's
-- code_index stands for (see import_parse). Parameters: $code_raw, $code_official,
-- $code_category (VARCHAR[], one length).
CREATE OR REPLACE TEMP TABLE import_codes AS
SELECT i::USMALLINT AS code_index, $code_official[i] AS code, $code_category[i] AS category
FROM range(1, len($code_raw) + 1) AS t(i);
