-- Remember what the stored list was computed for (see list_cache_state.sql).
-- Parameters: $school, $data (VARCHAR).
INSERT OR REPLACE INTO meta VALUES ('list_cache_school', $school), ('list_cache_data', $data);
