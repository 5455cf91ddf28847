-- What the incoming records hold (one pass). Columns: records, pupils, first_date, last_date.
SELECT count(*) AS records, count(DISTINCT pupil_key) AS pupils, min(date) AS first_date, max(date) AS last_date
FROM incoming;
