-- Record the schema version. Parameters: $version (VARCHAR).
INSERT OR REPLACE INTO meta VALUES ('schema_version', $version);
