-- Remember the key of the list just stored in list_cache and what it was computed for (see
-- list_cache_meta.sql). Parameters: $key, $school, $data (VARCHAR; school and data '' for a
-- list whose key is not split, from which no change can be followed).
INSERT OR REPLACE INTO meta
VALUES ('list_cache_key', $key), ('list_cache_school', $school), ('list_cache_data', $data);
