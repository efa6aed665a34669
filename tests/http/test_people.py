#!/usr/bin/python3
"""What people read (issue 11): history in names, CSV downloads Excel-ready.

On a server of its own, with tests/cli/fixtures/names-v1.json and then
names-v2.json imported (Ranst terminates the agreement, Malle is no longer a
party):
- /history, the agreement page's own history and the history download speak in
  names ("beëindigd door" … "Ranst", "partijen › Malle"), never the bare codes
  11035 and 11057;
- every CSV a page offers is Excel-ready in nl-BE: a BOM, ';', CRLF, the Dutch
  headers of the page's table and its Dutch values (30/06/2023, "beëindigd");
- the API keeps its documented English CSV (SPEC §4 columns, ',', no BOM).

Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import REPO, Checks, Client, people_csv, run_own_server, somon  # noqa: E402

check = Checks(detail_width=300)
AG = "SO-T-NAMES"


def prepare(db):
    for name in ("names-v1.json", "names-v2.json"):
        r = somon("--actor", "tester", "import", os.path.join(REPO, "tests/cli/fixtures", name), db=db)
        assert r.returncode == 0, r.stderr


def visible(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def check_history_names(anon):
    for url in ("/history?agreement=" + AG, "/agreements/" + AG):
        # a NIS column beside the name is fine ("Ranst 11035"); a code alone is not
        text = visible(anon.get(url).text()).replace("Ranst 11035", "Ranst").replace("Malle 11057", "Malle")
        check(url + " says who terminated by name", re.search(r"beëindigd door[^›]*?Ranst", text) is not None,
              text[:2000])
        check(url + " names the party that left", "partijen › Malle" in text, text[:2000])
        check(url + " shows no bare code of theirs", "11035" not in text and "11057" not in text,
              [text[max(0, m.start() - 60):m.end() + 20] for m in re.finditer("11035|11057", text)])
    try:
        rows = people_csv(anon.get("/history?agreement=%s&format=csv" % AG).text())
    except AssertionError as e:
        check("the history download is Excel-ready", False, e)
        return
    values = " ".join(" ".join(v or "" for v in r.values()) for r in rows)
    check("the history download names Ranst", "Ranst" in values and "11035" not in values, values[:500])
    check("and writes the status in Dutch", "beëindigd" in values, values[:500])


def check_people_csv(anon):
    for url, header, value in (
        ("/agreements?format=csv", "Titel", "Drie gemeenten (testgegeven)"),
        ("/municipalities?date=2022-06-30&format=csv", "Gemeente", "Ranst"),
        ("/annex?date=2022-06-30&province=Antwerpen&format=csv", "Gemeente", "Zandhoven"),
        ("/?date=2022-06-30&format=csv", None, None),
        ("/agreements/%s?format=csv" % AG, None, None),
    ):
        r = anon.get(url)
        try:
            rows = people_csv(r.text())
        except AssertionError as e:
            check(url + " is Excel-ready (BOM, ';', CRLF)", False, e)
            continue
        check(url + " is Excel-ready (BOM, ';', CRLF)", True)
        check(url + " is offered as a download", "attachment" in (r.header("Content-Disposition") or ""))
        if header:
            check(url + " has the Dutch header " + header, rows and header in rows[0], rows[:1])
            check(url + " holds " + value, any(value in (row.get(header) or "") for row in rows))
    rows = people_csv(anon.get("/agreements?format=csv").text())
    mine = [r for r in rows if r.get("Titel") == "Drie gemeenten (testgegeven)"]
    check("statuses in Dutch", mine and "beëindigd" in " ".join(mine[0].values()), mine)
    rows = people_csv(anon.get("/annex?date=2022-06-30&province=Antwerpen&format=csv").text())
    dates = [v for r in rows for v in r.values() if v and re.fullmatch(r"\d{4}-\d\d-\d\d", v)]
    check("no ISO dates for people", not dates, dates[:3])
    check("dates as 01/03/2021", any("01/03/2021" in (v or "") for r in rows for v in r.values()))

    r = anon.get("/api/v1/coverage?date=2022-06-30&format=csv")
    body = r.text()
    check("the API's CSV keeps its documented columns, without BOM",
          body.startswith("province,date,covered,total,pct,"), body[:80])
    check("and ',' with ISO dates", ",2022-06-30," in body and ";" not in body.splitlines()[1], body[:200])


def run(server):
    anon = Client(port=server.port)
    check_history_names(anon)
    check_people_csv(anon)


if __name__ == "__main__":
    sys.exit(run_own_server(check, "people", run, prepare))
