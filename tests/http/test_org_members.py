#!/usr/bin/python3
"""Organisations with dated members, kept in the browser (SPEC §5, issue 9),
over HTTP.

On a server of its own (a fresh database with tests/cli/fixtures/org_members.json),
a vdab account creates an organisation with two dated members, choosing each
municipality by its name; a member date that is wrong is refused beside its
field with what was typed kept; the account edits it; the organisation page
lists its members on two dates by name, never by bare code, and its own
history (both versions, each a link to the page as known then), which
/history shows too. Local accounts and anonymous readers reach no form and
write nothing.

Run by tests/http/run.sh (SOMON, SOMON_TMP) with /usr/bin/python3.
"""

import html
import json
import os
import re
import sqlite3
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import (run_own_server, PASSWORD, REPO, TMP, Checks, Client, form_fields, require_env,  # noqa: E402
                        somon, value_of, with_values)

check = Checks(detail_width=300)
NEW = "/organisations/ORG-T-NEW"
ACCOUNTS = (("om-vdab", "vdab", "Antwerpen"), ("om-admin", "admin", None), ("om-local", "local", "11009"))


def prepare(db):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    r = somon("init", db=db)
    assert r.returncode == 0, r.stderr
    r = somon("--actor", "tester", "import", os.path.join(REPO, "tests/cli/fixtures/org_members.json"), db=db)
    assert r.returncode == 0, r.stderr
    for login, role, scope in ACCOUNTS:
        args = ["user", "add", login, "--role", role] + (["--scope", scope] if scope else [])
        r = somon(*args, stdin=PASSWORD + "\n", db=db)
        assert r.returncode == 0, r.stderr


def changes(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM change").fetchone()[0], \
            con.execute("SELECT actor, action, detail FROM change ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        con.close()


def moment_of_last_change(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT moment FROM change ORDER BY id DESC LIMIT 1").fetchone()[0]
    finally:
        con.close()


def members_on(client, url):
    """(NIS code, name) of each member listed under "Leden op …" on an organisation page."""
    page = client.get(url).text()
    part = page[page.index('<h2 id="members-h">'):]
    part = part[:part.index("</ul>")]
    return re.findall(r'<li><a href="/municipalities/(\d+)[^"]*">([^<]*)</a>', part)


def signed_in(server, login):
    c = Client(port=server.port)
    assert c.login(login).status == 303, login
    return c


def main():
    require_env("test_org_members", "SOMON", "SOMON_TMP")
    return run_own_server(check, "org_members", run, prepare, db=os.path.join(TMP, "org_members.db"))


def run(server):
    anon = Client(port=server.port)
    refusals(server, anon)
    vdab = signed_in(server, "om-vdab")
    first = create(server, vdab)
    edit(server, vdab, first)
    pages(server, vdab, anon, first)
    admin = signed_in(server, "om-admin")
    fields = admin.form(NEW + "/edit", NEW)
    r = admin.post(NEW, with_values(fields, {"members[0].until": "2024-12-31"}))
    check("the administrator edits it too", r.status == 303 and changes(server.db)[1][0] == "om-admin",
          (r.status, r.text()[:300]))


def refusals(server, anon):
    n0 = changes(server.db)[0]
    for url in ("/organisations/new", "/organisations/IGS-T/edit"):
        r = anon.get(url)
        check("anonymous GET %s is sent to sign in" % url, r.status == 303 and "/login" in (r.header("location") or ""),
              r.status)
    form = {"version": "1", "id": "ORG-T-ANON", "name": "x", "kind": "other", "members[0].municipality": "11009"}
    for url in ("/organisations", "/organisations/IGS-T"):
        check("anonymous POST %s is forbidden" % url, anon.post(url, form).status == 403)
    local = signed_in(server, "om-local")
    for url in ("/organisations/new", "/organisations/IGS-T/edit"):
        check("a local account gets 403 on %s" % url, local.get(url).status == 403)
    for url in ("/organisations", "/organisations/IGS-T"):
        r = local.post(url, dict(form, csrf=local.csrf()))
        check("a local account gets 403 posting %s" % url, r.status == 403, r.status)
    check("a local account sees no edit link on the page", "/organisations/IGS-T/edit" not in local.get("/organisations/IGS-T").text())
    check("nor does an anonymous reader", "/organisations/IGS-T/edit" not in anon.get("/organisations/IGS-T").text())
    check("nothing written by the refusals", changes(server.db)[0] == n0)


def create(server, vdab):
    r = vdab.get("/organisations/new")
    check("the vdab account opens the new form", r.status == 200, r.status)
    page = r.text()
    fields = form_fields(page, "/organisations")
    names = [n for n, _ in fields]
    check("with member rows (municipality, from, until)",
          {"members[0].municipality", "members[0].from", "members[0].until", "csrf", "version"} <= set(names), names)
    # the names come from one shared list per version of the reference data (issue 12)
    listed = re.search(r'<datalist id="municipality-names" data-names="([^"]+)"></datalist>', page)
    offered = json.loads(vdab.get(html.unescape(listed.group(1))).body) if listed else []
    check("the municipality chosen by its name from a list", 'list="municipality-names"' in page and
          "Brecht" in offered, listed)
    check("two municipalities of one name told apart",
          "Deinze (tot 31/12/2018)" in offered and "Deinze (vanaf 01/01/2019)" in offered)
    n0 = changes(server.db)[0]
    values = {"id": "ORG-T-NEW", "name": "Nieuwe <vereniging> & co", "kind": "association",
              "members[0].municipality": "Brecht", "members[0].from": "2023-05-01",
              "members[1].municipality": "boechout", "members[1].until": "2023-06-30"}
    bad = dict(values, **{"members[0].until": "2023-04-01"})
    r = vdab.post("/organisations", with_values(fields, bad))
    check("a member leaving before it joins: refused", r.status == 422, r.status)
    text = r.text()
    check("the message beside its field, in Dutch", re.search(
        r'id="f-members-0--until-error"[^>]*>[^<]*ligt voor de eerste dag van het lid \(01/05/2023\)', text) is not None,
        text[-3000:])
    kept = form_fields(text, "/organisations")
    check("what was typed stays", value_of(kept, "name") == values["name"] and
          value_of(kept, "members[0].municipality") == "Brecht" and value_of(kept, "members[0].from") == "2023-05-01" and
          value_of(kept, "members[0].until") == "2023-04-01" and value_of(kept, "members[1].municipality") == "boechout",
          kept)
    r = vdab.post("/organisations", with_values(fields, dict(values, **{"members[1].from": "2023-02-30"})))
    check("a day that does not exist: refused beside its field", r.status == 422 and
          'id="f-members-1--from-error"' in r.text(), r.status)
    r = vdab.post("/organisations", with_values(fields, dict(values, **{"members[2].from": "2023-01-01"})))
    check("dates without a municipality: refused", r.status == 422 and "verplicht bij data" in r.text(), r.status)
    r = vdab.post("/organisations", with_values(fields, dict(values, **{"members[2].municipality": "Deinze"})))
    check("a name that two municipalities had: refused, asking to choose", r.status == 422 and
          "noemt meer dan één gemeente" in r.text(), r.status)
    r = vdab.post("/organisations", with_values(fields, dict(values, **{"members[2].municipality": "Nergensdorp"})))
    check("a name of no municipality: refused beside its field, in the words of every form (issue 11)",
          r.status == 422 and re.search(r"id=\"f-members-2--municipality-error\"[^>]*>'Nergensdorp' is geen "
                                        r"gemeente", r.text()) is not None, r.status)
    r = vdab.post("/organisations", with_values(fields, dict(values, **{"members[2].municipality": "11009"})))
    check("the same municipality twice on the same days: refused", r.status == 422 and
          "is al lid op (een deel van) deze dagen" in r.text(), r.status)
    r = vdab.post("/organisations", with_values(fields, dict(values, **{"members[2].municipality": "72042",
                                                                          "members[2].from": "2015-01-01"})))
    check("a member before its municipality existed: refused", r.status == 422 and
          "gemeente 72042 (Oudsbergen) bestond niet op 2015-01-01" in r.text(), r.status)
    check("nothing written by the refusals", changes(server.db)[0] == n0)
    r = vdab.post("/organisations", with_values(fields, values))
    check("the save goes to the organisation's page", r.status == 303 and r.header("location") == NEW,
          (r.status, r.header("location"), r.text()[:500]))
    n1, last = changes(server.db)
    check("one change, by its author", n1 == n0 + 1 and last == ("om-vdab", "edit", "nieuwe organisatie ORG-T-NEW"), last)
    con = sqlite3.connect(server.db)
    rows = con.execute("SELECT nis, from_date, until_date FROM organisation_member m JOIN organisation o "
                       "ON o.vid = m.vid WHERE o.id = 'ORG-T-NEW' ORDER BY position").fetchall()
    con.close()
    check("two dated members stored, blank rows left out",
          rows == [("11009", "2023-05-01", None), ("11004", None, "2023-06-30")], rows)
    return moment_of_last_change(server.db)


def edit(server, vdab, first):
    fields = vdab.form(NEW + "/edit", NEW)
    check("the form shows the stored members by name", value_of(fields, "members[0].municipality") == "Brecht" and
          value_of(fields, "members[0].from") == "2023-05-01" and value_of(fields, "members[1].until") == "2023-06-30")
    n0 = changes(server.db)[0]
    r = vdab.post(NEW, with_values(fields, {"members[0].from": "2023-06-01"}))
    check("Brecht joins a month later: saved", r.status == 303 and r.header("location") == NEW,
          (r.status, r.text()[:500]))
    n1, last = changes(server.db)
    check("one change, by its author, saying what changed", n1 == n0 + 1 and
          last == ("om-vdab", "edit", "organisatie ORG-T-NEW: leden › Brecht › vanaf: 01/05/2023 → 01/06/2023"), last)
    r = vdab.post(NEW, with_values(fields, {"name": "Te laat"}))
    check("a save of the old version is refused as stale", r.status == 409 and "01/06/2023" in r.text(), r.status)
    check("nothing written by it", changes(server.db)[0] == n1)
    again = vdab.form(NEW + "/edit", NEW)
    r = vdab.post(NEW, again)
    check("a save that changes nothing records nothing", r.status == 303 and changes(server.db)[0] == n1)


def pages(server, vdab, anon, first):
    # Brecht from 01/06/2023 on, Boechout until 30/06/2023
    on = members_on(anon, NEW + "?date=2023-05-15")
    check("members on 15/05/2023: Boechout only, by name", on == [("11004", "Boechout")], on)
    on = members_on(anon, NEW + "?date=2023-06-15")
    check("members on 15/06/2023: Brecht and Boechout", on == [("11009", "Brecht"), ("11004", "Boechout")], on)
    on = members_on(anon, NEW + "?date=2023-07-01")
    check("members on 01/07/2023: Brecht", on == [("11009", "Brecht")], on)
    page = anon.get(NEW + "?date=2023-06-15").text()
    check("the name escaped", "Nieuwe &lt;vereniging&gt; &amp; co" in page)
    check("no bare code as a name", ">11009<" not in page and ">11004<" not in page)
    check("the other days' members with their dates", "Brecht</a> (lid vanaf 01/06/2023)" in
          anon.get(NEW + "?date=2023-05-15").text())
    check("a date form", 'name="date" value="2023-06-15"' in page)
    old = members_on(anon, NEW + "?date=2023-05-15&as_known_at=" + first)
    check("as known at the first version: Brecht from 01/05/2023", old == [("11009", "Brecht"), ("11004", "Boechout")],
          old)
    check("a bad date is a 400", anon.get(NEW + "?date=2023-02-30").status == 400)
    check("an unknown organisation is a 404", anon.get("/organisations/NOPE").status == 404)
    # its own history: both versions, each a link to the page as known then
    hist = page[page.index('id="history"'):]
    versions = [urllib.parse.unquote(v) for v in re.findall(r'<a href="/organisations/ORG-T-NEW\?as_known_at=([^"&]+)', hist)]
    check("the page lists its two versions", len(versions) == 2 and first in versions, versions)
    check("an anonymous reader is not told who", "om-vdab" not in hist)
    signed = vdab.get(NEW).text()
    check("a signed-in reader is", "om-vdab" in signed[signed.index('id="history"'):])
    check("the page links to /history", 'href="/history' in hist)
    check("the edit link for a vdab account", 'href="%s/edit"' % NEW in signed)
    check("/organisations links the page", 'href="%s"' % NEW in anon.get("/organisations").text())
    h = vdab.get("/history").text()
    check("/history shows both changes with their author", "nieuwe organisatie ORG-T-NEW" in h and
          "organisatie ORG-T-NEW: leden › Brecht › vanaf: 01/05/2023 → 01/06/2023" in h and "om-vdab" in h)


if __name__ == "__main__":
    sys.exit(main())
