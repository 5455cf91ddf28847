-- One pupil's absent or late half-days in the school year up to today, for the calendar.
-- Parameters: $pupil_key (VARCHAR), $year_start (DATE), $today (DATE).
-- Columns: date, halfday ('VM' | 'NM'), raw_code, code, category, absent, late.
SELECT date, halfday, raw_code, code, category, absent, late
FROM halfdays
WHERE pupil_key = $pupil_key
  AND date BETWEEN $year_start AND $today
  AND (absent OR late)
ORDER BY date, halfday DESC;
