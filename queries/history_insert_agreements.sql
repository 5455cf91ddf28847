-- Index agreements read from the minutes. Needs: minutes_actions(pupil_ref, agreement_id,
-- meeting_date, seen_at, minutes_file, what, who, due, done): one row per agreement (its newest
-- record, chosen in zorgoverleg.history), where meeting_date is the meeting that first agreed it
-- and seen_at the meeting that recorded it. pupil_ref is an export id or a pupil_key.
INSERT INTO agreements
SELECT coalesce(p.pupil_key, a.pupil_ref), a.meeting_date, a.minutes_file, a.what, a.who, a.due, a.done
FROM (
    SELECT * FROM minutes_actions
    QUALIFY row_number() OVER (PARTITION BY pupil_ref, agreement_id ORDER BY seen_at DESC, minutes_file DESC) = 1
) AS a
LEFT JOIN pupils AS p ON p.pupil_id = a.pupil_ref;
