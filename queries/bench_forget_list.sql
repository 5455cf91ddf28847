-- zorgoverleg bench: forget what the stored list was computed for, so the next read computes
-- every pupil again (as on another day or after other settings). Parameters: none.
DELETE FROM meta WHERE key IN ('list_cache_key', 'list_cache_school', 'list_cache_data');
