#!/usr/bin/python3
"""Regiegebieden with dated members, and organisations, kept in the browser
(SPEC §5, issue 9), over HTTP.

On a server of its own (a fresh database with tests/cli/fixtures/regions_dated.json:
RG-T-KINA in Antwerpen, Brecht 11009 a member from 01/05/2023), the regiegebied
page lists the members on its date and /municipalities filters "in geen
regiegebied" on a date (the page and its download). A vdab account of
Antwerpen and an administrator create and edit a regiegebied and an
organisation: each save one change with its author, shown in /history; a
save of an old version is refused as stale (409) and writes nothing; a
member's bad dates are refused beside their field. A vdab account of
Limburg never reaches Antwerpen's regiegebied (it edits organisations, which
belong to no province); local accounts, viewers and anonymous readers reach
no form.

Run by tests/http/run.sh (SOMON, SOMON_TMP) with /usr/bin/python3.
"""

import json
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import (run_own_server, PASSWORD, REPO, TMP, Checks, Client, form_fields, require_env,  # noqa: E402
                        somon, value_of, with_values)

check = Checks(detail_width=300)
KINA = "/regiegebieden/RG-T-KINA"
ACCOUNTS = (("rg-vdab", "vdab", "Antwerpen"), ("rg-vdab-lim", "vdab", "Limburg"), ("rg-admin", "admin", None),
            ("rg-local", "local", "11009"), ("rg-viewer", "viewer", None))


def prepare(db):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    r = somon("init", db=db)
    assert r.returncode == 0, r.stderr
    r = somon("--actor", "tester", "import", os.path.join(REPO, "tests/cli/fixtures/regions_dated.json"), db=db)
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


def members_on(client, url, date):
    """The NIS codes listed under "Leden op DATE" on a regiegebied page."""
    page = client.get("%s?date=%s" % (url, date)).text()
    part = page[page.index('<h2 id="members-h">'):]
    part = part[:part.index("</ul>")]
    return [chunk.split("?")[0] for chunk in part.split('<li><a href="/municipalities/')[1:]]


def api_region(client, rid):
    regions = json.loads(client.get("/api/v1/regiegebieden").text())["regiegebieden"]
    return [g for g in regions if g["id"] == rid][0]


def main():
    require_env("test_regions_edit", "SOMON", "SOMON_TMP")
    return run_own_server(check, "regions_edit", run, prepare, db=os.path.join(TMP, "regions_edit.db"))


def signed_in(server, login):
    c = Client(port=server.port)
    assert c.login(login).status == 303, login
    return c


def run(server):
    anon = Client(port=server.port)
    read_pages(anon)
    refusals(server, anon)
    vdab = signed_in(server, "rg-vdab")
    create_region(server, vdab)
    edit_region(server, vdab)
    admin = signed_in(server, "rg-admin")
    admin_region(server, admin)
    organisations(server, vdab, admin, anon)


def read_pages(anon):
    check("Kina's members on 30/04/2023: without Brecht", members_on(anon, KINA, "2023-04-30") == ["11016", "11022", "11053"],
          members_on(anon, KINA, "2023-04-30"))
    check("Kina's members on 01/05/2023: Brecht has joined",
          members_on(anon, KINA, "2023-05-01") == ["11016", "11022", "11053", "11009"], members_on(anon, KINA, "2023-05-01"))
    # Antwerpen: 69 municipalities in 2023; in a regiegebied on 01/05/2023 are
    # Essen, Kalmthout, Wuustwezel, Brecht (Kina) and Borsbeek (Rand), so 64 in none.
    url = "/municipalities?date=2023-05-01&province=Antwerpen&regiegebied=none"
    page = anon.get(url).text()
    check("the page counts 64 in no regiegebied", "64 gemeenten in geen regiegebied" in page)
    check("the filter is selected in the form", '<option value="none" selected>in geen regiegebied</option>' in page)
    check("the download keeps the filter", "regiegebied=none&amp;format=csv" in page)
    csv = anon.get(url + "&format=csv").text().strip().splitlines()
    check("the download has 64 rows", len(csv) == 65, len(csv))
    check("Brecht is not among them on 01/05/2023", not any(line.startswith("11009;") for line in csv))
    csv = anon.get("/municipalities?date=2023-04-30&province=Antwerpen&regiegebied=none&format=csv").text()
    check("but is on 30/04/2023", "\r\n11009;Brecht;" in csv)
    r = anon.get("/municipalities?date=2023-05-01&regiegebied=some")
    check("a bad filter value is a 400", r.status == 400, r.status)


def refusals(server, anon):
    n0 = changes(server.db)[0]
    for url in ("/regiegebieden/new", KINA + "/edit", "/organisations/new", "/organisations/KINA/edit"):
        r = anon.get(url)
        check("anonymous GET %s is sent to sign in" % url, r.status == 303 and "/login" in (r.header("location") or ""),
              r.status)
    for url in ("/regiegebieden", KINA, "/organisations", "/organisations/KINA"):
        check("anonymous POST %s is forbidden" % url, anon.post(url, {"version": "1", "name": "x"}).status == 403)
    for login in ("rg-local", "rg-viewer"):
        c = signed_in(server, login)
        for url in ("/regiegebieden/new", KINA + "/edit", "/organisations/new", "/organisations/KINA/edit"):
            check("%s gets 403 on %s" % (login, url), c.get(url).status == 403)
        for url in ("/regiegebieden", KINA, "/organisations", "/organisations/KINA"):
            r = c.post(url, {"csrf": c.csrf(), "version": "1", "id": "RG-T-NO", "name": "x", "province": "Antwerpen"})
            check("%s gets 403 posting %s" % (login, url), r.status == 403, r.status)
        check("%s sees no edit link" % login, KINA + "/edit" not in c.get(KINA).text())
    lim = signed_in(server, "rg-vdab-lim")
    check("a vdab account of Limburg gets 403 on Antwerpen's regiegebied", lim.get(KINA + "/edit").status == 403)
    r = lim.post(KINA, {"csrf": lim.csrf(), "version": "1", "name": "Overgenomen", "province": "Limburg"})
    check("and on its save", r.status == 403, r.status)
    check("it sees no edit link there", KINA + "/edit" not in lim.get(KINA).text())
    fields = lim.form("/regiegebieden/new", "/regiegebieden")
    r = lim.post("/regiegebieden", with_values(fields, {"id": "RG-T-LIM", "name": "Proef", "province": "Antwerpen"}))
    check("it cannot create one in Antwerpen", r.status == 422 and "buiten het bereik" in r.text(), r.status)
    check("a regiegebied that does not exist is a 404", lim.get("/regiegebieden/RG-NONE/edit").status == 404)
    check("nothing written by the refusals", changes(server.db)[0] == n0)


def create_region(server, vdab):
    r = vdab.get("/regiegebieden/new")
    check("the vdab account opens the new form", r.status == 200, r.status)
    check("it offers only its province", ">Antwerpen</option>" in r.text() and ">Limburg</option>" not in r.text())
    fields = form_fields(r.text(), "/regiegebieden")
    names = [n for n, _ in fields]
    check("with member rows (NIS, from, until)",
          {"members[0].municipality", "members[0].from", "members[0].until", "csrf", "version"} <= set(names), names)
    n0 = changes(server.db)[0]
    values = {"id": "RG-T-NEW", "name": "Nieuw <proef> & co", "province": "Antwerpen", "from": "2021-01-01",
              "until": "2025-12-31", "members[0].municipality": "11001", "members[2].municipality": "11005",
              "members[2].from": "2024-01-01"}
    bad = dict(values, **{"members[2].until": "2023-01-01"})
    r = vdab.post("/regiegebieden", with_values(fields, bad))
    check("a member leaving before it joins: refused", r.status == 422, r.status)
    check("beside its field, in Dutch", 'id="f-members-2--until-error"' in r.text() and
          "ligt voor de eerste dag van het lid (01/01/2024)" in r.text(), r.text()[-3000:])
    check("what was typed stays", "Nieuw &lt;proef&gt; &amp; co" in r.text())
    r = vdab.post("/regiegebieden", with_values(fields, dict(values, **{"members[1].municipality": "11001"})))
    check("the same municipality twice on the same days: refused", r.status == 422 and
          "is al lid op (een deel van) deze dagen" in r.text(), r.status)
    r = vdab.post("/regiegebieden", with_values(fields, dict(values, **{"members[1].from": "2022-01-01"})))
    check("dates without a municipality: refused", r.status == 422 and "verplicht bij data" in r.text(), r.status)
    check("nothing written by the refusals", changes(server.db)[0] == n0)
    r = vdab.post("/regiegebieden", with_values(fields, values))
    check("the save", r.status == 303 and r.header("location") == "/regiegebieden/RG-T-NEW", (r.status, r.text()[:500]))
    n1, last = changes(server.db)
    check("one change, by its author", n1 == n0 + 1 and last == ("rg-vdab", "edit", "nieuw regiegebied RG-T-NEW"), last)
    g = api_region(vdab, "RG-T-NEW")
    check("the API gives the members, a blank row left out, the undated one bare",
          g["members"] == ["11001", {"municipality": "11005", "from": "2024-01-01", "until": None}], g["members"])
    check("the name as typed", g["name"] == "Nieuw <proef> & co")
    check("Boom (11005) a member from 2024 only", members_on(vdab, "/regiegebieden/RG-T-NEW", "2023-06-30") == ["11001"])
    r = vdab.post("/regiegebieden", with_values(fields, values))
    check("the same id again: refused beside the id", r.status == 422 and "deze id bestaat al" in r.text(), r.status)


def edit_region(server, vdab):
    page = vdab.get(KINA).text()
    check("the regiegebied page offers its editor the form", 'href="%s/edit"' % KINA in page)
    fields = vdab.form(KINA + "/edit", KINA)
    check("the form shows Brecht's day", value_of(fields, "members[3].from") == "2023-05-01")
    n0 = changes(server.db)[0]
    r = vdab.post(KINA, with_values(fields, {"members[3].from": "2023-06-01"}))
    check("Brecht joins a month later: saved", r.status == 303 and r.header("location") == KINA, (r.status, r.text()[:500]))
    n1, last = changes(server.db)
    check("one change, by its author, saying what changed", n1 == n0 + 1 and
          last == ("rg-vdab", "edit", "regiegebied RG-T-KINA: leden › #4 › vanaf: 01/05/2023 → 01/06/2023"), last)
    check("Brecht not a member on 15/05/2023 any more", members_on(vdab, KINA, "2023-05-15") == ["11016", "11022", "11053"])
    r = vdab.post(KINA, with_values(fields, {"notes": "later"}))
    check("a save of the old version is refused as stale", r.status == 409, r.status)
    check("saying what changed in between and by whom", "2023-06-01" in r.text() or "01/06/2023" in r.text(),
          r.text()[-3000:])
    check("naming the author", "rg-vdab" in r.text())
    check("nothing written by the stale save", changes(server.db)[0] == n1)
    again = vdab.form(KINA + "/edit", KINA)
    check("a reopened form carries a newer version", value_of(again, "version") != value_of(fields, "version"))
    r = vdab.post(KINA, again)
    check("a save that changes nothing records nothing", r.status == 303 and changes(server.db)[0] == n1)
    r = vdab.post(KINA, with_values(again, {"province": "Limburg"}))
    check("moving it out of the account's provinces: refused beside the province",
          r.status == 422 and 'id="f-province-error"' in r.text(), r.status)
    h = vdab.get("/history").text()
    check("/history shows the change with its author", "regiegebied RG-T-KINA" in h and "rg-vdab" in h)
    check("and what changed", "leden › #4 › vanaf: 01/05/2023 → 01/06/2023" in h)
    # the regiegebied's own page keeps its history, as an agreement's does
    page = vdab.get(KINA).text()
    hist = page[page.find('<section id="history"'):]
    check("the regiegebied page has a history section", hist.startswith('<section id="history"'))
    check("with both versions, the first and the edit", hist.count("<li><p><time") == 2, hist[:600])
    check("the edit by its author, with what changed",
          " door rg-vdab" in hist and "<del>01/05/2023</del> → <ins>01/06/2023</ins>" in hist, hist[:1500])
    check("each version linked as known then", 'href="/regiegebieden/RG-T-KINA?as_known_at=' in hist)
    anon_hist = Client(port=server.port).get(KINA).text()
    check("anonymous readers see the history without the author", "Geschiedenis" in anon_hist and "rg-vdab" not in anon_hist)


def admin_region(server, admin):
    r = admin.get("/regiegebieden/new")
    check("the administrator gets every province", all(">%s</option>" % p in r.text() for p in ("Limburg", "Antwerpen")))
    fields = form_fields(r.text(), "/regiegebieden")
    r = admin.post("/regiegebieden", with_values(fields, {"id": "RG-T-LIM", "name": "Proef Limburg",
                                                           "province": "Limburg", "members[0].municipality": "71016"}))
    check("the administrator creates one in Limburg", r.status == 303, (r.status, r.text()[:500]))
    check("by its author", changes(server.db)[1] == ("rg-admin", "edit", "nieuw regiegebied RG-T-LIM"))
    fields = admin.form(KINA + "/edit", KINA)
    r = admin.post(KINA, with_values(fields, {"name": "Noorderkempen"}))
    check("and edits Antwerpen's", r.status == 303 and api_region(admin, "RG-T-KINA")["name"] == "Noorderkempen")


def organisations(server, vdab, admin, anon):
    lim = signed_in(server, "rg-vdab-lim")
    r = lim.get("/organisations")
    page = r.text()
    check("/organisations lists KINA", "KINA" in page, (r.status, page[-1500:]))
    check("with an edit link for any vdab account", 'href="/organisations/KINA/edit"' in page)
    check("none for anonymous readers", 'href="/organisations/KINA/edit"' not in anon.get("/organisations").text())
    n0 = changes(server.db)[0]
    fields = lim.form("/organisations/new", "/organisations")
    r = lim.post("/organisations", with_values(fields, {"id": "ORG-T-1", "name": "Proefvereniging", "kind": "other"}))
    check("a vdab account of any province creates one", r.status == 303, (r.status, r.text()[:500]))
    check("one change by its author", changes(server.db) == (n0 + 1, ("rg-vdab-lim", "edit", "nieuwe organisatie ORG-T-1")))
    r = lim.post("/organisations", with_values(fields, {"id": "ORG T", "name": "", "kind": "club"}))
    check("a bad id, no name and an unknown kind: refused", r.status == 422 and
          "geen geldige id" in r.text() and "verplicht" in r.text(), r.status)
    fields = vdab.form("/organisations/KINA/edit", "/organisations/KINA")
    r = vdab.post("/organisations/KINA", with_values(fields, {"name": "Kina vzw"}))
    check("an edit", r.status == 303, (r.status, r.text()[:500]))
    n, last = changes(server.db)
    check("one change by its author", n == n0 + 2 and last[:2] == ("rg-vdab", "edit") and
          last[2].startswith("organisatie KINA: ") and last[2].endswith("→ Kina vzw"), last)
    r = admin.post("/organisations/KINA", with_values(fields, {"csrf": admin.csrf(), "name": "Kina oud"}))
    check("a save of the old version is refused as stale", r.status == 409, r.status)
    check("saying what changed", "Kina vzw" in r.text())
    check("nothing written by it", changes(server.db)[0] == n0 + 2)
    fields = admin.form("/organisations/KINA/edit", "/organisations/KINA")
    r = admin.post("/organisations/KINA", with_values(fields, {"kind": "public_service"}))
    check("the administrator edits it", r.status == 303 and changes(server.db)[1][0] == "rg-admin")
    h = admin.get("/history").text()
    check("/history shows both authors", "organisatie KINA" in h and "rg-vdab" in h and "rg-admin" in h)


if __name__ == "__main__":
    sys.exit(main())
