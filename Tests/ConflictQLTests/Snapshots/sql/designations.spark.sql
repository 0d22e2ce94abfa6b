WITH _cq_s0 AS (SELECT `name`, `abbrev`, `category`, `kind`, `designation`, `designated_by`, `designated_year`, `founded`, `affiliation`, `area`, `aims`, `targets`, `notes`, `source`, monotonically_increasing_id() AS `_cq_row` FROM `groups`),
_cq_s1 AS (SELECT t.`name`, t.`abbrev`, t.`category`, t.`kind`, u.`_cq_element` AS `designation`, t.`designated_by`, t.`designated_year`, t.`founded`, t.`affiliation`, t.`area`, t.`aims`, t.`targets`, t.`notes`, t.`source`, ROW_NUMBER() OVER (ORDER BY t.`_cq_row`, u.`_cq_position`) AS `_cq_row` FROM _cq_s0 AS t LATERAL VIEW posexplode(t.`designation`) u AS `_cq_position`, `_cq_element`),
_cq_s2 AS (SELECT `designation` AS `designation`, `name` AS `name`, `designated_by` AS `designated_by`, `designated_year` AS `designated_year`, `_cq_row` FROM _cq_s1),
_cq_s3 AS (SELECT `designation`, `name`, `designated_by`, `designated_year`, ROW_NUMBER() OVER (ORDER BY `designation` ASC NULLS LAST, `name` ASC NULLS LAST, `_cq_row`) AS `_cq_row` FROM _cq_s2)
SELECT `designation`, `name`, `designated_by`, `designated_year` FROM _cq_s3 ORDER BY `_cq_row`;

WITH _cq_s4 AS (SELECT `name`, `abbrev`, `category`, `kind`, `designation`, `designated_by`, `designated_year`, `founded`, `affiliation`, `area`, `aims`, `targets`, `notes`, `source`, monotonically_increasing_id() AS `_cq_row` FROM `groups`),
_cq_s5 AS (SELECT `category` AS `k0`, COUNT(*) AS `a0`, COUNT(`designation`) AS `a1`, MIN(`_cq_row`) AS `_cq_row` FROM _cq_s4 GROUP BY 1),
_cq_s6 AS (SELECT `k0` AS `category`, `a0` AS `groups`, `a1` AS `designated`, `_cq_row` FROM _cq_s5)
SELECT `category`, `groups`, `designated` FROM _cq_s6 ORDER BY `_cq_row`;

WITH _cq_s7 AS (SELECT `name`, `abbrev`, `category`, `kind`, `designation`, `designated_by`, `designated_year`, `founded`, `affiliation`, `area`, `aims`, `targets`, `notes`, `source`, monotonically_increasing_id() AS `_cq_row` FROM `groups`),
_cq_s8 AS (SELECT `name`, `abbrev`, `category`, `kind`, `designation`, `designated_by`, `designated_year`, `founded`, `affiliation`, `area`, `aims`, `targets`, `notes`, `source`, `_cq_row` FROM _cq_s7 WHERE (CASE WHEN (instr(lower(`affiliation`), lower('qaeda')) > 0) IS NOT NULL AND (instr(lower(`affiliation`), lower('qaeda')) > 0) THEN TRUE ELSE ((instr(lower(`affiliation`), lower('qaeda')) > 0) OR (instr(lower(`name`), lower('qaeda')) > 0)) END)),
_cq_s9 AS (SELECT `abbrev` AS `abbrev`, `name` AS `name`, `affiliation` AS `affiliation`, `_cq_row` FROM _cq_s8)
SELECT `abbrev`, `name`, `affiliation` FROM _cq_s9 ORDER BY `_cq_row`;

WITH _cq_s10 AS (SELECT `name`, `abbrev`, `category`, `kind`, `designation`, `designated_by`, `designated_year`, `founded`, `affiliation`, `area`, `aims`, `targets`, `notes`, `source`, monotonically_increasing_id() AS `_cq_row` FROM `groups`),
_cq_s11 AS (SELECT `name`, `abbrev`, `category`, `kind`, `designation`, `designated_by`, `designated_year`, `founded`, `affiliation`, `area`, `aims`, `targets`, `notes`, `source`, `_cq_row` FROM _cq_s10 WHERE (CASE WHEN (lower(`aims`) RLIKE '(^|[^\\p{L}\\p{M}\\p{N}])sharia([^\\p{L}\\p{M}\\p{N}]|$)') IS NOT NULL AND (lower(`aims`) RLIKE '(^|[^\\p{L}\\p{M}\\p{N}])sharia([^\\p{L}\\p{M}\\p{N}]|$)') THEN TRUE ELSE ((lower(`aims`) RLIKE '(^|[^\\p{L}\\p{M}\\p{N}])sharia([^\\p{L}\\p{M}\\p{N}]|$)') OR (instr(lower(`aims`), lower('islamic state')) > 0)) END)),
_cq_s12 AS (SELECT `abbrev` AS `abbrev`, `name` AS `name`, `aims` AS `aims`, `_cq_row` FROM _cq_s11)
SELECT `abbrev`, `name`, `aims` FROM _cq_s12 ORDER BY `_cq_row`;
