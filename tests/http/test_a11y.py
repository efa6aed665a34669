#!/usr/bin/python3
"""The map for every reader (issue 11, "Accessible"), over HTTP.

On a server of its own (the demo agreements, the rules fixture and the
outreach log of tests/cli/fixtures/map-outreach.json), the overview's map:
  - is one labelled image: <svg role="img" aria-labelledby="map-title
    map-desc"> whose title names the date, with nothing focusable inside (no
    link, no tabindex): 300 municipalities are not 300 Tab stops;
  - has a skip link past it ("Ga voorbij de kaart") to #map-list, which
    exists, and every page a skip link to #main, which exists;
  - has its accessible equivalent: #map-list lists every municipality of the
    map, each once, in a <details> per province (table order, the province
    its NIS code says), a link to its page with the date, and its state in
    the words of the map's own tooltip; on the coverage map and on the
    outreach map, in 2023 (300) and 2025 (285);
  - tells the states apart by pattern as well as colour: an SVG <pattern>
    per legend entry, with distinct ids and distinct drawings, every
    municipality filled with its entry's pattern, and both legends' swatches
    (in the drawing, and the HTML legend under it) with the same patterns;
  - can be enlarged without JavaScript (a link to #map-figure, which exists);
  - says what it shows in a live region (#map-status, aria-live="polite")
    that the slider of assets/somon.js updates: "Kaart op 30/06/2023: n van N
    gemeenten gedekt.", n/N the Flanders row of the table;
and the municipality page's timeline holds no link inside its role="img".

Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import html
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import map_svg, prepare_demo_with_outreach, run_own_server, REPO, Checks, Client, require_env, somon  # noqa: E402

check = Checks(detail_width=300)

# The provinces in the order of the parliamentary table, with the first digit of their NIS codes.
PROVINCES = [("West-Vlaanderen", "3"), ("Oost-Vlaanderen", "4"), ("Antwerpen", "1"), ("Vlaams-Brabant", "2"),
             ("Limburg", "7")]


prepare = prepare_demo_with_outreach
svg = map_svg


def drawn(page):
    """nis -> (tooltip name, label, class, fill) of every municipality of the map."""
    out = {}
    for nis, title, cls, fill in re.findall(
            r'<g data-href="[^"]*" class="muni" data-nis="(\d{5})"><title>([^<]*)</title>'
            r'<path class="([^"]*)" d="[^"]*" fill="url\(#([^)]*)\)"/></g>', svg(page)):
        name, label = html.unescape(title).split(" — ", 1)
        out[nis] = (name, label, cls, fill)
    return out


def listed(page):
    """[(province, [(nis, href, name, label)])] of the list under the map."""
    m = re.search(r'<section id="map-list"[^>]*>(.*?)</section>', page, re.S)
    if not m:
        return []
    groups = []
    for summary, body in re.findall(r'<details class="province"><summary>([^<]*)</summary>(.*?)</details>', m.group(1),
                                    re.S):
        items = [(nis, html.unescape(href), html.unescape(name), html.unescape(label)) for href, nis, name, label in
                 re.findall(r'<li><a href="(/municipalities/(\d{5})[^"]*)">([^<]*)</a>: ([^<]*)</li>', body)]
        groups.append((html.unescape(summary), items))
    return groups


def check_map(page, what, count, query):
    s = svg(page)
    check("%s: the map is one image labelled by its title and description" % what,
          'role="img" aria-labelledby="map-title map-desc" class="map"' in s and '<title id="map-title">' in s
          and '<desc id="map-desc">' in s, s[:300])
    inside = re.findall(r'<a\b|\shref=|tabindex=|<input|<button|<select|<textarea', s)
    check("%s: nothing focusable inside the map" % what, inside == [], inside[:5])
    munis = drawn(page)
    check("%s: %d municipalities drawn, each filled with a pattern" % (what, count), len(munis) == count, len(munis))

    # the skip link past the map, the figure the enlarge link opens
    check("%s: a skip link past the map to the list" % what,
          '<a class="skip-map" href="#map-list">Ga voorbij de kaart</a>' in page and 'id="map-list"' in page)
    check("%s: the skip link comes before the map, the list after it" % what,
          0 < page.find('class="skip-map"') < page.find('<svg xmlns') < page.find('id="map-list"'))
    check("%s: an enlarge link to the figure, which exists" % what,
          '<a class="map-zoom" href="#map-figure">Kaart vergroten</a>' in page and '<figure id="map-figure"' in page)

    # the list: every municipality of the map once, grouped by province
    groups = listed(page)
    names = [g for g, _ in groups]
    check("%s: a <details> per province, in the order of the table" % what,
          [n.split(" (")[0] for n in names] == [p for p, _ in PROVINCES], names)
    seen = {}
    wrong_province, wrong_words, wrong_link = [], [], []
    for (summary, items), (province, digit) in zip(groups, PROVINCES):
        if "(%d gemeenten)" % len(items) not in summary:
            wrong_province.append(summary)
        for nis, href, name, label in items:
            seen[nis] = seen.get(nis, 0) + 1
            if nis[0] != digit:
                wrong_province.append((province, nis))
            if munis.get(nis, ("", "", "", ""))[:2] != (name, label):
                wrong_words.append((nis, name, label, munis.get(nis)))
            if href != "/municipalities/%s%s" % (nis, "?" + query if query else ""):
                wrong_link.append(href)
    check("%s: the list holds every municipality of the map, once" % what,
          set(seen) == set(munis) and all(v == 1 for v in seen.values()),
          (len(seen), sorted(set(munis) - set(seen))[:5], [k for k, v in seen.items() if v > 1][:5]))
    check("%s: each in the group of its province, the counts in the summaries" % what, wrong_province == [],
          wrong_province[:5])
    check("%s: each with its name and its state in words, as the map's tooltip" % what, wrong_words == [],
          wrong_words[:5])
    check("%s: each a link to its page, the date kept" % what, wrong_link == [], wrong_link[:5])
    sorted_ok = all([i[2] for i in items] == sorted(i[2] for i in items) for _, items in groups)
    check("%s: by name within a province" % what, sorted_ok)

    # patterns: one per legend entry, distinct; municipalities and swatches use them
    patterns = dict(re.findall(r'<pattern id="([^"]+)"[^>]*>(.*?)</pattern>', s, re.S))
    legend_svg = re.findall(r'<rect class="([^"]+)" x="\d+" y="\d+" width="14" height="14" fill="url\(#([^)]+)\)"/>', s)
    legend_html = re.findall(r'<li><svg class="swatch"[^>]*><rect class="([^"]+)" width="18" height="18" '
                             r'fill="url\(#([^)]+)\)"/></svg> ([^<]*)</li>', page)
    check("%s: a pattern per legend entry" % what,
          len(patterns) == len(legend_svg) == len(legend_html) and len(patterns) >= 5,
          (len(patterns), len(legend_svg), len(legend_html)))
    check("%s: each entry's pattern is its own: distinct ids and distinct drawings" % what,
          len(set(patterns)) == len(patterns) and
          len({re.sub(r'class="bg [^"]*"', "", body) for body in patterns.values()}) == len(patterns),
          list(patterns.items())[:3])
    check("%s: both legends' swatches use the pattern of their entry" % what,
          all(p == "map-pattern-" + c for c, p in legend_svg) and
          [p for _, p in legend_svg] == [p for _, p, _ in legend_html], (legend_svg, legend_html))
    check("%s: every municipality is filled with the pattern of its class" % what,
          all(fill == "map-pattern-" + cls and fill in patterns for _, _, cls, fill in munis.values()))
    counted = sum(int(t.rsplit(": ", 1)[1]) for _, _, t in legend_html) if legend_html else -1
    check("%s: the HTML legend counts every municipality" % what, counted == count, counted)
    return munis


def run(server):
    anon = Client(port=server.port)

    page = anon.get("/?date=2023-06-30").text()
    check_map(page, "coverage 30/06/2023", 300, "date=2023-06-30")
    check("the map's title names the date",
          '<title id="map-title">Gemeenten met een samenwerkingsovereenkomst op 30/06/2023</title>' in page)
    # the live region: what the map shows, the figures of the table's Flanders row
    total = re.search(r'<tr class="total"><th scope="row">Vlaanderen</th><td class="num"><a [^>]*>(\d+)/(\d+)</a>', page)
    live = re.search(r'<p id="map-status" class="map-status" role="status" aria-live="polite">([^<]*)</p>', page)
    check("a polite live region says what the map shows",
          live and total and live.group(1) == "Kaart op 30/06/2023: %s van %s gemeenten gedekt." % total.groups(),
          (live and live.group(1), total and total.groups()))
    check("the live region lies outside the sections the slider replaces",
          live and page.find('id="map-status"') < page.find('<section aria-labelledby="table-h"'))

    check_map(anon.get("/?date=2023-06-30&map=outreach").text(), "outreach 30/06/2023", 300,
              "date=2023-06-30")
    out = anon.get("/?date=2023-06-30&map=outreach").text()
    check("the outreach map's live region names its mode",
          "Kaart op 30/06/2023 (contact met gemeenten zonder overeenkomst): " in out)
    later = anon.get("/?date=2025-06-30").text()
    check_map(later, "coverage 30/06/2025", 285, "date=2025-06-30")
    check_map(anon.get("/").text(), "coverage today, no query", 285, "")
    old = anon.get("/?date=2016-06-30").text()
    check_map(old, "coverage 30/06/2016", 300, "date=2016-06-30")
    check("before 2019 the HTML legend says which shapes it draws",
          "Vóór 2019: kaart van 2019; gefusioneerde gemeenten volgens hun deelgemeenten." in old)

    # every page: a skip link to #main first thing in the body, and #main
    for path in ("/", "/agreements", "/municipalities", "/municipalities/12025", "/login", "/annex", "/history"):
        p = anon.get(path).text()
        body = p[p.find("<body>"):]
        check("%s: the first link skips to the main content, which exists" % path,
              body.startswith('<body>\n<a class="skip" href="#main">Naar de inhoud</a>') and '<main id="main">' in p)
    r = anon.get("/agreements/SO-BESTAAT-NIET")
    check("an error page too", '<a class="skip" href="#main">' in r.text() and '<main id="main">' in r.text(), r.status)

    # the municipality page's timeline: one image, no link inside (the table under it links)
    muni = anon.get("/municipalities/12025?date=2023-06-30").text()
    tl = re.search(r'<svg class="timeline".*?</svg>', muni, re.S)
    check("the timeline holds nothing focusable", tl and not re.search(r'<a\b|href=|tabindex=', tl.group(0)),
          tl and tl.group(0)[:200])


def main():
    require_env("test_a11y.py", "SOMON", "SOMON_TMP")
    return run_own_server(check, "a11y", run, prepare=prepare, db=os.path.join(os.environ["SOMON_TMP"], "a11y.db"))


if __name__ == "__main__":
    sys.exit(main())
