#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Write the fixtures of tests/unit/test_gias.c from the real GIAS extracts.

usage: tests/data/gias/make-fixtures.py [SHARED_DATA_DIR]   (default ../shared/data)

may.csv     the original header and five real rows of edubasealldata20250502,
            Windows-1252 and CRLF as published, except that the three
            head-teacher cells are replaced by made-up values (we never
            republish those names; the test checks they never come out).
may.csv.gz  the same bytes, gzip -n.
jan.csv     the same five rows laid out under the January 2025 header
            (139 columns, another order, four Ofsted columns added).
links.csv   real rows of links_edubasealldata20250502 (genuine cp1252
            bytes), no newline after the last row like the original.
The small hand-written fixtures (bad rows, encodings) are made here too.
Python 3 standard library only. Contains public sector information licensed
under the Open Government Licence v3.0 (Department for Education, Get
Information About Schools).
"""
import csv
import gzip
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../shared/data")
URNS = ["100000", "109471", "100037", "140571", "100410"]
FAKE_HEAD = {"HeadTitle (name)": "Mx", "HeadFirstName": "Zebedee", "HeadLastName": "Quux-Testperson"}
# GIAS quotes every cell except these integer columns when they are not empty.
UNQUOTED = {"URN", "StatutoryLowAge", "StatutoryHighAge", "SchoolCapacity", "UKPRN", "Easting",
            "Northing", "SENStat", "SENNoStat"}


def read(path):
    raw = gzip.open(path).read()
    lines = raw.split(b"\r\n")
    header = next(csv.reader([lines[0].decode("cp1252")]))
    return raw, lines, header


def encode_row(header, values):
    cells = []
    for name, v in zip(header, values):
        if v and name in UNQUOTED:
            cells.append(v)
        else:
            cells.append('"' + v.replace('"', '""') + '"')
    return ",".join(cells).encode("cp1252")


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    _, may_lines, may_header = read(os.path.join(SHARED, "edubasealldata20250502.csv.gz"))
    _, jan_lines, jan_header = read(os.path.join(SHARED, "edubasealldata20250115.csv.gz"))
    picked = {}
    for line in may_lines[1:]:
        urn = line.split(b",", 1)[0].decode()
        if urn in URNS:
            values = next(csv.reader([line.decode("cp1252")]))
            assert encode_row(may_header, values) == line, "quoting differs from the original"
            picked[urn] = dict(zip(may_header, values))
    rows = [picked[u] for u in URNS]
    for r in rows:
        r.update(FAKE_HEAD)
    may = b"\r\n".join([may_lines[0]] + [encode_row(may_header, [r[h] for h in may_header])
                                         for r in rows]) + b"\r\n"
    write("may.csv", may)
    with open(os.path.join(HERE, "may.csv.gz"), "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as g:
            g.write(may)
    ofsted = {"OfstedLastInsp": "10-05-2022", "OfstedRating (name)": "Good",
              "OfstedSpecialMeasures (code)": "0", "OfstedSpecialMeasures (name)": "Not applicable"}
    jan = [jan_lines[0]]
    for r in rows:
        r2 = dict(r, **ofsted) if r["URN"] == "100000" else dict(r, **{k: "" for k in ofsted})
        jan.append(encode_row(jan_header, [r2[h] for h in jan_header]))
    write("jan.csv", b"\r\n".join(jan) + b"\r\n")

    links = gzip.open(os.path.join(SHARED, "links_edubasealldata20250502.csv.gz")).read()
    llines = links.split(b"\r\n")
    keep = [llines[0]] + [l for l in llines[1:] if l.startswith((b"100006,", b"109401,", b"100016,"))]
    write("links.csv", b"\r\n".join(keep))  # no final newline, like the original

    # Hand-written fixtures: a narrow header is enough for these.
    crlf = lambda *ls: ("\r\n".join(ls) + "\r\n").encode("latin-1")
    write("cp1252.csv", crlf('"URN","EstablishmentName","Town"',
                             '401,"Ysgol Awel Y M\xf4r","Caf\x81\x80"'))
    write("bom-utf8.csv", b"\xef\xbb\xbf" + crlf('"URN","EstablishmentName"') +
          '402,"Ysgol Awel Y Môr"\r\n'.encode("utf-8"))
    write("no-urn.csv", crlf('"EstablishmentName","Town"', '"A school","Leeds"'))
    write("empty.csv", b"")
    write("not-csv.csv", b"<html><body>Service unavailable</body></html>\n")
    write("unterminated.csv", crlf('"URN","EstablishmentName","Town"',
                                   '501,"First","Leeds"',
                                   '502,"Second,Leeds',
                                   '503,"Third","York"',
                                   '505,Fi"fth,"Leeds"',
                                   '506,"Sixth","Leeds"',
                                   '507,"Seventh","Hull'))
    # LF line ends and no quotes but one, as a spreadsheet might save it.
    write("runaway.csv", b'URN,EstablishmentName\n1,"Open quote\n2,Two\n3,Three\n4,Four\n')
    write("multiline.csv", b'URN,EstablishmentName,Town\n1,"Two\nlines",Leeds\n2,Plain,York\n')
    write("fields.csv", crlf('"URN","EstablishmentName","Town"',
                             '601,"Too few"',
                             '602,"Right","Leeds"',
                             '603,"Too many","Leeds","extra"'))
    write("bad-values.csv", crlf(
        '"URN","EstablishmentName","NumberOfPupils","SENStat","OpenDate","PercentageFSM"',
        '701,"Text pupils","abc",,"",""',
        '702,"Negative count","10",-3,"",""',
        '703,"No such date","10",,"31-02-2020",""',
        '704,"Good row","10",2,"29-02-2024",".00"',
        '705,"Percent too high","10",,"","100.5"',
        ',"No URN","10",,"",""'))
    write("placeholders.csv", crlf(
        '"URN","EstablishmentName","Gender (code)","Gender (name)","UrbanRural (code)",'
        '"UrbanRural (name)","GOR (code)","GOR (name)","DistrictAdministrative (code)",'
        '"DistrictAdministrative (name)","EstablishmentTypeGroup (code)",'
        '"EstablishmentTypeGroup (name)","OpenDate","CloseDate","Easting","Northing",'
        '"NumberOfPupils","PercentageFSM","Trusts (code)","Trusts (name)"',
        '801,"Placeholder school","9","","99","","Z","Not Applicable","9999","","9",'
        '"Other types","01-01-1900","","0","0","","","",""'))


if __name__ == "__main__":
    main()
