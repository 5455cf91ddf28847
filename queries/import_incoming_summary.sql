-- What the incoming records hold. Columns: records, pupils, first_date, last_date,
-- replaced (records that overwrite an existing one), new_pupils.
SELECT
    (SELECT count(*) FROM incoming) AS records,
    (SELECT count(DISTINCT pupil_key) FROM incoming) AS pupils,
    (SELECT min(date) FROM incoming) AS first_date,
    (SELECT max(date) FROM incoming) AS last_date,
    (SELECT count(*) FROM absences AS a SEMI JOIN incoming AS i
        ON a.pupil_key = i.pupil_key AND a.date = i.date
       AND a.halfday = i.halfday AND a.lesson_hour = i.lesson_hour) AS replaced,
    (SELECT count(*) FROM (SELECT DISTINCT pupil_key FROM incoming) AS i
        ANTI JOIN pupils AS p ON p.pupil_key = i.pupil_key) AS new_pupils;
