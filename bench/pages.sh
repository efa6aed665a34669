#!/usr/bin/env bash
# First-request times of the pages that read every agreement (issue 12), on the
# large register that bench/run.sh leaves in bench/out/bench.db.
#
# usage: bench/pages.sh [SOMON ...]   (default build/somon; give an older build too to compare)
#
# For each binary: copies bench.db, starts `serve` on a free port, asks each page
# once (the first request: nothing cached) and prints the HTTP status, the wall time
# curl measured, the body size and a checksum of the body (the calendar's DTSTAMP
# lines left out), so two builds can be compared for speed and for identical answers.
# Prints figures; it does not gate.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=bench/out/bench.db
[[ -f $DB ]] || { echo "bench/pages.sh: no $DB; run make bench first" >&2; exit 66; }
command -v curl >/dev/null || { echo "bench/pages.sh: needs curl" >&2; exit 69; }
PAGES=("/actions" "/governance?date=2024-06-30" "/alerts?date=2024-06-30"
       "/organisations/BENCH-IGV-01/meetings.ics")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(($#)) || set -- build/somon
for bin in "$@"; do
  cp "$DB" "$TMP/pages.db"
  "$bin" --db "$TMP/pages.db" serve --listen 127.0.0.1:0 >"$TMP/access.log" 2>"$TMP/server.err" &
  pid=$!
  port=
  for _ in $(seq 100); do
    port=$(sed -n 's|^somon: listening on http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$TMP/server.err")
    [[ -n $port ]] && break
    sleep 0.1
  done
  [[ -n $port ]] || { echo "bench/pages.sh: $bin did not start" >&2; kill "$pid"; exit 1; }
  echo "$bin (port $port)"
  for page in "${PAGES[@]}"; do
    read -r status secs < <(curl -s -o "$TMP/body" -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$port$page")
    sum=$(grep -v '^DTSTAMP' "$TMP/body" | md5sum | cut -c1-8)
    printf '  %-45s %s %6.3f s %10d bytes  %s\n' "$page" "$status" "$secs" "$(stat -c %s "$TMP/body")" "$sum"
  done
  kill -TERM "$pid"
  wait "$pid" || true
done
