#!/usr/bin/python3
"""Agreements from a spreadsheet in the browser (issue 11, docs/sheet_import.md).

On a server of its own, on a database of its own (the demo register and
tests/cli/fixtures/rules.json, as the suite's starts: the other suites change
the demo agreements this test compares with): a viewer and a local account may not upload
(403); an administrator's upload shows a preview (new, changed with the
changes, unchanged) and writes nothing; the confirmation writes exactly that,
as one change by its author; a confirmation made stale by a change in between
shows the new preview and writes nothing; a bad file shows its problems beside
their rows and changes nothing; a vdab account of Limburg is refused, per row,
an agreement of another directorate; the body limits hold.
Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import json
import os
import re
import subprocess
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import (PASSWORD, REPO, Checks, Client, form_fields, require_env,  # noqa: E402
                        run_own_server, somon)

check = Checks(detail_width=400)
UPLOAD = "/agreements/upload"


def fresh_database():
    """A new database with the reference data, the demo register and the rules fixture."""
    db = os.path.join(os.environ["SOMON_TMP"], "sheet_import.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    demo = sorted(os.path.join("data/demo", f) for f in os.listdir(os.path.join(REPO, "data/demo")) if f.endswith(".json"))
    for args in (["init"], ["--actor", "demo", "import"] + demo + ["tests/cli/fixtures/rules.json"]):
        r = somon(*args, db=db)
        assert r.returncode == 0, r.stderr
    return db


def prepare(db):
    for login, role, scope in (("sheet-admin", "admin", None), ("sheet-vdab", "vdab", "Limburg"),
                               ("sheet-local", "local", "12025"), ("sheet-viewer", "viewer", None)):
        args = ["user", "add", login, "--role", role] + (["--scope", scope] if scope else [])
        r = somon(*args, stdin=PASSWORD + "\n", db=db)
        assert r.returncode == 0, r.stderr


def multipart(fields, files=()):
    """(body, content type) of a form with fields [(name, value)] and files [(name, filename, bytes)]."""
    boundary = "----somon" + uuid.uuid4().hex
    out = b""
    for name, value in fields:
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n" % (boundary, name)).encode()
        out += value.encode() + b"\r\n"
    for name, filename, data in files:
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n" % (boundary, name, filename)).encode()
        out += data + b"\r\n"
    out += ("--%s--\r\n" % boundary).encode()
    return out, "multipart/form-data; boundary=" + boundary


def upload(client, name, data, csrf=None):
    body, kind = multipart([("csrf", client.csrf() if csrf is None else csrf)], [("bestand", name, data)])
    return client.request("POST", UPLOAD, body=body, headers={"Content-Type": kind})


def confirm(client, fields):
    body, kind = multipart(fields)
    return client.request("POST", UPLOAD, body=body, headers={"Content-Type": kind})


def export(server):
    r = somon("export", db=server.db)
    assert r.returncode == 0, r.stderr
    return r.stdout


def agreements(server):
    return {a["id"]: a for a in json.loads(export(server))["agreements"]}


def rows_of(html):
    """The rows of the problem table: [(cells text, problems text)]."""
    table = html[html.index('id="problems"'):]
    table = table[:table.index("</table>")]
    return [re.sub(r"<[^>]+>", " ", r) for r in re.findall(r'<tr><th scope="row">(.*?)</tr>', table, re.S)]


GOOD = ("overeenkomst;titel;directie;status;begin;einde;gemeente;goedgekeurd_op;vanaf;tot\r\n"
        "SO-WEB-LIM-1;Web Limburg;Limburg;ondertekend;01/03/2021;31/12/2025;Hasselt;15/02/2021;;\r\n"
        "SO-WEB-LIM-1;Web Limburg;Limburg;ondertekend;01/03/2021;31/12/2025;Genk;;;\r\n"
        "SO-MECHELEN-2021;Mechelen, herzien;Antwerpen;ondertekend;01/03/2021;31/12/2025;Mechelen;01/03/2021;;\r\n"
        "SO-GENT-2007;Samenwerkingsovereenkomst Stad Gent - VDAB (2007);Oost-Vlaanderen;ondertekend;;;Gent;;;\r\n")


def run(server):
    port = server.port
    anonymous = Client(port=port)
    r = anonymous.get(UPLOAD)
    check("anonymous readers are sent to sign in", r.status == 303 and "/login" in (r.header("location") or ""))
    for login in ("sheet-viewer", "sheet-local"):
        c = Client(port=port)
        c.login(login)
        check("%s may not open the form" % login, c.get(UPLOAD).status == 403)
        before = export(server)
        r = upload(c, "blad.csv", GOOD.encode())
        check("%s may not upload (403)" % login, r.status == 403, r.status)
        check("%s changed nothing" % login, export(server) == before)
        check("%s sees no upload link" % login, 'href="/agreements/upload"' not in c.get("/agreements").text())

    admin = Client(port=port)
    admin.login("sheet-admin")
    page = admin.get("/agreements").text()
    check("/agreements links the upload and the template",
          'href="/agreements/upload"' in page and 'href="/agreements/sjabloon.xlsx"' in page)
    page = admin.get(UPLOAD).text()
    check("the form uploads a file with its CSRF token",
          'enctype="multipart/form-data"' in page and 'type="file"' in page and 'name="csrf"' in page)
    check("the form links the template", 'href="/agreements/sjabloon.xlsx"' in page)

    # ---- the register (the demo and the rules fixture) as a sheet changes nothing; 60 agreements of a province go in with one upload
    tmp = os.environ["SOMON_TMP"]
    gen = [sys.executable, os.path.join(REPO, "tests/cli/fixtures/sheet_gen.py")]
    with open(os.path.join(tmp, "sheet_demo.json"), "w", encoding="utf-8") as f:
        f.write(export(server))
    subprocess.run(gen + ["demo", os.path.join(tmp, "sheet_demo.json"), os.path.join(tmp, "demo.csv"), "--names",
                          "--orgs"], check=True)
    before = export(server)
    r = upload(admin, "demo.csv", open(os.path.join(tmp, "demo.csv"), "rb").read())
    n = len(json.loads(before)["agreements"])
    check("the register as a sheet: unchanged", r.status == 200 and "0 nieuw, 0 gewijzigd, %d ongewijzigd" % n in
          r.text() and "Het blad verandert niets aan het register." in r.text(), re.findall(r"\d+ nieuw[^<]*", r.text()))
    subprocess.run(gen + ["province", "Antwerpen", "60", os.path.join(tmp, "antwerpen.csv"), "--sep", ";", "--bom"],
                   check=True)
    r = upload(admin, "antwerpen.csv", open(os.path.join(tmp, "antwerpen.csv"), "rb").read())
    check("60 agreements of Antwerpen: the preview", r.status == 200 and "60 nieuw, 0 gewijzigd, 0 ongewijzigd" in
          r.text(), r.text()[:1500])
    check("nothing written yet", export(server) == before)
    r = confirm(admin, form_fields(r.text(), UPLOAD))
    check("60 agreements in with one confirmation", r.status == 303 and "nieuw=60" in (r.header("location") or "") and
          sum(1 for k in agreements(server) if k.startswith("SO-TEST-ANT-")) == 60, r.status)

    # ---- the preview writes nothing
    before = export(server)
    r = upload(admin, "limburg.csv", GOOD.encode())
    page = r.text()
    check("preview: 200", r.status == 200, r.status)
    check("preview: counts", "1 nieuw, 1 gewijzigd, 1 ongewijzigd. Er is nog niets bewaard." in page, page[:3000])
    check("preview: the new agreement", "SO-WEB-LIM-1" in page and "2 partijen" in page)
    check("preview: what changes", "titel: &#39;Samen sterk voor lokaal werk in 2020 - 2025&#39; → &#39;Mechelen, "
          "herzien&#39;" in page or "titel: 'Samen sterk voor lokaal werk in 2020 - 2025' → 'Mechelen, herzien'" in page,
          re.findall(r"<li>[^<]*titel[^<]*</li>", page))
    check("preview: unchanged", 'class="plan-ongewijzigd"' in page and "SO-GENT-2007" in page)
    check("preview: nothing written", export(server) == before)
    fields = form_fields(page, UPLOAD)
    names = [n for n, _ in fields]
    check("preview: the confirmation carries the file and the register's state",
          "inhoud" in names and "bekend" in names and "csrf" in names, names)

    # ---- the confirmation writes exactly that, as one change by its author
    r = confirm(admin, fields)
    check("confirm: 303 to the form with the counts", r.status == 303 and
          r.header("location") == "/agreements/upload?nieuw=1&gewijzigd=1&ongewijzigd=1", (r.status, r.header("location")))
    page = admin.get(r.header("location")).text()
    check("confirm: the form says what was written", "Bewaard: 1 nieuw, 1 gewijzigd, 1 ongewijzigd." in page)
    now = agreements(server)
    check("confirm: the new agreement with its parties",
          [p.get("municipality") for p in now["SO-WEB-LIM-1"]["parties"]] == ["71022", "71016"],
          now.get("SO-WEB-LIM-1"))
    check("confirm: the changed title", now["SO-MECHELEN-2021"]["title"] == "Mechelen, herzien")
    old = {a["id"]: a for a in json.loads(before)["agreements"]}
    kept = {k for k in now["SO-MECHELEN-2021"] if now["SO-MECHELEN-2021"][k] != old["SO-MECHELEN-2021"][k]}
    check("confirm: only the title of Mechelen changed (plan, notes, organisation parties kept)", kept == {"title"},
          kept)
    hist = somon("history", "SO-WEB-LIM-1", db=server.db).stdout
    check("confirm: one change by its author", "sheet-admin  import: sheet limburg.csv" in hist, hist)
    r = confirm(admin, fields)
    check("confirm again: the register changed since that preview: a new preview, nothing written",
          r.status == 200 and "Het register is gewijzigd sinds het voorbeeld" in r.text() and
          "0 nieuw, 0 gewijzigd, 3 ongewijzigd" in r.text(), r.text()[:2000])

    # ---- a stale confirmation shows the new preview and writes nothing
    second = GOOD.replace("Mechelen, herzien", "Mechelen, derde versie")
    fields = form_fields(upload(admin, "tweede.csv", second.encode()).text(), UPLOAD)
    other = Client(port=port)
    other.login("sheet-admin")
    r = upload(other, "tussendoor.csv", GOOD.replace("Mechelen, herzien", "Mechelen, tussendoor").encode())
    check("someone else's upload in between", confirm(other, form_fields(r.text(), UPLOAD)).status == 303)
    before = export(server)
    r = confirm(admin, fields)
    page = r.text()
    check("stale: the new preview", r.status == 200 and "Het register is gewijzigd sinds het voorbeeld" in page,
          page[:2000])
    check("stale: the preview against the new register", "Mechelen, tussendoor" in page and
          "Mechelen, derde versie" in page)
    check("stale: nothing written", export(server) == before)
    r = confirm(admin, form_fields(page, UPLOAD))
    check("the new preview confirmed: written", r.status == 303 and
          agreements(server)["SO-MECHELEN-2021"]["title"] == "Mechelen, derde versie", r.status)

    # ---- a bad file: the problems beside their rows, nothing changed
    bad = ("overeenkomst,titel,directie,status,begin,einde,gemeente,goedgekeurd_op\n"
           "SO-WEB-BAD,Slecht,Limburg,ondertekend,01/03/2022,31/12/2025,Haselt,31/02/2022\n"
           "SO-WEB-BAD,Anders,Limburg,ondertekend,01/03/2022,31/12/2025,Genk,\n"
           "SO-WEB-OK,Goed,Limburg,ontwerp,,,Bree,\n")
    before = export(server)
    r = upload(admin, "fout.csv", bad.encode())
    page = r.text()
    check("bad: 422", r.status == 422, r.status)
    check("bad: says nothing was saved", "Het blad heeft 3 problemen; er is niets bewaard." in page,
          re.findall(r"Het blad heeft[^<]*", page))
    rows = rows_of(page)
    check("bad: two rows with problems", len(rows) == 2, rows)
    check("bad: row 2 with its problems beside it", rows and "Haselt" in rows[0] and
          "fout!G2: 'Haselt' is geen gemeente op 01/03/2022; bedoelde u Hasselt" in rows[0] and
          "fout!H2: '31/02/2022' is geen datum" in rows[0], rows[:1])
    check("bad: row 3 names both cells", len(rows) > 1 and "fout!B3" in rows[1] and "fout!B2" in rows[1], rows[1:])
    check("bad: no confirmation", 'name="inhoud"' not in page)
    check("bad: nothing changed", export(server) == before)
    r = upload(admin, "rommel.xlsx", os.urandom(2000))
    check("garbage: 422 with the reader's message", r.status == 422 and "er is niets bewaard" in r.text(), r.status)
    check("garbage: nothing changed", export(server) == before)

    # ---- the status steps of the forms hold for a stored agreement (not on the command line)
    back = ("overeenkomst,titel,directie,status,begin,einde,gemeente,goedgekeurd_op\n"
            "SO-WEB-LIM-1,Web Limburg,Limburg,ontwerp,01/03/2021,31/12/2025,Hasselt,15/02/2021\n"
            "SO-WEB-LIM-1,Web Limburg,Limburg,ontwerp,01/03/2021,31/12/2025,Genk,\n")
    r = upload(admin, "terug.csv", back.encode())
    rows = rows_of(r.text()) if 'id="problems"' in r.text() else []
    check("a signed agreement does not go back to draft, at its status cell", r.status == 422 and
          any("terug!D2: een ondertekende overeenkomst kan alleen nog beëindigd worden" in x for x in rows), rows)
    check("status step: nothing changed", export(server) == before)

    # ---- a vdab account of Limburg: per row, only its province
    vdab = Client(port=port)
    vdab.login("sheet-vdab")
    check("vdab may open the form", vdab.get(UPLOAD).status == 200)
    mixed = ("overeenkomst,titel,directie,status,gemeente\n"
             "SO-WEB-LIM-2,Limburg,Limburg,ontwerp,Genk\n"
             "SO-WEB-ANT-2,Antwerpen,Antwerpen,ontwerp,Boom\n"
             "SO-MECHELEN-2021,Mechelen,Limburg,ondertekend,Mechelen\n")
    r = upload(vdab, "gemengd.csv", mixed.encode())
    page = r.text()
    check("vdab: another province is refused", r.status == 422, r.status)
    rows = rows_of(page) if 'id="problems"' in page else []
    check("vdab: the new agreement of Antwerpen at its directie cell",
          any("gemengd!C3: uw account maakt alleen overeenkomsten aan voor de directie Limburg" in x for x in rows), rows)
    check("vdab: an agreement of Antwerpen may not be moved in",
          any("gemengd!C4: uw account beheert alleen overeenkomsten van de directie Limburg" in x for x in rows), rows)
    check("vdab: its own row has no problem", not any("SO-WEB-LIM-2" in x for x in rows), rows)
    check("vdab: nothing changed", export(server) == before)
    r = upload(vdab, "limburg.csv", "\n".join(mixed.split("\n")[:2]).encode())
    check("vdab: its own province previews", r.status == 200 and "1 nieuw" in r.text(), r.text()[:1500])
    r = confirm(vdab, form_fields(r.text(), UPLOAD))
    check("vdab: and is written", r.status == 303 and "SO-WEB-LIM-2" in agreements(server), r.status)

    # ---- CSRF and limits
    before = export(server)
    r = upload(admin, "blad.csv", mixed.encode(), csrf="")
    check("without the CSRF token: 403", r.status == 403 and "CSRF" in r.text(), r.status)
    body, kind = multipart([("csrf", admin.csrf())], [("bestand", "groot.csv", b"x" * (16 * 1024 * 1024 + 1))])
    r = admin.request("POST", UPLOAD, body=body, headers={"Content-Type": kind})
    check("a file over 16 MiB: 413", r.status == 413, r.status)
    body, kind = multipart([("csrf", admin.csrf()), ("id", "SO-X")], [("bestand", "blad.csv", GOOD.encode())])
    r = admin.request("POST", "/agreements", body=body, headers={"Content-Type": kind})
    check("another form writes nothing from a file", r.status >= 400, r.status)
    body, kind = multipart([("csrf", admin.csrf())], [("bijlage", "blad.csv", GOOD.encode())])
    r = admin.request("POST", UPLOAD, body=body, headers={"Content-Type": kind})
    check("a file under another name: 415", r.status == 415, r.status)
    try:
        r = admin.request("POST", "/agreements", body=b"x" * (2 * 1024 * 1024),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
        status = r.status
    except (BrokenPipeError, ConnectionResetError):
        status = 413  # refused on its Content-Length before the body was read
    check("another form keeps its 1 MiB", status == 413, status)
    check("nothing changed", export(server) == before)


def main():
    require_env("test_sheet_import", "SOMON", "SOMON_DB", "SOMON_TMP")
    return run_own_server(check, "sheet_import", run, prepare, db=fresh_database())


if __name__ == "__main__":
    sys.exit(main())
