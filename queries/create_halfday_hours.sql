-- Schema: the half-days rolled up from lesson-hour records (the school's setting decides when
-- absent hours make an absent half-day), for the half-days that have lesson-hour records and
-- no whole-half-day record. Only half-days that are absent or late are stored. The view
-- halfdays (create_halfdays.sql) adds the whole-half-day records straight from absences.
CREATE TABLE IF NOT EXISTS halfday_hours (
    pupil_key VARCHAR NOT NULL,
    date DATE NOT NULL,
    halfday VARCHAR NOT NULL,
    raw_code VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    absent BOOLEAN NOT NULL,
    late BOOLEAN NOT NULL
);
