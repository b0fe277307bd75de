#!/usr/bin/env python3
"""Reads defidx's Excel workbooks back with openpyxl (Debian python3-openpyxl), a reader written
apart from libxlsxwriter, and compares every cell with what the same command writes as CSV: the
series, the constituents and periods of compute, the figures of stats, the divisors. Dates must be
dates (yyyy-mm-dd), returns and weights numbers in a percent format, text text; a missing value an
empty cell. Two runs must give the same bytes, and the series sheet must hold a line chart.

usage: check.py DEFIDX DATA_DIR        (ctest runs it as xlsx_read_back)
"""
import csv
import datetime
import io
import os
import subprocess
import sys
import tempfile
import zipfile

import openpyxl

failures = 0
compared = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL:", msg)


def run(defidx, args):
    p = subprocess.run([defidx] + args, capture_output=True)
    if p.returncode != 0:
        sys.exit("defidx %s: exit %d\n%s" % (" ".join(args), p.returncode, p.stderr.decode()))
    return p.stdout


def csv_rows(defidx, args):
    return list(csv.reader(io.StringIO(run(defidx, args + ["-O", "csv"]).decode())))


def same(cell, text, where):
    """The cell holds what the CSV field says: a date, a number (to 1e-12 relative: CSV has 15
    digits, the cell every one), text, or nothing."""
    global compared
    compared += 1
    value = cell.value
    if text == "":
        if value not in (None, ""):
            fail("%s: %r where the CSV has nothing" % (where, value))
        return
    if isinstance(value, datetime.datetime):
        if value.date().isoformat() != text:
            fail("%s: date %s, CSV %s" % (where, value.date(), text))
        if cell.number_format != "yyyy-mm-dd":
            fail("%s: a date shown as %r" % (where, cell.number_format))
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            want = float(text)
        except ValueError:
            fail("%s: number %r, CSV %r" % (where, value, text))
            return
        if abs(value - want) > 1e-12 * max(1.0, abs(want)):
            fail("%s: %r, CSV %r" % (where, value, text))
        return
    if str(value) != text:
        fail("%s: %r, CSV %r" % (where, value, text))


def workbook(defidx, args, path):
    run(defidx, args + ["-o", path])
    return openpyxl.load_workbook(path)


def check_series(defidx, inputs, tmp):
    path = os.path.join(tmp, "series.xlsx")
    wb = workbook(defidx, ["series"] + inputs, path)
    ws = wb["Series"]
    rows = csv_rows(defidx, ["series"] + inputs)
    if ws.max_row != len(rows):
        fail("series: %d rows, CSV %d" % (ws.max_row, len(rows)))
    for r, fields in enumerate(rows, start=1):
        for c, text in enumerate(fields, start=1):
            same(ws.cell(r, c), text, "series %s%d" % (chr(64 + c), r))
    if ws.freeze_panes != "A2":
        fail("series: header not frozen (%r)" % ws.freeze_panes)
    if not ws.auto_filter.ref:
        fail("series: no autofilter")
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        if not charts or b"<c:lineChart>" not in z.read(charts[0]):
            fail("series: no line chart in the workbook")
    again = os.path.join(tmp, "series2.xlsx")
    run(defidx, ["series"] + inputs + ["-o", again])
    if open(path, "rb").read() != open(again, "rb").read():
        fail("series: two runs on the same data give different bytes")


def check_compute(defidx, inputs, tmp):
    path = os.path.join(tmp, "compute.xlsx")
    wb = workbook(defidx, ["compute"] + inputs, path)
    if wb.sheetnames != ["Summary", "Constituents", "Warnings"]:
        fail("compute: sheets %s" % wb.sheetnames)
        return
    # the constituents: the workbook's columns, in CSV under their names
    ws = wb["Constituents"]
    periods = [row[4] for row in csv_rows(defidx, ["compute"] + inputs)[1:] if row[0] == "index"]
    columns = ["ticker", "name", "currency", "price", "price_date", "stale", "weight"] + periods + \
              ["contrib_" + p for p in periods]
    rows = csv_rows(defidx, ["compute", "--columns", ",".join(columns)] + inputs)
    if ws.max_row != len(rows) or ws.max_column != len(columns):
        fail("compute: constituents %dx%d, CSV %dx%d" % (ws.max_row, ws.max_column, len(rows), len(columns)))
    for r, fields in enumerate(rows[1:], start=2):
        for c, text in enumerate(fields, start=1):
            if columns[c - 1] == "stale":
                continue  # yes/no for people, 1/0 in CSV: checked below
            same(ws.cell(r, c), text, "constituents %s%d" % (chr(64 + c), r))
        stale = ws.cell(r, columns.index("stale") + 1).value
        if (stale == "yes") != (fields[columns.index("stale")] in ("1", "true")):
            fail("constituents row %d: stale %r, CSV %r" % (r, stale, fields[columns.index("stale")]))
    weight = ws.cell(2, columns.index("weight") + 1)
    if "%" not in weight.number_format:
        fail("compute: a weight shown as %r, not a percentage" % weight.number_format)
    # the periods under the index's facts: period, base date, base level, return
    summary = wb["Summary"]
    index_rows = [row for row in csv_rows(defidx, ["compute"] + inputs)[1:] if row[0] == "index"]
    start = next(r for r in range(1, summary.max_row + 1) if summary.cell(r, 1).value == "Period")
    for k, row in enumerate(index_rows):
        r = start + 1 + k
        same(summary.cell(r, 1), row[4], "periods A%d" % r)
        same(summary.cell(r, 2), row[7], "periods B%d" % r)
        same(summary.cell(r, 3), row[8], "periods C%d" % r)
        same(summary.cell(r, 4), row[9], "periods D%d" % r)
        if "%" not in summary.cell(r, 4).number_format:
            fail("periods: a return shown as %r" % summary.cell(r, 4).number_format)
    warnings = __import__("json").loads(run(defidx, ["compute", "-O", "json"] + inputs))["warnings"]
    if wb["Warnings"].max_row - 1 != len(warnings):
        fail("compute: %d warnings in the sheet, %d in JSON" % (wb["Warnings"].max_row - 1, len(warnings)))


def check_stats(defidx, inputs, tmp):
    path = os.path.join(tmp, "stats.xlsx")
    wb = workbook(defidx, ["stats"] + inputs, path)
    rows = csv_rows(defidx, ["stats"] + inputs)[1:]
    value = {row[1]: row[2] for row in rows if row[0] == "index"}
    # the Summary sheet lists the summary figures in the CSV's order
    ws = wb["Summary"]
    for r in range(2, ws.max_row + 1):
        same(ws.cell(r, 2), rows[r - 2][2], "stats summary B%d (%s)" % (r, rows[r - 2][1]))
    # the calendar: a row a year, January to December and the year
    cal = wb["Calendar returns"]
    for r in range(2, cal.max_row + 1):
        year = cal.cell(r, 1).value
        for m in range(1, 13):
            same(cal.cell(r, m + 1), value["calendar.%d.%02d" % (year, m)], "calendar %d-%02d" % (year, m))
        same(cal.cell(r, 14), value["calendar.%d.year" % year], "calendar %d" % year)


def check_table(defidx, args, tmp):
    """A command's one sheet, "Table", against its CSV, cell by cell."""
    path = os.path.join(tmp, args[0] + ".xlsx")
    ws = workbook(defidx, args, path)["Table"]
    rows = csv_rows(defidx, args)
    if ws.max_row != len(rows):
        fail("%s: %d rows, CSV %d" % (args[0], ws.max_row, len(rows)))
    for r, fields in enumerate(rows, start=1):
        for c, text in enumerate(fields, start=1):
            same(ws.cell(r, c), text, "%s %s%d" % (args[0], openpyxl.utils.get_column_letter(c), r))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    defidx, data = sys.argv[1], sys.argv[2]
    inputs = ["--index", os.path.join(data, "index.json"), "--fx", os.path.join(data, "fx.csv"),
              os.path.join(data, "prices.csv")]
    with tempfile.TemporaryDirectory() as tmp:
        check_series(defidx, inputs, tmp)
        check_compute(defidx, inputs, tmp)
        check_stats(defidx, inputs, tmp)
        check_table(defidx, ["divisors"] + inputs, tmp)
        check_table(defidx, ["rebase", "--base-date", "2022-02-23", os.path.join(data, "prices.csv")], tmp)
    print("%d cells compared, %d failures" % (compared, failures))
    sys.exit(1 if failures or compared == 0 else 0)


main()
