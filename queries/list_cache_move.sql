-- Number the stored list again after one pupil moved (list_cache_move_counts.sql), without
-- sorting: every other pupil keeps its order, so its new place follows from the old one. Taken
-- out of the list, a pupil after the old place moves up one; put back in, a pupil at or after
-- the new place moves down one; the same among the pupils with a signal for the rank. Pupils
-- before both places keep their numbers; after both, only the ranks change, and only when the
-- pupil gained its first signal or lost its last. tests/test_list_incremental.py compares it
-- with a full recompute. Parameters: $pupil_key (VARCHAR), $old_position, $new_position (INTEGER),
--   $old_signal, $new_signal (BOOLEAN), $new_rank (INTEGER, NULL without a signal).
UPDATE list_cache SET
    position = CASE WHEN pupil_key = $pupil_key THEN $new_position
                    ELSE position - (position > $old_position)::INTEGER
                         + (position - (position > $old_position)::INTEGER >= $new_position)::INTEGER END,
    rank = CASE WHEN pupil_key = $pupil_key THEN $new_rank
                WHEN rank IS NULL THEN NULL
                ELSE rank - ($old_signal AND position > $old_position)::INTEGER
                     + ($new_signal AND position - (position > $old_position)::INTEGER >= $new_position)::INTEGER END
WHERE pupil_key = $pupil_key
   OR (position >= least($old_position, $new_position)
       AND (position <= greatest($old_position, $new_position) OR $old_signal <> $new_signal));
