-- Schema: the changes the stored list has not taken in yet, one row per pupil a change
-- touched (NULL: a change that touched no pupil). A writer adds its rows in the transaction of
-- its change, with the data fingerprint (list_fingerprint.sql) before and after it, so the
-- list (tui/list_cache.py) can follow a chain of changes from the fingerprint it was computed at
-- to the current one and recompute only those pupils; any gap in the chain recomputes everyone.
CREATE TABLE IF NOT EXISTS list_changes (
    fp_before VARCHAR NOT NULL,
    fp_after VARCHAR NOT NULL,
    pupil_key VARCHAR,
    kind VARCHAR NOT NULL DEFAULT 'data'  -- 'flags': team flags only (see list_cache_flags_update.sql)
);
