-- Every pupil with the measures behind each signal, which signals fire, and the score,
-- in priority order. The list cache (tui/list_cache.py) stores this for all pupils.
-- Only school half-days up to $today count (a record on a Wednesday afternoon, a holiday or
-- after today is a registration error); the thresholds count the current school year only.
-- Needs: school_days(date, halfdays, after_break, weekday, day_index, return_kind: 0 | 1 after a
--   weekend | 2 after a holiday or free day) for the
--   school year up to $today; earlier_days(date, halfdays, school_year) for the earlier school
--   years looked at; flag_weights(flag, weight).
-- Parameters: $today, $year_start, $last_year_start (DATE); $last_year (INTEGER, the school year
--   before this one); $only_pupils (VARCHAR[]: just these pupils, NULL for all; the stored list
--   is kept up to date a few pupils at a time with it, see tui/list_cache.py); thresholds $t_* (see
--   tui/default_config.toml); $w_team_flag, $w_grade_1, $w_grade_2, $w_grade_3 (DOUBLE);
--   $signal_weights (DOUBLE[]) and $signal_words (VARCHAR[]: "id label"), one per signal in the
--   order of tui/signal_registry.py, which is the order of signal_flags below.
-- Columns: pupil identity, absent, b, late, possible, the measures m_*, s_<signal> (BOOLEAN),
--   score, grade_score, has_signal, name_order (1.. by last name, first name, key), position (1..
--   over all pupils),
--   rank (1.. over pupils with a signal, NULL without), search (lower-case words without accents
--   the list filter looks in). signal_flags (the s_* columns as one list) is used inside only.
WITH cal AS (
    SELECT coalesce(sum(halfdays), 0) AS possible,
           coalesce(sum(halfdays) FILTER (WHERE date > $today - $t_velocity_window_days::INTEGER), 0) AS possible_recent,
           count(*) AS school_days,
           coalesce(sum(halfdays) FILTER (WHERE date > $today - $t_detachment_window_days::INTEGER), 0)
               AS possible_detach_recent,
           coalesce(sum(halfdays) FILTER (WHERE date <= $today - $t_detachment_window_days::INTEGER
                                            AND date > $today - 2 * $t_detachment_window_days::INTEGER), 0)
               AS possible_detach_prev,
           count(*) AS school_days,
           count(*) FILTER (WHERE after_break) AS days_after_break
    FROM school_days
),
days AS MATERIALIZED (
    -- One row per pupil and school day with an absence or a late arrival: every
    -- per-day measure in one pass over the half-days (the only pass over them); the
    -- calendar's facts about the day are joined after grouping.
    -- Small types keep it in memory at 100,000 pupils (a day holds at most two half-days).
    SELECT d.pupil_key, d.date,
           (d.a_vm + d.a_nm)::UTINYINT AS a, d.b::UTINYINT AS b, d.j::UTINYINT AS j, d.l::UTINYINT AS l,
           d.u::UTINYINT AS u, d.z > 0 AS ill, d.parents_note, d.a_vm::UTINYINT AS a_vm,
           d.a_nm::UTINYINT AS a_nm, d.z::UTINYINT AS z,
           -- return_kind: 0, or the first day back after a weekend (1) or a holiday (2)
           s.weekday::UTINYINT AS weekday, s.return_kind::UTINYINT AS return_kind,
           s.day_index::USMALLINT AS day_index,
           s.halfdays::UTINYINT AS day_halfdays
    FROM (
        SELECT pupil_key, date,
               count(*) FILTER (WHERE absent AND code = 'B') AS b,
               count(*) FILTER (WHERE absent AND category IN ('law', 'direction')) AS j,
               count(*) FILTER (WHERE late) AS l,
               count(*) FILTER (WHERE absent AND code = '-') AS u,
               count(*) FILTER (WHERE absent AND code = 'Z') AS z,
               bool_and(NOT raw_code LIKE 'D%') FILTER (WHERE absent AND code = 'Z') AS parents_note,
               count(*) FILTER (WHERE absent AND halfday = 'VM') AS a_vm,
               count(*) FILTER (WHERE absent AND halfday = 'NM') AS a_nm
        FROM halfdays
        WHERE date BETWEEN $year_start AND $today
          AND ($only_pupils IS NULL OR pupil_key IN (SELECT unnest($only_pupils)))
          -- an afternoon counts only on a day with an afternoon: never on Wednesday (ISO day 3);
          -- holidays, weekends and days after $today drop out in the join with school_days below
          AND (halfday = 'VM' OR isodow(date) <> 3)
        GROUP BY pupil_key, date
    ) AS d
    JOIN school_days AS s ON s.date = d.date
),
base AS (
    SELECT pupil_key,
           sum(a) AS absent, sum(b) AS b, sum(l) AS late, sum(j) AS justified,
           coalesce(sum(a) FILTER (WHERE date > $today - $t_velocity_window_days::INTEGER), 0) AS absent_recent,
           coalesce(sum(b) FILTER (WHERE date > $today - $t_detachment_window_days::INTEGER), 0) AS b_recent,
           coalesce(sum(b) FILTER (WHERE date <= $today - $t_detachment_window_days::INTEGER
                                     AND date > $today - 2 * $t_detachment_window_days::INTEGER), 0) AS b_prev,
           sum(z) AS ill_halfdays,
           coalesce(sum(j) FILTER (WHERE date > $today - $t_detachment_window_days::INTEGER), 0) AS justified_recent,
           coalesce(sum(u) FILTER (WHERE date <= $today - $t_unknown_days::INTEGER), 0) AS unknown_old,
           min(date) FILTER (WHERE u > 0 AND date <= $today - $t_unknown_days::INTEGER) AS unknown_since,
           count(*) FILTER (WHERE a > 0) AS days,
           count(*) FILTER (WHERE a > 0 AND return_kind > 0) AS days_after_break,
           count(*) FILTER (WHERE a > 0 AND return_kind = 1) AS days_after_weekend,
           count(*) FILTER (WHERE ill AND return_kind = 0) AS ill_days_midweek,
           count(*) FILTER (WHERE a = 1 AND day_halfdays = 2) AS partial_days
    FROM days
    GROUP BY pupil_key
),
by_day_of_week AS MATERIALIZED (
    -- Per pupil and weekday: days with an absence, absent mornings and afternoons.
    SELECT pupil_key, weekday, count(*) AS days_n, sum(a_vm) AS vm_n, sum(a_nm) AS nm_n
    FROM days WHERE a > 0
    GROUP BY pupil_key, weekday
),
by_weekday AS (
    -- The weekday with the most days of absence; ties go to the earliest in the week. (arg_max
    -- of one number that orders like the ties: an aggregate, cheaper than a window's sort.)
    SELECT pupil_key, arg_max(weekday, days_n * 10 + (9 - weekday)) AS top_weekday, max(days_n) AS top_weekday_n
    FROM by_day_of_week
    GROUP BY pupil_key
),
by_slot AS (
    -- The half-day of the week (weekday and VM/NM) with the most absences; ties go to the
    -- earliest (weekday, then VM before NM).
    SELECT pupil_key, arg_max(weekday, n * 100 + (9 - weekday) * 2 + (halfday = 'VM')::INTEGER) AS top_slot_weekday,
           arg_max(halfday, n * 100 + (9 - weekday) * 2 + (halfday = 'VM')::INTEGER) AS top_slot_halfday,
           max(n) AS top_slot_n
    FROM (
        SELECT pupil_key, weekday, 'VM' AS halfday, vm_n AS n FROM by_day_of_week WHERE vm_n > 0
        UNION ALL
        SELECT pupil_key, weekday, 'NM' AS halfday, nm_n AS n FROM by_day_of_week WHERE nm_n > 0
    )
    GROUP BY pupil_key
),
camouflage AS (
    -- B half-days with a justified absence within $t_camouflage_days calendar days (same day included).
    SELECT bd.pupil_key, sum(bd.b) AS b_near_justified
    FROM (SELECT pupil_key, date, b FROM days WHERE b > 0) AS bd
    SEMI JOIN (SELECT pupil_key, date FROM days WHERE j > 0) AS jd
        ON jd.pupil_key = bd.pupil_key
       AND jd.date BETWEEN bd.date - $t_camouflage_days::INTEGER AND bd.date + $t_camouflage_days::INTEGER
    GROUP BY bd.pupil_key
),
ill_days AS MATERIALIZED (
    -- Days of illness, numbered so that consecutive school days share a run
    -- (weekends and holidays in between count as consecutive).
    SELECT pupil_key, date, day_index, parents_note,
           day_index - row_number() OVER (PARTITION BY pupil_key ORDER BY day_index) AS run
    FROM days WHERE ill
),
ill_runs AS (
    SELECT pupil_key, min(date) AS first_day, max(date) AS last_day, max(day_index) + 1 AS return_index
    FROM ill_days
    GROUP BY pupil_key, run
),
ill_returns AS (
    -- The first school day back after each run of illness (up to today): how many, how many
    -- of them are not already a day after a weekend or holiday, and on which the pupil was absent.
    SELECT r.pupil_key,
           count(*) AS returns,
           count(*) FILTER (WHERE NOT s.after_break) AS returns_midweek,
           coalesce(any_value(a.absent_after_illness), 0) AS absent_after_illness,
           coalesce(any_value(a.absent_after_illness_break), 0) AS absent_after_illness_break
    FROM ill_runs AS r
    JOIN school_days AS s ON s.day_index = r.return_index
    LEFT JOIN (
        -- absent on a first day back (the runs' ends are far fewer than the days: the join's small side)
        SELECT d.pupil_key, count(*) AS absent_after_illness,
               count(*) FILTER (WHERE d.return_kind > 0) AS absent_after_illness_break
        FROM days AS d
        JOIN ill_runs AS e ON e.pupil_key = d.pupil_key AND e.return_index = d.day_index
        WHERE d.a > 0
        GROUP BY d.pupil_key
    ) AS a ON a.pupil_key = r.pupil_key
    GROUP BY r.pupil_key
),
note_runs AS (
    -- The same for illness on a parents' note (Z that is not D), counted in calendar days
    -- (Thursday-Friday-Monday is 5: weekends and holidays inside a run count).
    SELECT pupil_key, max(date) - min(date) + 1 AS calendar_days, min(date) AS first_day, max(date) AS last_day
    FROM (
        SELECT pupil_key, date,
               day_index - row_number() OVER (PARTITION BY pupil_key ORDER BY day_index) AS run
        FROM ill_days WHERE parents_note
    )
    GROUP BY pupil_key, run
),
illness AS (
    -- The longest run of illness; of two as long, the latest (one number that orders like that).
    SELECT pupil_key, max(last_day - first_day) + 1 AS longest_illness,
           arg_max(first_day, (last_day - first_day) * 100000 + (first_day - DATE '2000-01-01')) AS longest_from,
           arg_max(last_day, (last_day - first_day) * 100000 + (first_day - DATE '2000-01-01')) AS longest_to
    FROM ill_runs
    GROUP BY pupil_key
),
notes AS (
    -- the longest run; of two as long, the latest
    SELECT pupil_key, count(*) AS note_episodes, max(calendar_days) AS longest_note,
           arg_max(first_day, calendar_days * 100000 + (first_day - DATE '2000-01-01')) AS longest_note_from
    FROM note_runs GROUP BY pupil_key
),
earlier AS (
    -- Earlier school years in the data: absent and B half-days per year (school half-days only).
    SELECT h.pupil_key, e.school_year,
           count(*) FILTER (WHERE h.absent) AS absent,
           count(*) FILTER (WHERE h.absent AND h.code = 'B') AS b
    FROM halfdays AS h
    JOIN earlier_days AS e ON e.date = h.date
    WHERE h.date < $year_start
      AND ($only_pupils IS NULL OR h.pupil_key IN (SELECT unnest($only_pupils)))
      AND (h.halfday = 'VM' OR e.halfdays = 2)
    GROUP BY h.pupil_key, e.school_year
),
earlier_years AS (
    SELECT e.pupil_key,
           string_agg(e.school_year || ':' || e.absent || ':' || e.b || ':' || c.possible, ','
                      ORDER BY e.school_year DESC) AS earlier,
           coalesce(max(e.b) FILTER (WHERE e.school_year = $last_year), 0) AS b_last_year,
           bool_or(e.school_year = $last_year) AS has_last_year,
           bool_or(e.b >= $t_earlier_years_b
                   OR (e.absent >= $t_share_min_halfdays AND e.absent >= $t_earlier_years_share * c.possible))
               AS earlier_many
    FROM earlier AS e
    JOIN (SELECT school_year, sum(halfdays) AS possible FROM earlier_days GROUP BY school_year) AS c
        USING (school_year)
    GROUP BY e.pupil_key
),
flags AS (
    SELECT f.pupil_key, count(*) AS team_flags, bool_or(f.flag = 'chronically_ill') AS chronically_ill,
           sum(coalesce(w.weight, $w_team_flag)) AS flag_weight,
           list({'flag': f.flag, 'by': coalesce(f.set_by, ''), 'at': strftime(f.set_at, '%d/%m/%Y')}
                ORDER BY f.set_at) AS flag_ids
    FROM team_flags AS f LEFT JOIN flag_weights AS w ON w.flag = f.flag
    WHERE f.active
    GROUP BY f.pupil_key
),
last_review AS (
    SELECT pupil_key, arg_max(next_review, meeting_date) AS next_review, max(meeting_date) AS last_meeting
    FROM reviews GROUP BY pupil_key
),
open_agreements AS (
    SELECT pupil_key, count(*) AS overdue, min(due) AS oldest_due
    FROM agreements WHERE NOT done AND due < $today
    GROUP BY pupil_key
),
measures AS (
    SELECT p.pupil_key, p.pupil_id, p.last_name, p.first_name, p.class, p.grade, p.year_level, p.birth_date,
           CASE WHEN p.birth_date IS NOT NULL THEN date_diff('year', p.birth_date, $today)
                - CASE WHEN strftime(p.birth_date, '%m%d') > strftime($today, '%m%d') THEN 1 ELSE 0 END END AS age,
           coalesce(b.absent, 0) AS absent, coalesce(b.b, 0) AS b, coalesce(b.late, 0) AS late,
           cal.possible, cal.possible_recent, cal.school_days,
           cal.days_after_break AS possible_after_break,
           -- first days back of any kind (a day after illness and a weekend counts once), and the
           -- ordinary days: neither a first day back nor a day of illness
           cal.days_after_break + coalesce(ir.returns_midweek, 0) AS m_returns,
           coalesce(ir.returns, 0) AS m_illness_returns,
           coalesce(b.ill_days_midweek, 0) AS m_ill_days_midweek,
           coalesce(b.days_after_break, 0) + coalesce(ir.absent_after_illness, 0)
               - coalesce(ir.absent_after_illness_break, 0) AS m_absent_on_returns,
           cal.possible_detach_recent, cal.possible_detach_prev,
           coalesce(b.justified, 0) AS m_justified,
           coalesce(b.absent_recent, 0) AS m_absent_recent,
           coalesce(b.b_recent, 0) AS m_b_recent, coalesce(b.b_prev, 0) AS m_b_prev,
           coalesce(b.ill_halfdays, 0) AS m_ill_halfdays,
           coalesce(b.justified_recent, 0) AS m_justified_recent,
           coalesce(b.unknown_old, 0) AS m_unknown_old, b.unknown_since AS m_unknown_since,
           coalesce(b.days, 0) AS m_absent_days,
           coalesce(b.days_after_break, 0) AS m_absent_after_break,
           coalesce(b.days_after_weekend, 0) AS m_absent_after_weekend,
           coalesce(b.days_after_break, 0) - coalesce(b.days_after_weekend, 0) AS m_absent_after_holiday,
           coalesce(ir.absent_after_illness, 0) AS m_absent_after_illness,
           wd.top_weekday AS m_top_weekday, coalesce(wd.top_weekday_n, 0) AS m_top_weekday_n,
           sl.top_slot_weekday AS m_top_slot_weekday, sl.top_slot_halfday AS m_top_slot_halfday,
           coalesce(sl.top_slot_n, 0) AS m_top_slot_n,
           coalesce(b.partial_days, 0) AS m_partial_days,
           coalesce(cm.b_near_justified, 0) AS m_b_near_justified,
           coalesce(il.longest_illness, 0) AS m_longest_illness, il.longest_from AS m_longest_from,
           il.longest_to AS m_longest_to,
           coalesce(nt.note_episodes, 0) AS m_note_episodes, coalesce(nt.longest_note, 0) AS m_longest_note,
           nt.longest_note_from AS m_longest_note_from,
           nt.longest_note_from + (nt.longest_note - 1)::INTEGER AS m_longest_note_to,
           ey.earlier AS m_earlier, coalesce(ey.b_last_year, 0) AS m_b_last_year,
           coalesce(ey.earlier_many, false) AS m_earlier_many, coalesce(ey.has_last_year, false) AS m_has_last_year,
           EXISTS (SELECT 1 FROM halfdays WHERE date >= $last_year_start AND date < $year_start) AS m_data_last_year,
           coalesce(fl.chronically_ill, false) AS m_chronically_ill,
           coalesce(fl.team_flags, 0) AS m_team_flags, coalesce(fl.flag_weight, 0) AS m_flag_weight,
           fl.flag_ids AS m_flag_ids,
           lr.next_review AS m_next_review, lr.last_meeting AS m_last_meeting,
           coalesce(oa.overdue, 0) AS m_overdue, oa.oldest_due AS m_oldest_due
    FROM pupils AS p
    CROSS JOIN cal
    LEFT JOIN base AS b ON b.pupil_key = p.pupil_key
    LEFT JOIN by_weekday AS wd ON wd.pupil_key = p.pupil_key
    LEFT JOIN by_slot AS sl ON sl.pupil_key = p.pupil_key
    LEFT JOIN camouflage AS cm ON cm.pupil_key = p.pupil_key
    LEFT JOIN illness AS il ON il.pupil_key = p.pupil_key
    LEFT JOIN notes AS nt ON nt.pupil_key = p.pupil_key
    LEFT JOIN ill_returns AS ir ON ir.pupil_key = p.pupil_key
    LEFT JOIN earlier_years AS ey ON ey.pupil_key = p.pupil_key
    LEFT JOIN flags AS fl ON fl.pupil_key = p.pupil_key
    LEFT JOIN last_review AS lr ON lr.pupil_key = p.pupil_key
    LEFT JOIN open_agreements AS oa ON oa.pupil_key = p.pupil_key
    WHERE $only_pupils IS NULL OR p.pupil_key IN (SELECT unnest($only_pupils))
),
rates AS (
    SELECT *,
           CASE WHEN possible > 0 THEN absent / possible ELSE 0 END AS m_share,
           CASE WHEN possible_recent > 0 THEN m_absent_recent / possible_recent ELSE 0 END AS m_rate_recent,
           CASE WHEN possible - possible_recent > 0
                THEN (absent - m_absent_recent) / (possible - possible_recent) ELSE 0 END AS m_rate_before,
           CASE WHEN possible_after_break > 0 THEN m_absent_after_break / possible_after_break ELSE 0 END
               AS m_rate_after_break,
           CASE WHEN school_days - possible_after_break > 0
                THEN (m_absent_days - m_absent_after_break) / (school_days - possible_after_break) ELSE 0 END
               AS m_rate_other_days,
           CASE WHEN m_illness_returns > 0 THEN m_absent_after_illness / m_illness_returns ELSE 0 END
               AS m_rate_after_illness,
           CASE WHEN school_days - m_returns - m_ill_days_midweek > 0
                THEN (m_absent_days - m_absent_on_returns - m_ill_days_midweek)
                     / (school_days - m_returns - m_ill_days_midweek) ELSE 0 END AS m_rate_plain_days
    FROM measures
),
returns AS (
    -- after_break's two halves: after a weekend or holiday, compared with all other days; after
    -- illness, compared with the ordinary days (the days of illness themselves left out)
    SELECT *,
           m_absent_after_break >= $t_after_break_min
               AND m_rate_after_break >= $t_after_break_ratio * greatest(m_rate_other_days, 0.01)
               AS m_back_after_break,
           m_absent_after_illness >= $t_after_break_min
               AND m_rate_after_illness >= $t_after_break_ratio * greatest(m_rate_plain_days, 0.01)
               AS m_back_after_illness
    FROM rates
),
fired AS (
    SELECT *,
           b >= $t_b_first AS s_b_first,
           b >= $t_b_clb AS s_b_clb,
           b >= $t_b_police AS s_b_police,
           b >= $t_b_allowance AS s_b_allowance,
           absent >= $t_share_min_halfdays AND m_share >= $t_chronic_share AS s_chronic,
           absent >= $t_share_min_halfdays AND m_share >= $t_severe_share AS s_severe,
           m_absent_recent >= $t_velocity_min_halfdays
               AND m_rate_recent >= $t_velocity_ratio * greatest(m_rate_before, $t_velocity_floor) AS s_velocity,
           -- detachment: enough B in the window, none justified, and B rising: the window's B rate
           -- above that of the window before it (no school days before: rising from nothing)
           m_b_recent >= $t_detachment_min_b AND m_justified_recent <= $t_detachment_max_justified
               AND m_b_recent * greatest(possible_detach_prev, 1) > m_b_prev * possible_detach_recent
               AS s_detachment,
           m_b_near_justified >= $t_camouflage_min_b AS s_camouflage,
           (m_top_weekday_n >= $t_weekday_min AND m_top_weekday_n >= $t_weekday_share * m_absent_days)
               OR (m_top_slot_n >= $t_weekday_min AND m_top_slot_n >= $t_slot_share * absent) AS s_weekday,
           m_back_after_break OR m_back_after_illness AS s_after_break,
           m_partial_days >= $t_partial_days_min AS s_partial_days,
           late >= $t_late_min AS s_late,
           m_unknown_old >= 1 AS s_unknown_code,
           m_note_episodes >= $t_parent_notes_max OR m_longest_note > $t_parent_note_days AS s_parent_notes,
           m_longest_illness > $t_long_illness_days AS s_long_illness,
           m_overdue > 0 OR (m_next_review IS NOT NULL AND m_next_review <= $today) AS s_review_due,
           m_team_flags > 0 AS s_team_flag,
           m_earlier_many AS s_earlier_years,
           coalesce(grade = 3 OR (grade IS NULL AND age >= $t_early_leaving_age), false)
               AND b >= $t_early_leaving_b AS s_early_leaving,
           m_chronically_ill AND m_ill_halfdays >= $t_toah_chronic_halfdays AS s_toah_chronic,
           $t_z_clb > 0 AND m_ill_halfdays >= $t_z_clb AS s_z_clb
    FROM returns
),
flagged AS (
    -- One flag per signal, in the order of tui/signal_registry.py ($signal_weights, $signal_words).
    SELECT *,
           [s_b_first, s_b_clb, s_b_police, s_b_allowance, s_chronic, s_severe, s_velocity, s_detachment,
            s_camouflage, s_weekday, s_after_break, s_partial_days, s_late, s_unknown_code, s_parent_notes,
            s_long_illness, s_review_due, s_team_flag, s_earlier_years, s_early_leaving, s_toah_chronic,
            s_z_clb] AS signal_flags
    FROM fired
),
scored AS (
    SELECT *,
           list_dot_product(signal_flags::DOUBLE[], $signal_weights::DOUBLE[]) + m_flag_weight AS signal_score,
           -- an unknown grade takes the middle weight (shown as "graad onbekend")
           CASE grade WHEN 1 THEN $w_grade_1 WHEN 3 THEN $w_grade_3 ELSE $w_grade_2 END AS grade_score,
           list_bool_or(signal_flags) AS has_signal
    FROM flagged
),
final AS (
    SELECT *, round(CASE WHEN signal_score > 0 THEN signal_score + grade_score ELSE 0 END, 2) AS score
    FROM scored
),
named AS (
    -- The pupils in name order, as a number (ties in priority go by name): numbering the stored
    -- list again after a team flag then sorts numbers only (list_cache_rerank.sql).
    SELECT *, row_number() OVER (ORDER BY last_name, first_name, pupil_key) AS name_order
    FROM final
)
SELECT * EXCLUDE (signal_flags),
       -- one sort for both: rank is the running count of pupils with a signal
       row_number() OVER priority AS position,
       CASE WHEN has_signal THEN sum(has_signal::INTEGER) OVER priority END AS rank,
       strip_accents(lower(concat_ws(' ', first_name, last_name, class,
                       CASE WHEN grade IS NOT NULL THEN 'graad' || grade || ' ' || grade || 'e graad'
                            ELSE 'graad onbekend' END,
                       array_to_string(list_filter($signal_words, lambda w, i: signal_flags[i]), ' '))))
           AS search
FROM named
WINDOW priority AS (ORDER BY score DESC, b DESC, absent DESC, late DESC, name_order
                    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
ORDER BY position;
