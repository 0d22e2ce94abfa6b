#!/usr/bin/env python3
"""Writes the Arrow IPC streams ArrowStreamTests reads (Tests/ConflictQLTests/Fixtures/arrow/).

    python3 Tests/Spark/make_arrow_fixtures.py   # needs pyarrow (pip install pyarrow)

Written by pyarrow, an Arrow implementation other than ours, so the reader is checked against
the format rather than against itself: every type the reader takes, with nulls, in two record
batches; a stream with a map column (refused); and Spark's own form of a decimal sum.
"""
import datetime
import decimal
import os

import pyarrow as pa

HERE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                    "Tests/ConflictQLTests/Fixtures/arrow")


def write(name, batches, schema):
    with pa.OSFile(os.path.join(HERE, name), "wb") as sink:
        with pa.ipc.new_stream(sink, schema) as writer:
            for batch in batches:
                writer.write_batch(batch)


schema = pa.schema([
    ("i8", pa.int8()), ("i16", pa.int16()), ("i32", pa.int32()), ("i64", pa.int64()),
    ("f32", pa.float32()), ("f64", pa.float64()), ("text", pa.string()), ("large", pa.large_string()),
    ("flag", pa.bool_()), ("day", pa.date32()), ("seen", pa.timestamp("us", tz="UTC")),
    ("total", pa.decimal128(38, 0)), ("share", pa.decimal128(10, 2)), ("tags", pa.list_(pa.string())),
])
first = pa.record_batch([
    pa.array([-128, None, 7], pa.int8()), pa.array([-32768, 2, None], pa.int16()),
    pa.array([None, -2147483648, 3], pa.int32()), pa.array([9223372036854775807, None, -1], pa.int64()),
    pa.array([1.5, None, -0.25], pa.float32()), pa.array([float("nan"), 2.5e300, None]),
    pa.array(["Gao", None, "Ségou ✓"]), pa.array([None, "Kidal", ""], pa.large_string()),
    pa.array([True, None, False]), pa.array([datetime.date(2012, 1, 17), None, datetime.date(1969, 12, 31)]),
    pa.array([datetime.datetime(2024, 5, 1, 10, 0, tzinfo=datetime.timezone.utc), None,
              datetime.datetime(1969, 12, 31, 23, 59, tzinfo=datetime.timezone.utc)], pa.timestamp("us", tz="UTC")),
    pa.array([decimal.Decimal(-5), decimal.Decimal(123456789012345678), None], pa.decimal128(38, 0)),
    pa.array([decimal.Decimal("12.34"), None, decimal.Decimal("-0.05")], pa.decimal128(10, 2)),
    pa.array([["a", "b"], None, []], pa.list_(pa.string())),
], schema=schema)
second = pa.record_batch([
    pa.array([1], pa.int8()), pa.array([2], pa.int16()), pa.array([3], pa.int32()), pa.array([4]),
    pa.array([5.0], pa.float32()), pa.array([6.0]), pa.array(["Mopti"]), pa.array(["Tombouctou"], pa.large_string()),
    pa.array([True]), pa.array([datetime.date(2026, 12, 7)]),
    pa.array([datetime.datetime(2026, 12, 7, tzinfo=datetime.timezone.utc)], pa.timestamp("us", tz="UTC")),
    pa.array([decimal.Decimal(0)], pa.decimal128(38, 0)), pa.array([decimal.Decimal("1.00")], pa.decimal128(10, 2)),
    pa.array([[None, "c"]], pa.list_(pa.string())),
], schema=schema)
os.makedirs(HERE, exist_ok=True)
write("types.arrows", [first, second], schema)
mapped = pa.schema([("id", pa.int64()), ("attributes", pa.map_(pa.string(), pa.string()))])
write("map.arrows", [pa.record_batch([pa.array([1]), pa.array([[("k", "v")]], pa.map_(pa.string(), pa.string()))], schema=mapped)], mapped)
print("wrote", HERE)
