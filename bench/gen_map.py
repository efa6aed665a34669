#!/usr/bin/env python3
"""Generate synthetic reference data and a somon/1 document for benchmarks.

usage: gen_map.py OUTDIR [--municipalities 100000] [--agreements 50000]
                         [--parties 200000] [--seed 1]

Writes into OUTDIR (what `somon init --reference OUTDIR` and `somon import`
read):
  municipalities.csv  nis,name,province_nis,province,arrondissement_nis,valid_from,valid_to
  mergers.csv         old_nis,old_name,old_province_nis,new_nis,new_name,new_province_nis,code_kept,effective
  principles.csv      number,title,text (ten synthetic rows)
  agreements.json     a somon/1 document (organisations, regiegebieden, agreements)

Everything is synthetic; none of it is a fact about Flanders.

The map.  NIS codes are exactly 5 digits, so there are only 90,000 of them
(10000..99999).  The 2019-2024 map ("base") takes a municipality per code, in
five contiguous code blocks, one per province (proportions of the real 300).
On 2025-01-01 groups of 2-4 neighbouring municipalities merge, like the real
2025 mergers: most into a new code, some (about 15%) into the code of one of
them (code_kept=yes, like 11002 Antwerpen), and a few move to another province
(like Zwijndrecht).  Every merger adds one identity (row), so
rows = base + groups.  About 5% of the base municipalities merge when the
requested --municipalities count fits in 90,000 codes that way; beyond that the
base map takes all 90,000 codes and more of it merges (about 26% for the
default 100,000 rows), and when no unused code is left a new 2025
municipality reuses the code of a municipality merged away in another group
(the code then has two rows, like 11002, but with different names).

Agreements: --agreements agreements BENCH-000001..., and exactly --parties
municipality parties over them (organisation parties come on top and are
reported separately).  Each municipality exists on the first day of its
party's interval (docs/somon1.md); dates and statuses follow the rules there.
Output is deterministic for a given set of arguments (no set or hash order is
used).  Statistics go to standard error.
"""

import argparse
import csv
import datetime
import json
import math
import os
import random
import sys
import time

# (name, province NIS, municipalities in the real 2019-2024 map), in the order
# of their NIS code blocks.
PROVINCES = [
    ("Antwerpen", "10000", 69),
    ("Vlaams-Brabant", "20001", 65),
    ("West-Vlaanderen", "30000", 64),
    ("Oost-Vlaanderen", "40000", 60),
    ("Limburg", "70000", 42),
]
MIN_CODE, MAX_CODE = 10000, 99999
N_CODES = MAX_CODE - MIN_CODE + 1
MERGE_SHARE = 0.05          # share of the base map that merges, when codes allow
GROUP_SIZES = [(2, 0.70), (3, 0.25), (4, 0.05)]
KEPT_SHARE = 0.15           # merger groups that keep one member's code
MOVE_SHARE = 0.005          # merger groups whose new municipality is in another province

STATUS_SHARES = [
    ("signed", 0.80),
    ("terminated", 0.06),
    ("negotiating", 0.05),
    ("agreed_in_principle", 0.03),
    ("awaiting_approval", 0.04),
    ("draft", 0.02),
]
PIPELINE = ("negotiating", "agreed_in_principle", "awaiting_approval")
RG_SHARE = 0.10             # agreements naming a regiegebied
RICH_SHARE = 0.02           # agreements with signatories, action plan, governance
N_ASSOCIATIONS = 12


def day(s):
    return datetime.date.fromisoformat(s).toordinal()


D_2019 = day("2019-01-01")
D_2025 = day("2025-01-01")          # the merger date
D_START_MIN = day("2019-06-01")
D_START_MAX = day("2024-06-30")
D_START_MODE = day("2021-01-01")
D_END = day("2025-12-31")
D_RG_FROM = day("2020-01-01")

_iso_cache = {}


def iso(d):
    s = _iso_cache.get(d)
    if s is None:
        s = datetime.date.fromordinal(d).isoformat()
        _iso_cache[d] = s
    return s


# ---------------------------------------------------------------- names
PRE = ["Aal", "Ber", "Bor", "Dil", "Ed", "Ger", "Hal", "Her", "Hoog", "Kap",
       "Kor", "Lan", "Lie", "Loo", "Maal", "Meer", "Mol", "Nie", "Oost", "Op",
       "Pel", "Ram", "Ros", "Sche", "Stab", "Ter", "Tie", "Vel", "Vos", "Wes",
       "Wil", "Zand", "Zon", "Zwe", "Bee", "Dam", "Ek", "Gav", "Hul", "Ieg",
       "Jab", "Kes", "Lub", "Mer", "Nin", "Oud", "Put", "Rum", "Ste", "Vil"]
SUF = ["kerke", "gem", "hout", "dijk", "hoven", "beek", "lo", "zele", "rode",
       "heide", "gaarden", "bergen", "mortel", "aken", "donk", "horst", "lede",
       "meer", "dam", "veld", "hem", "wijk", "brugge", "egem", "ingen", "stade",
       "kapelle", "moere", "bos", "zaal", "broek", "leeuw", "hoek", "eren",
       "poel", "weert", "laar", "stein", "kamp", "akker"]
QPRE = ["Sint-", "Oud-", "Groot-", "Klein-", "Neder-", "Over-", "Boven-",
        "West-", "Oost-", "Noord-", "Zuid-", "Heilig-"]
QSUF = ["-Waas", "-Heide", "-Dorp", "-Statie", "-Veld", "-Brug", "-Kempen",
        "-Leie", "-Schelde", "-Dijle", "-Demer", "-Nete", "-Rupel", "-Zenne",
        "-IJzer", "-Dender", "-Mark", "-Kapelle"]
QUAL = ([(p, "") for p in QPRE] + [("", s) for s in QSUF]
        + [(p, s) for p in QPRE for s in QSUF])
N_NAMES = len(PRE) * len(SUF) * (1 + len(QUAL))


def name_of(k):
    """The k-th synthetic place name (0 <= k < N_NAMES), all different."""
    p = k % len(PRE)
    s = (k // len(PRE)) % len(SUF)
    q = k // (len(PRE) * len(SUF))
    base = PRE[p] + SUF[s]
    if q == 0:
        return base
    qp, qs = QUAL[q - 1]
    return qp + base + qs


# ---------------------------------------------------------------- helpers
def split_by_shares(total, shares):
    """Split total into len(shares) whole parts proportional to shares
    (largest remainder, ties by position)."""
    w = sum(shares)
    raw = [total * s / w for s in shares]
    parts = [int(math.floor(x)) for x in raw]
    rest = total - sum(parts)
    order = sorted(range(len(shares)), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[:rest]:
        parts[i] += 1
    return parts


def choose_size(rng):
    r = rng.random()
    acc = 0.0
    for size, share in GROUP_SIZES:
        acc += share
        if r < acc:
            return size
    return GROUP_SIZES[-1][0]


class Map:
    """Municipality identities, as parallel lists indexed by identity."""

    def __init__(self):
        self.code = []      # str
        self.name = []
        self.prov = []      # index into PROVINCES
        self.arr = []
        self.vfrom = []     # ordinal
        self.vto = []       # ordinal or None
        self.succ = []      # identity index of the 2025 municipality, or -1

    def add(self, code, name, prov, vfrom, vto):
        self.code.append(code)
        self.name.append(name)
        self.prov.append(prov)
        self.arr.append(code[:2] + "000")
        self.vfrom.append(vfrom)
        self.vto.append(vto)
        self.succ.append(-1)
        return len(self.code) - 1


def build_map(rng, want, stats):
    avg = sum(s * p for s, p in GROUP_SIZES)
    base_n = min(N_CODES, int(round(want / (1 + MERGE_SHARE / avg))))
    n_groups = want - base_n
    if n_groups > base_n // 2:
        n_groups = base_n // 2
        print("gen_map: warning: at most %d municipality rows fit in 5-digit "
              "codes with pairwise mergers; generating %d"
              % (base_n + n_groups, base_n + n_groups), file=sys.stderr)

    if base_n == N_CODES:
        base_codes = list(range(MIN_CODE, MAX_CODE + 1))
    else:
        base_codes = sorted(rng.sample(range(MIN_CODE, MAX_CODE + 1), base_n))
    per_prov = split_by_shares(base_n, [p[2] for p in PROVINCES])
    names = rng.sample(range(N_NAMES), min(N_NAMES, base_n + n_groups))
    name_pos = 0

    m = Map()
    pos = 0
    for pi, cnt in enumerate(per_prov):
        for _ in range(cnt):
            c = base_codes[pos]
            m.add("%05d" % c, name_of(names[name_pos]), pi, D_2019, None)
            pos += 1
            name_pos += 1
    base_ids = list(range(base_n))          # code order = identity order

    # merger groups: n_groups runs of neighbouring base municipalities
    sizes = [choose_size(rng) for _ in range(n_groups)]
    excess = sum(sizes) - base_n
    i = 0
    while excess > 0 and i < len(sizes):
        if sizes[i] > 2:
            cut = min(sizes[i] - 2, excess)
            sizes[i] -= cut
            excess -= cut
        i += 1
    units = base_n - sum(sizes) + n_groups
    starts = sorted(rng.sample(range(units), n_groups))
    groups = []
    shift = 0
    for k, u in enumerate(starts):
        s = u + shift
        groups.append(base_ids[s:s + sizes[k]])
        shift += sizes[k] - 1

    # which groups keep a code, which move province
    order = list(range(n_groups))
    rng.shuffle(order)
    n_kept = int(round(n_groups * KEPT_SHARE))
    kept = [False] * n_groups
    for g in order[:n_kept]:
        kept[g] = True
    n_move = int(round(n_groups * MOVE_SHARE))
    if n_groups >= 10 and n_move == 0:
        n_move = 1
    movers = [g for g in order[n_kept:]][:n_move]
    moved = [False] * n_groups
    for g in movers:
        moved[g] = True

    used = bytearray(N_CODES)
    for c in base_codes:
        used[c - MIN_CODE] = 1
    fresh = [c for c in range(MIN_CODE, MAX_CODE + 1) if not used[c - MIN_CODE]]
    rng.shuffle(fresh)
    kept_codes = {}     # code -> True, only for membership tests
    for g in range(n_groups):
        if kept[g]:
            kept_codes[m.code[rng.choice(groups[g])]] = True
    retired = [m.code[i] for g in range(n_groups) for i in groups[g]
               if m.code[i] not in kept_codes]
    rng.shuffle(retired)

    merger_rows = []
    n_fresh = n_reused = n_kept_done = n_moved = 0
    for g in order:
        members = groups[g]
        mcodes = [m.code[i] for i in members]
        if kept[g]:
            code = next(c for c in mcodes if c in kept_codes)
            nm = m.name[members[mcodes.index(code)]]
            n_kept_done += 1
        else:
            if fresh:
                code = "%05d" % fresh.pop()
                n_fresh += 1
            else:
                j = len(retired) - 1
                while retired[j] in mcodes:
                    j -= 1
                code = retired.pop(j)
                n_reused += 1
            r = rng.random()
            if r < 0.35:
                nm = m.name[rng.choice(members)]
            elif r < 0.65 and len(m.name[members[0]]) + len(m.name[members[1]]) < 40:
                nm = m.name[members[0]] + "-" + m.name[members[1]]
            else:
                nm = name_of(names[name_pos % len(names)])
                name_pos += 1
        prov = m.prov[members[0]]
        if moved[g]:
            prov = (prov + 1 + rng.randrange(len(PROVINCES) - 1)) % len(PROVINCES)
            n_moved += 1
        elif any(m.prov[i] != prov for i in members):
            n_moved += 1
        new = m.add(code, nm, prov, D_2025, None)
        for i in members:
            m.vto[i] = D_2025 - 1
            m.succ[i] = new
        for i in members:
            merger_rows.append((code, m.code[i], i, new))

    stats.update(base=base_n, groups=n_groups, merged=sum(len(g) for g in groups),
                 kept=n_kept_done, fresh=n_fresh, reused=n_reused, moved=n_moved)
    merger_rows.sort()
    return m, groups, merger_rows


def write_reference(outdir, m, merger_rows):
    with open(os.path.join(outdir, "municipalities.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["nis", "name", "province_nis", "province",
                    "arrondissement_nis", "valid_from", "valid_to"])
        for i in sorted(range(len(m.code)), key=lambda i: (m.code[i], m.vfrom[i])):
            p = PROVINCES[m.prov[i]]
            w.writerow([m.code[i], m.name[i], p[1], p[0], m.arr[i],
                        iso(m.vfrom[i]), iso(m.vto[i]) if m.vto[i] else ""])
    with open(os.path.join(outdir, "mergers.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["old_nis", "old_name", "old_province_nis", "new_nis",
                    "new_name", "new_province_nis", "code_kept", "effective"])
        for _, _, i, new in merger_rows:
            w.writerow([m.code[i], m.name[i], PROVINCES[m.prov[i]][1],
                        m.code[new], m.name[new], PROVINCES[m.prov[new]][1],
                        "yes" if m.code[i] == m.code[new] else "no",
                        iso(D_2025)])
    with open(os.path.join(outdir, "principles.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["number", "title", "text"])
        for n in range(1, 11):
            w.writerow([n, "Synthetisch principe %d" % n,
                        "Synthetic benchmark text for principle %d; "
                        "not a real principle of any agreement." % n])


# ---------------------------------------------------------------- agreements
def window(rng, pool, k, code, taken):
    """k distinct identities from pool, a run of neighbours from a random
    point (every 1st, 2nd or 3rd), skipping codes already in taken."""
    n = len(pool)
    out = []
    if k <= 0 or n == 0:
        return out
    step = 1 if k * 3 > n else rng.choice((1, 1, 2, 3))
    i = rng.randrange(n)
    seen = 0
    while len(out) < k and seen < 3 * n + 3:
        idx = pool[i % n]
        c = code[idx]
        if c not in taken:
            taken[c] = True
            out.append(idx)
        i += step
        seen += 1
    return out


def allocate(rng, total, caps, weights):
    """Whole sizes summing to total, each <= cap, roughly proportional to
    weights; at least 1 each while total allows."""
    n = len(caps)
    sizes = [0] * n
    if total > sum(caps):
        sys.exit("gen_map: %d parties do not fit (at most %d with these "
                 "agreements and municipalities)" % (total, sum(caps)))
    ids = [i for i in range(n) if caps[i] > 0]
    if total <= len(ids):
        for i in rng.sample(ids, total):
            sizes[i] = 1
        return sizes
    for i in ids:
        sizes[i] = 1
    rest = total - len(ids)
    while rest > 0:
        room = [i for i in ids if sizes[i] < caps[i]]
        w = sum(weights[i] for i in room)
        raw = {i: rest * weights[i] / w for i in room}
        given = 0
        for i in room:
            add = min(int(raw[i]), caps[i] - sizes[i])
            sizes[i] += add
            given += add
        rest -= given
        if given == 0:  # hand out the remainder one by one, largest share first
            for i in sorted(room, key=lambda i: (-raw[i], i)):
                if rest == 0:
                    break
                if sizes[i] < caps[i]:
                    sizes[i] += 1
                    rest -= 1
    return sizes


def meetings(a, body, start):
    """A body's meetings from its agreement's start to D_END, every 6 to 12 weeks
    (about 20 per body; issue 12 measured compliance on 41,000). A random
    generator of their own, so the rest of the register does not change."""
    rng = random.Random(a * 2 + (body == "Stuurgroep"))
    out, d = [], start + rng.randint(7, 60)
    while d <= D_END:
        r = rng.random()
        state = "cancelled" if r < 0.05 else "planned" if r < 0.08 else "held"
        out.append({"held_on": iso(d), "state": state,
                    "decisions": "Synthetisch besluit." if state == "held" and r < 0.5 else None,
                    "minutes_url": None, "attendees": []})
        d += rng.randint(42, 84)
    return out


def build_document(rng, m, n_agr, n_parties, stats):
    code = m.code
    n_prov = len(PROVINCES)
    base_by_prov = [[] for _ in range(n_prov)]
    stable_by_prov = [[] for _ in range(n_prov)]
    y2025_by_prov = [[] for _ in range(n_prov)]
    for i in range(len(code)):
        if m.vfrom[i] < D_2025:
            base_by_prov[m.prov[i]].append(i)
            if m.vto[i] is None:
                stable_by_prov[m.prov[i]].append(i)
        if m.vto[i] is None:
            y2025_by_prov[m.prov[i]].append(i)
    for lst in y2025_by_prov:
        lst.sort(key=lambda i: code[i])

    # organisations: a few associations
    organisations = []
    for k in range(N_ASSOCIATIONS):
        organisations.append({
            "id": "BENCH-IGV-%02d" % (k + 1),
            "name": "Synthetische intergemeentelijke vereniging %d" % (k + 1),
            "kind": "association"})

    # regiegebieden: each province's base map cut into contiguous blocks
    n_base = sum(len(b) for b in base_by_prov)
    n_rg = max(n_prov, min(400, int(round(n_base / 300.0))))
    rg_per_prov = split_by_shares(n_rg - n_prov, [len(b) for b in base_by_prov])
    regiegebieden = []
    rg_info = []        # (province, members, stable members, association)
    for p in range(n_prov):
        blocks = rg_per_prov[p] + 1
        pool = base_by_prov[p]
        cuts = split_by_shares(len(pool), [1] * blocks)
        pos = 0
        for cnt in cuts:
            members = pool[pos:pos + cnt]
            pos += cnt
            k = len(regiegebieden) + 1
            rid = "BENCH-RG-%03d" % k
            rg = {"id": rid,
                  "name": "Regio %s" % (m.name[members[0]] if members else k),
                  "province": PROVINCES[p][0],
                  "from": iso(D_RG_FROM)}
            if rng.random() < 0.9:
                rg["until"] = iso(D_END)
            rg["members"] = [code[i] for i in members]
            regiegebieden.append(rg)
            rg_info.append((p, members, [i for i in members if m.vto[i] is None],
                            organisations[(k - 1) % N_ASSOCIATIONS]["id"]))

    # statuses, regiegebieden, dates, party pools
    counts = split_by_shares(n_agr, [s for _, s in STATUS_SHARES])
    statuses = [st for (st, _), c in zip(STATUS_SHARES, counts) for _ in range(c)]
    rng.shuffle(statuses)
    prov_weights = [len(b) for b in base_by_prov]
    plans = []
    caps = []
    weights = []
    for a in range(n_agr):
        st = statuses[a]
        rg = rng.randrange(len(rg_info)) if rng.random() < RG_SHARE else -1
        prov = rg_info[rg][0] if rg >= 0 else \
            rng.choices(range(n_prov), weights=prov_weights)[0]
        start = exp_start = None
        if st in ("signed", "terminated"):
            start = int(rng.triangular(D_START_MIN, D_START_MAX, D_START_MODE))
        elif st in PIPELINE:
            exp_start = rng.randint(day("2024-03-01"), day("2025-10-01"))
        elif rng.random() < 0.5:
            exp_start = rng.randint(day("2024-06-01"), day("2024-12-31"))
        first = start if start is not None else exp_start
        if first is not None and first < D_2025:
            pool = rg_info[rg][1] if rg >= 0 else base_by_prov[prov]
        elif first is not None and rg < 0:
            pool = y2025_by_prov[prov]
        else:   # 2025 with a regiegebied, or no date at all: never merged
            pool = rg_info[rg][2] if rg >= 0 else stable_by_prov[prov]
        plans.append((st, rg, prov, start, exp_start, pool))
        caps.append(len(pool))
        w = rng.lognormvariate(0.0, 0.9)
        if rg >= 0:
            w *= 2.5
        if st == "draft":
            w *= 0.5
        weights.append(w)
    avg = n_parties / float(max(1, n_agr))
    max_size = max(30, int(math.ceil(6 * avg)))
    caps = [min(c, max_size) for c in caps]
    sizes = allocate(rng, n_parties, caps, weights)

    agreements = []
    st_count = {}
    pc = dict(parties=0, org_parties=0, from_=0, until=0, planned=0,
              approved=0, successor=0, y2025_codes=0, rich=0, meetings=0)
    for a in range(n_agr):
        st, rg, prov, start, exp_start, pool = plans[a]
        st_count[st] = st_count.get(st, 0) + 1
        taken = {}
        chosen = window(rng, pool, sizes[a], code, taken)
        if len(chosen) != sizes[a]:
            sys.exit("gen_map: internal error: party pool too small")
        term_on = None
        if st == "terminated":
            lo = start + 30
            hi = min(D_END + 1, day("2025-06-30"))
            term_on = rng.randint(lo, hi)
        last = (term_on - 1) if term_on is not None else D_END
        parties = []
        for idx in chosen:
            p = {}
            fr = un = ef = ap = None
            if start is not None:
                r = rng.random()
                if r < 0.07 and start + 1 <= last:                  # joins later
                    fr = rng.randint(start + 1, last)
                    if fr >= D_2025 and m.vto[idx] is not None:
                        s = m.succ[idx]
                        if code[s] not in taken:
                            del taken[code[idx]]
                            taken[code[s]] = True
                            idx = s
                            pc["successor"] += 1
                        else:
                            fr = rng.randint(start + 1, min(last, D_2025 - 1))
                elif r < 0.12 and start + 1 <= last:                # leaves early
                    un = rng.randint(start, last - 1)
                elif r < 0.135 and start + 2 <= last:               # both
                    fr = rng.randint(start + 1, min(last - 1, D_2025 - 1))
                    un = rng.randint(fr, last - 1)
                elif r < 0.165 and st == "signed" and start + 1 <= D_END:   # planned
                    ef = rng.randint(start + 1, D_END)
                    if ef >= D_2025 and m.vto[idx] is not None:
                        ef = rng.randint(start + 1, D_2025 - 1)
                if ef is None and rng.random() < 0.88:
                    eff = fr if fr is not None else start
                    ap = max(D_2019, eff - rng.randint(0, 120))
            else:
                ap_share = {"awaiting_approval": 0.6,
                            "agreed_in_principle": 0.2}.get(st, 0.0)
                if exp_start is not None and rng.random() < ap_share:
                    ap = exp_start - rng.randint(10, 120)
            p["municipality"] = code[idx]
            if ap is not None:
                p["approved_on"] = iso(ap)
                pc["approved"] += 1
            if fr is not None:
                p["from"] = iso(fr)
                pc["from_"] += 1
            if un is not None:
                p["until"] = iso(un)
                pc["until"] += 1
            if ef is not None:
                p["expected_from"] = iso(ef)
                pc["planned"] += 1
            if m.vfrom[idx] >= D_2025:
                pc["y2025_codes"] += 1
            parties.append(p)
        pc["parties"] += len(parties)
        n_mun = len(parties)
        if rg >= 0 and rng.random() < 0.7:
            op = {"organisation": rg_info[rg][3]}
            if start is not None:
                op["approved_on"] = iso(max(D_2019, start - rng.randint(0, 90)))
            parties.append(op)
            pc["org_parties"] += 1
        rich = rng.random() < RICH_SHARE
        if rich:
            pc["rich"] += 1
            parties.append({"organisation": "VDAB",
                            "signatories": [{"name": "Synthetische directeur",
                                             "function": "provinciaal directeur"}]})
            pc["org_parties"] += 1
            for p in parties[:2]:
                if "municipality" in p:
                    p["signatories"] = [
                        {"name": "Synthetische burgemeester", "function": "burgemeester"},
                        {"name": "Synthetische voorzitter", "function": "voorzitter gemeenteraad"}]

        aid = "BENCH-%06d" % (a + 1)
        if rg >= 0:
            title = "Samenwerkingsovereenkomst sociale economie en werk %s" \
                % regiegebieden[rg]["name"]
        elif n_mun:
            title = "Samenwerkingsovereenkomst %s" % m.name[chosen[0]]
            if n_mun > 1:
                title += " en %d andere gemeenten" % (n_mun - 1)
        else:
            title = "Samenwerkingsovereenkomst %s %s" % (PROVINCES[prov][0], aid)
        ag = {"id": aid, "title": title, "vdab_directorate": PROVINCES[prov][0]}
        if rg >= 0:
            ag["regiegebied"] = regiegebieden[rg]["id"]
        ag["status"] = st
        if start is not None:
            ag["start"] = iso(start)
        ag["end"] = iso(D_END)
        if exp_start is not None:
            ag["expected_start"] = iso(exp_start)
        if term_on is not None:
            ag["terminated_on"] = iso(term_on)
            choices = ["VDAB"]
            choices += [p.get("municipality") or p.get("organisation")
                        for p in parties]
            ag["terminated_by"] = rng.choice(choices)
        ag["parties"] = parties
        if rich:
            ag["action_plan"] = [
                {"theme": "Meer mensen aan de slag", "domains": [
                    {"number": "1", "title": "Toeleiding naar werk", "actions": [
                        {"number": "1.1", "title": "Gezamenlijke trajectbegeleiding",
                         "lead": "VDAB", "status": "ongoing"},
                        {"number": "1.2", "title": "Jobbeurs", "lead": None,
                         "status": "achieved"}]},
                    {"number": "2", "title": "Sociale economie", "actions": [
                        {"number": "2.1", "title": "Lokale diensteneconomie",
                         "lead": "gemeente", "status": "not_started"}]}]}]
            ag["governance"] = [
                {"body": "Stuurgroep", "convener": "VDAB", "min_meetings": 2,
                 "per_years": 1, "members": [
                     {"name": None, "function": "clustermanager", "organisation": "VDAB"},
                     {"name": "Synthetische schepen", "function": "schepen van werk",
                      "organisation": None}]},
                {"body": "Operationeel overleg", "convener": None}]
            if start is not None:
                for body in ag["governance"]:
                    body["meetings"] = meetings(a, body["body"], start)
                    pc["meetings"] += len(body["meetings"])
        agreements.append(ag)

    stats.update(regiegebieden=len(regiegebieden), organisations=len(organisations),
                 statuses=st_count, max_party_count=max(sizes) if sizes else 0, **pc)
    return {"format": "somon/1", "organisations": organisations,
            "regiegebieden": regiegebieden, "agreements": agreements}


def write_document(path, doc):
    def dump(o):
        return json.dumps(o, ensure_ascii=False, separators=(",", ":"))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"format":"somon/1",\n')
        keys = ["organisations", "regiegebieden", "agreements"]
        for k, key in enumerate(keys):
            f.write('"%s":[\n' % key)
            items = doc[key]
            for i, item in enumerate(items):
                f.write(dump(item))
                f.write(",\n" if i + 1 < len(items) else "\n")
            f.write("]%s\n" % ("," if k + 1 < len(keys) else ""))
        f.write("}\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--municipalities", type=int, default=100000,
                    help="municipality rows (identities) to generate")
    ap.add_argument("--agreements", type=int, default=50000)
    ap.add_argument("--parties", type=int, default=200000,
                    help="municipality parties over all agreements")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    if args.municipalities < 50:
        ap.error("--municipalities must be at least 50")
    if args.agreements < 1 or args.parties < 0:
        ap.error("--agreements must be positive and --parties not negative")
    t0 = time.time()
    os.makedirs(args.outdir, exist_ok=True)
    rng = random.Random(args.seed)
    stats = {}
    m, groups, merger_rows = build_map(rng, args.municipalities, stats)
    write_reference(args.outdir, m, merger_rows)
    t1 = time.time()
    doc = build_document(rng, m, args.agreements, args.parties, stats)
    write_document(os.path.join(args.outdir, "agreements.json"), doc)
    t2 = time.time()

    n2025 = sum(1 for v in m.vto if v is None)
    prov_base = [0] * len(PROVINCES)
    for i in range(len(m.code)):
        if m.vfrom[i] < D_2025:
            prov_base[m.prov[i]] += 1
    e = sys.stderr
    print("gen_map: seed %d -> %s" % (args.seed, args.outdir), file=e)
    print("  municipality rows %d (requested %d): 2019-2024 map %d, 2025 map %d"
          % (len(m.code), args.municipalities, stats["base"], n2025), file=e)
    print("  provinces 2019-2024: %s" % ", ".join(
        "%s %d" % (PROVINCES[p][0], prov_base[p]) for p in range(len(PROVINCES))), file=e)
    print("  mergers: %d groups of %d municipalities (%.1f%% of the base map); "
          "code kept %d, new unused code %d, reused code %d, province changed %d"
          % (stats["groups"], stats["merged"],
             100.0 * stats["merged"] / max(1, stats["base"]), stats["kept"],
             stats["fresh"], stats["reused"], stats["moved"]), file=e)
    print("  organisations %d, regiegebieden %d" % (stats["organisations"],
                                                  stats["regiegebieden"]), file=e)
    print("  agreements %d: %s" % (args.agreements, ", ".join(
        "%s %d" % (s, stats["statuses"].get(s, 0)) for s, _ in STATUS_SHARES)), file=e)
    print("  municipality parties %d (largest agreement %d), organisation parties %d;"
          " with from %d (2025 successor %d), until %d, planned %d, approved_on %d,"
          " naming a 2025 code %d; agreements with action plan/governance %d, meetings %d"
          % (stats["parties"], stats["max_party_count"], stats["org_parties"],
             stats["from_"], stats["successor"], stats["until"], stats["planned"],
             stats["approved"], stats["y2025_codes"], stats["rich"], stats["meetings"]), file=e)
    for fn in ("municipalities.csv", "mergers.csv", "principles.csv", "agreements.json"):
        print("  %-19s %10d bytes" % (fn, os.path.getsize(os.path.join(args.outdir, fn))),
              file=e)
    print("  time: map %.2fs, agreements %.2fs, total %.2fs"
          % (t1 - t0, t2 - t1, t2 - t0), file=e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
