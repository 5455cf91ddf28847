-- After some pupils' rows were replaced (their name_order counts among themselves only):
-- number every pupil of the stored list by name again, as prioritised_pupils.sql does (only rows
-- whose number changes are written). Parameters: none.
UPDATE list_cache AS c SET name_order = n.name_order
FROM (
    SELECT pupil_key, row_number() OVER (ORDER BY last_name, first_name, pupil_key) AS name_order
    FROM list_cache
) AS n
WHERE c.pupil_key = n.pupil_key AND c.name_order IS DISTINCT FROM n.name_order;
