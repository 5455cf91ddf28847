-- Schema: one row per imported file.
CREATE TABLE IF NOT EXISTS imports (
    import_id INTEGER PRIMARY KEY,
    file VARCHAR NOT NULL,
    checksum VARCHAR NOT NULL,
    rows BIGINT NOT NULL,
    pupils INTEGER NOT NULL,
    first_date DATE,
    last_date DATE,
    imported_at TIMESTAMP NOT NULL
);
