#!/usr/bin/env python3
"""Writes the Parquet fixtures of ParquetTests: one made-up table of 40 ACLED-shaped events
(events.csv, beside it) written by pyarrow and DuckDB with each codec, page version and
encoding ConflictQL reads, and a few files of single types. Run from anywhere:

    pip install pyarrow duckdb
    python3 Tests/ConflictQLTests/Fixtures/parquet/make_fixtures.py
"""
import csv
import datetime
import decimal
import os

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
REGIONS = ["Mopti", "Gao", "Tombouctou", "Ségou", "Kidal", "Ménaka"]
TYPES = ["Battles", "Violence against civilians", "Explosions/Remote violence", "Protests"]


def events():
    rows = []
    for i in range(40):
        day = datetime.date(2019, 1, 1) + datetime.timedelta(days=37 * i)
        rows.append({
            "event_id_cnty": f"MLI{1000 + i}",
            "event_date": day,
            "year": day.year,
            "event_type": TYPES[i % len(TYPES)],
            "admin1": REGIONS[(i * 7) % len(REGIONS)],
            "latitude": round(14.0 + i * 0.137, 4),
            "longitude": round(-4.0 + i * 0.071, 4),
            "fatalities": None if i % 9 == 4 else (i * 5) % 17,
            "civilian_targeting": i % 3 == 0,
            # Nulls, an empty string, quotes, commas and non-ASCII text.
            "notes": None if i % 11 == 3 else "" if i == 7 else f"Événement n°{i}: \"clash\", près de {REGIONS[i % 6]}",
        })
    return rows


def table(rows):
    return pa.table({
        "event_id_cnty": pa.array([r["event_id_cnty"] for r in rows], pa.string()),
        "event_date": pa.array([r["event_date"] for r in rows], pa.date32()),
        "year": pa.array([r["year"] for r in rows], pa.int64()),
        "event_type": pa.array([r["event_type"] for r in rows], pa.string()),
        "admin1": pa.array([r["admin1"] for r in rows], pa.string()),
        "latitude": pa.array([r["latitude"] for r in rows], pa.float64()),
        "longitude": pa.array([r["longitude"] for r in rows], pa.float64()),
        "fatalities": pa.array([r["fatalities"] for r in rows], pa.int64()),
        "civilian_targeting": pa.array([r["civilian_targeting"] for r in rows], pa.bool_()),
        "notes": pa.array([r["notes"] for r in rows], pa.string()),
    })


def write_csv(rows, path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(rows[0].keys())
        for r in rows:
            cells = []
            for key, value in r.items():
                if value is None:
                    cells.append("")
                elif isinstance(value, bool):
                    cells.append("true" if value else "false")
                else:
                    cells.append(str(value))
            writer.writerow(cells)
    # An empty string must read back as one, not as null: quote it (row 7's notes).
    lines = open(path, encoding="utf-8").read().split("\n")
    lines[8] = lines[8][: lines[8].rfind(",") + 1] + '""'
    open(path, "w", encoding="utf-8").write("\n".join(lines))


def main():
    rows = events()
    write_csv(rows, os.path.join(HERE, "events.csv"))
    t = table(rows)
    out = lambda name: os.path.join(HERE, name)
    # pyarrow's defaults: dictionary pages, Snappy, data pages v1.
    pq.write_table(t, out("pyarrow_snappy.parquet"))
    pq.write_table(t, out("pyarrow_zstd_v2.parquet"), compression="zstd", data_page_version="2.0")
    pq.write_table(t, out("pyarrow_gzip_plain.parquet"), compression="gzip", use_dictionary=False)
    # Several row groups and several pages per chunk, uncompressed.
    pq.write_table(t, out("pyarrow_row_groups.parquet"), compression="none", row_group_size=15, data_page_size=64,
                   write_batch_size=5)
    # The DELTA encodings and BYTE_STREAM_SPLIT, on v2 pages.
    pq.write_table(t, out("pyarrow_delta.parquet"), use_dictionary=False, data_page_version="2.0", compression="snappy",
                   column_encoding={"year": "DELTA_BINARY_PACKED", "fatalities": "DELTA_BINARY_PACKED",
                                    "event_id_cnty": "DELTA_BYTE_ARRAY", "notes": "DELTA_LENGTH_BYTE_ARRAY",
                                    "admin1": "DELTA_BYTE_ARRAY", "event_type": "DELTA_LENGTH_BYTE_ARRAY",
                                    "latitude": "BYTE_STREAM_SPLIT", "longitude": "BYTE_STREAM_SPLIT"})
    con = duckdb.connect()
    # From the same table (DuckDB's CSV reader would make the quoted empty note a null).
    con.register("arrow_events", t)
    con.execute("CREATE TABLE events AS SELECT * FROM arrow_events")
    con.execute(f"COPY events TO '{out('duckdb.parquet')}' (FORMAT parquet)")
    con.execute(f"COPY events TO '{out('duckdb_zstd_v2.parquet')}' (FORMAT parquet, COMPRESSION zstd, PARQUET_VERSION v2)")

    # Single types: timestamps (midnights become dates, times of day text), decimals, unsigned
    # integers, Spark's INT96 timestamps, small integers, an all-null column.
    types = pa.table({
        "midnight": pa.array([datetime.datetime(2020, 1, 4), None, datetime.datetime(1969, 12, 31)], pa.timestamp("us")),
        "moment": pa.array([datetime.datetime(2020, 1, 4, 13, 45, 7, 250000), datetime.datetime(1960, 6, 1, 0, 0, 1), None],
                           pa.timestamp("ms")),
        "amount": pa.array([decimal.Decimal("1234.50"), decimal.Decimal("-0.25"), None], pa.decimal128(9, 2)),
        "big_amount": pa.array([decimal.Decimal("123456789012345678.9"), decimal.Decimal("-1.5"), None], pa.decimal128(30, 1)),
        "count32": pa.array([4000000000, 0, None], pa.uint32()),
        "small": pa.array([-3, 127, None], pa.int8()),
        "ratio": pa.array([0.5, None, -2.25], pa.float32()),
        "nothing": pa.array([None, None, None], pa.null()),
    })
    pq.write_table(types, out("types.parquet"))
    pq.write_table(pa.table({"moment": types["moment"]}), out("int96.parquet"), use_deprecated_int96_timestamps=True)
    nested = pa.table({"id": [1, 2], "actors": pa.array([["JNIM", "FAMa"], ["ISGS"]], pa.list_(pa.string()))})
    pq.write_table(nested, out("nested.parquet"))


if __name__ == "__main__":
    main()
