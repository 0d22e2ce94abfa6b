WITH _cq_s0 AS (SELECT "name", "lead", "kind", "deployed", "deployed_qualifier", "location", "personnel", "personnel_qualifier", "purpose", "source", ROW_NUMBER() OVER () AS "_cq_row" FROM "missions"),
_cq_s1 AS (SELECT "name", "lead", "kind", "deployed", "deployed_qualifier", "location", "personnel", "personnel_qualifier", "purpose", "source", ROW_NUMBER() OVER (ORDER BY "deployed" ASC NULLS LAST, "_cq_row") AS "_cq_row" FROM _cq_s0),
_cq_s2 AS (SELECT "name" AS "name", "lead" AS "lead", "deployed" AS "deployed", "deployed_qualifier" AS "deployed_qualifier", "personnel" AS "personnel", "personnel_qualifier" AS "personnel_qualifier", "_cq_row" FROM _cq_s1)
SELECT "name", "lead", "deployed", "deployed_qualifier", "personnel", "personnel_qualifier" FROM _cq_s2 ORDER BY "_cq_row";

WITH _cq_s3 AS (SELECT "name", "lead", "kind", "deployed", "deployed_qualifier", "location", "personnel", "personnel_qualifier", "purpose", "source", ROW_NUMBER() OVER () AS "_cq_row" FROM "missions"),
_cq_s4 AS (SELECT "name", "lead", "kind", "deployed", "deployed_qualifier", "location", "personnel", "personnel_qualifier", "purpose", "source", "_cq_row" FROM _cq_s3 WHERE (CASE WHEN ("deployed" >= DATE '2013-01-01') IS NOT NULL AND NOT ("deployed" >= DATE '2013-01-01') THEN FALSE ELSE (("deployed" >= DATE '2013-01-01') AND ("deployed" <= DATE '2013-12-31')) END)),
_cq_s5 AS (SELECT "name" AS "name", "deployed" AS "deployed", "_cq_row" FROM _cq_s4)
SELECT "name", "deployed" FROM _cq_s5 ORDER BY "_cq_row";

WITH _cq_s6 AS (SELECT "indicator", "value", "qualifier", "as_of", "as_of_qualifier", "period", "source", ROW_NUMBER() OVER () AS "_cq_row" FROM "figures"),
_cq_s7 AS (SELECT "indicator", "value", "qualifier", "as_of", "as_of_qualifier", "period", "source", "_cq_row" FROM _cq_s6 WHERE (CASE WHEN (strpos(lower("indicator"), lower('peacekeepers')) > 0) IS NOT NULL AND (strpos(lower("indicator"), lower('peacekeepers')) > 0) THEN TRUE ELSE ((strpos(lower("indicator"), lower('peacekeepers')) > 0) OR (strpos(lower("indicator"), lower('barkhane')) > 0)) END)),
_cq_s8 AS (SELECT "indicator" AS "indicator", "value" AS "value", "qualifier" AS "qualifier", "period" AS "period", "source" AS "source", "_cq_row" FROM _cq_s7)
SELECT "indicator", "value", "qualifier", "period", "source" FROM _cq_s8 ORDER BY "_cq_row";

SELECT CAST(round(CAST((CAST(CAST(118.0 AS DOUBLE PRECISION) AS DOUBLE PRECISION) / CAST(CAST(4.0 AS DOUBLE PRECISION) AS DOUBLE PRECISION)) AS NUMERIC), 1) AS DOUBLE PRECISION) AS "value";
