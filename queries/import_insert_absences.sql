-- Store the incoming records. Parameters: $import_id (INTEGER).
INSERT INTO absences
SELECT pupil_key, date, halfday, lesson_hour, raw_code, code, category, note, $import_id
FROM incoming;
