-- Drop the rolled-up half-days that the records in `incoming` touch, before they are rebuilt.
DELETE FROM halfdays AS h
USING (SELECT DISTINCT pupil_key, date, halfday FROM incoming) AS k
WHERE h.pupil_key = k.pupil_key AND h.date = k.date AND h.halfday = k.halfday;
