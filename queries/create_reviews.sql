-- Schema: per pupil and meeting, the decisions that frame the follow-up.
CREATE TABLE IF NOT EXISTS reviews (
    pupil_key VARCHAR NOT NULL,
    meeting_date DATE NOT NULL,
    minutes_file VARCHAR NOT NULL,
    next_review DATE,
    phase INTEGER,
    pivot_person VARCHAR
);
