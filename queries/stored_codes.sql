-- Codes added by earlier mapping files. Columns: raw_code, code, category, meaning.
SELECT raw_code, code, category, meaning FROM code_map ORDER BY raw_code;
