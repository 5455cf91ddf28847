-- Schema: what the team knows that the export cannot show (parents unreachable,
-- known problems, observations). Feeds the team_flag signal.
CREATE TABLE IF NOT EXISTS team_flags (
    pupil_key VARCHAR NOT NULL,
    flag VARCHAR NOT NULL,
    note VARCHAR,
    set_by VARCHAR,
    set_at TIMESTAMP NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE
);
