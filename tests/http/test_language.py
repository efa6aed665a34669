#!/usr/bin/python3
"""The web speaks Dutch whatever the server's language (docs/language.md, issue 11).

A server of its own runs under LANG=en_GB.UTF-8 (LANGUAGE and LC_ALL unset), the
environment in which the command line answers in English. A vdab account posts
the party form of tests/cli/fixtures/leaving.json with faults the import checks
share with the command line: a reason without a last day, a day that does not
exist. The page answers in the form's Dutch (msgctxt "form" of po/nl/import.po),
not in English and not in the command line's wording.

Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import (run_own_server, PASSWORD, REPO, Checks, Client, form_fields, require_env,  # noqa: E402
                        somon, with_values)

AG = "SO-T-LEAVING"
PARTY = 6
FORM = "/agreements/%s/parties/%d" % (AG, PARTY)

check = Checks(detail_width=300)


def prepare(db):
    r = somon("--actor", "tester", "import", os.path.join(REPO, "tests/cli/fixtures/leaving.json"), db=db)
    assert r.returncode == 0, r.stderr
    r = somon("user", "add", "lang-vdab", "--role", "vdab", "--scope", "Antwerpen", stdin=PASSWORD + "\n", db=db)
    assert r.returncode == 0, r.stderr


def run(server):
    vdab = Client(port=server.port)
    check("the vdab account signs in", vdab.login("lang-vdab").status == 303)
    fields = form_fields(vdab.get(FORM + "/edit").text(), FORM)

    r = vdab.post(FORM, with_values(fields, {"parties[6].until": ""}))
    page = r.text()
    check("a reason without a last day is refused", r.status == 422, r.status)
    check("in the form's Dutch", "alleen bij een partij die uittrad" in page)
    check("not in English", "only for a party that left" not in page)
    check("not in the command line's wording", "alleen voor een partij die uittrad" not in page)

    r = vdab.post(FORM, with_values(fields, {"parties[6].until": "31/02/2023"}))
    page = r.text()
    check("a day that does not exist is refused", r.status == 422, r.status)
    check("in Dutch", "geen datum" in page)
    check("not in English", "is not a date" not in page)

    check("the server's log line stays as programs read it", "somon: listening on http://" in server.stderr())


def main():
    require_env("test_language.py", "SOMON", "SOMON_DB", "SOMON_TMP")
    # the language in which the command line would answer in English
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        os.environ.pop(name, None)
    os.environ["LANG"] = "en_GB.UTF-8"
    r = somon("--help")
    check("the command line answers in English in this environment", r.stdout.startswith("usage: somon"),
          r.stdout[:60])
    return run_own_server(check, "language", run, prepare)


if __name__ == "__main__":
    sys.exit(main())
