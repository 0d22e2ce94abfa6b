-- load "Samples/data/acled-sahel.csv" as acled: the queries below read the table `acled` (create it with --schema)

-- Samples/designated.cq:13: not compiled: groups_of() (it splits joint attributions and lists of actors) cannot be expressed in spark SQL

-- Samples/designated.cq:22: not compiled: groups_on() (it splits joint attributions and lists of actors) cannot be expressed in spark SQL

WITH _cq_s4 AS (SELECT `name`, `list`, `authority`, `listed_as`, `reference`, `listed`, `delisted`, `amended`, `amendment`, `source`, `url`, monotonically_increasing_id() AS `_cq_row` FROM `designations`),
_cq_s5 AS (SELECT `name`, `list`, `authority`, `listed_as`, `reference`, `listed`, `delisted`, `amended`, `amendment`, `source`, `url`, `_cq_row` FROM _cq_s4 WHERE (`listed` IS NOT NULL)),
_cq_s6 AS (SELECT `name` AS `k0`, `list` AS `k1`, MIN(`listed`) AS `a0`, MIN(`_cq_row`) AS `_cq_row` FROM _cq_s5 GROUP BY 1, 2),
_cq_s7 AS (SELECT `k0` AS `name`, `k1` AS `list`, `a0` AS `first_listed`, `_cq_row` FROM _cq_s6),
_cq_s8 AS (SELECT `name`, `list`, `first_listed`, ROW_NUMBER() OVER (ORDER BY `name` ASC NULLS LAST, `first_listed` ASC NULLS LAST, `_cq_row`) AS `_cq_row` FROM _cq_s7)
SELECT `name`, `list`, `first_listed` FROM _cq_s8 ORDER BY `_cq_row`;

-- load "Tests/ConflictQLTests/Fixtures/acled_monadic.csv" as monadic: the queries below read the table `monadic` (create it with --schema)

-- Samples/designated.cq:38: not compiled: groups_of() (it splits joint attributions and lists of actors) cannot be expressed in spark SQL

-- Samples/designated.cq:48: not compiled: groups_on() (it splits joint attributions and lists of actors) cannot be expressed in spark SQL
