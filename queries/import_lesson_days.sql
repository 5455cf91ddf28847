-- The days with lessons (school calendar, the school's free days, up to today) as the temp
-- table lesson_days(date, halfdays): 1 on Wednesday, else 2. A record on any other day or
-- half-day is not an absence. Parameters: $dates (DATE[]), $halfdays (INTEGER[], one length).
CREATE OR REPLACE TEMP TABLE lesson_days AS
SELECT $dates[i]::DATE AS date, $halfdays[i]::UTINYINT AS halfdays
FROM range(1, len($dates) + 1) AS t(i);
