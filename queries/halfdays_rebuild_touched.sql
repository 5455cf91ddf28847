-- Roll stored records up to half-days, for the half-days that incoming lesson-hour
-- records touch (whole-half-day-only imports skip this: see halfdays_insert_whole). A whole
-- half-day record wins; otherwise lesson hours count: the half-day is absent from
-- $min_absent_hours absent hours on, with the most serious code among them.
-- Parameters: $min_absent_hours (INTEGER).
INSERT INTO halfdays
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
           bool_or(lesson_hour = 0) AS whole,
           max(raw_code) FILTER (WHERE lesson_hour = 0) AS w_raw,
           max(code) FILTER (WHERE lesson_hour = 0) AS w_code,
           max(category) FILTER (WHERE lesson_hour = 0) AS w_category,
           count(*) FILTER (WHERE lesson_hour > 0 AND is_absent) AS absent_hours,
           arg_max(raw_code, severity) FILTER (WHERE lesson_hour > 0 AND is_absent) AS h_raw,
           arg_max(code, severity) FILTER (WHERE lesson_hour > 0 AND is_absent) AS h_code,
           arg_max(category, severity) FILTER (WHERE lesson_hour > 0 AND is_absent) AS h_category,
           bool_or(lesson_hour > 0 AND category = 'late') AS h_late
    FROM rec
    GROUP BY pupil_key, date, halfday
),
decided AS (
    SELECT *,
           CASE WHEN whole
                THEN w_category IN ('law', 'direction', 'problematic', 'not_compulsory', 'unknown')
                ELSE absent_hours >= $min_absent_hours END AS absent,
           CASE WHEN whole THEN w_category = 'late' ELSE h_late END AS late
    FROM grouped
)
SELECT pupil_key, date, halfday,
       CASE WHEN whole THEN w_raw WHEN absent THEN h_raw ELSE 'L' END,
       CASE WHEN whole THEN w_code WHEN absent THEN h_code ELSE 'L' END,
       CASE WHEN whole THEN w_category WHEN absent THEN h_category ELSE 'late' END,
       absent,
       late AND NOT absent
FROM decided
WHERE absent OR late;
