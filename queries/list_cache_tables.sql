-- Which list_cache tables the cursor sees: a temporary one (a read-only database keeps its
-- own list) and a stored one. Parameters: none. Columns: temporary, stored.
SELECT count(*) FILTER (WHERE temporary) AS temporary, count(*) FILTER (WHERE NOT temporary) AS stored
FROM duckdb_tables() WHERE table_name = 'list_cache';
