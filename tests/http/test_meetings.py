#!/usr/bin/python3
"""Meetings of governance bodies, compliance and the iCalendar feeds over HTTP
(issue 5, docs/compliance.md), against the server of tests/http/run.sh, after
test_accounts.py (whose accounts, browser and helpers it reuses).

A fresh agreement SO-T-MEET (Antwerpen, Mechelen a party, in force from
1/10/2021 to 31/12/2025) is imported with two bodies; meetings are added,
corrected and cancelled through the forms as a browser would, and the
compliance figures on known dates are compared with figures worked out by
hand here. The feeds are parsed with Debian's python3-icalendar.

Run with /usr/bin/python3 (python3-icalendar).
"""

import json
import os
import re
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_accounts import (ACCOUNTS, ANONYMOUS, DB, PASSWORD, PORT, SOMON, TMP, Client, actor, db,  # noqa: E402
                           error_beside, form_fields, problems, signed_in, snapshot, somon, with_values)

from somon_http import iso_date, people_csv  # noqa: E402
import icalendar  # noqa: E402  (python3-icalendar)

AG = "SO-T-MEET"
ALLOWED = {"admin", "vdab-ant", "vdab-all", "local-mechelen"}  # PERM_GOVERNANCE on an Antwerpen agreement with 12025
LONG = ("Besluit: één, twee; drie\\vier — “citaat” 𝄞 €. " * 12).strip() + "\nTweede regel, met komma; en puntkomma"


def setUpModule():
    if not (SOMON and DB and PORT):
        raise unittest.SkipTest("run through tests/http/run.sh (SOMON, SOMON_DB, SOMON_PORT)")
    for login, (role, scope) in ACCOUNTS.items():  # made by test_accounts.py; made here when run alone
        if somon("user", "list").stdout.find(login + " ") < 0:
            args = ["user", "add", login, "--role", role] + (["--scope", scope] if scope else [])
            r = somon(*args, stdin=PASSWORD + "\n")
            assert r.returncode == 0, (args, r.stdout, r.stderr)
    doc = {"format": "somon/1", "agreements": [{
        "id": AG, "title": "Proef vergaderingen", "vdab_directorate": "Antwerpen", "status": "signed",
        "start": "2021-10-01", "end": "2025-12-31",
        "parties": [{"municipality": "12025", "approved_on": "2021-09-01"}],
        "governance": [
            {"body": "Stuurgroep", "convener": "VDAB", "min_meetings": 2, "per_years": 1, "members": [
                {"name": "Anna Peeters", "function": "voorzitter", "organisation": "VDAB"},
                {"name": "Bart Claes", "function": "schepen", "organisation": "stad Mechelen"}]},
            {"body": "Beleidsoverleg", "convener": "stad", "min_meetings": 1, "per_years": 2, "members": []}]}]}
    path = os.path.join(TMP, "meetings.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    r = somon("--actor", "tester", "import", path)
    assert r.returncode == 0, r.stderr


def body_uid(name, agreement=AG):
    con = db()
    try:
        return con.execute("SELECT g.uid FROM governance_body g JOIN agreement a ON a.vid = g.vid"
                           " WHERE a.id = ? AND a.rec_until IS NULL AND g.body = ?", (agreement, name)).fetchone()[0]
    finally:
        con.close()


def last_change_id():
    con = db()
    try:
        return con.execute("SELECT max(id) FROM change").fetchone()[0]
    finally:
        con.close()


def versions(mid):
    con = db()
    try:
        return con.execute("SELECT vid, state, held_on, decisions, rec_until FROM meeting WHERE mid = ? ORDER BY vid",
                           (mid,)).fetchall()
    finally:
        con.close()


def attendees(mid):
    con = db()
    try:
        return con.execute("SELECT a.name, a.function, a.organisation, a.guest FROM meeting_attendee a JOIN meeting m"
                           " ON m.vid = a.vid WHERE m.mid = ? AND m.rec_until IS NULL ORDER BY a.position",
                           (mid,)).fetchall()
    finally:
        con.close()


def new_form(who, body, agreement=AG):
    return who.form("/agreements/%s/meetings/new?body=%d" % (agreement, body_uid(body, agreement)),
                    "/agreements/%s/meetings" % agreement)


def add_meeting(who, body, held_on, state="held", agreement=AG, **more):
    """Posts the new-meeting form; returns (response, mid or None)."""
    fields = with_values(new_form(who, body, agreement), dict({"held_on": held_on, "state": state}, **more))
    r = who.post("/agreements/%s/meetings" % agreement, fields)
    m = re.search(r"#meeting-(\d+)$", r.header("location") or "")
    return r, int(m.group(1)) if m else None


def edit_url(mid, agreement=AG):
    return "/agreements/%s/meetings/%d" % (agreement, mid)


def governance_csv(date, **params):
    query = urllib.parse.urlencode(dict(params, date=date, format="csv"))
    r = Client().get("/governance?" + query)
    assert r.status == 200, (r.status, r.text()[:500])
    # the page's CSV is for people (Dutch headers and states, 30/06/2023): read back in the API's terms
    keys = {"Overeenkomst": "agreement", "Titel": "title", "VDAB-directie": "vdab_directorate", "Overlegorgaan": "body",
            "Minstens": "min_meetings", "Per (jaar)": "per_years", "Periode van": "period_from",
            "Periode tot": "period_to", "Van kracht van": "in_force_from", "Van kracht tot": "in_force_to",
            "Vereist": "required", "Gehouden": "held", "Stand": "state"}
    states = {"in orde": "met", "achter": "behind", "nog niet vervallen": "not_yet_due"}
    rows = people_csv(r.text())
    return [{keys[k]: states.get(v, iso_date(v)) if k == "Stand" else iso_date(v) for k, v in row.items()}
            for row in rows]


def periods(date, body, **params):
    return [(r["period_from"][:4], r["required"], r["held"], r["state"])
            for r in governance_csv(date, **params) if r["agreement"] == AG and r["body"] == body]


def feed(url, who=None):
    r = (who or Client()).get(url)
    assert r.status == 200, (url, r.status, r.text()[:300])
    assert r.header("content-type") == "text/calendar; charset=utf-8", r.header("content-type")
    return r


def events(body):
    cal = icalendar.Calendar.from_ical(body)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


class Meetings(unittest.TestCase):
    def test_add_change_cancel(self):
        admin = signed_in("admin")
        before = last_change_id()
        fields = new_form(admin, "Stuurgroep")
        # the members of the body are offered as attendees
        self.assertIn(("attendees[0].name", "Anna Peeters"), fields)
        self.assertIn(("attendees[1].function", "schepen"), fields)
        r, mid = add_meeting(admin, "Stuurgroep", "2022-03-01", decisions="Actieplan goedgekeurd",
                             minutes_url="https://example.org/verslag-1", **{
                                 "attendees[0].present": "1", "guests[0].name": "Carla Gast",
                                 "guests[0].function": "consulent", "guests[0].organisation": "OCMW"})
        self.assertEqual(r.status, 303, problems(r.text()))
        self.assertEqual(last_change_id(), before + 1, "one change")
        con = db()
        self.assertEqual(con.execute("SELECT actor FROM change ORDER BY id DESC LIMIT 1").fetchone()[0], "admin")
        con.close()
        self.assertEqual(versions(mid)[0][1:4], ("held", "2022-03-01", "Actieplan goedgekeurd"))
        self.assertEqual(attendees(mid), [("Anna Peeters", "voorzitter", "VDAB", 0),
                                          ("Carla Gast", "consulent", "OCMW", 1)])
        # the form opens with what is stored
        url = edit_url(mid)
        fields = admin.form(url + "/edit", url)
        self.assertIn(("attendees[0].present", "1"), fields)
        self.assertNotIn("attendees[1].present", dict(fields))
        self.assertIn(("guests[0].name", "Carla Gast"), fields)
        # a correction: a new version of the same meeting, the old one kept
        r = admin.post(url, with_values(fields, {"decisions": "Actieplan goedgekeurd, met opmerkingen",
                                                 "attendees[1].present": "1", "guests[0].name": "",
                                                 "guests[0].function": ""}))
        self.assertEqual(r.status, 422, "a guest with an organisation but no name or function")
        self.assertIsNotNone(error_beside(r.text(), "guests[0].name"), problems(r.text()))
        r = admin.post(url, with_values(fields, {"decisions": "Actieplan goedgekeurd, met opmerkingen",
                                                 "attendees[1].present": "1", "guests[0].name": "",
                                                 "guests[0].function": "", "guests[0].organisation": ""}))
        self.assertEqual(r.status, 303, problems(r.text()))
        v = versions(mid)
        self.assertEqual(len(v), 2)
        self.assertIsNotNone(v[0][4], "the old version is superseded, not changed")
        self.assertEqual(v[0][3], "Actieplan goedgekeurd")
        self.assertIsNone(v[1][4])
        self.assertEqual(attendees(mid), [("Anna Peeters", "voorzitter", "VDAB", 0),
                                          ("Bart Claes", "schepen", "stad Mechelen", 0)])
        # saving what is stored records nothing
        n = last_change_id()
        fields = admin.form(url + "/edit", url)
        self.assertEqual(admin.post(url, fields).status, 303)
        self.assertEqual(last_change_id(), n)
        # cancelling: a new version with state cancelled
        page = admin.get("/agreements/" + AG).text()
        cancel = form_fields(page, url + "/cancel")
        r = admin.post(url + "/cancel", cancel)
        self.assertEqual(r.status, 303)
        self.assertEqual([x[1] for x in versions(mid)], ["held", "held", "cancelled"])
        self.assertEqual(last_change_id(), n + 1)

    def test_invalid_input_is_refused_beside_its_field_and_kept(self):
        admin = signed_in("admin")
        fields = with_values(new_form(admin, "Stuurgroep"), {
            "held_on": "15/06/2023", "minutes_url": "javascript:alert(1)", "decisions": "Mijn tekst"})
        before = snapshot()
        r = admin.post("/agreements/%s/meetings" % AG, fields)
        self.assertEqual(r.status, 422)
        self.assertIsNotNone(error_beside(r.text(), "held_on"), problems(r.text()))
        self.assertIsNotNone(error_beside(r.text(), "minutes_url"), problems(r.text()))
        self.assertIn('value="15/06/2023"', r.text())
        self.assertIn("Mijn tekst", r.text())
        self.assertEqual(snapshot(), before)
        for url in ("ftp://example.org/x", "https://", "https://exa mple.org", "http:/x", "//example.org"):
            with self.subTest(url=url):
                r, _ = add_meeting(admin, "Stuurgroep", "2022-06-01", minutes_url=url)
                self.assertEqual(r.status, 422, url)
        r, _ = add_meeting(admin, "Stuurgroep", "2099-01-01", state="held")
        self.assertEqual(r.status, 422, "a meeting in the future cannot have been held")
        self.assertIsNotNone(error_beside(r.text(), "state"), problems(r.text()))
        r, _ = add_meeting(admin, "Stuurgroep", "", state="planned")
        self.assertEqual(r.status, 422)
        fields = with_values(new_form(admin, "Stuurgroep"), {"held_on": "2022-06-01", "state": "soon"})
        self.assertEqual(admin.post("/agreements/%s/meetings" % AG, fields).status, 422)
        fields = with_values(new_form(admin, "Stuurgroep"), {"held_on": "2022-06-01", "body_uid": "999999"})
        self.assertEqual(admin.post("/agreements/%s/meetings" % AG, fields).status, 422)
        self.assertEqual(snapshot(), before)

    def test_a_stale_form_is_refused_with_what_changed(self):
        admin, other = signed_in("admin"), signed_in("local-mechelen")
        r, mid = add_meeting(admin, "Beleidsoverleg", "2023-02-01", state="planned")
        self.assertEqual(r.status, 303, problems(r.text()))
        url = edit_url(mid)
        mine = admin.form(url + "/edit", url)
        theirs = other.form(url + "/edit", url)
        self.assertEqual(other.post(url, with_values(theirs, {"decisions": "Hun besluit"})).status, 303)
        before = last_change_id()
        r = admin.post(url, with_values(mine, {"decisions": "Mijn besluit"}))
        self.assertEqual(r.status, 409)
        self.assertIn("local-mechelen", r.text())
        self.assertIn("<ins>Hun besluit</ins>", r.text())
        self.assertIn("Mijn besluit", r.text(), "the input stays on screen")
        self.assertEqual(last_change_id(), before)
        # cancelling from a page opened before the change is refused too
        r = admin.post(url + "/cancel", with_values(mine, {}))
        self.assertEqual(r.status, 409)
        self.assertEqual(last_change_id(), before)

    def test_only_governance_editors_may_write(self):
        admin = signed_in("admin")
        r, mid = add_meeting(admin, "Stuurgroep", "2022-09-01", state="held")
        self.assertEqual(r.status, 303)
        url = edit_url(mid)
        for login in [a for a in ACCOUNTS if a != "target"] + [ANONYMOUS]:
            with self.subTest(who=login):
                who = actor(login)
                csrf = who.csrf() if login != ANONYMOUS else ""
                new = with_values(new_form(admin, "Stuurgroep"), {"held_on": "2022-10-0%d" % (1 + len(login) % 9),
                                                                  "state": "held", "csrf": csrf})
                change = with_values(admin.form(url + "/edit", url), {"decisions": "door " + login, "csrf": csrf})
                posts = [("/agreements/%s/meetings" % AG, new), (url, change)]
                if login not in ALLOWED:  # cancelling works once: the matrix of test_accounts.py covers it
                    posts.append((url + "/cancel", with_values(
                        form_fields(admin.get("/agreements/" + AG).text(), url + "/cancel"), {"csrf": csrf})))
                for target, fields in posts:
                    before = snapshot()
                    r = who.post(target, fields)
                    if login in ALLOWED:
                        self.assertEqual(r.status, 303, "%s %s: %s" % (login, target, problems(r.text())))
                        self.assertEqual(snapshot()[0], before[0] + 1)
                    else:
                        self.assertEqual(r.status, 403, "%s %s" % (login, target))
                        self.assertEqual(snapshot(), before, "a forbidden request changed something")
                form = who.get(url + "/edit")
                self.assertEqual(form.status, 200 if login in ALLOWED else 303 if login == ANONYMOUS else 403)

    def test_a_meeting_of_another_agreement_is_not_found_here(self):
        admin = signed_in("admin")
        r, mid = add_meeting(admin, "Stuurgroep", "2022-04-04")
        self.assertEqual(r.status, 303)
        self.assertEqual(admin.get(edit_url(mid, "SO-MECHELEN-2021") + "/edit").status, 404)
        self.assertEqual(admin.get("/agreements/%s/meetings/99999999/edit" % AG).status, 404)
        self.assertEqual(admin.get("/agreements/%s/meetings/abc/edit" % AG).status, 404)
        self.assertEqual(admin.get("/agreements/%s/meetings/new?body=1x" % AG).status, 400)

    def test_names_of_attendees_only_for_signed_in_readers(self):
        admin = signed_in("admin")
        r, mid = add_meeting(admin, "Stuurgroep", "2022-05-05", **{"attendees[1].present": "1",
                                                                   "guests[0].name": "Dirk Gastspreker",
                                                                   "guests[0].function": "expert"})
        self.assertEqual(r.status, 303, problems(r.text()))
        anon = Client().get("/agreements/" + AG).text()
        self.assertIn("schepen (stad Mechelen)", anon)
        self.assertIn("expert – gast", anon)
        self.assertNotIn("Bart Claes", anon)
        self.assertNotIn("Dirk Gastspreker", anon)
        seen = signed_in("viewer").get("/agreements/" + AG).text()
        self.assertIn("Bart Claes", seen)
        self.assertIn("Dirk Gastspreker", seen)
        ics = feed("/agreements/%s/meetings.ics" % AG).body.decode()
        self.assertNotIn("Bart Claes", ics.replace("\r\n ", ""))
        self.assertNotIn("Dirk Gastspreker", ics.replace("\r\n ", ""))
        ics = feed("/agreements/%s/meetings.ics" % AG, signed_in("viewer")).body.decode()
        self.assertIn("Bart Claes", ics.replace("\r\n ", ""))


class Compliance(unittest.TestCase):
    """Beleidsoverleg: 1 per 2 years from 1/10/2021 → 2021-2022 (457 of 730 days: 1), 2023-2024 (1),
    2025-2026 (365 of 730: 1). Only meetings of this test class are on it but for one planned one (test
    above), which does not count."""

    @classmethod
    def setUpClass(cls):
        admin = signed_in("admin")
        for day, state in (("2022-06-10", "held"), ("2022-07-01", "cancelled"), ("2023-05-01", "planned")):
            r, _ = add_meeting(admin, "Beleidsoverleg", day, state=state)
            assert r.status == 303, problems(r.text())

    def test_known_dates(self):
        body = "Beleidsoverleg"
        # before the start: no period
        self.assertEqual(periods("2021-09-30", body), [])
        # on the first day: one period, running, nothing held yet
        self.assertEqual(periods("2021-10-01", body), [("2021", "1", "0", "not_yet_due")])
        # the meeting of 10/6/2022 counts from that day on
        self.assertEqual(periods("2022-06-09", body), [("2021", "1", "0", "not_yet_due")])
        self.assertEqual(periods("2022-06-10", body), [("2021", "1", "1", "met")])
        # a planned meeting in 2023 and a cancelled one do not count: 2023-2024 behind once it is over
        self.assertEqual(periods("2024-12-31", body), [("2021", "1", "1", "met"), ("2023", "1", "0", "not_yet_due")])
        self.assertEqual(periods("2025-01-01", body),
                         [("2021", "1", "1", "met"), ("2023", "1", "0", "behind"), ("2025", "1", "0", "not_yet_due")])

    def test_filters(self):
        rows = governance_csv("2025-01-01", state="behind")
        self.assertTrue(rows)
        self.assertEqual({r["state"] for r in rows}, {"behind"})
        self.assertIn((AG, "Beleidsoverleg", "2023-01-01"), {(r["agreement"], r["body"], r["period_from"]) for r in rows})
        self.assertEqual({r["vdab_directorate"] for r in governance_csv("2025-01-01", province="Antwerpen")},
                         {"Antwerpen"})
        self.assertNotIn(AG, {r["agreement"] for r in governance_csv("2025-01-01", province="Limburg")})
        for bad in ("province=Brabant", "state=achter", "date=2023-02-30", "format=pdf"):
            with self.subTest(bad=bad):
                r = Client().get("/governance?" + bad)
                self.assertEqual(r.status, 400)
                self.assertIn(bad.split("=")[0], r.text())
        page = Client().get("/governance?date=2025-01-01&state=behind").text()
        self.assertIn("Proef vergaderingen", page)
        self.assertIn('class="compliance compliance-behind"', page)

    def test_the_agreement_page_shows_the_periods(self):
        page = Client().get("/agreements/" + AG).text()
        section = page[page.index('id="meetings-h"'):]
        section = section[:section.index("</section>")]
        self.assertIn("Beleidsoverleg", section)
        self.assertIn("minstens 1 keer om de 2 jaar", section)
        self.assertIn("<th scope=\"row\">2021–2022</th><td>01/10/2021 – 31/12/2022</td>", section)
        self.assertIn("/agreements/%s/meetings.ics" % AG, section)


class Feeds(unittest.TestCase):
    def test_rfc5545_lines_and_events(self):
        admin = signed_in("admin")
        r, mid = add_meeting(admin, "Stuurgroep", "2023-03-15", state="held", decisions=LONG)
        self.assertEqual(r.status, 303, problems(r.text()))
        r2, planned = add_meeting(admin, "Stuurgroep", "2030-01-15", state="planned")
        self.assertEqual(r2.status, 303, problems(r2.text()))
        body = feed("/agreements/%s/meetings.ics" % AG).body
        body.decode("utf-8")  # never a cut UTF-8 sequence
        self.assertTrue(body.endswith(b"\r\n"))
        lines = body.split(b"\r\n")[:-1]
        self.assertEqual(body.count(b"\n"), len(lines), "every line ends in CRLF")
        self.assertNotIn(b"\r", b"".join(lines))
        for line in lines:
            self.assertLessEqual(len(line), 75, line)
            line.decode("utf-8")  # each physical line is whole UTF-8
        self.assertTrue(any(line.startswith(b" ") for line in lines), "the long text is folded")
        self.assertEqual(lines[0], b"BEGIN:VCALENDAR")
        found = events(body)
        e = found["somon-meeting-%d" % mid]
        self.assertEqual(str(e["DESCRIPTION"]).split("Besluiten: ", 1)[1], LONG)
        self.assertEqual(e.decoded("DTSTART").isoformat(), "2023-03-15")
        self.assertEqual(e.decoded("DTEND").isoformat(), "2023-03-16")
        self.assertEqual(str(e["STATUS"]), "CONFIRMED")
        self.assertIn("Stuurgroep", str(e["SUMMARY"]))
        self.assertIsNotNone(e.get("DTSTAMP"))
        self.assertEqual(str(found["somon-meeting-%d" % planned]["STATUS"]), "TENTATIVE")
        # a correction keeps the UID; a cancellation shows as CANCELLED
        url = edit_url(planned)
        fields = admin.form(url + "/edit", url)
        self.assertEqual(admin.post(url, with_values(fields, {"held_on": "2030-02-01"})).status, 303)
        cancel = form_fields(admin.get("/agreements/" + AG).text(), url + "/cancel")
        self.assertEqual(admin.post(url + "/cancel", cancel).status, 303)
        again = events(feed("/agreements/%s/meetings.ics" % AG).body)
        e = again["somon-meeting-%d" % planned]
        self.assertEqual((str(e["STATUS"]), e.decoded("DTSTART").isoformat()), ("CANCELLED", "2030-02-01"))
        self.assertEqual(len(again), len(found))

    def test_feeds_of_a_party(self):
        admin = signed_in("admin")
        r, mid = add_meeting(admin, "Stuurgroep", "2022-11-22", agreement="SO-SCHELDELAND-2021")
        self.assertEqual(r.status, 303, problems(r.text()))
        ivses = events(feed("/organisations/IVSES/meetings.ics").body)
        self.assertIn("somon-meeting-%d" % mid, ivses)
        mechelen = events(feed("/municipalities/12025/meetings.ics").body)
        self.assertNotIn("somon-meeting-%d" % mid, mechelen)
        self.assertTrue(any("Proef vergaderingen" in str(e["SUMMARY"]) for e in mechelen.values()))
        self.assertIn("somon-meeting-%d" % mid, events(feed("/municipalities/42003/meetings.ics").body))
        for url in ("/organisations/NOPE/meetings.ics", "/municipalities/99999/meetings.ics",
                    "/agreements/SO-NOPE/meetings.ics"):
            with self.subTest(url=url):
                self.assertEqual(Client().get(url).status, 404)
        self.assertEqual(Client().get("/agreements/%s/meetings.ics?as_known_at=nope" % AG).status, 400)


if __name__ == "__main__":
    for name, value in (("SOMON", SOMON), ("SOMON_DB", DB), ("SOMON_PORT", PORT)):
        if not value:
            raise SystemExit("test_meetings.py: %s is not set; run tests/http/run.sh" % name)
    unittest.main(verbosity=1)
