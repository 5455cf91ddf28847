-- The active team flags of one pupil. Parameters: $pupil_key. Columns: flag, note, set_by, set_at.
SELECT flag, note, set_by, set_at FROM team_flags
WHERE pupil_key = $pupil_key AND active
ORDER BY set_at;
