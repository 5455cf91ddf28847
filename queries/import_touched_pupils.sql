-- The pupils of the staged lines (after import_upsert_pupils, before any line is dropped as
-- superseded): the pupils whose row or records this file writes, so the stored list computes
-- just them again (tui/list_cache.py). Parameters: none. Columns: pupil_key.
SELECT DISTINCT pupil_key FROM staged;
