-- After changes to team flags only: bring the flag columns of the stored list up to date for
-- $pupil_keys, and what follows from them (team_flag and toah_chronic, the score, has_signal,
-- the search text); the rest of a row does not depend on team flags. The same expressions as
-- prioritised_pupils.sql (flags, fired, flagged, scored, final, search), written out per column
-- (no SELECT * over the list's hundred columns: planning those layers cost more than the update):
-- tests/test_list_incremental.py compares the result with a full recompute.
-- Needs: flag_weights(flag, weight). Parameters: $pupil_keys (VARCHAR[]), $w_team_flag (DOUBLE),
--   $t_toah_chronic_halfdays (INTEGER), $signal_weights (DOUBLE[]), $signal_words (VARCHAR[]).
UPDATE list_cache AS c SET
    m_team_flags = n.m_team_flags, m_flag_weight = n.m_flag_weight, m_flag_ids = n.m_flag_ids,
    m_chronically_ill = n.m_chronically_ill, s_team_flag = n.s_team_flag, s_toah_chronic = n.s_toah_chronic,
    signal_score = n.signal_score, has_signal = list_bool_or(n.signal_flags),
    score = round(CASE WHEN n.signal_score > 0 THEN n.signal_score + c.grade_score ELSE 0 END, 2),
    search = strip_accents(lower(concat_ws(' ', c.first_name, c.last_name, c.class,
                           CASE WHEN c.grade IS NOT NULL THEN 'graad' || c.grade || ' ' || c.grade || 'e graad'
                                ELSE 'graad onbekend' END,
                           array_to_string(list_filter($signal_words, lambda w, i: n.signal_flags[i]), ' '))))
FROM (
    SELECT pupil_key, m_team_flags, m_flag_weight, m_flag_ids, m_chronically_ill, s_team_flag, s_toah_chronic,
           signal_flags,
           list_dot_product(signal_flags::DOUBLE[], $signal_weights::DOUBLE[]) + m_flag_weight AS signal_score
    FROM (
        SELECT pupil_key, m_team_flags, m_flag_weight, m_flag_ids, m_chronically_ill, s_team_flag, s_toah_chronic,
               [s_b_first, s_b_clb, s_b_police, s_b_allowance, s_chronic, s_severe, s_velocity, s_detachment,
                s_camouflage, s_weekday, s_after_break, s_partial_days, s_late, s_unknown_code, s_parent_notes,
                s_long_illness, s_review_due, s_team_flag, s_earlier_years, s_early_leaving, s_toah_chronic,
                s_z_clb] AS signal_flags
        FROM (
            SELECT l.pupil_key, l.s_b_first, l.s_b_clb, l.s_b_police, l.s_b_allowance, l.s_chronic, l.s_severe,
                   l.s_velocity, l.s_detachment, l.s_camouflage, l.s_weekday, l.s_after_break,
                   l.s_partial_days, l.s_late, l.s_unknown_code, l.s_parent_notes, l.s_long_illness,
                   l.s_review_due, l.s_earlier_years, l.s_early_leaving, l.s_z_clb,
                   coalesce(fl.team_flags, 0) AS m_team_flags, coalesce(fl.flag_weight, 0) AS m_flag_weight,
                   fl.flag_ids AS m_flag_ids, coalesce(fl.chronically_ill, false) AS m_chronically_ill,
                   coalesce(fl.team_flags, 0) > 0 AS s_team_flag,
                   coalesce(fl.chronically_ill, false) AND l.m_ill_halfdays >= $t_toah_chronic_halfdays
                       AS s_toah_chronic
            FROM list_cache AS l
            LEFT JOIN (
                SELECT f.pupil_key, count(*) AS team_flags, bool_or(f.flag = 'chronically_ill') AS chronically_ill,
                       sum(coalesce(w.weight, $w_team_flag)) AS flag_weight,
                       list({'flag': f.flag, 'by': coalesce(f.set_by, ''), 'at': strftime(f.set_at, '%d/%m/%Y')}
                            ORDER BY f.set_at) AS flag_ids
                FROM team_flags AS f LEFT JOIN flag_weights AS w ON w.flag = f.flag
                WHERE f.active AND f.pupil_key IN (SELECT unnest($pupil_keys))
                GROUP BY f.pupil_key
            ) AS fl ON fl.pupil_key = l.pupil_key
            WHERE l.pupil_key IN (SELECT unnest($pupil_keys))
        )
    )
) AS n
WHERE c.pupil_key = n.pupil_key;
