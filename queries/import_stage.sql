-- Parse, map and check every row of raw_import (a view with the canonical column
-- names, all VARCHAR, plus `line`) into the temp table `staged`. Rows with a problem
-- keep it in `problem` (the checked column's canonical name) so one query finds the first.
-- Parameters: $date_format, $birth_format (VARCHAR), $has_halfday, $has_lesson_hour (BOOLEAN),
--   $morning_last_hour (INTEGER), $vm_values, $nm_values (VARCHAR[]).
-- Needs: code_lookup(raw_code, code, category).
CREATE OR REPLACE TEMP TABLE staged AS
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
codes AS (
    -- Resolve each distinct raw code once: exact match first, then a subcode's letter (B01 -> B).
    SELECT r.raw_code,
           coalesce(c1.code, c2.code) AS code,
           coalesce(c1.category, c2.category) AS category
    FROM (SELECT DISTINCT raw_code FROM src) AS r
    LEFT JOIN code_lookup AS c1 ON c1.raw_code = r.raw_code
    LEFT JOIN code_lookup AS c2
        ON c2.raw_code = CASE WHEN regexp_full_match(r.raw_code, '[A-Z][0-9]+') THEN r.raw_code[1] END
),
parsed AS (
    SELECT src.*,
           try_strptime(date_text, $date_format)::DATE AS date,
           try_strptime(birth_text, $birth_format)::DATE AS birth_date,
           try_cast(hour_text AS INTEGER) AS hour,
           codes.code, codes.category,
           -- The leerjaar from a year column, else from the class name's leading digit (3STW -> 3).
           coalesce(
               CASE WHEN year_text IS NOT NULL THEN try_cast(regexp_extract(year_text, '([1-7])', 1) AS INTEGER) END,
               CASE WHEN class[1] BETWEEN '1' AND '7' THEN ascii(class[1]) - 48 END
           ) AS year_level,
           CASE WHEN grade_text IS NOT NULL
                THEN try_cast(regexp_extract(grade_text, '([1-3])', 1) AS INTEGER) END AS grade_given
    FROM src
    JOIN codes ON codes.raw_code = src.raw_code
)
SELECT line,
       coalesce(pupil_id, 'naam:' || lower(last_name) || '|' || lower(first_name) || '|' || lower(class)) AS pupil_key,
       pupil_id, last_name, first_name, class, date, birth_date,
       CASE
           WHEN $has_lesson_hour AND hour IS NOT NULL AND halfday_text = ''
               THEN CASE WHEN hour <= $morning_last_hour THEN 'VM' ELSE 'NM' END
           WHEN list_contains($vm_values, halfday_text) THEN 'VM'
           WHEN list_contains($nm_values, halfday_text) THEN 'NM'
           WHEN NOT $has_halfday AND NOT $has_lesson_hour THEN 'DAG'
       END AS halfday,
       coalesce(try_cast(hour AS SMALLINT), 0) AS lesson_hour,  -- an absurd hour is refused below, not a crash
       raw_code, code, category, note, year_level,
       coalesce(grade_given, CASE WHEN year_level = 7 THEN 3 ELSE (year_level + 1) // 2 END) AS grade,
       CASE
           WHEN pupil_id IS NULL AND (last_name = '' OR first_name = '') THEN 'pupil_id'
           WHEN date IS NULL OR year(date) NOT BETWEEN 1990 AND 2100 THEN 'date'
           WHEN hour_text IS NOT NULL AND (hour IS NULL OR hour NOT BETWEEN 1 AND 16) THEN 'lesson_hour'
           WHEN halfday_text <> '' AND NOT list_contains($vm_values, halfday_text)
                AND NOT list_contains($nm_values, halfday_text) THEN 'halfday'
           WHEN halfday_text = '' AND hour IS NULL AND ($has_halfday OR $has_lesson_hour) THEN 'halfday'
           WHEN category IS NULL THEN 'code'
           WHEN birth_text IS NOT NULL AND birth_date IS NULL THEN 'birth_date'
       END AS problem,
       CASE
           WHEN date IS NULL OR year(date) NOT BETWEEN 1990 AND 2100 THEN date_text
           WHEN hour_text IS NOT NULL AND (hour IS NULL OR hour NOT BETWEEN 1 AND 16) THEN hour_text
           WHEN halfday_text <> '' AND NOT list_contains($vm_values, halfday_text)
                AND NOT list_contains($nm_values, halfday_text) THEN halfday_text
           WHEN category IS NULL THEN raw_code
           WHEN birth_text IS NOT NULL AND birth_date IS NULL THEN birth_text
           ELSE halfday_text
       END AS problem_value
FROM parsed;
