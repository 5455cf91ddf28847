-- Schema: key/value facts about the database file (schema_version, ...).
CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);
