#!/usr/bin/env python3
"""Writes data/demo/indicators-synthetic.csv: a SYNTHETIC indicator set for the
demo dashboard. Every value is made up: it only has plausible magnitudes so
that the charts show something. `make run` imports it with `--synthetic`, so
the application labels each of these values as synthetic ("synthetisch").
Do not use these numbers for anything else.

Deterministic: the same data/municipalities.csv and data/mergers.csv give the
same file, byte for byte (python3 data/demo/gen_indicators_synthetic.py).

What it makes, per 2019-2024 municipality, from one pseudo-random draw seeded by
its NIS code:
  bevolking_15_64   yearly 2019-2025, 3,000-60,000 (grows 0.4 % a year)
  werkenden_15_64   yearly, about 60-82 % of bevolking_15_64 (a level per province
                    and arrondissement, lower in larger municipalities), +0.5 point a year
  werkzaamheidsgraad yearly, 100 * werkenden / bevolking, one decimal
  nwwz              per quarter 2019-Q1..2025-Q4, 2-9.5 % of bevolking_15_64 (more in
                    larger municipalities),
                    higher in 2020-2021 and in the first quarter, with a trend
                    per arrondissement and municipality
  leefloners        per quarter, 0.2-1.8 % of bevolking_15_64 (more in larger ones)
From 2025 a merged municipality gets the sum of what its former
municipalities would have had (so the series continue); its rate follows.
"""
import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)
OUT = os.path.join(HERE, "indicators-synthetic.csv")
YEARS = range(2019, 2026)


def municipalities():
    rows = list(csv.DictReader(open(os.path.join(DATA, "municipalities.csv"), encoding="utf-8")))
    old = [r["nis"] for r in rows if r["valid_from"] <= "2024-12-31" and (not r["valid_to"] or r["valid_to"] >= "2024-12-31")]
    new = [r["nis"] for r in rows if not r["valid_to"]]
    mergers = {}
    for r in csv.DictReader(open(os.path.join(DATA, "mergers.csv"), encoding="utf-8")):
        if r["effective"] == "2025-01-01":
            mergers.setdefault(r["new_nis"], []).append(r["old_nis"])
    return sorted(set(old)), sorted(set(new)), mergers


# Regional differences, so that areas differ from Flanders: a level per
# province (by the first digit of the code) and per arrondissement.
PROVINCE_EMPLOYMENT = {"1": 0.71, "2": 0.73, "3": 0.76, "4": 0.74, "7": 0.69}


def base(nis):
    rnd = random.Random("somon-synthetic-" + nis)
    region = random.Random("somon-synthetic-arr-" + nis[:2])
    scale = rnd.random()
    return {
        "pop": int(3000 * (20 ** scale)),
        "employment": PROVINCE_EMPLOYMENT[nis[0]] + 0.06 * (region.random() - 0.5) + 0.08 * (rnd.random() - 0.5)
        - 0.04 * scale,
        "jobseekers": 0.02 + 0.04 * scale + 0.02 * region.random() + 0.015 * rnd.random(),
        "welfare": 0.002 + 0.012 * scale * scale + 0.004 * rnd.random(),
        # a trend per arrondissement and municipality, -4 % .. +2 % a year
        "trend": -0.04 + 0.04 * region.random() + 0.02 * rnd.random(),
    }


def figures(b, year, quarter):
    """The made-up figures of one 2019-2024 municipality in a period."""
    pop = b["pop"] * (1.004 ** (year - 2019))
    workers = pop * min(0.9, b["employment"] + 0.005 * (year - 2019))
    crisis = 1.18 if year in (2020, 2021) else 1.0
    season = 1.06 if quarter == 1 else 0.97 if quarter == 3 else 1.0
    jobseekers = pop * b["jobseekers"] * crisis * season * (1 + b["trend"]) ** (year - 2019 + (quarter - 1) / 4)
    welfare = pop * b["welfare"] * (1 + 0.02 * (year - 2019) - b["trend"] / 2 * (year - 2019))
    return pop, workers, jobseekers, welfare


def main():
    old, new, mergers = municipalities()
    bases = {nis: base(nis) for nis in old}
    rows = []

    def parts(nis, year):
        if year <= 2024:
            return [nis]
        return mergers.get(nis, [nis])

    for year in YEARS:
        for nis in (old if year <= 2024 else new):
            members = parts(nis, year)
            pop = sum(figures(bases[m], year, 2)[0] for m in members)
            workers = sum(figures(bases[m], year, 2)[1] for m in members)
            rows.append((nis, f"{year}", "bevolking_15_64", f"{round(pop)}"))
            rows.append((nis, f"{year}", "werkenden_15_64", f"{round(workers)}"))
            rows.append((nis, f"{year}", "werkzaamheidsgraad", f"{100 * round(workers) / round(pop):.1f}"))
            for q in range(1, 5):
                jobseekers = sum(figures(bases[m], year, q)[2] for m in members)
                welfare = sum(figures(bases[m], year, q)[3] for m in members)
                rows.append((nis, f"{year}-Q{q}", "nwwz", f"{round(jobseekers)}"))
                rows.append((nis, f"{year}-Q{q}", "leefloners", f"{round(welfare)}"))
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        f.write("nis,period,indicator,value\n")
        for r in rows:
            f.write(",".join(r) + "\n")
    print(f"{OUT}: {len(rows)} synthetic rows")


if __name__ == "__main__":
    main()
