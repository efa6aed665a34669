#!/usr/bin/env bash
# First and repeat request of every indicator route (issue 12) on the large
# register that bench/run.sh leaves in bench/out/bench.db, plus a million
# indicator values over its municipalities.
#
# usage: bench/indicators_pages.sh [--rows N] [--wait S] [SOMON ...]
#        (default build/somon; give an older build too to compare)
#
# Once: generates bench/out/indicators-map-N.csv with bench/gen_indicators.py
# --map bench/out/map/municipalities.csv and imports data/indicators.csv and
# that file into a copy of bench.db (bench/out/indicators-pages.db; bench.db
# itself is never written). For each binary: copies that database, starts
# `serve` on a free port, waits S seconds (default 0: the first request meets a
# cold server; give e.g. --wait 5 to time the pages after a background load),
# then asks each route twice and prints the HTTP status, the wall time curl
# measured for the first and the repeat request, the body size and a checksum
# of the body, so that two builds can be compared for speed and for identical
# answers, and the server's line on loading the indicator values in the
# background (builds since issue 12). Prints figures; it does not gate.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ROWS=1000000
WAIT=0
while (($#)); do
  case "$1" in
    --rows) ROWS=$2; shift ;;
    --wait) WAIT=$2; shift ;;
    -h|--help) sed -n '2,18s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) echo "bench/indicators_pages.sh: unknown option '$1'" >&2; exit 64 ;;
    *) break ;;
  esac
  shift
done
(($#)) || set -- build/somon
DB=bench/out/bench.db
MAP=bench/out/map/municipalities.csv
CSV=bench/out/indicators-map-$ROWS.csv
IDB=bench/out/indicators-pages-$ROWS.db
[[ -f $DB && -f $MAP ]] || { echo "bench/indicators_pages.sh: no $DB or $MAP; run make bench first" >&2; exit 66; }
for tool in curl sqlite3 python3; do
  command -v "$tool" >/dev/null || { echo "bench/indicators_pages.sh: needs $tool" >&2; exit 69; }
done
if [[ ! -f $CSV || bench/gen_indicators.py -nt $CSV || $MAP -nt $CSV ]]; then
  python3 bench/gen_indicators.py "$CSV.tmp" --rows "$ROWS" --map "$MAP" && mv "$CSV.tmp" "$CSV"
fi
if [[ ! -f $IDB || $DB -nt $IDB || $CSV -nt $IDB ]]; then
  rm -f "$IDB" "$IDB.tmp"
  cp "$DB" "$IDB.tmp"
  "$1" --db "$IDB.tmp" import indicator-definitions data/indicators.csv >/dev/null
  start=$(date +%s.%N)
  "$1" --db "$IDB.tmp" import indicators "$CSV" >/dev/null
  echo "import of $ROWS values: $(echo "$(date +%s.%N) - $start" | bc) s"
  mv "$IDB.tmp" "$IDB"
fi
REGION=$(sqlite3 -readonly "$IDB" "SELECT id FROM regiegebied WHERE rec_until IS NULL ORDER BY id LIMIT 1")
AGREEMENT=$(sqlite3 -readonly "$IDB" "SELECT id FROM agreement WHERE rec_until IS NULL ORDER BY id LIMIT 1")
PAGES=("/indicators" "/indicators?format=csv" "/provinces/Antwerpen/indicators"
       "/provinces/Limburg/indicators?format=csv" "/regiegebieden/$REGION/indicators"
       "/agreements/$AGREEMENT/indicators" "/agreements/$AGREEMENT/indicators?format=xlsx"
       "/api/v1/indicators" "/api/v1/indicators?province=Oost-Vlaanderen")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for bin in "$@"; do
  cp "$IDB" "$TMP/pages.db"
  "$bin" --db "$TMP/pages.db" serve --listen 127.0.0.1:0 >"$TMP/access.log" 2>"$TMP/server.err" &
  pid=$!
  port=$(listening_port "$TMP/server.err" "$pid")
  [[ -n $port ]] || { echo "bench/indicators_pages.sh: $bin did not start" >&2; kill "$pid"; exit 1; }
  sleep "$WAIT"
  echo "$bin (port $port, $ROWS values, waited $WAIT s)"
  printf '  %-52s %s %9s %9s %10s  %s\n' route status "first s" "repeat s" bytes md5
  for page in "${PAGES[@]}"; do
    read -r status first < <(curl -s -o "$TMP/body" -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$port$page")
    read -r _ repeat < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$port$page")
    if [[ $page == *format=xlsx* ]]; then # the workbook's zip holds a creation time: checksum its sheet
      sum=$( (cd "$TMP" && rm -rf x && mkdir x && cd x && python3 -c 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); sys.stdout.buffer.write(b"".join(z.read(n) for n in sorted(z.namelist()) if "sheet" in n))' ../body) | md5sum | cut -c1-8)
    else
      sum=$(md5sum <"$TMP/body" | cut -c1-8)
    fi
    printf '  %-52s %s %9.3f %9.3f %10d  %s\n' "$page" "$status" "$first" "$repeat" "$(stat -c %s "$TMP/body")" "$sum"
  done
  grep -h 'ready in the background' "$TMP/server.err" | sed 's/^/  /' || true
  kill -TERM "$pid"
  wait "$pid" || true
done
