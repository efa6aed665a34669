#!/usr/bin/python3
"""The indicator pages on the shared, per-version indicator values (issue 12).

On a database of its own (the real map, the demo agreements, and indicator
values made here: every municipality of 2025 reports 1000 + its NIS code as a
tenth for nwwz and a rate's parts for 2025), a server of its own:

- a province's figure (/api/v1/indicators?province=) is the sum over the
  province's municipalities of data/municipalities.csv, and Flanders' the
  sum over all of them;
- a regiegebied's and an agreement's figure (their CSV download) is the sum
  over the municipalities their page lists, and "Gemeenten in gebied" their
  count;
- an import while the server runs (a new indicator-data version) shows its
  new value on the next request of every indicator route, JSON, page and
  download alike: a stale per-version set would fail this; an edit-free
  as_known_at before the import still shows the old value;
- six clients at once right after a further import all see its value (one
  load, the others wait for it);
- ?page= that is not a page number is refused with 400.

Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import csv
import glob
import json
import os
import re
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import REPO, TMP, Checks, Client, people_csv, require_env, run_own_server, somon  # noqa: E402

require_env("test_indicators_scale", "SOMON", "SOMON_DB", "SOMON_TMP")
check = Checks(detail_width=400)
DB = os.path.join(TMP, "indicators_scale.db")


def municipalities_2025():
    """{nis: province} of the municipalities valid on the whole of 2025."""
    out = {}
    with open(os.path.join(REPO, "data/municipalities.csv"), newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["valid_from"] <= "2025-01-01" and (not r["valid_to"] or r["valid_to"] >= "2025-12-31"):
                out[r["nis"]] = r["province"]
    return out


MUNIS = municipalities_2025()


def value(nis):
    return 1000 + int(nis) // 10


def write_values(path, bump=None):
    """nwwz, werkenden and bevolking for 2025 of every municipality; bump: {nis: added to nwwz}."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("nis,period,indicator,value\n")
        for nis in sorted(MUNIS):
            f.write("%s,2025,nwwz,%d\n" % (nis, value(nis) + (bump or {}).get(nis, 0)))
            f.write("%s,2025,werkenden_15_64,%d\n" % (nis, value(nis)))
            f.write("%s,2025,bevolking_15_64,%d\n" % (nis, 2 * value(nis)))
    return path


def prepare(db):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    steps = [("init",), ("--actor", "demo", "import", *sorted(glob.glob(os.path.join(REPO, "data/demo/*.json")))),
             ("--actor", "demo", "import", "indicators", write_values(os.path.join(TMP, "indicators_scale.csv")))]
    for args in steps:
        r = somon(*args, db=db)
        assert r.returncode == 0, (args, r.stderr)


def series_value(doc, code, period="2025", key="series"):
    for ind in doc["indicators"]:
        if ind["code"] == code:
            for p in ind[key]:
                if p["period"] == period:
                    return p["value"], p["reported"], p["expected"]
    return None


def download_row(text, code, period="2025"):
    """The row of code and period of a page's CSV download."""
    for row in people_csv(text):
        if row["Indicator"] == code and row["Periode"] == period:
            return row
    return None


def listed_municipalities(html):
    """The NIS codes the page's member list links to."""
    m = re.search(r'<details class="members"[^>]*>(.*?)</details>', html, re.S)
    return re.findall(r'href="/municipalities/(\d{5})', m.group(1)) if m else []


def regions_and_agreements(db):
    import sqlite3
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        regions = [r[0] for r in con.execute("SELECT id FROM regiegebied WHERE rec_until IS NULL ORDER BY id")]
        agreements = [r[0] for r in con.execute("SELECT id FROM agreement WHERE rec_until IS NULL ORDER BY id")]
    finally:
        con.close()
    return regions, agreements


def sums(c):
    # provinces and Flanders against data/municipalities.csv
    for prov in sorted(set(MUNIS.values())):
        r = c.get("/api/v1/indicators?province=" + urllib.parse.quote(prov))
        doc = json.loads(r.text()) if r.status == 200 else {"indicators": []}
        want = sum(value(n) for n, p in MUNIS.items() if p == prov)
        count = sum(1 for p in MUNIS.values() if p == prov)
        check("the figure of province %s is the sum over its municipalities" % prov,
              series_value(doc, "nwwz") == (want, count, count), (series_value(doc, "nwwz"), want, count))
        check("the rate of province %s is weighted over its municipalities" % prov,
              series_value(doc, "werkzaamheidsgraad") == (50.0, count, count), series_value(doc, "werkzaamheidsgraad"))
    doc = json.loads(c.get("/api/v1/indicators").text())
    check("the figure of Flanders is the sum over every municipality",
          series_value(doc, "nwwz") == (sum(value(n) for n in MUNIS), len(MUNIS), len(MUNIS)), series_value(doc, "nwwz"))
    # regiegebieden and agreements against the municipalities their page lists
    regions, agreements = regions_and_agreements(DB)
    check("the demo has regiegebieden and agreements", regions and agreements, (regions, agreements))
    for kind, ids in (("regiegebieden", regions), ("agreements", agreements)):
        for i in ids:
            page = c.get("/%s/%s/indicators" % (kind, urllib.parse.quote(i)))
            listed = listed_municipalities(page.text())
            row = download_row(c.get("/%s/%s/indicators?format=csv" % (kind, urllib.parse.quote(i))).text(), "nwwz")
            if not listed:
                check("%s %s: no municipality listed, no figure" % (kind, i), row is None or row["Waarde"] == "", row)
                continue
            want = sum(value(n) for n in listed)
            got = row and (row["Waarde"], row["Gemeenten met cijfer"], row["Gemeenten in gebied"])
            check("%s %s: the figure is the sum over its %d municipalities" % (kind, i, len(listed)),
                  got == (str(want), str(len(listed)), str(len(listed))), (got, want, len(listed)))


def fresh_after_import(c, server):
    before = json.loads(c.get("/api/v1/indicators?province=Antwerpen").text())
    routes = ["/indicators?format=csv", "/provinces/Antwerpen/indicators?format=csv"]
    old = {r: download_row(c.get(r).text(), "nwwz") for r in routes}
    time.sleep(1.1)  # as_known_at has seconds: a moment after the first import
    moment = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
    time.sleep(1.1)  # and before the second
    antwerpen = min(n for n, p in MUNIS.items() if p == "Antwerpen")
    r = somon("--actor", "test", "import", "indicators",
              write_values(os.path.join(TMP, "indicators_scale2.csv"), {antwerpen: 7}), db=server.db)
    check("a second import while the server runs", r.returncode == 0, r.stderr)
    after = json.loads(c.get("/api/v1/indicators?province=Antwerpen").text())
    b, a = series_value(before, "nwwz"), series_value(after, "nwwz")
    check("the province's JSON shows the new value at once", a and b and a[0] == b[0] + 7, (b, a))
    fa, fb = series_value(after, "nwwz", key="flanders"), series_value(before, "nwwz", key="flanders")
    check("and so does Flanders beside it", fa and fb and fa[0] == fb[0] + 7, (fb, fa))
    for route in routes:
        new = download_row(c.get(route).text(), "nwwz")
        check("%s shows the new value at once" % route,
              new and old[route] and int(new["Waarde"]) == int(old[route]["Waarde"]) + 7, (old[route], new))
    page = c.get("/provinces/Antwerpen/indicators").text()
    check("the province's page shows the new value",
          a is not None and ">%s<" % "{:,}".format(int(a[0])).replace(",", ".") in page, a)
    past = c.get("/api/v1/indicators?province=Antwerpen&as_known_at=" + urllib.parse.quote(moment))
    p = series_value(json.loads(past.text()), "nwwz") if past.status == 200 else None
    check("as_known_at before the import still shows the old value", p == b, (past.status, p, b, moment))


def concurrent_after_import(server):
    """Six clients at once right after an import: one loads the new set, the
    others wait for it (or the watcher's load); all see the new value."""
    import threading
    antwerpen = min(n for n, p in MUNIS.items() if p == "Antwerpen")
    r = somon("--actor", "test", "import", "indicators",
              write_values(os.path.join(TMP, "indicators_scale3.csv"), {antwerpen: 11}), db=server.db)
    check("a third import while the server runs", r.returncode == 0, r.stderr)
    want = sum(value(n) for n, p in MUNIS.items() if p == "Antwerpen") + 11
    routes = ["/api/v1/indicators?province=Antwerpen", "/provinces/Antwerpen/indicators?format=csv",
              "/api/v1/indicators?province=Antwerpen&as_known_at=2100-01-01T00:00:00%2B00:00",
              "/provinces/Antwerpen/indicators?format=csv&indicator=nwwz",
              "/provinces/Antwerpen/indicators?format=csv&page=1", "/provinces/Antwerpen/indicators?page=2&format=csv"]
    got = {}

    def fetch(route):
        body = Client(port=server.port).get(route).text()
        got[route] = series_value(json.loads(body), "nwwz") if route.startswith("/api") else \
            (lambda row: row and (float(row["Waarde"]), int(row["Gemeenten met cijfer"])))(download_row(body, "nwwz"))

    threads = [threading.Thread(target=fetch, args=(r,)) for r in routes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for route in routes:
        check("at once, in parallel: %s shows the new value" % route,
              got.get(route) and got[route][0] == want, (got.get(route), want))


def pages(c):
    for bad in ("0", "x", "-1", "1e3"):
        r = c.get("/indicators?page=" + bad)
        check("?page=%s is refused with 400" % bad, r.status == 400, r.status)
    r = c.get("/provinces/Antwerpen/indicators?page=9")
    check("a page past the last shows the last", r.status == 200 and listed_municipalities(r.text()), r.status)


def run(server):
    c = Client(port=server.port)
    sums(c)
    fresh_after_import(c, server)
    concurrent_after_import(server)
    pages(c)


if __name__ == "__main__":
    sys.exit(run_own_server(check, "indicators_scale", run, prepare=prepare, db=DB))
