#!/usr/bin/python3
"""A signed agreement without start is named wherever its municipalities are
listed (SPEC §3, issue 9): not counted, but shown as "ondertekend,
begindatum onbekend" (machine-readable: signed_no_start) on the map and its
legend, in the list of municipalities and its state filter, on the municipality,
province and regiegebied pages, in the annex and in the JSON API; an alert asks
for the start.

On a server of its own, on a copy of the suite's database (the demo: its
SO-ANTWERPEN-CLUSTER-KALMTHOUT-2020 is signed without a start, Kalmthout 11022
among its parties) with tests/cli/fixtures/unstarted.json:
  SO-T-UNSTARTED          signed, no start, end 31/12/2025, parties
                          Kruibeke 46013 (a 2019 municipality, in
                          Beveren-Kruibeke-Zwijndrecht 46030 from 2025) and
                          Nevele 44049 (until 2018, in Deinze 44083 from 2019);
  SO-T-UNSTARTED-BESIDE   signed, no start, Mechelen 12025, which the demo's
                          SO-MECHELEN-2021 covers from 01/03/2021: covered wins;
  RG-T-UNSTARTED          a regiegebied of Kruibeke, Nevele (until 2018) and
                          Deinze (from 2019).
Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import ANNEX_KEYS, MUNICIPALITY_KEYS, REPO, as_machine, Checks, Client, require_env, run_own_server, somon  # noqa: E402

MARK = "ondertekend, begindatum onbekend"
KEY = "signed_no_start"
KALMTHOUT, KRUIBEKE, NEVELE, DEINZE, BKZ, MECHELEN = "11022", "46013", "44049", "44083", "46030", "12025"

check = Checks(detail_width=300)


def prepare(db):
    r = somon("--actor", "tester", "import", os.path.join(REPO, "tests/cli/fixtures/unstarted.json"), db=db)
    assert r.returncode == 0, r.stderr


def main():
    require_env("test_unstarted", "SOMON", "SOMON_DB", "SOMON_TMP")
    return run_own_server(check, "unstarted", run, prepare)


def get(client, url):
    r = client.get(url)
    check("GET %s answers 200" % url, r.status == 200, r.status)
    return r.text()


def map_state(html, nis):
    """(title, class) of the map's municipality nis."""
    m = re.search(r'data-nis="%s"><title>([^<]*)</title><path class="([^"]*)"' % nis, html)
    return (m.group(1), m.group(2)) if m else None


def api_states(client, date):
    ms = json.loads(get(client, "/api/v1/municipalities?date=" + date))["municipalities"]
    return {m["nis"]: m["coverage"] for m in ms}


def run(server):
    c = Client(port=server.port)
    api(c)
    the_map(c)
    lists(c)
    pages(c)
    alerts(c)
    annex(c)


def api(c):
    s = api_states(c, "2023-06-30")
    check("API list: Kalmthout of the demo cluster", s.get(KALMTHOUT) == KEY, s.get(KALMTHOUT))
    check("API list: Kruibeke, a 2019 municipality, named as itself", s.get(KRUIBEKE) == KEY, s.get(KRUIBEKE))
    check("API list: Deinze 2019 through Nevele, named as before 2019", s.get(DEINZE) == KEY, s.get(DEINZE))
    check("API list: Mechelen, covered beside it: covered wins", s.get(MECHELEN) == "covered", s.get(MECHELEN))
    check("API list: no other state name", set(s.values()) <= {"covered", "partial", KEY, "pipeline", "none"}, set(s.values()))
    s = api_states(c, "2025-06-30")
    check("API list 2025: Beveren-Kruibeke-Zwijndrecht through Kruibeke", s.get(BKZ) == KEY, s.get(BKZ))
    s = api_states(c, "2018-06-30")
    check("API list 2018: Nevele itself", s.get(NEVELE) == KEY, s.get(NEVELE))
    s = api_states(c, "2026-01-01")
    check("API list 2026: past the end, none", s.get(BKZ) == "none" and s.get(KALMTHOUT) == "none",
          (s.get(BKZ), s.get(KALMTHOUT)))
    for nis, date, want in ((KALMTHOUT, "2023-06-30", KEY), (DEINZE, "2023-06-30", KEY), (BKZ, "2025-06-30", KEY),
                            (MECHELEN, "2023-06-30", "covered")):
        one = json.loads(get(c, "/api/v1/municipalities/%s?date=%s" % (nis, date)))
        check("API municipality %s on %s: %s" % (nis, date, want), one["coverage"] == want, one["coverage"])
    one = json.loads(get(c, "/api/v1/municipalities/%s?date=2023-06-30" % KALMTHOUT))
    ag = [x for x in one["agreements"] if x["id"] == "SO-ANTWERPEN-CLUSTER-KALMTHOUT-2020"]
    check("API municipality: the agreement without start, begin unknown, its end",
          [(x["status"], x["from"], x["until"], x["expected"]) for x in ag] == [("signed", None, "2025-12-31", False)], ag)
    spec = get(c, "/api/v1/openapi.json")
    check("the OpenAPI description names the state", spec.count('"%s"' % KEY) >= 2)


def the_map(c):
    html = get(c, "/?date=2023-06-30")
    check("map: Kalmthout marked", map_state(html, KALMTHOUT) == ("Kalmthout — " + MARK, "s-" + KEY),
          map_state(html, KALMTHOUT))
    check("map: Deinze marked through Nevele", map_state(html, DEINZE) == ("Deinze — " + MARK, "s-" + KEY),
          map_state(html, DEINZE))
    check("map: Mechelen covered", map_state(html, MECHELEN) == ("Mechelen — gedekt", "s-covered"),
          map_state(html, MECHELEN))
    legend = html[html.find('<g class="legend"'):]
    check("map legend: a swatch and the label", '<rect class="s-%s"' % KEY in legend and ">%s</text>" % MARK in legend)
    desc = re.search(r'<desc id="map-desc">([^<]*)</desc>', html).group(1)
    # Kalmthout and its six, Kruibeke, Deinze, Ieper of tests/cli/fixtures/rules.json (SO-T-NOSTART),
    # and Gent of the demo's 2007 agreement (seed 004)
    check("map description counts them", "%s: 11," % MARK in desc, desc)
    html = get(c, "/?date=2025-06-30")
    check("map 2025: Beveren-Kruibeke-Zwijndrecht marked", map_state(html, BKZ)[1] == "s-" + KEY, map_state(html, BKZ))
    html = get(c, "/?date=2018-06-30")
    # before 2019 the map draws Deinze 2019 by its former Deinze and Nevele
    check("map 2018: Deinze 2019 marked through Nevele", map_state(html, DEINZE)[1] == "s-" + KEY, map_state(html, DEINZE))
    check("map 2018: Kruibeke marked", map_state(html, KRUIBEKE)[1] == "s-" + KEY, map_state(html, KRUIBEKE))


def lists(c):
    html = get(c, "/municipalities?date=2023-06-30&state=" + KEY)
    for name in ("Kalmthout", "Kruibeke", "Deinze"):
        check("list filtered on %s: %s" % (KEY, name), ">%s</a>" % name in html)
    check("list filtered: not Mechelen", ">Mechelen</a>" not in html)
    check("the filter offers the state", '<option value="%s" selected>%s</option>' % (KEY, MARK) in html)
    r = c.get("/municipalities?date=2023-06-30&format=csv")
    rows = {x["nis"]: x for x in as_machine(r.text(), MUNICIPALITY_KEYS)}
    check("list CSV: Kalmthout", rows[KALMTHOUT]["coverage"] == KEY, rows[KALMTHOUT])
    check("list CSV: Deinze names the agreement of Nevele",
          (rows[DEINZE]["coverage"], rows[DEINZE]["agreements"]) == (KEY, "SO-T-UNSTARTED"), rows[DEINZE])
    # the covering one is SO-MECHELEN-2021 of the demo, or another the suites before made covering
    ags = rows[MECHELEN]["agreements"].split()
    check("list CSV: Mechelen covered, the covering and the unstarted agreement named",
          rows[MECHELEN]["coverage"] == "covered" and len(ags) >= 2 and ags[-1] == "SO-T-UNSTARTED-BESIDE", rows[MECHELEN])
    html = get(c, "/provinces/Oost-Vlaanderen?date=2023-06-30")
    check("province page: Deinze marked",
          re.search(r'>Deinze</a>.*?<span class="state s-%s">%s</span>' % (KEY, MARK), html) is not None)


def pages(c):
    html = get(c, "/municipalities/%s?date=2023-06-30" % DEINZE)
    check("municipality page: Deinze marked", '<span class="state s-%s">%s</span>' % (KEY, MARK) in html)
    check("municipality page: the agreement of Nevele listed", "/agreements/SO-T-UNSTARTED" in html)
    html = get(c, "/municipalities/%s?date=2025-06-30" % BKZ)
    check("municipality page 2025: Beveren-Kruibeke-Zwijndrecht marked",
          '<span class="state s-%s">%s</span>' % (KEY, MARK) in html)
    html = get(c, "/municipalities/%s?date=2023-06-30" % MECHELEN)
    check("municipality page: Mechelen covered", '<span class="state s-covered">gedekt</span>' in html)
    check("municipality page: Mechelen's other agreement named, not counted",
          "/agreements/SO-T-UNSTARTED-BESIDE" in html and MARK + " (telt niet mee)" in html)
    html = get(c, "/regiegebieden/RG-KINA?date=2023-06-30")
    check("regiegebied page: Kalmthout marked among the members",
          re.search(r'>Kalmthout</a> – <span class="state s-%s">%s</span>' % (KEY, MARK), html) is not None)
    html = get(c, "/regiegebieden/RG-T-UNSTARTED?date=2023-06-30")
    for name in ("Kruibeke", "Deinze"):
        check("regiegebied page: %s marked" % name,
              re.search(r'>%s</a>[^<]*– <span class="state s-%s">%s</span>' % (name, KEY, MARK), html) is not None)
    html = get(c, "/regiegebieden/RG-T-UNSTARTED?date=2025-06-30")
    # Kruibeke, a member named as it was, is part of Beveren-Kruibeke-Zwijndrecht on this day
    check("regiegebied page 2025: Kruibeke's territory marked",
          re.search(r'>Kruibeke</a>[^<]*– <span class="state s-%s">%s</span>' % (KEY, MARK), html) is not None)


def alerts(c):
    html = get(c, "/alerts?date=2023-06-30")
    for ag in ("SO-T-UNSTARTED", "SO-T-UNSTARTED-BESIDE", "SO-ANTWERPEN-CLUSTER-KALMTHOUT-2020"):
        check("an alert asks for the start of " + ag, 'href="/agreements/%s/edit"' % ag in html)


def annex(c):
    html = get(c, "/annex?date=2023-06-30&province=Oost-Vlaanderen")
    row = re.search(r'<tr><th scope="row" rowspan="\d+"><a href="/municipalities/%s[^"]*">Deinze</a>.*?</tr>' % DEINZE,
                    html, re.S)
    check("annex: Deinze marked, via Nevele", row is not None and MARK in row.group(0) and "(via Nevele)" in row.group(0))
    r = c.get("/annex?date=2023-06-30&format=csv")
    rows = {(x["nis"], x["agreement"]): x for x in as_machine(r.text(), ANNEX_KEYS)}
    d = rows.get((DEINZE, "SO-T-UNSTARTED"), {})
    check("annex CSV: Deinze", (d.get("coverage"), d.get("begin"), d.get("via_nis")) == (KEY, "", NEVELE), d)
    m = rows.get((MECHELEN, "SO-T-UNSTARTED-BESIDE"), {})
    check("annex CSV: Mechelen covered, the agreement without start named beside",
          (m.get("coverage"), m.get("begin")) == ("covered", ""), m)
    check("annex CSV: Kalmthout", rows.get((KALMTHOUT, "SO-ANTWERPEN-CLUSTER-KALMTHOUT-2020"), {}).get("coverage") == KEY)


if __name__ == "__main__":
    sys.exit(main())
