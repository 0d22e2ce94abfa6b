-- load "Samples/data/hdx/conflict_data_*.csv" as sahel: the queries below read the table `sahel` (create it with --schema)

WITH _cq_s0 AS (SELECT `file`, `event_id_cnty`, `event_date`, `year`, `event_type`, `sub_event_type`, `actor1`, `actor2`, `country`, `admin1`, `admin2`, `location`, `latitude`, `longitude`, `source`, `notes`, `fatalities`, `iso`, monotonically_increasing_id() AS `_cq_row` FROM `sahel`),
_cq_s1 AS (SELECT `file`, `event_id_cnty`, `event_date`, `year`, `event_type`, `sub_event_type`, `actor1`, `actor2`, `country`, `admin1`, `admin2`, `location`, `latitude`, `longitude`, `source`, `notes`, `fatalities`, `iso`, `_cq_row` FROM _cq_s0 WHERE (CASE WHEN `latitude` BETWEEN -90 AND 90 AND `longitude` BETWEEN -180 AND 180 AND CAST(16.27167 AS DOUBLE) BETWEEN -90 AND 90 AND CAST(-0.04472 AS DOUBLE) BETWEEN -180 AND 180 THEN ((2 * 6371.0088 * ASIN(SQRT(LEAST(1, SIN((CAST(16.27167 AS DOUBLE) - `latitude`) * ACOS(-1) / 180 / 2) * SIN((CAST(16.27167 AS DOUBLE) - `latitude`) * ACOS(-1) / 180 / 2) + COS((`latitude`) * ACOS(-1) / 180) * COS((CAST(16.27167 AS DOUBLE)) * ACOS(-1) / 180) * (SIN((CAST(-0.04472 AS DOUBLE) - `longitude`) * ACOS(-1) / 180 / 2) * SIN((CAST(-0.04472 AS DOUBLE) - `longitude`) * ACOS(-1) / 180 / 2)))))) <= CAST(100.0 AS DOUBLE)) END)),
_cq_s2 AS (SELECT `year` AS `k0`, COUNT(*) AS `a0`, CAST(SUM(CAST(`fatalities` AS DECIMAL(38, 0))) AS BIGINT) AS `a1`, MIN(`_cq_row`) AS `_cq_row` FROM _cq_s1 GROUP BY 1),
_cq_s3 AS (SELECT `k0` AS `year`, `a0` AS `events`, `a1` AS `fatalities`, `_cq_row` FROM _cq_s2),
_cq_s4 AS (SELECT `year`, `events`, `fatalities`, ROW_NUMBER() OVER (ORDER BY `year` ASC NULLS LAST, `_cq_row`) AS `_cq_row` FROM _cq_s3)
SELECT `year`, `events`, `fatalities` FROM _cq_s4 ORDER BY `_cq_row`;

WITH _cq_s5 AS (SELECT `file`, `event_id_cnty`, `event_date`, `year`, `event_type`, `sub_event_type`, `actor1`, `actor2`, `country`, `admin1`, `admin2`, `location`, `latitude`, `longitude`, `source`, `notes`, `fatalities`, `iso`, monotonically_increasing_id() AS `_cq_row` FROM `sahel`),
_cq_s6 AS (SELECT `file`, `event_id_cnty`, `event_date`, `year`, `event_type`, `sub_event_type`, `actor1`, `actor2`, `country`, `admin1`, `admin2`, `location`, `latitude`, `longitude`, `source`, `notes`, `fatalities`, `iso`, (CASE WHEN `latitude` BETWEEN -90 AND 90 AND `longitude` BETWEEN -180 AND 180 AND CAST(12.60915 AS DOUBLE) BETWEEN -90 AND 90 AND CAST(-7.97522 AS DOUBLE) BETWEEN -180 AND 180 THEN (2 * 6371.0088 * ASIN(SQRT(LEAST(1, SIN((CAST(12.60915 AS DOUBLE) - `latitude`) * ACOS(-1) / 180 / 2) * SIN((CAST(12.60915 AS DOUBLE) - `latitude`) * ACOS(-1) / 180 / 2) + COS((`latitude`) * ACOS(-1) / 180) * COS((CAST(12.60915 AS DOUBLE)) * ACOS(-1) / 180) * (SIN((CAST(-7.97522 AS DOUBLE) - `longitude`) * ACOS(-1) / 180 / 2) * SIN((CAST(-7.97522 AS DOUBLE) - `longitude`) * ACOS(-1) / 180 / 2)))))) END) AS `km`, `_cq_row` FROM _cq_s5),
_cq_s7 AS (SELECT `country` AS `k0`, COUNT(*) AS `a0`, AVG(CAST(`km` AS DOUBLE)) AS `a1`, MAX(`km`) AS `a2`, MIN(`_cq_row`) AS `_cq_row` FROM _cq_s6 GROUP BY 1),
_cq_s8 AS (SELECT `k0` AS `country`, `a0` AS `events`, round(`a1`, 0) AS `mean_km`, round(`a2`, 0) AS `farthest_km`, `_cq_row` FROM _cq_s7)
SELECT `country`, `events`, `mean_km`, `farthest_km` FROM _cq_s8 ORDER BY `_cq_row`;

-- Samples/where.cq:22: not compiled: country_of() (a lookup in the country outlines ConflictQL ships; join a table of regions instead) cannot be expressed in spark SQL

-- chart map title "Events with fatalities, 2018 to 2023 (m…": drawn by conflictql from the rows of this query, not by SQL
WITH _cq_s10 AS (SELECT `file`, `event_id_cnty`, `event_date`, `year`, `event_type`, `sub_event_type`, `actor1`, `actor2`, `country`, `admin1`, `admin2`, `location`, `latitude`, `longitude`, `source`, `notes`, `fatalities`, `iso`, monotonically_increasing_id() AS `_cq_row` FROM `sahel`),
_cq_s11 AS (SELECT `file`, `event_id_cnty`, `event_date`, `year`, `event_type`, `sub_event_type`, `actor1`, `actor2`, `country`, `admin1`, `admin2`, `location`, `latitude`, `longitude`, `source`, `notes`, `fatalities`, `iso`, `_cq_row` FROM _cq_s10 WHERE (`fatalities` > 0)),
_cq_s12 AS (SELECT `latitude` AS `latitude`, `longitude` AS `longitude`, `fatalities` AS `fatalities`, `location` AS `location`, `_cq_row` FROM _cq_s11)
SELECT `latitude`, `longitude`, `fatalities`, `location` FROM _cq_s12 ORDER BY `_cq_row`;

-- chart map title "Fatalities by region (at the mean of it…": drawn by conflictql from the rows of this query, not by SQL
WITH _cq_s13 AS (SELECT `file`, `event_id_cnty`, `event_date`, `year`, `event_type`, `sub_event_type`, `actor1`, `actor2`, `country`, `admin1`, `admin2`, `location`, `latitude`, `longitude`, `source`, `notes`, `fatalities`, `iso`, monotonically_increasing_id() AS `_cq_row` FROM `sahel`),
_cq_s14 AS (SELECT `admin1` AS `k0`, CAST(SUM(CAST(`fatalities` AS DECIMAL(38, 0))) AS BIGINT) AS `a0`, AVG(CAST(`latitude` AS DOUBLE)) AS `a1`, AVG(CAST(`longitude` AS DOUBLE)) AS `a2`, MIN(`_cq_row`) AS `_cq_row` FROM _cq_s13 GROUP BY 1),
_cq_s15 AS (SELECT `k0` AS `admin1`, `a0` AS `fatalities`, `a1` AS `latitude`, `a2` AS `longitude`, `_cq_row` FROM _cq_s14)
SELECT `admin1`, `fatalities`, `latitude`, `longitude` FROM _cq_s15 ORDER BY `_cq_row`;

-- Samples/where.cq:40: not compiled: admin_of() (a point-in-polygon lookup in the region outlines ConflictQL ships, which plain SQL cannot say; join a table of regions instead) cannot be expressed in spark SQL

-- chart map title "Fatalities by PRIO-GRID cell": drawn by conflictql from the rows of this query, not by SQL
WITH _cq_s17 AS (SELECT `file`, `event_id_cnty`, `event_date`, `year`, `event_type`, `sub_event_type`, `actor1`, `actor2`, `country`, `admin1`, `admin2`, `location`, `latitude`, `longitude`, `source`, `notes`, `fatalities`, `iso`, monotonically_increasing_id() AS `_cq_row` FROM `sahel`),
_cq_s18 AS (SELECT (CASE WHEN `latitude` BETWEEN -90 AND 90 AND `longitude` BETWEEN -180 AND 180 THEN (CAST(LEAST(359, FLOOR(`latitude` * 2) + 180) AS BIGINT) * 720 + CAST(LEAST(719, FLOOR(`longitude` * 2) + 360) AS BIGINT) + 1) END) AS `k0`, CAST(SUM(CAST(`fatalities` AS DECIMAL(38, 0))) AS BIGINT) AS `a0`, MIN(`_cq_row`) AS `_cq_row` FROM _cq_s17 GROUP BY 1),
_cq_s19 AS (SELECT `k0` AS `priogrid`, `a0` AS `fatalities`, `_cq_row` FROM _cq_s18)
SELECT `priogrid`, `fatalities` FROM _cq_s19 ORDER BY `_cq_row`;

-- chart scatter title "Events against fatalities, by region": drawn by conflictql from the rows of this query, not by SQL
WITH _cq_s20 AS (SELECT `file`, `event_id_cnty`, `event_date`, `year`, `event_type`, `sub_event_type`, `actor1`, `actor2`, `country`, `admin1`, `admin2`, `location`, `latitude`, `longitude`, `source`, `notes`, `fatalities`, `iso`, monotonically_increasing_id() AS `_cq_row` FROM `sahel`),
_cq_s21 AS (SELECT `admin1` AS `k0`, `country` AS `k1`, COUNT(*) AS `a0`, CAST(SUM(CAST(`fatalities` AS DECIMAL(38, 0))) AS BIGINT) AS `a1`, MIN(`_cq_row`) AS `_cq_row` FROM _cq_s20 GROUP BY 1, 2),
_cq_s22 AS (SELECT `k0` AS `admin1`, `k1` AS `country`, `a0` AS `events`, `a1` AS `fatalities`, `_cq_row` FROM _cq_s21),
_cq_s23 AS (SELECT `events` AS `events`, `fatalities` AS `fatalities`, `country` AS `country`, `_cq_row` FROM _cq_s22)
SELECT `events`, `fatalities`, `country` FROM _cq_s23 ORDER BY `_cq_row`;
