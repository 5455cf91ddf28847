-- Follow-up decisions about one pupil from earlier minutes, newest meeting first.
-- Parameters: $pupil_key (VARCHAR).
-- Columns: meeting_date, phase, pivot_person, next_review.
SELECT meeting_date, phase, pivot_person, next_review
FROM reviews
WHERE pupil_key = $pupil_key
ORDER BY meeting_date DESC, minutes_file DESC;
