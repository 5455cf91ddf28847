-- Agreements about one pupil from earlier minutes, newest meeting first.
-- Parameters: $pupil_key (VARCHAR).
-- Columns: meeting_date, what, who, due, done.
SELECT meeting_date, what, who, due, done
FROM agreements
WHERE pupil_key = $pupil_key
ORDER BY meeting_date DESC, due NULLS LAST, what;
