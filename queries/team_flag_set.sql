-- Set a team flag. Parameters: $pupil_key, $flag, $note, $set_by.
INSERT INTO team_flags VALUES ($pupil_key, $flag, $note, $set_by, now()::TIMESTAMP, TRUE);
