-- Add or update the pupils of the staged rows; the file's last line wins (staged is in
-- file order: its rowid orders the lines), and what the file leaves empty keeps its
-- stored value. Parameters: $import_id (INTEGER).
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
           arg_max(CASE WHEN has_id THEN pupil_key END, rowid) AS pupil_id,
           arg_max(last_name, rowid) AS last_name,
           arg_max(first_name, rowid) AS first_name,
           arg_max(class, rowid) AS class,
           arg_max(year_level, rowid) FILTER (WHERE year_level IS NOT NULL) AS year_level,
           arg_max(grade, rowid) FILTER (WHERE grade IS NOT NULL) AS grade,
           arg_max(birth_date, rowid) FILTER (WHERE birth_date IS NOT NULL) AS birth_date
    FROM staged
    GROUP BY pupil_key
) AS s
LEFT JOIN pupils AS p ON p.pupil_key = s.pupil_key;
