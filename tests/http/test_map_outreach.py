#!/usr/bin/python3
"""The map coloured by outreach (SPEC §5, issue 10), over HTTP.

On a server of its own (a database of its own: the demo agreements, the
rules fixture and the outreach log of tests/cli/fixtures/map-outreach.json), the overview `/` offers "Kleur de
kaart naar: dekking | contact met gemeenten zonder overeenkomst", links that
keep the date and as_known_at. With map=outreach every municipality that has
or gets an agreement on the date is drawn in one neutral class, every other
one by its outreach stage on the date, or as "nog niets geregistreerd":
classes, tooltips, links, legend and the counts of the description, which
agree with the outreach filter of /municipalities (both leave out a
municipality with an agreement in the pipeline: it gets one). Before 2019 a 2019 merger
takes the stage furthest along of its former municipalities (docs/states.md).
map=bogus is a 400 that names the allowed values; the coverage map stays as
it was (map=coverage is the default).

Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import map_svg, prepare_demo_with_outreach, as_machine, MUNICIPALITY_KEYS, run_own_server, REPO, TMP, Checks, Client, require_env, somon  # noqa: E402

check = Checks(detail_width=300)

LABELS = {
    "o-agreement": "heeft of krijgt een overeenkomst",
    "o-no_contact": "geen contact",
    "o-exploring": "verkennend",
    "o-negotiating": "in onderhandeling",
    "o-declined": "afgewezen",
    "o-joined": "toegetreden",
    "o-unknown": "nog niets geregistreerd",
}
STAGE_OF = {"no_contact": "o-no_contact", "exploring": "o-exploring", "negotiating": "o-negotiating",
            "declined": "o-declined", "joined": "o-joined", "unknown": "o-unknown"}


prepare = prepare_demo_with_outreach
svg = map_svg


def drawn(page):
    """{nis: (tooltip, class, href)} of the map on page."""
    return {nis: (title, cls, href) for href, nis, title, cls in re.findall(
        r'<g data-href="([^"]*)" class="muni" data-nis="(\d{5})"><title>([^<]*)</title><path class="([^"]*)"', svg(page))}


def rows(client, url):
    return as_machine(client.get(url).text(), MUNICIPALITY_KEYS)


def main():
    require_env("test_map_outreach", "SOMON", "SOMON_DB", "SOMON_TMP")
    return run_own_server(check, "map_outreach", run, prepare, db=os.path.join(TMP, "map-outreach.db"))


def run(server):
    anon = Client(port=server.port)
    coverage = anon.get("/?date=2023-06-30")
    check("the overview answers", coverage.status == 200, coverage.status)
    cov = coverage.text()
    check("map=coverage is the default: the same map",
          svg(anon.get("/?date=2023-06-30&map=coverage").text()) == svg(cov) != "")
    check("the coverage map has the state classes only",
          'class="s-covered"' in svg(cov) and "o-" not in "".join(c for _, c, _ in drawn(cov).values()))
    check("it offers the outreach map, keeping the date",
          'href="/?date=2023-06-30&amp;map=outreach"' in cov and "Kleur de kaart naar:" in cov)

    r = anon.get("/?date=2023-06-30&map=outreach")
    check("the outreach map answers", r.status == 200, r.status)
    page = r.text()
    m = drawn(page)
    check("it draws every municipality of 2023", len(m) == 300, len(m))
    expect = {"11001": ("Aartselaar", "o-no_contact"), "11004": ("Boechout", "o-exploring"),
              "11005": ("Boom", "o-negotiating"), "38002": ("Alveringem", "o-declined"),
              "34002": ("Anzegem", "o-joined"), "35013": ("Oostende", "o-agreement")}
    for nis, (name, cls) in expect.items():
        check("%s %s: class %s and tooltip '%s — %s'" % (nis, name, cls, name, LABELS[cls]),
              m.get(nis, ("", "", ""))[:2] == ("%s — %s" % (name, LABELS[cls]), cls), m.get(nis))
    check("a later entry does not count yet (Boom joins on 01/09/2023)", m["11005"][1] == "o-negotiating")
    check("the link to the municipality page as in the coverage map",
          m["11004"][2] == "/municipalities/11004?date=2023-06-30" == drawn(cov)["11004"][2], m["11004"][2])
    nothing = rows(anon, "/municipalities?date=2023-06-30&outreach=unknown&format=csv")
    check("a municipality without agreement and without entries is 'nog niets geregistreerd'",
          nothing and m.get(nothing[0]["nis"], ("", "", ""))[:2] ==
          ("%s — nog niets geregistreerd" % nothing[0]["municipality"], "o-unknown"), nothing[:1])
    covered = [x for x in rows(anon, "/municipalities?date=2023-06-30&format=csv") if x["coverage"] != "none"]
    check("every municipality with or getting an agreement is neutral",
          covered and all(m[x["nis"]][1] == "o-agreement" for x in covered), len(covered))

    for cls, label in LABELS.items():
        check("legend entry %s '%s'" % (cls, label),
              re.search(r'<rect class="%s" [^>]*/><text [^>]*>%s</text>' % (cls, label), svg(page)) is not None)
    desc = re.search(r'<desc id="map-desc">([^<]*)</desc>', page)
    desc = desc.group(1) if desc else ""
    counts = {cls: sum(1 for _, c, _ in m.values() if c == cls) for cls in LABELS}
    want = ", ".join("%s: %d" % (label, counts[cls]) for cls, label in LABELS.items())
    want = want[0].upper() + want[1:] + " (300 gemeenten)."
    check("the description counts each class", desc == want, (desc, want))
    check("the neutral count is the number with or getting an agreement", counts["o-agreement"] == len(covered))
    # the filter of /municipalities reads "without an agreement" as the map does
    for stage, cls in STAGE_OF.items():
        listed = rows(anon, "/municipalities?date=2023-06-30&outreach=%s&format=csv" % stage)
        check("%s: as many as the filter outreach=%s of /municipalities (%d)" % (cls, stage, len(listed)),
              counts[cls] == len(listed) and all(x["coverage"] == "none" for x in listed), counts[cls])
    check("it offers the coverage map again, keeping the date",
          'href="/?date=2023-06-30"' in page and "contact met gemeenten zonder overeenkomst" in page)
    check("the date form keeps the mode", '<input type="hidden" name="map" value="outreach">' in page)
    check("the caption names the mode", "Contact met gemeenten zonder samenwerkingsovereenkomst op 30/06/2023" in page)

    late = drawn(anon.get("/?date=2023-12-31&map=outreach").text())
    check("on 31/12/2023 Boom has joined", late["11005"] == ("Boom — toegetreden", "o-joined",
                                                            "/municipalities/11005?date=2023-12-31"), late["11005"])
    known = anon.get("/?date=2023-06-30&as_known_at=2026-01-01&map=outreach").text()
    check("the toggle keeps as_known_at",
          'href="/?date=2023-06-30&amp;as_known_at=2026-01-01"' in known, re.findall(r'href="/\?[^"]*"', known)[:4])

    old = anon.get("/?date=2017-06-30&map=outreach").text()
    om = drawn(old)
    check("before 2019 the shapes of 2019", len(om) == 300, len(om))
    check("Pelt (2019) before 2019: the stage furthest along of Neerpelt (afgewezen) and Overpelt (verkennend)",
          om.get("72043", ("", ""))[:2] == ("Pelt — verkennend", "o-exploring"), om.get("72043"))
    check("Lievegem (2019) before 2019 without entries in its parts: nog niets",
          om.get("44085", ("", ""))[:2] == ("Lievegem — nog niets geregistreerd", "o-unknown"), om.get("44085"))
    check("the note about older maps, below the second column of the legend",
          '<text class="older" x="280" y="48">Vóór 2019: kaart van 2019;</text>' in old)
    check("the coverage map of 2017 keeps its note where it was",
          '<text class="older" x="280" y="14">Vóór 2019' in anon.get("/?date=2017-06-30").text())

    r = anon.get("/?date=2023-06-30&map=bogus")
    check("map=bogus is a 400", r.status == 400, r.status)
    check("naming the allowed values", "coverage" in r.text() and "outreach" in r.text(), r.text()[:300])


if __name__ == "__main__":
    sys.exit(main())
