-- Every pupil with the measures behind each signal, which signals fire, and the score,
-- in priority order. The list cache (tui/signals.py) stores this for all pupils.
-- Needs: school_days(date, halfdays, after_break, weekday, day_index) for the school
--   year up to $today, and flag_weights(flag, weight).
-- Parameters: $today, $year_start (DATE); $only_pupil (VARCHAR, NULL for all pupils);
--   thresholds $t_* and weights $w_* (see tui/default_config.toml); $w_grade_1, $w_grade_2,
--   $w_grade_3; $signal_words (VARCHAR[]: "id label" per signal, in the order of the s_* columns).
-- Columns: pupil identity, absent, b, late, possible, the measures m_*, s_<signal> (BOOLEAN),
--   score, has_signal, position (1.. over all pupils), rank (1.. over pupils with a signal,
--   NULL without), search (lower-case words without accents the list filter looks in).
WITH cal AS (
    SELECT coalesce(sum(halfdays), 0) AS possible,
           coalesce(sum(halfdays) FILTER (WHERE date > $today - $t_velocity_window_days::INTEGER), 0) AS possible_recent,
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
           d.a::UTINYINT AS a, d.b::UTINYINT AS b, d.j::UTINYINT AS j, d.l::UTINYINT AS l,
           d.u::UTINYINT AS u, d.ill, d.parents_note, d.a_vm::UTINYINT AS a_vm, d.a_nm::UTINYINT AS a_nm,
           s.weekday::UTINYINT AS weekday, s.after_break, s.day_index::USMALLINT AS day_index,
           s.halfdays::UTINYINT AS day_halfdays
    FROM (
        SELECT pupil_key, date,
               count(*) FILTER (WHERE absent) AS a,
               count(*) FILTER (WHERE absent AND code = 'B') AS b,
               count(*) FILTER (WHERE absent AND category IN ('law', 'direction')) AS j,
               count(*) FILTER (WHERE late) AS l,
               count(*) FILTER (WHERE absent AND code = '-') AS u,
               bool_or(absent AND code = 'Z') AS ill,
               bool_and(NOT raw_code LIKE 'D%') FILTER (WHERE absent AND code = 'Z') AS parents_note,
               count(*) FILTER (WHERE absent AND halfday = 'VM') AS a_vm,
               count(*) FILTER (WHERE absent AND halfday = 'NM') AS a_nm
        FROM halfdays
        WHERE date BETWEEN $year_start AND $today
          AND ($only_pupil IS NULL OR pupil_key = $only_pupil)
        GROUP BY pupil_key, date
    ) AS d
    JOIN school_days AS s ON s.date = d.date
),
base AS (
    SELECT pupil_key,
           sum(a) AS absent, sum(b) AS b, sum(l) AS late, sum(j) AS justified,
           coalesce(sum(a) FILTER (WHERE date > $today - $t_velocity_window_days::INTEGER), 0) AS absent_recent,
           coalesce(sum(b) FILTER (WHERE date > $today - $t_detachment_window_days::INTEGER), 0) AS b_recent,
           coalesce(sum(j) FILTER (WHERE date > $today - $t_detachment_window_days::INTEGER), 0) AS justified_recent,
           coalesce(sum(u) FILTER (WHERE date <= $today - $t_unknown_days::INTEGER), 0) AS unknown_old,
           min(date) FILTER (WHERE u > 0 AND date <= $today - $t_unknown_days::INTEGER) AS unknown_since,
           count(*) FILTER (WHERE a > 0) AS days,
           count(*) FILTER (WHERE a > 0 AND after_break) AS days_after_break,
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
    -- The weekday with the most days of absence; ties go to the earliest in the week.
    SELECT pupil_key, weekday AS top_weekday, days_n AS top_weekday_n
    FROM by_day_of_week
    QUALIFY row_number() OVER (PARTITION BY pupil_key ORDER BY days_n DESC, weekday) = 1
),
by_slot AS (
    -- The half-day of the week (weekday and VM/NM) with the most absences; ties go to the earliest.
    SELECT pupil_key, weekday AS top_slot_weekday, halfday AS top_slot_halfday, n AS top_slot_n
    FROM (
        SELECT pupil_key, weekday, 'VM' AS halfday, vm_n AS n FROM by_day_of_week WHERE vm_n > 0
        UNION ALL
        SELECT pupil_key, weekday, 'NM' AS halfday, nm_n AS n FROM by_day_of_week WHERE nm_n > 0
    )
    QUALIFY row_number() OVER (PARTITION BY pupil_key ORDER BY n DESC, weekday, halfday DESC) = 1
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
    SELECT pupil_key, min(date) AS first_day, max(date) AS last_day
    FROM ill_days
    GROUP BY pupil_key, run
),
note_runs AS (
    -- The same for illness on a parents' note (Z that is not D), counted in school days.
    SELECT pupil_key, count(*) AS school_days
    FROM (
        SELECT pupil_key, day_index - row_number() OVER (PARTITION BY pupil_key ORDER BY day_index) AS run
        FROM ill_days WHERE parents_note
    )
    GROUP BY pupil_key, run
),
illness AS (
    -- The longest run of illness; of two as long, the latest.
    SELECT pupil_key, last_day - first_day + 1 AS longest_illness,
           first_day AS longest_from, last_day AS longest_to
    FROM ill_runs
    QUALIFY row_number() OVER (PARTITION BY pupil_key ORDER BY last_day - first_day DESC, first_day DESC) = 1
),
notes AS (
    SELECT pupil_key, count(*) AS note_episodes, max(school_days) AS longest_note
    FROM note_runs GROUP BY pupil_key
),
flags AS (
    SELECT f.pupil_key, count(*) AS team_flags,
           sum(coalesce(w.weight, $w_team_flag)) AS flag_weight,
           string_agg(f.flag || '|' || coalesce(f.set_by, '') || '|' || strftime(f.set_at, '%d/%m/%Y'), ','
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
           cal.possible, cal.possible_recent, cal.school_days, cal.days_after_break AS possible_after_break,
           coalesce(b.justified, 0) AS m_justified,
           coalesce(b.absent_recent, 0) AS m_absent_recent,
           coalesce(b.b_recent, 0) AS m_b_recent,
           coalesce(b.justified_recent, 0) AS m_justified_recent,
           coalesce(b.unknown_old, 0) AS m_unknown_old, b.unknown_since AS m_unknown_since,
           coalesce(b.days, 0) AS m_absent_days,
           coalesce(b.days_after_break, 0) AS m_absent_after_break,
           wd.top_weekday AS m_top_weekday, coalesce(wd.top_weekday_n, 0) AS m_top_weekday_n,
           sl.top_slot_weekday AS m_top_slot_weekday, sl.top_slot_halfday AS m_top_slot_halfday,
           coalesce(sl.top_slot_n, 0) AS m_top_slot_n,
           coalesce(b.partial_days, 0) AS m_partial_days,
           coalesce(cm.b_near_justified, 0) AS m_b_near_justified,
           coalesce(il.longest_illness, 0) AS m_longest_illness, il.longest_from AS m_longest_from,
           il.longest_to AS m_longest_to,
           coalesce(nt.note_episodes, 0) AS m_note_episodes, coalesce(nt.longest_note, 0) AS m_longest_note,
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
    LEFT JOIN flags AS fl ON fl.pupil_key = p.pupil_key
    LEFT JOIN last_review AS lr ON lr.pupil_key = p.pupil_key
    LEFT JOIN open_agreements AS oa ON oa.pupil_key = p.pupil_key
    WHERE $only_pupil IS NULL OR p.pupil_key = $only_pupil
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
               AS m_rate_other_days
    FROM measures
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
           m_b_recent >= $t_detachment_min_b AND m_justified_recent <= $t_detachment_max_justified AS s_detachment,
           m_b_near_justified >= $t_camouflage_min_b AS s_camouflage,
           (m_top_weekday_n >= $t_weekday_min AND m_top_weekday_n >= $t_weekday_share * m_absent_days)
               OR (m_top_slot_n >= $t_weekday_min AND m_top_slot_n >= $t_slot_share * absent) AS s_weekday,
           m_absent_after_break >= $t_after_break_min
               AND m_rate_after_break >= $t_after_break_ratio * greatest(m_rate_other_days, 0.01) AS s_after_break,
           m_partial_days >= $t_partial_days_min AS s_partial_days,
           late >= $t_late_min AS s_late,
           m_unknown_old >= 1 AS s_unknown_code,
           m_note_episodes >= $t_parent_notes_max OR m_longest_note > $t_parent_note_days AS s_parent_notes,
           m_longest_illness > $t_long_illness_days AS s_long_illness,
           m_overdue > 0 OR (m_next_review IS NOT NULL AND m_next_review <= $today) AS s_review_due,
           m_team_flags > 0 AS s_team_flag
    FROM rates
),
scored AS (
    SELECT *,
           (CASE WHEN s_b_first THEN $w_b_first ELSE 0 END
            + CASE WHEN s_b_clb THEN $w_b_clb ELSE 0 END
            + CASE WHEN s_b_police THEN $w_b_police ELSE 0 END
            + CASE WHEN s_b_allowance THEN $w_b_allowance ELSE 0 END
            + CASE WHEN s_chronic THEN $w_chronic ELSE 0 END
            + CASE WHEN s_severe THEN $w_severe ELSE 0 END
            + CASE WHEN s_velocity THEN $w_velocity ELSE 0 END
            + CASE WHEN s_detachment THEN $w_detachment ELSE 0 END
            + CASE WHEN s_camouflage THEN $w_camouflage ELSE 0 END
            + CASE WHEN s_weekday THEN $w_weekday ELSE 0 END
            + CASE WHEN s_after_break THEN $w_after_break ELSE 0 END
            + CASE WHEN s_partial_days THEN $w_partial_days ELSE 0 END
            + CASE WHEN s_late THEN $w_late ELSE 0 END
            + CASE WHEN s_unknown_code THEN $w_unknown_code ELSE 0 END
            + CASE WHEN s_parent_notes THEN $w_parent_notes ELSE 0 END
            + CASE WHEN s_long_illness THEN $w_long_illness ELSE 0 END
            + CASE WHEN s_review_due THEN $w_review_due ELSE 0 END
            + m_flag_weight) AS signal_score,
           CASE grade WHEN 1 THEN $w_grade_1 WHEN 2 THEN $w_grade_2 WHEN 3 THEN $w_grade_3 ELSE 0 END AS grade_score
    FROM fired
),
final AS (
    SELECT *,
           round(CASE WHEN signal_score > 0 THEN signal_score + grade_score ELSE 0 END, 2) AS score,
           (s_b_first OR s_b_clb OR s_b_police OR s_b_allowance OR s_chronic OR s_severe OR s_velocity
            OR s_detachment OR s_camouflage OR s_weekday OR s_after_break OR s_partial_days OR s_late
            OR s_unknown_code OR s_parent_notes OR s_long_illness OR s_review_due OR s_team_flag) AS has_signal
    FROM scored
)
SELECT *,
       row_number() OVER (ORDER BY score DESC, b DESC, absent DESC, late DESC, last_name, first_name, pupil_key)
           AS position,
       CASE WHEN has_signal THEN row_number() OVER (
           PARTITION BY has_signal
           ORDER BY score DESC, b DESC, absent DESC, late DESC, last_name, first_name, pupil_key) END AS rank,
       strip_accents(lower(concat_ws(' ', first_name, last_name, class,
                       CASE WHEN grade IS NOT NULL THEN 'graad' || grade || ' ' || grade || 'e graad' END,
                       array_to_string(list_filter($signal_words, lambda w, i: [
                           s_b_first, s_b_clb, s_b_police, s_b_allowance, s_chronic, s_severe, s_velocity,
                           s_detachment, s_camouflage, s_weekday, s_after_break, s_partial_days, s_late,
                           s_unknown_code, s_parent_notes, s_long_illness, s_review_due, s_team_flag][i]), ' '))))
           AS search
FROM final
ORDER BY position;
