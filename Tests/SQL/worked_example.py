#!/usr/bin/env python3
"""The worked example of SQLAndEngines.md: Tests/SQL/worked-example.cq over an events file,
run by ConflictQL and, from the SQL it emits, by an engine; the same answers, each one's time.

    python3 Tests/SQL/worked_example.py EVENTS.csv duckdb|postgres|spark [path/to/conflictql]

The file: `conflictql-bench --generate 5000000` writes the benchmark's. PostgreSQL needs
CONFLICTQL_POSTGRES (Tests/SQL/postgres.sh start) and psycopg; Spark needs pyspark and Java 17.
Prints the seconds the engine took to read the file (--schema) and to answer the queries.
"""
import subprocess
import sys
import time

from spark_samples import chunks, json_values, matches, plain, statements


def main():
    path, engine = sys.argv[1], sys.argv[2]
    binary = sys.argv[3] if len(sys.argv) > 3 else ".build/debug/conflictql"
    script = "Tests/SQL/worked-example.cq"
    load = ["--load", f"{path}=events"]
    started = time.monotonic()
    answers = json_values(subprocess.run([binary, "--format", "json", *load, script], capture_output=True, text=True, check=True).stdout)
    here = time.monotonic() - started
    with_schema = subprocess.run([binary, "--to-sql", engine, "--schema", *load, script], capture_output=True, text=True, check=True).stdout
    queries = subprocess.run([binary, "--to-sql", engine, *load, script], capture_output=True, text=True, check=True).stdout
    schema = with_schema[:len(with_schema) - len(queries)]
    if engine == "duckdb":
        import duckdb
        connection = duckdb.connect()
        run = lambda sql: connection.execute(sql).fetchall()
        execute = connection.execute
    elif engine == "postgres":
        import os
        import psycopg
        connection = psycopg.connect(os.environ["CONFLICTQL_POSTGRES"], autocommit=True)
        cursor = connection.cursor()
        run = lambda sql: (cursor.execute(sql), cursor.fetchall())[1]
        execute = cursor.execute
    else:
        import tempfile
        from pyspark.sql import SparkSession
        spark = (SparkSession.builder.master("local[2]").appName("conflictql").config("spark.ui.enabled", "false")
                 .config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="cq-spark-"))
                 .config("spark.ui.showConsoleProgress", "false").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        run = lambda sql: [list(row) for row in spark.sql(sql).collect()]
        execute = spark.sql
    started = time.monotonic()
    for statement in statements(schema):
        execute(statement)
    reading = time.monotonic() - started
    started = time.monotonic()
    results = [[[plain(v) for v in row] for row in run(body)] for kind, body in chunks(queries) if kind == "rows"]
    answering = time.monotonic() - started
    differ = 0
    for number, (mine, theirs) in enumerate(zip(answers, results), 1):
        rows = [list(r.values()) for r in mine] if isinstance(mine, list) else [[mine]]
        if not matches(rows, theirs):
            differ += 1
            print(f"result {number}: ConflictQL {rows[:3]} {engine} {theirs[:3]}")
    print(f"{engine}: {len(results)} results ({sum(len(r) for r in results)} rows), {differ} differ from ConflictQL's; "
          f"{engine} read the file in {reading:.1f} s and answered in {answering:.1f} s; ConflictQL ({binary}) loaded and answered in {here:.1f} s; "
          f"--schema is {len(schema.encode())} bytes")
    sys.exit(1 if differ or len(results) != len(answers) else 0)


if __name__ == "__main__":
    main()
