-- The next import id. Columns: import_id.
SELECT coalesce(max(import_id), 0) + 1 AS import_id FROM imports;
