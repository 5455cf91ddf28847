-- Whether absences, halfday_hours and pupils hold any row (an empty one skips the steps that
-- replace stored rows). Columns: absences, hours, pupils (BOOLEAN).
SELECT EXISTS (FROM absences) AS absences, EXISTS (FROM halfday_hours) AS hours, EXISTS (FROM pupils) AS pupils;
