#!/usr/bin/python3
"""/answer: the answer to parliament over HTTP (issue 10): the page with the
two-level table, the footnotes, question 2 and Bijlage 1; the Word download
(read back with Debian's python3-docx) and the Markdown download; the link
from the overview; bad input refused with the fix named.

On a server of its own, on a fresh database (reference data only) with
tests/cli/fixtures/answer.json imported, so the figures are those worked out
by hand in tests/cli/test_answer.sh: Limburg 2/42 (5 %) on 30/06/2023 and
3/42 (7 %) in the prognosis of 31/12/2023, West-Vlaanderen 1/64 (2 %).

Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import PASSWORD, REPO, TMP, Checks, Client, require_env, run_own_server, somon  # noqa: E402

check = Checks(detail_width=300)
DATES = "date=2023-06-30&prognosis=2023-12-31"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

READ_DOCX = r"""
import sys, docx
d = docx.Document(sys.argv[1])
for r in d.tables[0].rows:
    out, last = [], None
    for c in r.cells:
        if c._tc is not last:
            out.append(c.text)
        last = c._tc
    print("|".join(out))
for p in d.paragraphs:
    if p.text.strip():
        print(p.style.name + ": " + p.text.replace("\t", " "))
s = d.sections[0]
print("PAGE %.0f x %.0f mm" % (s.page_width.mm, s.page_height.mm))
print("FOOTER " + " ".join(p.text for p in s.footer.paragraphs).replace("\t", " "))
"""


def prepare(db):
    r = somon("init", db=db)
    assert r.returncode == 0, r.stderr
    r = somon("--actor", "tester", "import", os.path.join(REPO, "tests/cli/fixtures/answer.json"), db=db)
    assert r.returncode == 0, r.stderr
    for login, role, scope in (("answer-vdab", "vdab", "Limburg"), ("answer-local", "local", "71022")):
        r = somon("user", "add", login, "--role", role, "--scope", scope, stdin=PASSWORD + "\n", db=db)
        assert r.returncode == 0, r.stderr


def check_page(anon):
    r = anon.get("/answer?" + DATES)
    page = r.text()
    check("the page answers", r.status == 200, r.status)
    check("as HTML", (r.header("Content-Type") or "").startswith("text/html"), r.header("Content-Type"))
    check("its heading names the date", "<h1>Antwoord aan het parlement op 30/06/2023</h1>" in page)
    check("the header's groups as in seed 004",
          '<th scope="colgroup" colspan="4">Gemeenten</th><th scope="colgroup" colspan="4">Regiegebieden sociale '
          'economie en werk</th>' in page)
    check("the header's days as in seed 004",
          '<th scope="colgroup" colspan="2">op 30/6/23</th><th scope="colgroup" colspan="2">prognose 31/12/23</th>'
          in page)
    check("the Limburg cells: n/N with % beside",
          '<th scope="row">Limburg</th><td class="num">2/42</td><td class="num">5</td><td class="num">3/42</td>'
          '<td class="num">7</td>' in page)
    check("the footnote of the pipeline agreement",
          "Limburg (1) Nog 1 gemeente via SO-T-DIEPENBEEK (Diepenbeek sluit aan (testgegeven)), principieel akkoord, "
          "verwacht vanaf 01/10/2023: Diepenbeek." in page)
    check("question 2, escaped", "<li>Lochristi: Digibank – Digibank &lt;Lochristi&gt; &amp; \"co\" "
          "(30/06/2023 – 30/06/2023)</li>" in page)
    check("Bijlage 1", "Bijlage 1: samenwerkingsovereenkomsten per provincie en gemeente op 30/06/2023" in page)
    check("a download link for Word", 'href="/answer?date=2023-06-30&amp;prognosis=2023-12-31&amp;format=docx"' in page)
    check("the moment it was known at", "gegevens zoals gekend op" in page)


def check_docx(anon):
    r = anon.get("/answer?%s&format=docx" % DATES)
    check("the Word download answers", r.status == 200, r.status)
    check("Content-Type of a Word document", r.header("Content-Type") == DOCX_TYPE, r.header("Content-Type"))
    check("Content-Disposition: attachment with a file name",
          r.header("Content-Disposition") == 'attachment; filename="antwoord-2023-06-30.docx"',
          r.header("Content-Disposition"))
    path = os.path.join(TMP, "answer.docx")
    with open(path, "wb") as f:
        f.write(r.body)
    read = subprocess.run(["/usr/bin/python3", "-c", READ_DOCX, path], capture_output=True, text=True)
    out = read.stdout
    check("python3-docx opens it", read.returncode == 0, read.stderr[-300:])
    check("the two-level header",
          out.startswith("|Gemeenten|Regiegebieden sociale economie en werk\n|op 30/6/23|prognose 31/12/23|op 30/6/23|"
                         "prognose 31/12/23\n|n|%|n|%|n|%|n|%\n"), out[:300])
    check("the Limburg row", "\nLimburg|2/42|5|3/42|7|" in out, out[:800])
    check("the footnotes", "footnote text: Limburg (1) Nog 1 gemeente via SO-T-DIEPENBEEK" in out)
    check("question 2", "List Bullet: • Diepenbeek: wijk-werken – Wijk-werken Diepenbeek (01/01/2021 – open); "
          "jobbeurs – Jobbeurs Diepenbeek (01/03/2023 – 31/12/2023)" in out)
    check("Bijlage 1", "Heading 1: Bijlage 1: samenwerkingsovereenkomsten per provincie en gemeente op 30/06/2023" in out)
    check("A4", "PAGE 210 x 297 mm" in out, out[-300:])
    check("the footer with the moment", "FOOTER Samenwerking VDAB en lokale besturen op 30/06/2023 – gegevens zoals "
          "gekend op" in out and "pagina" in out, out[-300:])

    md = anon.get("/answer?%s&format=md" % DATES)
    check("the Markdown download", md.status == 200 and md.header("Content-Type") == "text/markdown; charset=utf-8",
          "%s %s" % (md.status, md.header("Content-Type")))
    check("as an attachment", md.header("Content-Disposition") == 'attachment; filename="antwoord-2023-06-30.md"')
    check("with the Limburg row", "| Limburg | 2/42 | 5 | 3/42 | 7 |" in md.text())

    csv = anon.get("/answer?%s&format=csv" % DATES)
    check("the table alone as CSV for Excel in nl-BE, with the columns of SPEC §4 in Dutch", csv.status == 200 and
          csv.text().startswith("\ufeffProvincie;Datum;Gemeenten gedekt;Gemeenten;") and
          "\r\nLimburg;30/06/2023;2;42;5;31/12/2023;3;42;7;1;1;100;1;1;100\r\n" in csv.text(), csv.text()[:600])


def check_link_and_errors(anon):
    overview = anon.get("/?date=2023-06-30&prognosis=2023-12-31").text()
    check("the overview links to the answer with its dates",
          '<a href="/answer?date=2023-06-30&amp;prognosis=2023-12-31">Antwoord aan het parlement</a>' in overview)
    r = anon.get("/answer?date=2023-06-30&prognosis=2023-01-01")
    check("a prognosis before the date is a 400", r.status == 400, r.status)
    check("saying which day to change", "kies bij 'Prognose op' dezelfde of een latere dag" in r.text())
    r = anon.get("/answer?%s&format=pdf" % DATES)
    check("an unknown format is a 400", r.status == 400, r.status)
    check("naming the formats", "De parameter format moet html, docx, md, csv of xlsx zijn." in r.text())
    check("a bad date is a 400", anon.get("/answer?date=2023-02-30&prognosis=2023-12-31").status == 400)
    r = anon.get("/answer?%s&as_known_at=2000-01-01" % DATES)
    check("as known at a moment before any data: an empty register", r.status == 200 and
          '<th scope="row">Limburg</th><td class="num">0/' in r.text(), r.status)


def check_publish_button(server, anon):
    """Issue 10: 'a button on the answer page for vdab and admin users' publishes its table."""
    vdab = Client(port=server.port)
    vdab.login("answer-vdab")
    page = vdab.get("/answer?" + DATES).text()
    check("a vdab user gets the publish button with the page's dates",
          '<a class="button" href="/editions/new?date=2023-06-30&amp;prognosis=2023-12-31">Publiceren</a>' in page)
    check("and the form it opens takes those dates", vdab.get("/editions/new?" + DATES).status == 200)
    check("not as known at an earlier moment (an edition freezes what is known now)",
          "Publiceren" not in vdab.get("/answer?%s&as_known_at=2000-01-01" % DATES).text())
    local = Client(port=server.port)
    local.login("answer-local")
    check("a local user gets no button", "/editions/new" not in local.get("/answer?" + DATES).text())
    check("nor does an anonymous reader", "/editions/new" not in anon.get("/answer?" + DATES).text())


def run(server):
    anon = Client(port=server.port)
    check_publish_button(server, anon)
    check_page(anon)
    check_docx(anon)
    check_link_and_errors(anon)


def main():
    require_env("test_answer", "SOMON", "SOMON_DB", "SOMON_TMP")
    return run_own_server(check, "answer", run, prepare, db=os.path.join(TMP, "answer.db"))


if __name__ == "__main__":
    sys.exit(main())
