-- Whether the data holds any half-day of the school year before this one (m_data_last_year of
-- prioritised_pupils.sql: the same for every pupil, so a change to it recomputes the whole list).
-- Parameters: $last_year_start, $year_start (DATE). Columns: data_last_year.
SELECT EXISTS (SELECT 1 FROM halfdays WHERE date >= $last_year_start AND date < $year_start) AS data_last_year;
