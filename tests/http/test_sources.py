#!/usr/bin/python3
"""The sources (evidence) of agreements and parties over HTTP (issue 13).

On a server of its own (a copy of the suite's database) the agreements of
tests/cli/fixtures/sources.json are imported, and one more with hostile
text. The agreement page shows a section "Bronnen" and a column "Bronnen" in
the parties' table: each link names the page's host and path, its href only
through the attribute escaper, the quote in a <q> escaped, "gelezen op
03/12/2026". The API carries the sources (the agreement's whole object, and
the agreement's own in the list); the /agreements download has a column
"Bronnen". The edit forms do not show sources and must not drop them; an
upload of a sheet with a javascript: source is refused beside its row.

Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import json
import os
import sqlite3
import sys
import tempfile
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import (run_own_server, people_csv, PASSWORD, REPO, Checks, Client, form_fields, require_env,  # noqa: E402
                        somon, with_values)

AG, ORG, HOSTILE = "SO-T-SOURCES-2021", "SO-T-SOURCES-ORG-2021", "SO-T-SOURCES-HOSTILE"
HOSTILE_URL = 'https://x.example/a"><script>alert(1)</script>?q=<b>&r=1'
HOSTILE_QUOTE = 'Citaat met <script>alert("q")</script> & meer'
check = Checks(detail_width=300)


def prepare(db):
    r = somon("--actor", "tester", "import", os.path.join(REPO, "tests/cli/fixtures/sources.json"), db=db)
    assert r.returncode == 0, r.stderr
    doc = {"format": "somon/1", "agreements": [
        {"id": HOSTILE, "title": "Vijandige bron", "vdab_directorate": "Antwerpen", "status": "negotiating",
         "sources": [{"url": HOSTILE_URL, "quote": HOSTILE_QUOTE, "read_on": "2026-12-03"}],
         "parties": [{"municipality": "11002", "sources": [{"url": "http://y.example/", "quote": None,
                                                             "read_on": None}]}]}]}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(doc, f)
    r = somon("--actor", "tester", "import", f.name, db=db)
    os.unlink(f.name)
    assert r.returncode == 0, r.stderr
    for login, role, scope in (("sources-admin", "admin", None), ("sources-vdab", "vdab", "Antwerpen")):
        args = ["user", "add", login, "--role", role] + (["--scope", scope] if scope else [])
        r = somon(*args, stdin=PASSWORD + "\n", db=db)
        assert r.returncode == 0, r.stderr


def changes(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM change").fetchone()[0]
    finally:
        con.close()


def stored_sources(db, agreement):
    """[(party_position, url)] of the current version."""
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT s.party_position, s.url FROM source s JOIN agreement a ON a.vid = s.vid"
                           " WHERE a.id = ? AND a.rec_until IS NULL ORDER BY s.party_position, s.position",
                           (agreement,)).fetchall()
    finally:
        con.close()


def upload(client, name, data):
    boundary = "----somon" + uuid.uuid4().hex
    body = ("--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n" % (boundary, client.csrf())).encode()
    body += ("--%s\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"%s\"\r\n"
             "Content-Type: application/octet-stream\r\n\r\n" % (boundary, name)).encode() + data + b"\r\n"
    body += ("--%s--\r\n" % boundary).encode()
    return client.request("POST", "/agreements/upload", body=body,
                          headers={"Content-Type": "multipart/form-data; boundary=" + boundary})


def run(server):
    anon = Client(port=server.port)

    # ---- the page
    page = anon.get("/agreements/" + AG).text()
    check("a section Bronnen", '<h2 id="sources-h">Bronnen</h2>' in page, page[:300])
    check("a link named by host and path, with its quote and the day it was read",
          '<li><a href="https://www.vdab.be/persberichten/kapellen" rel="noopener noreferrer">'
          'www.vdab.be/persberichten/kapellen</a>: <q>De lokale besturen van Kapellen en VDAB tekenen</q> '
          '<span class="read-on">(gelezen op 03/12/2026)</span></li>' in page)
    check("a query kept in the href, escaped, not in the link's text",
          '<a href="https://www.kapellen.be/nieuws?id=1&amp;lang=nl" rel="noopener noreferrer">www.kapellen.be/nieuws</a>'
          '</li>' in page)
    check("the parties' table has a column Bronnen", '<th scope="col">Bronnen</th>' in page)
    check("a party's two sources in its row",
          page.count('href="https://kapellen.lokaalbeslist.be/besluit/1"') == 2 and
          "<q>een ander citaat van dezelfde pagina</q>" in page)
    check("the section points at the parties' sources", 'bij de <a href="#parties-h">partijen</a> (kolom Bronnen)' in page)
    bronnen = anon.get("/bronnen").text()
    check("/bronnen counts the agreements with a source (theirs or a party's)",
          " 3 ervan hebben minstens één bron." in bronnen, bronnen[bronnen.find("Het register telt"):][:300])
    org = anon.get("/agreements/" + ORG).text()
    check("an organisation-only agreement shows its source", 'href="http://x.example/v"' in org and
          "<q>De vereniging sluit een overeenkomst</q>" in org)
    hostile = anon.get("/agreements/" + HOSTILE).text()
    check("a hostile address: no markup escapes the attribute",
          "<script>" not in hostile and 'href="https://x.example/a&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;?q=&lt;b&gt;&amp;r=1"'
          in hostile, [line for line in hostile.split("\n") if "x.example" in line][:2])
    check("a hostile quote shown escaped in a <q>",
          "<q>Citaat met &lt;script&gt;alert(&quot;q&quot;)&lt;/script&gt; &amp; meer</q>" in hostile or
          "<q>Citaat met &lt;script&gt;alert(\"q\")&lt;/script&gt; &amp; meer</q>" in hostile)
    check("a bare host shown as the host", '<a href="http://y.example/" rel="noopener noreferrer">y.example</a>' in hostile)
    plain = anon.get("/agreements/SO-MECHELEN-2021")
    check("an agreement without sources: no section, no column",
          plain.status == 200 and 'id="sources-h"' not in plain.text() and "<th scope=\"col\">Bronnen</th>" not in plain.text(),
          plain.status)

    # ---- the API
    one = json.loads(anon.get("/api/v1/agreements/" + AG).text())
    check("the API's agreement carries its sources as somon/1",
          one.get("sources") and one["sources"][0] == {"url": "https://www.vdab.be/persberichten/kapellen",
                                                       "quote": "De lokale besturen van Kapellen en VDAB tekenen",
                                                       "read_on": "2026-12-03"}, one.get("sources"))
    check("and its parties'", [len(p["sources"]) for p in one["parties"]] == [2, 0], one.get("parties"))
    listing = json.loads(anon.get("/api/v1/agreements").text())
    items = {a["id"]: a for a in listing["agreements"]}
    check("the API's list carries each agreement's own sources",
          [s["url"] for s in items[AG]["sources"]] == ["https://www.vdab.be/persberichten/kapellen",
                                                        "https://www.kapellen.be/nieuws?id=1&lang=nl"],
          items.get(AG))
    check("an empty list where there are none", items["SO-MECHELEN-2021"]["sources"] == [], items.get("SO-MECHELEN-2021"))
    hostile_api = json.loads(anon.get("/api/v1/agreements/" + HOSTILE).text())
    check("the hostile address comes back unchanged in JSON", hostile_api["sources"][0]["url"] == HOSTILE_URL)

    # ---- the download
    rows = {r["ID"]: r for r in people_csv(anon.get("/agreements?format=csv").text())}
    check("the CSV has a column Bronnen with every address of the agreement and its parties, once",
          rows.get(AG, {}).get("Bronnen") == "https://www.vdab.be/persberichten/kapellen | "
          "https://www.kapellen.be/nieuws?id=1&lang=nl | https://kapellen.lokaalbeslist.be/besluit/1",
          rows.get(AG))
    check("empty without sources", rows.get("SO-MECHELEN-2021", {}).get("Bronnen") == "", rows.get("SO-MECHELEN-2021"))
    parties = {r["Partij"]: r for r in people_csv(anon.get("/agreements/%s?format=csv" % AG).text())}
    check("the parties' download has a column Bronnen: a party's addresses, each once",
          parties.get("11023", {}).get("Bronnen") == "https://kapellen.lokaalbeslist.be/besluit/1"
          and parties.get("11016", {}).get("Bronnen") == "", parties)
    x = anon.get("/agreements?format=xlsx")
    check("the XLSX download answers", x.status == 200 and x.body[:2] == b"PK", x.status)

    # ---- the edit forms keep the sources
    vdab = Client(port=server.port)
    check("the vdab account signs in", vdab.login("sources-vdab").status == 303)
    before = stored_sources(server.db, AG)
    n0 = changes(server.db)
    fields = form_fields(vdab.get("/agreements/%s/edit" % AG).text(), "/agreements/" + AG)
    r = vdab.post("/agreements/" + AG, with_values(fields, {"title": "Samenwerking met bronnen, herzien"}))
    check("the fields form saves", r.status == 303, (r.status, r.text()[:300]))
    check("one change", changes(server.db) == n0 + 1)
    check("the save keeps every source of the agreement and its parties", stored_sources(server.db, AG) == before,
          stored_sources(server.db, AG))
    action = "/agreements/%s/parties/0" % AG
    pf = form_fields(vdab.get(action + "/edit").text(), action)
    r = vdab.post(action, with_values(pf, {"parties[0].approved_on": "2020-12-15"}))
    check("the party form saves", r.status == 303, (r.status, r.text()[:300]))
    check("and keeps the party's sources", stored_sources(server.db, AG) == before, stored_sources(server.db, AG))
    nf = form_fields(vdab.get("/agreements/%s/notes/edit" % AG).text(), "/agreements/%s/notes" % AG)
    r = vdab.post("/agreements/%s/notes" % AG, with_values(nf, {"notes": "Nieuwe notitie"}))
    check("the notes form saves and keeps the sources", r.status == 303 and
          stored_sources(server.db, AG) == before, (r.status, stored_sources(server.db, AG)))
    af = form_fields(vdab.get("/agreements/%s/approvals/edit" % AG).text(), "/agreements/%s/approvals" % AG)
    names = [k for k, _ in af]
    day = [k for k in names if "approved_on" in k]
    r = vdab.post("/agreements/%s/approvals" % AG, with_values(af, {day[-1]: "2020-12-20"} if day else {}))
    check("the approvals form saves and keeps the sources", r.status == 303 and
          stored_sources(server.db, AG) == before, (r.status, names, r.text()[:300]))
    check("four saves, four changes", changes(server.db) == n0 + 4, changes(server.db) - n0)

    # ---- an upload with a javascript: source is refused beside its row
    admin = Client(port=server.port)
    check("the administrator signs in", admin.login("sources-admin").status == 303)
    n1 = changes(server.db)
    sheet = ("overeenkomst,titel,directie,status,begin,gemeente,bron,citaat\n"
             "PB-T-BAD-2021,Slecht,Antwerpen,ondertekend,01/01/2021,Essen,javascript:alert(1),<script>x</script>\n")
    r = upload(admin, "bron.csv", sheet.encode())
    body = r.text()
    check("refused (422)", r.status == 422, r.status)
    check("beside its row, in Dutch", "is geen http(s)-adres" in body, body[-800:])
    check("the hostile cells shown escaped", "<script>x</script>" not in body)
    check("nothing written", changes(server.db) == n1)
    good = ("overeenkomst,titel,directie,status,begin,gemeente,bron,citaat,gelezen_op\n"
            "PB-T-GOOD-2021,Goed,Antwerpen,ondertekend,01/01/2021,Essen,https://www.essen.be/a,Essen tekent,03/12/2026\n"
            "PB-T-GOOD-2021,,,,,Essen,https://www.vdab.be/b,,\n"
            "PB-T-GOOD-2021,,,,,,https://www.vdab.be/c,Van de overeenkomst,\n")
    r = upload(admin, "goed.csv", good.encode())
    check("a sheet with sources: a preview that counts them", r.status == 200 and "PB-T-GOOD-2021" in r.text() and
          "1 partij, 3 bronnen" in r.text(), (r.status, r.text()[-1500:]))


def main():
    require_env("test_sources", "SOMON", "SOMON_DB", "SOMON_TMP")
    return run_own_server(check, "sources", run, prepare)


if __name__ == "__main__":
    sys.exit(main())
