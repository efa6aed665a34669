#!/usr/bin/python3
"""Accounts, sessions and editing over HTTP (issue 4), against the server of
tests/http/run.sh, after test_http.py (which must not see these changes).

Environment (from run.sh): SOMON (the binary), SOMON_DB, SOMON_PORT,
SOMON_SERVER_ERR (the server's standard error) and SOMON_TMP.

The accounts are made with the command line (`somon user add`, with the
fast test hash) in setUpModule, as an administrator would. Requests are
made like a browser makes them: a form is read from the page that shows
it (inputs, checked boxes, selected options, textareas), changed, and
posted back with the session cookie. What "changed nothing" means is
measured in the database: the last change recorded, the accounts, and an
export of the register.

Standard library only; run with /usr/bin/python3.
"""

import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import Client, all_forms, csv_rows, form_fields, value_of, with_values  # noqa: E402

SOMON = os.environ.get("SOMON", "")
DB = os.environ.get("SOMON_DB", "")
PORT = int(os.environ.get("SOMON_PORT", "0") or 0)
SERVER_ERR = os.environ.get("SOMON_SERVER_ERR", "")
TMP = os.environ.get("SOMON_TMP", "")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

AG = "SO-MECHELEN-2021"  # directorate Antwerpen; parties VDAB and Mechelen (12025)
OTHER = "SO-SCHELDELAND-2021"  # directorate Oost-Vlaanderen; IVSES is a party
PASSWORD = "correct horse battery"

# login -> (role, scope)
ACCOUNTS = {
    "admin": ("admin", ""),
    "vdab-ant": ("vdab", "Antwerpen"),
    "vdab-all": ("vdab", "all"),
    "vdab-ovl": ("vdab", "Oost-Vlaanderen"),
    "local-mechelen": ("local", "12025"),
    "local-ivses": ("local", "IVSES"),
    "viewer": ("viewer", ""),
    "target": ("viewer", ""),  # whose account the matrix changes
}
ANONYMOUS = "anonymous"

# Who may post to each state-changing route, for agreement AG (SPEC roles).
AGREEMENT_EDITORS = {"admin", "vdab-ant", "vdab-all"}
PLAN_EDITORS = AGREEMENT_EDITORS | {"local-mechelen"}
MATRIX = {
    "/agreements": AGREEMENT_EDITORS,
    "/agreements/upload": AGREEMENT_EDITORS,  # the confirmation of a sheet's preview (vdab-ovl: 422 for Antwerpen)
    "/agreements/:id": AGREEMENT_EDITORS,
    "/agreements/:id/parties": AGREEMENT_EDITORS,
    "/agreements/:id/parties/:n": AGREEMENT_EDITORS,
    "/agreements/:id/parties/:n/remove": AGREEMENT_EDITORS,
    "/agreements/:id/parties/:n/leave": AGREEMENT_EDITORS,
    "/agreements/:id/parties/add": AGREEMENT_EDITORS,  # several parties at once (issue 11)
    "/agreements/:id/approvals": AGREEMENT_EDITORS,  # the approvals of all parties (issue 11)
    "/agreements/:id/plan": PLAN_EDITORS,
    "/agreements/:id/governance": PLAN_EDITORS,
    "/agreements/:id/notes": PLAN_EDITORS,
    "/agreements/:id/meetings": PLAN_EDITORS,
    "/agreements/:id/meetings/:n": PLAN_EDITORS,
    "/agreements/:id/meetings/:n/cancel": PLAN_EDITORS,
    "/agreements/:id/evaluations": PLAN_EDITORS,
    "/regiegebieden": AGREEMENT_EDITORS,  # (vdab-ovl may create in Oost-Vlaanderen: 422 for Antwerpen)
    "/regiegebieden/:id": AGREEMENT_EDITORS,  # RG-KINA lies in Antwerpen
    "/organisations": AGREEMENT_EDITORS | {"vdab-ovl"},  # organisations belong to no province
    "/organisations/:id": AGREEMENT_EDITORS | {"vdab-ovl"},
    "/editions": AGREEMENT_EDITORS | {"vdab-ovl"},  # every vdab account publishes (page_editions.c)
    "/cooperations": AGREEMENT_EDITORS,  # (vdab-ovl may add in Oost-Vlaanderen: 422 for Antwerpen)
    "/cooperations/:id": AGREEMENT_EDITORS,  # the matrix's cooperations lie in Antwerpen (11009)
    "/cooperations/:id/end": AGREEMENT_EDITORS,
    "/municipalities/:nis/outreach": AGREEMENT_EDITORS,
    "/accounts": {"admin"},
    "/accounts/:login": {"admin"},
    "/logout": set(ACCOUNTS) - {"target"},
}
# May create, but not in Antwerpen (AG's directorate): refused beside the field with a
# 422 (issue 8), not with a 403.
REFUSED_BESIDE_THE_FIELD = {("/agreements", "vdab-ovl"), ("/regiegebieden", "vdab-ovl"), ("/cooperations", "vdab-ovl"),
                            ("/agreements/upload", "vdab-ovl")}
# The form pages, and who may open them.
FORMS = {
    "/agreements/new": AGREEMENT_EDITORS | {"vdab-ovl"},  # vdab-ovl may create in Oost-Vlaanderen
    "/agreements/upload": AGREEMENT_EDITORS | {"vdab-ovl"},  # agreements from a sheet, in its provinces
    "/agreements/:id/edit": AGREEMENT_EDITORS,
    "/agreements/:id/parties/new": AGREEMENT_EDITORS,
    "/agreements/:id/parties/:n/edit": AGREEMENT_EDITORS,
    "/agreements/:id/parties/:n/leave": AGREEMENT_EDITORS,
    "/agreements/:id/parties/add": AGREEMENT_EDITORS,
    "/agreements/:id/approvals/edit": AGREEMENT_EDITORS,
    "/agreements/:id/plan/edit": PLAN_EDITORS,
    "/agreements/:id/governance/edit": PLAN_EDITORS,
    "/agreements/:id/notes/edit": PLAN_EDITORS,
    "/agreements/:id/meetings/new": PLAN_EDITORS,
    "/agreements/:id/meetings/:n/edit": PLAN_EDITORS,
    "/agreements/:id/evaluations/edit": PLAN_EDITORS,
    "/regiegebieden/new": AGREEMENT_EDITORS | {"vdab-ovl"},
    "/regiegebieden/:id/edit": AGREEMENT_EDITORS,
    "/organisations/new": AGREEMENT_EDITORS | {"vdab-ovl"},
    "/organisations/:id/edit": AGREEMENT_EDITORS | {"vdab-ovl"},
    "/cooperations/new": AGREEMENT_EDITORS | {"vdab-ovl"},
    "/editions/new": AGREEMENT_EDITORS | {"vdab-ovl"},
    "/cooperations/:id/edit": AGREEMENT_EDITORS,
    "/cooperations/:id/end": AGREEMENT_EDITORS,
    "/municipalities/:nis/outreach/new": AGREEMENT_EDITORS,
    "/accounts": {"admin"},
    "/mine": set(ACCOUNTS),  # every signed-in account: its own agreements (not a form, but signed-in only)
}
# Municipalities of Antwerpen, unchanged by the 2025 mergers and in no demo
# agreement, to add as parties.
FREE_NIS = ["11001", "11005", "11008", "11009", "11013", "11016", "11018", "11021", "11024", "11025", "11029",
            "11030", "11035", "11038", "11039", "11040", "11044", "11050", "11052", "11053", "11054", "11055"]


# Municipalities of Antwerpen in no demo agreement and not in FREE_NIS, added by name.
ADD_BY_NAME = [("Malle", "11057"), ("Berlaar", "12002"), ("Bonheiden", "12005"), ("Bornem", "12007"),
               ("Duffel", "12009"), ("Nijlen", "12026"), ("Putte", "12029"), ("Arendonk", "13001")]


# ---- a browser, roughly: tests/http/somon_http.py ------------------------------

def set_fields(fields, **changes):
    """A copy of fields with the values named by changes (field names with
    [ ] and . written as __ and _ would be unreadable: pass a dict)."""
    return with_values(fields, changes)


# ---- the database, read directly ---------------------------------------------

def db():
    con = sqlite3.connect("file:%s?mode=ro" % DB, uri=True, timeout=30)
    return con


def changes_and_accounts():
    """The last change's id and the accounts: the cheap part of snapshot()."""
    con = db()
    try:
        last = con.execute("SELECT max(id) FROM change").fetchone()[0]
        accounts = con.execute("SELECT login, role, scope, password_hash, disabled FROM account ORDER BY login").fetchall()
    finally:
        con.close()
    return last, accounts


def snapshot():
    """Everything a forbidden request must leave alone."""
    last, accounts = changes_and_accounts()
    # the register as export writes it, by the release build when run.sh names one
    # (SOMON_RELEASE): 700 exports under a sanitizer were a third of this file's CPU time
    export = subprocess.run([os.environ.get("SOMON_RELEASE") or SOMON, "--db", DB, "export"], capture_output=True,
                            check=True).stdout
    return last, accounts, hashlib.sha256(export).hexdigest()


def unchanged_since(after):
    """snapshot(), or after (the snapshot taken after the last request) when no change and
    no account was recorded since: an export of the register is most of a matrix step's time,
    and a write that bypassed the change log is then reported by the step that made it."""
    return after if after and changes_and_accounts() == after[:2] else snapshot()


# make tsan sets SOMON_MATRIX_EVERY=4: ThreadSanitizer looks for races between the
# server's threads, which every request of a kind exercises alike, not for a wrong
# answer to one role. There the role matrix posts every permitted save (each a new
# version of the register, read ahead by its own thread) and every refusal beside a
# field, but only every 4th plain refusal (403), rotating over the logins so that each
# route is refused at least once and each login somewhere; the CSRF test posts one of
# its four bad tokens per route, rotating. make http runs every pair.
EVERY = int(os.environ.get("SOMON_MATRIX_EVERY", "1") or 1)


def sampled(i, j):
    """Whether the j-th case of the i-th route is run (all of them unless SOMON_MATRIX_EVERY)."""
    return (i + j) % EVERY == 0


def last_change():
    con = db()
    try:
        return con.execute("SELECT id, actor, action, detail FROM change ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        con.close()


def api_agreement(ident):
    r = Client().get("/api/v1/agreements/" + ident)
    assert r.status == 200, (ident, r.status)
    return json.loads(r.body)


def somon(*args, stdin=None):
    env = dict(os.environ, SOMON_TEST_FAST_HASH="1")
    return subprocess.run([SOMON, "--db", DB] + list(args), input=stdin, capture_output=True, text=True, env=env)


def server_err():
    with open(SERVER_ERR, encoding="utf-8", errors="replace") as f:
        return f.read()


CLIENTS = {}


def setUpModule():
    for login, (role, scope) in ACCOUNTS.items():
        args = ["user", "add", login, "--role", role] + (["--scope", scope] if scope else [])
        r = somon(*args, stdin=PASSWORD + "\n")
        assert r.returncode == 0, (args, r.stdout, r.stderr)


def signed_in(login):
    """A client signed in as login (a fresh session if the old one ended)."""
    c = CLIENTS.get(login)
    if c is None or c.get("/login").text().find("U bent aangemeld") < 0:
        c = Client()
        r = c.login(login)
        assert r.status == 303, (login, r.status, r.text())
        CLIENTS[login] = c
    return c


def actor(login):
    return Client() if login == ANONYMOUS else signed_in(login)


# ---- how to make one valid change through each route -------------------------

_counter = [0]


def unique():
    _counter[0] += 1
    return _counter[0]


def free_nis():
    used = {p.get("municipality") for p in api_agreement(AG)["parties"]}
    for nis in FREE_NIS:
        if nis not in used:
            return nis
    raise AssertionError("out of municipalities to add")


def party_index(nis):
    for i, p in enumerate(api_agreement(AG)["parties"]):
        if p.get("municipality") == nis:
            return i
    raise AssertionError("no party %s" % nis)


def add_party(admin, nis):
    fields = admin.form("/agreements/%s/parties/new" % AG, "/agreements/%s/parties" % AG)
    prefix = [n for n, _ in fields if n.endswith(".municipality")][0][:-len(".municipality")]
    fields = with_values(fields, {prefix + ".municipality": nis, prefix + ".approved_on": "2021-03-01"})
    r = admin.post("/agreements/%s/parties" % AG, fields)
    assert r.status == 303, (r.status, r.text())


def prepare(pattern):
    """(url, fields) of a valid request through pattern, read from the
    forms as the administrator sees them; the CSRF token is the caller's."""
    admin = signed_in("admin")
    n = unique()
    if pattern == "/agreements":
        fields = admin.form("/agreements/new", "/agreements")
        return "/agreements", with_values(fields, {"id": "SO-TEST-MATRIX-%d" % n, "title": "Proef %d" % n,
                                                   "vdab_directorate": "Antwerpen", "status": "draft"})
    if pattern == "/agreements/upload":  # the confirmation form of the preview of a one-agreement sheet
        sheet = "overeenkomst,titel,directie,status,gemeente\nSO-TEST-MATRIX-SHEET-%d,Proef %d,Antwerpen,ontwerp,%s\n" % (
            n, n, FREE_NIS[0])
        boundary = "matrixboundary%d" % n
        body = ("--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{c}\r\n--{b}\r\n"
                "Content-Disposition: form-data; name=\"bestand\"; filename=\"matrix.csv\"\r\n\r\n{s}\r\n--{b}--\r\n"
                ).format(b=boundary, c=admin.csrf(), s=sheet).encode()
        r = admin.request("POST", "/agreements/upload", body=body,
                          headers={"Content-Type": "multipart/form-data; boundary=" + boundary})
        assert r.status == 200, (r.status, r.text()[:2000])
        return "/agreements/upload", form_fields(r.text(), "/agreements/upload")
    if pattern == "/agreements/:id":
        fields = admin.form("/agreements/%s/edit" % AG, "/agreements/" + AG)
        return "/agreements/" + AG, with_values(fields, {"title": "Samen sterk, versie %d" % n})
    if pattern == "/agreements/:id/parties":
        fields = admin.form("/agreements/%s/parties/new" % AG, "/agreements/%s/parties" % AG)
        prefix = [k for k, _ in fields if k.endswith(".municipality")][0][:-len(".municipality")]
        return "/agreements/%s/parties" % AG, with_values(fields, {prefix + ".municipality": free_nis(),
                                                                     prefix + ".approved_on": "2021-03-01"})
    if pattern == "/agreements/:id/parties/:n":
        i = party_index("12025")
        url = "/agreements/%s/parties/%d" % (AG, i)
        fields = admin.form(url + "/edit", url)
        day = "2021-02-%02d" % (n % 28 + 1)  # the council decision of the demo moves with approved_on
        return url, with_values(fields, {"parties[%d].approved_on" % i: day, "parties[%d].decisions[0].on" % i: day})
    if pattern == "/agreements/:id/parties/:n/remove":
        nis = free_nis()
        add_party(admin, nis)
        i = party_index(nis)
        url = "/agreements/%s/parties/%d/remove" % (AG, i)
        return url, admin.form("/agreements/" + AG, url)
    if pattern == "/agreements/:id/parties/:n/leave":  # a party this suite added leaves, on another day each time
        added = [p["municipality"] for p in api_agreement(AG)["parties"] if p.get("municipality") in FREE_NIS]
        nis = added[0] if added else free_nis()
        if not added:
            add_party(admin, nis)
        i = party_index(nis)
        url = "/agreements/%s/parties/%d/leave" % (AG, i)
        return url, with_values(admin.form(url, url), {"parties[%d].until" % i: "2024-%02d-01" % (n % 12 + 1),
                                                       "parties[%d].left_reason" % i: "Opgezegd %d" % n})
    if pattern == "/agreements/:id/parties/add":
        # a municipality of Antwerpen by name, for one day of 2021: FREE_NIS is left to the other
        # routes (whose use other suites count on), and no suite looks at that day
        url = "/agreements/%s/parties/add" % AG
        used = {p.get("municipality") for p in api_agreement(AG)["parties"]}
        name = [m for m, nis in ADD_BY_NAME if nis not in used][0]
        return url, with_values(admin.form(url, url), {"names": name, "from": "2021-03-02", "until": "2021-03-02"})
    if pattern == "/agreements/:id/approvals":  # Mechelen's approval (and its decision) on another day each time
        i = party_index("12025")
        url = "/agreements/%s/approvals" % AG
        return url, with_values(admin.form(url + "/edit", url),
                                {"parties[%d].approved_on" % i: "2021-02-%02d" % (n % 28 + 1)})
    if pattern == "/agreements/:id/plan":
        fields = admin.form("/agreements/%s/plan/edit" % AG, "/agreements/%s/plan" % AG)
        return "/agreements/%s/plan" % AG, with_values(
            fields, {"action_plan[0].domains[0].actions[0].title": "Aanpak schooluitval, versie %d" % n})
    if pattern == "/agreements/:id/governance":
        fields = admin.form("/agreements/%s/governance/edit" % AG, "/agreements/%s/governance" % AG)
        return "/agreements/%s/governance" % AG, with_values(
            fields, {"governance[0].members[0].function": "manager, versie %d" % n})
    if pattern == "/agreements/:id/notes":
        fields = admin.form("/agreements/%s/notes/edit" % AG, "/agreements/%s/notes" % AG)
        return "/agreements/%s/notes" % AG, with_values(fields, {"notes": "Nota %d" % n})
    if pattern == "/agreements/:id/evaluations":
        fields = admin.form("/agreements/%s/evaluations/edit?year=2024" % AG, "/agreements/%s/evaluations" % AG)
        return "/agreements/%s/evaluations" % AG, with_values(
            fields, {"actions[0].status": "ongoing", "actions[0].result": "Resultaat %d" % n})
    if pattern == "/agreements/:id/meetings":
        fields = admin.form("/agreements/%s/meetings/new" % AG, "/agreements/%s/meetings" % AG)
        return "/agreements/%s/meetings" % AG, with_values(fields, {"held_on": "2022-05-%02d" % (n % 28 + 1),
                                                                     "state": "held"})
    if pattern == "/agreements/:id/meetings/:n":
        url = "/agreements/%s/meetings/%d" % (AG, new_meeting())
        return url, with_values(admin.form(url + "/edit", url), {"decisions": "Besluit %d" % n})
    if pattern == "/agreements/:id/meetings/:n/cancel":
        url = "/agreements/%s/meetings/%d/cancel" % (AG, new_meeting())
        return url, admin.form("/agreements/" + AG, url)
    if pattern == "/regiegebieden":
        fields = admin.form("/regiegebieden/new", "/regiegebieden")
        return "/regiegebieden", with_values(fields, {"id": "RG-TEST-MATRIX-%d" % n, "name": "Proef %d" % n,
                                                      "province": "Antwerpen", "members[0].municipality": "11009",
                                                      "members[0].from": "2023-05-01"})
    if pattern == "/regiegebieden/:id":
        fields = admin.form("/regiegebieden/RG-KINA/edit", "/regiegebieden/RG-KINA")
        return "/regiegebieden/RG-KINA", with_values(fields, {"notes": "Nota %d" % n})
    if pattern == "/organisations":
        fields = admin.form("/organisations/new", "/organisations")
        return "/organisations", with_values(fields, {"id": "ORG-TEST-MATRIX-%d" % n, "name": "Proef %d" % n,
                                                      "kind": "other"})
    if pattern == "/organisations/:id":
        fields = admin.form("/organisations/KINA/edit", "/organisations/KINA")
        return "/organisations/KINA", with_values(fields, {"name": "KINA, versie %d" % n})
    if pattern == "/editions":
        fields = admin.form("/editions/new?date=2023-06-30&prognosis=2023-12-31", "/editions")
        return "/editions", with_values(fields, {"question": "Proef %d" % n})
    if pattern == "/cooperations":
        fields = admin.form("/cooperations/new", "/cooperations")
        return "/cooperations", with_values(fields, {"id": "CO-TEST-MATRIX-%d" % n, "municipality": "11009",
                                                     "kind": "jobbeurs", "title": "Proef %d" % n})
    if pattern == "/cooperations/:id":
        url = "/cooperations/" + new_cooperation()
        return url, with_values(admin.form(url + "/edit", url), {"title": "Proef, versie %d" % n})
    if pattern == "/cooperations/:id/end":
        url = "/cooperations/%s/end" % new_cooperation()
        return url, with_values(admin.form(url, url), {"until": "2024-%02d-01" % (n % 12 + 1)})
    if pattern == "/municipalities/:nis/outreach":
        url = "/municipalities/11009/outreach"
        return url, with_values(admin.form(url + "/new", url), {"on": "2023-%02d-01" % (n % 12 + 1),
                                                                "stage": "exploring", "note": "Nota %d" % n})
    if pattern == "/accounts":
        fields = admin.form("/accounts", "/accounts")
        return "/accounts", with_values(fields, {"login": "new%d" % n, "role": "viewer", "scope": "",
                                                 "password": "een lang wachtwoord %d" % n})
    if pattern == "/accounts/:login":
        url = "/accounts/target"
        forms = [f for a, f in all_forms(admin.get("/accounts").text()) if a == url]
        change = [f for f in forms if dict(f).get("op") == "change"][0]
        return url, with_values(change, {"scope": "", "password": "nieuw wachtwoord %d" % n})
    if pattern == "/logout":
        return "/logout", []
    raise AssertionError("no way to post to " + pattern)


def new_meeting():
    """The number of a new meeting of AG, added by the administrator."""
    url, fields = prepare("/agreements/:id/meetings")
    r = signed_in("admin").post(url, fields)
    assert r.status == 303, (r.status, r.text()[:2000])
    return int(r.header("location").rsplit("#meeting-", 1)[1])


def new_cooperation():
    """The id of a new cooperation in Antwerpen (Brecht), added by the administrator."""
    url, fields = prepare("/cooperations")
    r = signed_in("admin").post(url, fields)
    assert r.status == 303, (r.status, r.text()[:2000])
    return dict(fields)["id"]


def form_url(pattern):
    """A URL of a form page of pattern (for a meeting's form, a new meeting's)."""
    n = str(new_meeting()) if "/meetings/:n" in pattern else "1"
    if pattern.startswith("/cooperations/"):
        return pattern.replace(":id", new_cooperation())
    if pattern.startswith("/municipalities/"):
        return pattern.replace(":nis", "11009")
    if pattern.startswith("/regiegebieden/"):
        return pattern.replace(":id", "RG-KINA")
    if pattern.startswith("/organisations/"):
        return pattern.replace(":id", "KINA")
    return pattern.replace(":id", AG).replace(":n", n)


def routes():
    """(method, pattern, permission) of every route of src/route.c."""
    with open(os.path.join(REPO, "src/route.c"), encoding="utf-8") as f:
        text = f.read()
    table = text[text.index("ROUTES[]"):]
    table = table[:table.index("};")]
    return re.findall(r'\{\s*"([A-Z]+)",\s*"([^"]+)",\s*\w+,\s*(\w+)(?:,\s*\w+)*\s*\}', table)


# ---- the role matrix -----------------------------------------------------------

class RoleMatrix(unittest.TestCase):
    def test_the_matrix_covers_every_route_that_is_not_public(self):
        posts = {p for m, p, perm in routes() if m == "POST" and p != "/login"}
        self.assertEqual(sorted(posts ^ set(MATRIX)), [], "POST routes of src/route.c and MATRIX differ")
        forms = {p for m, p, perm in routes() if m == "GET" and perm != "PERM_PUBLIC"}
        self.assertEqual(sorted(forms ^ set(FORMS)), [], "protected GET routes of src/route.c and FORMS differ")

    def test_every_role_against_every_state_changing_route(self):
        after = None
        for i, (pattern, allowed) in enumerate(MATRIX.items()):
            if pattern == "/logout":
                continue  # below: it ends the session
            refused = 0
            for login in [a for a in ACCOUNTS if a != "target"] + [ANONYMOUS]:
                if login not in allowed and (pattern, login) not in REFUSED_BESIDE_THE_FIELD:
                    refused += 1
                    if not sampled(i, refused):
                        continue
                with self.subTest(route=pattern, who=login):
                    url, fields = prepare(pattern)
                    who = actor(login)
                    fields = with_values(fields, {"csrf": who.csrf() if login != ANONYMOUS else ""})
                    # the register as the last request left it, unless preparing this one
                    # recorded a change (an export of the register is most of this test's
                    # time); a write in between that bypassed the change log is then
                    # reported here rather than missed
                    before = unchanged_since(after)
                    r = who.post(url, fields)
                    after = snapshot()
                    if login in allowed:
                        self.assertEqual(r.status, 303, "%s %s: %s" % (login, url, r.text()[:2000]))
                        self.assertEqual(after[0], before[0] + 1, "one change per save")
                        change = last_change()
                        self.assertEqual(change[1], login, "the change is recorded with its author")
                    elif (pattern, login) in REFUSED_BESIDE_THE_FIELD:
                        # may create, but not in Antwerpen: refused beside the field (issue 8)
                        self.assertEqual(r.status, 422, "%s %s" % (login, url))
                        self.assertEqual(after, before, "a refused request changed something")
                    else:
                        self.assertEqual(r.status, 403, "%s %s" % (login, url))
                        self.assertEqual(after, before, "a forbidden request changed something")
                        self.assertIn("er is niets gewijzigd", r.text())

    def test_every_role_against_every_form(self):
        for pattern, allowed in FORMS.items():
            url = form_url(pattern)
            for login in list(ACCOUNTS) + [ANONYMOUS]:
                with self.subTest(form=url, who=login):
                    r = actor(login).get(url)
                    if login in allowed:
                        self.assertEqual(r.status, 200, url)
                        self.assertIn('name="csrf"', r.text())
                    elif login == ANONYMOUS:
                        self.assertEqual(r.status, 303, url)
                        self.assertEqual(r.header("location"), "/login?next=" + urllib.parse.quote(url, safe=""))
                    else:
                        self.assertEqual(r.status, 403, url)

    def test_scope_by_organisation_and_by_province(self):
        # local-ivses is a party to Scheldeland only through its organisation
        who = signed_in("local-ivses")
        self.assertEqual(who.get("/agreements/%s/notes/edit" % OTHER).status, 200)
        self.assertEqual(who.get("/agreements/%s/edit" % OTHER).status, 403)
        # vdab-ovl edits Scheldeland, not Mechelen; creates in its province only
        ovl = signed_in("vdab-ovl")
        self.assertEqual(ovl.get("/agreements/%s/edit" % OTHER).status, 200)
        url, fields = prepare("/agreements")
        for province, status in (("Antwerpen", 422), ("Oost-Vlaanderen", 303)):
            before = snapshot()
            r = ovl.post(url, with_values(fields, {"csrf": ovl.csrf(), "vdab_directorate": province,
                                                   "id": "SO-TEST-OVL-" + province.upper()}))
            self.assertEqual(r.status, status, province)
            self.assertEqual(snapshot()[0], before[0] + (status == 303))

    def test_logout_for_every_role(self):
        for login in MATRIX["/logout"]:
            with self.subTest(who=login):
                c = Client()
                self.assertEqual(c.login(login).status, 303)
                cookie = c.cookies["somon_session"]
                r = c.post("/logout", {"csrf": c.csrf()})
                self.assertEqual((r.status, r.header("location")), (303, "/"))
                self.assertNotIn("somon_session", c.cookies)
                # the session ended on the server: the old cookie is worth nothing
                old = Client()
                old.cookies["somon_session"] = cookie
                self.assertEqual(old.get("/agreements/%s/notes/edit" % AG).status, 303)
        before = snapshot()
        self.assertEqual(Client().post("/logout", {"csrf": "x"}).status, 403)
        self.assertEqual(snapshot(), before)


# ---- CSRF --------------------------------------------------------------------

class Csrf(unittest.TestCase):
    def test_a_post_without_the_session_token_changes_nothing(self):
        admin = signed_in("admin")
        other = signed_in("vdab-all")
        after = None
        for i, pattern in enumerate(MATRIX):
            for j, (case, token) in enumerate((("none", None), ("empty", ""), ("wrong", "x" * 43),
                                               ("another session's", other.csrf()))):
                if not sampled(i, j):
                    continue
                with self.subTest(route=pattern, token=case):
                    url, fields = prepare(pattern)
                    fields = [(n, v) for n, v in fields if n != "csrf"]
                    if token is not None:
                        fields.append(("csrf", token))
                    before = unchanged_since(after)
                    r = admin.post(url, fields)
                    self.assertEqual(r.status, 403, url)
                    self.assertIn("CSRF", r.text())
                    after = snapshot()
                    self.assertEqual(after, before)
        # and the session is still fine
        self.assertIn("U bent aangemeld", admin.get("/login").text())

    def test_the_login_form_has_its_own_token(self):
        c = Client()
        page = c.get("/login")
        fields = dict(form_fields(page.text(), "/login"))
        self.assertEqual(len(fields["login_token"]), 43)
        fields.update(login="admin", password=PASSWORD)
        stranger = Client()  # the form's token without the cookie that goes with it
        r = stranger.post("/login", fields)
        self.assertEqual(r.status, 403)
        self.assertNotIn("somon_session", stranger.cookies)
        r = c.post("/login", dict(fields, login_token="y" * 43))
        self.assertEqual(r.status, 403)
        self.assertNotIn("somon_session", c.cookies)
        self.assertEqual(c.post("/login", fields).status, 303)

    def test_only_post_changes_state(self):
        for method in ("PUT", "DELETE", "PATCH"):
            for url in ("/agreements/%s/notes" % AG, "/logout", "/accounts/viewer", "/history"):
                with self.subTest(method=method, url=url):
                    r = signed_in("admin").request(method, url, form={"notes": "x"})
                    self.assertEqual(r.status, 405)
        r = signed_in("admin").get("/agreements/%s/parties/1/remove" % AG)
        self.assertEqual((r.status, r.header("allow")), (405, "POST"))
        self.assertEqual(signed_in("admin").get("/logout").status, 405)


# ---- sessions ----------------------------------------------------------------

class Sessions(unittest.TestCase):
    def session_row(self, c):
        token = c.cookies["somon_session"]
        digest = hashlib.blake2b(token.encode(), digest_size=32).digest()
        con = sqlite3.connect(DB, timeout=30)
        try:
            return con, digest
        except Exception:
            con.close()
            raise

    def set_times(self, c, created_ago, seen_ago):
        token = c.cookies["somon_session"]
        con = sqlite3.connect(DB, timeout=30)
        try:
            rows = con.execute("SELECT token_hash FROM session WHERE ended IS NULL").fetchall()
            now = int(time.time())
            # the token is stored as a hash only: find the row by the one we know
            mine = [h for (h,) in rows if h == hashlib.blake2b(token.encode(), digest_size=32).digest()]
            self.assertEqual(len(mine), 1, "the session row is the BLAKE2b hash of the token")
            con.execute("UPDATE session SET created = ?, last_seen = ? WHERE token_hash = ?",
                        (now - created_ago, now - seen_ago, mine[0]))
            con.commit()
        finally:
            con.close()

    def test_cookie(self):
        c = Client()
        page = c.get("/login")
        fields = dict(form_fields(page.text(), "/login"), login="viewer", password=PASSWORD)
        r = c.post("/login", fields)
        cookie = [v for v in r.all("set-cookie") if v.startswith("somon_session=")]
        self.assertEqual(len(cookie), 1)
        parts = [p.strip() for p in cookie[0].split(";")]
        token = parts[0].split("=", 1)[1]
        self.assertRegex(token, r"^[A-Za-z0-9_-]{43}$")  # 32 random bytes
        self.assertEqual(set(parts[1:]), {"Path=/", "HttpOnly", "SameSite=Strict", "Max-Age=43200"})
        con = db()
        try:
            stored = b"".join(h for (h,) in con.execute("SELECT token_hash FROM session"))
            csrf = [t for (t,) in con.execute("SELECT csrf FROM session")]
        finally:
            con.close()
        self.assertNotIn(token.encode(), stored, "the token is stored in the clear")
        self.assertNotIn(token, csrf)
        self.assertNotEqual(c.csrf(), token)

    def test_idle_timeout(self):
        c = signed_in_fresh("vdab-ant")
        self.set_times(c, 60 * 60, 29 * 60)
        self.assertEqual(c.get("/agreements/%s/edit" % AG).status, 200, "29 minutes idle is fine")
        self.set_times(c, 60 * 60, 30 * 60 + 5)
        self.assertEqual(c.get("/agreements/%s/edit" % AG).status, 303, "31 minutes idle ends the session")
        con = db()
        try:
            ended = con.execute("SELECT count(*) FROM session WHERE ended IS NOT NULL AND token_hash = ?",
                                (hashlib.blake2b(c.cookies["somon_session"].encode(), digest_size=32).digest(),)
                                ).fetchone()[0]
        finally:
            con.close()
        self.assertEqual(ended, 1, "the expired session is ended on the server")
        self.set_times_any(c)
        self.assertEqual(c.get("/agreements/%s/edit" % AG).status, 303, "an ended session stays ended")

    def set_times_any(self, c):
        con = sqlite3.connect(DB, timeout=30)
        try:
            now = int(time.time())
            con.execute("UPDATE session SET last_seen = ? WHERE token_hash = ?",
                        (now, hashlib.blake2b(c.cookies["somon_session"].encode(), digest_size=32).digest()))
            con.commit()
        finally:
            con.close()

    def test_absolute_timeout(self):
        c = signed_in_fresh("vdab-ant")
        self.set_times(c, 12 * 3600 - 60, 0)
        self.assertEqual(c.get("/agreements/%s/edit" % AG).status, 200, "11:59 after signing in is fine")
        self.set_times(c, 12 * 3600 + 5, 0)
        self.assertEqual(c.get("/agreements/%s/edit" % AG).status, 303, "after 12 hours, even if active")

    def test_post_after_expiry_changes_nothing(self):
        c = signed_in_fresh("vdab-ant")
        url, fields = prepare("/agreements/:id/notes")
        fields = with_values(fields, {"csrf": c.csrf()})
        self.set_times(c, 60 * 60, 31 * 60)
        before = snapshot()
        self.assertEqual(c.post(url, fields).status, 403)
        self.assertEqual(snapshot(), before)

    def test_a_disabled_account_loses_its_sessions(self):
        self.assertEqual(somon("user", "add", "leaving", "--role", "viewer", stdin=PASSWORD).returncode, 0)
        c = signed_in_fresh("leaving")
        self.assertIn("U bent aangemeld", c.get("/login").text())
        self.assertEqual(somon("user", "disable", "leaving").returncode, 0)
        self.assertNotIn("U bent aangemeld", c.get("/login").text())
        self.assertEqual(Client().login("leaving").status, 403)


def signed_in_fresh(login):
    c = Client()
    r = c.login(login)
    assert r.status == 303, r.text()
    return c


# ---- throttling --------------------------------------------------------------

class Throttling(unittest.TestCase):
    def test_wrong_login_or_password_say_the_same(self):
        c = Client("127.0.0.9")
        unknown = c.login("nobody-at-all", "whatever password")
        wrong = c.login("viewer", "not the password")
        for r in (unknown, wrong):
            self.assertEqual(r.status, 403)
            self.assertIn("Verkeerde login of wachtwoord.", r.text())
        strip = lambda r: re.sub(r'value="[^"]*"', "", r.text())
        self.assertEqual(strip(unknown), strip(wrong))

    # The server counts failures in whole seconds, so a wait of 1 s may already
    # be over when the next request arrives; the tests add failures straight
    # into the database (as if made just now) to reach waits that cannot
    # elapse unnoticed, and move them into the past to end a wait.

    def add_failures(self, n, login="-", address="-"):
        con = sqlite3.connect(DB, timeout=30)
        try:
            now = int(time.time())
            con.executemany("INSERT INTO login_failure (login, address, moment) VALUES (?, ?, ?)",
                            [(login, address, now)] * n)
            con.commit()
        finally:
            con.close()

    def forget_failures(self, where, value):
        con = sqlite3.connect(DB, timeout=30)
        try:
            con.execute("UPDATE login_failure SET moment = moment - 3600 WHERE %s = ?" % where, (value,))
            con.commit()
        finally:
            con.close()

    # CLOCK_TICK: the failures are dated here with Python's clock; the server's
    # time(2) reads the kernel's coarse clock, which may lag by a tick, so at a
    # second boundary it sees the failure one second in its future and the wait
    # one second longer.
    def test_per_login(self):
        # from five addresses, so that only the login counts
        for i in range(5):
            r = Client("127.0.1.%d" % (i + 1)).login("vdab-ovl", "wrong password %d" % i)
            self.assertEqual(r.status, 403)
        self.add_failures(3, login="vdab-ovl")  # 8 failures: 8 s
        r = Client("127.0.1.9").login("vdab-ovl")  # the right password, but too soon
        self.assertEqual(r.status, 429)
        self.assertIn(int(r.header("retry-after")), (7, 8, 9))  # 9: see CLOCK_TICK
        self.assertIn("Te veel mislukte pogingen", r.text())
        self.assertNotIn("somon_session", "".join(r.all("set-cookie")))
        self.assertRegex(server_err(), r'somon: login throttled: login "vdab-ovl" from "127\.0\.1\.9" must wait \d+ s')
        self.forget_failures("login", "vdab-ovl")
        self.assertEqual(Client("127.0.1.9").login("vdab-ovl").status, 303)

    def test_per_address(self):
        c = Client("127.0.2.1")
        for i in range(5):
            self.assertEqual(c.login("someone%d" % i, "wrong password").status, 403)
        self.add_failures(3, address="127.0.2.1")
        r = c.login("viewer", "not the password")  # another login, the same address
        self.assertEqual(r.status, 429)
        self.assertIn(int(r.header("retry-after")), (7, 8, 9))  # 9: see CLOCK_TICK
        self.assertRegex(server_err(), r'login throttled: login "viewer" from "127\.0\.2\.1" must wait')
        # but the address alone never locks a correct password out (issue 8)
        self.assertEqual(Client("127.0.2.1").login("viewer").status, 303)
        # other addresses are not slowed down
        self.assertEqual(Client("127.0.2.2").login("viewer").status, 303)
        self.forget_failures("address", "127.0.2.1")
        self.assertEqual(c.login("viewer").status, 303)

    def test_the_delay_grows(self):
        waits = []
        for extra in range(6, 12):  # 6 to 11 failures of the login
            login = "grow%d" % extra
            self.add_failures(extra, login=login)
            r = Client("127.0.3.1").login(login, "whatever password")
            self.assertEqual(r.status, 429)
            waits.append(int(r.header("retry-after")))
        for got, expected in zip(waits, (2, 4, 8, 16, 32, 64)):
            self.assertIn(got, (expected - 1, expected, expected + 1), waits)  # see CLOCK_TICK
        self.add_failures(30, login="grow-max")
        r = Client("127.0.3.1").login("grow-max", "whatever password")
        self.assertIn(int(r.header("retry-after")), (15 * 60 - 1, 15 * 60, 15 * 60 + 1), "at most 15 minutes")


# ---- editing: validation, transitions, stale versions -------------------------

def new_agreement(who, ident, **extra):
    fields = who.form("/agreements/new", "/agreements")
    values = {"id": ident, "title": "Proef " + ident, "vdab_directorate": "Antwerpen", "status": "draft"}
    values.update(extra)
    return who.post("/agreements", with_values(fields, values))


def problems(html):
    """The problems a refused form shows, for failure messages."""
    found = re.findall(r'<div class="problems".*?</div>', html, re.S)
    return "\n".join(found + re.findall(r'<span class="error"[^>]*>[^<]*</span>', html))[:3000]


def error_beside(html, field):
    """The error message shown beside the input named field."""
    m = re.search(r'<input[^>]*name="%s"[^>]*aria-describedby="([^"]+)"' % re.escape(field), html) or \
        re.search(r'<select[^>]*name="%s"[^>]*aria-describedby="([^"]+)"' % re.escape(field), html)
    if not m:
        return None
    e = re.search(r'id="%s"[^>]*>([^<]*)<' % re.escape(m.group(1)), html)
    return e.group(1) if e else None


class Editing(unittest.TestCase):
    def test_transitions(self):
        vd = signed_in("vdab-ant")
        ident = "SO-TEST-LIFECYCLE"
        self.assertEqual(new_agreement(vd, ident).status, 303)
        edit = "/agreements/%s/edit" % ident
        fields = vd.form(edit, "/agreements/" + ident)
        # signed needs a start date
        r = vd.post("/agreements/" + ident, with_values(fields, {"status": "signed", "title": "Mijn getypte titel"}))
        self.assertEqual(r.status, 422, problems(r.text()))
        html = r.text()
        self.assertIn("Mijn getypte titel", html, "the form keeps what was typed")
        self.assertIn("begindatum", error_beside(html, "start") or "", html[:5000])
        self.assertEqual(api_agreement(ident)["status"], "draft")
        # ... and a municipality party with a council approval
        r = vd.post("/agreements/" + ident, with_values(fields, {"status": "signed", "start": "2026-01-01"}))
        self.assertEqual(r.status, 422)
        self.assertIn("gemeente", r.text())
        # an end before the start
        r = vd.post("/agreements/" + ident, with_values(fields, {"start": "2026-01-01", "end": "2025-12-31"}))
        self.assertEqual(r.status, 422)
        self.assertIsNotNone(error_beside(r.text(), "end"), "an error beside the end date")
        self.assertIn('value="2025-12-31"', r.text())
        # add an approved municipality: now it can be signed
        fields_p = vd.form("/agreements/%s/parties/new" % ident, "/agreements/%s/parties" % ident)
        prefix = [n for n, _ in fields_p if n.endswith(".municipality")][0][:-len(".municipality")]
        self.assertEqual(vd.post("/agreements/%s/parties" % ident, with_values(
            fields_p, {prefix + ".municipality": "11001", prefix + ".approved_on": "2025-12-01"})).status, 303)
        fields = vd.form(edit, "/agreements/" + ident)
        r = vd.post("/agreements/" + ident, with_values(fields, {"status": "signed", "start": "2026-01-01"}))
        self.assertEqual(r.status, 303, problems(r.text()))
        self.assertEqual(api_agreement(ident)["status"], "signed")
        # terminated needs a date and the party that terminated
        fields = vd.form(edit, "/agreements/" + ident)
        r = vd.post("/agreements/" + ident, with_values(fields, {"status": "terminated"}))
        self.assertEqual(r.status, 422)
        self.assertIsNotNone(error_beside(r.text(), "terminated_on"))
        by = [v for v, _ in form_options(vd.get(edit).text(), "terminated_by") if v]
        self.assertTrue(by, "the parties to choose from")
        r = vd.post("/agreements/" + ident, with_values(fields, {"status": "terminated", "terminated_on": "2026-06-30",
                                                                 "terminated_by": by[0]}))
        self.assertEqual(r.status, 303, problems(r.text()))
        ag = api_agreement(ident)
        self.assertEqual((ag["status"], ag["terminated_on"]), ("terminated", "2026-06-30"))

    def test_bad_values_are_kept_and_explained(self):
        vd = signed_in("vdab-ant")
        r = new_agreement(vd, "not an id <b>", title="")
        self.assertEqual(r.status, 422)
        self.assertIn('value="not an id &lt;b&gt;"', r.text())
        self.assertIsNotNone(error_beside(r.text(), "id"))
        r = new_agreement(vd, "SO-MECHELEN-2021")  # exists
        self.assertEqual(r.status, 422)
        self.assertIsNotNone(error_beside(r.text(), "id"))
        url = "/agreements/%s/parties" % AG
        fields = vd.form(url + "/new", url)
        prefix = [n for n, _ in fields if n.endswith(".municipality")][0][:-len(".municipality")]
        before = snapshot()
        r = vd.post(url, with_values(fields, {prefix + ".municipality": "99999", prefix + ".from": "2022-02-30"}))
        self.assertEqual(r.status, 422)
        self.assertIn("geen datum", error_beside(r.text(), prefix + ".from") or "", problems(r.text()))
        self.assertIn('value="99999"', r.text())
        self.assertIn('value="2022-02-30"', r.text())
        r = vd.post(url, with_values(fields, {prefix + ".municipality": "99999", prefix + ".from": "2022-02-28"}))
        self.assertEqual(r.status, 422)
        self.assertIn("99999", error_beside(r.text(), prefix + ".municipality") or "", problems(r.text()))
        self.assertIn('value="99999"', r.text())
        self.assertEqual(snapshot(), before)

    def test_stale_version_on_every_form(self):
        a, b = signed_in("admin"), signed_in("vdab-ant")
        cases = [  # (form page, action, field, a's value, b's value)
            ("/agreements/%s/edit" % AG, "/agreements/" + AG, "title", "Titel van A", "Titel van B"),
            ("/agreements/%s/notes/edit" % AG, "/agreements/%s/notes" % AG, "notes", "Nota van A", "Nota van B"),
            ("/agreements/%s/plan/edit" % AG, "/agreements/%s/plan" % AG,
             "action_plan[0].domains[0].actions[0].title", "Actie van A", "Actie van B"),
            ("/agreements/%s/governance/edit" % AG, "/agreements/%s/governance" % AG,
             "governance[0].body", "Stuurgroep van A", "Stuurgroep van B"),
            ("/agreements/%s/parties/%d/edit" % (AG, party_index("12025")),
             "/agreements/%s/parties/%d" % (AG, party_index("12025")),
             "parties[%d].expected_from" % party_index("12025"), "2021-01-01", "2021-01-02"),  # shown 01/01/2021
            ("/agreements/%s/parties/new" % AG, "/agreements/%s/parties" % AG, None, None, None),
        ]
        for page, action, field, va, vb in cases:
            with self.subTest(form=page):
                fa = a.form(page, action)
                fb = b.form(page, action)
                if field is None:  # a new party: both add one
                    prefix = [n for n, _ in fa if n.endswith(".municipality")][0][:-len(".municipality")]
                    field = prefix + ".municipality"
                    va, vb = free_nis(), FREE_NIS[-1]
                    fa = with_values(fa, {prefix + ".approved_on": "2021-03-01"})
                    fb = with_values(fb, {prefix + ".approved_on": "2021-03-01"})
                self.assertEqual(a.post(action, with_values(fa, {field: va})).status, 303)
                before = snapshot()
                r = b.post(action, with_values(fb, {field: vb}))
                self.assertEqual(r.status, 409, r.text()[:2000])
                html = r.text()
                self.assertIn("Er is niets bewaard: admin op ", html, "who saved in between")
                shown = "/".join(reversed(va.split("-"))) if re.match(r"^\d{4}-\d\d-\d\d$", va) else va
                if re.fullmatch(r"\d{5}", va):  # a municipality: people read its name
                    shown = json.loads(Client().get("/api/v1/municipalities/" + va).text())["identities"][-1]["name"]
                self.assertRegex(html, r"<ins>[^<]*%s[^<]*</ins>" % re.escape(shown), "what changed in between")
                self.assertIn(vb, html, "the person's own input stays on screen")
                self.assertEqual(value_of(form_fields(html, action), field), vb)
                self.assertEqual(snapshot(), before, "a stale save changed something")
                # the refused form still carries the old version: sending it again is refused again
                self.assertEqual(b.post(action, form_fields(html, action)).status, 409)
                # reopened, the form takes the person's value
                fresh = b.form(page, action)
                if page.endswith("parties/new"):
                    prefix = [n for n, _ in fresh if n.endswith(".municipality")][0][:-len(".municipality")]
                    fresh = with_values(fresh, {prefix + ".municipality": vb, prefix + ".approved_on": "2021-03-01"})
                else:
                    fresh = with_values(fresh, {field: vb})
                r = b.post(action, fresh)
                self.assertEqual(r.status, 303, problems(r.text()))

    def test_an_unchanged_form_records_nothing(self):
        a = signed_in("admin")
        for page, action in (("/agreements/%s/edit" % AG, "/agreements/" + AG),
                             ("/agreements/%s/plan/edit" % AG, "/agreements/%s/plan" % AG),
                             ("/agreements/%s/governance/edit" % AG, "/agreements/%s/governance" % AG)):
            with self.subTest(form=page):
                before = snapshot()
                self.assertEqual(a.post(action, a.form(page, action)).status, 303)
                self.assertEqual(snapshot(), before)


def form_options(html, name):
    m = re.search(r'<select[^>]*name="%s".*?</select>' % re.escape(name), html, re.S)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', m.group(0)) if m else []


# ---- the action plan: renumber, move, retire, never delete --------------------

class ActionPlan(unittest.TestCase):
    def test_renumber_move_retire(self):
        a = signed_in("local-mechelen")
        page, action = "/agreements/%s/plan/edit" % AG, "/agreements/%s/plan" % AG
        plan = api_agreement(AG)["action_plan"]
        first = plan[0]["domains"][0]["actions"][0]
        fields = a.form(page, action)
        base = "action_plan[0].domains[0].actions[0]."
        uid = value_of(fields, base + "uid")
        domains = [v for v, _ in form_options(a.get(page).text(), base + "domain") if v]
        self.assertGreater(len(domains), 1)
        target = [d for d in domains if d != value_of(fields, base + "domain")][0]
        r = a.post(action, with_values(fields, {base + "number": "9.9", base + "domain": target,
                                                base + "status": "retired"}))
        self.assertEqual(r.status, 303, problems(r.text()))
        after = api_agreement(AG)["action_plan"]
        found = [(t, d, x) for t in after for d in t["domains"] for x in d["actions"] if x["title"] == first["title"]]
        self.assertEqual(len(found), 1, "the action is kept")
        self.assertEqual(found[0][2]["number"], "9.9")
        self.assertEqual(found[0][2].get("status"), "retired")
        self.assertNotEqual(found[0][1]["title"], plan[0]["domains"][0]["title"], "moved to another domain")
        # the history follows the action by its identity: one action changed, none deleted
        hist = somon("history", AG).stdout
        self.assertIn("9.9", hist)
        self.assertNotIn("verwijderd", hist.split("9.9")[-1][:400].lower())
        fields = a.form(page, action)
        self.assertIn(uid, [v for n, v in fields if n.endswith(".uid")], "the same action, by uid")
        # no form field deletes an action
        self.assertFalse([n for n, _ in fields if re.search(r"actions\[\d+\]\.remove$", n)])


    def test_add_an_action_and_a_domain(self):
        a = signed_in("vdab-ant")
        page, action = "/agreements/%s/plan/edit" % AG, "/agreements/%s/plan" % AG
        fields = a.form(page, action)
        before = api_agreement(AG)["action_plan"]
        # the blank rows: an action in the first domain, a new domain in the first theme
        blank_action = [n[:-len(".number")] for n, v in fields
                        if re.fullmatch(r"action_plan\[0\]\.domains\[0\]\.actions\[\d+\]\.number", n) and v == ""][0]
        blank_domain = [n[:-len(".added")] for n, v in fields
                        if re.fullmatch(r"action_plan\[0\]\.domains\[\d+\]\.added", n)][0]
        r = a.post(action, with_values(fields, {blank_action + ".number": "1.7", blank_action + ".title": "Nieuwe actie",
                                                blank_domain + ".number": "8", blank_domain + ".title": "Nieuw domein",
                                                blank_domain + ".actions[0].number": "8.1",
                                                blank_domain + ".actions[0].title": "Eerste actie van 8"}))
        self.assertEqual(r.status, 303, problems(r.text()))
        after = api_agreement(AG)["action_plan"]
        titles = [x["title"] for t in after for d in t["domains"] for x in d["actions"]]
        self.assertIn("Nieuwe actie", titles)
        self.assertIn("Eerste actie van 8", titles)
        self.assertEqual(len(titles), sum(len(d["actions"]) for t in before for d in t["domains"]) + 2)
        self.assertIn("Nieuw domein", [d["title"] for d in after[0]["domains"]])
        # an action without a title is refused beside its field, and the rest is kept
        fields = a.form(page, action)
        blank_action = [n[:-len(".number")] for n, v in fields
                        if re.fullmatch(r"action_plan\[0\]\.domains\[0\]\.actions\[\d+\]\.number", n) and v == ""][0]
        snap = snapshot()
        r = a.post(action, with_values(fields, {blank_action + ".number": "1.8"}))
        self.assertEqual(r.status, 422)
        self.assertIsNotNone(error_beside(r.text(), blank_action + ".title"), problems(r.text()))
        self.assertEqual(value_of(form_fields(r.text(), action), blank_action + ".number"), "1.8")
        self.assertEqual(snapshot(), snap)


class Governance(unittest.TestCase):
    def test_bodies_and_members(self):
        who = signed_in("local-mechelen")  # a party's own staff
        page, action = "/agreements/%s/governance/edit" % AG, "/agreements/%s/governance" % AG
        fields = who.form(page, action)
        new_body = [n[:-len(".body")] for n, v in fields if re.fullmatch(r"governance\[\d+\]\.body", n) and v == ""][0]
        r = who.post(action, with_values(fields, {
            new_body + ".body": "Werkgroep jongeren", new_body + ".convener": "stad Mechelen",
            new_body + ".min_meetings": "4", new_body + ".per_years": "1",
            new_body + ".members[0].name": "Ilse Peeters", new_body + ".members[0].function": "jobcoach",
            new_body + ".members[0].organisation": "VDAB"}))
        self.assertEqual(r.status, 303, problems(r.text()))
        body = [b for b in api_agreement(AG)["governance"] if b["body"] == "Werkgroep jongeren"][0]
        self.assertEqual((body["convener"], body["min_meetings"], body["per_years"]), ("stad Mechelen", 4, 1))
        self.assertEqual([(m["function"], m["organisation"]) for m in body["members"]], [("jobcoach", "VDAB")])
        self.assertIsNone(body["members"][0]["name"], "the API shows no names to anonymous readers")
        # remove the member again; the history keeps both steps
        fields = who.form(page, action)
        index = [n for n, v in fields if re.fullmatch(r"governance\[\d+\]\.body", n) and v == "Werkgroep jongeren"][0]
        member = index[:-len(".body")] + ".members[0]"
        r = who.post(action, with_values(fields, {member + ".remove": "1"}))
        self.assertEqual(r.status, 303, problems(r.text()))
        body = [b for b in api_agreement(AG)["governance"] if b["body"] == "Werkgroep jongeren"][0]
        self.assertEqual(body["members"], [])
        hist = somon("history", AG).stdout
        self.assertIn("Ilse Peeters", hist)
        self.assertIn("local-mechelen", hist)
        # a count that is not a number is refused beside its field
        fields = who.form(page, action)
        snap = snapshot()
        r = who.post(action, with_values(fields, {index[:-len(".body")] + ".min_meetings": "vaak"}))
        self.assertEqual(r.status, 422)
        self.assertIsNotNone(error_beside(r.text(), index[:-len(".body")] + ".min_meetings"), problems(r.text()))
        self.assertIn('value="vaak"', r.text())
        self.assertEqual(snapshot(), snap)


# ---- evaluations of the action plan (issue 5) -------------------------------------

class Evaluations(unittest.TestCase):
    def form(self, who, year):
        return who.form("/agreements/%s/evaluations/edit?year=%d" % (AG, year), "/agreements/%s/evaluations" % AG)

    def test_evaluate_and_follow_up(self):
        who = signed_in("local-mechelen")
        fields = self.form(who, 2023)
        titles = [x["title"] for t in api_agreement(AG)["action_plan"] for d in t["domains"] for x in d["actions"]]
        r = who.post("/agreements/%s/evaluations" % AG, with_values(fields, {
            "evaluated_by": "stuurgroep van 12/03/2024",
            "actions[0].status": "achieved", "actions[0].result": "Veertig jongeren begeleid",
            "actions[0].figures": "40 jongeren",
            "actions[1].status": "stalled", "actions[1].result": "Geen trekker gevonden"}))
        self.assertEqual((r.status, r.header("location")), (303, "/agreements/%s/plan" % AG), problems(r.text()))
        change = last_change()
        self.assertEqual((change[1], change[3]), ("local-mechelen", "evaluaties 2023 van " + AG))
        # the plan page, its CSV and the agreement page show the latest evaluation
        plan = Client().get("/agreements/%s/plan" % AG).text()
        self.assertIn("Veertig jongeren begeleid", plan)
        self.assertIn("vastgelopen", plan)
        rows = csv_rows(Client().get("/agreements/%s/plan?format=csv" % AG).text())
        by_title = {r[4]: r for r in rows[1:]}
        self.assertEqual(by_title[titles[0]][6:10], ["2023", "gerealiseerd", "Veertig jongeren begeleid", "40 jongeren"])
        self.assertEqual(by_title[titles[1]][6:8], ["2023", "vastgelopen"])
        self.assertEqual(by_title[titles[2]][7], "nog niet geëvalueerd")
        page = Client().get("/agreements/" + AG).text()
        self.assertIn("evaluatie 2023: gerealiseerd – Veertig jongeren begeleid", page)
        # /actions across agreements, filtered
        stalled = Client().get("/actions?status=stalled&province=Antwerpen&format=csv").text()
        self.assertIn(titles[1], stalled)
        self.assertNotIn(titles[0], stalled)
        self.assertNotIn(titles[1], Client().get("/actions?status=stalled&province=Limburg&format=csv").text())
        self.assertNotIn(titles[1], Client().get("/actions?status=stalled&year=2022&format=csv").text())
        self.assertIn(titles[1], Client().get("/actions?status=stalled&year=2023&format=csv").text())
        self.assertIn(titles[2], Client().get("/actions?status=none&province=Antwerpen&format=csv").text())
        self.assertEqual(Client().get("/actions?status=kapot").status, 400)
        self.assertEqual(Client().get("/actions?year=20x3").status, 400)
        # the XLSX of the plan is a real workbook
        body = Client().get("/agreements/%s/plan?format=xlsx" % AG).body
        path = os.path.join(TMP or "/tmp", "plan.xlsx")
        with open(path, "wb") as f:
            f.write(body)
        read = subprocess.run(["/usr/bin/python3", "-c", "import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1]).active;"
                               "print([c.value for c in ws[1]][:3]); print(sum(1 for _ in ws.iter_rows()))", path],
                              capture_output=True, text=True)
        self.assertEqual(read.returncode, 0, read.stderr)
        self.assertIn("['Thema', 'Nr.', 'Actiedomein']", read.stdout)
        # the alerts of 2024 no longer ask for these two evaluations of 2023, but for the others
        alerts = Client().get("/alerts?date=2024-03-01&format=csv").text()
        numbers = [x["number"] for t in api_agreement(AG)["action_plan"] for d in t["domains"] for x in d["actions"]]
        evaluated = {numbers[0], numbers[1]}
        for number in numbers:
            line = "actie zonder evaluatie van vorig jaar;%s;%s;" % (AG, number)
            retired = [x for t in api_agreement(AG)["action_plan"] for d in t["domains"] for x in d["actions"]
                       if x["number"] == number][0].get("status") == "retired"
            if number in evaluated or retired:
                self.assertNotIn(line, alerts)
            else:
                self.assertIn(line, alerts)
        page = Client().get("/alerts?date=2024-03-01").text()
        self.assertIn('href="/agreements/%s/evaluations/edit?year=2023"' % AG, page)
        # saving the same again records nothing
        before = snapshot()
        self.assertEqual(who.post("/agreements/%s/evaluations" % AG, self.form(who, 2023)).status, 303)
        self.assertEqual(snapshot(), before)

    def test_refused_saves(self):
        who, other = signed_in("local-mechelen"), signed_in("vdab-ant")
        fields = self.form(who, 2022)
        before = snapshot()
        r = who.post("/agreements/%s/evaluations" % AG, with_values(fields, {"actions[0].result": "Zonder stand"}))
        self.assertEqual(r.status, 422)
        self.assertIn("kies een stand", error_beside(r.text(), "actions[0].status") or "", problems(r.text()))
        self.assertIn("Zonder stand", r.text(), "the input is kept")
        self.assertEqual(snapshot(), before)
        # two people on the same year: the second is refused, with the first one's work shown
        mine, theirs = self.form(who, 2022), self.form(other, 2022)
        self.assertEqual(other.post("/agreements/%s/evaluations" % AG, with_values(
            theirs, {"actions[0].status": "ongoing", "actions[0].result": "Van VDAB"})).status, 303)
        before = snapshot()
        r = who.post("/agreements/%s/evaluations" % AG, with_values(
            mine, {"actions[0].status": "dropped", "actions[0].result": "Van de stad"}))
        self.assertEqual(r.status, 409)
        self.assertIn("Er is niets bewaard: vdab-ant op ", r.text())
        self.assertIn("Van de stad", r.text(), "the person's input stays")
        self.assertEqual(snapshot(), before)
        # a uid that is not an action of this agreement
        r = who.post("/agreements/%s/evaluations" % AG, with_values(self.form(who, 2022), {"actions[0].uid": "999999"}))
        self.assertEqual(r.status, 422)


# ---- history -------------------------------------------------------------------

class History(unittest.TestCase):
    def test_every_field_change_appears(self):
        vd = signed_in("vdab-ant")
        ident = "SO-TEST-HISTORY"
        self.assertEqual(new_agreement(vd, ident, title="Eerste titel", start="2026-01-01", end="2026-12-31").status,
                         303)
        changes = {"title": ("Eerste titel", "Tweede titel"), "end": ("2026-12-31", "2027-06-30"),
                   "expected_start": ("", "2025-12-01"), "start": ("2026-01-01", "2026-02-01"),
                   "regiegebied": ("", "RG-RIVIERENLAND")}
        fields = vd.form("/agreements/%s/edit" % ident, "/agreements/" + ident)
        r = vd.post("/agreements/" + ident, with_values(fields, {k: v[1] for k, v in changes.items()}))
        self.assertEqual(r.status, 303, problems(r.text()))
        notes = vd.form("/agreements/%s/notes/edit" % ident, "/agreements/%s/notes" % ident)
        self.assertEqual(vd.post("/agreements/%s/notes" % ident, with_values(notes, {"notes": "Een nota"})).status, 303)
        cli = somon("history", ident)
        self.assertEqual(cli.returncode, 0, cli.stderr)
        page = vd.get("/agreements/" + ident).text()
        history = page[page.index('id="history-h"'):]
        nl = lambda v: "/".join(reversed(v.split("-"))) if re.match(r"^\d{4}-\d\d-\d\d$", v) else v
        for field, (old, new) in changes.items():
            with self.subTest(field=field):
                # the command line gives stored values, the page dates as 31/12/2026
                self.assertIn("%s → %s" % (old or "(leeg)", new), cli.stdout)
                self.assertIn("<del>%s</del> → <ins>%s</ins>" % (nl(old) or "(leeg)", nl(new)), history)
        self.assertIn("Een nota", cli.stdout)
        self.assertIn("vdab-ant", cli.stdout, "who")
        self.assertIn(" door vdab-ant (Bewerking)", history)
        # the same history, without the author, for anonymous readers
        anon = Client().get("/agreements/" + ident).text()
        self.assertNotIn("vdab-ant", anon)
        self.assertIn("Tweede titel", anon[anon.index('id="history-h"'):])
        # /history lists it with filters
        rows = vd.get("/history?agreement=" + ident).text()
        self.assertIn("Tweede titel", rows)
        self.assertNotIn("SO-MECHELEN-2021", rows)
        mine = vd.get("/history?actor=vdab-ant&agreement=" + ident).text()
        self.assertIn("Tweede titel", mine)
        nobody = vd.get("/history?actor=nobody&agreement=" + ident).text()
        self.assertNotIn("Tweede titel", nobody)

    def test_as_known_at_shows_the_old_version(self):
        vd = signed_in("vdab-ant")
        ident = "SO-TEST-KNOWN"
        self.assertEqual(new_agreement(vd, ident, title="Oude titel").status, 303)
        con = db()
        moment = con.execute("SELECT moment FROM change ORDER BY id DESC LIMIT 1").fetchone()[0]
        con.close()
        fields = vd.form("/agreements/%s/edit" % ident, "/agreements/" + ident)
        self.assertEqual(vd.post("/agreements/" + ident, with_values(fields, {"title": "Nieuwe titel"})).status, 303)
        old = Client().get("/agreements/%s?as_known_at=%s" % (ident, urllib.parse.quote(moment))).text()
        self.assertIn("Oude titel", old)
        self.assertNotIn("Nieuwe titel", old)
        self.assertIn("Nieuwe titel", Client().get("/agreements/" + ident).text())
        # the UI offers it: each version in the history links to the page as then known,
        # and the overview has a field for the moment
        page = Client().get("/agreements/" + ident).text()
        links = re.findall(r'<a href="(/agreements/%s\?as_known_at=[^"]+)">deze versie bekijken</a>' % ident, page)
        self.assertEqual(len(links), 2)
        self.assertIn("Oude titel", Client().get(links[0].replace("&amp;", "&")).text())
        self.assertIn('name="as_known_at"', Client().get("/").text())
        old = Client().get("/?as_known_at=" + urllib.parse.quote(moment)).text()
        self.assertIn('value="%s"' % moment, old)

    def test_history_cannot_be_changed(self):
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            r = signed_in("admin").request(method, "/history", form={"csrf": signed_in("admin").csrf()})
            self.assertEqual(r.status, 405, method)
        self.assertFalse([p for m, p, _ in routes() if "history" in p and m != "GET"])
        r = somon("history", "--help")
        self.assertNotIn("delete", r.stdout + r.stderr)


# ---- accounts in the browser ----------------------------------------------------

class Accounts(unittest.TestCase):
    def test_create_change_disable(self):
        admin = signed_in("admin")
        fields = admin.form("/accounts", "/accounts")
        before = snapshot()
        for password, scope, problem in (("elf tekens!", "", "minstens 12 tekens"),
                                         ("twaalf tekens", "Brabant", "Bereik: 'Brabant' is geen provincie; geef West-Vlaanderen")):
            r = admin.post("/accounts", with_values(fields, {"login": "nieuwe", "role": "vdab", "scope": scope,
                                                             "password": password}))
            self.assertEqual(r.status, 422, password)
            self.assertIn(problem, r.text())
            self.assertIn('value="nieuwe"', r.text(), "the form keeps what was typed")
        self.assertEqual(snapshot(), before)
        r = admin.post("/accounts", with_values(fields, {"login": "nieuwe", "role": "vdab", "scope": "Limburg",
                                                         "password": "twaalf tekens"}))
        self.assertEqual(r.status, 303)
        c = Client()
        self.assertEqual(c.login("nieuwe", "twaalf tekens").status, 303)
        self.assertEqual(c.get("/agreements/%s/edit" % AG).status, 403, "Limburg is not Antwerpen")
        listed = somon("user", "list").stdout
        self.assertRegex(listed, r"nieuwe\s+vdab\s+active\s+Limburg")
        # a change of rights ends the account's sessions
        change = [f for a, f in all_forms(admin.get("/accounts").text())
                  if a == "/accounts/nieuwe" and dict(f).get("op") == "change"][0]
        self.assertEqual(admin.post("/accounts/nieuwe", with_values(change, {"scope": "Antwerpen"})).status, 303)
        self.assertNotIn("U bent aangemeld", c.get("/login").text())
        self.assertEqual(c.login("nieuwe", "twaalf tekens").status, 303)
        self.assertEqual(c.get("/agreements/%s/edit" % AG).status, 200)
        disable = [f for a, f in all_forms(admin.get("/accounts").text())
                   if a == "/accounts/nieuwe" and dict(f).get("op") == "disable"][0]
        self.assertEqual(admin.post("/accounts/nieuwe", disable).status, 303)
        self.assertEqual(c.get("/agreements/%s/edit" % AG).status, 303)
        self.assertEqual(Client().login("nieuwe", "twaalf tekens").status, 403)
        self.assertRegex(somon("user", "list").stdout, r"nieuwe\s+vdab\s+disabled")
        # who did it is recorded
        con = db()
        try:
            actors = con.execute("SELECT actor, detail FROM change WHERE detail LIKE '%nieuwe%'").fetchall()
        finally:
            con.close()
        self.assertEqual([a for a, _ in actors], ["admin"] * 3, actors)


# ---- what anonymous readers do not see -----------------------------------------

class Redaction(unittest.TestCase):
    NAMES = ["Caroline", "Stijn", "Marleen", "Anke"]  # members of a Mechelen working group

    def test_names_of_people(self):
        anon = Client().get("/agreements/" + AG).text()
        seen = signed_in("viewer").get("/agreements/" + AG).text()
        for name in self.NAMES:
            with self.subTest(name=name):
                self.assertNotIn(name, anon)
                self.assertIn(name, seen)
        for url in ("/api/v1/agreements/" + AG, "/api/v1/agreements", "/agreements/%s?format=csv" % AG,
                    "/history?format=csv", "/history?agreement=%s" % AG):
            text = Client().get(url).text()
            for name in self.NAMES + ["Vandersmissen", "Adriaens"]:
                self.assertNotIn(name, text, url)
        # signatories too: their names for signed-in readers, their functions for all
        csv_seen = signed_in("viewer").get("/agreements/%s?format=csv" % AG).text()
        self.assertIn("Alexander Vandersmissen", csv_seen)
        self.assertIn("waarnemend burgemeester", Client().get("/agreements/%s?format=csv" % AG).text())

    def test_authors_of_changes(self):
        anon = Client().get("/history").text()
        for login in ACCOUNTS:
            self.assertNotIn(">%s<" % login, anon)
        self.assertNotIn('name="actor"', anon, "no filter on people for anonymous readers")
        self.assertIn("admin", signed_in("viewer").get("/history").text())
        csv_anon = Client().get("/history?format=csv").text()
        self.assertNotIn("vdab-ant", csv_anon)


if __name__ == "__main__":
    for name, value in (("SOMON", SOMON), ("SOMON_DB", DB), ("SOMON_PORT", PORT), ("SOMON_SERVER_ERR", SERVER_ERR)):
        if not value:
            raise SystemExit("test_accounts.py: %s is not set; run tests/http/run.sh" % name)
    unittest.main(verbosity=1)
