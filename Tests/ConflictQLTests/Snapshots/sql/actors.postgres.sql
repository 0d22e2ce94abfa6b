-- load "Samples/data/acled-sahel.csv" as acled: the queries below read the table "acled" (create it with --schema)

-- load "Tests/ConflictQLTests/Fixtures/ged_sahel.csv" as ged: the queries below read the table "ged" (create it with --schema)

WITH _cq_s0 AS (SELECT "name", "abbrev", "table", "alias", "dataset", "from_year", "to_year", "countries", "source", "evidence", ROW_NUMBER() OVER () AS "_cq_row" FROM "actors"),
_cq_s1 AS (SELECT COALESCE("abbrev", "name") AS "abbrev", "dataset" AS "dataset", "alias" AS "alias", "countries" AS "countries", "_cq_row" FROM _cq_s0)
SELECT "abbrev", "dataset", "alias", "countries" FROM _cq_s1 ORDER BY "_cq_row";

-- Samples/actors.cq:18: not compiled: groups_of() (it splits joint attributions and lists of actors) cannot be expressed in postgres SQL

-- Samples/actors.cq:26: not compiled: groups_of() (it splits joint attributions and lists of actors) cannot be expressed in postgres SQL

-- Samples/actors.cq:36: not compiled: groups_of() (it splits joint attributions and lists of actors) cannot be expressed in postgres SQL

-- Samples/actors.cq:44: not compiled: groups_of() (it splits joint attributions and lists of actors) cannot be expressed in postgres SQL

-- Samples/actors.cq:51: not compiled: groups_of() (it splits joint attributions and lists of actors) cannot be expressed in postgres SQL
