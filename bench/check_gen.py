#!/usr/bin/env python3
"""Self-check of a folder written by gen_map.py (standard library only).

usage: check_gen.py DIR

Validates DIR/municipalities.csv, DIR/mergers.csv, DIR/principles.csv and
DIR/agreements.json against the reference-data layout and the rules of
docs/somon1.md (fields, types, ids, dates, lifecycle fields, parties and the
existence of each municipality on the first day of its party's interval), plus
the shape gen_map.py promises (BENCH-nnnnnn ids, start dates, end date).
Prints counts; exits 1 when a problem is found (the first 50 are listed, each
with its place, e.g. `agreements[3].parties[1].municipality: ...`).
"""

import collections
import csv
import datetime
import json
import os
import re
import sys
import time

TODAY = datetime.date.today().isoformat()

PROVINCES = {"West-Vlaanderen": "30000", "Oost-Vlaanderen": "40000",
             "Antwerpen": "10000", "Vlaams-Brabant": "20001", "Limburg": "70000"}
STATUSES = ("draft", "negotiating", "agreed_in_principle", "awaiting_approval",
            "signed", "terminated")
PIPELINE = ("negotiating", "agreed_in_principle", "awaiting_approval")
ACTION_STATUSES = (None, "not_started", "ongoing", "achieved", "stalled",
                   "dropped", "retired")
KINDS = ("association", "public_service", "other")
ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
NIS_RE = re.compile(r"^[0-9]{5}$")
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
MERGER_DAY = "2025-01-01"

problems = []


def bad(where, msg):
    problems.append("%s: %s" % (where, msg))


def to_day(s):
    """Ordinal of an ISO date string, or None if it is not one."""
    if not isinstance(s, str) or not DATE_RE.match(s):
        return None
    try:
        return datetime.date.fromisoformat(s).toordinal()
    except ValueError:
        return None


def is_text(v):
    return isinstance(v, str) and v != ""


# ------------------------------------------------------------ reference data
class Rows:
    def __init__(self):
        self.by_code = collections.defaultdict(list)   # code -> [(from, to, name, prov_nis)]

    def exists(self, code, d):
        for f, t, _, _ in self.by_code.get(code, ()):
            if f <= d and (t is None or d <= t):
                return True
        return False

    def ever(self, code):
        return code in self.by_code

    def always(self, code):
        """Exists on every date from its first row on (never merged away)."""
        return any(t is None for _, t, _, _ in self.by_code.get(code, ())) and \
            len(self.by_code[code]) == 1


def read_csv(path, header):
    where = os.path.basename(path)
    with open(path, newline="", encoding="utf-8") as f:
        data = f.read()
    if "\r" in data:
        bad(where, "contains carriage returns")
    rows = list(csv.reader(data.splitlines()))
    if not rows or rows[0] != header:
        bad(where, "header is %r, expected %r" % (rows[0] if rows else None, header))
        return []
    out = []
    for n, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            bad("%s:%d" % (where, n), "%d fields, expected %d" % (len(r), len(header)))
            continue
        out.append((n, r))
    return out


def check_reference(d, counts):
    rows = Rows()
    merger = to_day(MERGER_DAY)
    prov_before = collections.Counter()
    prov_after = collections.Counter()
    n_rows = 0
    for n, r in read_csv(os.path.join(d, "municipalities.csv"),
                         ["nis", "name", "province_nis", "province",
                          "arrondissement_nis", "valid_from", "valid_to"]):
        where = "municipalities.csv:%d" % n
        nis, name, pnis, prov, arr, vf, vt = r
        n_rows += 1
        if not NIS_RE.match(nis):
            bad(where, "nis %r is not 5 digits" % nis)
        if not name or "," in name or '"' in name:
            bad(where, "name %r empty or needs quoting" % name)
        if PROVINCES.get(prov) != pnis:
            bad(where, "province %r with province_nis %r" % (prov, pnis))
        if not NIS_RE.match(arr):
            bad(where, "arrondissement_nis %r is not 5 digits" % arr)
        f = to_day(vf)
        t = to_day(vt) if vt else None
        if f is None or (vt and t is None):
            bad(where, "bad validity %r..%r" % (vf, vt))
            continue
        if t is not None and t < f:
            bad(where, "valid_to before valid_from")
        for of, ot, _, _ in rows.by_code[nis]:
            if not (t is not None and t < of or ot is not None and ot < f):
                bad(where, "validity overlaps another row of %s" % nis)
        rows.by_code[nis].append((f, t, name, pnis))
        if f < merger:
            prov_before[prov] += 1
        if t is None:
            prov_after[prov] += 1

    groups = collections.defaultdict(list)
    olds = collections.Counter()
    kept = reused = moved = 0
    for n, r in read_csv(os.path.join(d, "mergers.csv"),
                         ["old_nis", "old_name", "old_province_nis", "new_nis",
                          "new_name", "new_province_nis", "code_kept", "effective"]):
        where = "mergers.csv:%d" % n
        on, oname, opn, nn, nname, npn, ck, eff = r
        e = to_day(eff)
        if e is None:
            bad(where, "effective %r is not a date" % eff)
            continue
        old = [x for x in rows.by_code.get(on, ()) if x[1] == e - 1]
        new = [x for x in rows.by_code.get(nn, ()) if x[0] == e]
        if len(old) != 1:
            bad(where, "no municipality %s ending the day before %s" % (on, eff))
        elif (old[0][2], old[0][3]) != (oname, opn):
            bad(where, "old name/province differ from municipalities.csv")
        if len(new) != 1:
            bad(where, "no municipality %s starting %s" % (nn, eff))
        elif (new[0][2], new[0][3]) != (nname, npn):
            bad(where, "new name/province differ from municipalities.csv")
        if ck not in ("yes", "no") or (ck == "yes") != (on == nn):
            bad(where, "code_kept %r with old %s new %s" % (ck, on, nn))
        kept += ck == "yes"
        moved += opn != npn
        olds[on] += 1
        groups[(nn, eff)].append(on)
    for code, c in olds.items():
        if c > 1:
            bad("mergers.csv", "old_nis %s appears %d times" % (code, c))
    for code, lst in rows.by_code.items():
        for f, t, _, _ in lst:
            if t == merger - 1 and code not in olds:
                bad("municipalities.csv", "%s ends %s but is in no merger" % (code, t))
            if f == merger and (code, MERGER_DAY) not in groups:
                bad("municipalities.csv", "%s starts %s but no merger makes it" % (code, MERGER_DAY))
    for (nn, _), members in groups.items():
        if nn not in members and nn in olds:
            reused += 1

    prin = read_csv(os.path.join(d, "principles.csv"), ["number", "title", "text"])
    if [r[0] for _, r in prin] != [str(i) for i in range(1, 11)]:
        bad("principles.csv", "numbers are not 1..10")
    for n, r in prin:
        if not r[1] or not r[2]:
            bad("principles.csv:%d" % n, "empty title or text")

    counts["municipality rows"] = n_rows
    counts["NIS codes"] = len(rows.by_code)
    counts["2019-2024 map"] = sum(prov_before.values())
    counts["2025 map"] = sum(prov_after.values())
    counts["provinces 2019-2024"] = ", ".join("%s %d" % (p, prov_before[p]) for p in PROVINCES)
    counts["provinces 2025"] = ", ".join("%s %d" % (p, prov_after[p]) for p in PROVINCES)
    counts["merger groups"] = "%d (%d municipalities; code kept %d rows, new code reusing "\
        "a merged-away code %d groups, rows changing province %d)" % (
            len(groups), sum(olds.values()), kept, reused, moved)
    return rows


# ------------------------------------------------------------ the document
def no_dupes(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise ValueError("duplicate key %r" % k)
        d[k] = v
    return d


def fields(where, obj, allowed, required):
    if not isinstance(obj, dict):
        bad(where, "not an object")
        return False
    for k in obj:
        if k not in allowed:
            bad("%s.%s" % (where, k), "unknown field")
    for k in required:
        if obj.get(k) is None:
            bad("%s.%s" % (where, k), "required")
    return True


def opt_date(where, obj, key):
    """The field's day, None when absent/null; reports a non-date."""
    v = obj.get(key)
    if v is None:
        return None
    dd = to_day(v)
    if dd is None:
        bad("%s.%s" % (where, key), "%r is not a YYYY-MM-DD date" % (v,))
    return dd


def opt_text(where, obj, key):
    v = obj.get(key)
    if v is not None and not is_text(v):
        bad("%s.%s" % (where, key), "not a non-empty text")


def check_list(where, obj, key):
    v = obj.get(key, [])
    if v is None:
        v = []
    if not isinstance(v, list):
        bad("%s.%s" % (where, key), "not a list")
        return []
    return v


def check_document(d, rows, counts):
    path = os.path.join(d, "agreements.json")
    with open(path, encoding="utf-8") as f:
        try:
            doc = json.load(f, object_pairs_hook=no_dupes)
        except ValueError as e:
            bad("agreements.json", str(e))
            return
    if not fields("$", doc, ("format", "organisations", "regiegebieden", "agreements"),
                  ("format",)):
        return
    if doc.get("format") != "somon/1":
        bad("format", "not somon/1")

    orgs = {"VDAB": "public_service"}       # created by init
    for i, o in enumerate(check_list("$", doc, "organisations")):
        w = "organisations[%d]" % i
        if not fields(w, o, ("id", "name", "kind"), ("id", "name", "kind")):
            continue
        oid = o.get("id")
        if not isinstance(oid, str) or not ID_RE.match(oid):
            bad(w + ".id", "bad id %r" % (oid,))
        elif oid in orgs and oid != "VDAB":
            bad(w + ".id", "duplicate id %s" % oid)
        opt_text(w, o, "name")
        if o.get("kind") not in KINDS:
            bad(w + ".kind", "bad kind %r" % (o.get("kind"),))
        orgs[oid] = o.get("kind")

    rgs = {}
    n_members = 0
    for i, r in enumerate(check_list("$", doc, "regiegebieden")):
        w = "regiegebieden[%d]" % i
        if not fields(w, r, ("id", "name", "province", "from", "until", "members", "notes"),
                      ("id", "name", "province", "members")):
            continue
        rid = r.get("id")
        if not isinstance(rid, str) or not ID_RE.match(rid):
            bad(w + ".id", "bad id %r" % (rid,))
        elif rid in rgs:
            bad(w + ".id", "duplicate id %s" % rid)
        rgs[rid] = r
        opt_text(w, r, "name")
        opt_text(w, r, "notes")
        if r.get("province") not in PROVINCES:
            bad(w + ".province", "bad province %r" % (r.get("province"),))
        f = opt_date(w, r, "from")
        u = opt_date(w, r, "until")
        if f is not None and u is not None and u < f:
            bad(w + ".until", "before from")
        seen = set()
        members = r.get("members")
        if not isinstance(members, list):
            bad(w + ".members", "not a list")
            continue
        n_members += len(members)
        for j, c in enumerate(members):
            wm = "%s.members[%d]" % (w, j)
            if not isinstance(c, str) or not NIS_RE.match(c):
                bad(wm, "%r is not a NIS code" % (c,))
            elif c in seen:
                bad(wm, "duplicate %s" % c)
            elif (f is not None and not rows.exists(c, f)) or not rows.ever(c):
                bad(wm, "unknown NIS code %s on %s" % (c, r.get("from")))
            seen.add(c)

    ids = set()
    status_count = collections.Counter()
    pc = collections.Counter()
    sizes = []
    first_unanchored = 0
    d_start_min, d_start_max = to_day("2019-06-01"), to_day("2024-06-30")
    d_end = to_day("2025-12-31")
    agreements = check_list("$", doc, "agreements")
    for i, a in enumerate(agreements):
        w = "agreements[%d]" % i
        if not fields(w, a, ("id", "title", "vdab_directorate", "regiegebied", "status",
                             "start", "end", "expected_start", "terminated_on",
                             "terminated_by", "parties", "action_plan", "governance",
                             "notes"),
                      ("id", "title", "vdab_directorate", "status", "parties")):
            continue
        aid = a.get("id")
        if not is_text(aid):
            bad(w + ".id", "not a text")
        elif aid in ids:
            bad(w + ".id", "duplicate id %s" % aid)
        ids.add(aid)
        if aid != "BENCH-%06d" % (i + 1):
            bad(w + ".id", "expected BENCH-%06d (generator convention)" % (i + 1))
        opt_text(w, a, "title")
        opt_text(w, a, "notes")
        if a.get("vdab_directorate") not in PROVINCES:
            bad(w + ".vdab_directorate", "bad province %r" % (a.get("vdab_directorate"),))
        rg = a.get("regiegebied")
        if rg is not None and rg not in rgs:
            bad(w + ".regiegebied", "unknown regiegebied %r" % (rg,))
        st = a.get("status")
        if st not in STATUSES:
            bad(w + ".status", "bad status %r" % (st,))
        status_count[st] += 1
        pc["with regiegebied"] += rg is not None
        start = opt_date(w, a, "start")
        end = opt_date(w, a, "end")
        exp = opt_date(w, a, "expected_start")
        ton = opt_date(w, a, "terminated_on")
        if start is not None and end is not None and end < start:
            bad(w + ".end", "before start")
        if exp is not None and end is not None and exp > end:
            bad(w + ".expected_start", "after end")
        if st == "terminated":
            if ton is None:
                bad(w + ".terminated_on", "required for status terminated")
            elif start is not None and ton <= start:
                bad(w + ".terminated_on", "not after start")
            elif end is not None and ton > end + 1:
                bad(w + ".terminated_on", "after end + 1 day")
            if a.get("terminated_by") is None:
                bad(w + ".terminated_by", "required for status terminated")
        else:
            for k in ("terminated_on", "terminated_by"):
                if a.get(k) is not None:
                    bad("%s.%s" % (w, k), "only allowed with status terminated")
        # generator conventions (the brief), not format rules
        if st in ("signed", "terminated"):
            if start is None or not d_start_min <= start <= d_start_max:
                bad(w + ".start", "outside 2019-06-01..2024-06-30")
        elif start is not None:
            bad(w + ".start", "pipeline/draft agreement with a start")
        if st in PIPELINE and exp is None:
            bad(w + ".expected_start", "pipeline agreement without expected_start")
        if end != d_end:
            bad(w + ".end", "not 2025-12-31")

        mun_codes = set()
        org_ids = set()
        parties = a.get("parties")
        if not isinstance(parties, list):
            bad(w + ".parties", "not a list")
            parties = []
        n_mun = 0
        for j, p in enumerate(parties):
            wp = "%s.parties[%d]" % (w, j)
            if not fields(wp, p, ("municipality", "organisation", "approved_on", "from",
                                  "until", "expected_from", "signatories"), ()):
                continue
            mun, org = p.get("municipality"), p.get("organisation")
            if (mun is None) == (org is None):
                bad(wp, "needs exactly one of municipality and organisation")
                continue
            ap = opt_date(wp, p, "approved_on")
            fr = opt_date(wp, p, "from")
            un = opt_date(wp, p, "until")
            ef = opt_date(wp, p, "expected_from")
            if fr is not None and un is not None and un < fr:
                bad(wp + ".until", "before from")
            if ef is not None and fr is not None:
                bad(wp + ".expected_from", "with from (a planned party has no from)")
            lo = max(x for x in (start, fr) if x is not None) if (start or fr) else None
            hi = min(x for x in (end, un, ton - 1 if ton else None) if x is not None) \
                if (end or un or ton) else None
            if un is not None and start is not None and un < start:
                bad(wp + ".until", "before the agreement's start")
            if fr is not None and end is not None and fr > end:
                bad(wp + ".from", "after the agreement's end")
            for k, s in enumerate(check_list(wp, p, "signatories")):
                ws = "%s.signatories[%d]" % (wp, k)
                if fields(ws, s, ("name", "function"), ("name",)):
                    opt_text(ws, s, "name")
                    opt_text(ws, s, "function")
            if org is not None:
                pc["organisation parties"] += 1
                if org not in orgs:
                    bad(wp + ".organisation", "unknown organisation %r" % (org,))
                elif org in org_ids:
                    bad(wp + ".organisation", "duplicate party %s" % org)
                org_ids.add(org)
                continue
            n_mun += 1
            if not isinstance(mun, str) or not NIS_RE.match(mun):
                bad(wp + ".municipality", "%r is not a NIS code" % (mun,))
                continue
            if mun in mun_codes:
                bad(wp + ".municipality", "duplicate party %s" % mun)
            mun_codes.add(mun)
            # the first day of the party's interval (SPEC §3): max(start, from);
            # in the pipeline the interval starts at expected_start
            first = lo if lo is not None else (fr if fr is not None else exp)
            if first is None:
                first_unanchored += 1
                if not rows.always(mun):
                    bad(wp + ".municipality", "agreement without dates names %s, "
                        "which does not exist on every date" % mun)
            elif not rows.exists(mun, first):
                bad(wp + ".municipality", "unknown NIS code %s on %s"
                    % (mun, datetime.date.fromordinal(first)))
            if ef is not None and not rows.exists(mun, ef):
                bad(wp + ".expected_from", "%s does not exist on %s"
                    % (mun, datetime.date.fromordinal(ef)))
            if lo is not None and hi is not None and hi < lo and ef is None:
                pc["parties with an empty interval"] += 1
            pc["municipality parties"] += 1
            pc["  with approved_on"] += ap is not None
            pc["  with from"] += fr is not None
            pc["  with until"] += un is not None
            pc["  planned (expected_from)"] += ef is not None
            pc["  first day of interval in 2025"] += \
                first is not None and first >= to_day(MERGER_DAY)
        sizes.append(n_mun)
        tb = a.get("terminated_by")
        if tb is not None and tb != "VDAB" and tb not in mun_codes and tb not in org_ids:
            bad(w + ".terminated_by", "%r is not VDAB nor a party" % (tb,))

        domains, actions = set(), set()
        for k, t in enumerate(check_list(w, a, "action_plan")):
            wt = "%s.action_plan[%d]" % (w, k)
            if not fields(wt, t, ("theme", "domains"), ("theme", "domains")):
                continue
            opt_text(wt, t, "theme")
            for l, dm in enumerate(check_list(wt, t, "domains")):
                wd = "%s.domains[%d]" % (wt, l)
                if not fields(wd, dm, ("number", "title", "actions"), ("number", "title")):
                    continue
                if dm.get("number") in domains:
                    bad(wd + ".number", "duplicate")
                domains.add(dm.get("number"))
                for q, ac in enumerate(check_list(wd, dm, "actions")):
                    wa = "%s.actions[%d]" % (wd, q)
                    if not fields(wa, ac, ("number", "title", "lead", "status"),
                                  ("number", "title")):
                        continue
                    if ac.get("number") in actions:
                        bad(wa + ".number", "duplicate")
                    actions.add(ac.get("number"))
                    opt_text(wa, ac, "lead")
                    if ac.get("status") not in ACTION_STATUSES:
                        bad(wa + ".status", "bad status %r" % (ac.get("status"),))
        for k, b in enumerate(check_list(w, a, "governance")):
            wb = "%s.governance[%d]" % (w, k)
            if not fields(wb, b, ("body", "convener", "min_meetings", "per_years", "members", "meetings"),
                          ("body",)):
                continue
            opt_text(wb, b, "body")
            opt_text(wb, b, "convener")
            mm, py = b.get("min_meetings"), b.get("per_years")
            if (mm is None) != (py is None):
                bad(wb, "min_meetings and per_years: both or neither")
            for v, k2 in ((mm, "min_meetings"), (py, "per_years")):
                if v is not None and (type(v) is not int or v < 1):
                    bad("%s.%s" % (wb, k2), "not a positive whole number")
            for q, mb in enumerate(check_list(wb, b, "members")):
                wm = "%s.members[%d]" % (wb, q)
                if fields(wm, mb, ("name", "function", "organisation"), ()):
                    for k2 in ("name", "function", "organisation"):
                        opt_text(wm, mb, k2)
                    if mb.get("name") is None and mb.get("function") is None:
                        bad(wm, "name or function required")
            for q, mt in enumerate(check_list(wb, b, "meetings")):
                wm = "%s.meetings[%d]" % (wb, q)
                if not fields(wm, mt, ("held_on", "state", "decisions", "minutes_url", "attendees"),
                              ("held_on", "state")):
                    continue
                if mt.get("state") not in ("planned", "held", "cancelled"):
                    bad(wm + ".state", "bad state %r" % (mt.get("state"),))
                held = mt.get("held_on")
                if not isinstance(held, str) or len(held) != 10:
                    bad(wm + ".held_on", "not a date")
                elif mt.get("state") == "held" and held > TODAY:
                    bad(wm, "held on a day that has not come")
                opt_text(wm, mt, "decisions")
                pc["meetings"] = pc.get("meetings", 0) + 1

    counts["organisations"] = "%d (+ VDAB from init)" % (len(orgs) - 1)
    counts["regiegebieden"] = "%d (%d members)" % (len(rgs), n_members)
    counts["agreements"] = "%d: %s" % (len(agreements), ", ".join(
        "%s %d" % (s, status_count[s]) for s in STATUSES))
    for k in ("with regiegebied", "municipality parties", "  with approved_on",
              "  with from", "  with until", "  planned (expected_from)",
              "  first day of interval in 2025", "parties with an empty interval",
              "organisation parties"):
        counts[k] = pc[k]
    counts["meetings"] = pc.get("meetings", 0)
    if sizes:
        counts["municipality parties per agreement"] = "min %d, mean %.2f, max %d" % (
            min(sizes), sum(sizes) / float(len(sizes)), max(sizes))
    counts["parties of agreements without any date"] = first_unanchored


def main(argv):
    if len(argv) != 2:
        print("usage: check_gen.py DIR", file=sys.stderr)
        return 64
    d = argv[1]
    t0 = time.time()
    counts = collections.OrderedDict()
    for fn in ("municipalities.csv", "mergers.csv", "principles.csv", "agreements.json"):
        p = os.path.join(d, fn)
        if not os.path.exists(p):
            print("check_gen: %s: missing" % p, file=sys.stderr)
            return 66
        counts["size " + fn] = "%d bytes" % os.path.getsize(p)
    rows = check_reference(d, counts)
    check_document(d, rows, counts)
    for k, v in counts.items():
        print("%-40s %s" % (k, v))
    print("%-40s %.2fs" % ("check time", time.time() - t0))
    if problems:
        for p in problems[:50]:
            print("PROBLEM " + p)
        print("%d problem(s)" % len(problems))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
