-- load "Samples/data/hdx/\u{2A}.csv" as acled: the queries below read the table `acled` (create it with --schema)

-- chart column title "Fatalities a month, Burkina Faso, Mali …": drawn by conflictql from the rows of this query, not by SQL
WITH _cq_s0 AS (SELECT `file`, `event_id_cnty`, `event_date`, `year`, `event_type`, `sub_event_type`, `actor1`, `actor2`, `country`, `admin1`, `admin2`, `location`, `latitude`, `longitude`, `source`, `notes`, `fatalities`, `iso`, ROW_NUMBER() OVER () AS `_cq_row` FROM `acled`),
_cq_s1 AS (SELECT DATE_TRUNC(`event_date`, MONTH) AS `k0`, CAST(SUM(CAST(`fatalities` AS NUMERIC)) AS INT64) AS `a0`, MIN(`_cq_row`) AS `_cq_row` FROM _cq_s0 GROUP BY 1),
_cq_s2 AS (SELECT `k0` AS `month`, `a0` AS `fatalities`, `_cq_row` FROM _cq_s1)
SELECT `month`, `fatalities` FROM _cq_s2 ORDER BY `_cq_row`;

-- chart line title "Fatalities a month by country": drawn by conflictql from the rows of this query, not by SQL
WITH _cq_s3 AS (SELECT `file`, `event_id_cnty`, `event_date`, `year`, `event_type`, `sub_event_type`, `actor1`, `actor2`, `country`, `admin1`, `admin2`, `location`, `latitude`, `longitude`, `source`, `notes`, `fatalities`, `iso`, ROW_NUMBER() OVER () AS `_cq_row` FROM `acled`),
_cq_s4 AS (SELECT DATE_TRUNC(`event_date`, MONTH) AS `k0`, `country` AS `k1`, CAST(SUM(CAST(`fatalities` AS NUMERIC)) AS INT64) AS `a0`, MIN(`_cq_row`) AS `_cq_row` FROM _cq_s3 GROUP BY 1, 2),
_cq_s5 AS (SELECT `k0` AS `month`, `k1` AS `country`, `a0` AS `fatalities`, `_cq_row` FROM _cq_s4)
SELECT `month`, `country`, `fatalities` FROM _cq_s5 ORDER BY `_cq_row`;

-- chart bar title "Fatalities by first actor": drawn by conflictql from the rows of this query, not by SQL
WITH _cq_s6 AS (SELECT `file`, `event_id_cnty`, `event_date`, `year`, `event_type`, `sub_event_type`, `actor1`, `actor2`, `country`, `admin1`, `admin2`, `location`, `latitude`, `longitude`, `source`, `notes`, `fatalities`, `iso`, ROW_NUMBER() OVER () AS `_cq_row` FROM `acled`),
_cq_s7 AS (SELECT `actor1` AS `k0`, CAST(SUM(CAST(`fatalities` AS NUMERIC)) AS INT64) AS `a0`, MIN(`_cq_row`) AS `_cq_row` FROM _cq_s6 GROUP BY 1),
_cq_s8 AS (SELECT `k0` AS `actor`, `a0` AS `fatalities`, `_cq_row` FROM _cq_s7),
_cq_s9 AS (SELECT `actor`, `fatalities`, ROW_NUMBER() OVER (ORDER BY `fatalities` DESC NULLS LAST, `_cq_row`) AS `_cq_row` FROM _cq_s8),
_cq_s10 AS (SELECT `actor`, `fatalities`, `_cq_row` FROM _cq_s9 ORDER BY `_cq_row` LIMIT 8)
SELECT `actor`, `fatalities` FROM _cq_s10 ORDER BY `_cq_row`;

-- chart histogram: drawn by conflictql from the rows of this query, not by SQL
WITH _cq_s11 AS (SELECT `file`, `event_id_cnty`, `event_date`, `year`, `event_type`, `sub_event_type`, `actor1`, `actor2`, `country`, `admin1`, `admin2`, `location`, `latitude`, `longitude`, `source`, `notes`, `fatalities`, `iso`, ROW_NUMBER() OVER () AS `_cq_row` FROM `acled`),
_cq_s12 AS (SELECT `fatalities` AS `fatalities`, `_cq_row` FROM _cq_s11)
SELECT `fatalities` FROM _cq_s12 ORDER BY `_cq_row`;

-- chart pie title "Events by type": drawn by conflictql from the rows of this query, not by SQL
WITH _cq_s13 AS (SELECT `file`, `event_id_cnty`, `event_date`, `year`, `event_type`, `sub_event_type`, `actor1`, `actor2`, `country`, `admin1`, `admin2`, `location`, `latitude`, `longitude`, `source`, `notes`, `fatalities`, `iso`, ROW_NUMBER() OVER () AS `_cq_row` FROM `acled`),
_cq_s14 AS (SELECT `event_type` AS `k0`, COUNT(*) AS `a0`, MIN(`_cq_row`) AS `_cq_row` FROM _cq_s13 GROUP BY 1),
_cq_s15 AS (SELECT `k0` AS `event_type`, `a0` AS `events`, `_cq_row` FROM _cq_s14)
SELECT `event_type`, `events` FROM _cq_s15 ORDER BY `_cq_row`;

-- chart column title "Fatalities a year": drawn by conflictql from the rows of this query, not by SQL
WITH _cq_s16 AS (SELECT `file`, `event_id_cnty`, `event_date`, `year`, `event_type`, `sub_event_type`, `actor1`, `actor2`, `country`, `admin1`, `admin2`, `location`, `latitude`, `longitude`, `source`, `notes`, `fatalities`, `iso`, ROW_NUMBER() OVER () AS `_cq_row` FROM `acled`),
_cq_s17 AS (SELECT DATE_TRUNC(`event_date`, YEAR) AS `k0`, CAST(SUM(CAST(`fatalities` AS NUMERIC)) AS INT64) AS `a0`, MIN(`_cq_row`) AS `_cq_row` FROM _cq_s16 GROUP BY 1),
_cq_s18 AS (SELECT `k0` AS `year`, `a0` AS `fatalities`, `_cq_row` FROM _cq_s17)
SELECT `year`, `fatalities` FROM _cq_s18 ORDER BY `_cq_row`;
