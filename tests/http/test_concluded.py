#!/usr/bin/python3
"""/concluded: the agreements concluded (signed_on) in a period, per province
and municipality, over HTTP (issue 10, the first half of question 1 of seed
004), and the link to it from the "afgesloten tussen" filter of /agreements.

On a server of its own (a copy of the suite's database) with
tests/cli/fixtures/concluded.json imported: 1/1/2021 .. 30/06/2023 holds the
agreements signed on the first and on the last day, not those of the days
around them nor one whose signed_on is unknown (figures as in
tests/cli/test_concluded.sh).

Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import REPO, TMP, Checks, Client, require_env, run_own_server, somon  # noqa: E402

check = Checks(detail_width=300)
PERIOD = "from=2021-01-01&to=2023-06-30"


def prepare(db):
    r = somon("--actor", "tester", "import", os.path.join(REPO, "tests/cli/fixtures/concluded.json"), db=db)
    assert r.returncode == 0, r.stderr


def run(server):
    anon = Client(port=server.port)
    r = anon.get("/concluded?" + PERIOD)
    page = r.text()
    check("the page answers", r.status == 200, r.status)
    check("its heading names the period", "Overeenkomsten afgesloten van 01/01/2021 tot en met 30/06/2023" in page)
    for ag in ("SO-T-C-FIRSTDAY", "SO-T-C-LASTDAY", "SO-T-C-ORG"):
        check("lists " + ag, 'href="/agreements/%s' % ag in page)
    for ag in ("SO-T-C-BEFORE", "SO-T-C-AFTER", "SO-T-C-UNKNOWN"):
        check("leaves out " + ag, ag not in page)
    check("names municipalities, linked", '<a href="/municipalities/46013">Kruibeke</a>' in page)
    check("with the party's begin (its council's approval)", "<td>12/04/2021</td>" in page)
    check("a signed agreement without start is marked", "ondertekend, begindatum onbekend" in page)
    check("an agreement of an association alone says so", "geen gemeente als partij" in page)

    csv = anon.get("/concluded?%s&province=Oost-Vlaanderen&format=csv" % PERIOD).text().split("\r\n")[:-1]
    check("CSV of one province: three rows", len(csv) == 4, csv)
    check("CSV columns, in Dutch for Excel",
          csv[0] == "\ufeffProvincie;NIS;Gemeente;Overeenkomst;Titel;Soort;Ondertekend op;Begin;Einde;Status", csv[0])
    r = anon.get("/concluded?%s&format=xlsx" % PERIOD)
    path = os.path.join(TMP, "concluded.xlsx")
    with open(path, "wb") as f:
        f.write(r.body)
    read = subprocess.run(["/usr/bin/python3", "-c", "import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1]).active;"
                           " print(ws.max_row - 1)", path], capture_output=True, text=True)
    check("XLSX opens with four rows", read.stdout.strip() == "4", read.stdout + read.stderr)

    r = anon.get("/concluded?from=2023-06-30&to=2021-01-01")
    check("a reversed period is a 400", r.status == 400, r.status)
    check("saying which day to change", "kies bij 'vanaf' de vroegste dag" in r.text())
    check("a bad province is a 400", anon.get("/concluded?%s&province=Brabant" % PERIOD).status == 400)
    check("a bad date is a 400", anon.get("/concluded?from=2021-13-01&to=2023-06-30").status == 400)

    lst = anon.get("/agreements?signed_from=2021-01-01&signed_to=2023-06-30").text()
    check("/agreements with 'afgesloten tussen' links to the list per province and municipality",
          'href="/concluded?from=2021-01-01&amp;to=2023-06-30"' in lst)


def main():
    require_env("test_concluded", "SOMON", "SOMON_DB", "SOMON_TMP")
    return run_own_server(check, "concluded", run, prepare)


if __name__ == "__main__":
    sys.exit(main())
