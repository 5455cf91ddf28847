-- Number the stored list again after some pupils' rows changed: position over all pupils and
-- rank over pupils with a signal, in the order of prioritised_pupils.sql (one sort: rank is the
-- running count of pupils with a signal; ties by name_order, which must be up to date: see
-- list_cache_name_order.sql; only rows whose number changes are written). Parameters: none.
UPDATE list_cache AS c SET position = n.position, rank = n.rank
FROM (
    SELECT pupil_key, row_number() OVER priority AS position,
           CASE WHEN has_signal THEN sum(has_signal::INTEGER) OVER priority END AS rank
    FROM list_cache
    WINDOW priority AS (ORDER BY score DESC, b DESC, absent DESC, late DESC, name_order
                        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
) AS n
WHERE c.pupil_key = n.pupil_key AND (c.position IS DISTINCT FROM n.position OR c.rank IS DISTINCT FROM n.rank);
