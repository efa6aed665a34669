#!/usr/bin/python3
"""Cooperation without an agreement and the outreach log (SPEC §5, issue 10),
over HTTP.

On a server of its own (a fresh database with the demo agreements and
tests/cli/fixtures/cooperations.json: a job fair in Geel 13008 on
01/03/2022, wijk-werken in Beringen 71004 since 2021, a zitdag in Wachtebeke
44073 in 2023; Wachtebeke's log "no_contact" 15/01/2022 then "exploring"
10/05/2023; Beringen's "declined" then "exploring" the same day 01/02/2023):

- /cooperations lists them with Dutch names, filtered by kind, province and
  the date they run on, and downloads as CSV and XLSX (read back with
  openpyxl);
- the municipality page shows its cooperations and its outreach log with the
  stage on the page's date; /municipalities filters the municipalities
  without an agreement by that stage;
- a vdab account of Antwerpen and an administrator add, edit and end a
  cooperation and log outreach: each save one change with its author; bad
  input comes back beside its field with what was typed; a save over a newer
  version is refused (409) and writes nothing;
- local accounts, viewers and anonymous readers write nothing; a vdab account
  of Limburg acts in Limburg only.

Run by tests/http/run.sh (SOMON, SOMON_TMP) with /usr/bin/python3.
"""

import glob
import io
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import (run_own_server, csv_rows, people_csv, PASSWORD, REPO, TMP, Checks, Client, require_env, somon,  # noqa: E402
                        value_of, with_values)

check = Checks(detail_width=300)
ACCOUNTS = (("co-vdab", "vdab", "Antwerpen"), ("co-vdab-lim", "vdab", "Limburg"), ("co-admin", "admin", None),
            ("co-local", "local", "13008"), ("co-viewer", "viewer", None))
GEEL = "CO-GEEL-JOBBEURS-2022"


def prepare(db):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    r = somon("init", db=db)
    assert r.returncode == 0, r.stderr
    files = sorted(glob.glob(os.path.join(REPO, "data/demo/*.json")))
    r = somon("--actor", "tester", "import", *files, os.path.join(REPO, "tests/cli/fixtures/cooperations.json"), db=db)
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


def last_change(db):
    return query(db, "SELECT actor, action, detail FROM change ORDER BY id DESC LIMIT 1")[0]


def signed_in(server, login):
    c = Client(port=server.port)
    assert c.login(login).status == 303, login
    return c


def ids_of(client, url):
    """The ids in the CSV download of /cooperations with these parameters."""
    r = client.get(url + ("&" if "?" in url else "?") + "format=csv")
    assert r.status == 200, (url, r.status)
    return [row["Id"] for row in people_csv(r.text())]


def main():
    require_env("test_cooperations", "SOMON", "SOMON_TMP")
    return run_own_server(check, "cooperations", run, prepare, db=os.path.join(TMP, "cooperations.db"))


def run(server):
    anon = Client(port=server.port)
    lists(anon)
    downloads(anon)
    municipality_pages(anon)
    refusals(server, anon)
    vdab = signed_in(server, "co-vdab")
    add_cooperation(server, vdab)
    edit_and_end(server, vdab)
    outreach(server, vdab, anon)
    admin = signed_in(server, "co-admin")
    admin_anywhere(server, admin)


def lists(anon):
    page = anon.get("/cooperations")
    check("/cooperations answers", page.status == 200, page.status)
    text = page.text()
    table = text[text.index("<table"):]
    check("names, not codes: the kind", "<td>wijk-werken</td>" in table and "wijk_werken" not in table)
    check("names, not codes: the municipality", ">Beringen</a>" in text and ">Geel</a>" in text)
    check("three cooperations", "3 samenwerkingen." in text)
    # provinces in the order of the parliamentary table: Oost-Vlaanderen, Antwerpen, Limburg
    check("all, by province then municipality", ids_of(anon, "/cooperations") ==
          ["CO-WACHTEBEKE-ZITDAG", GEEL, "CO-BERINGEN-WW"], ids_of(anon, "/cooperations"))
    check("kind jobbeurs", ids_of(anon, "/cooperations?kind=jobbeurs") == [GEEL])
    check("province Limburg", ids_of(anon, "/cooperations?province=Limburg") == ["CO-BERINGEN-WW"])
    # Geel's job fair ran on 01/03/2022 only; Wachtebeke's zitdag in 2023; Beringen since 2021
    check("in force on 01/03/2022", ids_of(anon, "/cooperations?date=2022-03-01") == [GEEL, "CO-BERINGEN-WW"],
          ids_of(anon, "/cooperations?date=2022-03-01"))
    check("in force on 02/03/2022", ids_of(anon, "/cooperations?date=2022-03-02") == ["CO-BERINGEN-WW"])
    check("in force on 31/12/2023", ids_of(anon, "/cooperations?date=2023-12-31") ==
          ["CO-WACHTEBEKE-ZITDAG", "CO-BERINGEN-WW"])
    check("filters combine", ids_of(anon, "/cooperations?date=2023-06-30&province=Oost-Vlaanderen&kind=zitdag") ==
          ["CO-WACHTEBEKE-ZITDAG"])
    page = anon.get("/cooperations?kind=zitdag&date=2023-06-30").text()
    check("the chosen kind stays selected", '<option value="zitdag" selected>zitdag</option>' in page)
    check("the heading names the date", "lopend op 30/06/2023" in page)
    for bad in ("kind=beurs", "province=Brussel", "date=2023-02-30"):
        r = anon.get("/cooperations?" + bad)
        check("a bad filter (%s) is a 400" % bad, r.status == 400, r.status)
    check("no edit links for anonymous readers", "/edit" not in anon.get("/cooperations").text())


def downloads(anon):
    r = anon.get("/cooperations?province=Limburg&format=csv")
    rows = csv_rows(r.text())
    check("CSV header, in Dutch for Excel", rows[0] == ["Id", "NIS", "Gemeente", "Provincie", "Soort", "Titel", "Van",
                                                        "Tot", "Opmerkingen"], rows[0])
    check("CSV row with the page's words and dates", rows[1] == ["CO-BERINGEN-WW", "71004", "Beringen", "Limburg",
                                                                "wijk-werken", "Wijk-werken Beringen", "01/01/2021", "",
                                                                "Samen met het OCMW"], rows[1:])
    r = anon.get("/cooperations?format=xlsx")
    check("XLSX answers", r.status == 200 and r.header("content-type").startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), r.status)
    import openpyxl
    ws = openpyxl.load_workbook(io.BytesIO(r.body)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in values for v in row]
    check("XLSX has Dutch labels and the three rows", "Gemeente" in flat and "Soort" in flat and
          GEEL in flat and "jobbeurs" in flat and "wijk-werken" in flat and "Wachtebeke" in flat, values[:6])


def municipality_pages(anon):
    page = anon.get("/municipalities/44073?date=2023-05-10").text()
    check("Wachtebeke on 10/05/2023: exploring, with its note",
          "Stadium op 10/05/2023: <strong>verkennend</strong> — aparte SO in onderzoek" in page)
    check("its log, newest first", page.index("aparte SO in onderzoek</td>") < page.index("geen aanzet tot SO</td>"))
    check("its zitdag", "Zitdag VDAB in het gemeentehuis" in page and "zitdag" in page)
    page = anon.get("/municipalities/44073?date=2023-05-09").text()
    check("on 09/05/2023: no contact yet", "Stadium op 09/05/2023: <strong>geen contact</strong> — geen aanzet tot SO"
          in page)
    page = anon.get("/municipalities/71004?date=2023-02-01").text()
    check("Beringen on 01/02/2023: the later entry of the day",
          "Stadium op 01/02/2023: <strong>verkennend</strong> — toch een gesprek" in page)
    check("no form links for anonymous readers", "/outreach/new" not in page and "/cooperations/new" not in page)
    # without an agreement, by stage on the date
    r = anon.get("/municipalities?date=2023-06-30&outreach=exploring&format=csv")
    nis = [row["NIS"] for row in people_csv(r.text())]
    check("exploring on 30/06/2023: Wachtebeke and Beringen", nis == ["44073", "71004"], nis)
    r = anon.get("/municipalities?date=2022-06-30&outreach=no_contact&format=csv")
    nis = [row["NIS"] for row in people_csv(r.text())]
    check("no contact on 30/06/2022: Wachtebeke", nis == ["44073"], nis)
    r = anon.get("/municipalities?date=2023-06-30&outreach=unknown&format=csv")
    nis = [row["NIS"] for row in people_csv(r.text())]
    check("nothing recorded: Geel among them, not Wachtebeke", "13008" in nis and "44073" not in nis)
    check("nor a covered municipality (Mechelen)", "12025" not in nis)
    page = anon.get("/municipalities?date=2023-06-30&outreach=exploring").text()
    check("the stage stays selected", '<option value="exploring" selected>verkennend</option>' in page)
    check("a bad stage is a 400", anon.get("/municipalities?outreach=maybe").status == 400)


def refusals(server, anon):
    n0 = changes(server.db)
    forms = ("/cooperations/new", "/cooperations/%s/edit" % GEEL, "/cooperations/%s/end" % GEEL,
             "/municipalities/13008/outreach/new")
    posts = ("/cooperations", "/cooperations/" + GEEL, "/cooperations/%s/end" % GEEL, "/municipalities/13008/outreach")
    body = {"version": "1", "municipality": "13008", "kind": "jobbeurs", "title": "x", "on": "2023-01-01",
            "stage": "joined", "until": "2023-01-01"}
    for url in forms:
        r = anon.get(url)
        check("anonymous GET %s is sent to sign in" % url, r.status == 303 and "/login" in (r.header("location") or ""),
              r.status)
    for url in posts:
        check("anonymous POST %s is forbidden" % url, anon.post(url, body).status == 403)
    for login in ("co-local", "co-viewer"):
        c = signed_in(server, login)
        for url in forms:
            check("%s gets 403 on %s" % (login, url), c.get(url).status == 403)
        for url in posts:
            r = c.post(url, dict(body, csrf=c.csrf()))
            check("%s gets 403 posting %s" % (login, url), r.status == 403, r.status)
        check("%s sees no form link" % login, "/outreach/new" not in c.get("/municipalities/13008").text())
    lim = signed_in(server, "co-vdab-lim")
    check("a vdab account of Limburg: 403 on Geel's cooperation", lim.get("/cooperations/%s/edit" % GEEL).status == 403)
    check("and on Geel's outreach", lim.get("/municipalities/13008/outreach/new").status == 403)
    r = lim.post("/municipalities/13008/outreach", dict(body, csrf=lim.csrf()))
    check("and on its save", r.status == 403, r.status)
    fields = lim.form("/cooperations/new", "/cooperations")
    r = lim.post("/cooperations", with_values(fields, {"municipality": "13008", "kind": "zitdag", "title": "Overgenomen"}))
    check("it cannot add one in Geel: beside the field", r.status == 422 and 'id="f-municipality-error"' in r.text()
          and "buiten de provincies" in r.text(), r.status)
    check("but sees the form link in Beringen", "/municipalities/71004/outreach/new" in lim.get("/municipalities/71004").text())
    v = signed_in(server, "co-vdab")
    r = v.post("/cooperations", dict(body, csrf="wrong"))
    check("a POST with a wrong CSRF token is refused", r.status == 403, r.status)
    check("a cooperation that does not exist is a 404", v.get("/cooperations/CO-NONE/edit").status == 404)
    check("a municipality that does not exist is a 404", v.get("/municipalities/99999/outreach/new").status == 404)
    check("nothing written by the refusals", changes(server.db) == n0)


def add_cooperation(server, vdab):
    n0 = changes(server.db)
    page = vdab.get("/municipalities/13008").text()
    check("the municipality page links to the form", "/cooperations/new?municipality=13008" in page)
    fields = vdab.form("/cooperations/new?municipality=13008", "/cooperations")
    check("the form has the municipality chosen", value_of(fields, "municipality") == "Geel (13008)", fields)
    page = vdab.get("/cooperations/new?municipality=13008").text()
    check("the new form's dates are empty", 'name="from" value=""' in page and 'name="until" value=""' in page)
    check("municipalities and kinds by name", 'value="Geel (13008)"' in page and ">mobiele opleiding</option>" in page)
    # dates out of order: beside the field, what was typed kept
    bad = {"municipality": "13008", "kind": "digibank", "title": "Digibank Geel", "from": "2024-05-01",
           "until": "2024-04-30", "notes": "in de bib"}
    r = vdab.post("/cooperations", with_values(fields, bad))
    text = r.text()
    check("dates out of order: 422", r.status == 422, r.status)
    check("the message is beside 'until'", 'id="f-until-error"' in text and "ligt voor het begin" in text, text[:300])
    check("what was typed stays", 'value="Digibank Geel"' in text and ">in de bib</textarea>" in text and
          'value="2024-04-30"' in text)
    r = vdab.post("/cooperations", with_values(fields, dict(bad, until="2024-05-31", kind="beurs")))
    check("an unknown kind: 422 beside 'kind'", r.status == 422 and 'id="f-kind-error"' in r.text(), r.status)
    r = vdab.post("/cooperations", with_values(fields, dict(bad, until="2024-05-31", title="")))
    check("no title: 422 beside 'title'", r.status == 422 and 'id="f-title-error"' in r.text(), r.status)
    r = vdab.post("/cooperations", with_values(fields, dict(bad, until="2024-05-31", title="x" * 501)))
    check("a title over 500 characters: 422 beside 'title'", r.status == 422 and 'id="f-title-error"' in r.text(),
          r.status)
    check("nothing written by the refused saves", changes(server.db) == n0)
    r = vdab.post("/cooperations", with_values(fields, dict(bad, until="2024-05-31")))
    check("a good save: 303 to the municipality", r.status == 303 and
          r.header("location").startswith("/municipalities/13008"), (r.status, r.header("location")))
    check("one change, by the person", changes(server.db) == n0 + 1 and last_change(server.db)[:2] == ("co-vdab", "edit"),
          last_change(server.db))
    check("somon chose the id", query(server.db, "SELECT id, title, from_date, until_date FROM cooperation"
                                                 " WHERE municipality = '13008' AND kind = 'digibank'") ==
          [("CO-13008-1", "Digibank Geel", "2024-05-01", "2024-05-31")])
    check("it is listed", "CO-13008-1" in ids_of(vdab, "/cooperations?date=2024-05-15"))
    r = vdab.post("/cooperations", with_values(fields, dict(bad, until="2024-05-31", id="CO-13008-1")))
    check("an id taken: 422 beside 'id'", r.status == 422 and 'id="f-id-error"' in r.text(), r.status)
    check("it shows on Geel's page", "Digibank Geel" in vdab.get("/municipalities/13008?date=2024-05-15").text())


def edit_and_end(server, vdab):
    url = "/cooperations/%s" % GEEL
    fields = vdab.form(url + "/edit", url)
    n0 = changes(server.db)
    r = vdab.post(url, with_values(fields, {"title": "Jobbeurs Geel 2022", "notes": "met 40 werkgevers"}))
    check("an edit: 303", r.status == 303, r.status)
    check("one change that names what changed", changes(server.db) == n0 + 1 and "Jobbeurs Geel 2022" in
          last_change(server.db)[2], last_change(server.db))
    check("the old version kept", query(server.db, "SELECT count(*) FROM cooperation WHERE id = ?", GEEL) == [(2,)])
    r = vdab.post(url, with_values(fields, {"title": "Iets anders"}))
    check("a save of the old version: 409", r.status == 409, r.status)
    check("it says what changed in between", "Jobbeurs Geel 2022" in r.text() and "co-vdab" in r.text())
    check("what was typed stays", 'value="Iets anders"' in r.text())
    check("nothing written by the stale save", changes(server.db) == n0 + 1)
    # ending Beringen's? (Limburg) no: end Geel's Digibank added above
    end = "/cooperations/CO-13008-1/end"
    fields = vdab.form(end, end)
    r = vdab.post(end, with_values(fields, {"until": "2024-04-01"}))
    check("an end before the start: 422 beside 'until'", r.status == 422 and 'id="f-until-error"' in r.text(), r.status)
    r = vdab.post(end, with_values(fields, {"until": ""}))
    check("an end without a day: 422", r.status == 422 and "verplicht" in r.text(), r.status)
    r = vdab.post(end, with_values(fields, {"until": "2024-05-20"}))
    check("ending: 303", r.status == 303, r.status)
    check("it runs until 20/05/2024", "CO-13008-1" in ids_of(vdab, "/cooperations?date=2024-05-20") and
          "CO-13008-1" not in ids_of(vdab, "/cooperations?date=2024-05-21"))


def outreach(server, vdab, anon):
    url = "/municipalities/12025/outreach"
    fields = vdab.form(url + "/new", url)
    n0 = changes(server.db)
    r = vdab.post(url, with_values(fields, {"on": "2023-03-01", "stage": "maybe", "note": "x"}))
    check("an unknown stage: 422 beside 'stage'", r.status == 422 and 'id="f-stage-error"' in r.text(), r.status)
    r = vdab.post(url, with_values(fields, {"on": "", "stage": "joined", "note": "vergeten"}))
    check("no date: 422 beside 'on', the note kept", r.status == 422 and 'id="f-on-error"' in r.text() and
          ">vergeten</textarea>" in r.text(), r.status)
    r = vdab.post(url, with_values(fields, {"on": "1975-01-01", "stage": "joined"}))
    check("a date out of range: 422", r.status == 422 and 'id="f-on-error"' in r.text(), r.status)
    check("nothing written", changes(server.db) == n0)
    r = vdab.post(url, with_values(fields, {"on": "2021-03-01", "stage": "negotiating", "note": "gesprek met schepen"}))
    check("an entry: 303 to the page on its date", r.status == 303 and "date=2021-03-01" in r.header("location"),
          (r.status, r.header("location")))
    r = vdab.post(url, with_values(fields, {"on": "2021-03-01", "stage": "joined", "note": "akkoord"}))
    check("a second entry from the same form: 409 (the log grew)", r.status == 409 and "gesprek met schepen" in r.text(),
          r.status)
    fields = vdab.form(url + "/new", url)
    r = vdab.post(url, with_values(fields, {"on": "2021-03-01", "stage": "joined", "note": "akkoord"}))
    check("from a fresh form: 303", r.status == 303, r.status)
    check("two entries that day, positions 0 and 1", query(server.db, "SELECT position, stage FROM outreach WHERE "
                                                                      "municipality = '12025' ORDER BY position") ==
          [(0, "negotiating"), (1, "joined")])
    check("two changes by the person", changes(server.db) == n0 + 2 and last_change(server.db)[0] == "co-vdab")
    page = anon.get("/municipalities/12025?date=2021-03-01").text()
    check("the stage is the later entry's", "Stadium op 01/03/2021: <strong>toegetreden</strong> — akkoord" in page)
    r = anon.get("/municipalities?date=2023-06-30&outreach=joined&format=csv")
    check("Mechelen has an agreement: not in the filter", "12025" not in r.text())
    export = somon("export", db=server.db).stdout
    check("the export carries the entries", '"note": "gesprek met schepen"' in export and '"CO-13008-1"' in export)


def admin_anywhere(server, admin):
    url = "/municipalities/44073/outreach"
    fields = admin.form(url + "/new", url)
    r = admin.post(url, with_values(fields, {"on": "2025-02-01", "stage": "joined"}))
    check("Wachtebeke after its merger: 422 beside the day", r.status == 422 and 'id="f-on-error"' in r.text() and
          "bestond niet op 2025-02-01" in r.text(), r.status)

    url = "/municipalities/71004/outreach"
    fields = admin.form(url + "/new", url)
    r = admin.post(url, with_values(fields, {"on": "2024-01-15", "stage": "negotiating"}))
    check("an administrator logs outreach in Limburg", r.status == 303, r.status)
    fields = admin.form("/cooperations/new", "/cooperations")
    r = admin.post("/cooperations", with_values(fields, {"id": "CO-ADMIN", "municipality": "44073", "kind": "other",
                                                        "title": "Lerend netwerk werkgevers", "from": "2023-09-01"}))
    check("and adds a cooperation in Oost-Vlaanderen", r.status == 303, (r.status, r.text()[r.text().find('class="error"'):][:300]))
    check("as itself", last_change(server.db)[0] == "co-admin")


if __name__ == "__main__":
    sys.exit(main())
