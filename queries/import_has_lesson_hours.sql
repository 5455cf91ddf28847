-- Whether the incoming records hold any lesson-hour record (then the touched half-days are
-- rolled up again with halfdays_rebuild_touched). Columns: n (BIGINT).
SELECT count(*) AS n FROM incoming WHERE lesson_hour > 0;
