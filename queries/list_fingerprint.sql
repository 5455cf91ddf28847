-- What the prioritised list depends on in the database, as numbers that change when that
-- data changes: imports (absences, their lesson-hour roll-ups, pupils), team flags, and the
-- indexed minutes (reviews, agreements). Part of the list cache's key (tui/list_cache.py). One row per part (a UNION:
-- planned and run as one statement, at about half the cost of seven scalar subqueries).
-- Parameters: none. Columns: part, value.
SELECT 'pupils' AS part, count(*)::VARCHAR AS value FROM pupils
UNION ALL SELECT 'absences', count(*)::VARCHAR FROM absences
UNION ALL SELECT 'halfday_hours', count(*)::VARCHAR FROM halfday_hours
UNION ALL SELECT 'imports', count(*) || ':' || coalesce(max(import_id), 0) FROM imports
UNION ALL SELECT 'team_flags', count(*) || ':' || coalesce(sum(hash(f)), 0) FROM team_flags AS f
UNION ALL SELECT 'reviews', count(*) || ':' || coalesce(sum(hash(r)), 0) FROM reviews AS r
UNION ALL SELECT 'agreements', count(*) || ':' || coalesce(sum(hash(a)), 0) FROM agreements AS a;
