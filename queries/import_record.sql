-- Remember an imported file. Parameters: $import_id, $file, $checksum, $rows, $pupils,
-- $first_date, $last_date.
INSERT INTO imports VALUES ($import_id, $file, $checksum, $rows, $pupils, $first_date, $last_date, now()::TIMESTAMP);
