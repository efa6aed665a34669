#!/usr/bin/python3
"""The yearly evaluations and the meetings in the exchange format and the
JSON API (SPEC §5, issue 9), over HTTP.

On a server of its own (a copy of the suite's database), the agreement of
tests/cli/fixtures/followup.json is imported with its evaluations and
meetings. /api/v1/agreements/{id} gives the same JSON as `somon export`:
to a signed-in viewer exactly the export's object, names included; to an
anonymous reader the same without the names of people (members, attendees)
and without who evaluated, the functions and the decisions staying. Then an
administrator records a meeting and an evaluation through the forms, as a
browser would: the export carries them, and export → import into an empty
database → export gives the same bytes.

Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import json
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import (run_own_server, PASSWORD, REPO, TMP, Checks, Client, form_fields, require_env,  # noqa: E402
                        somon, with_values)

AG = "SO-T-FOLLOWUP"
NAMES = ("An Peeters", "Jan Gast")
check = Checks(detail_width=300)


def prepare(db):
    r = somon("--actor", "tester", "import", os.path.join(REPO, "tests/cli/fixtures/followup.json"), db=db)
    assert r.returncode == 0, r.stderr
    for login, role in (("fu-viewer", "viewer"), ("fu-admin", "admin")):
        r = somon("user", "add", login, "--role", role, stdin=PASSWORD + "\n", db=db)
        assert r.returncode == 0, r.stderr


def exported(db, path):
    r = somon("export", path, db=db)
    assert r.returncode == 0, r.stderr
    with open(path, encoding="utf-8") as f:
        return [a for a in json.load(f)["agreements"] if a["id"] == AG][0]


def people_free(agreement):
    """Every name of a person in the agreement, which must all be null."""
    names = [m["name"] for b in agreement["governance"] for m in b["members"]]
    names += [x["name"] for b in agreement["governance"] for m in b["meetings"] for x in m["attendees"]]
    names += [e["evaluated_by"] for t in agreement["action_plan"] for d in t["domains"] for x in d["actions"]
              for e in x["evaluations"]]
    names += [s["name"] for p in agreement["parties"] for s in p["signatories"]]
    return names


def main():
    require_env("test_export_followup", "SOMON", "SOMON_DB", "SOMON_TMP")
    return run_own_server(check, "export-followup", run, prepare)


def run(server):
    export = exported(server.db, os.path.join(TMP, "followup-1.json"))
    ms = export["governance"][0]["meetings"]
    check("the export has the meetings and their attendees",
          [m["held_on"] for m in ms] == ["2022-10-04", "2022-10-04", "2023-03-14"]
          and [x["name"] for x in ms[2]["attendees"]] == list(NAMES), ms)

    viewer = Client(port=server.port)
    check("the viewer signs in", viewer.login("fu-viewer").status == 303)
    r = viewer.get("/api/v1/agreements/" + AG)
    check("a viewer gets the agreement", r.status == 200, r.status)
    check("exactly the export's JSON, names included", json.loads(r.text()) == export,
          r.text()[:300])

    anon = Client(port=server.port)
    r = anon.get("/api/v1/agreements/" + AG)
    check("an anonymous reader gets the agreement", r.status == 200, r.status)
    text = r.text()
    for name in NAMES + ("Stuurgroep van 14/03/2023",):
        check("no '%s' anywhere in the anonymous answer" % name, name not in text)
    api = json.loads(text)
    check("every name of a person is null", set(people_free(api)) <= {None}, people_free(api))
    am = api["governance"][0]["meetings"]
    check("the meetings are there, with decisions and the link",
          (am[2]["decisions"], am[2]["minutes_url"]) == (ms[2]["decisions"], ms[2]["minutes_url"]), am)
    check("attendees keep function, organisation and guest",
          [(x["function"], x["organisation"], x["guest"]) for x in am[2]["attendees"]]
          == [("clustermanager", "VDAB", False), (None, "OCMW", True)], am[2]["attendees"])
    evs = api["action_plan"][0]["domains"][0]["actions"][0]["evaluations"]
    check("the evaluations are there", [(e["year"], e["status"], e["figures"]) for e in evs]
          == [(2021, "not_started", None), (2022, "ongoing", "120 bezoekers")], evs)
    # the rest equals the export once the names are taken out
    redacted = json.loads(json.dumps(export))
    for b in redacted["governance"]:
        for m in b["members"]:
            m["name"] = None
        for m in b["meetings"]:
            for x in m["attendees"]:
                x["name"] = None
    for t in redacted["action_plan"]:
        for d in t["domains"]:
            for x in d["actions"]:
                for e in x["evaluations"]:
                    e["evaluated_by"] = None
    for p in redacted["parties"]:
        for s in p["signatories"]:
            s["name"] = None
    check("and the rest is the export's", api == redacted)
    r = anon.get("/api/v1/agreements/%s?as_known_at=2001-01-01T00:00:00Z" % AG)
    check("as known before the import: not found", r.status == 404, r.status)

    # Meetings and evaluations recorded through the forms are exported.
    admin = Client(port=server.port)
    check("the administrator signs in", admin.login("fu-admin").status == 303)
    base = "/agreements/" + AG
    page = admin.get(base).text()
    start = page.find(base + "/meetings/new?body=")
    check("the agreement page offers a new meeting", start >= 0)
    new_url = page[start:page.find('"', start)].replace("&amp;", "&")
    fields = form_fields(admin.get(new_url).text(), base + "/meetings")
    check("the meeting form opens", any(n == "held_on" for n, _ in fields), fields)
    r = admin.post(base + "/meetings", with_values(fields, {
        "held_on": "2024-02-20", "state": "held", "decisions": "Via het formulier",
        "minutes_url": "https://example.org/verslag-2024", "attendees[0].present": "1",
        "guests[0].name": "Gast Formulier", "guests[0].function": "adviseur"}))
    check("the meeting is saved", r.status == 303, (r.status, r.text()[:500]))
    ev_url = base + "/evaluations/edit?year=2024"
    fields = form_fields(admin.get(ev_url).text(), base + "/evaluations")
    uids = [v for n, v in fields if n.endswith(".uid")]
    check("the evaluation form lists both actions", len(uids) == 2, fields)
    r = admin.post(base + "/evaluations", with_values(fields, {
        "actions[1].status": "achieved", "actions[1].result": "Alle huisbezoeken gedaan",
        "actions[1].figures": "12 huisbezoeken", "evaluated_by": "Stuurgroep 2025"}))
    check("the evaluation is saved", r.status == 303, (r.status, r.text()[:500]))

    # What the forms take, the import takes: a line break in a one-line field
    # (a pasted or hand-made POST) would be exported and then refused.
    fields = form_fields(admin.get(base + "/evaluations/edit?year=2023").text(), base + "/evaluations")
    r = admin.post(base + "/evaluations", with_values(fields, {"actions[1].status": "ongoing",
                                                               "actions[1].figures": "12\nhuisbezoeken"}))
    check("figures with a line break are refused", r.status == 422, r.status)
    r = admin.post(base + "/evaluations", with_values(fields, {"actions[1].status": "ongoing",
                                                               "evaluated_by": "An\tPeeters"}))
    check("who evaluated with a tab is refused", r.status == 422, r.status)
    fields = form_fields(admin.get(new_url).text(), base + "/meetings")
    r = admin.post(base + "/meetings", with_values(fields, {"held_on": "2024-03-20", "state": "held",
                                                           "guests[0].name": "Gast\nTwee regels"}))
    check("a guest's name with a line break is refused", r.status == 422, r.status)
    r = admin.post(base + "/meetings", with_values(fields, {"held_on": "2024-03-20", "state": "held",
                                                           "guests[0].function": "a" * 301}))
    check("a guest's function over 300 characters is refused", r.status == 422, r.status)

    second = exported(server.db, os.path.join(TMP, "followup-2.json"))
    m = second["governance"][0]["meetings"][-1]
    check("the export has the form's meeting",
          (m["held_on"], m["state"], m["decisions"], m["minutes_url"]) ==
          ("2024-02-20", "held", "Via het formulier", "https://example.org/verslag-2024"), m)
    check("with its attendees: the member and the guest",
          [(x["name"], x["function"], x["guest"]) for x in m["attendees"]] ==
          [("An Peeters", "clustermanager", False), ("Gast Formulier", "adviseur", True)], m["attendees"])
    form_evs = [e for t in second["action_plan"] for d in t["domains"] for x in d["actions"] for e in x["evaluations"]
                if e["year"] == 2024]
    check("the export has the form's evaluation",
          [(e["status"], e["result"], e["figures"], e["evaluated_by"]) for e in form_evs] ==
          [("achieved", "Alle huisbezoeken gedaan", "12 huisbezoeken", "Stuurgroep 2025")], form_evs)

    whole = os.path.join(TMP, "followup-whole.json")
    r = somon("export", whole, db=server.db)
    check("the whole register exports", r.returncode == 0, r.stderr)
    empty = os.path.join(TMP, "followup-empty.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(empty + suffix):
            os.remove(empty + suffix)
    r = somon("init", db=empty)
    check("an empty database", r.returncode == 0, r.stderr)
    r = somon("--actor", "tester", "import", whole, db=empty)
    check("takes the export", r.returncode == 0, r.stderr)
    again = os.path.join(TMP, "followup-again.json")
    r = somon("export", again, db=empty)
    with open(whole, "rb") as f1, open(again, "rb") as f2:
        check("and exports the same bytes", r.returncode == 0 and f1.read() == f2.read())
    r = somon("--actor", "tester", "import", whole, db=empty)
    check("re-importing records nothing", r.returncode == 0 and "0 replaced" in r.stdout
          and "0 evaluation(s)/meeting(s) written" in r.stdout, r.stdout)


if __name__ == "__main__":
    sys.exit(main())
