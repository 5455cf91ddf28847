-- Pupils of the stored list whose follow-up is due (they join the meeting's agenda).
-- Parameters: none. Columns: pupil_key, pupil_id.
SELECT pupil_key, pupil_id FROM list_cache WHERE s_review_due ORDER BY position;
