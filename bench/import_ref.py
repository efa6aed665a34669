#!/usr/bin/env python3
"""The reference of the import target (issue 12): sqlite3's own `.import` of
the same agreement and party rows, into tables with the same keys and
indexes as somon's `agreement` and `party` (src/store.c's schema).

usage: bench/import_ref.py AGREEMENTS.json OUTDIR

Writes OUTDIR/agreement.csv and OUTDIR/party.csv (one row per agreement and
per party of the file, with the columns somon stores) and OUTDIR/import.sql,
which, run as `sqlite3 DB < OUTDIR/import.sql` on a fresh DB, creates the two
tables and their indexes (WAL, synchronous NORMAL, as somon's store) and
loads both files with `.import`. `.import` reads an empty field as '' and
never as NULL, so the current-version index says `rec_until = ''` where
somon's says `rec_until IS NULL`: the same rows in it, the same work. bench/run.sh times that run beside somon's
import. Writing the CSV files is not timed.
"""
import csv
import json
import os
import sys

SCHEMA = """.output /dev/null
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE agreement (vid INTEGER PRIMARY KEY, id TEXT NOT NULL, title TEXT NOT NULL,
  vdab_directorate TEXT NOT NULL, regiegebied TEXT, status TEXT NOT NULL, start TEXT, end_date TEXT,
  expected_start TEXT, terminated_on TEXT, terminated_by TEXT, notes TEXT, rec_from INTEGER NOT NULL,
  rec_until INTEGER, kind TEXT, signed_on TEXT, predecessor TEXT);
CREATE UNIQUE INDEX agreement_current ON agreement(id) WHERE rec_until = '';
CREATE INDEX agreement_versions ON agreement(id, rec_from);
CREATE TABLE party (vid INTEGER NOT NULL, position INTEGER NOT NULL, municipality TEXT, organisation TEXT,
  approved_on TEXT, from_date TEXT, until_date TEXT, expected_from TEXT, left_reason TEXT,
  PRIMARY KEY (vid, position)) WITHOUT ROWID;
.mode csv
.import --skip 1 {dir}/agreement.csv agreement
.import --skip 1 {dir}/party.csv party
"""


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with open(src, encoding="utf-8") as f:
        doc = json.load(f)
    with open(os.path.join(out, "agreement.csv"), "w", newline="", encoding="utf-8") as fa, \
            open(os.path.join(out, "party.csv"), "w", newline="", encoding="utf-8") as fp:
        wa, wp = csv.writer(fa), csv.writer(fp)
        wa.writerow(["vid", "id", "title", "vdab_directorate", "regiegebied", "status", "start", "end_date",
                     "expected_start", "terminated_on", "terminated_by", "notes", "rec_from", "rec_until", "kind",
                     "signed_on", "predecessor"])
        wp.writerow(["vid", "position", "municipality", "organisation", "approved_on", "from_date", "until_date",
                     "expected_from", "left_reason"])
        for vid, a in enumerate(doc["agreements"], 1):
            g = a.get
            wa.writerow([vid, g("id"), g("title"), g("vdab_directorate") or "", g("regiegebied"), g("status"),
                         g("start"), g("end"), g("expected_start"), g("terminated_on"), g("terminated_by"),
                         g("notes"), 1, None, g("kind"), g("signed_on"), g("predecessor")])
            for pos, p in enumerate(a.get("parties") or []):
                wp.writerow([vid, pos, p.get("municipality"), p.get("organisation"), p.get("approved_on"),
                             p.get("from"), p.get("until"), p.get("expected_from"), p.get("left_reason")])
    with open(os.path.join(out, "import.sql"), "w", encoding="utf-8") as f:
        f.write(SCHEMA.replace("{dir}", out))


if __name__ == "__main__":
    main()
