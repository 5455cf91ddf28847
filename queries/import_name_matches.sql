-- Staged pupils without an id (pupil_key "naam:last|first|class") whose name and class are
-- those of stored pupils with an id. Columns: pupil_key, matches (VARCHAR[], the stored keys).
-- Needs: staged.
SELECT s.pupil_key, list(DISTINCT p.pupil_key ORDER BY p.pupil_key) AS matches
FROM (SELECT DISTINCT pupil_key FROM staged WHERE NOT has_id) AS s
JOIN pupils AS p
  ON p.pupil_id IS NOT NULL
 AND 'naam:' || lower(p.last_name) || '|' || lower(p.first_name) || '|' || lower(p.class) = s.pupil_key
GROUP BY s.pupil_key;
