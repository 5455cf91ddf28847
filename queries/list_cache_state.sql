-- What the stored list was computed for: the school-wide part of its key (day, settings,
-- calendar, query) and the data fingerprint. Parameters: none. Columns: school, data.
SELECT max(value) FILTER (WHERE key = 'list_cache_school') AS school,
       max(value) FILTER (WHERE key = 'list_cache_data') AS data
FROM meta;
