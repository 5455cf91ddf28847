-- Stage the rows of raw_import (see import_parse) into the table `staged`, in file
-- order (its rowid orders the lines: the last line wins). The first row with a problem
-- stops the statement; the importer then names the line with import_first_problem.
-- Kept small (it holds every line): the code as its place in import_codes, whether the
-- pupil id was given (it is then the pupil_key), the half-day as an ENUM, small integers.
-- Parameters: $date_format, $birth_format (VARCHAR), $has_halfday, $has_lesson_hour (BOOLEAN),
--   $morning_last_hour (INTEGER), $vm_values, $nm_values (VARCHAR[]), the code map as
--   $code_raw, $code_official, $code_category (VARCHAR[], one length).
-- Needs: the macro import_parse.
-- A table in the database file, not a temp table: its blocks are compressed and written ahead
-- (DuckDB's optimistic writes), so a large export is not held uncompressed in memory and
-- spilled (about 40 % less peak memory at L, the same speed; at XL a temp table ran out of
-- memory). The import drops it before the commit; on a tight disk, with optimistic writes off,
-- it stays in memory like a temp table.
CREATE OR REPLACE TABLE main.staged AS
SELECT pupil_key, pupil_id IS NOT NULL AS has_id, last_name, first_name, class, date, birth_date,
       halfday::ENUM ('VM', 'NM', 'DAG') AS halfday, lesson_hour, raw_code, code_index::USMALLINT AS code_index,
       note, year_level::UTINYINT AS year_level, grade::UTINYINT AS grade
FROM import_parse($date_format, $birth_format, $has_halfday, $has_lesson_hour, $morning_last_hour,
                  $vm_values, $nm_values, $code_raw, $code_official, $code_category)
WHERE CASE WHEN problem IS NULL THEN true ELSE error('import: a row has a problem') END;
