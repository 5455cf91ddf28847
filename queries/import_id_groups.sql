-- Numeric pupil ids that are one pupil once leading zeros are ignored (Excel turns 007273
-- into 7273): per such number the staged and the stored ids. Columns: bare (VARCHAR),
-- staged_ids (VARCHAR[]), stored_ids (VARCHAR[]). Needs: staged.
WITH given AS MATERIALIZED (
    SELECT pupil_key FROM (SELECT DISTINCT pupil_key FROM staged WHERE has_id) AS d
    WHERE regexp_full_match(pupil_key, '[0-9]+')
),
known AS MATERIALIZED (
    SELECT pupil_key, true AS is_staged, false AS is_stored FROM given
    UNION ALL
    SELECT pupil_key, false, true FROM pupils WHERE regexp_full_match(pupil_key, '[0-9]+')
      AND ltrim(pupil_key, '0') IN (SELECT ltrim(pupil_key, '0') FROM given)
),
shared AS (
    -- the numbers written more than one way (usually none: the lists below are made for these only)
    SELECT ltrim(pupil_key, '0') AS bare FROM known
    WHERE ltrim(pupil_key, '0') <> ''
    GROUP BY bare
    HAVING min(pupil_key) <> max(pupil_key)
)
SELECT s.bare,
       list(DISTINCT k.pupil_key ORDER BY k.pupil_key) FILTER (WHERE k.is_staged) AS staged_ids,
       list(DISTINCT k.pupil_key ORDER BY k.pupil_key) FILTER (WHERE k.is_stored) AS stored_ids
FROM shared AS s
JOIN known AS k ON ltrim(k.pupil_key, '0') = s.bare
GROUP BY s.bare;
