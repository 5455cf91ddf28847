-- zorgoverleg bench: ten pupils in an order that depends on $seed (INTEGER), to set a team flag on.
-- Columns: pupil_key.
SELECT pupil_key FROM pupils ORDER BY hash(pupil_key, $seed), pupil_key LIMIT 10;
