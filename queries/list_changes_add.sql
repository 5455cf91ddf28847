-- Note a change for the stored list: the pupils it touched and the data fingerprint before
-- and after it (see create_list_changes.sql).
-- Parameters: $before, $after (VARCHAR), $pupil_keys (VARCHAR[]; [NULL] for none), $kind ('flags'
--   for a change of team flags only, else 'data').
INSERT INTO list_changes SELECT $before, $after, unnest($pupil_keys), $kind;
