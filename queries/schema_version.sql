-- The schema version stored in the file. Columns: value (VARCHAR) or no row.
SELECT value FROM meta WHERE key = 'schema_version';
