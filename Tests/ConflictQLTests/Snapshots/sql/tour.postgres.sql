WITH _cq_s0 AS (SELECT 'groups' AS "name", (SELECT COUNT(*) FROM "groups") AS "rows", 14 AS "columns", 'armed groups and forces engaged in Mali, with US designations' AS "description", 1 AS "_cq_row" UNION ALL SELECT 'missions' AS "name", (SELECT COUNT(*) FROM "missions") AS "rows", 10 AS "columns", 'foreign and international deployments' AS "description", 2 AS "_cq_row" UNION ALL SELECT 'funding' AS "name", (SELECT COUNT(*) FROM "funding") AS "rows", 6 AS "columns", 'funding pledged or cut off, in US dollars' AS "description", 3 AS "_cq_row" UNION ALL SELECT 'figures' AS "name", (SELECT COUNT(*) FROM "figures") AS "rows", 7 AS "columns", 'humanitarian and security figures with their qualifiers' AS "description", 4 AS "_cq_row" UNION ALL SELECT 'timeline' AS "name", (SELECT COUNT(*) FROM "timeline") AS "rows", 8 AS "columns", 'dated events, 2011 to 2018' AS "description", 5 AS "_cq_row" UNION ALL SELECT 'countries' AS "name", (SELECT COUNT(*) FROM "countries") AS "rows", 4 AS "columns", 'countries the briefing names and their roles' AS "description", 6 AS "_cq_row" UNION ALL SELECT 'concerns' AS "name", (SELECT COUNT(*) FROM "concerns") AS "rows", 5 AS "columns", 'humanitarian and security concerns the briefing states' AS "description", 7 AS "_cq_row" UNION ALL SELECT 'actors' AS "name", (SELECT COUNT(*) FROM "actors") AS "rows", 10 AS "columns", 'the names ACLED and UCDP give the briefing''s groups, with their sources' AS "description", 8 AS "_cq_row" UNION ALL SELECT 'relations' AS "name", (SELECT COUNT(*) FROM "relations") AS "rows", 6 AS "columns", 'units, mergers and renamings of the groups, with dates and sources' AS "description", 9 AS "_cq_row" UNION ALL SELECT 'designations' AS "name", (SELECT COUNT(*) FROM "designations") AS "rows", 11 AS "columns", 'the groups on the official lists (US, UN, UK), with dates and notices' AS "description", 10 AS "_cq_row" UNION ALL SELECT 'places' AS "name", (SELECT COUNT(*) FROM "places") AS "rows", 10 AS "columns", 'towns and points the questions name, with coordinates and sources' AS "description", 11 AS "_cq_row")
SELECT "name", "rows", "columns", "description" FROM _cq_s0 ORDER BY "_cq_row";

WITH _cq_s1 AS (SELECT "name", "abbrev", "category", "kind", "designation", "designated_by", "designated_year", "founded", "affiliation", "area", "aims", "targets", "notes", "source", ROW_NUMBER() OVER () AS "_cq_row" FROM "groups"),
_cq_s2 AS (SELECT "name", "abbrev", "category", "kind", "designation", "designated_by", "designated_year", "founded", "affiliation", "area", "aims", "targets", "notes", "source", "_cq_row" FROM _cq_s1 WHERE (CASE WHEN "designation" IS NULL OR 'FTO' IS NULL THEN NULL ELSE EXISTS (SELECT 1 FROM UNNEST("designation") AS _cq_u(_cq_e) WHERE lower(_cq_e) = lower('FTO')) END)),
_cq_s3 AS (SELECT "name" AS "name", "abbrev" AS "abbrev", "designated_year" AS "designated_year", "founded" AS "founded", "_cq_row" FROM _cq_s2)
SELECT "name", "abbrev", "designated_year", "founded" FROM _cq_s3 ORDER BY "_cq_row";

WITH _cq_s4 AS (SELECT "name", "abbrev", "category", "kind", "designation", "designated_by", "designated_year", "founded", "affiliation", "area", "aims", "targets", "notes", "source", ROW_NUMBER() OVER () AS "_cq_row" FROM "groups"),
_cq_s5 AS (SELECT "name", "abbrev", "category", "kind", "designation", "designated_by", "designated_year", "founded", "affiliation", "area", "aims", "targets", "notes", "source", "_cq_row" FROM _cq_s4 WHERE ("founded" IS NOT NULL)),
_cq_s6 AS (SELECT "name" AS "name", "founded" AS "founded", CAST(EXTRACT(YEAR FROM "founded") AS BIGINT) AS "founded_year", CAST(NULL AS BIGINT) AS "founded_day", "_cq_row" FROM _cq_s5)
SELECT "name", "founded", "founded_year", "founded_day" FROM _cq_s6 ORDER BY "_cq_row";

SELECT 192060 AS "value";

WITH _cq_s7 AS (SELECT "donor", "recipient", "amount_usd", "kind", "year", "source", ROW_NUMBER() OVER () AS "_cq_row" FROM "funding"),
_cq_s8 AS (SELECT "donor", "recipient", "amount_usd", "kind", "year", "source", "_cq_row" FROM _cq_s7 WHERE ("kind" = 'pledge')),
_cq_s9 AS (SELECT "recipient" AS "k0", COUNT(*) AS "a0", CAST(SUM("amount_usd") AS BIGINT) AS "a1", MAX("amount_usd") AS "a2", MIN("_cq_row") AS "_cq_row" FROM _cq_s8 GROUP BY 1),
_cq_s10 AS (SELECT "k0" AS "recipient", "a0" AS "pledges", "a1" AS "total_usd", "a2" AS "largest", "_cq_row" FROM _cq_s9)
SELECT "recipient", "pledges", "total_usd", "largest" FROM _cq_s10 ORDER BY "_cq_row";

CREATE OR REPLACE TEMP VIEW "g5" AS
WITH _cq_s11 AS (SELECT "name", "g5_member", "roles", "source", ROW_NUMBER() OVER () AS "_cq_row" FROM "countries"),
_cq_s12 AS (SELECT "name", "g5_member", "roles", "source", "_cq_row" FROM _cq_s11 WHERE "g5_member")
SELECT "name", "g5_member", "roles", "source", "_cq_row" FROM _cq_s12;

WITH _cq_s13 AS (SELECT "name", "g5_member", "roles", "source", "_cq_row" FROM "g5"),
_cq_s14 AS (SELECT "name" AS "name", "_cq_row" FROM _cq_s13),
_cq_s15 AS (SELECT "name", ROW_NUMBER() OVER (ORDER BY ("name" COLLATE "C") ASC NULLS LAST, "_cq_row") AS "_cq_row" FROM _cq_s14)
SELECT "name" FROM _cq_s15 ORDER BY "_cq_row";

WITH _cq_s16 AS (SELECT "donor", "recipient", "amount_usd", "kind", "year", "source", ROW_NUMBER() OVER () AS "_cq_row" FROM "funding"),
_cq_s17 AS (SELECT "donor", "recipient", "amount_usd", "kind", "year", "source", "_cq_row" FROM _cq_s16 WHERE ("kind" = 'pledge')),
_cq_s18 AS (SELECT "name", "g5_member", "roles", "source", ROW_NUMBER() OVER () AS "_cq_row" FROM "countries"),
_cq_s19 AS (SELECT l."donor", l."recipient", l."amount_usd", l."kind", l."year", l."source", r."name" AS "name", r."g5_member" AS "g5_member", r."roles" AS "roles", r."source" AS "source_right", ROW_NUMBER() OVER (ORDER BY l."_cq_row", r."_cq_row") AS "_cq_row" FROM _cq_s17 AS l LEFT JOIN _cq_s18 AS r ON l."donor" = r."name"),
_cq_s20 AS (SELECT "donor" AS "donor", "amount_usd" AS "amount_usd", "g5_member" AS "g5_member", "roles" AS "roles", "_cq_row" FROM _cq_s19)
SELECT "donor", "amount_usd", "g5_member", "roles" FROM _cq_s20 ORDER BY "_cq_row";

WITH _cq_s21 AS (SELECT "date", "date_qualifier", "event", "actors", "source", "recorded_date", "record_note", "record_source", ROW_NUMBER() OVER () AS "_cq_row" FROM "timeline"),
_cq_s22 AS (SELECT t."date", t."date_qualifier", t."event", t."actors", t."source", t."recorded_date", t."record_note", t."record_source", u."_cq_element" AS "actor", ROW_NUMBER() OVER (ORDER BY t."_cq_row", u."_cq_position") AS "_cq_row" FROM _cq_s21 AS t CROSS JOIN LATERAL UNNEST(t."actors") WITH ORDINALITY AS u("_cq_element", "_cq_position")),
_cq_s23 AS (SELECT "actor" AS "k0", COUNT(*) AS "a0", MIN("_cq_row") AS "_cq_row" FROM _cq_s22 GROUP BY 1),
_cq_s24 AS (SELECT "k0" AS "actor", "a0" AS "events", "_cq_row" FROM _cq_s23),
_cq_s25 AS (SELECT "actor", "events", ROW_NUMBER() OVER (ORDER BY "events" DESC NULLS LAST, "_cq_row") AS "_cq_row" FROM _cq_s24),
_cq_s26 AS (SELECT "actor", "events", "_cq_row" FROM _cq_s25 ORDER BY "_cq_row" LIMIT 3)
SELECT "actor", "events" FROM _cq_s26 ORDER BY "_cq_row";

WITH _cq_s27 AS (SELECT "indicator", "value", "qualifier", "as_of", "as_of_qualifier", "period", "source", ROW_NUMBER() OVER () AS "_cq_row" FROM "figures"),
_cq_s28 AS (SELECT "indicator", "value", "qualifier", "as_of", "as_of_qualifier", "period", "source", "_cq_row" FROM _cq_s27 WHERE ("qualifier" IS NOT NULL)),
_cq_s29 AS (SELECT "indicator" AS "indicator", "value" AS "value", "qualifier" AS "qualifier", "source" AS "source", "_cq_row" FROM _cq_s28),
_cq_s30 AS (SELECT "indicator", "value", "qualifier", "source", ROW_NUMBER() OVER (ORDER BY "value" DESC NULLS LAST, "_cq_row") AS "_cq_row" FROM _cq_s29)
SELECT "indicator", "value", "qualifier", "source" FROM _cq_s30 ORDER BY "_cq_row";
