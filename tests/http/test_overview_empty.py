#!/usr/bin/python3
"""The overview on a day nothing is in force (issue 11: the demo agreements
ended on 31/12/2025, so `make run` opens today on an empty map): it says so
and links the last day with coverage before it, and the first one after.

On a server of its own with the demo register alone (seeds 000-002 and the
older agreements of seeds 001 and 004): Mechelen's agreement starts on
01/03/2021, the three seed agreements end on 31/12/2025.
Run by tests/http/run.sh (SOMON, SOMON_TMP) with /usr/bin/python3.
"""

import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import REPO, TMP, Checks, Client, require_env, run_own_server, somon  # noqa: E402

check = Checks(detail_width=300)


def prepare(db):
    for step in (("init",), ("--actor", "demo", "import", *sorted(glob.glob(os.path.join(REPO, "data/demo/*.json"))))):
        r = somon(*step, db=db)
        assert r.returncode == 0, r.stderr


def run(server):
    c = Client(port=server.port)
    page = c.get("/?date=2026-06-30").text()
    check("it says nothing is in force", "Op 30/06/2026 is geen enkele overeenkomst van kracht" in page, page[:300])
    check("and links the last day with coverage",
          'De laatste dag met dekking was <a href="/?date=2025-12-31">31/12/2025</a>' in page)
    check("nothing after it", "daarna" not in page)
    early = c.get("/?date=2021-01-15&as_known_at=2099-01-01").text()
    check("before the first agreement it links the first day with coverage, keeping as_known_at",
          'De eerste dag met dekking daarna is <a href="/?date=2021-03-01&amp;as_known_at=2099-01-01">01/03/2021</a>'
          in early, early[early.find("notice"):][:400])
    check("a day with coverage says nothing of the kind",
          "geen enkele overeenkomst van kracht" not in c.get("/?date=2023-06-30").text())


def main():
    require_env("test_overview_empty", "SOMON", "SOMON_TMP")
    return run_own_server(check, "overview-empty", run, prepare, db=os.path.join(TMP, "overview-empty.db"))


if __name__ == "__main__":
    sys.exit(main())
