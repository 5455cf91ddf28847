-- Schema: absence records as imported. One record per (pupil_key, date, halfday,
-- lesson_hour); lesson_hour 0 means the record covers the whole half-day. The
-- importer keeps that unique (the newest import wins). raw_code is kept as given.
CREATE TABLE IF NOT EXISTS absences (
    pupil_key VARCHAR NOT NULL,
    date DATE NOT NULL,
    halfday VARCHAR NOT NULL,
    lesson_hour SMALLINT NOT NULL,
    raw_code VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    note VARCHAR,
    import_id INTEGER NOT NULL
);
