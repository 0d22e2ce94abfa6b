#!/usr/bin/env python3
"""The wider events benchmark (Q1-Q19, Sources/ConflictQLData/WiderBenchmark.swift) for the
peers: DuckDB (any number of threads) and pandas. Each run is one process that loads the
events CSV and the regions CSV and answers every question, printing "## Qn" and TSV rows as
shared/bench/compare.py reads them; with --timing, each question's time goes to stderr.
A digest question makes a whole sorted table and prints its first three and last three rows.

Usage: python3 peer_wider.py duckdb EVENTS.csv REGIONS.csv [--threads N] [--timing] [--only Q07,Q12] [--repeat K]
       python3 peer_wider.py pandas EVENTS.csv REGIONS.csv [--timing] [--only ...] [--repeat K]
"""
import argparse
import sys
import time

# name -> (SQL, digest). DuckDB types event_date as DATE; SQLite's file keeps the same
# questions in wider_sqlite.sql with text dates.
SQL = [
    ("Q01", "SELECT COUNT(*) FROM events WHERE country = 'Mali' AND event_type = 'Battles'", False),
    ("Q02", "SELECT actor1, SUM(fatalities) AS total FROM events GROUP BY actor1 ORDER BY total DESC, actor1 ASC LIMIT 10", False),
    ("Q03", "SELECT year, COUNT(*) AS events, SUM(fatalities) AS fatalities FROM events GROUP BY year ORDER BY year", False),
    ("Q04", "SELECT country, COUNT(DISTINCT actor1) AS actors FROM events GROUP BY country ORDER BY country", False),
    ("Q05", "SELECT strftime(event_date, '%Y-%m') AS month, SUM(fatalities) AS fatalities FROM events "
            "WHERE country = 'Mali' AND event_date >= DATE '2020-01-01' AND event_date < DATE '2021-01-01' "
            "GROUP BY month ORDER BY month", False),
    ("Q06", "SELECT COUNT(*) FROM events WHERE notes ILIKE '%abducted%'", False),
    ("Q07", "SELECT notes FROM events ORDER BY notes DESC", True),
    ("Q08", "SELECT admin1, fatalities FROM events ORDER BY admin1, fatalities DESC", True),
    ("Q09", "SELECT notes FROM events ORDER BY notes DESC LIMIT 3", False),
    ("Q10", "SELECT event_id_cnty, fatalities FROM events ORDER BY fatalities DESC, event_id_cnty LIMIT 5", False),
    ("Q11", "SELECT event_id_cnty, event_date, fatalities FROM events ORDER BY event_date DESC, fatalities DESC, event_id_cnty LIMIT 5", False),
    ("Q12", "SELECT COUNT(DISTINCT event_id_cnty) FROM events", False),
    ("Q13", "SELECT COUNT(*) FROM events e JOIN (SELECT actor1, SUM(fatalities) AS total FROM events GROUP BY actor1) t "
            "ON e.actor1 = t.actor1 WHERE e.fatalities * 100 > t.total", False),
    ("Q14", "SELECT r.region, COUNT(*) AS events, SUM(e.fatalities) AS fatalities FROM events e JOIN regions r "
            "ON e.country = r.country GROUP BY r.region ORDER BY r.region", False),
    ("Q15", "SELECT COUNT(*) FROM (SELECT DISTINCT actor1, location, year FROM events)", False),
    ("Q16", "SELECT COUNT(*) AS events, SUM(fatalities) AS fatalities FROM events "
            "WHERE event_date >= DATE '2019-03-01' AND event_date < DATE '2019-09-01'", False),
    ("Q17", "SELECT SUM(running) FROM (SELECT SUM(fatalities) OVER (PARTITION BY country ORDER BY event_date, event_id_cnty "
            "ROWS UNBOUNDED PRECEDING) AS running FROM events)", False),
    ("Q18", "SELECT country, COUNT(*) AS events, SUM(fatalities) AS fatalities FROM ("
            "SELECT country, fatalities FROM events WHERE year < 2016 UNION ALL "
            "SELECT country, fatalities FROM events WHERE year >= 2022) GROUP BY country ORDER BY country", False),
    ("Q19", "SELECT COUNT(DISTINCT notes) FROM events", False),
]


def digest_rows(rows):
    return rows if len(rows) <= 6 else rows[:3] + rows[-3:]


def run_duckdb(a, wanted):
    import duckdb
    con = duckdb.connect(":memory:")
    if a.threads:
        con.execute("SET threads=%d" % a.threads)
    started = time.perf_counter()
    con.execute("CREATE TABLE events AS SELECT * FROM read_csv_auto('%s')" % a.events.replace("'", "''"))
    con.execute("CREATE TABLE regions AS SELECT * FROM read_csv_auto('%s')" % a.regions.replace("'", "''"))
    timings = [("load", time.perf_counter() - started)]
    out = []
    for name, query, digest in SQL:
        if name not in wanted:
            continue
        best = None
        for _ in range(a.repeat):
            started = time.perf_counter()
            if digest:
                # The whole sorted table is made inside the engine (as ConflictQL makes its
                # result table); only its ends cross into Python.
                con.execute("CREATE OR REPLACE TEMP TABLE sorted AS " + query)
                n = con.execute("SELECT COUNT(*) FROM sorted").fetchone()[0]
                rows = con.execute("SELECT * FROM sorted WHERE rowid < 3 OR rowid >= %d ORDER BY rowid" % (n - 3)).fetchall()
                con.execute("DROP TABLE sorted")
            else:
                rows = con.execute(query).fetchall()
            elapsed = time.perf_counter() - started
            best = elapsed if best is None else min(best, elapsed)
        timings.append((name, best))
        out.append("## " + name)
        out += ["\t".join(str(v) for v in row) for row in rows]
    return out, timings


def run_pandas(a, wanted):
    import pandas as pd
    started = time.perf_counter()
    df = pd.read_csv(a.events)
    regions = pd.read_csv(a.regions)
    timings = [("load", time.perf_counter() - started)]

    def q01():
        return [[int(((df.country == "Mali") & (df.event_type == "Battles")).sum())]]

    def q02():
        s = df.groupby("actor1", sort=False)["fatalities"].sum().reset_index(name="total")
        s = s.sort_values(["total", "actor1"], ascending=[False, True]).head(10)
        return list(zip(s.actor1, s.total))

    def q03():
        g = df.groupby("year")["fatalities"].agg(["size", "sum"]).sort_index()
        return list(zip(g.index, g["size"], g["sum"]))

    def q04():
        return list(df.groupby("country")["actor1"].nunique().sort_index().items())

    def q05():
        m = df[(df.country == "Mali") & df.event_date.str.startswith("2020-")]
        return list(m.groupby(m.event_date.str[:7])["fatalities"].sum().sort_index().items())

    def q06():
        return [[int(df.notes.str.contains("abducted", case=False, regex=False).sum())]]

    def q07():
        s = df.notes.sort_values(ascending=False, kind="stable")
        return [[v] for v in s]

    def q08():
        s = df[["admin1", "fatalities"]].sort_values(["admin1", "fatalities"], ascending=[True, False], kind="stable")
        return list(zip(s.admin1, s.fatalities))

    def q09():
        return [[v] for v in df.notes.sort_values(ascending=False).head(3)]

    def q10():
        s = df[["event_id_cnty", "fatalities"]].sort_values(["fatalities", "event_id_cnty"], ascending=[False, True]).head(5)
        return list(zip(s.event_id_cnty, s.fatalities))

    def q11():
        s = df[["event_id_cnty", "event_date", "fatalities"]].sort_values(
            ["event_date", "fatalities", "event_id_cnty"], ascending=[False, False, True]).head(5)
        return list(zip(s.event_id_cnty, s.event_date, s.fatalities))

    def q12():
        return [[df.event_id_cnty.nunique()]]

    def q13():
        t = df.groupby("actor1")["fatalities"].sum().rename("total")
        j = df[["actor1", "fatalities"]].join(t, on="actor1", how="inner")
        return [[int((j.fatalities * 100 > j.total).sum())]]

    def q14():
        j = df[["country", "fatalities"]].merge(regions[["country", "region"]], on="country", how="inner")
        g = j.groupby("region")["fatalities"].agg(["size", "sum"]).sort_index()
        return list(zip(g.index, g["size"], g["sum"]))

    def q15():
        return [[len(df[["actor1", "location", "year"]].drop_duplicates())]]

    def q16():
        m = df[(df.event_date >= "2019-03-01") & (df.event_date < "2019-09-01")]
        return [[len(m), int(m.fatalities.sum())]]

    def q17():
        s = df[["country", "event_date", "event_id_cnty", "fatalities"]].sort_values(["country", "event_date", "event_id_cnty"])
        return [[int(s.groupby("country")["fatalities"].cumsum().sum())]]

    def q18():
        u = pd.concat([df.loc[df.year < 2016, ["country", "fatalities"]], df.loc[df.year >= 2022, ["country", "fatalities"]]])
        g = u.groupby("country")["fatalities"].agg(["size", "sum"]).sort_index()
        return list(zip(g.index, g["size"], g["sum"]))

    def q19():
        return [[df.notes.nunique()]]

    functions = dict(Q01=q01, Q02=q02, Q03=q03, Q04=q04, Q05=q05, Q06=q06, Q07=q07, Q08=q08, Q09=q09, Q10=q10,
                     Q11=q11, Q12=q12, Q13=q13, Q14=q14, Q15=q15, Q16=q16, Q17=q17, Q18=q18, Q19=q19)
    out = []
    for name, _, digest in SQL:
        if name not in wanted:
            continue
        best = None
        for _ in range(a.repeat):
            started = time.perf_counter()
            rows = functions[name]()
            elapsed = time.perf_counter() - started
            best = elapsed if best is None else min(best, elapsed)
        timings.append((name, best))
        out.append("## " + name)
        out += ["\t".join(str(v) for v in row) for row in (digest_rows(rows) if digest else rows)]
    return out, timings


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("peer", choices=["duckdb", "pandas"])
    ap.add_argument("events")
    ap.add_argument("regions")
    ap.add_argument("--threads", type=int, default=0, help="DuckDB threads, 0 = its default")
    ap.add_argument("--timing", action="store_true", help="each question's time on stderr")
    ap.add_argument("--only", help="questions, as Q07,Q12")
    ap.add_argument("--repeat", type=int, default=1, help="best of this many runs per question")
    a = ap.parse_args()
    wanted = set(a.only.split(",")) if a.only else {name for name, _, _ in SQL}
    out, timings = (run_duckdb if a.peer == "duckdb" else run_pandas)(a, wanted)
    sys.stdout.write("\n".join(out) + "\n")
    if a.timing:
        for name, seconds in timings:
            sys.stderr.write("%s\t%.4f\n" % (name, seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
