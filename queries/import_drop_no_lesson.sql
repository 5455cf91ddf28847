-- Remove the staged rows on a day or half-day without lessons (see import_no_lesson_count):
-- they are never stored or counted. Needs: staged, lesson_days.
DELETE FROM staged AS s
WHERE s.date NOT IN (SELECT date FROM lesson_days)
   OR (s.halfday = 'NM' AND s.date IN (SELECT date FROM lesson_days WHERE halfdays = 1));
