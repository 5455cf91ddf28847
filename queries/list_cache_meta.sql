-- What the cursor knows of the stored list, in one statement: whether it sees a temporary
-- list_cache (a read-only database keeps its own list) and a stored one, the stored list's key,
-- and what it was computed for (the school-wide part of the key: day, settings, calendar,
-- query; and the data fingerprint). Parameters: none.
-- Columns: temporary, stored, key, school, data.
SELECT t.temporary, t.stored, m.key, m.school, m.data
FROM (SELECT count(*) FILTER (WHERE temporary) AS temporary, count(*) FILTER (WHERE NOT temporary) AS stored
      FROM duckdb_tables() WHERE table_name = 'list_cache') AS t,
     (SELECT max(value) FILTER (WHERE key = 'list_cache_key') AS key,
             max(value) FILTER (WHERE key = 'list_cache_school') AS school,
             max(value) FILTER (WHERE key = 'list_cache_data') AS data
      FROM meta) AS m;
