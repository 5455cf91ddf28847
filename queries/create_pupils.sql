-- Schema: pupils. pupil_key is the export's pupil id, or "naam:" + last|first|class
-- for a pupil without an id. year_level is the leerjaar (1-6), grade the graad (1-3).
-- import_id: the import that last changed the row.
CREATE TABLE IF NOT EXISTS pupils (
    pupil_key VARCHAR PRIMARY KEY,
    pupil_id VARCHAR,
    last_name VARCHAR NOT NULL,
    first_name VARCHAR NOT NULL,
    class VARCHAR NOT NULL,
    year_level INTEGER,
    grade INTEGER,
    birth_date DATE,
    import_id INTEGER
);
