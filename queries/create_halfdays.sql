-- Schema: absence records rolled up to half-days (lesson hours folded by the
-- school's setting). Only half-days that are absent or late are stored.
CREATE TABLE IF NOT EXISTS halfdays (
    pupil_key VARCHAR NOT NULL,
    date DATE NOT NULL,
    halfday VARCHAR NOT NULL,
    raw_code VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    absent BOOLEAN NOT NULL,
    late BOOLEAN NOT NULL
);
