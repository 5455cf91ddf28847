-- Index per-pupil decisions read from the minutes. Needs: minutes_reviews(pupil_ref,
-- meeting_date, minutes_file, next_review, phase, pivot).
INSERT INTO reviews
SELECT coalesce(p.pupil_key, r.pupil_ref), r.meeting_date, r.minutes_file, r.next_review, r.phase, r.pivot
FROM minutes_reviews AS r
LEFT JOIN pupils AS p ON p.pupil_id = r.pupil_ref;
