-- The changes the stored list has not taken in: one row per change (a pair of fingerprints)
-- with the pupils it touched. Parameters: none. Columns: fp_before, fp_after, pupil_keys.
SELECT fp_before, fp_after, list(pupil_key) FILTER (WHERE pupil_key IS NOT NULL) AS pupil_keys
FROM list_changes
GROUP BY fp_before, fp_after;
