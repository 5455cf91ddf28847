-- The first staged row with a problem. Columns: line, problem, problem_value.
SELECT line, problem, problem_value FROM staged WHERE problem IS NOT NULL ORDER BY line LIMIT 1;
