-- One pupil's half-days per raw code on school days up to today (absent and late), most first.
-- Needs: school_days(date, ...) for the school year up to today (see tui.signals.school_days_table),
--   the same days the prioritised list counts, so the counts add up to absent + late there.
-- Parameters: $pupil_key (VARCHAR).
-- Columns: raw_code, code (official), category, halfdays.
SELECT h.raw_code, h.code, h.category, count(*) AS halfdays
FROM halfdays AS h
JOIN school_days AS s ON s.date = h.date
WHERE h.pupil_key = $pupil_key AND (h.absent OR h.late)
GROUP BY h.raw_code, h.code, h.category
ORDER BY halfdays DESC, h.raw_code;
