#!/usr/bin/env bash
# Stall benchmark: does slow work block the cached pages? (issue 12)
#
# usage: bench/stall.sh [--db FILE] [--seconds S] [--threads N] SOMON...
#
#   SOMON...     one or more somon binaries (e.g. an old build and build/somon),
#                measured one after the other on the same database
#   --db FILE    the register (default bench/out/bench.db, made by `make bench`);
#                each binary serves a copy of it, the file itself is never written
#   --seconds S  seconds per wrk run (default 10)
#   --threads N  serve --threads (default 2)
#
# For each binary: serve a copy of the register, warm `/`, then measure the
# cached `/` with `wrk -t1 -c4 --latency` twice: alone, and while two clients
# (curl loops) fetch uncached slow pages over and over (/actions, /alerts,
# /governance with a query parameter that changes on every request, so that
# nothing comes from the cache). Prints req/s and p99 of `/` in both runs, and
# how many slow pages the two clients got (and with which statuses). Target:
# p99 of `/` under 20 ms while the slow pages load. Needs Debian's wrk and curl
# (installed with apt-get when root, as bench/http.sh does). Exits 0 whatever
# the figures (a benchmark prints, it does not gate); 1 when setting up fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

DB=bench/out/bench.db
SECONDS_RUN=10
THREADS=2
TARGET_P99_MS=20
bins=()
usage() { sed -n '2,23s/^# \{0,1\}//p' "$0"; }
while (($#)); do
  case "$1" in
    --db) DB=${2:?--db wants a file}; shift ;;
    --seconds) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "bench/stall.sh: --seconds wants whole seconds" >&2; exit 64; }
      SECONDS_RUN=$2; shift ;;
    --threads) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "bench/stall.sh: --threads wants a number" >&2; exit 64; }
      THREADS=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "bench/stall.sh: unknown option '$1'" >&2; usage >&2; exit 64 ;;
    *) bins+=("$1") ;;
  esac
  shift
done
((${#bins[@]})) || bins=(build/somon)
[[ -f $DB ]] || { echo "bench/stall.sh: $DB is missing; make it with: make bench (or give --db FILE)" >&2; exit 66; }
for b in "${bins[@]}"; do [[ -x $b ]] || { echo "bench/stall.sh: $b is not an executable somon" >&2; exit 66; }; done

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
  if ((EUID != 0)); then
    echo "bench/stall.sh: missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
    exit 69
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
    { DEBIAN_FRONTEND=noninteractive apt-get update >/dev/null 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; } ||
    { echo "bench/stall.sh: apt-get install ${missing[*]} failed" >&2; exit 69; }
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/somon-stall.XXXXXX")
server=
loops=()
cleanup() {
  local p
  for p in "${loops[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -z $server ]] || { kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start() {   # start BINARY: sets server and port
  rm -f "$WORK/db.sqlite"*
  cp "$DB" "$WORK/db.sqlite"
  : >"$WORK/err"
  "$1" --db "$WORK/db.sqlite" serve --listen 127.0.0.1:0 --threads "$THREADS" >/dev/null 2>"$WORK/err" &
  server=$!
  port=$(listening_port "$WORK/err" "$server")
  [[ -n $port ]] && return 0
  cat "$WORK/err" >&2
  echo "bench/stall.sh: $1 serve did not start" >&2
  exit 1
}

# A client looping slow pages, each with a query the cache has never seen.
slow_client() {   # slow_client NAME
  local n=0 d
  while :; do
    n=$((n + 1))
    d=$(printf '2023-%02d-%02d' $((n % 12 + 1)) $((n % 28 + 1)))
    for u in "/actions?stall=$1-$n" "/alerts?date=$d&stall=$1" "/governance?stall=$1-$n"; do
      curl -s -o /dev/null -w '%{http_code}\n' --max-time 120 "http://127.0.0.1:$port$u" >>"$WORK/slow-$1" || echo 000 >>"$WORK/slow-$1"
    done
  done
}

# wrk_root OUT: sets RPS and P99 (ms) of the cached /
wrk_root() {
  wrk -t1 -c4 -d"${SECONDS_RUN}s" --timeout 30s --latency "http://127.0.0.1:$port/" >"$1" 2>&1 || true
  read -r RPS P99 NON < <(awk '
    function ms(v,   n, u) { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
      if (u == "us") return n / 1000; if (u == "s") return n * 1000; if (u == "m") return n * 60000; return n }
    /Requests\/sec:/ { rps = $2 } /^ *99% / { p99 = ms($2) } /Non-2xx or 3xx responses:/ { non = $NF }
    END { printf "%.0f %.2f %d\n", rps, p99, non }' "$1")
}

rows=()
for b in "${bins[@]}"; do
  echo "$b: serving a copy of $DB (--threads $THREADS) ..." >&2
  start "$b"
  t0=$(date +%s.%N)
  curl -s -o /dev/null "http://127.0.0.1:$port/"
  first=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
  curl -s -o /dev/null "http://127.0.0.1:$port/"
  wrk_root "$WORK/alone.txt"; alone_rps=$RPS alone_p99=$P99
  rm -f "$WORK"/slow-*
  slow_client a & loops+=($!)
  slow_client b & loops+=($!)
  sleep 1
  wrk_root "$WORK/stall.txt"; stall_rps=$RPS stall_p99=$P99 stall_non=$NON
  for p in "${loops[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  loops=()
  slow=$(cat "$WORK"/slow-* 2>/dev/null | sort | uniq -c | awk '{ printf "%s%s x %s", (k++ ? ", " : ""), $2, $1 }')
  kill -TERM "$server"; wait "$server" || true; server=
  rows+=("$b|$first|$alone_rps|$alone_p99|$stall_rps|$stall_p99|$stall_non|${slow:-none}")
done

echo
echo "stall benchmark, $(date '+%Y-%m-%d %H:%M %Z'): $(basename "$DB") ($(du -h "$DB" | cut -f1)), serve --threads $THREADS," \
  "$(nproc) CPUs; wrk -t1 -c4 -d${SECONDS_RUN}s on the cached /, alone and while two clients loop uncached slow pages"
printf '%-32s %8s | %9s %8s | %9s %8s %6s | %s\n' binary "first /" "alone/s" "p99 ms" "stall/s" "p99 ms" errors "slow pages got (status x count)"
for r in "${rows[@]}"; do
  IFS='|' read -r b first ar ap sr sp sn slow <<<"$r"
  printf '%-32s %7ss | %9s %8s | %9s %8s %6s | %s\n' "$b" "$first" "$ar" "$ap" "$sr" "$sp" "$sn" "$slow"
  verdict=$(awk -v p="$sp" -v t="$TARGET_P99_MS" 'BEGIN { print (p < t) ? "OK" : "MISSED" }')
  echo "  target: p99 of the cached / under $TARGET_P99_MS ms while slow pages load: $sp ms $verdict"
done
exit 0
