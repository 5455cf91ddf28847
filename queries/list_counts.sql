-- Counts for the list's header: pupils matching the filter (with a signal unless
-- $include_all), pupils with a signal, all pupils.
-- Parameters: $include_all (BOOLEAN), $words (VARCHAR[], as in list_page.sql).
-- Columns: found, with_signal, pupils.
SELECT count(*) FILTER (WHERE ($include_all OR has_signal)
                          AND len(list_filter($words, lambda w: NOT contains(search, w))) = 0) AS found,
       count(*) FILTER (WHERE has_signal) AS with_signal,
       count(*) AS pupils
FROM list_cache;
