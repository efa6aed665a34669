#!/usr/bin/python3
"""Long lists are paginated, downloads give every row, API lists stream (issue 12).

On a server of its own with a generated register larger than one page
(bench/gen_map.py: 3,000 municipality rows, 12,000 agreements, so
/api/v1/agreements is over the 512 KiB an answer keeps in memory):

- /municipalities, /provinces/:name and /annex show 500 municipalities a page,
  /agreements 25 agreements: page 2 holds the rows after page 1, the pages
  together are the download's rows in the download's order (stable: every row
  once, ties broken the same way every time), the pager's links keep every
  filter, a page past the end shows the last, a bad page is a 400;
- the CSV and XLSX downloads (openpyxl reads the XLSX) hold every row, as
  many as the count the page states;
- /api/v1/agreements and /api/v1/municipalities parse whole, and limit/offset
  pages of them are slices of the whole list, with total and next.

On the demo data: /api/v1/agreements parsed whole equals the per-agreement
answers, and lists of up to 500 rows have no pager (one page as before).

Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import html as html_mod
import io
import json
import os
import re
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import (REPO, TMP, Checks, Client, Server, people_csv, require_env, somon)  # noqa: E402

DATE = "2024-06-30"
check = Checks(detail_width=300)


def generated_db():
    """A register larger than a page, made with bench/gen_map.py; its path."""
    folder = os.path.join(TMP, "lists-scale-map")
    r = subprocess.run([sys.executable, os.path.join(REPO, "bench/gen_map.py"), folder, "--municipalities", "3000",
                        "--agreements", "12000", "--parties", "30000", "--seed", "7"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    db = os.path.join(TMP, "lists-scale.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    r = somon("init", "--reference", folder, db=db)
    assert r.returncode == 0, r.stdout + r.stderr
    r = somon("--actor", "tester", "import", os.path.join(folder, "agreements.json"), db=db)
    assert r.returncode == 0, r.stderr
    return db


def list_rows(html):
    """The hrefs of the row headers of the page's list table."""
    m = re.search(r'<table class="list">.*?</table>', html, re.S)
    return re.findall(r'<tr><th scope="row"[^>]*><a href="([^"]+)"', m.group(0)) if m else []


def nis_of(hrefs):
    return [re.match(r"/municipalities/(\d{5})", h).group(1) for h in hrefs]


def pager(html):
    m = re.search(r'<nav class="pages"[^>]*><p>Pagina (\d+) van (\d+):(.*?)</p></nav>', html, re.S)
    if not m:
        return None
    links = dict((rel, urllib.parse.unquote(href.replace("&amp;", "&")))
                 for href, rel in re.findall(r'<a href="([^"]+)" rel="(prev|next)"', m.group(3)))
    return int(m.group(1)), int(m.group(2)), links


def query_of(url):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def xlsx_rows(body):
    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    return [row for row in wb.active.iter_rows(values_only=True)]


def walk_pages(c, url, rows_of, what, size):
    """Follows the pager's next links from url; the rows of all pages in order."""
    seen, page, pages, n = [], 1, None, 0
    while url and n < 1000:
        r = c.get(url)
        assert r.status == 200, (url, r.status)
        html = r.text()
        rows = rows_of(html)
        p = pager(html)
        if p is None:
            check("%s: one page" % what, page == 1)
            return seen + rows, 1
        check("%s page %d: a full page but the last" % (what, p[0]), len(rows) == size or p[0] == p[1], len(rows))
        check("%s page %d: numbered" % (what, page), p[0] == page, p)
        pages = p[1]
        seen += rows
        url = p[2].get("next")
        page += 1
        n += 1
    return seen, pages


def municipality_lists(c):
    base = "/municipalities?date=%s&province=Antwerpen&basis=actual" % DATE
    html = c.get(base).text()
    m = re.search(r'<p role="status">(\d+) gemeenten?', html)
    count = int(m.group(1))
    check("the register has more municipalities in Antwerpen than a page", count > 500, count)
    first = nis_of(list_rows(html))
    check("page 1: 500 rows", len(first) == 500, len(first))
    p = pager(html)
    check("a pager: page 1 of n", p and p[0] == 1 and p[1] == (count + 499) // 500, p)
    nxt = p[2]["next"]
    q = query_of(nxt)
    check("the next link keeps every filter", q == {"date": DATE, "province": "Antwerpen", "basis": "actual", "page": "2"}, q)
    check("no prev link on page 1", "prev" not in p[2])
    second = nis_of(list_rows(c.get(nxt).text()))
    csv = people_csv(c.get(base + "&format=csv").text())
    check("the CSV holds every row the page counts", len(csv) == count, (len(csv), count))
    order = [row["NIS"] for row in csv]
    check("page 1 is the CSV's first 500 rows", first == order[:500])
    check("page 2 is the next rows", second == order[500:1000], (second[:3], order[500:503]))
    every, pages = walk_pages(c, base, lambda h: nis_of(list_rows(h)), "/municipalities", 500)
    check("the pages together are every row once, in the CSV's order", every == order, (len(every), len(order)))
    last = c.get(base + "&page=999").text()
    check("a page past the end shows the last", pager(last)[0] == pages and nis_of(list_rows(last)) == order[(pages - 1) * 500:])
    for bad in ("0", "x", "-1", "2x"):
        check("page=%s is a 400" % bad, c.get(base + "&page=" + bad).status == 400)
    xl = c.get(base + "&format=xlsx")
    rows = xlsx_rows(xl.body)
    check("the XLSX holds every row and a header", len(rows) == count + 1, (len(rows), count))
    check("the XLSX's NIS column is the CSV's", [str(r[0]) for r in rows[1:]] == order)
    # a filter on a state keeps the count and the pages
    covered = c.get("/municipalities?date=%s&state=covered" % DATE).text()
    n = int(re.search(r'<p role="status">(\d+) gemeente', covered).group(1))
    allc = people_csv(c.get("/municipalities?date=%s&state=covered&format=csv" % DATE).text())
    check("state=covered: the CSV has the count", len(allc) == n, (len(allc), n))
    if n > 500:
        check("state=covered: the next link keeps state", query_of(pager(covered)[2]["next"]).get("state") == "covered")
    # whole register without filters: repeatable (the same rows each time)
    again = nis_of(list_rows(c.get(base + "&page=2").text()))
    check("page 2 again: the same rows", again == second)


def province_page(c):
    base = "/provinces/Antwerpen?date=%s" % DATE
    html = c.get(base).text()
    csv = [row["NIS"] for row in people_csv(c.get(base + "&format=csv").text())]
    check("province: more municipalities than a page", len(csv) > 500, len(csv))
    every, pages = walk_pages(c, base, lambda h: nis_of(list_rows(h)), "/provinces/Antwerpen", 500)
    check("province: the pages are the CSV's rows in order", every == csv, (len(every), len(csv)))
    check("province: the next link keeps the date", query_of(pager(html)[2]["next"]).get("date") == DATE)


def annex_rows(html):
    return re.findall(r'<th scope="row" rowspan="\d+"><a href="/municipalities/(\d{5})', html)


def annex(c):
    base = "/annex?date=%s" % DATE
    html = c.get(base).text()
    m = re.search(r'<p role="status">(\d+) gemeenten; gemeente 1 tot 500 op deze pagina', html)
    check("annex: the count of all municipalities is stated", m, html[:0])
    count = int(m.group(1)) if m else 0
    csv = people_csv(c.get(base + "&format=csv").text())
    nis = []
    for row in csv:
        if not nis or nis[-1] != row["NIS"]:
            nis.append(row["NIS"])
    check("annex: the CSV names every municipality the page counts", len(nis) == count, (len(nis), count))
    every, _ = walk_pages(c, base, annex_rows, "/annex", 500)
    check("annex: the pages are the CSV's municipalities in order", every == nis, (len(every), len(nis)))
    # the heading's figures are those of the whole province on every page
    heads = re.findall(r"<h2>([^<]+)</h2>\n<p>(\d+) van de (\d+) gemeenten gedekt", html + c.get(base + "&page=2").text())
    totals = {}
    for prov, _, total in heads:
        totals.setdefault(prov, set()).add(total)
    check("annex: a province split over pages has one total", all(len(t) == 1 for t in totals.values()), totals)
    rows = xlsx_rows(c.get(base + "&format=xlsx").body)
    check("annex: the XLSX has the CSV's rows", len(rows) == len(csv) + 1, (len(rows), len(csv)))


def answer_annex_rows(html):
    """The municipalities Bijlage 1 of an answer page names, in order (the
    first row of each; its later rows have an empty header cell)."""
    at = html.find("<h3>Bijlage 1")
    names = re.findall(r'<tr><th scope="row">([^<]+)</th>', html[at:]) if at >= 0 else []
    return [html_mod.unescape(n).removesuffix(" (gedeeltelijk gedekt)") for n in names]


def answer(c):
    """The answer page shows Bijlage 1 500 municipalities a page, as /annex;
    its documents keep every row."""
    base = "/answer?date=%s&prognosis=2024-12-31" % DATE
    html = c.get(base).text()
    m = re.search(r"<p>(\d+) gemeenten; gemeente 1 tot 500 op deze pagina", html)
    check("answer: Bijlage 1 states the count of all municipalities", m, html[:0])
    csv = people_csv(c.get("/annex?date=%s&format=csv" % DATE).text())
    names, nis = [], []
    for row in csv:
        if not nis or nis[-1] != row["NIS"]:
            nis.append(row["NIS"])
            names.append(row["Gemeente"])
    check("answer: the count is the annex's", m and int(m.group(1)) == len(nis), (m and m.group(1), len(nis)))
    every, pages = walk_pages(c, base, answer_annex_rows, "/answer", 500)
    check("answer: the pages are the annex's municipalities in order", every == names, (len(every), len(names)))
    last = c.get(base + "&page=999").text()
    check("answer: a page past the end shows the last",
          pager(last)[0] == pages and answer_annex_rows(last) == names[(pages - 1) * 500:])
    for bad in ("0", "x"):
        check("answer: page=%s is a 400" % bad, c.get(base + "&page=" + bad).status == 400)
    p = pager(html)
    check("answer: the next link keeps the date and the prognosis",
          p and query_of(p[2]["next"]) == {"date": DATE, "prognosis": "2024-12-31", "page": "2"}, p)
    page2 = c.get(base + "&page=2").text()
    check("answer page 2: the table and the footnotes again, before its slice",
          "1. Samenwerkingsovereenkomsten per provincie" in page2 and "gemeente 501 tot 1000 op deze pagina" in page2)
    heads = re.findall(r"<h4>([^:<]+): \d+/(\d+) gemeenten gedekt( \(vervolg\))?</h4>", html + page2)
    totals = {}
    for prov, total, _ in heads:
        totals.setdefault(prov, set()).add(total)
    check("answer: a province split over pages has one total", all(len(t) == 1 for t in totals.values()), totals)
    check("answer: a province begun on page 1 goes on as (vervolg) on page 2",
          re.search(r"<h4>[^<]+ \(vervolg\)</h4>", page2) and not re.search(r"\(vervolg\)</h4>", html), heads[:4])
    downloads = re.findall(r'href="(/answer\?[^"]*format=[^"]*)"', page2)
    check("answer page 2: the downloads are of the whole answer (no page)",
          downloads and not any("page=" in d for d in downloads), downloads)
    md = c.get(base + "&format=md").text()
    rows = [line for line in md[md.find("## Bijlage 1"):].splitlines()
            if line.startswith("| ") and not line.startswith(("| Gemeente |", "| --- |"))]
    check("answer: the Markdown keeps every row of the annex", len(rows) == len(csv), (len(rows), len(csv)))


def agreements(c):
    base = "/agreements?sort=status&order=asc&province=Limburg"
    html = c.get(base).text()
    n = int(re.search(r'<p role="status">(\d+) overeenkomst', html).group(1))
    csv = people_csv(c.get(base + "&format=csv").text())
    check("/agreements: the CSV has every row the page counts", len(csv) == n, (len(csv), n))
    ids = [row["ID"] for row in csv]
    check("/agreements: every id once", len(set(ids)) == len(ids))
    rows_of = lambda h: [re.match(r"/agreements/([^?\"]+)", x).group(1) for x in list_rows(h)]  # noqa: E731
    first = rows_of(html)
    check("/agreements page 1: 25 rows, the CSV's first", first == ids[:25], first[:3])
    p = pager(html)
    q = query_of(p[2]["next"])
    check("/agreements: the next link keeps sort, order and province",
          q == {"sort": "status", "order": "asc", "province": "Limburg", "page": "2"}, q)
    second = rows_of(c.get(p[2]["next"]).text())
    check("/agreements page 2: the next 25 (ties on status broken by title and id)", second == ids[25:50])
    rows = xlsx_rows(c.get(base + "&format=xlsx").body)
    check("/agreements: the XLSX has every row", len(rows) == n + 1, (len(rows), n))


def api(c):
    whole = c.get("/api/v1/agreements")
    check("API agreements: over the 512 KiB kept in memory", len(whole.body) > 512 << 10, len(whole.body))
    items = json.loads(whole.body)["agreements"]
    check("API agreements: every agreement", len(items) == 12000, len(items))
    page = json.loads(c.get("/api/v1/agreements?limit=100&offset=250").body)
    check("API agreements: limit/offset is a slice of the whole", page["agreements"] == items[250:350])
    check("API agreements: total, offset, limit",
          (page["total"], page["offset"], page["limit"]) == (12000, 250, 100), page.get("total"))
    check("API agreements: next", page["next"] == "/api/v1/agreements?limit=100&offset=350", page["next"])
    lim = json.loads(c.get("/api/v1/agreements?status=signed&limit=7000").body)
    signed = [a for a in items if a["status"] == "signed"]
    check("API agreements: filtered pages count the filtered", lim["total"] == len(signed), lim["total"])
    if len(signed) > 7000:
        rest = json.loads(c.get(lim["next"]).body)
        check("API agreements: the next page completes the filtered list",
              lim["agreements"] + rest["agreements"] == signed and rest["next"] is None)
    end = json.loads(c.get("/api/v1/agreements?offset=20000").body)
    check("API agreements: past the end: empty", end["agreements"] == [] and end["next"] is None, end)
    for bad in ("limit=0", "limit=x", "offset=-1", "offset=1.5", "limit="):
        r = c.get("/api/v1/agreements?" + bad)
        check("API: %s is a 400" % bad, r.status == 400 and json.loads(r.body)["error"]["code"] in ("bad_limit", "bad_offset"),
              (r.status, r.body[:100]))
    munis = json.loads(c.get("/api/v1/municipalities?date=" + DATE).body)["municipalities"]
    sl = json.loads(c.get("/api/v1/municipalities?date=%s&offset=10&limit=20" % DATE).body)
    check("API municipalities: a page is a slice", sl["municipalities"] == munis[10:30] and sl["total"] == len(munis))
    check("API municipalities: next keeps the date",
          query_of(sl["next"]) == {"date": DATE, "limit": "20", "offset": "30"}, sl["next"])


BODY_IN_MEMORY = 64 << 10  # SOMON_TEST_BODY_IN_MEMORY of this file's server (512 KiB in production)


def large_page(c):
    """A page over the bytes a body keeps in memory goes on into a body file
    as it is written (web.c, issue 12): it arrives whole, with its length, the
    same from the response cache, and HEAD says the same length."""
    url = "/?date=2019-06-30&prognosis=2026-12-31"
    r = c.get(url)
    check("a large overview: 200, over the bytes kept in memory", r.status == 200 and len(r.body) > BODY_IN_MEMORY,
          (r.status, len(r.body)))
    check("a large overview: whole", r.body.rstrip().endswith(b"</html>"), r.body[-80:])
    check("a large overview: its length", r.header("Content-Length") == str(len(r.body)), r.header("Content-Length"))
    again = c.get(url)
    check("a large overview: the same bytes again (the response cache)", again.body == r.body,
          (len(again.body), len(r.body)))
    head = c.request("HEAD", url)
    check("a large overview: HEAD, the same length and no body",
          head.status == 200 and head.body == b"" and head.header("Content-Length") == str(len(r.body)),
          (head.status, head.header("Content-Length")))


# written field by field, the list must escape as jansson does for one agreement
ODD_TITLE = 'Quote " backslash \\ slash / <b>&amp; é ü 日本 \u2028 end'


def prepare_demo(db):
    """The demo database and one agreement whose title and id need escaping."""
    doc = {"format": "somon/1", "agreements": [{
        "id": "T-ODD_1.x", "title": ODD_TITLE, "vdab_directorate": "Limburg", "status": "signed",
        "start": "2026-01-01", "end": "2026-12-31", "parties": [{"municipality": "71004"}]}]}
    path = os.path.join(TMP, "lists-odd.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
    r = somon("--actor", "tester", "import", path, db=db)
    assert r.returncode == 0, r.stdout + r.stderr


def demo(c):
    raw = c.get("/api/v1/agreements").text()
    odd = [a for a in json.loads(raw)["agreements"] if a["title"] == ODD_TITLE]
    check("demo: the agreement with an odd title is listed", len(odd) == 1, ODD_TITLE)
    for a in odd:
        one = c.get("/api/v1/agreements/" + urllib.parse.quote(a["id"], safe="")).text()
        for key in ("id", "title"):
            line = re.search(r'^  "%s": .*$' % key, one, re.M).group(0)
            check("demo: the list escapes the %s as the agreement's answer does" % key, "\n    " + line in raw, line)
        check("demo: the href escapes the id", json.loads(one)["id"] == a["id"] and a["href"].endswith(a["id"]))
    items = json.loads(raw)["agreements"]
    check("demo: agreements listed", len(items) > 5, len(items))
    keys = ("id", "title", "vdab_directorate", "regiegebied", "status", "start", "end", "expected_start", "terminated_on")
    for a in items:
        one = json.loads(c.get("/api/v1/agreements/" + urllib.parse.quote(a["id"], safe="")).body)
        parties = sum(1 for p in one["parties"] if p.get("municipality"))
        if not check("demo: %s as the list says" % a["id"],
                     all(a[k] == one[k] for k in keys) and a["municipalities"] == parties,
                     [(k, a[k], one[k]) for k in keys if a[k] != one[k]]):
            break
    html = c.get("/municipalities?date=2023-06-30").text()
    check("demo: 300 municipalities on one page, no pager", len(list_rows(html)) == 300 and pager(html) is None)
    check("demo: the annex on one page, no count line", "op deze pagina" not in c.get("/annex?date=2023-06-30").text())
    html = c.get("/answer?date=2023-06-30").text()
    check("demo: the answer's Bijlage 1 on one page, no count line, no pager",
          "Bijlage 1" in html and "op deze pagina" not in html and pager(html) is None)


def main():
    require_env("test_lists_scale", "SOMON", "SOMON_DB", "SOMON_TMP")
    db = generated_db()
    os.environ["SOMON_TEST_BODY_IN_MEMORY"] = str(BODY_IN_MEMORY)
    try:
        server = Server("lists-scale", db=db)
    finally:
        os.environ.pop("SOMON_TEST_BODY_IN_MEMORY", None)
    try:
        c = Client(port=server.port, timeout=120)
        for part in (municipality_lists, province_page, annex, answer, agreements, api, large_page):
            try:
                part(c)
            except Exception as e:  # a part that breaks is a failure, the others still run
                check("%s runs" % part.__name__, False, repr(e))
    finally:
        status = server.stop()
        check("the generated register's server stops cleanly", status == 0 and not server.sanitizer_report(),
              server.stderr()[-2000:])
    server = Server("lists-demo")
    server.stop()
    prepare_demo(server.db)
    server = Server("lists-demo", db=server.db)
    try:
        try:
            demo(Client(port=server.port))
        except Exception as e:
            check("demo runs", False, repr(e))
    finally:
        status = server.stop()
        check("the demo server stops cleanly", status == 0 and not server.sanitizer_report(), server.stderr()[-2000:])
    print(check.summary())
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
