-- What the prioritised list depends on in the database, as numbers that change when that
-- data changes: imports (absences, pupils), team flags, and the indexed minutes (reviews,
-- agreements). Part of the list cache's key (tui/signals.py). Parameters: none.
-- Columns: pupils, halfdays, imports, last_import, team_flags, reviews, agreements.
SELECT (SELECT count(*) FROM pupils) AS pupils,
       (SELECT count(*) FROM halfdays) AS halfdays,
       (SELECT count(*) FROM imports) AS imports,
       (SELECT coalesce(max(import_id), 0) FROM imports) AS last_import,
       (SELECT count(*) || ':' || coalesce(sum(hash(f)), 0) FROM team_flags AS f) AS team_flags,
       (SELECT count(*) || ':' || coalesce(sum(hash(r)), 0) FROM reviews AS r) AS reviews,
       (SELECT count(*) || ':' || coalesce(sum(hash(a)), 0) FROM agreements AS a) AS agreements;
