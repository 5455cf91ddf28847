-- Drop the half-days rolled up from lesson hours that the records in `incoming` touch, before
-- they are rolled up again (a whole-half-day record now wins, or the hours changed).
DELETE FROM halfday_hours AS h
USING (SELECT DISTINCT pupil_key, date, halfday FROM incoming) AS k
WHERE h.pupil_key = k.pupil_key AND h.date = k.date AND h.halfday = k.halfday;
