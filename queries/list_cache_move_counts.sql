-- After a change to one pupil's team flags (its score and signals, not its name or half-days):
-- where that pupil stood and where it goes, for list_cache_move.sql. The pupils before it in
-- priority order are counted with its new score (ties by name_order, as prioritised_pupils.sql
-- numbers them). Parameters: $pupil_key (VARCHAR).
-- Columns: old_position, old_signal (whether it had a rank), new_signal, before (pupils before it),
--   before_signal (pupils with a signal before it).
WITH m AS (
    SELECT position, rank IS NOT NULL AS old_signal, has_signal, (-score, -b, -absent, -late, name_order) AS k
    FROM list_cache WHERE pupil_key = $pupil_key
)
SELECT any_value(m.position) AS old_position, any_value(m.old_signal) AS old_signal,
       any_value(m.has_signal) AS new_signal,
       count(r.pupil_key) FILTER (WHERE r.k < m.k) AS before,
       count(r.pupil_key) FILTER (WHERE r.has_signal AND r.k < m.k) AS before_signal
FROM m
LEFT JOIN (
    SELECT pupil_key, has_signal, (-score, -b, -absent, -late, name_order) AS k FROM list_cache
) AS r ON r.pupil_key <> $pupil_key;
