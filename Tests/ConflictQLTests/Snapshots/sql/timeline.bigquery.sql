WITH _cq_s0 AS (SELECT `date`, `date_qualifier`, `event`, `actors`, `source`, `recorded_date`, `record_note`, `record_source`, ROW_NUMBER() OVER () AS `_cq_row` FROM `timeline`),
_cq_s1 AS (SELECT CAST(EXTRACT(YEAR FROM `date`) AS INT64) AS `k0`, COUNT(*) AS `a0`, MIN(`date`) AS `a1`, MIN(`_cq_row`) AS `_cq_row` FROM _cq_s0 GROUP BY 1),
_cq_s2 AS (SELECT `k0` AS `year`, `a0` AS `events`, `a1` AS `first`, `_cq_row` FROM _cq_s1),
_cq_s3 AS (SELECT `year`, `events`, `first`, ROW_NUMBER() OVER (ORDER BY `year` ASC NULLS LAST, `_cq_row`) AS `_cq_row` FROM _cq_s2)
SELECT `year`, `events`, `first` FROM _cq_s3 ORDER BY `_cq_row`;

WITH _cq_s4 AS (SELECT `date`, `date_qualifier`, `event`, `actors`, `source`, `recorded_date`, `record_note`, `record_source`, ROW_NUMBER() OVER () AS `_cq_row` FROM `timeline`),
_cq_s5 AS (SELECT `date`, `date_qualifier`, `event`, `actors`, `source`, `recorded_date`, `record_note`, `record_source`, `_cq_row` FROM _cq_s4 WHERE (CAST(EXTRACT(YEAR FROM `date`) AS INT64) = 2013)),
_cq_s6 AS (SELECT `date` AS `date`, `date_qualifier` AS `date_qualifier`, `event` AS `event`, `_cq_row` FROM _cq_s5)
SELECT `date`, `date_qualifier`, `event` FROM _cq_s6 ORDER BY `_cq_row`;

WITH _cq_s7 AS (SELECT `date`, `date_qualifier`, `event`, `actors`, `source`, `recorded_date`, `record_note`, `record_source`, ROW_NUMBER() OVER () AS `_cq_row` FROM `timeline`),
_cq_s8 AS (SELECT t.`date`, t.`date_qualifier`, t.`event`, t.`actors`, t.`source`, t.`recorded_date`, t.`record_note`, t.`record_source`, `_cq_element` AS `actor`, ROW_NUMBER() OVER (ORDER BY t.`_cq_row`, `_cq_position`) AS `_cq_row` FROM _cq_s7 AS t CROSS JOIN UNNEST(t.`actors`) AS `_cq_element` WITH OFFSET AS `_cq_position`),
_cq_s9 AS (SELECT `actor`, MIN(`_cq_row`) AS `_cq_row` FROM _cq_s8 GROUP BY `actor`),
_cq_s10 AS (SELECT `name`, `abbrev`, `category`, `kind`, `designation`, `designated_by`, `designated_year`, `founded`, `affiliation`, `area`, `aims`, `targets`, `notes`, `source`, ROW_NUMBER() OVER () AS `_cq_row` FROM `groups`),
_cq_s11 AS (SELECT `name` AS `name`, `designation` AS `designation`, `_cq_row` FROM _cq_s10),
_cq_s12 AS (SELECT l.`actor`, r.`name` AS `name`, r.`designation` AS `designation`, ROW_NUMBER() OVER (ORDER BY l.`_cq_row`, r.`_cq_row`) AS `_cq_row` FROM _cq_s9 AS l LEFT JOIN _cq_s11 AS r ON l.`actor` = r.`name`),
_cq_s13 AS (SELECT `actor`, `name`, `designation`, ROW_NUMBER() OVER (ORDER BY `actor` ASC NULLS LAST, `_cq_row`) AS `_cq_row` FROM _cq_s12)
SELECT `actor`, `name`, `designation` FROM _cq_s13 ORDER BY `_cq_row`;
