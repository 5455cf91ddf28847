-- Change the note of an active team flag. Parameters: $pupil_key, $flag, $note.
UPDATE team_flags SET note = $note WHERE pupil_key = $pupil_key AND flag = $flag AND active;
