-- load "Samples/data/hdx/conflict_data_*.csv" as sahel: the queries below read the table "sahel" (create it with --schema)

WITH _cq_s0 AS (SELECT "file", "event_id_cnty", "event_date", "year", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "admin2", "location", "latitude", "longitude", "source", "notes", "fatalities", "iso", ROW_NUMBER() OVER () AS "_cq_row" FROM "sahel"),
_cq_s1 AS (SELECT "country" AS "k0", COUNT(*) AS "a0", CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY CAST("fatalities" AS DOUBLE PRECISION)) AS DOUBLE PRECISION) AS "a1", CAST(percentile_cont(0.9) WITHIN GROUP (ORDER BY CAST("fatalities" AS DOUBLE PRECISION)) AS DOUBLE PRECISION) AS "a2", STDDEV_SAMP(CAST("fatalities" AS DOUBLE PRECISION)) AS "a3", MIN("_cq_row") AS "_cq_row" FROM _cq_s0 GROUP BY 1),
_cq_s2 AS (SELECT "k0" AS "country", "a0" AS "events", "a1" AS "median", CAST(round(CAST("a2" AS NUMERIC), 1) AS DOUBLE PRECISION) AS "p90", CAST(round(CAST("a3" AS NUMERIC), 2) AS DOUBLE PRECISION) AS "spread", "_cq_row" FROM _cq_s1),
_cq_s3 AS (SELECT "country", "events", "median", "p90", "spread", ROW_NUMBER() OVER (ORDER BY ("country" COLLATE "C") ASC NULLS LAST, "_cq_row") AS "_cq_row" FROM _cq_s2)
SELECT "country", "events", "median", "p90", "spread" FROM _cq_s3 ORDER BY "_cq_row";

WITH _cq_s4 AS (SELECT "file", "event_id_cnty", "event_date", "year", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "admin2", "location", "latitude", "longitude", "source", "notes", "fatalities", "iso", ROW_NUMBER() OVER () AS "_cq_row" FROM "sahel"),
_cq_s5 AS (SELECT "country" AS "k0", COUNT((CASE WHEN ("fatalities" > 0) THEN TRUE ELSE CAST(NULL AS BOOLEAN) END)) AS "a0", CAST(SUM((CASE WHEN ("year" = 2019) THEN "fatalities" ELSE CAST(NULL AS BIGINT) END)) AS BIGINT) AS "a1", CAST(SUM((CASE WHEN ("year" = 2020) THEN "fatalities" ELSE CAST(NULL AS BIGINT) END)) AS BIGINT) AS "a2", MIN("_cq_row") AS "_cq_row" FROM _cq_s4 GROUP BY 1),
_cq_s6 AS (SELECT "k0" AS "country", "a0" AS "deadly", "a1" AS "killed_2019", "a2" AS "killed_2020", "_cq_row" FROM _cq_s5),
_cq_s7 AS (SELECT "country", "deadly", "killed_2019", "killed_2020", ROW_NUMBER() OVER (ORDER BY ("country" COLLATE "C") ASC NULLS LAST, "_cq_row") AS "_cq_row" FROM _cq_s6)
SELECT "country", "deadly", "killed_2019", "killed_2020" FROM _cq_s7 ORDER BY "_cq_row";

WITH _cq_s8 AS (SELECT "file", "event_id_cnty", "event_date", "year", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "admin2", "location", "latitude", "longitude", "source", "notes", "fatalities", "iso", ROW_NUMBER() OVER () AS "_cq_row" FROM "sahel"),
_cq_s9 AS (SELECT "file", "event_id_cnty", "event_date", "year", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "admin2", "location", "latitude", "longitude", "source", "notes", "fatalities", "iso", ROW_NUMBER() OVER (ORDER BY "event_date" ASC NULLS LAST, "_cq_row") AS "_cq_row" FROM _cq_s8),
_cq_s10 AS (SELECT "country" AS "k0", mode() WITHIN GROUP (ORDER BY ("event_type" COLLATE "C")) AS "a0", (array_agg("location" ORDER BY "_cq_row" ASC) FILTER (WHERE "location" IS NOT NULL))[1] AS "a1", (array_agg("location" ORDER BY "_cq_row" DESC) FILTER (WHERE "location" IS NOT NULL))[1] AS "a2", ARRAY(SELECT "_cq_v" FROM unnest(array_agg("admin1" ORDER BY "_cq_row") FILTER (WHERE "admin1" IS NOT NULL)) WITH ORDINALITY AS "_cq_u"("_cq_v", "_cq_i") GROUP BY "_cq_v" ORDER BY MIN("_cq_i")) AS "a3", MIN("_cq_row") AS "_cq_row" FROM _cq_s9 GROUP BY 1),
_cq_s11 AS (SELECT "k0" AS "country", "a0" AS "commonest", "a1" AS "first_place", "a2" AS "last_place", "a3" AS "regions", "_cq_row" FROM _cq_s10),
_cq_s12 AS (SELECT "country", "commonest", "first_place", "last_place", "regions", ROW_NUMBER() OVER (ORDER BY ("country" COLLATE "C") ASC NULLS LAST, "_cq_row") AS "_cq_row" FROM _cq_s11)
SELECT "country", "commonest", "first_place", "last_place", "regions" FROM _cq_s12 ORDER BY "_cq_row";
