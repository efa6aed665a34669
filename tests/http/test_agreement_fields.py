#!/usr/bin/python3
"""Agreement kind, signed_on and predecessor, and the council decisions of a
party (SPEC §5, 2026-12; issue 9), over HTTP.

On a server of its own (a copy of the suite's database) the agreements of
tests/cli/fixtures/agreement_fields.json are imported. The pages link the
2026 agreement to the 2020 one it follows up and back; /agreements filters
on "afgesloten tussen" (signed_on in a period), in the page, its links and
its CSV download; a vdab account of Antwerpen sets kind, signed_on and
predecessor through the fields form, and a council decision with its link
through the party form; every refusal lands beside its field.

Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import (run_own_server, people_csv, PASSWORD, REPO, Checks, Client, form_fields, require_env,  # noqa: E402
                        somon, value_of, with_values)

OLD, NEW, GEEL = "SO-T-FIELDS-2020", "SO-T-FIELDS-2026", "SO-T-FIELDS-GEEL"
check = Checks(detail_width=300)


def prepare(db):
    r = somon("--actor", "tester", "import", os.path.join(REPO, "tests/cli/fixtures/agreement_fields.json"), db=db)
    assert r.returncode == 0, r.stderr
    r = somon("user", "add", "fields-vdab", "--role", "vdab", "--scope", "Antwerpen", stdin=PASSWORD + "\n", db=db)
    assert r.returncode == 0, r.stderr


def changes(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM change").fetchone()[0]
    finally:
        con.close()


def found(client, query):
    page = client.get("/agreements?" + query).text()
    m = re.search(r"(\d+) overeenkomst(?:en)? gevonden", page)
    return int(m.group(1)) if m else None, page


def csv_ids(client, query):
    r = client.get("/agreements?" + query + "&format=csv")
    rows = people_csv(r.text())
    return sorted(row["ID"] for row in rows), rows


def main():
    require_env("test_agreement_fields", "SOMON", "SOMON_DB", "SOMON_TMP")
    return run_own_server(check, "agreement_fields", run, prepare)


def run(server):
    anon = Client(port=server.port)

    # The pages link both ways.
    new = anon.get("/agreements/" + NEW).text()
    check("the 2026 agreement says whom it follows up",
          re.search(r'volgt op <a href="/agreements/%s[^"]*">Cluster Zuiderkempen 2020-2025' % OLD, new) is not None,
          new[:200])
    old = anon.get("/agreements/" + OLD).text()
    check("the 2020 agreement says who follows it up",
          re.search(r'opgevolgd door <a href="/agreements/%s[^"]*">Cluster Zuiderkempen 2026-2031' % NEW, old)
          is not None)
    check("kind and signed on shown", "<dt>Soort</dt><dd>cluster</dd>" in old and
          "<dt>Ondertekend op</dt><dd>22/12/2020</dd>" in old)
    check("Zandhoven's decisions shown with their link",
          "gemeenteraad 21/12/2020: Punt 12: samenwerkingsovereenkomst VDAB (testgegeven) "
          '<a href="https://zandhoven.lokaalbeslist.be/besluit/testgegeven-1" rel="noopener noreferrer">besluit</a>'
          in old)
    check("the OCMW-raad too", "OCMW-raad 21/12/2020: Punt 3 (testgegeven)" in old)
    check("a refusal marked", "gemeenteraad 16/11/2020 (niet goedgekeurd)" in old)
    r = anon.get("/agreements/%s?format=csv" % OLD)
    rows = people_csv(r.text())
    zandhoven = [x for x in rows if x.get("Partij") == "11054"]
    check("the party download has the decisions", zandhoven and zandhoven[0]["Beslissingen"].startswith(
        "gemeenteraad 21/12/2020, Punt 12"), rows[:3])

    # "Afgesloten in": signed_on in a period.
    n, page = found(anon, "signed_from=2020-01-01&signed_to=2020-12-31")
    check("afgesloten in 2020: one", n == 1, n)
    check("the filter stays in the form", 'name="signed_from" value="2020-01-01"' in page and
          'name="signed_to" value="2020-12-31"' in page)
    check("the page's download links keep it", "signed_from=2020-01-01&amp;signed_to=2020-12-31&amp;format=csv" in page
          and "signed_from=2020-01-01&amp;signed_to=2020-12-31&amp;format=xlsx" in page)
    ids, rows = csv_ids(anon, "signed_from=2020-01-01&signed_to=2020-12-31")
    check("the CSV download keeps the filter", ids == [OLD], ids)
    check("and has kind and signed_on", rows and (rows[0]["Soort"], rows[0]["Ondertekend op"]) == ("cluster", "22/12/2020"),
          rows[:1])
    n, _ = found(anon, "signed_from=2020-01-01")
    check("from 2020 on: two", n == 2, n)
    n, _ = found(anon, "signed_to=2020-12-21")
    check("up to the day before the 2020 signature: none of the fixture", n == 0, n)
    n, _ = found(anon, "signed_from=2021-01-01&signed_to=2023-06-30")
    check("in 2021, 2022 and the first half of 2023: none yet", n == 0, n)
    r = anon.get("/agreements?signed_from=2021-02-30")
    check("an impossible day is a 400", r.status == 400, r.status)
    n, _ = found(anon, "signed_from=2020-01-01&from=2026-06-30&to=2026-06-30")
    check("with 'van kracht' on 30/06/2026 as well: the 2026 one", n == 1, n)

    # The fields form, as vdab.
    vdab = Client(port=server.port)
    check("the vdab account signs in", vdab.login("fields-vdab").status == 303)
    edit = vdab.get("/agreements/%s/edit" % GEEL).text()
    fields = form_fields(edit, "/agreements/" + GEEL)
    names = [k for k, _ in fields]
    check("the form has kind, signed_on and predecessor", {"kind", "signed_on", "predecessor"} <= set(names), names)
    check("the predecessor choices name the agreements", '<option value="%s">' % OLD in edit)
    check("but not itself", '<option value="%s">' % GEEL not in edit)
    n0 = changes(server.db)
    r = vdab.post("/agreements/" + GEEL, with_values(fields, {"kind": "stad"}))
    check("an unknown kind: refused", r.status == 422 and "kan niet" in r.text(), r.status)
    r = vdab.post("/agreements/" + GEEL, with_values(fields, {"predecessor": GEEL}))
    check("itself as predecessor: refused", r.status == 422 and "dit is de overeenkomst zelf" in r.text(), r.status)
    r = vdab.post("/agreements/" + GEEL, with_values(fields, {"signed_on": "15 maart"}))
    check("signed_on not a date: refused", r.status == 422 and "geen datum" in r.text(), r.status)
    check("nothing written by the refusals", changes(server.db) == n0)
    r = vdab.post("/agreements/" + GEEL, with_values(fields, {"kind": "centrumstad", "signed_on": "2022-03-15",
                                                              "predecessor": OLD}))
    check("the save", r.status == 303, (r.status, r.text()[:300]))
    check("one change", changes(server.db) == n0 + 1)
    page = vdab.get("/agreements/" + GEEL).text()
    check("the page shows what was saved", "<dt>Soort</dt><dd>centrumstad</dd>" in page and
          "<dt>Ondertekend op</dt><dd>15/03/2022</dd>" in page and "volgt op <a" in page)
    old = anon.get("/agreements/" + OLD).text()
    check("the 2020 agreement now names both followers",
          "/agreements/%s" % NEW in old and "/agreements/%s" % GEEL in old.split("opgevolgd door", 1)[-1])
    n, _ = found(anon, "signed_from=2021-01-01&signed_to=2023-06-30")
    check("in 2021, 2022 and the first half of 2023: one now", n == 1, n)
    # a cycle through the form: the 2020 one following up its own follower
    f20 = form_fields(vdab.get("/agreements/%s/edit" % OLD).text(), "/agreements/" + OLD)
    r = vdab.post("/agreements/" + OLD, with_values(f20, {"predecessor": GEEL}))
    check("a cycle: refused", r.status == 422 and "volgt deze overeenkomst al op" in r.text(), r.status)
    h = vdab.get("/history?agreement=" + GEEL).text()
    check("the history names the fields", "soort" in h and "ondertekend op" in h and "volgt op" in h)

    # A council decision through the party form.
    action = "/agreements/%s/parties/1" % GEEL
    pf = form_fields(vdab.get(action + "/edit").text(), action)
    pnames = [k for k, _ in pf]
    check("the party form has decision rows", "parties[1].decisions[0].url" in pnames, pnames)
    n1 = changes(server.db)
    r = vdab.post(action, with_values(pf, {"parties[1].decisions[0].body": "gemeenteraad",
                                           "parties[1].decisions[0].on": "2022-02-21",
                                           "parties[1].decisions[0].url": "javascript:alert(1)"}))
    check("a non-http link: refused", r.status == 422 and "geen webadres" in r.text(), r.status)
    check("nothing written", changes(server.db) == n1)
    r = vdab.post(action, with_values(pf, {"parties[1].decisions[0].body": "gemeenteraad",
                                           "parties[1].decisions[0].on": "2022-02-21",
                                           "parties[1].decisions[0].agenda_point": "Punt 7 <b>",
                                           "parties[1].decisions[0].url": "https://geel.lokaalbeslist.be/b/1?x=1&y=2",
                                           "parties[1].decisions[1].body": "ocmw_raad",
                                           "parties[1].decisions[1].on": "2022-02-22"}))
    check("the decisions saved", r.status == 303, (r.status, r.text()[:400]))
    page = anon.get("/agreements/" + GEEL).text()
    check("shown escaped, with the link", "gemeenteraad 21/02/2022: Punt 7 &lt;b&gt; "
          '<a href="https://geel.lokaalbeslist.be/b/1?x=1&amp;y=2" rel="noopener noreferrer">besluit</a>' in page)
    check("approved_on taken from the latest approving decision", "<td>22/02/2022<ul class=\"decisions\">" in page)
    pf = form_fields(vdab.get(action + "/edit").text(), action)
    check("the form shows the decisions and the derived day",
          (value_of(pf, "parties[1].decisions[1].body"), value_of(pf, "parties[1].approved_on")) ==
          ("ocmw_raad", "2022-02-22"))
    n2 = changes(server.db)
    r = vdab.post(action, with_values(pf, {"parties[1].approved_on": "2022-01-10"}))
    check("an approval day the decisions contradict: refused", r.status == 422, r.status)
    check("naming the day of the latest approving decision",
          "verschilt van de laatste goedkeurende beslissing (22/02/2022)" in r.text())
    check("nothing written", changes(server.db) == n2)


if __name__ == "__main__":
    sys.exit(main())
