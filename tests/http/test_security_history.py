#!/usr/bin/python3
"""Names of people in the history, for anonymous readers (issue 8, item 2).

The agreement page hides the names of signatories and of members of
governance bodies from anonymous readers (auth_redact); every view of the
history and of older versions must hide them too: /history in HTML, CSV and
XLSX, with and without as_known_at and the agreement filter, the agreement
page (its own history) as known at any moment, the JSON API and the other
pages that show an agreement. A signed-in viewer still sees the names.

Runs a server of its own (port 0) on a database of its own in SOMON_TMP: the
demo agreement of Mechelen with every name replaced by one that contains
MARK, imported twice (the second time with signatories and members renamed,
removed and added, a member known only by name, a new party and a new body),
so that the history has field differences about people.

Environment (from tests/http/run.sh): SOMON (the binary), SOMON_TMP.
Standard library only; run with /usr/bin/python3.
"""

import copy
import io
import json
import os
import re
import sqlite3
import sys
import urllib.parse
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import PASSWORD, REPO, SOMON, Checks, Client, Server, hostile, hostile_count, somon  # noqa: E402

TMP = os.environ.get("SOMON_TMP", "") or "/tmp"
AG = "SO-MECHELEN-2021"
MARK = "Geheimnaam"  # in every name of a person, and nowhere else

check = Checks()


# ---- the database ---------------------------------------------------------------

def versions():
    """The first and the second version of the agreement, every name of a person with MARK."""
    with open(os.path.join(REPO, "data/demo/agreement-mechelen.json"), encoding="utf-8") as f:
        doc = json.load(f)
    ag = doc["agreements"][0]
    n = 0
    for p in ag["parties"]:
        for s in p["signatories"]:
            n += 1
            s["name"] = "Persoon%02d %s" % (n, MARK)
    for g in ag["governance"]:
        for m in g["members"]:
            n += 1
            m["name"] = "Persoon%02d %s" % (n, MARK)
    first = copy.deepcopy(doc)
    b = doc["agreements"][0]
    b["parties"][0]["signatories"][0]["name"] = "Hernoemd01 " + MARK  # renamed
    del b["parties"][1]["signatories"][1]  # removed
    b["parties"][1]["signatories"].append({"name": "Nieuw01 " + MARK, "function": "schepen"})  # added
    b["governance"][0]["members"][0]["name"] = "Hernoemd02 " + MARK
    b["governance"][0]["members"].append({"name": "Enkelnaam " + MARK, "function": None, "organisation": None})
    b["governance"].append({"body": "Werkgroep Geheim", "convener": "VDAB", "min_meetings": 1, "per_years": 1,
                            "members": [{"name": "Nieuw02 " + MARK, "function": "voorzitter",
                                         "organisation": "VDAB"}]})
    return first, doc


def make_database(folder):
    db = os.path.join(folder, "somon.db")
    r = somon("init", db=db)
    assert r.returncode == 0, r.stderr
    first, second = versions()
    for i, doc in enumerate((first, second)):
        path = os.path.join(folder, "v%d.json" % (i + 1))
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)
        r = somon("--actor", "Importeur " + MARK, "import", path, db=db)
        assert r.returncode == 0, r.stderr
    r = somon("user", "add", "lezer", "--role", "viewer", stdin=PASSWORD + "\n", db=db)
    assert r.returncode == 0, r.stderr
    con = sqlite3.connect(db)
    try:
        moments = [m for (m,) in con.execute("SELECT moment FROM change WHERE action = 'import' ORDER BY id")]
    finally:
        con.close()
    return db, moments


def readable(url, data):
    """The text of a response: an XLSX is a zip of XML parts."""
    if "format=xlsx" in url:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return data.decode("utf-8", "replace")


def main():
    if not SOMON:
        print("set SOMON to the somon binary")
        return 1
    folder = os.path.join(TMP, "security-history")
    os.makedirs(folder, exist_ok=True)
    db, moments = make_database(folder)
    first, second = (urllib.parse.quote(m) for m in moments[:2])
    server = Server("server", db=db, folder=folder)
    try:
        urls = []
        for known in ("", "as_known_at=" + first, "as_known_at=" + second, "as_known_at=2099-12-31T00:00:00"):
            for extra in ("", "agreement=" + AG, "action=import", "page=1"):
                for fmt in ("", "format=html", "format=csv", "format=xlsx"):
                    q = "&".join(x for x in (known, extra, fmt) if x)
                    urls.append("/history" + ("?" + q if q else ""))
            q = ("?" + known) if known else ""
            urls += ["/agreements/%s%s" % (AG, q), "/api/v1/agreements/%s%s" % (AG, q),
                     "/agreements/%s/plan%s" % (AG, q), "/api/v1/agreements" + q, "/agreements" + q,
                     "/governance" + q, "/agreements/%s/meetings.ics%s" % (AG, q)]
            sep = "&" if known else "?"
            urls += ["/agreements%s%sformat=csv" % (q, sep), "/agreements%s%sformat=xlsx" % (q, sep),
                     "/agreements/%s/plan%s%sformat=csv" % (AG, q, sep),
                     "/agreements/%s/plan%s%sformat=xlsx" % (AG, q, sep),
                     "/governance%s%sformat=csv" % (q, sep)]
        anonymous = Client(port=server.port, timeout=60)
        for url in urls:
            r = anonymous.get(url)
            status, data = r.status, r.body
            hostile()
            text = readable(url, data)
            check("anonymous %s answers 200" % url, status == 200, "(%d)" % status)
            leaked = sorted(set(re.findall(r"\w+ " + MARK, text)))
            check("anonymous %s shows no name of a person" % url, not leaked, str(leaked[:5]))
        # the history does have differences about people (else the test proves nothing)
        data = anonymous.get("/history?agreement=" + AG).body
        check("the history shows the changed signatories", "ondertekenaars" in data.decode(), "")

        viewer = Client(port=server.port, timeout=60)
        status = viewer.login("lezer", PASSWORD).status
        assert status == 303, status
        for url, names in (("/history?agreement=" + AG, ["Hernoemd01", "Nieuw01", "Hernoemd02", "Enkelnaam"]),
                           ("/history?format=csv", ["Hernoemd01", "Nieuw01", "Hernoemd02", "Enkelnaam"]),
                           ("/history?format=xlsx&as_known_at=" + second, ["Hernoemd01", "Enkelnaam"]),
                           ("/agreements/%s?as_known_at=%s" % (AG, first), ["Persoon01"]),
                           ("/agreements/" + AG, ["Hernoemd01", "Nieuw01"]),
                           ("/api/v1/agreements/" + AG, ["Hernoemd01", "Nieuw02"])):
            r = viewer.get(url)
            status, data = r.status, r.body
            text = readable(url, data)
            check("the viewer gets %s" % url, status == 200, "(%d)" % status)
            for n in names:
                check("the viewer sees %s on %s" % (n, url), (n + " " + MARK) in text)
    finally:
        code = server.stop()
        check("the server stops cleanly", code == 0, "(exit %s)" % code)
        check("no sanitizer report", not server.sanitizer_report(), server.stderr()[-2000:])
    print("security_history: %d anonymous requests for names" % hostile_count())
    print(check.summary())
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
