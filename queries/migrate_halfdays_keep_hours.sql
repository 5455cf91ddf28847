-- Schema 3 (halfdays becomes a view): keep the stored half-days that came from lesson hours,
-- those of half-days without a whole-half-day record; the view gives the others again.
INSERT INTO halfday_hours
SELECT h.pupil_key, h.date, h.halfday, h.raw_code, h.code, h.category, h.absent, h.late
FROM halfdays AS h
ANTI JOIN (SELECT DISTINCT pupil_key, date, halfday FROM absences WHERE lesson_hour = 0) AS w
    ON w.pupil_key = h.pupil_key AND w.date = h.date AND w.halfday = h.halfday;
