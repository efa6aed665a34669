#!/usr/bin/python3
"""A party that leaves, leaves alone (SPEC §3, issue 9), over HTTP.

On a server of its own (a copy of the suite's database), the cluster of seven
of tests/cli/fixtures/leaving.json is imported as signed, nobody having left.
A vdab account of Antwerpen then records through the form "partij treedt uit"
that Zandhoven (11054, party 6) leaves on 30/06/2023 with a reason: one change
by that account; the agreement page shows it; coverage on 01/07/2023 loses
exactly Zandhoven (the API's coverage table and its municipality list), and
30/06/2023 keeps it. A save of the form's old version is refused as stale,
an empty or impossible date beside its field; a local account of a party and
an anonymous reader never reach the form.

Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import json
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import (run_own_server, PASSWORD, REPO, TMP, Checks, Client, form_fields, require_env,  # noqa: E402
                        somon, value_of, with_values)

AG = "SO-T-LEAVING"
LEAVER = 6  # the index of Zandhoven (11054) among the parties
FORM = "/agreements/%s/parties/%d/leave" % (AG, LEAVER)
REASON = "Opgezegd bij gemeenteraadsbesluit van 27 maart 2023 <b>&</b> “test”"

check = Checks(detail_width=300)


def prepare(db):
    """The cluster as signed (no until, no reason) and the accounts, on db."""
    with open(os.path.join(REPO, "tests/cli/fixtures/leaving.json"), encoding="utf-8") as f:
        doc = json.load(f)
    for p in doc["agreements"][0]["parties"]:
        p.pop("until", None)
        p.pop("left_reason", None)
    path = os.path.join(TMP, "leaving-v1.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
    r = somon("--actor", "tester", "import", path, db=db)
    assert r.returncode == 0, r.stderr
    for login, role, scope in (("leave-vdab", "vdab", "Antwerpen"), ("leave-local", "local", "11054")):
        r = somon("user", "add", login, "--role", role, "--scope", scope, stdin=PASSWORD + "\n", db=db)
        assert r.returncode == 0, r.stderr


def changes(db):
    import sqlite3
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM change").fetchone()[0], \
            con.execute("SELECT actor, detail FROM change ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        con.close()


def antwerpen(client, date):
    rows = json.loads(client.get("/api/v1/coverage?date=" + date).text())["rows"]
    return [r["covered"] for r in rows if r["province"] == "Antwerpen"][0]


def states(client, date):
    ms = json.loads(client.get("/api/v1/municipalities?province=Antwerpen&date=" + date).text())["municipalities"]
    return {m["nis"]: m["coverage"] for m in ms}


def main():
    require_env("test_leaving", "SOMON", "SOMON_DB", "SOMON_TMP")
    return run_own_server(check, "leaving", run, prepare)


def run(server):
    anon = Client(port=server.port)
    before_07, before_06 = antwerpen(anon, "2023-07-01"), antwerpen(anon, "2023-06-30")
    states_before = states(anon, "2023-07-01")
    check("all seven covered on 01/07/2023 before the notice",
          all(states_before[n] == "covered" for n in ("11022", "11035", "11038", "11039", "11050", "11054", "11055")),
          states_before)

    # Nobody but an editor of the agreement reaches the form.
    r = anon.get(FORM)
    check("anonymous GET is sent to sign in", r.status == 303 and "/login" in (r.header("location") or ""), r.status)
    r = anon.post(FORM, {"version": "1", "parties[6].until": "2023-06-30"})
    check("anonymous POST is forbidden", r.status == 403, r.status)
    local = Client(port=server.port)
    check("the local account signs in", local.login("leave-local").status == 303)
    r = local.get(FORM)
    check("a local account of the party gets 403 on the form", r.status == 403, r.status)
    r = local.post(FORM, {"csrf": local.csrf(), "version": "1", "parties[6].until": "2023-06-30"})
    check("and on the save", r.status == 403, r.status)
    check("the agreement page offers it no 'treedt uit'", FORM not in local.get("/agreements/" + AG).text())

    vdab = Client(port=server.port)
    check("the vdab account signs in", vdab.login("leave-vdab").status == 303)
    page = vdab.get("/agreements/" + AG).text()
    check("the agreement page offers 'treedt uit' on the party", 'href="%s"' % FORM in page)
    r = vdab.get(FORM)
    check("the form opens", r.status == 200, r.status)
    check("it names the party", "Zandhoven treedt uit" in r.text())
    fields = form_fields(r.text(), FORM)
    names = [n for n, _ in fields]
    check("it has the last day, the reason, the version and the token",
          {"parties[6].until", "parties[6].left_reason", "version", "csrf"} <= set(names), names)
    r = vdab.get("/agreements/%s/parties/99/leave" % AG)
    check("a party that does not exist is a 404", r.status == 404, r.status)
    vdab_form = "/agreements/%s/parties/0/leave" % AG
    check("VDAB's own party offers no 'treedt uit'", 'href="%s"' % vdab_form not in page)
    r = vdab.get(vdab_form)
    check("nor a form: VDAB ends an agreement by terminating it", r.status == 404 and "beëindig" in r.text(), r.status)
    r = vdab.post(vdab_form, with_values(fields, {"parties[0].until": "2023-06-30"}))
    check("nor a save", r.status == 404, r.status)

    n0, _ = changes(server.db)
    r = vdab.post(FORM, with_values(fields, {"parties[6].left_reason": REASON}))
    check("no date: refused", r.status == 422, r.status)
    check("beside the date field", "verplicht; geef de laatste dag" in r.text())
    check("what was typed stays", "Opgezegd bij gemeenteraadsbesluit van 27 maart 2023 &lt;b&gt;&amp;&lt;/b&gt;" in r.text())
    r = vdab.post(FORM, with_values(fields, {"parties[6].until": "2020-12-31", "parties[6].left_reason": REASON}))
    check("a last day before the party's first day: refused", r.status == 422, r.status)
    check("saying which first day", "ligt voor de eerste dag van de partij (01/01/2021)" in r.text())
    r = vdab.post(FORM, with_values(fields, {"parties[6].until": "30 juni"}))
    check("not a date: refused", r.status == 422 and "geen datum" in r.text(), r.status)
    check("nothing written by the refusals", changes(server.db)[0] == n0)

    r = vdab.post(FORM, with_values(fields, {"parties[6].until": "2023-06-30", "parties[6].left_reason": REASON}))
    check("the save", r.status == 303 and r.header("location") == "/agreements/" + AG, (r.status, r.text()[:300]))
    n1, last = changes(server.db)
    check("one change, by its author", n1 == n0 + 1 and last == ("leave-vdab", "partij treedt uit " + AG), last)
    page = vdab.get("/agreements/" + AG).text()
    check("the party shows as left, with the reason escaped",
          "trad uit op 30/06/2023: Opgezegd bij gemeenteraadsbesluit van 27 maart 2023 &lt;b&gt;&amp;&lt;/b&gt;" in page)
    check("its coverage ends that day", "01/01/2021 – 30/06/2023" in page)
    api = json.loads(anon.get("/api/v1/agreements/" + AG).text())
    party = api["parties"][LEAVER]
    check("the API gives until and left_reason", (party["until"], party["left_reason"]) == ("2023-06-30", REASON),
          party)
    check("and null on the others", all(p["left_reason"] is None for i, p in enumerate(api["parties"]) if i != LEAVER))
    check("the agreement is not terminated", (api["status"], api["terminated_on"]) == ("signed", None))

    # Coverage: only Zandhoven, only after its last day.
    check("01/07/2023: Antwerpen has one covered municipality less",
          antwerpen(anon, "2023-07-01") == before_07 - 1, (before_07, antwerpen(anon, "2023-07-01")))
    check("30/06/2023: unchanged", antwerpen(anon, "2023-06-30") == before_06)
    after = states(anon, "2023-07-01")
    changed = {n: (states_before[n], after[n]) for n in after if after[n] != states_before.get(n)}
    # Zandhoven is also a party of the demo's cluster agreement signed without
    # start: named, not counted (SPEC §3)
    check("only Zandhoven changed, from covered to signed without start", changed == {"11054": ("covered", "signed_no_start")},
          changed)
    check("Zandhoven covered on 30/06/2023", states(anon, "2023-06-30")["11054"] == "covered")

    # The history names the field.
    h = vdab.get("/history?agreement=" + urllib.parse.quote(AG)).text()
    check("the history names the reason", "reden van uittreden" in h, h[-2000:])

    # The form opened before the save is stale now: refused, nothing written.
    r = vdab.post(FORM, with_values(fields, {"parties[6].until": "2023-03-31", "parties[6].left_reason": "later"}))
    check("a save of the old version is refused as stale", r.status == 409, r.status)
    check("saying what changed in between", "reden van uittreden" in r.text())
    check("nothing written by the stale save", changes(server.db)[0] == n1)
    # A reopened form carries the new version and the stored values.
    fresh = form_fields(vdab.get(FORM).text(), FORM)
    check("the reopened form shows the stored day and reason",
          (value_of(fresh, "parties[6].until"), value_of(fresh, "parties[6].left_reason")) == ("2023-06-30", REASON))
    check("and a newer version", value_of(fresh, "version") != value_of(fields, "version"))
    # The party form keeps the reason through an edit of another field.
    pf = form_fields(vdab.get("/agreements/%s/parties/%d/edit" % (AG, LEAVER)).text(),
                     "/agreements/%s/parties/%d" % (AG, LEAVER))
    check("the party form shows the reason", value_of(pf, "parties[6].left_reason") == REASON)
    r = vdab.post("/agreements/%s/parties/%d" % (AG, LEAVER), with_values(pf, {"parties[6].until": ""}))
    check("clearing the day but keeping the reason is refused", r.status == 422, r.status)
    check("beside the reason", "alleen bij een partij die uittrad" in r.text())


if __name__ == "__main__":
    sys.exit(main())
