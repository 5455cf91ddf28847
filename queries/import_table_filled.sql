-- Whether absences, halfdays and pupils hold any row (an empty one skips the steps that
-- replace stored rows). Columns: absences, halfdays, pupils (BOOLEAN).
SELECT EXISTS (FROM absences) AS absences, EXISTS (FROM halfdays) AS halfdays, EXISTS (FROM pupils) AS pupils;
