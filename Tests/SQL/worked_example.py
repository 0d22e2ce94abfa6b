#!/usr/bin/env python3
"""The worked example of SQLAndEngines.md: Tests/SQL/worked-example.cq over an events file,
run by ConflictQL and, from the SQL it emits, by an engine; the same answers, each one's time.

    python3 Tests/SQL/worked_example.py EVENTS.csv duckdb|postgres|spark [path/to/conflictql]
    python3 Tests/SQL/worked_example.py EVENTS.csv engine|spark-engine [path/to/conflictql]

With `engine`, the file is put in a PostgreSQL database of its own (conflictql_worked, from
--schema) and the script is run twice by ConflictQL itself: here over the loaded file, and
with `--engine` over the database, every query run in PostgreSQL; the two outputs (tables and
terminal charts) must be the same text. `spark-engine` does the same with the Spark Connect
server CONFLICTQL_SPARK names (Tests/Spark/spark.sh start; pip install 'pyspark[connect]'):
the file becomes a Parquet table `events` there (CREATE TABLE ... AS from --schema's view),
beside the briefing's tables.

The file: `conflictql-bench --generate 5000000` writes the benchmark's. PostgreSQL needs
CONFLICTQL_POSTGRES (Tests/SQL/postgres.sh start) and psycopg; Spark needs pyspark and Java 17.
Prints the seconds the engine took to read the file (--schema) and to answer the queries.
"""
import subprocess
import sys
import time

from spark_samples import chunks, json_values, matches, plain, statements


def schema_and_queries(binary, dialect, path, script):
    """--to-sql DIALECT's statements that make the tables (--schema less the queries), and the queries."""
    load = ["--load", f"{path}=events"]
    with_schema = subprocess.run([binary, "--to-sql", dialect, "--schema", *load, script], capture_output=True, text=True,
                                 check=True).stdout
    queries = subprocess.run([binary, "--to-sql", dialect, *load, script], capture_output=True, text=True, check=True).stdout
    return with_schema[:len(with_schema) - len(queries)], queries


def compare_through(mode, address, made, binary, path, script):
    """Runs the script here over the file and through --engine ADDRESS, compares the outputs as
    text and exits with the verdict; `made` says how the engine got the file."""
    import os
    environment = dict(os.environ, NO_COLOR="1")
    started = time.monotonic()
    here = subprocess.run([binary, "--no-sources", "--load", f"{path}=events", script], capture_output=True, text=True,
                          check=True, env=environment)
    local = time.monotonic() - started
    started = time.monotonic()
    there = subprocess.run([binary, "--no-sources", "--engine", address, script], capture_output=True, text=True,
                           check=True, env=environment)
    remote = time.monotonic() - started
    same = here.stdout == there.stdout
    if not same:
        for number, (a, b) in enumerate(zip(here.stdout.splitlines(), there.stdout.splitlines()), 1):
            if a != b:
                print(f"line {number}: here {a!r}\n         there {b!r}")
                break
    print(there.stderr.strip())
    print(f"{mode}: the outputs ({len(here.stdout.splitlines())} lines, charts included) are {'the same' if same else 'different'}; "
          f"{made}; ConflictQL ({binary}) loaded and answered in {local:.1f} s here, "
          f"and answered through --engine in {remote:.1f} s")
    sys.exit(0 if same else 1)


def through_engine(path, binary, script):
    import os
    import psycopg
    server = os.environ["CONFLICTQL_POSTGRES"]
    database = "conflictql_worked"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {database}")
    address = " ".join(w for w in server.split() if not w.startswith("dbname=")) + f" dbname={database}"
    schema, _ = schema_and_queries(binary, "postgres", path, script)
    started = time.monotonic()
    with psycopg.connect(address, autocommit=True) as connection:
        for statement in statements(schema):
            connection.execute(statement)
        connection.execute("ANALYZE")
    reading = time.monotonic() - started
    compare_through("engine", address, f"PostgreSQL read the file in {reading:.1f} s", binary, path, script)


def through_spark(path, binary, script):
    import os
    from pyspark.sql import SparkSession
    server = os.environ["CONFLICTQL_SPARK"]
    spark = SparkSession.builder.remote(server).getOrCreate()
    schema, _ = schema_and_queries(binary, "spark", path, script)
    started = time.monotonic()
    spark.sql("DROP TABLE IF EXISTS `events`")
    for statement in statements(schema):
        # The file's view is this client's alone: a table made from it is every session's.
        spark.sql(statement.replace("TEMPORARY VIEW `events`", "TEMPORARY VIEW `_cq_view_events`"))
    spark.sql("CREATE TABLE `events` USING parquet AS SELECT * FROM `_cq_view_events`")
    reading = time.monotonic() - started
    compare_through("spark-engine", server, f"Spark made the Parquet table from the file in {reading:.1f} s", binary, path, script)


def main():
    path, engine = sys.argv[1], sys.argv[2]
    binary = sys.argv[3] if len(sys.argv) > 3 else ".build/debug/conflictql"
    script = "Tests/SQL/worked-example.cq"
    if engine == "engine":
        return through_engine(path, binary, script)
    if engine == "spark-engine":
        return through_spark(path, binary, script)
    load = ["--load", f"{path}=events"]
    started = time.monotonic()
    answers = json_values(subprocess.run([binary, "--format", "json", *load, script], capture_output=True, text=True, check=True).stdout)
    here = time.monotonic() - started
    schema, queries = schema_and_queries(binary, engine, path, script)
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
