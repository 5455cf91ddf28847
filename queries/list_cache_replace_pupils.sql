-- Remove some pupils' rows from the stored list before their fresh rows are added (the rows of
-- prioritised_pupils.sql for $only_pupils, see tui/list_cache.py). Parameters: $pupil_keys (VARCHAR[]).
DELETE FROM list_cache WHERE pupil_key IN (SELECT unnest($pupil_keys));
