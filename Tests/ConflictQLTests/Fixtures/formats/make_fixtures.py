"""Makes the spreadsheet and Stata fixtures of FormatLoadingTests with real libraries.

    pip install openpyxl xlsxwriter pandas
    python3 Tests/ConflictQLTests/Fixtures/formats/make_fixtures.py

The generated files are committed, so the tests need no Python. The events are made up
but shaped as ACLED's export (its columns, its date and text conventions, long notes with
commas, quotes and line breaks); the places are Mali's regions and towns.
"""

import csv
import datetime
import os
import random
import zipfile

import openpyxl
import pandas as pd
from openpyxl.styles import Font

HERE = os.path.dirname(os.path.abspath(__file__))
random.seed(27)

COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
           "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "interaction",
           "civilian_targeting", "iso", "country", "admin1", "admin2", "location", "latitude",
           "longitude", "geo_precision", "source", "notes", "fatalities"]

PLACES = [("Mopti", "Bandiagara", "Bandiagara", 14.35, -3.61), ("Gao", "Ansongo", "Ansongo", 15.66, 0.50),
          ("Tombouctou", "Niafunke", "Leré", 15.71, -4.91), ("Segou", "Niono", "Diabaly", 14.69, -6.02),
          ("Menaka", "Menaka", "Ménaka", 15.92, 2.40), ("Kidal", "Kidal", "Kidal", 18.44, 1.41)]
TYPES = [("Political violence", "Battles", "Armed clash"),
         ("Political violence", "Violence against civilians", "Attack"),
         ("Political violence", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
         ("Demonstrations", "Protests", "Peaceful protest")]
ACTORS = ["JNIM: Group for Support of Islam and Muslims", "Islamic State (Sahel)", "Military Forces of Mali (2021-)",
          "Dan Na Ambassagou", "Protesters (Mali)", "Wagner Group"]


def events(n=60):
    rows = []
    for k in range(n):
        admin1, admin2, location, lat, lon = random.choice(PLACES)
        disorder, event_type, sub = random.choice(TYPES)
        date = datetime.date(2021, 1, 1) + datetime.timedelta(days=random.randrange(0, 1000))
        notes = (f"On {date.strftime('%-d %B %Y')}, {random.choice(ACTORS)} attacked near {location} ({admin1}). "
                 f"Reports say \"{random.randint(1, 9)} killed\", others disagree")
        if k % 7 == 0:
            notes += "\nA second paragraph, after a line break."
        rows.append({
            "event_id_cnty": f"MLI{30000 + k}",
            "event_date": date,
            "year": date.year,
            "time_precision": random.choice([1, 1, 2]),
            "disorder_type": disorder,
            "event_type": event_type,
            "sub_event_type": sub,
            "actor1": random.choice(ACTORS),
            "assoc_actor_1": "" if k % 3 else "Fulani Ethnic Militia (Mali)",
            "inter1": random.randint(1, 8),
            "actor2": "" if k % 4 == 0 else random.choice(ACTORS),
            "interaction": random.choice([12, 17, 27, 60]),
            "civilian_targeting": "Civilian targeting" if event_type == "Violence against civilians" else "",
            "iso": 466,
            "country": "Mali",
            "admin1": admin1,
            "admin2": admin2,
            "location": location,
            "latitude": round(lat + random.uniform(-0.2, 0.2), 4),
            "longitude": round(lon + random.uniform(-0.2, 0.2), 4),
            "geo_precision": random.choice([1, 2, 3]),
            "source": random.choice(["Studio Tamani", "MINUSMA; Twitter", "Le Figaro, AFP"]),
            "notes": notes,
            "fatalities": random.choice([0, 0, 1, 2, 5, 12]),
        })
    return rows


def write_csv(rows, path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(["" if row[c] is None else (row[c].isoformat() if isinstance(row[c], datetime.date) else row[c])
                             for c in COLUMNS])


def write_xlsx(rows, path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Events"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([None if row[c] == "" else row[c] for c in COLUMNS])
    for cell in sheet["B"][1:]:
        cell.number_format = "yyyy-mm-dd"
    # A second sheet: merged header cells, booleans, a formula never calculated, an error,
    # date-times, times, and dates on both sides of Excel's 29 February 1900.
    other = book.create_sheet("Casualty figures")
    other.append(["region", "reported", None, "verified", "when", "at", "early"])
    other.merge_cells("B1:C1")
    other.append(["Mopti", 12, 10, True, datetime.datetime(2022, 3, 1, 14, 30), datetime.time(6, 15), datetime.date(1900, 1, 15)])
    other.append(["Gao", 4, 4, False, datetime.datetime(2022, 3, 2), datetime.time(23, 59, 59), datetime.date(1900, 3, 1)])
    other.append(["Menaka", "=B3*2", None, None, None, None, None])
    other["D4"] = "#N/A"
    other["D4"].data_type = "e"
    book.create_sheet("Sources").append(["name", "url"])
    book["Sources"].append(["ACLED", "https://acleddata.com"])
    book.save(path)


def write_pandas_xlsxwriter(rows, path):
    """The same events as pandas writes them with XlsxWriter: shared strings (as Excel
    writes them; openpyxl writes inline strings), dates as date-times at midnight."""
    frame = pd.DataFrame(rows)[COLUMNS].replace("", None)
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    frame.to_excel(path, index=False, sheet_name="Events", engine="xlsxwriter")


def write_handmade(path):
    """Parts as Excel writes them and openpyxl does not: inline strings, rich text with a
    phonetic run, `_x000D_` escapes, the 1904 date system, a sheet starting at B2."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<workbookPr date1904="1"/><sheets><sheet name="Data &amp; notes" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            '</Relationships>',
        "xl/strings.xml": '<?xml version="1.0" encoding="UTF-8"?>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">'
            '<si><t>town</t></si><si><t>day</t></si>'
            '<si><r><rPr><b/></rPr><t xml:space="preserve">Tombouctou </t></r><r><t>(Timbuktu)</t></r><rPh sb="0" eb="1"><t>XX</t></rPh></si>'
            '</sst>',
        "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8"?>'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<numFmts count="1"><numFmt numFmtId="164" formatCode="d\\ mmmm\\ yyyy;@"/></numFmts>'
            '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="11"/></cellXfs></styleSheet>',
        "xl/worksheets/data.xml": '<?xml version="1.0" encoding="UTF-8"?>'
            '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:dimension ref="B2:D5"/><x:sheetData>'
            '<x:row r="2"><x:c r="B2" t="s"><x:v>0</x:v></x:c><x:c r="C2" t="s"><x:v>1</x:v></x:c><x:c r="D2" t="inlineStr"><x:is><x:t>count</x:t></x:is></x:c></x:row>'
            '<x:row r="3"><x:c r="B3" t="s"><x:v>2</x:v></x:c><x:c r="C3" s="1"><x:v>42216</x:v></x:c><x:c r="D3" s="2"><x:v>1.5E3</x:v></x:c></x:row>'
            '<x:row r="5"><x:c r="B5" t="inlineStr"><x:is><x:t>Gao_x000D_\nline &amp; &lt;two&gt;</x:t></x:is></x:c><x:c r="C5" s="1"><x:v>0</x:v></x:c>'
            '<x:c r="D5"><x:v>-7</x:v></x:c></x:row>'
            '</x:sheetData></x:worksheet>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)


def write_stata(rows):
    frame = pd.DataFrame(rows)[COLUMNS]
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    for column in ["assoc_actor_1", "actor2", "civilian_targeting"]:
        frame[column] = frame[column].replace("", None)
    frame.loc[3, "fatalities"] = None  # a missing number: Stata's '.'
    frame["fatalities"] = frame["fatalities"].astype("float64")
    frame["event_type"] = frame["event_type"].astype("category")  # value labels
    frame["small"] = (frame["inter1"]).astype("int8")
    frame["ratio"] = (frame["latitude"] / 10).astype("float32")
    plain = frame.copy()
    plain["event_date"] = plain["event_date"].dt.strftime("%Y-%m-%d")
    plain.to_csv(os.path.join(HERE, "acled_events_stata.csv"), index=False, lineterminator="\n")
    # pandas' default format, 114 (Stata 10 to 12): no strL, text in Latin-1.
    frame.to_stata(os.path.join(HERE, "acled_events_114.dta"), write_index=False, convert_dates={"event_date": "td"},
                   data_label="ACLED-shaped events (made up)")
    for version in (117, 118, 119):
        frame.to_stata(os.path.join(HERE, f"acled_events_{version}.dta"), version=version, write_index=False,
                       convert_dates={"event_date": "td"}, convert_strl=["notes"] if version != 117 else [],
                       data_label="ACLED-shaped events (made up)")


if __name__ == "__main__":
    rows = events()
    write_csv(rows, os.path.join(HERE, "acled_events.csv"))
    write_xlsx(rows, os.path.join(HERE, "acled_events.xlsx"))
    write_pandas_xlsxwriter(rows, os.path.join(HERE, "acled_events_pandas.xlsx"))
    write_handmade(os.path.join(HERE, "handmade.xlsx"))
    write_stata(rows)
