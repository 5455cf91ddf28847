-- Add or update the pupils of the staged rows; the file's last line wins, and what
-- the file leaves empty keeps its stored value. Parameters: $import_id (INTEGER).
INSERT OR REPLACE INTO pupils
SELECT s.pupil_key,
       coalesce(s.pupil_id, p.pupil_id),
       s.last_name, s.first_name, s.class,
       coalesce(s.year_level, p.year_level),
       coalesce(s.grade, p.grade),
       coalesce(s.birth_date, p.birth_date),
       $import_id
FROM (
    SELECT pupil_key,
           arg_max(pupil_id, line) AS pupil_id,
           arg_max(last_name, line) AS last_name,
           arg_max(first_name, line) AS first_name,
           arg_max(class, line) AS class,
           arg_max(year_level, line) FILTER (WHERE year_level IS NOT NULL) AS year_level,
           arg_max(grade, line) FILTER (WHERE grade IS NOT NULL) AS grade,
           arg_max(birth_date, line) FILTER (WHERE birth_date IS NOT NULL) AS birth_date
    FROM staged
    GROUP BY pupil_key
) AS s
LEFT JOIN pupils AS p ON p.pupil_key = s.pupil_key;
