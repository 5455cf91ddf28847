-- Roll stored lesson-hour records up to half-days, for the half-days that incoming lesson-hour
-- records touch and that have no whole-half-day record (that one wins: the view halfdays shows
-- it). The half-day is absent from $min_absent_hours absent hours on, with the most serious
-- code among them; late when an hour is late and it is not absent.
-- Parameters: $min_absent_hours (INTEGER).
INSERT INTO halfday_hours
WITH rec AS (
    SELECT a.*,
           category IN ('law', 'direction', 'problematic', 'not_compulsory', 'unknown') AS is_absent,
           CASE code WHEN 'B' THEN 6 WHEN '-' THEN 5 WHEN 'P' THEN 4 WHEN 'H' THEN 4
                     WHEN 'Z' THEN 3 WHEN 'R' THEN 2 WHEN 'M' THEN 2 ELSE 1 END AS severity
    FROM absences AS a
    SEMI JOIN (SELECT DISTINCT pupil_key, date, halfday FROM incoming WHERE lesson_hour > 0) AS k
        ON k.pupil_key = a.pupil_key AND k.date = a.date AND k.halfday = a.halfday
),
grouped AS (
    SELECT pupil_key, date, halfday,
           count(*) FILTER (WHERE is_absent) AS absent_hours,
           arg_max(raw_code, severity) FILTER (WHERE is_absent) AS h_raw,
           arg_max(code, severity) FILTER (WHERE is_absent) AS h_code,
           arg_max(category, severity) FILTER (WHERE is_absent) AS h_category,
           bool_or(category = 'late') AS h_late
    FROM rec
    GROUP BY pupil_key, date, halfday
    HAVING NOT bool_or(lesson_hour = 0)
),
decided AS (
    SELECT *, absent_hours >= $min_absent_hours AS absent, h_late AS late
    FROM grouped
)
SELECT pupil_key, date, halfday,
       CASE WHEN absent THEN h_raw ELSE 'L' END,
       CASE WHEN absent THEN h_code ELSE 'L' END,
       CASE WHEN absent THEN h_category ELSE 'late' END,
       absent,
       late AND NOT absent
FROM decided
WHERE absent OR late;
