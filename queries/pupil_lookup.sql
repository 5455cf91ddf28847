-- Find a pupil by what a user types: the export's pupil id (leading zeros optional, as Excel
-- drops them) or the internal pupil_key. Exact matches first.
-- Parameters: $ref (VARCHAR).
-- Columns: pupil_key, pupil_id, last_name, first_name, class.
SELECT pupil_key, pupil_id, last_name, first_name, class
FROM pupils
WHERE pupil_key = $ref OR pupil_id = $ref
   OR (ltrim(pupil_id, '0') = ltrim($ref, '0') AND ltrim($ref, '0') <> '')
ORDER BY (pupil_key = $ref OR pupil_id = $ref) DESC, pupil_key
LIMIT 2;
