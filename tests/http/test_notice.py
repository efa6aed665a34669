#!/usr/bin/python3
"""The register notice on the web (issue 13, docs/downloads.md): when the
register carries "public_sources_partial", every HTML page says it at the top
and links /bronnen, every download says it (the people's CSV in a last row,
XLSX in a row under the table, the answer, the calendar feeds), the API in a
top-level field of its objects and always in the header Somon-Register-Notice;
as known at a moment before it was set, nothing says it; and without it every
answer is byte for byte what it was. The alert "leden onbekend" on /alerts.

On a server of its own, on a copy of the suite's database (the demo and the
rules fixture); the routes are test_http.py's samples (every public GET).
Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import io
import json
import os
import sys
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import (PASSWORD, Checks, Client, people_csv, require_env, run_own_server,  # noqa: E402
                        somon)
import test_http  # noqa: E402  (its SAMPLES: one good URL per route)

check = Checks(detail_width=300)
SENTENCE = ("Publieke bronnen, onvolledig: dit register is samengesteld uit publieke bronnen en bevat maar een deel "
            "van de overeenkomsten.")
HEADER = "Somon-Register-Notice"
# The answers compared byte for byte before the notice and after it is cleared:
# none of them names the moment of the last change (the answer and /history do).
SAME = ["/agreements", "/agreements/SO-MECHELEN-2021", "/annex?date=2023-06-30", "/alerts?date=2025-10-15",
        "/municipalities/44021?date=2023-06-30", "/bronnen", "/api/v1/agreements", "/api/v1/agreements/SO-MECHELEN-2021",
        "/api/v1/coverage?date=2023-06-30&prognosis=2023-12-31", "/api/v1/coverage?date=2023-06-30&format=csv",
        "/api/v1/municipalities/11002?date=2025-06-30", "/api/v1/regiegebieden", "/api/v1/indicators?province=Limburg",
        "/agreements?format=csv", "/annex?date=2023-06-30&format=csv", "/alerts?date=2025-10-15&format=csv",
        "/agreements/SO-SCHELDELAND-2021/meetings.ics", "/nergens"]


def samples():
    """(pattern, url, content type) of every public GET route but the static files."""
    return [(p,) + test_http.SAMPLES[p] for _, p in test_http.routes() if p != "/static/:name"]


def imported(db, text, what):
    path = os.path.join(os.environ["SOMON_TMP"], "notice-%s.json" % what)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    r = somon("--actor", "test", "import", path, db=db)
    check("import: %s" % what, r.returncode == 0, r.stderr)
    time.sleep(1.2)  # the server reads a change of the command line ahead on a one-second poll


def xml_texts(body):
    """Every XML part of a workbook or Word document, as one text."""
    z = zipfile.ZipFile(io.BytesIO(body))
    return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


def last_moment(db):
    import sqlite3
    with sqlite3.connect(db) as con:
        return con.execute("SELECT moment FROM change ORDER BY id DESC LIMIT 1").fetchone()[0]


def run(server):
    c = Client(port=server.port)
    before = {u: c.get(u) for u in SAME}
    for url in SAME:
        r = before[url]
        check("without the notice no header: %s" % url, r.header(HEADER) is None)
        check("without the notice nothing says it: %s" % url, b"Publieke bronnen" not in r.body
              and b"register_notice" not in r.body)
    moment = last_moment(server.db)
    time.sleep(0.01)
    imported(server.db, '{"format": "somon/1", "register_notice": "public_sources_partial"}', "set")

    # every page of the route table: the banner at the top of <main>, linking /bronnen
    for pattern, url, ctype in samples():
        r = c.get(url)
        text = r.body.decode("utf-8", "replace")
        if ctype.startswith("text/html"):
            main = text.find('<main id="main">')
            banner = text.find('id="register-notice"')
            check("the banner on %s" % url, SENTENCE in text and main >= 0 and 0 <= banner - main < 80,
                  text[main:main + 300])
            check("linking /bronnen on %s" % url, '<a href="/bronnen">Meer over de bronnen</a>' in text)
        if url.startswith("/api/"):
            check("the API header on %s" % url, r.header(HEADER) == "public_sources_partial", r.headers)
        if ctype.startswith("text/calendar"):
            check("the calendar's description on %s" % url, "DESCRIPTION:Publieke bronnen\\, onvolledig" in text
                  and "X-WR-CALDESC:Publieke bronnen" in text, text[:400])
        if not url.startswith("/api/"):
            check("no API header on %s" % url, r.header(HEADER) is None)
    # signed-in pages and error pages too
    r = somon("user", "add", "noticeadmin", "--role", "admin", db=server.db, stdin=PASSWORD + "\n")
    check("an administrator", r.returncode == 0, r.stderr)
    admin = Client(port=server.port)
    check("signs in", admin.login("noticeadmin").status == 303)
    for url in ("/agreements/SO-MECHELEN-2021/edit", "/accounts", "/mine", "/agreements/new"):
        page = admin.get(url)
        check("the banner on the form %s" % url, page.status == 200 and SENTENCE in page.text(), page.status)
    missing = c.get("/nergens")
    check("the banner on a 404 page", missing.status == 404 and SENTENCE in missing.text())

    # /bronnen says what it means
    page = c.get("/bronnen").text()
    check("/bronnen names the notice and counts the agreements",
          "<h1>Bronnen van het register</h1>" in page and "<strong>Publieke bronnen, onvolledig</strong>" in page
          and "Het register telt <a href=\"/agreements\">" in page, page[:600])

    # the downloads
    for url in ("/agreements?format=csv", "/annex?date=2023-06-30&format=csv", "/alerts?date=2025-10-15&format=csv",
                "/?date=2023-06-30&prognosis=2023-12-31&format=csv", "/answer?date=2023-06-30&format=csv"):
        r = c.get(url)
        text = r.body.decode("utf-8")
        rows = text.split("\r\n")
        check("the people's CSV ends in the notice: %s" % url,
              rows[-1] == "" and rows[-2].startswith('"' + SENTENCE + '"') and rows[-2].count(";") == rows[0].count(";"),
              rows[-2:])
        people_csv(text)  # still the dialect of docs/downloads.md
        before_rows = before.get(url)
        if before_rows:
            check("and is the CSV of before but for that row: %s" % url,
                  before_rows.body.decode("utf-8") + rows[-2] + "\r\n" == text)
    for url in ("/agreements?format=xlsx", "/annex?date=2023-06-30&format=xlsx", "/alerts?date=2025-10-15&format=xlsx"):
        check("the XLSX has the notice in a row: %s" % url, SENTENCE in xml_texts(c.get(url).body))
    check("the answer as Word says it", "Publieke bronnen, onvolledig" in
          xml_texts(c.get("/answer?date=2023-06-30&prognosis=2023-12-31&format=docx").body))
    check("the answer as Markdown says it", SENTENCE in
          c.get("/answer?date=2023-06-30&prognosis=2023-12-31&format=md").text())

    # the API: a top-level field in its objects, the header on everything
    for url in ("/api/v1/agreements", "/api/v1/coverage?date=2023-06-30&prognosis=2023-12-31",
                "/api/v1/municipalities/11002?date=2025-06-30", "/api/v1/regiegebieden", "/api/v1/municipalities",
                "/api/v1/indicators?province=Limburg", "/api/v1/agreements?limit=2"):
        body = json.loads(c.get(url).text())
        check("register_notice in the object of %s" % url, body.get("register_notice") == "public_sources_partial")
    agreement = c.get("/api/v1/agreements/SO-MECHELEN-2021")
    check("the agreement's somon/1 object stays as it is, the header says it",
          agreement.body == before["/api/v1/agreements/SO-MECHELEN-2021"].body
          and agreement.header(HEADER) == "public_sources_partial")
    machine = c.get("/api/v1/coverage?date=2023-06-30&format=csv")
    check("the machine CSV keeps its columns; the header says it",
          machine.body == before["/api/v1/coverage?date=2023-06-30&format=csv"].body
          and machine.header(HEADER) == "public_sources_partial")
    check("an API error says it in the header", c.get("/api/v1/agreements/NIEMAND").header(HEADER) == "public_sources_partial")

    # as known at a moment before the import: nothing says it
    at = "as_known_at=" + moment
    for url in ("/agreements?" + at, "/annex?date=2023-06-30&" + at, "/api/v1/agreements?" + at,
                "/agreements?format=csv&" + at, "/bronnen?" + at):
        r = c.get(url)
        check("as known before the import, %s says nothing" % url,
              b"Publieke bronnen" not in r.body and b"register_notice" not in r.body and r.header(HEADER) is None)
    later = c.get("/agreements?as_known_at=2099-01-01T00:00:00").text()
    check("as known later, the banner's link keeps the moment",
          '<a href="/bronnen?as_known_at=2099-01-01T00%3A00%3A00">Meer over de bronnen</a>' in later)

    # the alert "leden onbekend"
    imported(server.db, json.dumps({
        "format": "somon/1",
        "organisations": [{"id": "IGS-NOTICE", "name": "Vereniging <Notice>", "kind": "association"}],
        "agreements": [{"id": "PB-NOTICE-2021", "title": "Een vereniging", "vdab_directorate": "Antwerpen",
                        "status": "signed", "start": "2021-01-01", "end": "2025-12-31",
                        "parties": [{"organisation": "IGS-NOTICE"}]}]}), "association")
    alerts = c.get("/alerts?date=2023-06-30").text()
    check("/alerts names the unknown members, escaped",
          "De gemeenten van Vereniging &lt;Notice&gt; zijn niet bekend: de overeenkomst dekt geen gemeente tot ze als "
          "partij zijn ingevoerd." in alerts and 'href="/agreements/PB-NOTICE-2021/parties/add"' in alerts
          and "leden onbekend" in alerts, alerts[alerts.find("<tbody>"):][:600])
    rows = people_csv(c.get("/alerts?date=2023-06-30&format=csv").text())
    check("and its download", any(r["Soort"] == "leden onbekend" and r["Overeenkomst"] == "PB-NOTICE-2021"
                                  and r["Betreft"] == "IGS-NOTICE" for r in rows))

    # cleared: every answer as it was, byte for byte
    imported(server.db, '{"format": "somon/1", "register_notice": null}', "clear")
    for url in SAME:
        if "alerts" in url or url in ("/agreements", "/agreements?format=csv", "/api/v1/agreements", "/bronnen"):
            continue  # the association's agreement came in meanwhile
        r = c.get(url)
        check("cleared: byte-identical to before: %s" % url,
              r.status == before[url].status and r.body == before[url].body and r.header(HEADER) is None)


def main():
    require_env("test_notice", "SOMON", "SOMON_DB", "SOMON_TMP")
    return run_own_server(check, "notice", run)


if __name__ == "__main__":
    sys.exit(main())
