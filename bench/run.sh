#!/usr/bin/env bash
# Benchmark of somon on a synthetic map (bench/gen_map.py); `make bench` runs it.
#
# usage: bench/run.sh [--small]
#
#   (default)  100,000 municipality rows, 50,000 agreements, 200,000 parties
#   --small    2,000 municipality rows, 500 agreements, 2,000 parties (smoke run)
#
# Measures with /usr/bin/time, RUNS times each: `somon import` into a fresh
# database (and, as its reference, sqlite3's own .import of the same agreement
# and party rows: bench/import_ref.py), `report coverage`, `report annex` and
# `export`; prints the median and the maximum wall time and peak RSS, the
# machine, the data sizes and a verdict per target (import < 5 s, import at most
# 2x the reference, coverage report < 0.5 s, peak memory < 200 MB).  A missed target prints MISSED but the exit status stays 0: the
# benchmark prints figures, it does not gate.  A command that fails exits 1.
# Everything it writes goes under bench/out/ (git-ignored).
set -euo pipefail

cd "$(dirname "$0")/.."

RUNS=3
SEED=1
DATE=2024-06-30
PROGNOSIS=2024-12-31
TARGET_IMPORT_S=5
TARGET_COVERAGE_S=0.5
TARGET_RSS_MB=200          # MB = 10^6 bytes; /usr/bin/time reports KiB

usage() { sed -n '2,14s/^# \{0,1\}//p' "$0"; }

size=full
while (($#)); do
  case "$1" in
    --small) size=small ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/run.sh: unknown argument '$1'" >&2; usage >&2; exit 64 ;;
  esac
  shift
done

if [[ $size == small ]]; then
  GEN_ARGS=(--municipalities 2000 --agreements 500 --parties 2000 --seed "$SEED")
  MAP=bench/out/map-small
else
  GEN_ARGS=(--municipalities 100000 --agreements 50000 --parties 200000 --seed "$SEED")
  MAP=bench/out/map
fi
OUT=bench/out
DB=$OUT/bench.db
SOMON=build/somon
GEN_LOG=$MAP.log          # the generator's arguments (first line) and statistics

if [[ ! -x /usr/bin/time ]]; then
  echo "bench/run.sh: /usr/bin/time is missing; install it with: apt-get install time" >&2
  exit 69
fi
if [[ ! -x $SOMON ]]; then
  echo "bench/run.sh: $SOMON is missing; build it with: make build/somon" >&2
  exit 66
fi
mkdir -p "$OUT"

# ---------------------------------------------------------------- the map
map_is_current() {
  local f
  [[ -f $GEN_LOG && "$(head -n1 "$GEN_LOG")" == "gen_map.py ${GEN_ARGS[*]}" ]] || return 1
  for f in municipalities.csv mergers.csv principles.csv agreements.json; do
    [[ -f $MAP/$f && ! bench/gen_map.py -nt $MAP/$f ]] || return 1
  done
}
if map_is_current; then
  echo "map: reusing $MAP (gen_map.py ${GEN_ARGS[*]})"
else
  echo "map: generating $MAP (gen_map.py ${GEN_ARGS[*]}) ..."
  rm -rf "$MAP.tmp" "$GEN_LOG"
  if ! python3 bench/gen_map.py "$MAP.tmp" "${GEN_ARGS[@]}" 2>"$OUT/gen.err"; then
    cat "$OUT/gen.err" >&2
    echo "bench/run.sh: bench/gen_map.py failed" >&2
    exit 1
  fi
  rm -rf "$MAP"
  mv "$MAP.tmp" "$MAP"
  { echo "gen_map.py ${GEN_ARGS[*]}"; sed "s|$MAP\.tmp|$MAP|" "$OUT/gen.err"; } >"$GEN_LOG"
  rm -f "$OUT/gen.err"
fi
sed -n '2,$s/^/  /p' "$GEN_LOG"

# ---------------------------------------------------------------- measuring
# measure NAME CMD... : runs CMD under /usr/bin/time, standard output to
# $OUT/NAME.out, appends "seconds KiB" to $OUT/NAME.times.
measure() {
  local name=$1; shift
  if ! /usr/bin/time -f '%e %M' -o "$OUT/time.tmp" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"; then
    echo "bench/run.sh: failed: $*" >&2
    cat "$OUT/$name.err" >&2
    exit 1
  fi
  tail -n1 "$OUT/time.tmp" >>"$OUT/$name.times"
  rm -f "$OUT/time.tmp"
}
fresh_db() {
  rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal"
  if ! "$SOMON" --db "$DB" init --reference "$MAP" >"$OUT/init.out" 2>&1; then
    cat "$OUT/init.out" >&2
    echo "bench/run.sh: somon init --reference $MAP failed" >&2
    exit 1
  fi
}

NAMES=(import coverage annex export)
declare -A LABEL=(
  [import]="import agreements.json"
  [coverage]="report coverage --date $DATE --prognosis $PROGNOSIS"
  [annex]="report annex --date $DATE"
  [export]="export"
)
for n in "${NAMES[@]}"; do rm -f "$OUT/$n.times"; done

# The reference of the import ratio (issue 12): sqlite3's own .import of the same
# agreement and party rows into tables with the same keys (bench/import_ref.py).
command -v sqlite3 >/dev/null || { echo "bench/run.sh: sqlite3 is missing; install it with: apt-get install sqlite3" >&2; exit 69; }
REF=$OUT/import-ref
python3 bench/import_ref.py "$MAP/agreements.json" "$REF"
rm -f "$OUT/sqlite_import.times"
for ((r = 1; r <= RUNS; r++)); do
  echo "run $r/$RUNS: import (fresh database), and sqlite3 .import of its agreement and party rows"
  fresh_db
  measure import "$SOMON" --db "$DB" --actor bench import "$MAP/agreements.json"
  rm -f "$REF.db" "$REF.db-wal" "$REF.db-shm"
  measure sqlite_import sqlite3 "$REF.db" ".read $REF/import.sql"
done
rm -f "$REF.db" "$REF.db-wal" "$REF.db-shm"
db_bytes=$(stat -c %s "$DB")
for n in coverage annex export; do
  for ((r = 1; r <= RUNS; r++)); do
    echo "run $r/$RUNS: ${LABEL[$n]}"
    case $n in
      coverage) measure coverage "$SOMON" --db "$DB" report coverage --date "$DATE" --prognosis "$PROGNOSIS" ;;
      annex)    measure annex "$SOMON" --db "$DB" report annex --date "$DATE" ;;
      export)   measure export "$SOMON" --db "$DB" export ;;
    esac
  done
done

# ---------------------------------------------------------------- figures
# stat FILE COLUMN median|max
stat_of() {
  awk -v c="$2" '{print $c}' "$1" | sort -g | awk -v what="$3" '
    { v[NR] = $1 }
    END {
      if (what == "max") { print v[NR]; exit }
      if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2
    }'
}
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }'; }
sec() { awk -v s="$1" 'BEGIN { printf "%.2f", s }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
thousands() { printf "%s" "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }

cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
[[ -n $cpu ]] || cpu=$(awk -F': *' '/^(Hardware|cpu model|uarch)/ { print $2; exit }' /proc/cpuinfo)
[[ -n $cpu ]] || cpu="unknown CPU"
mem_gib=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
rev=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
if [[ $rev != "?" ]] && ! git diff --quiet HEAD -- src 2>/dev/null; then rev="$rev+changes in src"; fi

counts=$(python3 - "$MAP" <<'EOF'
import csv, json, os, sys
d = sys.argv[1]
def rows(f):
    with open(os.path.join(d, f), newline="", encoding="utf-8") as h:
        return sum(1 for _ in csv.reader(h)) - 1
with open(os.path.join(d, "agreements.json"), encoding="utf-8") as h:
    doc = json.load(h)
ags = doc.get("agreements", [])
mp = sum(1 for a in ags for p in a.get("parties", []) if "municipality" in p)
op = sum(1 for a in ags for p in a.get("parties", []) if "organisation" in p)
print(rows("municipalities.csv"), rows("mergers.csv"), len(ags), mp, op,
      len(doc.get("organisations", [])), len(doc.get("regiegebieden", [])))
EOF
)
read -r n_mun n_mer n_ag n_mp n_op n_org n_rg <<<"$counts"

echo
echo "somon benchmark ($size map, $RUNS runs each), $(date '+%Y-%m-%d %H:%M %Z'), somon $rev"
echo "machine:  $(nproc) CPUs (nproc), $cpu, $mem_gib GiB RAM, $(uname -sr) $(uname -m)"
echo "data:     agreements.json $(thousands "$(stat -c %s "$MAP/agreements.json")") bytes;" \
     "$(thousands "$n_mun") municipality rows, $(thousands "$n_mer") merger rows;"
echo "          $(thousands "$n_ag") agreements, $(thousands "$n_mp") municipality parties," \
     "$(thousands "$n_op") organisation parties, $n_org organisations, $n_rg regiegebieden"
echo "output:   bench.db $(thousands "$db_bytes") bytes after import;" \
     "annex $(thousands "$(stat -c %s "$OUT/annex.out")") bytes;" \
     "export $(thousands "$(stat -c %s "$OUT/export.out")") bytes"
echo
printf '%-57s %17s   %21s\n' "" "wall time (s)" "peak RSS (MB)"
printf '%-57s %8s %8s   %10s %10s\n' "somon command" median max median max
peak_k=0; peak_cmd=
for n in "${NAMES[@]}"; do
  f=$OUT/$n.times
  tmed=$(stat_of "$f" 1 median); tmax=$(stat_of "$f" 1 max)
  kmed=$(stat_of "$f" 2 median); kmax=$(stat_of "$f" 2 max)
  printf '%-57s %8s %8s   %10s %10s\n' "${LABEL[$n]}" "$(sec "$tmed")" "$(sec "$tmax")" "$(mb "$kmed")" "$(mb "$kmax")"
  if ((${kmax%.*} > peak_k)); then peak_k=${kmax%.*}; peak_cmd=$n; fi
done
f=$OUT/sqlite_import.times
printf '%-57s %8s %8s   %10s %10s\n' "reference: sqlite3 .import of the agreement and party rows" \
  "$(sec "$(stat_of "$f" 1 median)")" "$(sec "$(stat_of "$f" 1 max)")" \
  "$(mb "$(stat_of "$f" 2 median)")" "$(mb "$(stat_of "$f" 2 max)")"
echo "(annex and export: information only; MB = 10^6 bytes)"
echo

verdict() {   # verdict TEXT VALUE LIMIT DETAIL
  local v=MISSED
  if lt "$2" "$3"; then v=OK; fi
  printf 'target %-26s %-40s %s\n' "$1" "$4" "$v"
}
imp_max=$(stat_of "$OUT/import.times" 1 max)
cov_max=$(stat_of "$OUT/coverage.times" 1 max)
verdict "import < ${TARGET_IMPORT_S} s" "$imp_max" "$TARGET_IMPORT_S" "slowest run $(sec "$imp_max") s"
imp_med=$(stat_of "$OUT/import.times" 1 median)
ref_med=$(stat_of "$OUT/sqlite_import.times" 1 median)
ratio=$(awk -v a="$imp_med" -v b="$ref_med" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 99) }')
verdict "import <= 2x sqlite3 .import" "$ratio" 2.005 "medians $(sec "$imp_med") s / $(sec "$ref_med") s = ${ratio}x"
verdict "coverage report < ${TARGET_COVERAGE_S} s" "$cov_max" "$TARGET_COVERAGE_S" "slowest run $(sec "$cov_max") s"
verdict "peak memory < ${TARGET_RSS_MB} MB" "$(mb "$peak_k")" "$TARGET_RSS_MB" \
  "largest RSS $(mb "$peak_k") MB (${LABEL[$peak_cmd]%% --*})"
if [[ $size == small ]]; then
  echo "(small map: a smoke run; the targets are meant for the full map)"
fi
exit 0
