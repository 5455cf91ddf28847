-- Schema: the absence records as half-days, one row per absent or late half-day: a
-- whole-half-day record (lesson_hour 0) as it is, which wins over lesson hours of the same
-- half-day; else the roll-up of its lesson hours (halfday_hours). A view: an export of whole
-- half-days (most are) is stored once, not as records and again as half-days.
-- Columns: pupil_key, date, halfday, raw_code, code, category, absent, late.
CREATE OR REPLACE VIEW halfdays AS
SELECT pupil_key, date, halfday, raw_code, code, category,
       category IN ('law', 'direction', 'problematic', 'not_compulsory', 'unknown') AS absent,
       category = 'late' AS late
FROM absences
WHERE lesson_hour = 0 AND category <> 'none'
UNION ALL
SELECT pupil_key, date, halfday, raw_code, code, category, absent, late
FROM halfday_hours;
