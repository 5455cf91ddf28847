-- Add or update the pupils of the staged rows (import_id: the import that last changed the
-- row); the line of the latest date wins (between lines of one date the last one: staged is
-- in file order, its rowid orders the lines), so
-- an export sorted by class still gives today's class. What the file leaves empty keeps its
-- stored value (an empty name or class, e.g. from Smartschool's JSON, keeps the stored one;
-- an empty year, grade or birth date takes the latest line that has one).
-- The lines are found first (one small aggregate), then only those rows are read.
-- Parameters: $import_id (INTEGER).
-- (The order of a line is one BIGINT: its date's day number, then its place in the file;
-- rowids in a transaction start far from 0, so the first rowid is subtracted.)
INSERT OR REPLACE INTO pupils
WITH ordered AS (
    SELECT pupil_key, rowid AS line, year_level, grade, birth_date,
           (date - DATE '1970-01-01')::BIGINT * 4294967296 + (rowid - (SELECT min(rowid) FROM staged)) AS line_order
    FROM staged
),
last AS (
    SELECT pupil_key,
           arg_max(line, line_order) AS any_line,
           arg_max(line, line_order) FILTER (WHERE year_level IS NOT NULL) AS year_line,
           arg_max(line, line_order) FILTER (WHERE grade IS NOT NULL) AS grade_line,
           arg_max(line, line_order) FILTER (WHERE birth_date IS NOT NULL) AS birth_line
    FROM ordered
    GROUP BY pupil_key
),
picked AS (
    SELECT s.rowid AS line, s.pupil_key, s.has_id, s.last_name, s.first_name, s.class, s.year_level, s.grade, s.birth_date
    FROM staged AS s
    SEMI JOIN (SELECT unnest([any_line, year_line, grade_line, birth_line]) AS line FROM last) AS l
        ON s.rowid = l.line
),
s AS (
    SELECT l.pupil_key,
           bool_or(p.has_id) FILTER (WHERE p.line = l.any_line) AS has_id,
           any_value(p.last_name) FILTER (WHERE p.line = l.any_line) AS last_name,
           any_value(p.first_name) FILTER (WHERE p.line = l.any_line) AS first_name,
           any_value(p.class) FILTER (WHERE p.line = l.any_line) AS class,
           any_value(p.year_level) FILTER (WHERE p.line = l.year_line) AS year_level,
           any_value(p.grade) FILTER (WHERE p.line = l.grade_line) AS grade,
           any_value(p.birth_date) FILTER (WHERE p.line = l.birth_line) AS birth_date
    FROM last AS l
    JOIN picked AS p ON p.pupil_key = l.pupil_key
    GROUP BY l.pupil_key
),
merged AS (
    SELECT s.pupil_key,
           coalesce(CASE WHEN s.has_id THEN s.pupil_key END, p.pupil_id) AS pupil_id,
           coalesce(nullif(s.last_name, ''), p.last_name, '') AS last_name,
           coalesce(nullif(s.first_name, ''), p.first_name, '') AS first_name,
           coalesce(nullif(s.class, ''), p.class, '') AS class,
           coalesce(s.year_level, p.year_level) AS year_level,
           coalesce(s.grade, p.grade) AS grade,
           coalesce(s.birth_date, p.birth_date) AS birth_date,
           p.pupil_key IS NULL AS is_new,
           (p.pupil_id, p.last_name, p.first_name, p.class, p.year_level, p.grade, p.birth_date) AS stored
    FROM s
    LEFT JOIN pupils AS p ON p.pupil_key = s.pupil_key
)
-- only new pupils and changed rows are written (a weekly import changes few: replacing a
-- row in the keyed table costs far more than comparing it)
SELECT pupil_key, pupil_id, last_name, first_name, class, year_level, grade, birth_date, $import_id
FROM merged
WHERE is_new OR (pupil_id, last_name, first_name, class, year_level, grade, birth_date) IS DISTINCT FROM stored;
