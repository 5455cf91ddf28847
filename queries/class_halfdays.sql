-- Every absent or late half-day of the pupils of one class in the school year up to today,
-- for the class teacher's overview.
-- Needs: school_days(date, ...) for the school year up to $today.
-- Parameters: $class (VARCHAR), $year_start, $today (DATE).
-- Columns: pupil_key, date, halfday, raw_code, code, category, absent, late.
SELECT h.pupil_key, h.date, h.halfday, h.raw_code, h.code, h.category, h.absent, h.late
FROM halfdays AS h
JOIN pupils AS p ON p.pupil_key = h.pupil_key
JOIN school_days AS s ON s.date = h.date
WHERE p.class = $class AND h.date BETWEEN $year_start AND $today AND (h.absent OR h.late)
ORDER BY h.pupil_key, h.date, h.halfday DESC;
