-- load "Samples/data/hdx/conflict_data_*.csv" as sahel: the queries below read the table "sahel" (create it with --schema)

WITH _cq_s0 AS (SELECT "file", "event_id_cnty", "event_date", "year", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "admin2", "location", "latitude", "longitude", "source", "notes", "fatalities", "iso", ROW_NUMBER() OVER () AS "_cq_row" FROM "sahel"),
_cq_s1 AS (SELECT "country" AS "k0", "admin1" AS "k1", CAST(SUM("fatalities") AS BIGINT) AS "a0", MIN("_cq_row") AS "_cq_row" FROM _cq_s0 GROUP BY 1, 2),
_cq_s2 AS (SELECT "k0" AS "country", "k1" AS "admin1", "a0" AS "fatalities", "_cq_row" FROM _cq_s1),
_cq_s3 AS (SELECT "country", "admin1", "fatalities", CAST(SUM("fatalities") OVER (PARTITION BY "country") AS BIGINT) AS "_cq_w0", "_cq_row" FROM _cq_s2),
_cq_s4 AS (SELECT "country", "admin1", "fatalities", CAST(round(CAST((CAST((CAST("fatalities" AS DOUBLE PRECISION) * CAST(100.0 AS DOUBLE PRECISION)) AS DOUBLE PRECISION) / CAST(CAST("_cq_w0" AS DOUBLE PRECISION) AS DOUBLE PRECISION)) AS NUMERIC), 1) AS DOUBLE PRECISION) AS "share", "_cq_row" FROM _cq_s3),
_cq_s5 AS (SELECT "country", "admin1", "fatalities", "share", ROW_NUMBER() OVER (ORDER BY ("country" COLLATE "C") ASC NULLS LAST, "share" DESC NULLS LAST, "_cq_row") AS "_cq_row" FROM _cq_s4)
SELECT "country", "admin1", "fatalities", "share" FROM _cq_s5 ORDER BY "_cq_row";

WITH _cq_s6 AS (SELECT "file", "event_id_cnty", "event_date", "year", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "admin2", "location", "latitude", "longitude", "source", "notes", "fatalities", "iso", ROW_NUMBER() OVER () AS "_cq_row" FROM "sahel"),
_cq_s7 AS (SELECT "file", "event_id_cnty", "event_date", "year", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "admin2", "location", "latitude", "longitude", "source", "notes", "fatalities", "iso", "_cq_row" FROM _cq_s6 WHERE ("country" = 'Mali')),
_cq_s8 AS (SELECT CAST(date_trunc('month', "event_date") AS DATE) AS "k0", CAST(SUM("fatalities") AS BIGINT) AS "a0", MIN("_cq_row") AS "_cq_row" FROM _cq_s7 GROUP BY 1),
_cq_s9 AS (SELECT "k0" AS "month", "a0" AS "fatalities", "_cq_row" FROM _cq_s8),
_cq_s10 AS (SELECT "month", "fatalities", CAST(SUM("fatalities") OVER (ORDER BY "month" ASC NULLS LAST, "_cq_row" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS "_cq_w0", "_cq_row" FROM _cq_s9),
_cq_s11 AS (SELECT "month", "fatalities", "_cq_w0" AS "cumulative", "_cq_row" FROM _cq_s10),
_cq_s12 AS (SELECT "month", "fatalities", "cumulative", ROW_NUMBER() OVER (ORDER BY "month" ASC NULLS LAST, "_cq_row") AS "_cq_row" FROM _cq_s11),
_cq_s13 AS (SELECT "month", "fatalities", "cumulative", "_cq_row" FROM _cq_s12 ORDER BY "_cq_row" LIMIT 6)
SELECT "month", "fatalities", "cumulative" FROM _cq_s13 ORDER BY "_cq_row";

WITH _cq_s14 AS (SELECT "file", "event_id_cnty", "event_date", "year", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "admin2", "location", "latitude", "longitude", "source", "notes", "fatalities", "iso", ROW_NUMBER() OVER () AS "_cq_row" FROM "sahel"),
_cq_s15 AS (SELECT "country" AS "k0", CAST(date_trunc('month', "event_date") AS DATE) AS "k1", COUNT(*) AS "a0", MIN("_cq_row") AS "_cq_row" FROM _cq_s14 GROUP BY 1, 2),
_cq_s16 AS (SELECT "k0" AS "country", "k1" AS "month", "a0" AS "events", "_cq_row" FROM _cq_s15),
_cq_s17 AS (SELECT "_cq_lo", "_cq_hi", CASE WHEN "_cq_lo" IS NULL OR "_cq_hi" IS NULL OR "_cq_hi" < "_cq_lo" THEN NULL ELSE ((((CAST(EXTRACT(YEAR FROM "_cq_hi") AS BIGINT) - CAST(EXTRACT(YEAR FROM "_cq_lo") AS BIGINT)) * 12 + CAST(EXTRACT(MONTH FROM "_cq_hi") AS BIGINT) - CAST(EXTRACT(MONTH FROM "_cq_lo") AS BIGINT)) / 1) + 1) END AS "_cq_n", ("_cq_hi" < "_cq_lo" OR FALSE) AS "_cq_bad" FROM (SELECT "_cq_min" AS "_cq_lo", "_cq_max" AS "_cq_hi" FROM (SELECT MIN("month") AS "_cq_min", MAX("month") AS "_cq_max" FROM _cq_s16) AS "_cq_m") AS "_cq_b"),
_cq_s18 AS (SELECT generate_series(0, "_cq_n" - 1) AS "_cq_k", "_cq_lo", "_cq_hi", "_cq_n" FROM _cq_s17),
_cq_s19 AS (SELECT "_cq_v" FROM (SELECT CAST("_cq_lo" + make_interval(months => CAST("_cq_k" * 1 AS INTEGER)) AS DATE) AS "_cq_v", "_cq_hi" FROM _cq_s18 WHERE "_cq_k" < "_cq_n") AS "_cq_t" WHERE "_cq_v" <= "_cq_hi"),
_cq_s20 AS (SELECT "country", MIN("_cq_row") AS "_cq_first" FROM _cq_s16 GROUP BY "country"),
_cq_s21 AS (SELECT i."country", i."month", i."events", g."_cq_first", i."_cq_row" FROM _cq_s16 AS i JOIN _cq_s20 AS g ON (i."country" IS NOT DISTINCT FROM g."country") UNION ALL SELECT g."country", s."_cq_v" AS "month", 0 AS "events", g."_cq_first", CAST(NULL AS BIGINT) AS "_cq_row" FROM _cq_s20 AS g CROSS JOIN _cq_s19 AS s WHERE NOT EXISTS (SELECT 1 FROM _cq_s16 AS i WHERE (i."country" IS NOT DISTINCT FROM g."country") AND i."month" = s."_cq_v")),
_cq_s22 AS (SELECT ("_cq_bad" OR EXISTS (SELECT 1 FROM _cq_s16 AS i CROSS JOIN _cq_s17 AS b WHERE i."month" >= b."_cq_lo" AND i."month" <= b."_cq_hi" AND NOT EXISTS (SELECT 1 FROM _cq_s19 AS s WHERE s."_cq_v" = i."month"))) AS "_cq_bad" FROM _cq_s17),
_cq_s23 AS (SELECT "country", "month", "events", ROW_NUMBER() OVER (ORDER BY "_cq_first", "month" ASC NULLS LAST, "_cq_row" ASC NULLS LAST) AS "_cq_row" FROM _cq_s21 CROSS JOIN _cq_s22 AS c WHERE (CASE WHEN c."_cq_bad" THEN CAST(CAST(c."_cq_bad" AS TEXT) || ': fill: a value between two steps of the series, a null bound or step, or a series that ends before it starts' AS BOOLEAN) ELSE TRUE END)),
_cq_s24 AS (SELECT "country", "month", "events", LAG(CAST("events" AS BIGINT), 1) OVER (PARTITION BY "country" ORDER BY "month" ASC NULLS LAST, "_cq_row") AS "_cq_w0", "_cq_row" FROM _cq_s23),
_cq_s25 AS (SELECT "country", "month", "events", ("events" - "_cq_w0") AS "change", "_cq_row" FROM _cq_s24),
_cq_s26 AS (SELECT "country", "month", "events", "change", ROW_NUMBER() OVER (ORDER BY ("country" COLLATE "C") ASC NULLS LAST, "month" ASC NULLS LAST, "_cq_row") AS "_cq_row" FROM _cq_s25),
_cq_s27 AS (SELECT "country", "month", "events", "change", "_cq_row" FROM _cq_s26 ORDER BY "_cq_row" LIMIT 8)
SELECT "country", "month", "events", "change" FROM _cq_s27 ORDER BY "_cq_row";

WITH _cq_s28 AS (SELECT "file", "event_id_cnty", "event_date", "year", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "admin2", "location", "latitude", "longitude", "source", "notes", "fatalities", "iso", ROW_NUMBER() OVER () AS "_cq_row" FROM "sahel"),
_cq_s29 AS (SELECT "year" AS "k0", "actor1" AS "k1", CAST(SUM("fatalities") AS BIGINT) AS "a0", MIN("_cq_row") AS "_cq_row" FROM _cq_s28 GROUP BY 1, 2),
_cq_s30 AS (SELECT "k0" AS "year", "k1" AS "actor1", "a0" AS "fatalities", "_cq_row" FROM _cq_s29),
_cq_s31 AS (SELECT "year", "actor1", "fatalities", RANK() OVER (PARTITION BY "year" ORDER BY "fatalities" DESC NULLS LAST) AS "_cq_w0", "_cq_row" FROM _cq_s30),
_cq_s32 AS (SELECT "year", "actor1", "fatalities", "_cq_w0" AS "rank", "_cq_row" FROM _cq_s31),
_cq_s33 AS (SELECT "year", "actor1", "fatalities", "rank", "_cq_row" FROM _cq_s32 WHERE ("rank" = 1)),
_cq_s34 AS (SELECT "year", "actor1", "fatalities", "rank", ROW_NUMBER() OVER (ORDER BY "year" ASC NULLS LAST, "_cq_row") AS "_cq_row" FROM _cq_s33)
SELECT "year", "actor1", "fatalities", "rank" FROM _cq_s34 ORDER BY "_cq_row";

WITH _cq_s35 AS (SELECT "file", "event_id_cnty", "event_date", "year", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "admin2", "location", "latitude", "longitude", "source", "notes", "fatalities", "iso", ROW_NUMBER() OVER () AS "_cq_row" FROM "sahel"),
_cq_s36 AS (SELECT "country" AS "k0", CAST(SUM((CASE WHEN ("year" = 2018) THEN "fatalities" ELSE CAST(NULL AS BIGINT) END)) AS BIGINT) AS "a0", CAST(SUM((CASE WHEN ("year" = 2019) THEN "fatalities" ELSE CAST(NULL AS BIGINT) END)) AS BIGINT) AS "a1", CAST(SUM((CASE WHEN ("year" = 2020) THEN "fatalities" ELSE CAST(NULL AS BIGINT) END)) AS BIGINT) AS "a2", CAST(SUM((CASE WHEN ("year" = 2021) THEN "fatalities" ELSE CAST(NULL AS BIGINT) END)) AS BIGINT) AS "a3", CAST(SUM((CASE WHEN ("year" = 2022) THEN "fatalities" ELSE CAST(NULL AS BIGINT) END)) AS BIGINT) AS "a4", CAST(SUM((CASE WHEN ("year" = 2023) THEN "fatalities" ELSE CAST(NULL AS BIGINT) END)) AS BIGINT) AS "a5", MIN("_cq_row") AS "_cq_row" FROM _cq_s35 GROUP BY 1),
_cq_s37 AS (SELECT "k0" AS "country", "a0" AS "2018", "a1" AS "2019", "a2" AS "2020", "a3" AS "2021", "a4" AS "2022", "a5" AS "2023", "_cq_row" FROM _cq_s36)
SELECT "country", "2018", "2019", "2020", "2021", "2022", "2023" FROM _cq_s37 ORDER BY "_cq_row";
