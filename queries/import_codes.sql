-- The code map as the temp table import_codes(code_index, code, category, severity): what
-- staged's code_index stands for (see import_parse). severity orders two codes for one
-- half-day: the more serious one counts (B, then -, then P/H, Z, R/M/A; late 1; none 0).
-- Parameters: $code_raw, $code_official, $code_category (VARCHAR[], one length).
CREATE OR REPLACE TEMP TABLE import_codes AS
SELECT i::USMALLINT AS code_index, $code_official[i] AS code, $code_category[i] AS category,
       CASE
           WHEN $code_category[i] = 'none' THEN 0
           WHEN $code_category[i] = 'late' THEN 1
           WHEN $code_official[i] = 'B' THEN 7
           WHEN $code_official[i] = '-' THEN 6
           WHEN $code_official[i] IN ('P', 'H') THEN 5
           WHEN $code_official[i] = 'Z' THEN 4
           ELSE 3
       END::UTINYINT AS severity
FROM range(1, len($code_raw) + 1) AS t(i);
