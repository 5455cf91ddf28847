-- Schema: codes a mapping file added on top of the built-in code map.
CREATE TABLE IF NOT EXISTS code_map (
    raw_code VARCHAR PRIMARY KEY,
    code VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    meaning VARCHAR
);
