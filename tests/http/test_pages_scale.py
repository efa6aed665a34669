#!/usr/bin/python3
"""The pages over every agreement at scale (issue 12): /actions, /alerts,
/governance and /mine show a page of 100 rows in a stable order, with the
filters kept in the links to the other pages and the count of all rows; a
download (?format=csv) still has every row; and the agreements they share
between requests (read once per register version) are never stale: a change
saved through a form shows on the next request.

On a server of its own: the suite's database plus 130 generated agreements
of the Antwerp directorate (SCALE-001 … SCALE-130), each with one action
(so /actions has more than 100 rows), one party without council approval
and one body that must meet twice a year (so /alerts and /governance have
more than 100 rows on 30/06/2024).
Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import html
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import Checks, Client, csv_rows, require_env, run_own_server, somon, TMP  # noqa: E402

check = Checks(detail_width=300)
N = 130
DAY = "2024-06-30"
PAGE = 100


def generated(path):
    ags = []
    for i in range(1, N + 1):
        id_ = "SCALE-%03d" % i
        ags.append({
            "id": id_, "title": "Schaalproef %03d" % i, "kind": None, "signed_on": "2019-12-01", "predecessor": None,
            "vdab_directorate": "Antwerpen", "regiegebied": None, "status": "signed", "start": "2020-01-01",
            "end": None, "expected_start": None, "terminated_on": None, "terminated_by": None,
            "parties": [{"organisation": "VDAB"},
                        {"municipality": "11022", "approved_on": None, "from": None, "until": None,
                         "expected_from": None, "signatories": []}],
            "action_plan": [{"theme": "Schaal", "domains": [{"number": "1", "title": "Proef", "actions": [
                {"number": "1.1", "title": "Actie %s" % id_, "lead": None, "status": None}]}]}],
            "governance": [{"body": "Stuurgroep %s" % id_, "convener": "VDAB", "min_meetings": 2, "per_years": 1,
                            "members": [{"name": None, "function": "voorzitter", "organisation": "VDAB"}]}],
            "notes": None})
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"format": "somon/1", "organisations": [], "regiegebieden": [], "agreements": ags}, f)


def prepare(db):
    path = os.path.join(TMP, "pages_scale.json")
    generated(path)
    r = somon("--actor", "scale", "import", path, db=db)
    assert r.returncode == 0, r.stderr
    r = somon("user", "add", "scale-admin", "--role", "admin", stdin="correct horse battery\n", db=db)
    assert r.returncode == 0, r.stderr


def body_rows(page):
    """The rows of the page's (last) list table, each a list of its cells' text."""
    m = re.findall(r"<tbody>\n(.*?)</tbody>", page, re.S)
    if not m:
        return []
    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", m[-1], re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        rows.append([html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


def link(page, rel):
    m = re.search(r'<a href="([^"]+)" rel="%s">' % rel, page)
    return html.unescape(m.group(1)) if m else None


def paged(c, name, url, key, csv_key):
    """Page 1, page 2 and a page beyond the end of url against its download:
    key(row of the page) and csv_key(row of the CSV) name a row."""
    sep = "&" if "?" in url else "?"
    first = c.get(url)
    check("%s: answers 200" % name, first.status == 200, first.status)
    p1 = first.text()
    download = c.get(url + sep + "format=csv")
    rows = csv_rows(download.text())[1:]
    check("%s: the download has every row (more than a page)" % name, len(rows) > PAGE, len(rows))
    total = len(rows)
    check("%s: the page says how many rows there are in all" % name,
          "Rij 1 tot %d van %d." % (PAGE, total) in p1, re.findall(r"Rij [^<]*", p1))
    shown1 = [key(r) for r in body_rows(p1)]
    check("%s: page 1 shows the first %d rows of the download, in its order" % (name, PAGE),
          shown1 == [csv_key(r) for r in rows[:PAGE]], (shown1[:3], [csv_key(r) for r in rows[:3]]))
    nxt = link(p1, "next")
    check("%s: page 1 links the next page" % name, nxt is not None and "page=2" in nxt, nxt)
    p2 = c.get(nxt).text() if nxt else ""
    shown2 = [key(r) for r in body_rows(p2)]
    check("%s: page 2 shows the next rows" % name, shown2 == [csv_key(r) for r in rows[PAGE:2 * PAGE]],
          (shown2[:3], len(shown2)))
    check("%s: page 2 says which rows" % name,
          "Rij %d tot %d van %d." % (PAGE + 1, min(2 * PAGE, total), total) in p2, re.findall(r"Rij [^<]*", p2))
    check("%s: page 2 links back" % name, link(p2, "prev") is not None and "page=1" in link(p2, "prev"),
          link(p2, "prev"))
    again = c.get(url).text()
    check("%s: the same request gives the same rows (a stable order)" % name,
          [key(r) for r in body_rows(again)] == shown1)
    pages = (total + PAGE - 1) // PAGE
    beyond = c.get(url + sep + "page=999")
    last = c.get(url + sep + "page=%d" % pages)
    check("%s: a page beyond the end shows the last page" % name,
          beyond.status == 200 and body_rows(beyond.text()) == body_rows(last.text()) and
          body_rows(last.text()) != [], beyond.status)
    bad = c.get(url + sep + "page=nul")
    check("%s: a page that is no number is refused" % name, bad.status == 400, bad.status)
    return p1, rows


def run(server):
    c = Client(port=server.port)
    # /actions: the row names the agreement (first cell) and the action title (sixth)
    p1, rows = paged(c, "/actions", "/actions?province=Antwerpen&theme=Schaal",
                     lambda r: (r[0], r[5]), lambda r: (r[0], r[5]))
    check("/actions: the filters are kept in the pager links",
          "province=Antwerpen" in (link(p1, "next") or "") and "theme=Schaal" in (link(p1, "next") or ""),
          link(p1, "next"))
    check("/actions: counts every row", "%d acties." % len(rows) in p1)
    check("/actions: every generated action", len(rows) == N, len(rows))

    # /alerts: the agreement (second cell) and what (third); the CSV has them in columns 2 and 4
    p1, rows = paged(c, "/alerts", "/alerts?date=%s&province=Antwerpen" % DAY,
                     lambda r: (r[1], r[2]), lambda r: (r[1], r[3]))
    check("/alerts: the filters are kept in the pager links",
          "province=Antwerpen" in (link(p1, "next") or "") and "date=%s" % DAY in (link(p1, "next") or ""),
          link(p1, "next"))
    check("/alerts: counts every alert", "%d signalen." % len(rows) in p1, re.findall(r"\d+ signalen", p1))

    # /governance: the agreement id (in the first cell) and the period's days in force
    def gov_key(r):
        return (r[0].split()[-1], r[3])

    def gov_csv(r):
        return (r[0], "%s – %s" % (r[8], r[9]))
    p1, rows = paged(c, "/governance", "/governance?date=%s&province=Antwerpen" % DAY, gov_key, gov_csv)
    check("/governance: the filters are kept in the pager links",
          "province=Antwerpen" in (link(p1, "next") or "") and "date=%s" % DAY in (link(p1, "next") or ""),
          link(p1, "next"))
    check("/governance: counts every row", "%d rijen in totaal." % len(rows) in p1)
    behind = c.get("/governance?date=%s&state=behind" % DAY).text()
    check("/governance: a state filter is kept too", "state=behind" in (link(behind, "next") or ""),
          link(behind, "next"))

    # /mine (an administrator's: every agreement) pages its two lists apart
    admin = Client(port=server.port)
    r = admin.login("scale-admin")
    check("the administrator signs in", r.status == 303, r.status)
    mine = admin.get("/mine?date=%s" % DAY).text()
    nav = re.findall(r'<a href="([^"]+)" rel="next">', mine)
    check("/mine: each list has its pager", any("page=2" in html.unescape(u) and "alerts_page" not in u for u in nav)
          and any("alerts_page=2" in html.unescape(u) for u in nav), nav)
    check("/mine: the date is kept", all("date=%s" % DAY in html.unescape(u) for u in nav), nav)
    mine2 = admin.get("/mine?date=%s&page=2" % DAY).text()
    check("/mine: page 2 of the agreements", "Rij 101 tot " in mine2, re.findall(r"Rij [^<]*", mine2))

    fresh(admin, c)


def fresh(admin, anonymous):
    """A change through a form shows on the next request: the shared agreements are per version."""
    url = "/actions?theme=Schaal&domain=Proef&page=1"
    before = anonymous.get(url).text()
    check("the action shows under its old title", "Actie SCALE-001" in before)
    fields = [list(f) for f in admin.form("/agreements/SCALE-001/plan/edit", "/agreements/SCALE-001/plan")]
    changed = False
    for f in fields:
        if f[1] == "Actie SCALE-001":
            f[1] = "Actie SCALE-001 herzien"
            changed = True
    check("the plan form holds the action's title", changed, fields[:8])
    r = admin.post("/agreements/SCALE-001/plan", [tuple(f) for f in fields])
    check("the plan is saved", r.status == 303, (r.status, r.text()[:300]))
    after = anonymous.get(url).text()
    check("/actions shows the new title on the next request (no stale share)",
          "Actie SCALE-001 herzien" in after and ">Actie SCALE-001<" not in after)
    mine = admin.get("/mine?date=%s" % DAY).text()
    check("/mine is answered after the change", "Mijn overeenkomsten" in mine)
    alerts = anonymous.get("/alerts?date=%s&province=Antwerpen&format=csv" % DAY)
    check("/alerts still answers every row after the change", alerts.status == 200 and
          len(csv_rows(alerts.text())) > PAGE, alerts.status)


def main():
    require_env("test_pages_scale", "SOMON", "SOMON_DB", "SOMON_TMP")
    return run_own_server(check, "pages_scale", run, prepare)


if __name__ == "__main__":
    sys.exit(main())
