#!/usr/bin/python3
"""The forms at any size (issue 12): no form carries the names of every municipality.

On the 100,000-row register each form that takes a municipality was 3–5 MB (a
<datalist> or <select> of ~90,000 names) and the spreadsheet template took 1.5 s
on every download. Now:
- a form carries an empty <datalist data-names="URL">; the URL
  (/municipalities/names.json?v=VERSION&from=…&to=…) lists exactly the names valid
  on the days asked (by=code: one label per NIS code), is versioned by the
  reference data (another URL, and the old one no longer immutable, after
  `somon init --reference` changes a name; the same after an agreement changes)
  and is what assets/somon.js offers while typing;
- every form still takes a typed name without that list (the server resolves it
  and answers an unknown one with "bedoelde u …?"), a name picked from it, and a
  NIS code; the cooperation form takes a name where it had a <select>;
- the template is built once per version of the municipalities: two downloads are
  the same bytes, valid XLSX for openpyxl; a change of an agreement keeps them, a
  change of the reference data changes them (the renamed municipality in sheet
  Gemeenten).

On a server of its own (a copy of the suite's database).
Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import csv
import html
import io
import json
import os
import re
import shutil
import sqlite3
import sys
import urllib.parse

import openpyxl

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import (PASSWORD, REPO, TMP, Checks, Client, form_fields, require_env, run_own_server,  # noqa: E402
                        somon, value_of, with_values)

check = Checks(detail_width=400)
AG = "SO-SCALE-2025"
DATALIST = re.compile(r'<datalist id="municipality-names" data-names="([^"]*)"></datalist>')


def reference_rows(folder):
    with open(os.path.join(folder, "municipalities.csv"), encoding="utf-8") as f:
        return list(csv.DictReader(f))


def names_valid(rows, start, end):
    """The names of identities valid on some day start..end (None: open), sorted, once each."""
    return sorted({r["name"] for r in rows
                   if (end is None or r["valid_from"] <= end) and (start is None or not r["valid_to"] or
                                                                    r["valid_to"] >= start)})


def prepare(db):
    r = somon("user", "add", "scale-admin", "--role", "admin", stdin=PASSWORD + "\n", db=db)
    assert r.returncode == 0, r.stderr


def changes(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM change").fetchone()[0]
    finally:
        con.close()


def errors(page):
    return re.findall(r'class="error"[^>]*>([^<]*)', page)


def names_url(page):
    m = DATALIST.search(page)
    return html.unescape(m.group(1)) if m else None


def query(url):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def forms_are_small(admin):
    """Every form that takes a municipality: an empty datalist with the shared list's URL."""
    r = admin.post("/agreements", with_values(admin.form("/agreements/new", "/agreements"), {
        "id": AG, "title": "Schaal", "vdab_directorate": "Antwerpen", "status": "negotiating",
        "start": "2025-01-01", "end": "2030-12-31"}))
    check("an agreement to add parties to", r.status == 303, (r.status, errors(r.text())))
    for url in ("/agreements/%s/parties/new" % AG, "/agreements/%s/parties/add" % AG, "/regiegebieden/new",
                "/organisations/new", "/cooperations/new"):
        page = admin.get(url).text()
        link = names_url(page)
        check("%s: the names from one shared list" % url, link and link.startswith("/municipalities/names.json?v="),
              link)
        check("%s: and none in the page" % url, "<option value=\"Geel\"" not in page and
              "Geel (13008)</option>" not in page)
        check("%s: the field points at the list" % url, 'list="municipality-names"' in page)
    page = admin.get("/agreements/%s/parties/new" % AG).text()
    q = query(names_url(page))
    check("the party form asks for the agreement's days", q.get("from") == "2025-01-01" and q.get("to") == "2030-12-31",
          q)
    q = query(names_url(admin.get("/organisations/new").text()))
    check("a member row asks for one label per code, any day", q.get("by") == "code" and "from" not in q, q)


def the_list(admin, rows):
    for start, end in (("2025-01-01", "2030-12-31"), ("2018-06-30", "2018-06-30"), (None, None), ("2019-01-01", None)):
        params = [("from", start)] if start else []
        params += [("to", end)] if end else []
        r = admin.get("/municipalities/names.json?" + urllib.parse.urlencode(params))
        got = json.loads(r.body) if r.status == 200 else None
        want = names_valid(rows, start, end)
        check("the names valid from %s to %s, exactly" % (start, end), got == want,
              (r.status, len(got or []), len(want), sorted(set(want) ^ set(got or []))[:6]))
    check("as JSON", r.header("content-type").startswith("application/json"), r.header("content-type"))
    on_2024 = json.loads(admin.get("/municipalities/names.json?from=2024-06-30&to=2024-06-30").body)
    on_2025 = json.loads(admin.get("/municipalities/names.json?from=2025-01-01&to=2025-01-01").body)
    check("a name merged away in 2025 only before", "Galmaarden" in on_2024 and "Galmaarden" not in on_2025)
    codes = json.loads(admin.get("/municipalities/names.json?by=code").body)
    check("by code: two of one name told apart", "Deinze (tot 31/12/2018)" in codes and
          "Deinze (vanaf 01/01/2019)" in codes and "Deinze" not in codes)
    check("by code: one label per code", len(codes) == len({r["nis"] for r in rows}), (len(codes),))
    for bad in ("from=2025-13-01", "to=gisteren", "by=name"):
        check("a bad parameter (%s) is a 400" % bad, admin.get("/municipalities/names.json?" + bad).status == 400)
    anon = Client(port=admin.port)
    check("public like the municipalities", anon.get("/municipalities/names.json").status == 200)


def versioned(server, admin, folder):
    """The URL and the ETag follow the reference data; an agreement's change keeps them."""
    url = names_url(admin.get("/regiegebieden/new").text())
    r = admin.get(url)
    version = query(url)["v"]
    check("the versioned URL may be kept for good", r.header("cache-control") == "public, max-age=31536000, immutable",
          r.header("cache-control"))
    check("its ETag names the version", (r.header("etag") or "").startswith('"%s-' % version), r.header("etag"))
    check("a URL without the version is asked again", admin.get("/municipalities/names.json").header("cache-control") ==
          "no-cache")
    template = admin.get("/agreements/sjabloon.xlsx").body
    check("the template: the same bytes twice (kept)", admin.get("/agreements/sjabloon.xlsx").body == template)
    wb = openpyxl.load_workbook(io.BytesIO(template))
    check("the template is XLSX openpyxl reads", wb.sheetnames == ["Bijlage", "Gemeenten"], wb.sheetnames)
    listed = {row[0].value for row in wb["Gemeenten"].iter_rows(min_row=2)}
    check("with the names of the reference data", "Mol" in listed and "Mol-Zuid" not in listed)

    # an agreement changes: not the names nor the template
    fields = admin.form("/agreements/%s/edit" % AG, "/agreements/" + AG)
    r = admin.post("/agreements/" + AG, with_values(fields, {"title": "Schaal, gewijzigd"}))
    check("an agreement changes", r.status == 303, r.status)
    check("the same version of the names after it", names_url(admin.get("/regiegebieden/new").text()) == url)
    check("the same template after it", admin.get("/agreements/sjabloon.xlsx").body == template)

    # the reference data renames Mol
    shutil.copytree(os.path.join(REPO, "data"), folder)
    path = os.path.join(folder, "municipalities.csv")
    text = open(path, encoding="utf-8").read()
    open(path, "w", encoding="utf-8").write(text.replace("\n13025,Mol,", "\n13025,Mol-Zuid,"))
    n0 = changes(server.db)
    r = somon("init", "--reference", folder, db=server.db)
    check("the reference data changes (somon init --reference)", r.returncode == 0 and changes(server.db) == n0 + 1,
          r.stderr)
    fresh = names_url(admin.get("/regiegebieden/new").text())
    check("another URL after it", fresh and fresh != url and query(fresh)["v"] != version, (url, fresh))
    check("the old URL is no longer for good", admin.get(url).header("cache-control") == "no-cache")
    names = json.loads(admin.get("/municipalities/names.json?from=2024-01-01&to=2024-01-01").body)
    check("the new list has the new name", "Mol-Zuid" in names and "Mol" not in names)
    changed = admin.get("/agreements/sjabloon.xlsx").body
    check("the template changes with the reference data", changed != template)
    wb = openpyxl.load_workbook(io.BytesIO(changed))
    listed = {row[0].value for row in wb["Gemeenten"].iter_rows(min_row=2)}
    check("and lists the new name", "Mol-Zuid" in listed and "Mol" not in listed)
    old = admin.get("/agreements/sjabloon.xlsx?as_known_at=%s" % urllib.parse.quote(first_moment(server.db)))
    wb = openpyxl.load_workbook(io.BytesIO(old.body))
    check("as known before the change: the old names",
          "Mol" in {row[0].value for row in wb["Gemeenten"].iter_rows(min_row=2)})


def first_moment(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT moment FROM change WHERE action = 'reference' ORDER BY id LIMIT 1").fetchone()[0]
    finally:
        con.close()


def typed_names(server, admin):
    """Without the list (a name typed), with it (a name picked from it), and a NIS code."""
    url = "/agreements/%s/parties/new" % AG
    picked = json.loads(admin.get(names_url(admin.get(url).text())).body)
    check("Geel is offered for the agreement's days", "Geel" in picked)
    for typed, nis in (("geel", "13008"), ("Herentals", "13011"), ("13017", "13017")):
        fields = admin.form(url, "/agreements/%s/parties" % AG)
        name = [n for n, _ in fields if n.endswith(".municipality")][0]
        r = admin.post("/agreements/%s/parties" % AG, with_values(fields, {name: typed}))
        check("the party form takes %r" % typed, r.status == 303, (r.status, errors(r.text())))
        got = json.loads(admin.get("/api/v1/agreements/" + AG).body)
        check("as %s" % nis, nis in [p.get("municipality") for p in got["parties"]], got["parties"])
    fields = admin.form(url, "/agreements/%s/parties" % AG)
    name = [n for n, _ in fields if n.endswith(".municipality")][0]
    n0 = changes(server.db)
    r = admin.post("/agreements/%s/parties" % AG, with_values(fields, {name: "Mool"}))
    said = " ".join(errors(r.text()))
    check("an unknown name: the nearest names beside the field, nothing written",
          r.status == 422 and "bedoelde u" in said and "Mol" in said and changes(server.db) == n0, (r.status, said))

    # the cooperation form: a name where it had a select of every code
    fields = admin.form("/cooperations/new", "/cooperations")
    r = admin.post("/cooperations", with_values(fields, {"id": "CO-SCALE", "municipality": "Kasterlee", "kind": "zitdag",
                                                        "title": "Zitdag", "from": "2024-01-01"}))
    check("the cooperation form takes a typed name", r.status == 303, (r.status, errors(r.text())))
    fields = admin.form("/cooperations/CO-SCALE/edit", "/cooperations/CO-SCALE")
    check("and shows it by name and code", value_of(fields, "municipality") == "Kasterlee (13017)", fields)
    r = admin.post("/cooperations/CO-SCALE", with_values(fields, {"title": "Zitdag Kasterlee"}))
    check("which saves unchanged", r.status == 303, (r.status, errors(r.text())))
    r = admin.post("/cooperations/CO-SCALE", with_values(fields, {"municipality": "Kastrlee"}))
    said = " ".join(errors(r.text()))
    check("a misspelt name: bedoelde u", r.status == 422 and "bedoelde u" in said and "Kasterlee" in said, said)

    # a member row: a label picked from the by-code list
    fields = admin.form("/organisations/new", "/organisations")
    r = admin.post("/organisations", with_values(fields, {"id": "ORG-SCALE", "name": "Schaal", "kind": "association",
                                                          "members[0].municipality": "Deinze (vanaf 01/01/2019)"}))
    check("a member by a label of the list", r.status == 303, (r.status, errors(r.text())))
    fields = admin.form("/organisations/ORG-SCALE/edit", "/organisations/ORG-SCALE")
    check("shown again by that label", value_of(fields, "members[0].municipality") == "Deinze (vanaf 01/01/2019)",
          value_of(fields, "members[0].municipality"))


def options_of(page, name):
    select = re.search(r'<select id="f-%s" name="%s">(.*?)</select>' % (name, name), page, re.S)
    return re.findall(r'<option value="([^"]*)"( selected)?>', select.group(1)) if select else None


def predecessors(admin):
    """"Volgt op" is rendered once per change and directorate: it still follows every change."""
    page = admin.get("/agreements/%s/edit" % AG).text()
    before = options_of(page, "predecessor")
    check("volgt op: the agreements of the directorate, not itself", before and ("", " selected") in before and
          (AG, "") not in before and all(i for i, _ in before[1:]), before)
    for new_id, directorate in (("SO-SCALE-NEXT", "Antwerpen"), ("SO-SCALE-LIMBURG", "Limburg")):
        r = admin.post("/agreements", with_values(admin.form("/agreements/new", "/agreements"), {
            "id": new_id, "title": "Schaal " + directorate, "vdab_directorate": directorate, "status": "draft"}))
        check("another agreement (%s)" % directorate, r.status == 303, (r.status, errors(r.text())))
    after = options_of(admin.get("/agreements/%s/edit" % AG).text(), "predecessor")
    check("a new one of the directorate is offered after the change", ("SO-SCALE-NEXT", "") in after and
          ("SO-SCALE-LIMBURG", "") not in after and len(after) == len(before) + 1, after)
    own = options_of(admin.get("/agreements/SO-SCALE-NEXT/edit").text(), "predecessor")
    check("in its own form it is left out, the other one offered", ("SO-SCALE-NEXT", "") not in own and
          (AG, "") in own, own)
    api = json.loads(admin.get("/api/v1/agreements/" + AG).body)
    doc = {"format": "somon/1", "agreements": [dict(api, predecessor="SO-SCALE-LIMBURG")]}
    path = os.path.join(TMP, "forms-scale-follow.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    r = somon("import", path, db=admin.db)
    check("it follows one of another directorate (import)", r.returncode == 0, r.stderr[-500:])
    shown = options_of(admin.get("/agreements/%s/edit" % AG).text(), "predecessor")
    check("that one is offered too, chosen", ("SO-SCALE-LIMBURG", " selected") in shown and ("", "") in shown and
          len(shown) == len(after) + 1, shown)


def run(server):
    admin = Client(port=server.port)
    admin.db = server.db
    check("signed in", admin.login("scale-admin").status == 303)
    rows = reference_rows(os.path.join(REPO, "data"))
    forms_are_small(admin)
    the_list(admin, rows)
    typed_names(server, admin)
    predecessors(admin)
    versioned(server, admin, os.path.join(TMP, "forms-scale-reference"))


def main():
    require_env("test_forms_scale", "SOMON", "SOMON_DB", "SOMON_TMP")
    shutil.rmtree(os.path.join(TMP, "forms-scale-reference"), ignore_errors=True)
    return run_own_server(check, "forms-scale", run, prepare)


if __name__ == "__main__":
    sys.exit(main())
