#!/usr/bin/python3
"""Hostile texts and numbers through the web forms (issue 8, item 7): the
forms keep the limits of src/input.h that the import keeps (docs/somon1.md,
"Limits"), refuse the characters the import refuses, and the CSV download
of an agreement with a hostile title holds no formula cell (item 8).

Runs against the server of tests/http/run.sh (SOMON, SOMON_DB, SOMON_PORT,
SOMON_SERVER_ERR, SOMON_TMP), after test_accounts.py; makes its own
administrator. Standard library only; prints "N passed, 0 failed".
"""

import csv
import io
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import somon_http  # noqa: E402  (the browser-like client and the form reader)
import test_accounts as ta  # noqa: E402  (what a refused form says; what must not change)
from somon_http import Checks, Client, hostile, with_values  # noqa: E402

ADMIN = "limits-admin"
AG = "SO-MECHELEN-2021"
check = Checks(detail_width=600)


def admin():
    r = somon_http.somon("user", "add", ADMIN, "--role", "admin", stdin=somon_http.PASSWORD + "\n")
    assert r.returncode == 0 or "exists" in r.stderr or "bestaat" in r.stderr, r.stderr
    c = Client()
    r = c.login(ADMIN)
    assert r.status == 303, (r.status, r.text()[:500])
    return c


def refused(c, what, url, action, changes, needle, field=None, status=(413, 422, 400)):
    """Posts the form of url with changes; it must be refused, name needle,
    and change nothing."""
    hostile()
    fields = c.form(url, action)
    before = ta.snapshot()
    r = c.post(action, with_values(fields, changes))
    check(what + ": refused", r.status in status, (r.status, ta.problems(r.text())))
    text = r.text()
    where = (ta.error_beside(text, field) or "") if field else text
    check(what + ": says why", needle in where, (needle, where[:300], ta.problems(text)))
    check(what + ": nothing changed", ta.snapshot() == before)
    return r


def accepted(c, what, url, action, changes):
    fields = c.form(url, action)
    r = c.post(action, with_values(fields, changes))
    check(what + ": accepted", r.status == 303, (r.status, ta.problems(r.text())))


def main():
    somon_http.require_env("test_security_limits.py", "SOMON", "SOMON_DB", "SOMON_PORT")
    c = admin()
    original = ta.api_agreement(AG)
    edit, action = "/agreements/%s/edit" % AG, "/agreements/" + AG
    notes_url, notes_action = "/agreements/%s/notes/edit" % AG, "/agreements/%s/notes" % AG

    # lengths: the limits of the import, beside the field, in Dutch
    refused(c, "a title of 501 characters", edit, action, {"title": "é" * 501},
            "is 501 tekens lang; kort het in tot hoogstens 500 tekens", "title")
    refused(c, "a title of 50 000 characters", edit, action, {"title": "x" * 50000}, "hoogstens 500 tekens", "title")
    refused(c, "notes of 20 001 characters", notes_url, notes_action, {"notes": "n" * 20001},
            "is 20001 tekens lang; kort het in tot hoogstens 20000 tekens")
    refused(c, "a value beyond any text", notes_url, notes_action, {"notes": "n" * 90000},
            "langer dan een tekst ooit mag zijn", status=(413,))
    accepted(c, "a title of 500 characters", edit, action, {"title": "é" * 500})
    accepted(c, "notes of 20 000 characters over several lines", notes_url, notes_action,
             {"notes": ("regel\r\n" * 2858)[:19999] + "x"})

    # characters: the form parser refuses control characters; a single-line
    # text refuses line breaks and tabs as the import does
    for ch, name in (("\x1b", "ESC"), ("\x07", "BEL"), ("\x7f", "DEL"), ("\u009b", "CSI")):
        refused(c, "%s in a title" % name, edit, action, {"title": "Samen" + ch + "[31m"}, "stuurteken",
                status=(400,))
    refused(c, "a line break in a title", edit, action, {"title": "twee\nregels"}, "regeleinde of tab", "title")
    refused(c, "a tab in a title", edit, action, {"title": "met\ttab"}, "regeleinde of tab", "title")

    # dates and numbers
    refused(c, "an end in 9999", edit, action, {"end": "9999-12-31"}, "buiten het bereik", "end")
    refused(c, "a start in 1900", edit, action, {"start": "1900-01-01"}, "buiten het bereik", "start")
    gov_url, gov_action = "/agreements/%s/governance/edit" % AG, "/agreements/%s/governance" % AG
    fields = dict(c.form(gov_url, gov_action))
    mm = [n for n in fields if n.endswith(".min_meetings")]
    if mm:
        refused(c, "min_meetings beyond 2^53", gov_url, gov_action,
                {mm[0]: "9007199254740993", mm[0].replace("min_meetings", "per_years"): "1"}, "1 tot 1000")
    meet_url, meet_action = "/agreements/%s/meetings/new" % AG, "/agreements/%s/meetings" % AG
    refused(c, "a meeting in 9999", meet_url, meet_action, {"held_on": "9999-01-01", "state": "planned"},
            "buiten het bereik")

    # the CSV of an agreement with a hostile title: no cell opens a formula,
    # in en (',' with quotes) or nl-BE (';', quotes only at a cell's start)
    hostile(3)
    for title in ("Gent;=HYPERLINK(\"http://x\")", " =1+2", "a, b;  @SUM(A1)"):
        accepted(c, "the title %r" % title, edit, action, {"title": title})
        text = c.get("/agreements?format=csv").text()
        check("the CSV holds the title", "=" in text or "@" in text, text[:200])
        bad = []
        for sep in (",", ";"):
            for row in csv.reader(io.StringIO(text), delimiter=sep):
                bad += [cell for cell in row if re.match(r'^[\s\u00a0"]*[=+\-@]', cell)
                        and not re.fullmatch(r"-?\d+(\.\d+)?", cell)]
        check("the CSV with title %r has no formula cell" % title, not bad, bad[:3])
    accepted(c, "the title as it was", edit, action, {"title": original["title"]})
    accepted(c, "the notes as they were", notes_url, notes_action, {"notes": original.get("notes") or ""})

    print("  %d hostile requests" % somon_http.hostile_count())
    print(check.summary())
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
