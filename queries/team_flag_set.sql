-- Set a team flag. Parameters: $pupil_key, $flag, $note, $set_by, $set_at (TIMESTAMP: the meeting's day).
INSERT INTO team_flags VALUES ($pupil_key, $flag, $note, $set_by, $set_at::TIMESTAMP, TRUE);
