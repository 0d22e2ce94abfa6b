-- load "Samples/data/hdx/conflict_data_mli.csv" as mali: the queries below read the table `mali` (create it with --schema)

SELECT 'event_id_cnty' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`event_id_cnty`) AS `nulls`, '#event+code' AS `hxl` FROM `mali`
UNION ALL SELECT 'event_date' AS `column`, 'Date' AS `type`, COUNT(*) - COUNT(`event_date`) AS `nulls`, '#date+occurred' AS `hxl` FROM `mali`
UNION ALL SELECT 'year' AS `column`, 'Int' AS `type`, COUNT(*) - COUNT(`year`) AS `nulls`, '#date+year' AS `hxl` FROM `mali`
UNION ALL SELECT 'event_type' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`event_type`) AS `nulls`, '#event+type' AS `hxl` FROM `mali`
UNION ALL SELECT 'sub_event_type' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`sub_event_type`) AS `nulls`, '#event+type+sub' AS `hxl` FROM `mali`
UNION ALL SELECT 'actor1' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`actor1`) AS `nulls`, '#group+name+first' AS `hxl` FROM `mali`
UNION ALL SELECT 'actor2' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`actor2`) AS `nulls`, '#group+name+second' AS `hxl` FROM `mali`
UNION ALL SELECT 'country' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`country`) AS `nulls`, '#country+name' AS `hxl` FROM `mali`
UNION ALL SELECT 'admin1' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`admin1`) AS `nulls`, '#adm1+name' AS `hxl` FROM `mali`
UNION ALL SELECT 'admin2' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`admin2`) AS `nulls`, '#adm2+name' AS `hxl` FROM `mali`
UNION ALL SELECT 'location' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`location`) AS `nulls`, '#loc+name' AS `hxl` FROM `mali`
UNION ALL SELECT 'latitude' AS `column`, 'Float' AS `type`, COUNT(*) - COUNT(`latitude`) AS `nulls`, '#geo+lat' AS `hxl` FROM `mali`
UNION ALL SELECT 'longitude' AS `column`, 'Float' AS `type`, COUNT(*) - COUNT(`longitude`) AS `nulls`, '#geo+lon' AS `hxl` FROM `mali`
UNION ALL SELECT 'source' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`source`) AS `nulls`, '#meta+source' AS `hxl` FROM `mali`
UNION ALL SELECT 'notes' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`notes`) AS `nulls`, '#description' AS `hxl` FROM `mali`
UNION ALL SELECT 'fatalities' AS `column`, 'Int' AS `type`, COUNT(*) - COUNT(`fatalities`) AS `nulls`, '#affected+killed' AS `hxl` FROM `mali`
UNION ALL SELECT 'iso' AS `column`, 'Int' AS `type`, COUNT(*) - COUNT(`iso`) AS `nulls`, '#country+code' AS `hxl` FROM `mali`;

WITH _cq_s0 AS (SELECT `event_id_cnty`, `event_date`, `year`, `event_type`, `sub_event_type`, `actor1`, `actor2`, `country`, `admin1`, `admin2`, `location`, `latitude`, `longitude`, `source`, `notes`, `fatalities`, `iso`, ROW_NUMBER() OVER () AS `_cq_row` FROM `mali`),
_cq_s1 AS (SELECT `year` AS `k0`, COUNT(*) AS `a0`, CAST(SUM(CAST(`fatalities` AS NUMERIC)) AS INT64) AS `a1`, COUNT(DISTINCT `admin1`) AS `a2`, MIN(`_cq_row`) AS `_cq_row` FROM _cq_s0 GROUP BY 1),
_cq_s2 AS (SELECT `k0` AS `year`, `a0` AS `events`, `a1` AS `fatalities`, `a2` AS `regions`, `_cq_row` FROM _cq_s1),
_cq_s3 AS (SELECT `year`, `events`, `fatalities`, `regions`, ROW_NUMBER() OVER (ORDER BY `year` ASC NULLS LAST, `_cq_row`) AS `_cq_row` FROM _cq_s2)
SELECT `year`, `events`, `fatalities`, `regions` FROM _cq_s3 ORDER BY `_cq_row`;

WITH _cq_s4 AS (SELECT `event_id_cnty`, `event_date`, `year`, `event_type`, `sub_event_type`, `actor1`, `actor2`, `country`, `admin1`, `admin2`, `location`, `latitude`, `longitude`, `source`, `notes`, `fatalities`, `iso`, ROW_NUMBER() OVER () AS `_cq_row` FROM `mali`),
_cq_s5 AS (SELECT `admin1` AS `k0`, CAST(SUM(CAST(`fatalities` AS NUMERIC)) AS INT64) AS `a0`, AVG(CAST(`latitude` AS FLOAT64)) AS `a1`, AVG(CAST(`longitude` AS FLOAT64)) AS `a2`, MIN(`_cq_row`) AS `_cq_row` FROM _cq_s4 GROUP BY 1),
_cq_s6 AS (SELECT `k0` AS `admin1`, `a0` AS `fatalities`, round(`a1`, 2) AS `latitude`, round(`a2`, 2) AS `longitude`, `_cq_row` FROM _cq_s5),
_cq_s7 AS (SELECT `admin1`, `fatalities`, `latitude`, `longitude`, ROW_NUMBER() OVER (ORDER BY `fatalities` DESC NULLS LAST, `_cq_row`) AS `_cq_row` FROM _cq_s6),
_cq_s8 AS (SELECT `admin1`, `fatalities`, `latitude`, `longitude`, `_cq_row` FROM _cq_s7 ORDER BY `_cq_row` LIMIT 3)
SELECT `admin1`, `fatalities`, `latitude`, `longitude` FROM _cq_s8 ORDER BY `_cq_row`;

-- load "Samples/data/hdx/conflict_data_*.csv" as sahel: the queries below read the table `sahel` (create it with --schema)

WITH _cq_s9 AS (SELECT `file`, `event_id_cnty`, `event_date`, `year`, `event_type`, `sub_event_type`, `actor1`, `actor2`, `country`, `admin1`, `admin2`, `location`, `latitude`, `longitude`, `source`, `notes`, `fatalities`, `iso`, ROW_NUMBER() OVER () AS `_cq_row` FROM `sahel`),
_cq_s10 AS (SELECT `country` AS `k0`, `year` AS `k1`, COUNT(*) AS `a0`, CAST(SUM(CAST(`fatalities` AS NUMERIC)) AS INT64) AS `a1`, MIN(`_cq_row`) AS `_cq_row` FROM _cq_s9 GROUP BY 1, 2),
_cq_s11 AS (SELECT `k0` AS `country`, `k1` AS `year`, `a0` AS `events`, `a1` AS `fatalities`, `_cq_row` FROM _cq_s10),
_cq_s12 AS (SELECT `country`, `year`, `events`, `fatalities`, ROW_NUMBER() OVER (ORDER BY `country` ASC NULLS LAST, `year` ASC NULLS LAST, `_cq_row`) AS `_cq_row` FROM _cq_s11)
SELECT `country`, `year`, `events`, `fatalities` FROM _cq_s12 ORDER BY `_cq_row`;

SELECT 'file' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`file`) AS `nulls`, CAST(NULL AS STRING) AS `hxl` FROM `sahel`
UNION ALL SELECT 'event_id_cnty' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`event_id_cnty`) AS `nulls`, '#event+code' AS `hxl` FROM `sahel`
UNION ALL SELECT 'event_date' AS `column`, 'Date' AS `type`, COUNT(*) - COUNT(`event_date`) AS `nulls`, '#date+occurred' AS `hxl` FROM `sahel`
UNION ALL SELECT 'year' AS `column`, 'Int' AS `type`, COUNT(*) - COUNT(`year`) AS `nulls`, '#date+year' AS `hxl` FROM `sahel`
UNION ALL SELECT 'event_type' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`event_type`) AS `nulls`, '#event+type' AS `hxl` FROM `sahel`
UNION ALL SELECT 'sub_event_type' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`sub_event_type`) AS `nulls`, '#event+type+sub' AS `hxl` FROM `sahel`
UNION ALL SELECT 'actor1' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`actor1`) AS `nulls`, '#group+name+first' AS `hxl` FROM `sahel`
UNION ALL SELECT 'actor2' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`actor2`) AS `nulls`, '#group+name+second' AS `hxl` FROM `sahel`
UNION ALL SELECT 'country' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`country`) AS `nulls`, '#country+name' AS `hxl` FROM `sahel`
UNION ALL SELECT 'admin1' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`admin1`) AS `nulls`, '#adm1+name' AS `hxl` FROM `sahel`
UNION ALL SELECT 'admin2' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`admin2`) AS `nulls`, '#adm2+name' AS `hxl` FROM `sahel`
UNION ALL SELECT 'location' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`location`) AS `nulls`, '#loc+name' AS `hxl` FROM `sahel`
UNION ALL SELECT 'latitude' AS `column`, 'Float' AS `type`, COUNT(*) - COUNT(`latitude`) AS `nulls`, '#geo+lat' AS `hxl` FROM `sahel`
UNION ALL SELECT 'longitude' AS `column`, 'Float' AS `type`, COUNT(*) - COUNT(`longitude`) AS `nulls`, '#geo+lon' AS `hxl` FROM `sahel`
UNION ALL SELECT 'source' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`source`) AS `nulls`, '#meta+source' AS `hxl` FROM `sahel`
UNION ALL SELECT 'notes' AS `column`, 'String' AS `type`, COUNT(*) - COUNT(`notes`) AS `nulls`, '#description' AS `hxl` FROM `sahel`
UNION ALL SELECT 'fatalities' AS `column`, 'Int' AS `type`, COUNT(*) - COUNT(`fatalities`) AS `nulls`, '#affected+killed' AS `hxl` FROM `sahel`
UNION ALL SELECT 'iso' AS `column`, 'Int' AS `type`, COUNT(*) - COUNT(`iso`) AS `nulls`, '#country+code' AS `hxl` FROM `sahel`;
