#!/usr/bin/env python3
"""Writes the bad binary files the diagnostic catalogue's examples load (LoadMessages.swift):
each is a small file that is wrong in exactly one way. Run from anywhere:

    pip install pyarrow msoffcrypto-tool
    python3 Tests/ConflictQLTests/Catalogue/data/make_bad_files.py

- brotli.parquet: a whole Parquet file whose pages are Brotli-compressed (not read).
- bit-packed.parquet: a PLAIN file whose one data page says BIT_PACKED (4), a deprecated
  encoding no writer uses for values any more; every other byte as pyarrow wrote it.
- damaged.parquet: a Parquet file cut short (its closing PAR1 gone), as a truncated copy is.
- stata-120.dta: the format-118 fixture with its release changed to 120 (no such format).
- old-excel.xls: the 512-byte header of an OLE compound file (Excel 97-2003's container),
  with an empty directory: enough to be recognised, and no more.
- encrypted.xlsx: Fixtures/formats/handmade.xlsx encrypted with the password "sahel" (msoffcrypto-tool,
  the ECMA-376 agile encryption Excel uses).
- wide.csv.gz: two lines of 32,768 commas, 32,769 empty fields each (more columns than a
  table may have).
"""
import gzip
import io
import os
import shutil
import struct

import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "..", "Fixtures")


def table():
    return pa.table({"region": ["Mopti", "Gao", "Kidal"], "fatalities": pa.array([3, 0, 12], pa.int64())})


def brotli():
    pq.write_table(table(), os.path.join(HERE, "brotli.parquet"), compression="brotli")


def bit_packed():
    sink = io.BytesIO()
    pq.write_table(pa.table({"fatalities": pa.array([3, 0, 12], pa.int64())}), sink, compression="none",
                   use_dictionary=False, write_statistics=False, data_page_version="1.0")
    data = bytearray(sink.getvalue())
    start = pq.ParquetFile(io.BytesIO(bytes(data))).metadata.row_group(0).column(0).data_page_offset
    # The page header (Thrift compact): type, sizes, then the data page header, whose second
    # field is the encoding. PLAIN is 0, written as the zigzag varint 0 after the field byte
    # 0x15; BIT_PACKED is 4, zigzag 8.
    header = data[start:start + 40]
    at = header.index(b"\x15\x00", header.index(b"\x2c")) + start
    data[at + 1] = 0x08
    open(os.path.join(HERE, "bit-packed.parquet"), "wb").write(bytes(data))


def damaged():
    sink = io.BytesIO()
    pq.write_table(table(), sink)
    open(os.path.join(HERE, "damaged.parquet"), "wb").write(sink.getvalue()[:-3])


def stata_120():
    data = open(os.path.join(FIXTURES, "formats", "acled_events_118.dta"), "rb").read()
    assert b"<release>118</release>" in data
    open(os.path.join(HERE, "stata-120.dta"), "wb").write(data.replace(b"<release>118</release>", b"<release>120</release>", 1))


def old_excel():
    header = bytearray(512)
    header[0:8] = bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
    struct.pack_into("<HHH", header, 0x18, 0x3E, 3, 0xFFFE)  # minor and major version, byte order
    struct.pack_into("<H", header, 0x1E, 9)                   # 512-byte sectors
    struct.pack_into("<I", header, 0x30, 0xFFFFFFFE)          # no directory sector
    open(os.path.join(HERE, "old-excel.xls"), "wb").write(bytes(header))


def encrypted():
    import msoffcrypto.format.ooxml
    plain = open(os.path.join(FIXTURES, "formats", "handmade.xlsx"), "rb")
    with open(os.path.join(HERE, "encrypted.xlsx"), "wb") as out:
        msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("sahel", out)


def wide():
    text = ("," * 32768 + "\n") * 2
    open(os.path.join(HERE, "wide.csv.gz"), "wb").write(gzip.compress(text.encode(), mtime=0))


for make in (brotli, bit_packed, damaged, stata_120, old_excel, encrypted, wide):
    make()
