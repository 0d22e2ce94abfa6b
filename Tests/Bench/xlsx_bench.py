"""Writes N ACLED-shaped events (make_fixtures.py's generator) as CSV and as an .xlsx
(XlsxWriter, shared strings, as Excel writes them) into a folder, to time loading one
against the other:

    python3 Tests/Bench/xlsx_bench.py 100000 /tmp/xlsx-bench
    time conflictql -c 'load "/tmp/xlsx-bench/events.csv" as e; e | count'
    time conflictql -c 'load "/tmp/xlsx-bench/events.xlsx" as e; e | count'
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ConflictQLTests", "Fixtures", "formats"))
import make_fixtures  # noqa: E402
import xlsxwriter  # noqa: E402

n, folder = int(sys.argv[1]), sys.argv[2]
os.makedirs(folder, exist_ok=True)
rows = make_fixtures.events(n)
make_fixtures.write_csv(rows, os.path.join(folder, "events.csv"))
book = xlsxwriter.Workbook(os.path.join(folder, "events.xlsx"), {"constant_memory": False})
sheet = book.add_worksheet("Events")
dates = book.add_format({"num_format": "yyyy-mm-dd"})
sheet.write_row(0, 0, make_fixtures.COLUMNS)
for r, row in enumerate(rows, start=1):
    for c, name in enumerate(make_fixtures.COLUMNS):
        value = row[name]
        if value == "":
            continue
        if name == "event_date":
            sheet.write_datetime(r, c, value, dates)
        else:
            sheet.write(r, c, value)
book.close()
