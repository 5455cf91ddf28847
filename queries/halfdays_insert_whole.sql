-- Half-days straight from incoming whole-half-day records (lesson_hour 0), for the
-- half-days that no incoming lesson-hour record touches. Only absent or late ones are kept.
INSERT INTO halfdays
SELECT i.pupil_key, i.date, i.halfday, i.raw_code, i.code, i.category,
       i.category IN ('law', 'direction', 'problematic', 'not_compulsory', 'unknown'),
       i.category = 'late'
FROM incoming AS i
ANTI JOIN (SELECT DISTINCT pupil_key, date, halfday FROM incoming WHERE lesson_hour > 0) AS h
    ON h.pupil_key = i.pupil_key AND h.date = i.date AND h.halfday = i.halfday
WHERE i.lesson_hour = 0 AND i.category NOT IN ('none');
