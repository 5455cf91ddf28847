-- Drop the rolled-up half-days of the pupils in `incoming`, before they are rebuilt.
DELETE FROM halfdays WHERE pupil_key IN (SELECT DISTINCT pupil_key FROM incoming);
