#!/usr/bin/env bash
# Benchmark of `somon import indicators` (issue 5: a million rows under 10 s);
# `make bench-indicators` runs it.
#
# usage: bench/indicators.sh [--rows N]
#
# Generates bench/out/indicators-N.csv with bench/gen_indicators.py (valid rows
# over the real map, 4 count indicators, month after month from 2019-01), then,
# RUNS times each: imports it into a fresh database (all rows new), imports it
# again (all unchanged: nothing is written), and, as the reference, loads the
# same file with sqlite3's own `.import` into a bare table and into a table
# with the same primary key as indicator_value. Prints the median and maximum
# wall time, the peak memory of somon and a verdict on the 10 s target. A
# missed target prints MISSED; the exit status stays 0 (it prints figures, it
# does not gate). A command that fails exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=3
ROWS=1000000
TARGET_S=10
while (($#)); do
  case "$1" in
    --rows) ROWS=$2; shift ;;
    -h|--help) sed -n '2,15s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "bench/indicators.sh: unknown argument '$1'" >&2; exit 64 ;;
  esac
  shift
done
SOMON=build/somon
OUT=bench/out
CSV=$OUT/indicators-$ROWS.csv
DB=$OUT/indicators.db
for tool in /usr/bin/time sqlite3 python3; do
  command -v "$tool" >/dev/null || { echo "bench/indicators.sh: $tool is missing (apt-get install time sqlite3 python3)" >&2; exit 69; }
done
[[ -x $SOMON ]] || { echo "bench/indicators.sh: $SOMON is missing; build it with: make build/somon" >&2; exit 66; }
mkdir -p "$OUT"
if [[ ! -f $CSV || bench/gen_indicators.py -nt $CSV ]]; then
  python3 bench/gen_indicators.py "$CSV.tmp" --rows "$ROWS" && mv "$CSV.tmp" "$CSV"
fi
echo "file: $CSV, $(wc -l <"$CSV") lines, $(du -m "$CSV" | cut -f1) MB"

# measure NAME CMD...: appends "seconds KiB" to $OUT/NAME.times
measure() {
  local name=$1; shift
  if ! /usr/bin/time -f '%e %M' -o "$OUT/time.tmp" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"; then
    echo "bench/indicators.sh: failed: $*" >&2; cat "$OUT/$name.err" >&2; exit 1
  fi
  tail -n1 "$OUT/time.tmp" >>"$OUT/$name.times"
  rm -f "$OUT/time.tmp"
}
fresh() { rm -f "$DB" "$DB-wal" "$DB-shm"; "$SOMON" --db "$DB" init >/dev/null; }
NAMES=(import reimport sqlite_bare sqlite_pk)
for n in "${NAMES[@]}"; do rm -f "$OUT/ind_$n.times"; done
for ((r = 1; r <= RUNS; r++)); do
  echo "run $r/$RUNS"
  fresh
  measure ind_import "$SOMON" --db "$DB" import indicators "$CSV"
  measure ind_reimport "$SOMON" --db "$DB" import indicators "$CSV"
  rm -f "$OUT/ref.db"
  sqlite3 "$OUT/ref.db" 'CREATE TABLE v(nis TEXT, period TEXT, indicator TEXT, value REAL)'
  measure ind_sqlite_bare sqlite3 "$OUT/ref.db" ".import --csv --skip 1 $CSV v"
  rm -f "$OUT/ref.db"
  sqlite3 "$OUT/ref.db" 'PRAGMA journal_mode=WAL; CREATE TABLE v(nis TEXT, period TEXT, indicator TEXT, value REAL,
    PRIMARY KEY (indicator, nis, period)) WITHOUT ROWID' >/dev/null
  measure ind_sqlite_pk sqlite3 "$OUT/ref.db" ".import --csv --skip 1 $CSV v"
done
grep -q "1000000 new\|$ROWS new" "$OUT/ind_import.out" || { echo "bench/indicators.sh: the import did not write every row:" >&2; cat "$OUT/ind_import.out" >&2; exit 1; }

declare -A LABEL=(
  [import]="somon import indicators (fresh database)"
  [reimport]="somon import indicators (again, all unchanged)"
  [sqlite_bare]="sqlite3 .import into a bare table"
  [sqlite_pk]="sqlite3 .import, same primary key"
)
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-50s %9s %9s %10s\n' "$ROWS rows" "median s" "max s" "peak MB"
for n in "${NAMES[@]}"; do
  sort -n "$OUT/ind_$n.times" | awk -v label="${LABEL[$n]}" '
    { t[NR] = $1; if ($2 > m) m = $2 }
    END { printf "%-50s %9.2f %9.2f %10.0f\n", label, t[int((NR + 1) / 2)], t[NR], m * 1024 / 1e6 }'
done
median=$(sort -n "$OUT/ind_import.times" | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')
if awk -v m="$median" -v t="$TARGET_S" 'BEGIN { exit !(m < t) }'; then
  echo "target: import of $ROWS rows < ${TARGET_S} s: met ($median s)"
else
  echo "target: import of $ROWS rows < ${TARGET_S} s: MISSED ($median s)"
fi
