-- Every code of raw_import that the code map does not know, with how often it occurs, its
-- first line (the record index) and a note or alias given with it (Smartschool's alias text).
-- Parameters: as import_stage. Columns: raw_code, n, first_line, alias.
-- Needs: the macro import_parse.
SELECT raw_code, count(*) AS n, min(line) AS first_line,
       min(note) FILTER (WHERE note IS NOT NULL) AS alias
FROM import_parse($date_format, $birth_format, $has_halfday, $has_lesson_hour, $morning_last_hour,
                  $vm_values, $nm_values, $code_raw, $code_official, $code_category)
WHERE category IS NULL
GROUP BY raw_code
ORDER BY n DESC, raw_code;
