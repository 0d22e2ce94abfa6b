-- The wider events benchmark (Q1-Q19, see peer_wider.py) for the sqlite3 shell, after
-- shared/bench/sqlite_schema.sql, the import of the events and of the regions table
-- (wider-sqlite.sh). Dates are ISO text, so text order is date order. A digest question
-- makes its whole sorted table, then prints its first and last three rows.
.mode tabs
.headers off
.print ## Q01
SELECT COUNT(*) FROM events WHERE country = 'Mali' AND event_type = 'Battles';
.print ## Q02
SELECT actor1, SUM(fatalities) AS total FROM events GROUP BY actor1 ORDER BY total DESC, actor1 ASC LIMIT 10;
.print ## Q03
SELECT year, COUNT(*) AS events, SUM(fatalities) AS fatalities FROM events GROUP BY year ORDER BY year;
.print ## Q04
SELECT country, COUNT(DISTINCT actor1) AS actors FROM events GROUP BY country ORDER BY country;
.print ## Q05
SELECT substr(event_date, 1, 7) AS month, SUM(fatalities) AS fatalities FROM events
 WHERE country = 'Mali' AND event_date >= '2020-01-01' AND event_date < '2021-01-01' GROUP BY month ORDER BY month;
.print ## Q06
SELECT COUNT(*) FROM events WHERE notes LIKE '%abducted%';
.print ## Q07
CREATE TEMP TABLE sorted AS SELECT notes FROM events ORDER BY notes DESC;
SELECT notes FROM sorted WHERE rowid <= 3 OR rowid > (SELECT MAX(rowid) FROM sorted) - 3 ORDER BY rowid;
DROP TABLE sorted;
.print ## Q08
CREATE TEMP TABLE sorted AS SELECT admin1, fatalities FROM events ORDER BY admin1, fatalities DESC;
SELECT admin1, fatalities FROM sorted WHERE rowid <= 3 OR rowid > (SELECT MAX(rowid) FROM sorted) - 3 ORDER BY rowid;
DROP TABLE sorted;
.print ## Q09
SELECT notes FROM events ORDER BY notes DESC LIMIT 3;
.print ## Q10
SELECT event_id_cnty, fatalities FROM events ORDER BY fatalities DESC, event_id_cnty LIMIT 5;
.print ## Q11
SELECT event_id_cnty, event_date, fatalities FROM events ORDER BY event_date DESC, fatalities DESC, event_id_cnty LIMIT 5;
.print ## Q12
SELECT COUNT(DISTINCT event_id_cnty) FROM events;
.print ## Q13
SELECT COUNT(*) FROM events e JOIN (SELECT actor1, SUM(fatalities) AS total FROM events GROUP BY actor1) t
 ON e.actor1 = t.actor1 WHERE e.fatalities * 100 > t.total;
.print ## Q14
SELECT r.region, COUNT(*) AS events, SUM(e.fatalities) AS fatalities FROM events e JOIN regions r
 ON e.country = r.country GROUP BY r.region ORDER BY r.region;
.print ## Q15
SELECT COUNT(*) FROM (SELECT DISTINCT actor1, location, year FROM events);
.print ## Q16
SELECT COUNT(*) AS events, SUM(fatalities) AS fatalities FROM events
 WHERE event_date >= '2019-03-01' AND event_date < '2019-09-01';
.print ## Q17
SELECT SUM(running) FROM (SELECT SUM(fatalities) OVER (PARTITION BY country ORDER BY event_date, event_id_cnty
 ROWS UNBOUNDED PRECEDING) AS running FROM events);
.print ## Q18
SELECT country, COUNT(*) AS events, SUM(fatalities) AS fatalities FROM (
 SELECT country, fatalities FROM events WHERE year < 2016 UNION ALL
 SELECT country, fatalities FROM events WHERE year >= 2022) GROUP BY country ORDER BY country;
.print ## Q19
SELECT COUNT(DISTINCT notes) FROM events;
