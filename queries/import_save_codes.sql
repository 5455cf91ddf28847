-- Keep the codes a mapping file added, so later imports know them.
-- Parameters: $raw_code, $code, $category, $meaning (VARCHAR[], one length).
INSERT OR REPLACE INTO code_map
SELECT $raw_code[i], $code[i], $category[i], $meaning[i] FROM range(1, len($raw_code) + 1) AS t(i);
