-- The stored list's number of pupils and its m_data_last_year (the same in every row).
-- Parameters: none. Columns: pupils, data_last_year.
SELECT count(*) AS pupils, any_value(m_data_last_year) AS data_last_year FROM main.list_cache;
