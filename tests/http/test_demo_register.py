#!/usr/bin/python3
"""The demo register of `make run` over HTTP, as a newcomer clicks through it
(issue 13: "a register of about 60 real municipalities that a newcomer can
click through to the page where each fact was published").

The database is built with the very lines of the Makefile's $(DB) rule
(tests/demo_db.sh, as tests/cli/test_demo_sources.sh does). From /agreements, page by page, every
agreement compiled from public sources is reached by its link; its page has a
section Bronnen whose links go to the pages of data/demo/public_so (and to
nothing else), and each party's municipality page is one click away and links
back. The Halle-Vilvoorde outreach note names its page as a link. Notes with
addresses are links, escaped (a hostile note of its own checks that).

Run by tests/http/run.sh (SOMON, SOMON_TMP) with /usr/bin/python3.
"""

import csv
import html
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import run_own_server, REPO, Checks, Client, require_env, somon  # noqa: E402

check = Checks(detail_width=300)
SENTENCE = "Publieke bronnen, onvolledig: dit register is samengesteld uit publieke bronnen"
PUBLIC_SO = os.path.join(REPO, "data/demo/public_so/agreements.csv")
SHEET = os.path.join(REPO, "data/demo/publieke-bronnen/publieke-bronnen.csv")
HOSTILE_NOTE = 'Zie https://x.example/a"><script>alert(1)</script> en (https://y.example/b?c=1&d=2). Of javascript:alert(2)'


def public_urls():
    with open(PUBLIC_SO, encoding="utf-8") as f:
        return {r["source_url"] for r in csv.DictReader(f)}


def sheet_ids():
    with open(SHEET, encoding="utf-8-sig") as f:
        return {r[0] for r in csv.reader(f, delimiter=";")} - {"overeenkomst"}


def build(db):
    """The demo database as `make` builds it, our somon instead of build/somon."""
    r = subprocess.run(["bash", "tests/demo_db.sh", db], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    doc = {"format": "somon/1", "agreements": [{
        "id": "SO-T-NOTE-LINKS", "title": "Notities met adressen", "vdab_directorate": "Limburg", "status": "negotiating",
        "notes": HOSTILE_NOTE, "parties": [{"municipality": "71016"}]}]}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(doc, f)
    r = somon("--actor", "tester", "import", f.name, db=db)
    os.unlink(f.name)
    assert r.returncode == 0, r.stderr


def hrefs(page):
    return [html.unescape(h) for h in re.findall(r'<a href="([^"]*)"', page)]


def all_pages(c, url):
    """The pages of a list, following its pager's "volgende" link."""
    pages = []
    for _ in range(20):
        pages.append(c.get(url).text())
        nxt = re.search(r'<a href="([^"]*)" rel="next"', pages[-1])
        if not nxt:
            break
        url = html.unescape(nxt.group(1))
    return pages


def run(server):
    c = Client(port=server.port)
    urls, ids = public_urls(), sheet_ids()

    check("the overview says the register is partial", SENTENCE in c.get("/").text())

    # /agreements, page by page: every agreement of the sheet by its link
    reached = set()
    for page in all_pages(c, "/agreements"):
        reached |= {h.split("/agreements/")[1] for h in hrefs(page) if re.fullmatch(r"/agreements/PB-[A-Z0-9-]+", h)}
    check("every agreement from public sources is linked from /agreements", reached == ids, sorted(ids ^ reached))

    municipalities = set()
    for ag in sorted(reached):
        page = c.get("/agreements/" + ag).text()
        links = [h for h in hrefs(page) if h.startswith("http")]
        section = page[page.find('<h2 id="sources-h">Bronnen</h2>'):page.find('<h2 id="parties-h"')]
        check("%s: a section Bronnen with a link" % ag, '<h2 id="sources-h">Bronnen</h2>' in page and
              'rel="noopener noreferrer"' in section)
        check("%s: every outside link goes to a page of public_so" % ag, links and set(links) <= urls,
              sorted(set(links) - urls))
        for nis in re.findall(r'<a href="/municipalities/(\d{5})[?"]', page):
            municipalities.add((nis, ag))
    check("about 60 municipalities one click from the agreements", 55 <= len({n for n, _ in municipalities}) <= 75,
          len({n for n, _ in municipalities}))
    for nis, ag in sorted(municipalities)[:80:8]:  # a sample: each links back to its agreement
        page = c.get("/municipalities/" + nis + "?date=2023-06-30").text()
        check("%s's page links back to %s" % (nis, ag), "/agreements/" + ag in page)

    # the outreach of Halle-Vilvoorde: the note's page is a link
    bever = c.get("/municipalities/23009").text()
    check("Bever: no contact, the note's address a link",
          "geen contact" in bever and '<a href="https://www.ringtv.be/economie-samenleving/helft-gemeenten-halle-'
          'vilvoorde-werkt-niet-samen-met-vdab-bijna-80" rel="noopener noreferrer">' in bever)

    # an association whose members are unknown: the alert says so
    alerts = "".join(all_pages(c, "/alerts"))
    check("the alert leden onbekend", "zijn niet bekend" in alerts and "Regio Meetjesland" in alerts)

    # addresses in notes are links, escaped; a javascript: text stays text
    note = c.get("/agreements/SO-T-NOTE-LINKS").text()
    body = note[note.find('<p class="notes">'):]
    body = body[:body.find("</p>")]
    check("a note's address is a link, its markup escaped",
          '<a href="https://x.example/a&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" rel="noopener noreferrer">'
          'https://x.example/a"&gt;&lt;script&gt;alert(1)&lt;/script&gt;</a>' in body, body)
    check("the sentence's ')' and '.' stay outside the link",
          '(<a href="https://y.example/b?c=1&amp;d=2" rel="noopener noreferrer">https://y.example/b?c=1&amp;d=2</a>).'
          in body, body)
    check("no script, and javascript: is no link", "<script>" not in body and 'href="javascript' not in body
          and "javascript:alert(2)" in body, body)


def main():
    require_env("test_demo_register", "SOMON", "SOMON_TMP")
    db = os.path.join(os.environ["SOMON_TMP"], "test_demo_register.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    return run_own_server(check, "test_demo_register", run, prepare=build, db=db)


if __name__ == "__main__":
    sys.exit(main())
