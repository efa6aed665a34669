#!/usr/bin/python3
"""'Mijn overeenkomsten' (issue 11): a signed-in local or vdab account lands
on its own agreements (its scope) with their alerts.

On a server of its own (a copy of the suite's database: the demo register and
tests/cli/fixtures/rules.json). A local account of Kalmthout (11022) sees the
Antwerp cluster agreement alone, with the alerts of that agreement only; a
vdab account of Oost-Vlaanderen sees that directorate's agreements; a viewer
still lands on the overview; a login asked for another page goes there; an
anonymous reader is sent to sign in.
Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import (PASSWORD, Checks, Client, form_fields, require_env,  # noqa: E402
                        run_own_server, somon)

check = Checks(detail_width=300)
CLUSTER = "SO-ANTWERPEN-CLUSTER-KALMTHOUT-2020"


def prepare(db):
    for login, role, scope in (("mine-local", "local", "11022"), ("mine-vdab", "vdab", "Oost-Vlaanderen"),
                               ("mine-viewer", "viewer", None)):
        args = ["user", "add", login, "--role", role] + (["--scope", scope] if scope else [])
        r = somon(*args, stdin=PASSWORD + "\n", db=db)
        assert r.returncode == 0, r.stderr


def run(server):
    local = Client(port=server.port)
    r = local.login("mine-local")
    check("a local account lands on /mine", r.status == 303 and r.header("location") == "/mine", r.header("location"))
    page = local.get("/mine?date=2026-12-03").text()
    check("its page is titled", "<h1>Mijn overeenkomsten</h1>" in page)
    check("lists Kalmthout's agreement", 'href="/agreements/%s"' % CLUSTER in page)
    check("and no other", "SO-SCHELDELAND-2021" not in page and "SO-MECHELEN-2021" not in page)
    check("with that agreement's alerts, named and saying what to fix",
          "Kalmthout: geen datum van goedkeuring door de gemeenteraad" in page and "goedkeuring invullen" in page)
    check("the account bar links it", '<a href="/mine">Mijn overeenkomsten</a>' in page)

    vdab = Client(port=server.port)
    r = vdab.login("mine-vdab")
    check("a vdab account lands on /mine", r.status == 303 and r.header("location") == "/mine", r.header("location"))
    page = vdab.get("/mine?date=2026-12-03").text()
    check("its directorate's agreements", 'href="/agreements/SO-SCHELDELAND-2021"' in page and
          'href="/agreements/SO-GENT-2007"' in page)
    check("not another directorate's", CLUSTER not in page and "SO-MECHELEN-2021" not in page)

    viewer = Client(port=server.port)
    r = viewer.login("mine-viewer")
    check("a viewer lands on the overview", r.status == 303 and r.header("location") == "/", r.header("location"))

    asked = Client(port=server.port)
    page = asked.get("/login?next=/agreements")
    fields = dict(form_fields(page.text(), "/login"))
    fields.update(login="mine-local", password=PASSWORD)
    r = asked.post("/login", fields)
    check("a login asked for a page goes there", r.status == 303 and r.header("location") == "/agreements",
          r.header("location"))

    r = Client(port=server.port).get("/mine")
    check("anonymous readers are sent to sign in", r.status == 303 and "/login" in (r.header("location") or ""),
          (r.status, r.header("location")))


def main():
    require_env("test_mine", "SOMON", "SOMON_DB", "SOMON_TMP")
    return run_own_server(check, "mine", run, prepare)


if __name__ == "__main__":
    sys.exit(main())
