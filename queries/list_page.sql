-- A page of the stored prioritised list (list_cache, see prioritised_pupils.sql).
-- Parameters: $include_all (BOOLEAN: also pupils without a signal), $only_pupil (VARCHAR or
--   NULL), $words (VARCHAR[]: every word must occur in the pupil's search text; [] for all),
--   $offset, $limit (INTEGER; NULL for no limit).
-- Columns: those of prioritised_pupils.sql without search.
SELECT * EXCLUDE (search)
FROM list_cache
WHERE ($include_all OR has_signal)
  AND ($only_pupil IS NULL OR pupil_key = $only_pupil)
  AND len(list_filter($words, lambda w: NOT contains(search, w))) = 0
ORDER BY position
LIMIT $limit OFFSET $offset;
