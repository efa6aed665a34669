#!/usr/bin/python3
"""Checks the exported demo register (somon export of the database `make run`
builds) against the public sources it was made from (data/demo/public_so).

    demo_sources_check.py EXPORT.json

(a) every agreement that is not a seed's has at least one source, and so has
    each of its parties;
(b) no such agreement or party has a date that is not stated in the start, end
    or council_decision column of a public_so row whose source_url is among the
    sources of that agreement (party): start, signed_on, expected_start and
    terminated_on from the start column, end from the end column, a party's
    approved_on and decisions from council_decision, its from, until and
    expected_from from start or end;
(d) counts the municipalities party to an agreement of the 2020-2025 cycle and
    compares them with the figures of public_so/README.md;
and: the seeds' agreements are as their files give them (no source added), the
register notice is set, every Halle-Vilvoorde entry of the outreach log is there.
Prints one line per problem and a summary; exits 1 on any problem.
"""
import csv
import glob
import importlib.util
import json
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEMO = os.path.join(REPO, "data", "demo")
problems = []


def problem(msg):
    problems.append(msg)
    print("  FAIL: " + msg)


def load_converter():
    spec = importlib.util.spec_from_file_location("public_so", os.path.join(DEMO, "public_so.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def read_rows():
    with open(os.path.join(DEMO, "public_so", "agreements.csv"), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def seeds():
    out = {}
    for path in sorted(glob.glob(os.path.join(DEMO, "agreement*.json"))):
        with open(path, encoding="utf-8") as f:
            for a in json.load(f).get("agreements", []):
                out[a["id"]] = a
    return out


def same_as_seed(want, got, path):
    """The path of the first difference, or None: what the export adds beyond the
    seed file (lists written out empty, fields written out null) does not count."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return path
        for k, v in want.items():
            d = same_as_seed(v, got.get(k), f"{path}.{k}")
            if d:
                return d
        extra = [k for k in got if k not in want and got[k] not in (None, [])]
        return f"{path}.{extra[0]}" if extra else None
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return path
        for i, (v, x) in enumerate(zip(want, got)):
            d = same_as_seed(v, x, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if want == got else path


def stated(rows, urls, column):
    return {r[column] for r in rows if r["source_url"] in urls and len(r[column]) == 10}


def check_dates(rows, holder, what, fields):
    urls = {s["url"] for s in holder.get("sources") or []}
    for field, columns in fields:
        value = holder.get(field)
        if value is None:
            continue
        allowed = set().union(*(stated(rows, urls, c) for c in columns))
        if value not in allowed:
            problem(f"(b) {what}.{field} {value} is stated by none of its sources "
                    f"(their {'/'.join(columns)}: {sorted(allowed) or 'none'})")


AGREEMENT_DATES = [("start", ["start"]), ("signed_on", ["start"]), ("expected_start", ["start"]),
                   ("terminated_on", ["start", "end"]), ("end", ["end"])]
PARTY_DATES = [("approved_on", ["council_decision"]), ("from", ["start", "end"]),
               ("until", ["start", "end"]), ("expected_from", ["start", "end"])]

# public_so/README.md: "60 municipalities are named as party to an agreement of the
# 2020-2025 cycle (West-Vlaanderen 7 of 57, Oost-Vlaanderen 17 of 55, Antwerpen 22
# of 68, Vlaams-Brabant 10 of 26, Limburg 4 of 30)". Nothing dropped, nothing
# invented: the demo names exactly these, province by province.
README_COUNTS = {"West-Vlaanderen": 7, "Oost-Vlaanderen": 17, "Antwerpen": 22, "Vlaams-Brabant": 10, "Limburg": 4}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        export = json.load(f)
    rows = read_rows()
    seed = seeds()
    conv = load_converter()
    cycle = {a["id"]: a["cycle"] for a in conv.AGREEMENTS}
    province = {}
    with open(os.path.join(REPO, "data", "municipalities.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            province[r["nis"]] = r["province"]

    if export.get("register_notice") != "public_sources_partial":
        problem(f"register_notice is {export.get('register_notice')!r}, not 'public_sources_partial'")

    agreements = {a["id"]: a for a in export.get("agreements", [])}
    for sid, s in seed.items():
        a = agreements.get(sid)
        if a is None:
            problem(f"seed {sid} is missing")
            continue
        where = same_as_seed(s, a, sid)
        if where:
            problem(f"seed {where} differs from its file: the seeds stay as they are")

    ours = [a for a in agreements.values() if a["id"] not in seed]
    for a in ours:
        if not a["id"].startswith("PB-"):
            problem(f"{a['id']}: neither a seed nor a PB- agreement of the public sources")
        if a["id"] not in cycle:
            problem(f"{a['id']}: not made by data/demo/public_so.py")
        if not a.get("sources"):
            problem(f"(a) {a['id']} has no source")
        check_dates(rows, a, a["id"], AGREEMENT_DATES)
        for i, party in enumerate(a["parties"]):
            name = f"{a['id']}.parties[{i}] ({party.get('municipality') or party.get('organisation')})"
            if not party.get("sources"):
                problem(f"(a) {name} has no source")
            check_dates(rows, party, name, PARTY_DATES)
            for j, d in enumerate(party.get("decisions") or []):
                check_dates(rows, {"sources": party.get("sources"), "approved_on": d["on"]},
                            f"{name}.decisions[{j}]", [("approved_on", ["council_decision"])])
    missing = set(cycle) - set(agreements)
    if missing:
        problem(f"agreements of public_so.py not in the register: {sorted(missing)}")

    # (d) municipalities party to an agreement of the 2020-2025 cycle: the seeds'
    # agreements ending on 31/12/2025 and the PB- agreements public_so.py marks so
    in_cycle = {a["id"] for a in ours if cycle.get(a["id"])} | \
               {sid for sid, s in seed.items() if s.get("end") == "2025-12-31"}
    munis = {p["municipality"] for a in agreements.values() if a["id"] in in_cycle
             for p in a["parties"] if p.get("municipality")}
    named = {r["nis_if_known"] for r in rows if r["nis_if_known"] and r["agreement_name"] != "(none)"}
    from_rows = munis & named
    per_prov = {p: sum(1 for m in from_rows if province[m] == p) for p in README_COUNTS}
    print(f"  (d) {len(munis)} municipalities are party to a 2020-2025 agreement in the demo register: "
          f"{len(from_rows)} named by public_so ({', '.join(f'{p} {n}' for p, n in per_prov.items())}) "
          f"and {len(munis - named)} of the seeds only ({', '.join(sorted(munis - named))})")
    if per_prov != README_COUNTS:
        problem(f"(d) per province {per_prov}, public_so/README.md says {README_COUNTS}")
    seed_only = {p["municipality"] for s in seed.values() if s.get("end") == "2025-12-31"
                 for p in s["parties"] if p.get("municipality")} - named
    if munis - named != seed_only:
        problem(f"(d) municipalities neither named by public_so nor in a seed: {sorted(munis - named - seed_only)}")
    if not 55 <= len(munis) <= 70:
        problem(f"(d) {len(munis)} municipalities: not 'about 60' (55..70)")

    # the Halle-Vilvoorde statement: 15 outreach entries, each with its source
    hv = {r["nis_if_known"]: r for r in rows if r["agreement_name"] == "(none)"}
    log = {(o["municipality"], o["on"]): o for o in export.get("outreach", [])}
    for nis, r in sorted(hv.items()):
        entry = log.get((nis, "2025-01-01"))
        if entry is None or entry["stage"] != "no_contact" or r["source_url"] not in (entry.get("note") or ""):
            problem(f"outreach of {nis} ({r['municipality']}) on 2025-01-01: {entry!r}")
        if nis in munis:
            problem(f"{nis} has no structural cooperation (Ring TV) and is yet party to a 2020-2025 agreement")

    print(f"  {len(ours)} agreements of public sources, {sum(len(a['parties']) for a in ours)} parties, "
          f"{len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
