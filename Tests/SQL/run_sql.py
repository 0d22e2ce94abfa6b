#!/usr/bin/env python3
"""Runs SQL that ConflictQL emitted in a real engine, for the differential tests.

Reads a JSON job on standard input:
    {"engine": "duckdb" | "postgres", "dsn": "...", "schema": "CREATE ...",
     "scripts": [[{"sql": "...", "rows": true}, ...], ...]}
Each script runs in order on a fresh connection after the schema script; the statements with
"rows": true give results. Writes JSON to standard output: for each script, a list of
{"rows": [[...], ...]} or {"error": "..."} per statement that gives rows. Dates are written
"YYYY-MM-DD", decimals as floats.
"""
import datetime
import decimal
import json
import sys


def plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, decimal.Decimal):
        value = float(value)
    if isinstance(value, float) and value != value or value in (float("inf"), float("-inf")):
        # JSON has no NaN or infinity: written as text, which never equals a number.
        return "non-finite " + repr(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def connect(job):
    if job["engine"] == "duckdb":
        import duckdb
        connection = duckdb.connect()
        connection.execute("SET threads TO 1")
        return connection
    import psycopg
    return psycopg.connect(job["dsn"], autocommit=True)


def run_script(job, script):
    connection = connect(job)
    cursor = connection.cursor()
    cursor.execute(job["schema"]) if job["engine"] == "postgres" else connection.execute(job["schema"])
    results = []
    for statement in script:
        try:
            cursor.execute(statement["sql"])
            if statement["rows"]:
                results.append({"rows": [[plain(v) for v in row] for row in cursor.fetchall()]})
        except Exception as error:  # the engine's error is the answer
            if statement["rows"]:
                results.append({"error": str(error).splitlines()[0]})
            if job["engine"] == "postgres":
                connection.rollback() if not connection.autocommit else None
    connection.close()
    return results


def main():
    job = json.load(sys.stdin)
    json.dump([run_script(job, script) for script in job["scripts"]], sys.stdout)


if __name__ == "__main__":
    main()
