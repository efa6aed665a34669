#!/usr/bin/python3
"""Published editions of the answer to parliament (SPEC §4, issue 10), over HTTP.

On a server of its own (a fresh database with the demo agreements: on
15/10/2021 Scheldeland, 8 municipalities of Oost-Vlaanderen and the
regiegebied RG-SCHELDELAND, and Mechelen are in force):

- a vdab account publishes through the form the overview opens: one change
  by the person, the frozen table and its notes on /editions/{id}, the
  edition in /editions; bad input (no question, the prognosis before the
  date, a note too long) comes back beside its field with what
  was typed and writes nothing; a form opened before a change of the register
  is refused (409) and writes nothing;
- local accounts, viewers and anonymous readers cannot publish (the form
  sends them to sign in, the POST is forbidden) and see no button;
- after a correcting import the edition's page lists exactly the changed
  cells with links to the change and the agreement, and the overview warns
  that the edition's figures have changed.

Run by tests/http/run.sh (SOMON, SOMON_TMP) with /usr/bin/python3.
"""

import glob
import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import (run_own_server, PASSWORD, REPO, TMP, Checks, Client, require_env, somon,  # noqa: E402
                        with_values)

check = Checks(detail_width=400)
ACCOUNTS = (("ed-vdab", "vdab", "Limburg"), ("ed-admin", "admin", None), ("ed-local", "local", "12025"),
            ("ed-viewer", "viewer", None))
NEW = "/editions/new?date=2021-10-15&prognosis=2021-12-31"
WARNING = "De cijfers van gepubliceerde editie 1 zijn sindsdien gewijzigd"


def prepare(db):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    r = somon("init", db=db)
    assert r.returncode == 0, r.stderr
    files = sorted(glob.glob(os.path.join(REPO, "data/demo/*.json")))
    r = somon("--actor", "tester", "import", *files, db=db)
    assert r.returncode == 0, r.stderr
    for login, role, scope in ACCOUNTS:
        args = ["user", "add", login, "--role", role] + (["--scope", scope] if scope else [])
        r = somon(*args, stdin=PASSWORD + "\n", db=db)
        assert r.returncode == 0, r.stderr


def query(db, sql, *args):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def changes(db):
    return query(db, "SELECT count(*) FROM change")[0][0]


def editions(db):
    return query(db, "SELECT count(*) FROM edition")[0][0]


def signed_in(server, login):
    c = Client(port=server.port)
    assert c.login(login).status == 303, login
    return c


def main():
    require_env("test_editions", "SOMON", "SOMON_TMP")
    return run_own_server(check, "editions", run, prepare, db=os.path.join(TMP, "editions.db"))


def run(server):
    anon = Client(port=server.port)
    refusals(server, anon)
    vdab = signed_in(server, "ed-vdab")
    bad_input(server, vdab)
    stale(server, vdab)
    publish(server, vdab, anon)
    correction(server, anon)


def refusals(server, anon):
    n0 = changes(server.db)
    body = {"version": "1", "question": "V", "date": "2021-10-15", "prognosis": "2021-12-31"}
    r = anon.get(NEW)
    check("anonymous GET of the form is sent to sign in", r.status == 303 and "/login" in (r.header("location") or ""),
          r.status)
    check("anonymous POST is forbidden", anon.post("/editions", body).status == 403)
    check("no button for anonymous readers", "/editions/new" not in anon.get("/?date=2021-10-15").text())
    for login in ("ed-local", "ed-viewer"):
        c = signed_in(server, login)
        check("%s: the form is forbidden" % login, c.get(NEW).status == 403)
        body["csrf"] = c.csrf()
        check("%s: publishing is forbidden" % login, c.post("/editions", body).status == 403)
        check("%s: no button on the overview" % login, "/editions/new" not in c.get("/?date=2021-10-15").text())
    check("nothing written", changes(server.db) == n0 and editions(server.db) == 0)
    check("/editions says there are none", "nog geen gepubliceerde edities" in anon.get("/editions").text())


def bad_input(server, vdab):
    n0 = changes(server.db)
    fields = vdab.form(NEW, "/editions")
    r = vdab.post("/editions", with_values(fields, {"question": "  ", "prognosis": "2021-06-30",
                                                    "notes[4]": "Limburg volgt", "notes[1]": "x" * 20001}))
    text = r.text()
    check("bad input: 422", r.status == 422, r.status)
    check("the question's error beside it", 'id="f-question-error"' in text, text[:2000])
    check("the prognosis's error beside it", 'id="f-prognosis-error"' in text and "vóór de datum" in text)
    check("the note's error beside it", 'id="f-notes-1--error"' in text or 'id="f-notes-1-error"' in text,
          re.findall(r'id="[^"]*-error"', text))
    check("what was typed stays", "Limburg volgt</textarea>" in text and 'value="2021-06-30"' in text)
    check("nothing written", changes(server.db) == n0 and editions(server.db) == 0)


def stale(server, vdab):
    fields = vdab.form(NEW, "/editions")
    # someone else changes the register after the form was opened
    r = somon("--actor", "other", "import", os.path.join(REPO, "tests/cli/fixtures/cooperations.json"), db=server.db)
    assert r.returncode == 0, r.stderr
    n0 = changes(server.db)
    r = vdab.post("/editions", with_values(fields, {"question": "Vraag 9"}))
    check("a form opened before a change: 409", r.status == 409, r.status)
    check("says why and keeps the input", "het register veranderde" in r.text() and "Vraag 9</textarea>" in r.text())
    check("nothing written", changes(server.db) == n0 and editions(server.db) == 0)


def publish(server, vdab, anon):
    page = vdab.get("/?date=2021-10-15&prognosis=2021-12-31").text()
    check("the overview has the button with its dates", 'href="/editions/new?date=2021-10-15&amp;prognosis=2021-12-31"'
          in page)
    n0 = changes(server.db)
    fields = vdab.form(NEW, "/editions")
    r = vdab.post("/editions", with_values(fields, {"question": "Schriftelijke vraag nr. 123",
                                                    "notes[1]": "Scheldeland sinds 1/10 <b>", "notes[4]": ""}))
    check("published: 303 to the edition", r.status == 303 and r.header("location") == "/editions/1",
          (r.status, r.header("location"), r.text()[:500]))
    check("one change by the person", changes(server.db) == n0 + 1 and
          query(server.db, "SELECT actor, action FROM change ORDER BY id DESC LIMIT 1")[0] == ("ed-vdab", "publish"))
    page = anon.get("/editions/1").text()
    check("the question", "Schriftelijke vraag nr. 123" in page)
    check("the frozen table: Oost-Vlaanderen 8/60 and 1/1",
          re.search(r'Oost-Vlaanderen</th><td class="num">8/60</td><td class="num">13</td>'
                    r'<td class="num">8/60</td><td class="num">13</td><td class="num">1/1</td>', page), page[:3000])
    check("the note, escaped", "<dd>Scheldeland sinds 1/10 &lt;b&gt;</dd>" in page)
    check("only the notes given", page.count("<dt>") == 1)
    check("no differences yet", "Geen verschillen" in page)
    check("anonymous readers do not see who published", "ed-vdab" not in page)
    check("a signed-in reader does", "ed-vdab" in vdab.get("/editions/1").text())
    listing = anon.get("/editions").text()
    check("/editions lists it", 'href="/editions/1"' in listing and "Schriftelijke vraag nr. 123" in listing)
    check("no warning yet", WARNING not in anon.get("/").text())
    check("an unknown edition is a 404", anon.get("/editions/7").status == 404 and anon.get("/editions/x").status == 404)


def correction(server, anon):
    fix = os.path.join(TMP, "editions-fix.json")
    with open(os.path.join(REPO, "data/demo/agreement-scheldeland.json"), encoding="utf-8") as f:
        text = f.read().replace('"start": "2021-10-01"', '"start": "2021-11-01"')
    with open(fix, "w", encoding="utf-8") as f:
        f.write(text)
    r = somon("--actor", "lies.smet", "import", fix, db=server.db)
    assert r.returncode == 0, r.stderr
    fix_change, moment = query(server.db, "SELECT id, moment FROM change ORDER BY id DESC LIMIT 1")[0]
    page = anon.get("/editions/1").text()
    cells = re.findall(r"<li><strong>([^<]*)</strong>: gepubliceerd (\d+/\d+), nu (\d+/\d+)", page)
    check("exactly the changed cells", cells == [
        ("Oost-Vlaanderen gemeenten op 15/10/2021", "8/60", "0/60"),
        ("Oost-Vlaanderen regiegebieden op 15/10/2021", "1/1", "0/1"),
        ("Vlaanderen gemeenten op 15/10/2021", "9/300", "1/300"),
        ("Vlaanderen regiegebieden op 15/10/2021", "1/3", "0/3")], cells)
    link = 'href="/history?as_known_at=%s#change-%d"' % (moment.replace(":", "%3A"), fix_change)
    check("each links to the change", page.count(link) == 4, (link, page[page.find('id="diff-h"'):][:1500]))
    check("and to the agreement as then known",
          'href="/agreements/SO-SCHELDELAND-2021?as_known_at=%s"' % moment.replace(":", "%3A") in page)
    check("the frozen table did not change", "8/60" in page)
    check("the overview warns", WARNING in anon.get("/").text())
    check("with a link to the edition", 'href="/editions/1#diff-h"' in anon.get("/").text())
    check("not on the register as known before",
          WARNING not in anon.get("/?as_known_at=" + moment.replace(":", "%3A")[:10]).text())


if __name__ == "__main__":
    sys.exit(main())
