-- Every pupil, for "jump to pupil". Columns: pupil_key, pupil_id, last_name, first_name, class, grade.
SELECT pupil_key, pupil_id, last_name, first_name, class, grade
FROM pupils
ORDER BY last_name, first_name, class;
