#!/usr/bin/python3
"""The five-party story of issue 11 through the forms, over HTTP.

A VDAB network manager of Antwerpen registers one agreement with five
municipalities of the Kempen named by name (Geel, Mol, Herentals, Kasterlee,
and Olen, which joins later), the council approvals of all five, signs it,
and Kasterlee leaves. Before issue 11 this took 13 form submissions (the
agreement, five parties, five approvals, the signing, the leaving; measured
on the forms of 0767abf), each municipality typed as a NIS code ("'Geel' is
geen NIS-code"). Now it takes STORY_POSTS = 6: the agreement (its id proposed
from title and kind), four parties by name in one form, Olen by name in the
party form, the approvals of all in one table, the signing, the leaving.
The result is checked through /api/v1 and `somon export`.

Around the story, on the same server: a name is resolved on the party's
first day (Hasselt 71022 for an agreement of 2021, 71072 from 2025); an
unknown name is answered in Dutch with the nearest names and nothing is
written; a preview by province and by regiegebied writes nothing and skips
who is a party already; a province outside the account's scope is refused;
the approvals table refuses a stale save, keeps its escaping, and a table
saved unchanged records nothing; the limits of input.h hold for a pasted
list; CSRF and roles are the dispatcher's (tests/http/test_accounts.py has
the new routes in FORMS and MATRIX).

Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import html
import json
import os
import re
import sqlite3
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import (run_own_server, PASSWORD, Checks, Client, form_fields, require_env, somon,  # noqa: E402
                        value_of, with_values)

TITLE = "Samen sterk voor werk in de Kempen"
AG = "SO-KEMPEN-CLUSTER-2025"  # proposed from the title, the kind (cluster) and the start
STORY_POSTS = 6
BEFORE_ISSUE_11 = 13
NIS = {"Geel": "13008", "Mol": "13025", "Herentals": "13011", "Kasterlee": "13017", "Olen": "13029"}

check = Checks(detail_width=400)


def prepare(db):
    for login, role, scope in (("kempen-vdab", "vdab", "Antwerpen"), ("kempen-ovl", "vdab", "Oost-Vlaanderen")):
        r = somon("user", "add", login, "--role", role, "--scope", scope, stdin=PASSWORD + "\n", db=db)
        assert r.returncode == 0, r.stderr


def changes(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM change").fetchone()[0]
    finally:
        con.close()


def errors(html):
    return re.findall(r'class="error"[^>]*>([^<]*)', html)


class Counting(Client):
    """A client that counts the forms it submits (POSTs other than signing in)."""

    def __init__(self, port):
        super().__init__(port=port)
        self.posts = []

    def post(self, url, form):
        if url != "/login":
            self.posts.append(url)
        return super().post(url, form)


def main():
    require_env("test_forms_story", "SOMON", "SOMON_DB", "SOMON_TMP")
    return run_own_server(check, "forms-story", run, prepare)


def run(server):
    me = Counting(server.port)
    check("the vdab account signs in", me.login("kempen-vdab").status == 303)
    probe = Client(port=server.port)  # the refusals and previews, not part of the story
    probe.login("kempen-vdab")
    story(server, me, probe)
    around(server, probe)


def story(server, me, probe):
    # 1. The agreement, its id proposed from title and kind (the page's script asks the same URL).
    query = urllib.parse.urlencode({"title": TITLE, "kind": "cluster", "vdab_directorate": "Antwerpen",
                                    "start": "2025-01-01"})
    page = me.get("/agreements/new?" + query)
    check("the new-agreement form opens", page.status == 200, page.status)
    fields = form_fields(page.text(), "/agreements")
    check("the id is proposed from title, kind and start, pre-filled and editable",
          value_of(fields, "id") == AG, value_of(fields, "id"))
    check("the title is pre-filled", value_of(fields, "title") == TITLE)
    r = me.post("/agreements", with_values(fields, {"status": "negotiating", "end": "2030-12-31"}))
    check("1. the agreement is created under the proposed id", r.status == 303 and r.header("location") ==
          "/agreements/" + AG, (r.status, errors(r.text())))

    # 2. Four parties by name in one form (a pasted list, any separator, any case).
    url = "/agreements/%s/parties/add" % AG
    page = me.get(url)
    check("the form of several parties opens", page.status == 200, page.status)
    # from one shared list per version of the reference data, which somon.js fills in (issue 12)
    listed = re.search(r'<datalist id="municipality-names" data-names="([^"]+)"></datalist>', page.text())
    offered = json.loads(me.get(html.unescape(listed.group(1))).body) if listed else []
    check("it offers the names of the agreement's days in a datalist", "Geel" in offered, listed)
    fields = form_fields(page.text(), url)
    r = me.post(url, with_values(fields, {"names": "Geel\nMol; herentals,\n  Kasterlee  \n"}))
    check("2. four parties added at once", r.status == 303, (r.status, errors(r.text())))

    # 3. Olen joins later, by name in the party form.
    page = me.get("/agreements/%s/parties/new" % AG)
    fields = form_fields(page.text(), "/agreements/%s/parties" % AG)
    check("the party form takes a name from a list",
          'list="municipality-names"' in page.text() and "parties[4].municipality" in dict(fields))
    r = me.post("/agreements/%s/parties" % AG, with_values(fields, {"parties[4].municipality": "Olen",
                                                                     "parties[4].from": "2025-09-01"}))
    check("3. Olen joins on 01/09/2025", r.status == 303, (r.status, errors(r.text())))

    # 4. The approvals of all five in one table.
    url = "/agreements/%s/approvals" % AG
    page = me.get(url + "/edit")
    check("the approvals table opens", page.status == 200, page.status)
    fields = form_fields(page.text(), url)
    names = dict(fields)
    check("one row per party with its day and evidence",
          all("parties[%d].%s" % (i, k) in names for i in range(5)
              for k in ("approved_on", "evidence.body", "evidence.agenda_point", "evidence.url")), sorted(names))
    check("the council is the default body of a municipality", names["parties[0].evidence.body"] == "gemeenteraad")
    values = {}
    for i, day in enumerate(["2024-11-12", "2024-11-18", "2024-11-25", "2024-11-26", "2025-06-23"]):
        values["parties[%d].approved_on" % i] = day
        values["parties[%d].evidence.agenda_point" % i] = "punt %d" % (i + 3)
    values["parties[0].evidence.url"] = "https://lokaalbeslist.vlaanderen.be/geel/2024-11-12/punt-3"
    r = me.post(url, with_values(fields, values))
    check("4. the approvals of all five in one save", r.status == 303, (r.status, errors(r.text())))

    # 5. Signing.
    fields = me.form("/agreements/%s/edit" % AG, "/agreements/" + AG)
    r = me.post("/agreements/" + AG, with_values(fields, {"status": "signed", "signed_on": "2024-12-16"}))
    check("5. the agreement is signed", r.status == 303, (r.status, errors(r.text())))

    # 6. Kasterlee (party 3) leaves.
    url = "/agreements/%s/parties/3/leave" % AG
    fields = me.form(url, url)
    r = me.post(url, with_values(fields, {"parties[3].until": "2026-06-30",
                                          "parties[3].left_reason": "Opgezegd bij raadsbesluit van 23/03/2026"}))
    check("6. Kasterlee leaves", r.status == 303, (r.status, errors(r.text())))

    check("the story took %d form submissions (before issue 11: %d)" % (len(me.posts), BEFORE_ISSUE_11),
          len(me.posts) == STORY_POSTS, me.posts)
    print("  the five-party story: %d form submissions (was %d)" % (len(me.posts), BEFORE_ISSUE_11))

    # The result, through the API and the export.
    api = json.loads(probe.get("/api/v1/agreements/" + AG).text())
    parties = {p["municipality"]: p for p in api["parties"]}
    check("five parties with the codes of their names", sorted(parties) == sorted(NIS.values()), sorted(parties))
    check("Olen from 01/09/2025", parties[NIS["Olen"]]["from"] == "2025-09-01", parties[NIS["Olen"]])
    check("every party approved, each with its council decision",
          all(p["approved_on"] and p["decisions"] and p["decisions"][-1]["body"] == "gemeenteraad"
              and p["decisions"][-1]["on"] == p["approved_on"] for p in api["parties"]), api["parties"])
    check("the evidence link kept", parties[NIS["Geel"]]["decisions"][0]["url"] ==
          "https://lokaalbeslist.vlaanderen.be/geel/2024-11-12/punt-3", parties[NIS["Geel"]]["decisions"])
    check("signed", (api["status"], api["signed_on"]) == ("signed", "2024-12-16"), api["status"])
    check("Kasterlee left on 30/06/2026", parties[NIS["Kasterlee"]]["until"] == "2026-06-30")
    exported = json.loads(somon("export", db=server.db).stdout)
    mine = [a for a in exported["agreements"] if a["id"] == AG]
    check("the export has the agreement as the API does", mine and [p["municipality"] for p in mine[0]["parties"]] ==
          [p["municipality"] for p in api["parties"]], mine)


def around(server, probe):
    n0 = changes(server.db)
    url = "/agreements/%s/parties/add" % AG
    fields = form_fields(probe.get(url).text(), url)

    # An unknown name: Dutch, the day, the nearest names; nothing written.
    r = probe.post(url, with_values(fields, {"names": "Dessel\nNergenshuizen\nGeell", "from": "2026-03-01"}))
    text = r.text()
    check("an unknown name refuses the whole list", r.status == 422, r.status)
    check("in Dutch, on the day, with the nearest names",
          "&#39;Nergenshuizen&#39; is geen gemeente op 01/03/2026; bedoelde u" in text or
          "'Nergenshuizen' is geen gemeente op 01/03/2026" in text, errors(text))
    check("a typo gets the name it nearly is", re.search(r"Geell[^<]*is geen gemeente op 01/03/2026; bedoelde u Geel",
                                                         text.replace("&#39;", "'")) is not None, errors(text))
    check("what was typed stays", "Nergenshuizen" in value_of(form_fields(text, url), "names"))
    check("nothing written", changes(server.db) == n0)

    # A name is read on the party's first day.
    mech = "/agreements/SO-MECHELEN-2021/parties/add"
    mf = form_fields(probe.get(mech).text(), mech)
    r = probe.post(mech, with_values(mf, {"names": "Hasselt", "preview": "1"}))
    check("Hasselt for an agreement of 2021 is 71022", r.status == 200 and "<td>71022</td>" in r.text(),
          (r.status, errors(r.text())))
    r = probe.post(mech, with_values(mf, {"names": "Hasselt", "from": "2025-03-01", "preview": "1"}))
    check("and from 2025 71072", r.status == 200 and "<td>71072</td>" in r.text(), (r.status, errors(r.text())))
    r = probe.post(mech, with_values(mf, {"names": "Borsbeek", "from": "2025-03-01"}))
    check("a name gone by the day says when it was one", r.status == 422 and
          "is geen gemeente op 01/03/2025 (wel van 01/01/1983 tot 31/12/2024)" in r.text().replace("&#39;", "'"),
          errors(r.text()))
    r = probe.post(mech, with_values(mf, {"names": "13040", "preview": "1"}))
    check("a NIS code still works", r.status == 200 and "Turnhout" in r.text(), errors(r.text()))

    # By province and by regiegebied: a preview writes nothing and skips who is a party already.
    r = probe.post(url, with_values(fields, {"province": "Antwerpen", "preview": "1"}))
    check("a preview of a whole province", r.status == 200 and "Voorbeeld: er is nog niets bewaard" in r.text(),
          (r.status, errors(r.text())))
    check("who is a party already is skipped", r.text().count("is al partij: wordt niet opnieuw toegevoegd") == 5,
          r.text().count("al partij"))
    r = probe.post(url, with_values(fields, {"regiegebied": "RG-KINA", "preview": "1", "from": "2025-01-01"}))
    check("a preview of a regiegebied's members on the day", r.status == 200 and "Kalmthout" in r.text(),
          (r.status, errors(r.text())))
    check("nothing written by the previews", changes(server.db) == n0)
    r = probe.post(url, with_values(fields, {"province": "Limburg"}))
    check("a province outside the account's scope: refused", r.status == 422 and
          "kies een provincie uit de lijst" in r.text(), r.status)
    r = probe.post(url, with_values(fields, {"names": "<b>Geel&amp;</b>"}))
    check("a pasted name is escaped", r.status == 422 and "<b>Geel" not in r.text() and
          "&lt;b&gt;Geel&amp;amp;&lt;/b&gt;" in r.text(), errors(r.text()))
    r = probe.post(url, with_values(fields, {"names": "\n".join(["Geel"] * 1001)}))
    check("at most 1000 names", r.status == 422 and "meer dan 1000 namen" in r.text(), errors(r.text()))
    r = probe.post(url, with_values(fields, {"names": "G" * 301}))
    check("a name within the limit of a name", r.status == 422 and "301 tekens" in r.text(), errors(r.text()))
    check("nothing written by the refusals", changes(server.db) == n0)
    other = Client(port=server.port)
    other.login("kempen-ovl")
    check("another province's vdab account does not reach the form", other.get(url).status == 403)
    r = probe.post(url, [(k, v) for k, v in with_values(fields, {"names": "Dessel"}) if k != "csrf"])
    check("no CSRF token: refused", r.status == 403, r.status)

    # The approvals table: unchanged records nothing; stale is refused; problems beside the cell.
    aurl = "/agreements/%s/approvals" % AG
    af = form_fields(probe.get(aurl + "/edit").text(), aurl)
    r = probe.post(aurl, af)
    check("a table saved unchanged records nothing", r.status == 303 and changes(server.db) == n0, r.status)
    r = probe.post(aurl, with_values(af, {"parties[1].evidence.url": "niet een link"}))
    check("a bad link refused beside its cell", r.status == 422 and
          'id="f-parties-1--evidence-url-error"' in r.text(), errors(r.text()))
    r = probe.post(aurl, with_values(af, {"parties[2].approved_on": "2099-01-01"}))
    check("an approval in the future refused beside its day", r.status == 422 and
          'id="f-parties-2--approved_on-error"' in r.text(), errors(r.text()))
    r = probe.post(url, with_values(fields, {"names": "Dessel"}))
    check("Dessel added (a change in between)", r.status == 303, errors(r.text()))
    r = probe.post(aurl, with_values(af, {"parties[1].approved_on": "2024-11-19"}))
    check("the table of the old version is stale: refused", r.status == 409 and "Er is niets bewaard" in r.text(),
          r.status)
    fresh = form_fields(probe.get(aurl + "/edit").text(), aurl)
    r = probe.post(aurl, with_values(fresh, {"parties[1].approved_on": "", "parties[1].evidence.agenda_point": ""}))
    check("clearing a row removes the approval and its decision", r.status == 303, errors(r.text()))
    mol = [p for p in json.loads(probe.get("/api/v1/agreements/" + AG).text())["parties"]
           if p["municipality"] == NIS["Mol"]][0]
    check("Mol has no approval left", mol["approved_on"] is None and not mol["decisions"], mol)


if __name__ == "__main__":
    sys.exit(main())
