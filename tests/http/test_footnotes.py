#!/usr/bin/python3
"""The footnotes under the coverage table on / (issue 10, SPEC §4;
docs/footnotes.md): per province what separates the count on D from the
prognosis on P, each footnote linking to its agreements and municipalities,
stored text escaped, and the register as known at a moment.

On a server of its own, on a fresh database (the suite's register changes
under the other suites, and an agreement one of them adds in Limburg would
change these footnotes) with tests/cli/fixtures/footnotes.json imported (the hand-worked figures are in
tests/cli/test_footnotes.sh): on 30/06/2023 with the prognosis on 31/12/2023
SO-T-HASPENGOUW (principieel akkoord) adds Alken and Heers in Limburg, and
Zutendaal, with nothing in sight, carries a note with markup in it.

Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import REPO, TMP, Checks, Client, require_env, run_own_server, somon  # noqa: E402

check = Checks(detail_width=300)
DATES = "date=2023-06-30&prognosis=2023-12-31"
BEFORE = {}


def last_moment(db):
    """The moment of the last change (ISO UTC, as the store keeps it): the
    wall clock of a test machine may not move as sleep says, the store's
    moments do."""
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT moment FROM change ORDER BY id DESC LIMIT 1").fetchone()[0]
    finally:
        con.close()


def prepare(db):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    r = somon("init", db=db)
    assert r.returncode == 0, r.stderr
    BEFORE["moment"] = last_moment(db)  # as known then: without the fixture
    r = somon("--actor", "tester", "import", os.path.join(REPO, "tests/cli/fixtures/footnotes.json"), db=db)
    assert r.returncode == 0, r.stderr
    BEFORE["import"] = last_moment(db)


def footnotes_of(page):
    """The footnote section of the overview, or ''."""
    m = re.search(r'<section class="footnotes".*?</section>', page, re.S)
    return m.group(0) if m else ""


def run(server):
    anon = Client(port=server.port)
    r = anon.get("/?" + DATES)
    page = r.text()
    check("the overview answers", r.status == 200, r.status)
    notes = footnotes_of(page)
    check("a footnote section under the table", notes and page.index("<table class=\"coverage\"") < page.index(notes))
    check("its heading names the prognosis date", "Voetnoten bij de prognose op 31/12/2023" in notes, notes[:300])
    check("Limburg's footnotes are numbered from 1", re.search(r'Limburg.*?<li value="1"', notes, re.S) is not None)
    check("the pipeline agreement is linked",
          '<a href="/agreements/SO-T-HASPENGOUW?date=2023-06-30">SO-T-HASPENGOUW</a>' in notes, notes[:2000])
    check("its municipalities are linked",
          '<a href="/municipalities/73001?date=2023-06-30">Alken</a>' in notes
          and '<a href="/municipalities/73022?date=2023-06-30">Heers</a>' in notes)
    check("with status and expected date", "principieel akkoord, verwacht vanaf 01/09/2023" in notes)
    check("the title is escaped", "Samen &lt;Haspengouw&gt; &amp; co" in notes)
    check("the planned party", "treedt toe tot" in notes and ">Leopoldsburg</a>" in notes)
    check("nothing in sight, with stage and note",
          "verkennend sinds 10/05/2023: aparte SO in onderzoek" in notes)
    check("a note with markup is escaped", "weinig bereidheid &lt;script&gt;alert(1)&lt;/script&gt; &amp;" in notes)
    check("no markup of the register reaches the page", "<script>alert(1)" not in page)
    check("what comes after P links its agreement",
          '<a href="/agreements/SO-T-GENK?date=2023-06-30">SO-T-GENK</a> verwacht vanaf 01/03/2024' in notes)
    check("West-Vlaanderen has nothing to explain", "<h3>West-Vlaanderen</h3>" not in notes)

    # links pass on the moment the register was known at
    at = BEFORE["import"]
    notes = footnotes_of(anon.get("/?%s&as_known_at=%s" % (DATES, at)).text())
    check("links carry as_known_at",
          re.search(r'href="/agreements/SO-T-HASPENGOUW\?date=2023-06-30&amp;as_known_at=[^"]+"', notes)
          is not None, notes[notes.find("<h3>Limburg"):][:500])
    notes = footnotes_of(anon.get("/?%s&as_known_at=%s" % (DATES, BEFORE["moment"])).text())
    check("as known before the import: no footnote of its agreements", "SO-T-HASPENGOUW" not in notes, notes[:500])
    check("nor its outreach notes", "aparte SO in onderzoek" not in notes)


def main():
    require_env("test_footnotes", "SOMON", "SOMON_DB", "SOMON_TMP")
    return run_own_server(check, "footnotes", run, prepare, db=os.path.join(TMP, "footnotes-fresh.db"))


if __name__ == "__main__":
    sys.exit(main())
