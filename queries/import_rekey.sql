-- Give staged rows the key of the pupil they were recognised as (see import_id_groups and
-- import_name_matches). Parameters: $old_keys, $new_keys (VARCHAR[], one length).
UPDATE staged AS s SET pupil_key = m.new_key
FROM (SELECT $old_keys[i] AS old_key, $new_keys[i] AS new_key FROM range(1, len($old_keys) + 1) AS t(i)) AS m
WHERE s.pupil_key = m.old_key;
