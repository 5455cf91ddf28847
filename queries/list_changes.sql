-- The changes the stored list has not taken in: one row per change (a pair of fingerprints)
-- with the pupils it touched and whether it changed team flags only.
-- Parameters: none. Columns: fp_before, fp_after, pupil_keys, flags_only.
SELECT fp_before, fp_after, list(pupil_key) FILTER (WHERE pupil_key IS NOT NULL) AS pupil_keys,
       bool_and(kind = 'flags') AS flags_only
FROM list_changes
GROUP BY fp_before, fp_after;
