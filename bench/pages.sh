#!/usr/bin/env bash
# Times of the pages that read every agreement (issue 12), and of the pages of
# one agreement, organisation, municipality and regiegebied, on the large
# register that bench/run.sh leaves in bench/out/bench.db.
#
# usage: bench/pages.sh [SOMON ...]   (default build/somon; give an older build too to compare)
#        PAGES_SETTLE=3 (seconds the server may read ahead before the pages are asked)
#
# For each binary: copies bench.db, adds an administrator (for /mine), starts
# `serve` on a free port and
#   - asks /actions at once: the first request right after the start (it may
#     wait for the server's read-ahead of the register);
#   - after PAGES_SETTLE seconds asks each page twice: the first request (no
#     response cached) and the repeat, printing the HTTP status, both wall
#     times curl measured, the body size and a checksum of the body (the
#     calendar's DTSTAMP lines left out), so two builds can be compared for
#     speed and for identical answers;
#   - records a change with the command line (one agreement added) and asks
#     /actions at once: the first request after a change (the new version of
#     the register is read then, by the request or the server's read-ahead).
# Prints figures; it does not gate.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
DB=bench/out/bench.db
[[ -f $DB ]] || { echo "bench/pages.sh: no $DB; run make bench first" >&2; exit 66; }
command -v curl >/dev/null || { echo "bench/pages.sh: needs curl" >&2; exit 69; }
SETTLE=${PAGES_SETTLE:-3}
PAGES=("/actions" "/actions?province=Antwerpen&page=3" "/governance?date=2024-06-30" "/alerts?date=2024-06-30"
       "/alerts?date=2024-06-30&page=40" "/mine?date=2024-06-30"
       "/agreements/BENCH-000001/meetings.ics" "/organisations/BENCH-IGV-01/meetings.ics"
       "/municipalities/91344/meetings.ics" "/concluded?from=2020-01-01&to=2024-12-31"
       "/agreements/BENCH-000001" "/organisations/BENCH-IGV-01" "/municipalities/91344"
       "/regiegebieden/BENCH-RG-001")
PASSWORD='bench pages 12 password'
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(($#)) || set -- build/somon
cat >"$TMP/change.json" <<'JSON'
{"format": "somon/1", "organisations": [], "regiegebieden": [], "agreements": [{"id": "BENCH-PAGES-NEW",
 "title": "bench/pages.sh: a change", "kind": null, "signed_on": null, "predecessor": null,
 "vdab_directorate": "Antwerpen", "regiegebied": null, "status": "draft", "start": null, "end": null,
 "expected_start": null, "terminated_on": null, "terminated_by": null, "parties": [{"organisation": "VDAB"}],
 "action_plan": [], "governance": [], "notes": null}]}
JSON

ask() { # URL -> "status seconds" (the body in $TMP/body); /mine signed in, the others anonymous
  local jar=/dev/null
  [[ $1 == /mine* ]] && jar=$TMP/jar
  curl -s -b "$jar" -o "$TMP/body" -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$port$1"
}

sign_in() {
  curl -s -c "$TMP/jar" -o "$TMP/login" "http://127.0.0.1:$port/login"
  local token
  token=$(sed -n 's|.*name="login_token" value="\([^"]*\)".*|\1|p' "$TMP/login" | head -1)
  curl -s -b "$TMP/jar" -c "$TMP/jar" -o /dev/null --data-urlencode "login_token=$token" \
    --data-urlencode "login=bench" --data-urlencode "password=$PASSWORD" "http://127.0.0.1:$port/login"
}

for bin in "$@"; do
  cp "$DB" "$TMP/pages.db"
  printf '%s\n' "$PASSWORD" | "$bin" --db "$TMP/pages.db" user add bench --role admin >/dev/null 2>&1
  : >"$TMP/jar"
  "$bin" --db "$TMP/pages.db" serve --listen 127.0.0.1:0 >"$TMP/access.log" 2>"$TMP/server.err" &
  pid=$!
  port=$(listening_port "$TMP/server.err" "$pid")
  [[ -n $port ]] || { echo "bench/pages.sh: $bin did not start" >&2; kill "$pid"; exit 1; }
  echo "$bin (port $port)"
  read -r status secs < <(ask "/actions?page=2")
  printf '  %-45s %s %6.3f s  (right after the start)\n' "/actions?page=2" "$status" "$secs"
  sleep "$SETTLE"
  sign_in
  printf '  %-45s %-3s %8s %8s %10s  %s\n' "page" "" "first" "repeat" "bytes" "sum"
  for page in "${PAGES[@]}"; do
    read -r status first < <(ask "$page")
    # the calendar's DTSTAMP and a signed-in page's CSRF token differ from run to run
    sum=$(grep -v '^DTSTAMP' "$TMP/body" | sed 's/name="csrf" value="[^"]*"/name="csrf"/g' | md5sum | cut -c1-8)
    read -r _ repeat < <(ask "$page")
    printf '  %-45s %s %6.1f ms %6.1f ms %10d  %s\n' "$page" "$status" "$(echo "$first * 1000" | bc)" \
      "$(echo "$repeat * 1000" | bc)" "$(stat -c %s "$TMP/body")" "$sum"
  done
  "$bin" --db "$TMP/pages.db" --actor bench import "$TMP/change.json" >/dev/null 2>&1
  read -r status secs < <(ask "/actions?page=3")
  printf '  %-45s %s %6.3f s  (right after a change)\n' "/actions?page=3" "$status" "$secs"
  kill -TERM "$pid"
  wait "$pid" || true
done
