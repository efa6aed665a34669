#!/usr/bin/env python3
"""Writes a valid indicator file of N rows (default 1,000,000) for the import
benchmark (bench/indicators.sh): long format nis,period,indicator,value over
the real map of data/municipalities.csv, month after month from 2019-01 (the
300 municipalities of 2019-2024, then the 285), the four count indicators of
data/indicators.csv, until N rows are written. Deterministic: the same N gives
the same file. The values are made up; this file is for timing only.

With --map FILE it reads that municipalities.csv instead, e.g. the large
synthetic map bench/out/map/municipalities.csv of `make bench` (100,000
municipality rows), so that the values cover the bench register's
municipalities (bench/indicators_pages.sh).

usage: bench/gen_indicators.py OUT.csv [--rows N] [--data DIR | --map FILE]
"""
import argparse
import csv
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--data", default="data")
    ap.add_argument("--map", help="a municipalities.csv to use instead of DIR/municipalities.csv")
    a = ap.parse_args()
    munis = []
    with open(a.map or f"{a.data}/municipalities.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            munis.append((r["nis"], r["valid_from"][:7], (r["valid_to"] or "9999-12")[:7]))
    indicators = ["nwwz", "leefloners", "werkenden_15_64", "bevolking_15_64"]
    n = 0
    year, month = 2019, 1
    with open(a.out, "w", encoding="utf-8", newline="") as out:
        out.write("nis,period,indicator,value\n")
        while n < a.rows:
            period = f"{year:04d}-{month:02d}"
            for nis, start, end in munis:
                if not (start <= period <= end):
                    continue
                for k, ind in enumerate(indicators):
                    if n == a.rows:
                        break
                    value = (int(nis) * 7 + year * 13 + month * 31 + k * 101) % 5000
                    out.write(f"{nis},{period},{ind},{value}\n")
                    n += 1
            month += 1
            if month == 13:
                year, month = year + 1, 1
    print(f"{a.out}: {n} rows, months 2019-01 to {period}", file=sys.stderr)


if __name__ == "__main__":
    main()
