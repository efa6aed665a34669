#!/usr/bin/python3
"""Downloads written as their rows are made (issue 12), in the format they had.

The long lists' downloads (/agreements, /municipalities, /provinces/:name,
/annex, /alerts, /actions, /governance) write each row as the page makes it
(web_table_begin / web_table_end), the small ones a table built whole through
the same writer. On a server of its own with the demo register and outreach log:

- every CSV is in the people's dialect (BOM, ';', CRLF, the last line ended),
  every row as wide as the header;
- its XLSX holds the same rows, cell for cell (text, numbers, dates as Excel
  serials, decimals), so both writers wrote every row and nothing else;
- a bad format is a 400 and leaves nothing behind: the page and its downloads
  answer as before on the same server afterwards, also after many downloads;
- downloads asked at once (one large render at a time, web_heavy) all arrive
  whole and equal to the same download asked alone.

The bytes on the large register were compared before and after the change
(bench/README.md); the other download tests are test_lists_scale.py and
test_people.py. Run by tests/http/run.sh with /usr/bin/python3.
"""

import datetime
import io
import os
import re
import sys
import threading
import zipfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import (Checks, Client, csv_rows, prepare_demo_with_outreach, require_env,  # noqa: E402
                        run_own_server)

require_env("test_downloads_stream", "SOMON", "SOMON_DB", "SOMON_TMP")
check = Checks(detail_width=400)
D = "date=2024-06-30"
PAGES = ["/agreements", "/agreements?status=signed", "/municipalities?" + D, "/provinces/Limburg?" + D,
         "/annex?" + D, "/alerts?" + D, "/actions", "/governance?" + D, "/editions", "/organisations",
         "/cooperations", "/concluded?from=2019-01-01&to=2024-12-31", "/regiegebieden?" + D, "/?" + D]
MAY_BE_EMPTY = {"/editions", "/cooperations", "/concluded?from=2019-01-01&to=2024-12-31"}  # none in the demo
NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def with_format(url, fmt):
    return url + ("&" if "?" in url else "?") + "format=" + fmt


def sheet_rows(body):
    """The rows of the first sheet of an XLSX: lists of strings, numbers (float) or None."""
    z = zipfile.ZipFile(io.BytesIO(body))
    root = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        shared = ["".join(t.text or "" for t in si.iter("{%s}t" % NS["x"]))
                  for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("x:si", NS)]
    rows = []
    for row in root.iter("{%s}row" % NS["x"]):
        cells = {}
        for c in row.findall("x:c", NS):
            col = 0
            for ch in re.match(r"[A-Z]+", c.get("r")).group(0):
                col = col * 26 + ord(ch) - 64
            kind = c.get("t")
            if kind == "inlineStr":
                cells[col - 1] = "".join(t.text or "" for t in c.iter("{%s}t" % NS["x"]))
            elif kind == "s":
                cells[col - 1] = shared[int(c.find("x:v", NS).text)]
            else:
                v = c.find("x:v", NS)
                cells[col - 1] = float(v.text) if v is not None else None
        rows.append([cells.get(i) for i in range(max(cells) + 1 if cells else 0)])
    return rows


def same_cell(csv_value, xlsx_value):
    """Whether a people's CSV field and an XLSX cell say the same."""
    if xlsx_value is None:
        return csv_value == ""
    if isinstance(xlsx_value, str):
        # a text that Excel would take for a formula starts with an apostrophe in the CSV
        return csv_value == xlsx_value or (csv_value == "'" + xlsx_value and xlsx_value[:1] in "=+-@\t\r")
    if re.fullmatch(r"\d\d/\d\d/\d{4}", csv_value):
        day = datetime.date(1899, 12, 30) + datetime.timedelta(days=int(xlsx_value))
        return csv_value == day.strftime("%d/%m/%Y")
    try:
        return abs(float(csv_value.replace(",", ".")) - xlsx_value) < 1e-9
    except ValueError:
        return False


def formats_agree(c, url):
    r_csv, r_xlsx = c.get(with_format(url, "csv")), c.get(with_format(url, "xlsx"))
    if not check("%s: CSV and XLSX are 200" % url, r_csv.status == 200 and r_xlsx.status == 200,
                 (r_csv.status, r_xlsx.status)):
        return
    text = r_csv.body.decode("utf-8")
    check("%s: the CSV is for people (BOM, ';', CRLF, the last line ended)" % url,
          text.startswith("\ufeff") and text.endswith("\r\n") and ";" in text.split("\r\n", 1)[0], text[:80])
    rows = csv_rows(text)
    check("%s: every CSV row is as wide as its header" % url, all(len(r) == len(rows[0]) for r in rows),
          [len(r) for r in rows[:5]])
    sheet = sheet_rows(r_xlsx.body)
    check("%s: the XLSX has the CSV's rows (%d)" % (url, len(rows)), len(sheet) == len(rows) and (len(rows) > 1 or url in MAY_BE_EMPTY),
          (len(sheet), len(rows)))
    bad = [(i, j, a, sheet[i][j] if j < len(sheet[i]) else None)
           for i in range(min(len(rows), len(sheet))) for j, a in enumerate(rows[i])
           if not same_cell(a, sheet[i][j] if j < len(sheet[i]) else None)]
    check("%s: the XLSX says what the CSV says, cell for cell" % url, not bad, bad[:5])
    check("%s: each download names its file" % url,
          all(re.fullmatch(r'attachment; filename="[A-Za-z0-9._-]+\.%s"' % f, r.header("Content-Disposition") or "")
              for r, f in ((r_csv, "csv"), (r_xlsx, "xlsx"))),
          (r_csv.header("Content-Disposition"), r_xlsx.header("Content-Disposition")))
    return r_csv.body


def nothing_left_behind(c, reference):
    for url in ("/agreements", "/municipalities?" + D, "/annex?" + D):
        r = c.get(with_format(url, "pdf"))
        check("%s as pdf: 400" % url, r.status == 400, r.status)
        page = c.get(url)
        check("%s after a bad format: the HTML page" % url,
              page.status == 200 and page.text().lstrip().startswith("<!DOCTYPE html>"), page.body[:80])
    for _ in range(6):  # more downloads than threads: a writer left on a thread would show
        for url in ("/agreements", "/alerts?" + D):
            c.get(with_format(url, "xlsx"))
    again = c.get(with_format("/agreements", "csv"))
    check("/agreements as CSV after many downloads: the same bytes", again.body == reference.get("/agreements"),
          len(again.body))
    page = c.get("/agreements")
    check("/agreements after many downloads: the HTML page", page.status == 200 and b"<table" in page.body)


def downloads_at_once(port, reference):
    urls = ["/agreements", "/municipalities?" + D, "/annex?" + D, "/alerts?" + D] * 2
    got = [None] * len(urls)

    def fetch(i):
        got[i] = Client(port=port, timeout=120).get(with_format(urls[i], "csv")).body

    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(len(urls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check("8 downloads at once arrive whole, each equal to the same download alone",
          all(got[i] == reference[urls[i]] for i in range(len(urls))),
          [(urls[i], len(got[i] or b""), len(reference[urls[i]])) for i in range(len(urls)) if got[i] != reference[urls[i]]])


def run(server):
    c = Client(port=server.port, timeout=120)
    reference = {}
    for url in PAGES:
        try:
            body = formats_agree(c, url)
            if body is not None:
                reference[url] = body
        except Exception as e:  # noqa: BLE001 (a page that breaks is a failure; the others still run)
            check("%s runs" % url, False, repr(e))
    nothing_left_behind(c, reference)
    downloads_at_once(server.port, reference)


if __name__ == "__main__":
    sys.exit(run_own_server(check, "downloads-stream", run, prepare=prepare_demo_with_outreach))
