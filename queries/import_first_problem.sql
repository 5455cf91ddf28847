-- The first row of raw_import with a problem (the slow path of a refused file).
-- Parameters: as import_stage. Columns: line, problem, problem_value.
-- Needs: the macro import_parse.
SELECT line, problem, problem_value
FROM import_parse($date_format, $birth_format, $has_halfday, $has_lesson_hour, $morning_last_hour,
                  $vm_values, $nm_values, $code_raw, $code_official, $code_category)
WHERE problem IS NOT NULL
ORDER BY line
LIMIT 1;
