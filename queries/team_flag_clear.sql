-- Clear a team flag (kept as history, no longer active). Parameters: $pupil_key, $flag.
UPDATE team_flags SET active = FALSE WHERE pupil_key = $pupil_key AND flag = $flag AND active;
