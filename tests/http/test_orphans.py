#!/usr/bin/python3
"""No evaluation or meeting is left without its action or body (issue 9), over HTTP.

The export carries evaluations inside their action and meetings inside their
body, so one that its agreement no longer has would be in no export. On a
server of its own (a copy of the suite's database), SO-T-FOLLOWUP of
tests/cli/fixtures/followup.json is imported: action 1.1 with evaluations for
2021 and 2022, body Stuurgroep with three meetings. Through the forms, as a
browser posts them:

- the governance form refuses to remove Stuurgroep, with a Dutch message beside
  its "verwijderen" box, the input kept, nothing written and the export as
  before; removing the body without meetings, renaming Stuurgroep (its uid
  keeps its meetings) and removing it while a new body takes over its name
  are saved, and the export still has every meeting;
- the action plan form refuses a post without action 1.1, and renumbering it
  keeps its evaluations;
- meetings and evaluations left behind by a database from before (made here
  with SQL) are named on /alerts, and adding the body back in the governance
  form under its last name takes them back into the export.

Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import json
import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import (run_own_server, PASSWORD, REPO, Checks, Client, require_env, somon,  # noqa: E402
                        value_of, with_values)

AG = "SO-T-FOLLOWUP"
GOV_EDIT, GOV = "/agreements/%s/governance/edit" % AG, "/agreements/%s/governance" % AG
PLAN_EDIT, PLAN = "/agreements/%s/plan/edit" % AG, "/agreements/%s/plan" % AG

check = Checks(detail_width=400)
DB = [None]


def prepare(db):
    DB[0] = db
    r = somon("--actor", "tester", "import", os.path.join(REPO, "tests/cli/fixtures/followup.json"), db=db)
    assert r.returncode == 0, r.stderr
    r = somon("user", "add", "orphan-admin", "--role", "admin", stdin=PASSWORD + "\n", db=db)
    assert r.returncode == 0, r.stderr


def sql(query, *args):
    return sql_together((query, args))


def sql_together(*statements):
    """(query, args) pairs in one transaction: the rows of the last."""
    con = sqlite3.connect(DB[0])
    try:
        rows = [con.execute(query, args).fetchall() for query, args in statements][-1]
        con.commit()
        return rows
    finally:
        con.close()


def last_change():
    return sql("SELECT max(id) FROM change")[0][0]


def exported():
    r = somon("export", db=DB[0])
    assert r.returncode == 0, r.stderr
    return [a for a in json.loads(r.stdout)["agreements"] if a["id"] == AG][0], r.stdout, r.stderr


def meetings_by_body():
    a = exported()[0]
    return {g["body"]: len(g["meetings"]) for g in a["governance"]}


def evaluations_by_action():
    a = exported()[0]
    return {x["number"]: [e["year"] for e in x["evaluations"]]
            for t in a["action_plan"] for d in t["domains"] for x in d["actions"]}


def error_beside(html, field):
    """The message the page shows beside the input named field (its aria-describedby)."""
    m = re.search(r'<input[^>]*name="%s"[^>]*aria-describedby="([^"]+)"' % re.escape(field), html) or \
        re.search(r'<input[^>]*aria-describedby="([^"]+)"[^>]*name="%s"' % re.escape(field), html)
    if not m:
        return None
    e = re.search(r'id="%s"[^>]*>([^<]*)<' % re.escape(m.group(1)), html)
    return e.group(1) if e else None


def checked(html, field):
    return re.search(r'<input[^>]*name="%s"[^>]*checked' % re.escape(field), html) is not None


def run(server):
    admin = Client(port=server.port)
    check("sign in", admin.login("orphan-admin").status == 303)
    check("to start: three meetings of Stuurgroep", meetings_by_body() == {"Stuurgroep": 3, "Operationeel overleg": 0},
          meetings_by_body())

    # Removing a body with meetings: refused beside its box, input kept, nothing written.
    _, export_before, _ = exported()
    before = last_change()
    form = admin.form(GOV_EDIT, GOV)
    r = admin.post(GOV, with_values(form, {"governance[0].remove": "1", "governance[0].convener": "Stad Antwerpen"}))
    html = r.text()
    check("removing Stuurgroep is refused", r.status == 422, r.status)
    message = error_beside(html, "governance[0].remove") or ""
    check("the message beside the box says why and what to do",
          "3 geregistreerde vergaderingen" in message and "andere naam" in message, message or html[:3000])
    check("the box stays ticked", checked(html, "governance[0].remove"))
    check("the other input stays", 'value="Stad Antwerpen"' in html)
    check("nothing written", last_change() == before, (before, last_change()))
    check("the export is as before", exported()[1] == export_before)

    # A body without meetings may go.
    form = admin.form(GOV_EDIT, GOV)
    r = admin.post(GOV, with_values(form, {"governance[1].remove": "1"}))
    check("removing the body without meetings is saved", r.status == 303, (r.status, r.text()[:2000]))
    check("its meetings are where they were", meetings_by_body() == {"Stuurgroep": 3}, meetings_by_body())

    # Renaming keeps the meetings (the form carries the body's uid).
    form = admin.form(GOV_EDIT, GOV)
    r = admin.post(GOV, with_values(form, {"governance[0].body": "Stuurgroep Jobbeurs"}))
    check("renaming Stuurgroep is saved", r.status == 303, (r.status, r.text()[:2000]))
    check("the meetings follow the new name", meetings_by_body() == {"Stuurgroep Jobbeurs": 3}, meetings_by_body())

    # Removed while a new body takes over its name: the new body has its meetings.
    form = admin.form(GOV_EDIT, GOV)
    r = admin.post(GOV, with_values(form, {"governance[0].remove": "1", "governance[1].body": "Stuurgroep Jobbeurs",
                                          "governance[1].convener": "VDAB"}))
    check("removed and added again under the same name is saved", r.status == 303, (r.status, r.text()[:2000]))
    check("the meetings stay with the name", meetings_by_body() == {"Stuurgroep Jobbeurs": 3}, meetings_by_body())

    # The action plan: an action is never removed, and renumbering keeps its evaluations.
    before = last_change()
    form = admin.form(PLAN_EDIT, PLAN)
    without = [(n, v) for n, v in form if not n.startswith("action_plan[0].domains[0].actions[0].")]
    r = admin.post(PLAN, without)
    check("a plan without action 1.1 is refused", r.status == 422, r.status)
    check("it names the action", "actie 1.1 (Jobbeurs) ontbreekt" in r.text(), r.text()[:3000])
    check("nothing written", last_change() == before)
    form = admin.form(PLAN_EDIT, PLAN)
    r = admin.post(PLAN, with_values(form, {"action_plan[0].domains[0].actions[0].number": "1.9"}))
    check("renumbering 1.1 is saved", r.status == 303, (r.status, r.text()[:2000]))
    check("its evaluations follow the new number", evaluations_by_action() == {"1.2": [], "1.9": [2021, 2022]},
          evaluations_by_action())

    # A database from before: meetings of a body, evaluations of an action the agreement no longer has.
    form = admin.form(GOV_EDIT, GOV)
    r = admin.post(GOV, with_values(form, {"governance[1].body": "Oud overleg"}))
    check("add body Oud overleg", r.status == 303, r.status)
    form = admin.form(GOV_EDIT, GOV)
    r = admin.post(GOV, with_values(form, {"governance[1].remove": "1"}))
    check("and remove it again (no meetings yet)", r.status == 303, r.status)
    # written as a change, as every write is: the server keeps what it derives from the register per change.
    # One commit: the server reads each new change ahead in the background, and when it read this change
    # between two commits, it kept the change without its meeting (a make check under load, fourth round)
    sql_together(("INSERT INTO change(moment, actor, action) VALUES (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z',"
                  " 'test', 'import')", ()),
                 ("INSERT INTO meeting(mid, agreement, body_uid, held_on, state, rec_from)"
                  " SELECT (SELECT max(mid) + 1 FROM meeting), ?, g.uid, '2022-05-05', 'held', (SELECT max(id) FROM change)"
                  " FROM governance_body g WHERE g.body = 'Oud overleg' LIMIT 1", (AG,)))
    _, _, err = exported()
    check("export warns", "1 meeting(s) of body 'Oud overleg', which the agreement no longer has" in err, err)
    page = Client(port=server.port).get("/alerts?date=2024-01-01").text()
    check("/alerts names them", "vergaderingen van een vroeger overlegorgaan" in page and
          "1 vergadering van een vroeger overlegorgaan (Oud overleg) zit in geen export" in page, page[-4000:])
    check("with a link to the governance form", 'href="/agreements/SO-T-FOLLOWUP/governance/edit"' in page)
    page = Client(port=server.port).get("/agreements/%s" % AG).text()
    check("the agreement page still lists them, with the fix", "Een vroeger overlegorgaan" in page and
          "Voeg 'Oud overleg' opnieuw toe als overlegorgaan" in page, page[-6000:])

    # The fix: add the body again under its last name.
    form = admin.form(GOV_EDIT, GOV)
    r = admin.post(GOV, with_values(form, {"governance[1].body": "Oud overleg"}))
    check("add Oud overleg again", r.status == 303, (r.status, r.text()[:2000]))
    check("it has its meeting back", meetings_by_body() == {"Stuurgroep Jobbeurs": 3, "Oud overleg": 1},
          meetings_by_body())
    _, _, err = exported()
    check("no warning any more", err == "", err)
    page = Client(port=server.port).get("/alerts?date=2024-01-01").text()
    check("no alert any more", "vroeger overlegorgaan" not in page)


def main():
    require_env("test_orphans", "SOMON", "SOMON_DB", "SOMON_TMP")
    return run_own_server(check, "orphans", run, prepare)


if __name__ == "__main__":
    sys.exit(main())
