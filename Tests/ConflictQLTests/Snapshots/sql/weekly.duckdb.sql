-- load "Samples/data/weekly-events.csv" as events: the queries below read the table "events" (create it with --schema)

WITH _cq_s0 AS (SELECT "event_date", "country", "admin1", "fatalities", ROW_NUMBER() OVER () AS "_cq_row" FROM "events"),
_cq_s1 AS (SELECT CAST(date_trunc('week', "event_date") AS DATE) AS "k0", COUNT(*) AS "a0", CAST(SUM("fatalities") AS BIGINT) AS "a1", MIN("_cq_row") AS "_cq_row" FROM _cq_s0 GROUP BY 1),
_cq_s2 AS (SELECT "k0" AS "week", "a0" AS "events", "a1" AS "fatalities", "_cq_row" FROM _cq_s1),
_cq_s3 AS (SELECT "_cq_lo", "_cq_hi", CASE WHEN "_cq_lo" IS NULL OR "_cq_hi" IS NULL OR "_cq_hi" < "_cq_lo" THEN NULL ELSE (((CAST(("_cq_hi" - DATE '1970-01-01') AS BIGINT) - CAST(("_cq_lo" - DATE '1970-01-01') AS BIGINT)) // 7) + 1) END AS "_cq_n", ("_cq_hi" < "_cq_lo" OR FALSE) AS "_cq_bad" FROM (SELECT "_cq_min" AS "_cq_lo", "_cq_max" AS "_cq_hi" FROM (SELECT MIN("week") AS "_cq_min", MAX("week") AS "_cq_max" FROM _cq_s2) AS "_cq_m") AS "_cq_b"),
_cq_s4 AS (SELECT UNNEST(range(0, "_cq_n")) AS "_cq_k", "_cq_lo", "_cq_hi", "_cq_n" FROM _cq_s3),
_cq_s5 AS (SELECT "_cq_v" FROM (SELECT ("_cq_lo" + CAST("_cq_k" * 7 AS INTEGER)) AS "_cq_v", "_cq_hi" FROM _cq_s4 WHERE "_cq_k" < "_cq_n") AS "_cq_t" WHERE "_cq_v" <= "_cq_hi"),
_cq_s6 AS (SELECT 0 AS "_cq_first"),
_cq_s7 AS (SELECT i."week", i."events", i."fatalities", g."_cq_first", i."_cq_row" FROM _cq_s2 AS i JOIN _cq_s6 AS g ON TRUE UNION ALL SELECT s."_cq_v" AS "week", 0 AS "events", 0 AS "fatalities", g."_cq_first", CAST(NULL AS BIGINT) AS "_cq_row" FROM _cq_s6 AS g CROSS JOIN _cq_s5 AS s WHERE NOT EXISTS (SELECT 1 FROM _cq_s2 AS i WHERE TRUE AND i."week" = s."_cq_v")),
_cq_s8 AS (SELECT ("_cq_bad" OR EXISTS (SELECT 1 FROM _cq_s2 AS i CROSS JOIN _cq_s3 AS b WHERE i."week" >= b."_cq_lo" AND i."week" <= b."_cq_hi" AND NOT EXISTS (SELECT 1 FROM _cq_s5 AS s WHERE s."_cq_v" = i."week"))) AS "_cq_bad" FROM _cq_s3),
_cq_s9 AS (SELECT "week", "events", "fatalities", ROW_NUMBER() OVER (ORDER BY "_cq_first", "week" ASC NULLS LAST, "_cq_row" ASC NULLS LAST) AS "_cq_row" FROM _cq_s7 CROSS JOIN _cq_s8 AS c WHERE (CASE WHEN c."_cq_bad" THEN error('fill: a value between two steps of the series, a null bound or step, or a series that ends before it starts') ELSE TRUE END))
SELECT "week", "events", "fatalities" FROM _cq_s9 ORDER BY "_cq_row";

WITH _cq_s10 AS (SELECT "event_date", "country", "admin1", "fatalities", ROW_NUMBER() OVER () AS "_cq_row" FROM "events"),
_cq_s11 AS (SELECT "country" AS "k0", CAST(date_trunc('week', "event_date") AS DATE) AS "k1", COUNT(*) AS "a0", MIN("_cq_row") AS "_cq_row" FROM _cq_s10 GROUP BY 1, 2),
_cq_s12 AS (SELECT "k0" AS "country", "k1" AS "week", "a0" AS "events", "_cq_row" FROM _cq_s11),
_cq_s13 AS (SELECT "_cq_lo", "_cq_hi", CASE WHEN "_cq_lo" IS NULL OR "_cq_hi" IS NULL OR "_cq_hi" < "_cq_lo" THEN NULL ELSE (((CAST(("_cq_hi" - DATE '1970-01-01') AS BIGINT) - CAST(("_cq_lo" - DATE '1970-01-01') AS BIGINT)) // 7) + 1) END AS "_cq_n", ("_cq_hi" < "_cq_lo" OR FALSE) AS "_cq_bad" FROM (SELECT "_cq_min" AS "_cq_lo", "_cq_max" AS "_cq_hi" FROM (SELECT MIN("week") AS "_cq_min", MAX("week") AS "_cq_max" FROM _cq_s12) AS "_cq_m") AS "_cq_b"),
_cq_s14 AS (SELECT UNNEST(range(0, "_cq_n")) AS "_cq_k", "_cq_lo", "_cq_hi", "_cq_n" FROM _cq_s13),
_cq_s15 AS (SELECT "_cq_v" FROM (SELECT ("_cq_lo" + CAST("_cq_k" * 7 AS INTEGER)) AS "_cq_v", "_cq_hi" FROM _cq_s14 WHERE "_cq_k" < "_cq_n") AS "_cq_t" WHERE "_cq_v" <= "_cq_hi"),
_cq_s16 AS (SELECT "country", MIN("_cq_row") AS "_cq_first" FROM _cq_s12 GROUP BY "country"),
_cq_s17 AS (SELECT i."country", i."week", i."events", g."_cq_first", i."_cq_row" FROM _cq_s12 AS i JOIN _cq_s16 AS g ON (i."country" IS NOT DISTINCT FROM g."country") UNION ALL SELECT g."country", s."_cq_v" AS "week", 0 AS "events", g."_cq_first", CAST(NULL AS BIGINT) AS "_cq_row" FROM _cq_s16 AS g CROSS JOIN _cq_s15 AS s WHERE NOT EXISTS (SELECT 1 FROM _cq_s12 AS i WHERE (i."country" IS NOT DISTINCT FROM g."country") AND i."week" = s."_cq_v")),
_cq_s18 AS (SELECT ("_cq_bad" OR EXISTS (SELECT 1 FROM _cq_s12 AS i CROSS JOIN _cq_s13 AS b WHERE i."week" >= b."_cq_lo" AND i."week" <= b."_cq_hi" AND NOT EXISTS (SELECT 1 FROM _cq_s15 AS s WHERE s."_cq_v" = i."week"))) AS "_cq_bad" FROM _cq_s13),
_cq_s19 AS (SELECT "country", "week", "events", ROW_NUMBER() OVER (ORDER BY "_cq_first", "week" ASC NULLS LAST, "_cq_row" ASC NULLS LAST) AS "_cq_row" FROM _cq_s17 CROSS JOIN _cq_s18 AS c WHERE (CASE WHEN c."_cq_bad" THEN error('fill: a value between two steps of the series, a null bound or step, or a series that ends before it starts') ELSE TRUE END)),
_cq_s20 AS (SELECT "country", "week", "events", "_cq_row" FROM _cq_s19 WHERE ("country" = 'Niger'))
SELECT "country", "week", "events" FROM _cq_s20 ORDER BY "_cq_row";

WITH _cq_s21 AS (SELECT "event_date", "country", "admin1", "fatalities", ROW_NUMBER() OVER () AS "_cq_row" FROM "events"),
_cq_s22 AS (SELECT CAST(date_trunc('month', "event_date") AS DATE) AS "k0", COUNT(*) AS "a0", MIN("_cq_row") AS "_cq_row" FROM _cq_s21 GROUP BY 1),
_cq_s23 AS (SELECT "k0" AS "month", "a0" AS "events", "_cq_row" FROM _cq_s22),
_cq_s24 AS (SELECT "_cq_lo", "_cq_hi", CASE WHEN "_cq_lo" IS NULL OR "_cq_hi" IS NULL OR "_cq_hi" < "_cq_lo" THEN NULL ELSE ((((CAST(EXTRACT(YEAR FROM "_cq_hi") AS BIGINT) - CAST(EXTRACT(YEAR FROM "_cq_lo") AS BIGINT)) * 12 + CAST(EXTRACT(MONTH FROM "_cq_hi") AS BIGINT) - CAST(EXTRACT(MONTH FROM "_cq_lo") AS BIGINT)) // 1) + 1) END AS "_cq_n", (DATE '2024-01-01' IS NULL OR DATE '2024-06-01' IS NULL OR "_cq_hi" < "_cq_lo" OR FALSE) AS "_cq_bad" FROM (SELECT DATE '2024-01-01' AS "_cq_lo", DATE '2024-06-01' AS "_cq_hi" FROM (SELECT MIN("month") AS "_cq_min", MAX("month") AS "_cq_max" FROM _cq_s23) AS "_cq_m") AS "_cq_b"),
_cq_s25 AS (SELECT UNNEST(range(0, "_cq_n")) AS "_cq_k", "_cq_lo", "_cq_hi", "_cq_n" FROM _cq_s24),
_cq_s26 AS (SELECT "_cq_v" FROM (SELECT CAST("_cq_lo" + to_months(CAST("_cq_k" * 1 AS INTEGER)) AS DATE) AS "_cq_v", "_cq_hi" FROM _cq_s25 WHERE "_cq_k" < "_cq_n") AS "_cq_t" WHERE "_cq_v" <= "_cq_hi"),
_cq_s27 AS (SELECT 0 AS "_cq_first"),
_cq_s28 AS (SELECT i."month", i."events", g."_cq_first", i."_cq_row" FROM _cq_s23 AS i JOIN _cq_s27 AS g ON TRUE UNION ALL SELECT s."_cq_v" AS "month", 0 AS "events", g."_cq_first", CAST(NULL AS BIGINT) AS "_cq_row" FROM _cq_s27 AS g CROSS JOIN _cq_s26 AS s WHERE NOT EXISTS (SELECT 1 FROM _cq_s23 AS i WHERE TRUE AND i."month" = s."_cq_v")),
_cq_s29 AS (SELECT ("_cq_bad" OR EXISTS (SELECT 1 FROM _cq_s23 AS i CROSS JOIN _cq_s24 AS b WHERE i."month" >= b."_cq_lo" AND i."month" <= b."_cq_hi" AND NOT EXISTS (SELECT 1 FROM _cq_s26 AS s WHERE s."_cq_v" = i."month"))) AS "_cq_bad" FROM _cq_s24),
_cq_s30 AS (SELECT "month", "events", ROW_NUMBER() OVER (ORDER BY "_cq_first", "month" ASC NULLS LAST, "_cq_row" ASC NULLS LAST) AS "_cq_row" FROM _cq_s28 CROSS JOIN _cq_s29 AS c WHERE (CASE WHEN c."_cq_bad" THEN error('fill: a value between two steps of the series, a null bound or step, or a series that ends before it starts') ELSE TRUE END))
SELECT "month", "events" FROM _cq_s30 ORDER BY "_cq_row";

WITH _cq_s31 AS (SELECT "event_date", "country", "admin1", "fatalities", ROW_NUMBER() OVER () AS "_cq_row" FROM "events"),
_cq_s32 AS (SELECT ("fatalities" - ((("fatalities" % 5) + 5) % 5)) AS "k0", COUNT(*) AS "a0", MIN("_cq_row") AS "_cq_row" FROM _cq_s31 GROUP BY 1),
_cq_s33 AS (SELECT "k0" AS "bin", "a0" AS "events", "_cq_row" FROM _cq_s32),
_cq_s34 AS (SELECT "_cq_lo", "_cq_hi", CASE WHEN "_cq_lo" IS NULL OR "_cq_hi" IS NULL OR "_cq_hi" < "_cq_lo" THEN NULL ELSE ((("_cq_hi" - "_cq_lo") // 5) + 1) END AS "_cq_n", ("_cq_hi" < "_cq_lo" OR (5 IS NULL OR 5 < 1)) AS "_cq_bad" FROM (SELECT "_cq_min" AS "_cq_lo", "_cq_max" AS "_cq_hi" FROM (SELECT MIN("bin") AS "_cq_min", MAX("bin") AS "_cq_max" FROM _cq_s33) AS "_cq_m") AS "_cq_b"),
_cq_s35 AS (SELECT UNNEST(range(0, "_cq_n")) AS "_cq_k", "_cq_lo", "_cq_hi", "_cq_n" FROM _cq_s34),
_cq_s36 AS (SELECT "_cq_v" FROM (SELECT ("_cq_lo" + "_cq_k" * 5) AS "_cq_v", "_cq_hi" FROM _cq_s35 WHERE "_cq_k" < "_cq_n") AS "_cq_t" WHERE "_cq_v" <= "_cq_hi"),
_cq_s37 AS (SELECT 0 AS "_cq_first"),
_cq_s38 AS (SELECT i."bin", i."events", g."_cq_first", i."_cq_row" FROM _cq_s33 AS i JOIN _cq_s37 AS g ON TRUE UNION ALL SELECT s."_cq_v" AS "bin", 0 AS "events", g."_cq_first", CAST(NULL AS BIGINT) AS "_cq_row" FROM _cq_s37 AS g CROSS JOIN _cq_s36 AS s WHERE NOT EXISTS (SELECT 1 FROM _cq_s33 AS i WHERE TRUE AND i."bin" = s."_cq_v")),
_cq_s39 AS (SELECT ("_cq_bad" OR EXISTS (SELECT 1 FROM _cq_s33 AS i CROSS JOIN _cq_s34 AS b WHERE i."bin" >= b."_cq_lo" AND i."bin" <= b."_cq_hi" AND NOT EXISTS (SELECT 1 FROM _cq_s36 AS s WHERE s."_cq_v" = i."bin"))) AS "_cq_bad" FROM _cq_s34),
_cq_s40 AS (SELECT "bin", "events", ROW_NUMBER() OVER (ORDER BY "_cq_first", "bin" ASC NULLS LAST, "_cq_row" ASC NULLS LAST) AS "_cq_row" FROM _cq_s38 CROSS JOIN _cq_s39 AS c WHERE (CASE WHEN c."_cq_bad" THEN error('fill: a value between two steps of the series, a null bound or step, or a series that ends before it starts') ELSE TRUE END))
SELECT "bin", "events" FROM _cq_s40 ORDER BY "_cq_row";
