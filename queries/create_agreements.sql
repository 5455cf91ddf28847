-- Schema: agreements from earlier minutes (indexed from the minutes folder).
CREATE TABLE IF NOT EXISTS agreements (
    pupil_key VARCHAR NOT NULL,
    meeting_date DATE NOT NULL,
    minutes_file VARCHAR NOT NULL,
    what VARCHAR NOT NULL,
    who VARCHAR,
    due DATE,
    done BOOLEAN NOT NULL DEFAULT FALSE
);
