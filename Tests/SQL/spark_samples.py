#!/usr/bin/env python3
"""Runs the samples' SQL in Spark (PySpark, local mode) and compares with ConflictQL.

    python3 Tests/SQL/spark_samples.py [path/to/conflictql] [--generated N]

For each Samples/*.cq: `conflictql --to-sql spark --schema` gives the tables (a loaded CSV file
as a view over the file) and the queries; Spark runs them; `conflictql --format json` gives
ConflictQL's answers; every result of a statement Spark SQL can express must match row for row
(a date as its first day, floats to 1e-9), the refused ones are counted.
With --generated N, also N pipelines of the query generator (`conflictql-fuzz sql spark N`,
beside the conflictql binary), over the fuzzing session's tables, compared the same way.
Too slow for CI (Spark starts a JVM); its last result is recorded in
Sources/ConflictQL/ConflictQL.docc/SQLAndEngines.md.
Needs `pip install pyspark` and Java 17.
"""
import datetime
import decimal
import glob
import json
import math
import os
import subprocess
import sys
import tempfile


def json_values(text):
    decoder = json.JSONDecoder()
    position, values = 0, []
    while position < len(text):
        while position < len(text) and text[position].isspace():
            position += 1
        if position == len(text):
            break
        value, position = decoder.raw_decode(text, position)
        values.append(value)
    return values


def statements(sql):
    out, current = [], []
    for line in sql.splitlines():
        if line.startswith("--"):
            continue
        current.append(line)
        if line.endswith(";"):
            out.append("\n".join(current).rstrip(";"))
            current = []
    return [s for s in out if s.strip()]


def plain(value):
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return "non-finite " + repr(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def same(mine, theirs):
    if isinstance(mine, str) and isinstance(theirs, str) and len(theirs) == 10 and theirs[4] == "-":
        padded = mine + "-01" * ((10 - len(mine)) // 3) if len(mine) in (4, 7) else mine
        return padded == theirs or mine == theirs
    if isinstance(mine, float) or isinstance(theirs, float):
        if mine is None or theirs is None:
            return mine is theirs
        return math.isclose(float(mine), float(theirs), rel_tol=1e-9, abs_tol=0)
    if isinstance(mine, list) and isinstance(theirs, list):
        return len(mine) == len(theirs) and all(same(a, b) for a, b in zip(mine, theirs))
    return mine == theirs


def chunks(sql):
    """The statements `--to-sql` wrote, each with its kind: rows, definition, refused, none."""
    out = []
    for chunk in sql.split("\n\n"):
        lines = [line for line in chunk.splitlines() if line.strip()]
        body = "\n".join(line for line in lines if not line.startswith("--")).strip().rstrip(";")
        if any(": not compiled: " in line for line in lines if line.startswith("--")):
            out.append(("refused", None))
        elif not body:
            out.append(("none", None))
        elif body.upper().startswith(("WITH", "SELECT")):
            out.append(("rows", body))
        else:
            out.append(("definition", body))
    return out


def matches(rows, theirs):
    return len(rows) == len(theirs) and all(len(a) == len(b) and all(same(x, y) for x, y in zip(a, b)) for a, b in zip(rows, theirs))


def generated(spark, binary, count):
    """Compares `count` generated pipelines; returns (compared, differ, failed)."""
    import os
    fuzz = os.path.join(os.path.dirname(binary), "conflictql-fuzz")
    job = json.loads(subprocess.run([fuzz, "sql", "spark", str(count), "1207"], capture_output=True, text=True, check=True).stdout)
    for statement in statements(job["schema"]):
        spark.sql(statement)
    compared = differ = failed = 0
    for item in job["statements"]:
        compared += 1
        try:
            theirs = [[plain(v) for v in row] for row in spark.sql(item["sql"].rstrip().rstrip(";")).collect()]
        except Exception as error:  # Spark's error is its answer
            failed += 1
            print(f"generated, Spark failed: {str(error).splitlines()[0][:200]}\n  {item['query']}")
            continue
        if not matches(item["rows"], theirs):
            differ += 1
            print(f"generated: ConflictQL {item['rows'][:3]} Spark {theirs[:3]}\n  {item['query']}")
    return compared, differ, failed


def main():
    arguments = [a for a in sys.argv[1:]]
    count = 0
    if "--generated" in arguments:
        index = arguments.index("--generated")
        count = int(arguments[index + 1])
        del arguments[index:index + 2]
    binary = arguments[0] if arguments else ".build/debug/conflictql"
    from pyspark.sql import SparkSession
    warehouse = tempfile.mkdtemp(prefix="cq-spark-")
    spark = (SparkSession.builder.master("local[1]").appName("conflictql")
             .config("spark.sql.warehouse.dir", warehouse).config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    compared = differ = refused = failed = 0
    for sample in sorted(glob.glob("Samples/*.cq")):
        with_schema = subprocess.run([binary, "--to-sql", "spark", "--schema", sample], capture_output=True, text=True).stdout
        queries = subprocess.run([binary, "--to-sql", "spark", sample], capture_output=True, text=True).stdout
        schema = with_schema[:len(with_schema) - len(queries)]
        answers = json_values(subprocess.run([binary, "--format", "json", sample], capture_output=True, text=True, check=True).stdout)
        for statement in statements(schema):
            spark.sql(statement)
        results = []
        for kind, body in chunks(queries):
            if kind == "definition":
                spark.sql(body)
            elif kind == "refused":
                results.append(("refused", None))
            elif kind == "rows":
                try:
                    results.append(("rows", [[plain(v) for v in row] for row in spark.sql(body).collect()]))
                except Exception as error:  # Spark's error is its answer
                    results.append(("error", str(error).splitlines()[0][:300]))
        if len(results) != len(answers):
            print(f"{sample}: {len(results)} results from Spark, {len(answers)} from ConflictQL")
            differ += 1
            continue
        for number, (mine, (kind, theirs)) in enumerate(zip(answers, results), 1):
            if kind == "refused":
                refused += 1
                continue
            compared += 1
            if kind == "error":
                failed += 1
                print(f"{sample}, result {number}: Spark failed: {theirs}")
                continue
            rows = [list(r.values()) for r in mine] if isinstance(mine, list) else [[mine]]
            if not matches(rows, theirs):
                differ += 1
                print(f"{sample}, result {number}: ConflictQL {rows[:3]} Spark {theirs[:3]}")
    print(f"spark {spark.version}, samples: {compared} results compared, {differ} differ, {failed} failed in Spark, {refused} refused as not expressible")
    if count:
        g_compared, g_differ, g_failed = generated(spark, binary, count)
        print(f"spark {spark.version}, generated: {g_compared} statements compared (of {count} pipelines), {g_differ} differ, {g_failed} failed in Spark")
        differ, failed = differ + g_differ, failed + g_failed
    spark.stop()
    sys.exit(1 if differ or failed else 0)


if __name__ == "__main__":
    main()
