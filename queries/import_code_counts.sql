-- Incoming records per raw code. Columns: raw_code, code, category, n.
SELECT raw_code, code, category, count(*) AS n FROM incoming GROUP BY ALL ORDER BY n DESC, raw_code;
