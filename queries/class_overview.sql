-- Classes at a glance: per class its pupils, their absences this school year (all codes
-- except L), B half-days and late arrivals, and the absent half-days per school week.
-- Needs: school_days(date, halfdays, ...) for the school year up to $today
--   (see tui.signals.school_days_table).
-- Parameters: $year_start, $today (DATE).
-- Columns: class, pupils, absent, b, late, possible (half-days all its pupils could attend),
--   weekly (INTEGER[]: absent half-days per school week, oldest first),
--   week_possible (INTEGER[]: half-days the class could attend in that week).
WITH weeks AS (
    SELECT date_trunc('week', date)::DATE AS monday, sum(halfdays)::INTEGER AS possible
    FROM school_days WHERE date <= $today
    GROUP BY ALL
),
per_pupil_week AS (
    SELECT h.pupil_key, date_trunc('week', h.date)::DATE AS monday,
           count(*) FILTER (WHERE h.absent) AS absent,
           count(*) FILTER (WHERE h.absent AND h.code = 'B') AS b,
           count(*) FILTER (WHERE h.late) AS late
    FROM halfdays AS h
    JOIN school_days AS s ON s.date = h.date
    WHERE h.date BETWEEN $year_start AND $today
    GROUP BY ALL
),
class_week AS (
    SELECT p.class, w.monday, w.possible * count(DISTINCT p.pupil_key) AS possible,
           coalesce(sum(x.absent), 0) AS absent, coalesce(sum(x.b), 0) AS b, coalesce(sum(x.late), 0) AS late
    FROM pupils AS p
    CROSS JOIN weeks AS w
    LEFT JOIN per_pupil_week AS x ON x.pupil_key = p.pupil_key AND x.monday = w.monday
    GROUP BY p.class, w.monday, w.possible
)
SELECT c.class, (SELECT count(*) FROM pupils AS q WHERE q.class = c.class) AS pupils,
       sum(c.absent)::INTEGER AS absent, sum(c.b)::INTEGER AS b, sum(c.late)::INTEGER AS late,
       sum(c.possible)::INTEGER AS possible,
       list(c.absent::INTEGER ORDER BY c.monday) AS weekly,
       list(c.possible::INTEGER ORDER BY c.monday) AS week_possible
FROM class_week AS c
GROUP BY c.class
ORDER BY c.class;
