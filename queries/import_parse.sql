-- The table macro import_parse(...): parse, map and check every row of raw_import (a view
-- with the canonical column names, all VARCHAR, plus `line`). Rows with a problem keep it
-- in `problem` (the checked column's canonical name) and the offending text in
-- `problem_value`. code_index is the code's place in the code map lists (1-based). The fast path (import_stage) stages the rows and stops at the first
-- problem; a refused file then runs import_first_problem to name the line.
-- Only projections and filters, no join: the rows stay in file order (a hash join would
-- reorder them, and staged's rowid must order the lines).
-- Macro arguments: date_format, birth_format (VARCHAR), has_halfday, has_lesson_hour (BOOLEAN),
--   morning_last_hour (INTEGER), vm_values, nm_values (VARCHAR[]), and the code map as three
--   lists of one length: code_raw, code_official, code_category (VARCHAR[]).
-- Needs: raw_import(line, pupil_id, ...).
CREATE OR REPLACE TEMP MACRO import_parse(
    date_format, birth_format, has_halfday, has_lesson_hour, morning_last_hour, vm_values, nm_values,
    code_raw, code_official, code_category
) AS TABLE
WITH src AS (
    SELECT line,
           nullif(trim(pupil_id), '') AS pupil_id,
           coalesce(trim(last_name), '') AS last_name,
           coalesce(trim(first_name), '') AS first_name,
           coalesce(trim(class), '') AS class,
           nullif(trim(date), '') AS date_text,
           nullif(trim(birth_date), '') AS birth_text,
           upper(coalesce(trim(halfday), '')) AS halfday_text,
           nullif(trim(lesson_hour), '') AS hour_text,
           upper(coalesce(trim(code), '')) AS raw_code,
           nullif(trim(note), '') AS note,
           nullif(trim(grade), '') AS grade_text,
           nullif(trim(year_level), '') AS year_text
    FROM raw_import
    WHERE coalesce(pupil_id, last_name, first_name, date, code, halfday, lesson_hour) IS NOT NULL
),
coded AS (
    -- The code's place in the code map: an exact match first, then a subcode's letter (B01 -> B).
    SELECT src.*,
           coalesce(
               list_position(code_raw, raw_code),
               CASE WHEN regexp_full_match(raw_code, '[A-Z][0-9]+') THEN list_position(code_raw, raw_code[1]) END
           ) AS code_index
    FROM src
),
parsed AS (
    SELECT coded.*,
           -- (a period file's expansion gives ISO dates: date_format 'iso' casts them, quicker)
           CASE WHEN date_format = 'iso' THEN try_cast(date_text AS DATE)
                ELSE try_strptime(date_text, date_format)::DATE END AS date,
           try_strptime(birth_text, birth_format)::DATE AS birth_date,
           try_cast(hour_text AS INTEGER) AS hour,
           -- (list_position: list_contains would become a join, which reorders the rows)
           list_position(vm_values, halfday_text) IS NOT NULL AS is_vm,
           list_position(nm_values, halfday_text) IS NOT NULL AS is_nm,
           code_official[code_index] AS code,
           code_category[code_index] AS category,
           -- The leerjaar from a year column, else from the class name's leading digit (3STW -> 3).
           coalesce(
               CASE WHEN year_text IS NOT NULL THEN try_cast(regexp_extract(year_text, '([1-7])', 1) AS INTEGER) END,
               CASE WHEN class[1] BETWEEN '1' AND '7' THEN ascii(class[1]) - 48 END
           ) AS year_level,
           CASE WHEN grade_text IS NOT NULL
                THEN try_cast(regexp_extract(grade_text, '([1-3])', 1) AS INTEGER) END AS grade_given
    FROM coded
)
SELECT line,
       coalesce(pupil_id, 'naam:' || lower(last_name) || '|' || lower(first_name) || '|' || lower(class)) AS pupil_key,
       pupil_id, last_name, first_name, class, date, birth_date,
       CASE
           WHEN has_lesson_hour AND hour IS NOT NULL AND halfday_text = ''
               THEN CASE WHEN hour <= morning_last_hour THEN 'VM' ELSE 'NM' END
           WHEN is_vm THEN 'VM'
           WHEN is_nm THEN 'NM'
           WHEN NOT has_halfday AND NOT has_lesson_hour THEN 'DAG'
       END AS halfday,
       coalesce(try_cast(hour AS SMALLINT), 0) AS lesson_hour,  -- an absurd hour is refused below, not a crash
       raw_code, code_index, code, category, note, year_level,
       coalesce(grade_given, CASE WHEN year_level = 7 THEN 3 ELSE (year_level + 1) // 2 END) AS grade,
       CASE
           WHEN pupil_id IS NULL AND (last_name = '' OR first_name = '') THEN 'pupil_id'
           WHEN date IS NULL OR year(date) NOT BETWEEN 1990 AND 2100 THEN 'date'
           WHEN hour_text IS NOT NULL AND (hour IS NULL OR hour NOT BETWEEN 1 AND 16) THEN 'lesson_hour'
           WHEN halfday_text <> '' AND NOT is_vm AND NOT is_nm THEN 'halfday'
           WHEN halfday_text = '' AND hour IS NULL AND (has_halfday OR has_lesson_hour) THEN 'halfday'
           WHEN category IS NULL THEN 'code'
           WHEN birth_text IS NOT NULL AND birth_date IS NULL THEN 'birth_date'
       END AS problem,
       CASE
           WHEN date IS NULL OR year(date) NOT BETWEEN 1990 AND 2100 THEN date_text
           WHEN hour_text IS NOT NULL AND (hour IS NULL OR hour NOT BETWEEN 1 AND 16) THEN hour_text
           WHEN halfday_text <> '' AND NOT is_vm AND NOT is_nm THEN halfday_text
           WHEN category IS NULL THEN raw_code
           WHEN birth_text IS NOT NULL AND birth_date IS NULL THEN birth_text
           ELSE halfday_text
       END AS problem_value
FROM parsed;
