#!/usr/bin/python3
"""Authorisation of edits and stale saves over HTTP (issue 8, items 1 and 3),
against the server of tests/http/run.sh.

Item 1, scope: an account scoped to provinces (vdab) or to municipalities
and organisations (local) may only leave an agreement where it may still act
on it. The forms offer only values inside the scope; a save that would move
an agreement out of it (its directorate, a regiegebied of another province,
a new agreement in another province) is refused with a Dutch message beside
the field and the input kept; a local account never reaches the parties;
fields that a form does not have are ignored; ids of actions, bodies,
meetings and versions of another agreement are refused.

Item 3, lost updates: two saves of a form opened on the same version cannot
both succeed, posted one after the other or at the same moment from
threads: exactly one is saved, the others get the stale answer (409) with
their input kept, and exactly one change is recorded.

The test imports its own agreements and makes its own accounts (fast test
hash), so it runs after the other suites or alone (through run.sh, or with
SOMON, SOMON_DB, SOMON_PORT and SOMON_TMP set). Standard library only; run
with /usr/bin/python3. Prints 'N passed, 0 failed'.
"""

import json
import os
import re
import socket
import sqlite3
import sys
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import somon_http  # noqa: E402
from somon_http import (DB, PASSWORD, PORT, SOMON, TMP, Client, form_fields, hostile, read_to_close, somon,  # noqa: E402
                        value_of, with_values)
from test_accounts import api_agreement as stored  # noqa: E402  (the agreement as anonymous readers see it)
from test_accounts import db, error_beside, problems, snapshot  # noqa: E402
from test_accounts import signed_in as who  # noqa: E402  (a signed-in client, kept for the next test)

ANT = "SO-SEC-ANT"      # Antwerpen; parties VDAB and Arendonk (13001)
LIM = "SO-SEC-LIM"      # Limburg; parties VDAB and As (71002)
RG = "SO-SEC-RG"        # Antwerpen, in a regiegebied of Limburg (as an administrator may place it)
RACE = "SO-SEC-RACE"    # Antwerpen: the target of the stale and concurrent saves
TERM = "SO-SEC-TERM"    # Antwerpen: terminated against a stale title change
# Municipalities of Antwerpen untouched by the 2025 mergers, to add as parties of RACE: the
# new-party case posts FREE_NIS[i] for the save numbered i (1 and 2, then 3 to 26: each once).
FREE_NIS = ["13002", "13003", "13004", "13006", "13008", "13010", "13011", "13013", "13014", "13016", "13017",
            "13019", "13021", "13023", "13025", "13029", "13031", "13035", "13036", "13037", "13040", "13044",
            "13046", "13049", "13053", "11001", "11005", "11008", "11009", "11013", "11016", "11018", "11021",
            "11024", "11025", "11029", "11030", "11035", "11038", "11039", "11040", "11044"]
PROVINCES = ["West-Vlaanderen", "Oost-Vlaanderen", "Antwerpen", "Vlaams-Brabant", "Limburg"]

ACCOUNTS = {
    "sec-admin": ("admin", ""),
    "sec-vdab-ant": ("vdab", "Antwerpen"),
    "sec-vdab-two": ("vdab", "Antwerpen,Limburg"),
    "sec-local": ("local", "13001"),
    "sec-local-lim": ("local", "71002"),
}

def agreement_doc(ident, province, nis, regiegebied=None):
    return {
        "id": ident, "title": "Proef " + ident, "vdab_directorate": province, "regiegebied": regiegebied,
        "status": "signed", "start": "2022-01-01", "end": "2027-12-31",
        "parties": [{"organisation": "VDAB"},
                    {"municipality": nis, "approved_on": "2021-12-01",
                     "signatories": [{"name": "Jan Peeters", "function": "burgemeester"}]}],
        "action_plan": [{"theme": "Meer mensen aan de slag", "domains": [{"number": "1", "title": "Jongeren", "actions": [
            {"number": "1.1", "title": "Schooluitval", "lead": "VDAB", "status": "ongoing"},
            {"number": "1.2", "title": "Stages", "lead": None, "status": None}]}]}],
        "governance": [{"body": "Stuurgroep", "convener": "VDAB", "min_meetings": 2, "per_years": 1, "members": [
            {"name": "Anna Claes", "function": "voorzitter", "organisation": "VDAB"}]}],
    }


def setUpModule():
    if not (SOMON and DB and PORT):
        raise unittest.SkipTest("run through tests/http/run.sh (SOMON, SOMON_DB, SOMON_PORT)")
    listed = somon("user", "list").stdout
    for login, (role, scope) in ACCOUNTS.items():
        if not re.search(r"(?m)^%s\s" % re.escape(login), listed):
            args = ["user", "add", login, "--role", role] + (["--scope", scope] if scope else [])
            r = somon(*args, stdin=PASSWORD + "\n")
            assert r.returncode == 0, (args, r.stdout, r.stderr)
    doc = {"format": "somon/1",
           "regiegebieden": [{"id": "RG-SEC-ANT", "name": "Proef Kempen", "province": "Antwerpen", "members": ["13001"]},
                             {"id": "RG-SEC-LIM", "name": "Proef Limburg", "province": "Limburg", "members": ["71002"]}],
           "agreements": [agreement_doc(ANT, "Antwerpen", "13001"), agreement_doc(LIM, "Limburg", "71002"),
                          agreement_doc(RG, "Antwerpen", "13001", "RG-SEC-LIM"),
                          agreement_doc(RACE, "Antwerpen", "13001"), agreement_doc(TERM, "Antwerpen", "13001")]}
    path = os.path.join(TMP, "security-edit.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    r = somon("--actor", "tester", "import", path)
    assert r.returncode == 0, r.stderr


def options(html, name):
    m = re.search(r'<select[^>]*name="%s".*?</select>' % re.escape(name), html, re.S)
    assert m, "no select %s" % name
    return [v for v in re.findall(r'<option value="([^"]*)"', m.group(0))]


def query(sql, *args):
    con = db()
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def action_uids(ident):
    return [r[0] for r in query("SELECT x.uid FROM action x JOIN agreement a ON a.vid = x.vid"
                                " WHERE a.id = ? AND a.rec_until IS NULL ORDER BY x.uid", ident)]


def body_uids(ident):
    return [r[0] for r in query("SELECT g.uid FROM governance_body g JOIN agreement a ON a.vid = g.vid"
                                " WHERE a.id = ? AND a.rec_until IS NULL ORDER BY g.uid", ident)]


def version_of(ident):
    return query("SELECT vid FROM agreement WHERE id = ? AND rec_until IS NULL", ident)[0][0]


def last_change_id():
    return query("SELECT max(id) FROM change")[0][0]


def new_meeting(ident, login="sec-admin", day="2023-03-01"):
    c = who(login)
    url = "/agreements/%s/meetings" % ident
    r = c.post(url, with_values(c.form(url + "/new", url), {"held_on": day, "state": "held"}))
    assert r.status == 303, (r.status, problems(r.text()))
    return int(r.header("location").rsplit("#meeting-", 1)[1])


# ---- item 1: a scoped account stays inside its scope ---------------------------------

class DirectorateScope(unittest.TestCase):
    def test_the_edit_form_offers_only_the_directorates_in_scope(self):
        for login, expected in (("sec-vdab-ant", ["Antwerpen"]), ("sec-vdab-two", ["Antwerpen", "Limburg"]),
                                ("sec-admin", PROVINCES)):
            with self.subTest(who=login):
                html = who(login).get("/agreements/%s/edit" % ANT).text()
                self.assertEqual(options(html, "vdab_directorate"), expected)
                new = who(login).get("/agreements/new").text()
                self.assertEqual(options(new, "vdab_directorate"), expected)

    def test_moving_out_of_scope_is_refused_beside_the_field(self):
        c = who("sec-vdab-ant")
        url = "/agreements/" + ANT
        fields = c.form(url + "/edit", url)
        for province in [p for p in PROVINCES if p != "Antwerpen"] + ["Limbourg", "limburg", "", "all"]:
            with self.subTest(province=province):
                before = snapshot()
                r = c.post(url, with_values(fields, {"vdab_directorate": province, "title": "Mijn titel voor " + province}))
                hostile()
                self.assertEqual(r.status, 422, problems(r.text()))
                html = r.text()
                self.assertIn("Mijn titel voor " + province, html, "the input is kept")
                self.assertIsNotNone(error_beside(html, "vdab_directorate"), problems(html))
                if province in PROVINCES:
                    self.assertIn("Antwerpen", error_beside(html, "vdab_directorate"))
                self.assertEqual(options(html, "vdab_directorate"), ["Antwerpen"])
                self.assertEqual(snapshot(), before)
        self.assertEqual(stored(ANT)["vdab_directorate"], "Antwerpen")
        # the same form, inside the scope, is saved
        r = c.post(url, with_values(fields, {"title": "Proef SO-SEC-ANT, herzien"}))
        self.assertEqual(r.status, 303, problems(r.text()))

    def test_an_account_of_two_provinces_moves_between_them(self):
        c = who("sec-vdab-two")
        ident = "SO-SEC-MOVE"
        fields = c.form("/agreements/new", "/agreements")
        r = c.post("/agreements", with_values(fields, {"id": ident, "title": "Verhuist", "vdab_directorate": "Antwerpen",
                                                       "status": "draft"}))
        self.assertEqual(r.status, 303, problems(r.text()))
        url = "/agreements/" + ident
        for province, status in (("Limburg", 303), ("Oost-Vlaanderen", 422), ("Antwerpen", 303)):
            r = c.post(url, with_values(c.form(url + "/edit", url), {"vdab_directorate": province}))
            self.assertEqual(r.status, status, problems(r.text()))
            hostile(status == 422)
        self.assertEqual(stored(ident)["vdab_directorate"], "Antwerpen")
        # and sec-vdab-ant, who may not follow it to Limburg, may not send it there
        ant = who("sec-vdab-ant")
        r = ant.post(url, with_values(ant.form(url + "/edit", url), {"vdab_directorate": "Limburg"}))
        hostile()
        self.assertEqual(r.status, 422)

    def test_a_new_agreement_outside_the_scope_is_refused_beside_the_field(self):
        c = who("sec-vdab-ant")
        fields = c.form("/agreements/new", "/agreements")
        for province in [p for p in PROVINCES if p != "Antwerpen"]:
            with self.subTest(province=province):
                ident = "SO-SEC-NEW-" + province.upper()
                before = snapshot()
                r = c.post("/agreements", with_values(fields, {"id": ident, "title": "Nieuw in " + province,
                                                               "vdab_directorate": province, "status": "draft"}))
                hostile()
                self.assertEqual(r.status, 422, r.text()[:1500])
                self.assertIn("Nieuw in " + province, r.text(), "the input is kept")
                self.assertIn("Antwerpen", error_beside(r.text(), "vdab_directorate") or "", problems(r.text()))
                self.assertEqual(snapshot(), before)
                self.assertEqual(Client().get("/api/v1/agreements/" + ident).status, 404)

    def test_create_in_scope_then_move_out(self):
        c = who("sec-vdab-ant")
        ident = "SO-SEC-CREATE-MOVE"
        r = c.post("/agreements", with_values(c.form("/agreements/new", "/agreements"), {
            "id": ident, "title": "Eerst hier", "vdab_directorate": "Antwerpen", "status": "draft"}))
        self.assertEqual(r.status, 303, problems(r.text()))
        url = "/agreements/" + ident
        before = snapshot()
        r = c.post(url, with_values(c.form(url + "/edit", url), {"vdab_directorate": "Limburg"}))
        hostile()
        self.assertEqual(r.status, 422)
        self.assertEqual(snapshot(), before)

    def test_an_existing_id_of_another_province_is_not_overwritten(self):
        c = who("sec-vdab-ant")
        before = snapshot()
        for ident in (LIM, ANT):
            r = c.post("/agreements", with_values(c.form("/agreements/new", "/agreements"), {
                "id": ident, "title": "Overschreven", "vdab_directorate": "Antwerpen", "status": "draft"}))
            hostile()
            self.assertEqual(r.status, 422)
            self.assertIn("bestaat al", error_beside(r.text(), "id") or "")
        self.assertEqual(snapshot(), before)

    def test_the_id_of_another_agreement_in_the_edit_form_is_ignored(self):
        c = who("sec-vdab-ant")
        url = "/agreements/" + ANT
        lim = stored(LIM)
        r = c.post(url, with_values(c.form(url + "/edit", url), {"id": LIM, "title": "Niet van Limburg"}))
        hostile()
        self.assertEqual(r.status, 303, problems(r.text()))
        self.assertEqual(stored(ANT)["title"], "Niet van Limburg")
        self.assertEqual(stored(LIM), lim)

    def test_agreements_outside_the_scope_cannot_be_reached(self):
        c = who("sec-vdab-ant")
        csrf = c.csrf()
        before = snapshot()
        for url, form in (("/agreements/" + LIM, {"title": "x", "vdab_directorate": "Antwerpen"}),
                          ("/agreements/%s/notes" % LIM, {"notes": "x"}),
                          ("/agreements/%s/parties" % LIM, {"parties[2].municipality": "13002"}),
                          ("/agreements/%s/parties/1/remove" % LIM, {}),
                          ("/agreements/%s/plan" % LIM, {}),
                          ("/agreements/%s/governance" % LIM, {}),
                          ("/agreements/%s/evaluations" % LIM, {"year": "2023"})):
            with self.subTest(url=url):
                form = dict(form, csrf=csrf, version=str(version_of(LIM)))
                r = c.post(url, list(form.items()))
                hostile()
                self.assertEqual(r.status, 403)
        self.assertEqual(snapshot(), before)


class RegiegebiedScope(unittest.TestCase):
    def test_the_forms_offer_the_regiegebieden_in_scope(self):
        c = who("sec-vdab-ant")
        html = c.get("/agreements/%s/edit" % ANT).text()
        self.assertIn("RG-SEC-ANT", options(html, "regiegebied"))
        self.assertNotIn("RG-SEC-LIM", options(html, "regiegebied"))
        self.assertNotIn("RG-SEC-LIM", options(c.get("/agreements/new").text(), "regiegebied"))
        # the one an administrator chose stays on offer, so the form can be saved as it is
        self.assertIn("RG-SEC-LIM", options(c.get("/agreements/%s/edit" % RG).text(), "regiegebied"))
        self.assertIn("RG-SEC-LIM", options(who("sec-vdab-two").get("/agreements/%s/edit" % ANT).text(), "regiegebied"))

    def test_a_regiegebied_of_another_province_is_refused_beside_the_field(self):
        c = who("sec-vdab-ant")
        url = "/agreements/" + ANT
        before = snapshot()
        r = c.post(url, with_values(c.form(url + "/edit", url), {"regiegebied": "RG-SEC-LIM", "title": "Met regio"}))
        hostile()
        self.assertEqual(r.status, 422, problems(r.text()))
        self.assertIn("Limburg", error_beside(r.text(), "regiegebied") or "", problems(r.text()))
        self.assertIn("Met regio", r.text())
        r = c.post("/agreements", with_values(c.form("/agreements/new", "/agreements"), {
            "id": "SO-SEC-NEW-RG", "title": "Nieuw met regio", "vdab_directorate": "Antwerpen",
            "regiegebied": "RG-SEC-LIM", "status": "draft"}))
        hostile()
        self.assertEqual(r.status, 422, problems(r.text()))
        self.assertIsNotNone(error_beside(r.text(), "regiegebied"))
        self.assertEqual(snapshot(), before)
        r = c.post(url, with_values(c.form(url + "/edit", url), {"regiegebied": "RG-SEC-ANT"}))
        self.assertEqual(r.status, 303, problems(r.text()))
        self.assertEqual(stored(ANT)["regiegebied"], "RG-SEC-ANT")

    def test_a_regiegebied_set_by_an_administrator_does_not_lock_the_agreement(self):
        c = who("sec-vdab-ant")
        url = "/agreements/" + RG
        r = c.post(url, with_values(c.form(url + "/edit", url), {"title": "Titel gewijzigd"}))
        self.assertEqual(r.status, 303, problems(r.text()))
        self.assertEqual((stored(RG)["title"], stored(RG)["regiegebied"]), ("Titel gewijzigd", "RG-SEC-LIM"))
        r = c.post(url + "/notes", with_values(c.form(url + "/notes/edit", url + "/notes"), {"notes": "Nota"}))
        self.assertEqual(r.status, 303, problems(r.text()))


class LocalScope(unittest.TestCase):
    def test_a_local_account_never_reaches_the_parties_or_the_fields(self):
        c = who("sec-local")
        csrf = c.csrf()
        v = str(version_of(ANT))
        before = snapshot()
        for url, form in (("/agreements/%s/parties" % ANT, {"parties[2].municipality": "71002"}),
                          ("/agreements/%s/parties/1" % ANT, {"parties[1].municipality": "71002"}),
                          ("/agreements/%s/parties/1/remove" % ANT, {}),
                          ("/agreements/" + ANT, {"title": "x", "vdab_directorate": "Limburg", "status": "signed"}),
                          ("/agreements", {"id": "SO-SEC-LOCAL", "title": "x", "vdab_directorate": "Antwerpen"})):
            with self.subTest(url=url):
                r = c.post(url, list(dict(form, csrf=csrf, version=v).items()))
                hostile()
                self.assertEqual(r.status, 403)
        for page in ("/agreements/%s/edit" % ANT, "/agreements/%s/parties/new" % ANT, "/agreements/new"):
            self.assertEqual(c.get(page).status, 403, page)
        self.assertEqual(snapshot(), before)

    def test_fields_a_form_does_not_have_are_ignored(self):
        c = who("sec-local")
        extra = {"vdab_directorate": "Limburg", "id": LIM, "status": "terminated", "terminated_on": "2023-01-01",
                 "terminated_by": "VDAB", "regiegebied": "RG-SEC-LIM", "title": "Overgenomen",
                 "parties[1].municipality": "71002", "parties[2].municipality": "71002", "notes": "Nota lokaal"}
        ag_before = stored(ANT)
        for page, action, change in (
                ("/agreements/%s/notes/edit" % ANT, "/agreements/%s/notes" % ANT, {}),
                ("/agreements/%s/plan/edit" % ANT, "/agreements/%s/plan" % ANT,
                 {"action_plan[0].domains[0].actions[1].title": "Stages lokaal"}),
                ("/agreements/%s/governance/edit" % ANT, "/agreements/%s/governance" % ANT,
                 {"governance[0].members[0].function": "voorzitter lokaal"})):
            with self.subTest(form=page):
                r = c.post(action, with_values(c.form(page, action), dict(extra, **change)))
                hostile()
                self.assertEqual(r.status, 303, problems(r.text()))
        after = stored(ANT)
        for key in ("title", "vdab_directorate", "regiegebied", "status", "terminated_on", "terminated_by", "parties"):
            self.assertEqual(after[key], ag_before[key], key)
        self.assertEqual(after["notes"], "Nota lokaal")
        self.assertEqual(after["action_plan"][0]["domains"][0]["actions"][1]["title"], "Stages lokaal")
        self.assertEqual(stored(LIM)["title"], "Proef " + LIM)

    def test_ids_of_another_agreement_are_refused(self):
        c = who("sec-local")
        lim_actions, lim_bodies = action_uids(LIM), body_uids(LIM)
        lim_meeting = new_meeting(LIM)
        lim_before = stored(LIM)
        before = snapshot()
        plan = "/agreements/%s/plan" % ANT
        gov = "/agreements/%s/governance" % ANT
        ev = "/agreements/%s/evaluations" % ANT
        meet = "/agreements/%s/meetings" % ANT
        cases = [
            (plan + "/edit", plan, {"action_plan[0].domains[0].actions[0].uid": str(lim_actions[0])}, 422),
            (plan + "/edit", plan, {"action_plan[0].domains[0].actions[2].uid": str(lim_actions[0]),
                                    "action_plan[0].domains[0].actions[2].number": "1.9",
                                    "action_plan[0].domains[0].actions[2].title": "Gestolen"}, 422),
            (gov + "/edit", gov, {"governance[0].uid": str(lim_bodies[0])}, 422),
            (gov + "/edit", gov, {"governance[1].uid": str(lim_bodies[0]), "governance[1].body": "Gestolen"}, 422),
            (ev + "/edit?year=2023", ev, {"actions[0].uid": str(lim_actions[0]), "actions[0].status": "ongoing"}, 422),
            (ev + "/edit?year=2023", ev, {"actions[1].uid": "%d " % lim_actions[0], "actions[1].status": "ongoing"}, 422),
            (meet + "/new", meet, {"body_uid": str(lim_bodies[0]), "held_on": "2023-04-01", "state": "held"}, 422),
        ]
        for page, action, change, status in cases:
            with self.subTest(action=action, change=change):
                r = c.post(action, with_values(c.form(page, action), change))
                hostile()
                self.assertEqual(r.status, status, problems(r.text()))
        # a meeting of another agreement through this agreement's URL
        mine = new_meeting(ANT, "sec-admin", "2023-05-01")
        url = "/agreements/%s/meetings/%d" % (ANT, mine)
        fields = c.form(url + "/edit", url)
        for target in ("/agreements/%s/meetings/%d" % (ANT, lim_meeting),
                       "/agreements/%s/meetings/%d/cancel" % (ANT, lim_meeting)):
            with self.subTest(target=target):
                r = c.post(target, with_values(fields, {"decisions": "Gestolen"}))
                hostile()
                self.assertEqual(r.status, 404)
        self.assertEqual(c.get("/agreements/%s/meetings/%d/edit" % (ANT, lim_meeting)).status, 404)
        # the version of another agreement
        notes = "/agreements/%s/notes" % ANT
        r = c.post(notes, with_values(c.form(notes + "/edit", notes), {"version": str(version_of(LIM)),
                                                                       "notes": "Met een vreemde versie"}))
        hostile()
        self.assertEqual(r.status, 409, problems(r.text()))
        self.assertNotIn("Proef " + LIM, r.text(), "no differences against a version of another agreement")
        # a local account of the other agreement cannot reach this one
        lim = who("sec-local-lim")
        r = lim.post(notes, with_values(c.form(notes + "/edit", notes), {"csrf": lim.csrf(), "notes": "Van As"}))
        hostile()
        self.assertEqual(r.status, 403)
        self.assertEqual(snapshot()[0], before[0] + 1, "only the meeting made for this test was recorded")
        self.assertEqual(stored(LIM), lim_before)

    def test_a_local_account_is_never_scoped_to_vdab(self):
        # VDAB is a party to every agreement: a local account scoped to it would reach them all
        for scope in ("VDAB", "13001,VDAB"):
            r = somon("user", "add", "sec-local-vdab", "--role", "local", "--scope", scope, stdin=PASSWORD + "\n")
            hostile()
            self.assertEqual(r.returncode, 64, r.stderr)
            self.assertIn("VDAB is a party to every agreement", r.stderr)
        admin = who("sec-admin")
        page = admin.get("/accounts").text()
        r = admin.post("/accounts", with_values(form_fields(page, "/accounts"), {
            "login": "sec-local-vdab", "role": "local", "scope": "VDAB", "password": PASSWORD}))
        hostile()
        self.assertEqual(r.status, 422)
        self.assertIn("VDAB is partij van elke overeenkomst", r.text())
        # one made before the rule (its scope set in the database) reaches nothing through VDAB
        r = somon("user", "add", "sec-local-old", "--role", "local", "--scope", "71002", stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        con = sqlite3.connect(DB, timeout=30)
        with con:
            con.execute("UPDATE account SET scope = 'VDAB' WHERE login = 'sec-local-old'")
        con.close()
        c = who("sec-local-old")
        before = snapshot()
        for ident in (ANT, LIM, RACE):
            self.assertEqual(c.get("/agreements/%s/notes/edit" % ident).status, 403, ident)
            r = c.post("/agreements/%s/notes" % ident, [("csrf", c.csrf()), ("version", str(version_of(ident))),
                                                          ("notes", "Via VDAB")])
            hostile()
            self.assertEqual(r.status, 403, ident)
        self.assertEqual(snapshot(), before)

    def test_duplicate_rows_in_the_evaluations_form_are_refused(self):
        c = who("sec-local")
        ev = "/agreements/%s/evaluations" % ANT
        fields = c.form(ev + "/edit?year=2022", ev)
        uid = value_of(fields, "actions[0].uid")
        before = snapshot()
        r = c.post(ev, with_values(fields, {"actions[0].status": "ongoing", "actions[1].uid": uid,
                                            "actions[1].status": "achieved"}))
        hostile()
        self.assertEqual(r.status, 422, problems(r.text()))
        self.assertEqual(snapshot(), before)


# ---- item 3: two saves of one version: exactly one wins --------------------------------

def race_meeting():
    """A meeting of RACE, made once."""
    if not hasattr(race_meeting, "mid"):
        race_meeting.mid = new_meeting(RACE, day="2023-06-01")
    return race_meeting.mid


def form_cases():
    """(name, form page, action, change(fields, i) -> fields, how to read back what was saved)."""
    ag = "/agreements/" + RACE
    meeting = "%s/meetings/%d" % (ag, race_meeting())

    def party_field(fields):
        return [n for n, _ in fields if n.endswith(".municipality")][0][:-len(".municipality")]

    def added_party(fields, i):
        p = party_field(fields)
        return with_values(fields, {p + ".municipality": FREE_NIS[i % len(FREE_NIS)], p + ".approved_on": "2021-12-01"})

    return [
        ("fields", ag + "/edit", ag, lambda f, i: with_values(f, {"title": "Titel %d" % i})),
        ("notes", ag + "/notes/edit", ag + "/notes", lambda f, i: with_values(f, {"notes": "Nota %d" % i})),
        ("party", ag + "/parties/1/edit", ag + "/parties/1",
         lambda f, i: with_values(f, {"signatories": "Persoon %d, burgemeester" % i})),
        ("new party", ag + "/parties/new", ag + "/parties", added_party),
        ("plan", ag + "/plan/edit", ag + "/plan",
         lambda f, i: with_values(f, {"action_plan[0].domains[0].actions[0].title": "Actie %d" % i})),
        ("governance", ag + "/governance/edit", ag + "/governance",
         lambda f, i: with_values(f, {"governance[0].members[0].function": "functie %d" % i})),
        ("evaluations", ag + "/evaluations/edit?year=2023", ag + "/evaluations",
         lambda f, i: with_values(f, {"actions[0].status": "ongoing", "actions[0].result": "Resultaat %d" % i})),
        ("meeting", meeting + "/edit", meeting, lambda f, i: with_values(f, {"decisions": "Besluit %d" % i})),
    ]


def raw_post(client, url, fields):
    """The bytes of a POST as Client.request would send them."""
    body = urllib.parse.urlencode(fields).encode()
    cookie = "; ".join("%s=%s" % kv for kv in client.cookies.items())
    head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nCookie: %s\r\nContent-Type: application/x-www-form-urlencoded"
            "\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % (url, PORT, cookie, len(body))).encode()
    return head + body


def read_status(sock):
    data = read_to_close(sock)
    m = re.match(rb"HTTP/1\.1 (\d{3})", data)
    return int(m.group(1)) if m else 0, data


def concurrent_posts(requests, hold=0.0):
    """Sends every request at the same moment (connected first, then all
    written at once); returns (status, response) in order. hold: seconds
    during which this test holds the database's write lock, so that every
    save has read what it reads outside the lock before any of them writes."""
    socks = [socket.create_connection(("127.0.0.1", PORT), timeout=60) for _ in requests]
    barrier = threading.Barrier(len(requests) + 1)
    out = [None] * len(requests)

    def one(i):
        barrier.wait()
        socks[i].sendall(requests[i])
        out[i] = read_status(socks[i])
        socks[i].close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(requests))]
    for t in threads:
        t.start()
    lock = None
    if hold:
        lock = sqlite3.connect(DB, timeout=30, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
    barrier.wait()
    if lock:
        time.sleep(hold)
        lock.execute("ROLLBACK")
        lock.close()
    for t in threads:
        t.join()
    return out


class StaleSaves(unittest.TestCase):
    def test_one_after_the_other_on_every_form(self):
        a, b = who("sec-admin"), who("sec-vdab-ant")
        for name, page, action, change in form_cases():
            with self.subTest(form=name):
                fa, fb = a.form(page, action), b.form(page, action)
                self.assertEqual(value_of(fa, "version"), value_of(fb, "version"))
                r = a.post(action, change(fa, 1))
                self.assertEqual(r.status, 303, problems(r.text()))
                before = snapshot()
                mine = change(fb, 2)
                r = b.post(action, mine)
                hostile()
                self.assertEqual(r.status, 409, problems(r.text()))
                self.assertIn("Er is niets bewaard", r.text())
                kept = dict(form_fields(r.text(), action))
                for k, v in mine:
                    if k not in ("csrf", "version") and v:
                        self.assertEqual(kept.get(k, "").replace("\r\n", "\n"), v, "the input of %s is kept" % k)
                self.assertEqual(snapshot(), before)

    def test_terminate_against_a_stale_title(self):
        a, b = who("sec-vdab-ant"), who("sec-vdab-two")
        url = "/agreements/" + TERM
        fa, fb = a.form(url + "/edit", url), b.form(url + "/edit", url)
        r = a.post(url, with_values(fa, {"status": "terminated", "terminated_on": "2024-01-01", "terminated_by": "VDAB"}))
        self.assertEqual(r.status, 303, problems(r.text()))
        before = snapshot()
        r = b.post(url, with_values(fb, {"title": "Nog lopend"}))
        hostile()
        self.assertEqual(r.status, 409)
        self.assertIn("Nog lopend", r.text())
        self.assertEqual(snapshot(), before)
        self.assertEqual(stored(TERM)["status"], "terminated")

    def test_a_party_removed_twice(self):
        a = who("sec-admin")
        url = "/agreements/%s/parties" % RACE
        r = a.post(url, added_party_fields(a, "13012"))
        self.assertEqual(r.status, 303, problems(r.text()))
        index = [p.get("municipality") for p in stored(RACE)["parties"]].index("13012")
        remove = "%s/%d/remove" % (url, index)
        fields = a.form("/agreements/" + RACE, remove)
        before = last_change_id()
        self.assertEqual(a.post(remove, fields).status, 303)
        r = a.post(remove, fields)
        hostile()
        self.assertIn(r.status, (404, 409))  # the party is gone, or another one took its place
        self.assertEqual(last_change_id(), before + 1)

    def test_a_meeting_cancelled_over_a_correction(self):
        a, b = who("sec-admin"), who("sec-local")
        mid = new_meeting(RACE, day="2023-07-01")
        url = "/agreements/%s/meetings/%d" % (RACE, mid)
        cancel = b.form("/agreements/" + RACE, url + "/cancel")
        r = a.post(url, with_values(a.form(url + "/edit", url), {"decisions": "Verbeterd"}))
        self.assertEqual(r.status, 303)
        before = snapshot()
        r = b.post(url + "/cancel", cancel)
        hostile()
        self.assertEqual(r.status, 409)
        self.assertEqual(snapshot(), before)

    def at_the_same_moment(self, hold, first):
        """rounds of saves of one version; the i-th save posts value first + i."""
        a = who("sec-admin")
        rounds, width = 3, 4
        for name, page, action, change in form_cases():
            for n in range(rounds):
                with self.subTest(form=name, round=n, hold=hold):
                    fields = a.form(page, action)
                    before = last_change_id()
                    requests = [raw_post(a, action, change(fields, first + width * n + i))
                                for i in range(width)]
                    out = concurrent_posts(requests, hold)
                    hostile(width - 1)
                    statuses = sorted(s for s, _ in out)
                    self.assertEqual(statuses, [303] + [409] * (width - 1), "exactly one save wins: %s" % statuses)
                    self.assertEqual(last_change_id(), before + 1, "exactly one change is recorded")
                    for status, response in out:
                        if status == 409:
                            self.assertIn(b"Er is niets bewaard", response)

    def test_at_the_same_moment_on_every_form(self):
        self.at_the_same_moment(0, 3)

    def test_at_the_same_moment_while_the_register_is_busy(self):
        # every save reads its version while another writer holds the lock, then waits for it
        self.at_the_same_moment(0.6, 15)


def added_party_fields(client, nis):
    url = "/agreements/%s/parties" % RACE
    fields = client.form(url + "/new", url)
    p = [n for n, _ in fields if n.endswith(".municipality")][0][:-len(".municipality")]
    return with_values(fields, {p + ".municipality": nis, p + ".approved_on": "2021-12-01"})


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=1).result
    passed, failed = somon_http.unittest_counts(result)
    print("security-edit: %d hostile requests sent" % somon_http.hostile_count())
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed or not result.wasSuccessful() else 0)
