-- Remember the key of the list just stored in list_cache. Parameters: $key (VARCHAR).
INSERT OR REPLACE INTO meta VALUES ('list_cache_key', $key);
