-- The key of the list stored in list_cache (NULL when none is stored). Parameters: none.
-- Columns: value.
SELECT value FROM meta WHERE key = 'list_cache_key';
