#!/usr/bin/env bash
# HTTP benchmark of `somon serve` against nginx serving static files of the
# same sizes; `make bench-http` runs it.
#
# usage: bench/http.sh [--quick] [--duration SECONDS] [--threads N]
#
#   (default)      10 s per wrk run, a 60 s memory run
#   --quick        3 s per wrk run, a 15 s memory run (a smoke run)
#   --duration S   S seconds per wrk run
#   --threads N    somon worker threads and nginx worker processes
#                  (default: nproc, clamped to 2..16, as somon itself does)
#
# Needs Debian's wrk and nginx, curl, python3 and pgrep. When one is missing
# it is installed with apt-get if we are root; otherwise the script prints the
# apt-get command and exits 69. It serves the demo database (data/demo) and
# the synthetic 100,000-municipality map (bench/gen_map.py, as bench/run.sh)
# with somon, and the very same response bodies as static files with nginx
# on loopback (nginx runs in the foreground as our child, with its own
# configuration in a temporary directory). Then wrk, with the same settings
# for both, measures each URL at each connection count on somon and right
# after on nginx: requests per second, p99 latency, error responses, socket
# errors, and the CPU used by the server, by wrk and by everything else. The
# demo's / is also measured under light load (one connection). It then
# compares somon's access log written to a file with /dev/null, and samples a
# fresh somon's VmRSS and VmHWM every 5 s during a 60 s run.
# It prints a table and a verdict line per target: OK or MISSED. The exit
# status stays 0 when a target is missed (a benchmark prints figures, it does
# not gate); a setup failure exits 1. Everything goes under bench/out/http/
# (git-ignored); the nginx directory is removed at the end.
set -euo pipefail

cd "$(dirname "$0")/.."

DURATION=10
MEM_SECONDS=60
MEM_EVERY=5
WRK_THREADS=2
CONNECTIONS=(32 64)
WRK_TIMEOUT=10s
DATE=2023-06-30
PROGNOSIS=2023-12-31
TARGET_RATIO=0.5          # somon /api/v1/coverage req/s >= 0.5 x nginx (demo)
TARGET_P99_MS=10          # somon / p99 < 10 ms (demo)
TARGET_FLAT_KB=2048       # RSS growth from the 10 s sample to the end
OTHER_WARN=25             # % of one CPU taken by other processes and steal during a run
RETRIES=2                 # measure a pair again when it was disturbed
QUIET_WAIT=30             # seconds to wait for a quiet machine before a pair

usage() { sed -n '2,29s/^# \{0,1\}//p' "$0"; }

threads=
quick=no
while (($#)); do
  case "$1" in
    --quick) quick=yes; DURATION=3; MEM_SECONDS=15 ;;
    --duration)
      [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "bench/http.sh: --duration wants whole seconds" >&2; exit 64; }
      DURATION=$2; shift ;;
    --threads)
      [[ ${2:-} =~ ^[1-9][0-9]*$ && $2 -le 64 ]] || { echo "bench/http.sh: --threads wants 1..64" >&2; exit 64; }
      threads=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/http.sh: unknown argument '$1'" >&2; usage >&2; exit 64 ;;
  esac
  shift
done
if [[ -z $threads ]]; then
  threads=$(nproc)
  ((threads < 2)) && threads=2
  ((threads > 16)) && threads=16
fi

SOMON=${SOMON:-build/somon}   # another build: SOMON=/path/to/somon bench/http.sh
OUT=bench/out
WORK=$OUT/http
MAP=$OUT/map
GEN_ARGS=(--municipalities 100000 --agreements 50000 --parties 200000 --seed 1)
GEN_LOG=$MAP.log

# ---------------------------------------------------------------- tools
NGINX=$(command -v nginx || true)
[[ -n $NGINX ]] || { [[ -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx; } || true
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[[ -n $NGINX ]] || missing+=(nginx)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
command -v pgrep >/dev/null || missing+=(procps)
if ((${#missing[@]})); then
  if ((EUID != 0)); then
    echo "bench/http.sh: missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
    exit 69
  fi
  echo "installing ${missing[*]} (apt-get) ..."
  mkdir -p "$OUT"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >"$OUT/apt.log" 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update >>"$OUT/apt.log" 2>&1 || true
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >>"$OUT/apt.log" 2>&1; then
      tail -n 20 "$OUT/apt.log" >&2
      echo "bench/http.sh: apt-get install ${missing[*]} failed" >&2
      exit 69
    fi
  fi
  rm -f "$OUT/apt.log"
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi
if [[ ! -x $SOMON ]]; then
  echo "bench/http.sh: $SOMON is missing; build it with: make build/somon" >&2
  exit 66
fi
rm -rf "$WORK/wrk"   # the raw wrk output of the last run only
mkdir -p "$WORK/wrk"

# ---------------------------------------------------------------- processes
NGX=$(mktemp -d "${TMPDIR:-/tmp}/somon-bench-nginx.XXXXXX")
WRK_PID=
declare -A PID=() PORT=()
stop() {   # stop NAME: SIGTERM, then wait
  local p=${PID[$1]:-}
  [[ -n $p ]] || return 0
  kill -TERM "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
  unset "PID[$1]"
}
# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
  local n
  [[ -z $WRK_PID ]] || kill "$WRK_PID" 2>/dev/null || true
  for n in "${!PID[@]}"; do stop "$n"; done
  rm -rf "$NGX"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_somon NAME DB STDOUT: somon on a port of the kernel's choosing,
# appending its access log to STDOUT
start_somon() {
  local name=$1 db=$2 log=$3 i
  : >"$WORK/$name.err"
  "$SOMON" --db "$db" serve --listen 127.0.0.1:0 --threads "$threads" >>"$log" 2>"$WORK/$name.err" &
  PID[$name]=$!
  for ((i = 0; i < 100; i++)); do
    PORT[$name]=$(sed -n 's|^somon: listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$WORK/$name.err")
    [[ -n ${PORT[$name]} ]] && return 0
    kill -0 "${PID[$name]}" 2>/dev/null || break
    sleep 0.1
  done
  cat "$WORK/$name.err" >&2
  echo "bench/http.sh: somon serve ($name) did not start" >&2
  exit 1
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_nginx() {
  local try i port
  mkdir -p "$NGX/html" "$NGX/tmp"
  chmod 755 "$NGX" "$NGX/html"   # the workers run as nobody when we are root
  echo ok >"$NGX/html/ready.txt"
  chmod 644 "$NGX"/html/*
  for ((try = 1; try <= 3; try++)); do
    port=$(free_port)
    cat >"$NGX/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes $threads;
pid $NGX/nginx.pid;
error_log $NGX/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 65s;
  keepalive_requests 1000000;
  types { text/html html; application/json json; text/plain txt; }
  default_type application/octet-stream;
  client_body_temp_path $NGX/tmp/body;
  proxy_temp_path $NGX/tmp/proxy;
  fastcgi_temp_path $NGX/tmp/fastcgi;
  uwsgi_temp_path $NGX/tmp/uwsgi;
  scgi_temp_path $NGX/tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    root $NGX/html;
  }
}
EOF
    "$NGINX" -p "$NGX/" -c "$NGX/nginx.conf" -e "$NGX/error.log" 2>>"$NGX/stderr.log" &
    PID[nginx]=$!
    for ((i = 0; i < 50; i++)); do
      if [[ $(curl -s "http://127.0.0.1:$port/ready.txt" 2>/dev/null) == ok ]]; then
        PORT[nginx]=$port
        return 0
      fi
      kill -0 "${PID[nginx]}" 2>/dev/null || break
      sleep 0.1
    done
    stop nginx
  done
  cat "$NGX/error.log" "$NGX/stderr.log" >&2 2>/dev/null || true
  echo "bench/http.sh: nginx did not start" >&2
  exit 1
}

# CPU time in clock ticks. cpu_ticks PID...: user + system of the processes
# (all their threads); child_ticks: of this shell's waited-for children (wrk);
# machine_ticks: "BUSY STEAL" of all CPUs, BUSY = user + nice + system + irq
# (not idle, iowait, softirq: loopback TCP's softirq work is ours but not in
# any process's time) and STEAL = time the hypervisor gave to someone else.
cpu_ticks() {
  local p t=0 s
  for p in "$@"; do
    s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    s=${s##*) }
    t=$((t + $(awk '{ print $12 + $13 }' <<<"$s")))
  done
  echo "$t"
}
child_ticks() { local s; s=$(cat "/proc/$$/stat"); s=${s##*) }; awk '{ print $14 + $15 }' <<<"$s"; }
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7, $9; exit }' /proc/stat; }
server_pids() {   # the process and, for nginx, its workers
  local p=${PID[$1]}
  echo "$p"
  if [[ $1 == nginx ]]; then pgrep -P "$p" || true; fi
}
HZ=$(getconf CLK_TCK)
pct() { awk -v d="$1" -v hz="$HZ" -v s="$2" 'BEGIN { v = d / hz / s * 100; printf "%.0f", (v < 0 ? 0 : v) }'; }

# ---------------------------------------------------------------- the databases
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
    echo "bench/http.sh: bench/gen_map.py failed" >&2
    exit 1
  fi
  rm -rf "$MAP"
  mv "$MAP.tmp" "$MAP"
  { echo "gen_map.py ${GEN_ARGS[*]}"; sed "s|$MAP\.tmp|$MAP|" "$OUT/gen.err"; } >"$GEN_LOG"
  rm -f "$OUT/gen.err"
fi

make_db() {   # make_db DB [init args...] -- import files...
  local db=$1; shift
  local init=() files=()
  while [[ $1 != -- ]]; do init+=("$1"); shift; done
  shift; files=("$@")
  rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
  if ! { "$SOMON" --db "$db" init "${init[@]}" && "$SOMON" --db "$db" --actor bench import "${files[@]}"; } >"$db.log" 2>&1; then
    cat "$db.log" >&2
    echo "bench/http.sh: making $db failed" >&2
    exit 1
  fi
}
DEMO_DB=$WORK/demo.db
SYNTH_DB=$WORK/synth.db
echo "databases: $DEMO_DB (data/demo), $SYNTH_DB (init --reference $MAP, import agreements.json) ..."
make_db "$DEMO_DB" -- data/demo/*.json
make_db "$SYNTH_DB" --reference "$MAP" -- "$MAP/agreements.json"

# ---------------------------------------------------------------- servers and files
ACCESS_LOG=$WORK/access.log
rm -f "$ACCESS_LOG"
start_somon demo "$DEMO_DB" "$ACCESS_LOG"
start_somon synth "$SYNTH_DB" "$ACCESS_LOG"   # both append (O_APPEND) to one file
start_nginx

KEYS=(demo-root demo-coverage demo-agreement synth-root synth-coverage synth-agreement)
declare -A URL=(
  [demo-root]="/?date=$DATE&prognosis=$PROGNOSIS"
  [demo-coverage]="/api/v1/coverage?date=$DATE&prognosis=$PROGNOSIS"
  [demo-agreement]="/agreements/SO-MECHELEN-2021"
  [synth-root]="/?date=$DATE&prognosis=$PROGNOSIS"
  [synth-coverage]="/api/v1/coverage?date=$DATE&prognosis=$PROGNOSIS"
  [synth-agreement]="/agreements/BENCH-000001"
)
declare -A FILE=() SIZE=()
for k in "${KEYS[@]}"; do
  db=${k%%-*}
  case $k in *coverage) FILE[$k]=$k.json ;; *) FILE[$k]=$k.html ;; esac
  got=$(curl -s -o "$NGX/html/${FILE[$k]}" -w '%{http_code} %{size_download}' "http://127.0.0.1:${PORT[$db]}${URL[$k]}")
  if [[ ${got% *} != 200 ]]; then
    echo "bench/http.sh: somon answered ${got% *} to ${URL[$k]} ($db)" >&2
    exit 1
  fi
  SIZE[$k]=${got#* }
  chmod 644 "$NGX/html/${FILE[$k]}"
  got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:${PORT[nginx]}/${FILE[$k]}")
  if [[ $got != "200 ${SIZE[$k]}" ]]; then
    echo "bench/http.sh: nginx answered '$got' for /${FILE[$k]}, expected '200 ${SIZE[$k]}'" >&2
    cat "$NGX/error.log" >&2
    exit 1
  fi
done

# ---------------------------------------------------------------- wrk
# parse_wrk FILE: "req/s p99-ms non-2xx/3xx socket-errors requests socket-error-detail"
parse_wrk() {
  awk '
    function ms(v,   n, u) {
      n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
      if (u == "us") return n / 1000; if (u == "s") return n * 1000
      if (u == "m") return n * 60000; return n
    }
    /Requests\/sec:/ { rps = $2 }
    /^ *99% / { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { non = $NF }
    /Socket errors:/ { gsub(",", ""); sock = $4 + $6 + $8 + $10
                       txt = "connect=" $4 ",read=" $6 ",write=" $8 ",timeout=" $10 }
    / requests in / { req = $1 }
    END { if (rps == "") rps = "0"; if (p99 == "") p99 = "nan"
          printf "%s %s %d %d %d %s\n", rps, p99, non, sock, req, (txt == "" ? "-" : txt) }' "$1"
}

# run_wrk OUT SERVER URL CONNECTIONS SECONDS WRK_THREADS: sets R_RPS R_P99
# R_NON2XX R_SOCK R_SOCKTXT R_REQ, and the CPU used during the run in % of one
# CPU: R_CPU (the server), R_WRK (wrk), R_OTHER (everything else on the
# machine), R_STEAL (taken by the hypervisor). With MEM_PID set, samples its VmRSS and VmHWM into MEM_T, MEM_RSS
# and MEM_HWM before the run and every MEM_EVERY seconds.
MEM_PID=
run_wrk() {
  local out=$1 server=$2 url=$3 c=$4 secs=$5 wt=$6 pids s0 s1 w0 w1 m0 m1 st0 st1 t0 t1 wall wp t now
  pids=$(server_pids "$server")
  # shellcheck disable=SC2086
  s0=$(cpu_ticks $pids); w0=$(child_ticks); read -r m0 st0 < <(machine_ticks)
  [[ -z $MEM_PID ]] || sample 0
  t0=$(date +%s.%N)
  wrk -t"$wt" -c"$c" -d"${secs}s" --timeout "$WRK_TIMEOUT" --latency "http://127.0.0.1:${PORT[$server]}$url" >"$out" 2>&1 &
  wp=$! WRK_PID=$!
  if [[ -n $MEM_PID ]]; then
    for ((t = MEM_EVERY; t <= secs; t += MEM_EVERY)); do
      now=$(date +%s.%N)
      sleep "$(awk -v a="$t0" -v b="$now" -v t="$t" 'BEGIN { d = a + t - b - 0.05; print (d > 0 ? d : 0) }')"
      sample "$t"
    done
  fi
  wait "$wp" || true
  WRK_PID=
  t1=$(date +%s.%N)
  # shellcheck disable=SC2086
  s1=$(cpu_ticks $pids); w1=$(child_ticks); read -r m1 st1 < <(machine_ticks)
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  R_CPU=$(pct $((s1 - s0)) "$wall"); R_WRK=$(pct $((w1 - w0)) "$wall")
  R_OTHER=$(pct $(((m1 - m0) - (s1 - s0) - (w1 - w0))) "$wall"); R_STEAL=$(pct $((st1 - st0)) "$wall")
  read -r R_RPS R_P99 R_NON2XX R_SOCK R_REQ R_SOCKTXT < <(parse_wrk "$out")
}
MEM_T=(); MEM_RSS=(); MEM_HWM=()
sample() {
  MEM_T+=("$1")
  MEM_RSS+=("$(awk '/^VmRSS:/ { print $2 }' "/proc/$MEM_PID/status")")
  MEM_HWM+=("$(awk '/^VmHWM:/ { print $2 }' "/proc/$MEM_PID/status")")
}

thousands() { printf "%s" "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
fmt_rps() { thousands "$(awk -v r="$1" 'BEGIN { printf "%.0f", r }')"; }
fmt_ms() { awk -v m="$1" 'BEGIN { if (m == "nan") print "-"; else if (m < 10) printf "%.2f", m; else printf "%.1f", m }'; }

# The rows: every URL at every connection count; the demo's / also under light
# load (one connection, one wrk thread) for information.
ROWS=()
for k in "${KEYS[@]}"; do
  if [[ $k == demo-root ]]; then ROWS+=("$k:1:1"); fi
  for c in "${CONNECTIONS[@]}"; do ROWS+=("$k:$c:$WRK_THREADS"); done
done

cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
[[ -n $cpu ]] || cpu="unknown CPU"
mem_gib=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
rev=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
if [[ $rev != "?" ]] && ! git diff --quiet HEAD -- src 2>/dev/null; then rev="$rev+changes in src"; fi
nginx_version=$("$NGINX" -v 2>&1 | sed 's|.*/||')
wrk_version=$(wrk -v 2>&1 | awk 'NR == 1 { print $2 }' || true)
n_runs=$((${#ROWS[@]} * 2 + 2))   # without retries
echo "somon $rev, nginx $nginx_version, wrk $wrk_version; somon --threads $threads, nginx worker_processes $threads"
echo "wrk -t$WRK_THREADS -c{${CONNECTIONS[*]}} -d${DURATION}s --timeout $WRK_TIMEOUT --latency: $n_runs runs and a ${MEM_SECONDS} s memory run," \
  "about $((n_runs * (DURATION + 1) + MEM_SECONDS + 5)) s"
echo

RESULTS=$WORK/results.tsv
printf 'key\tside\tconnections\twrk_threads\tattempt\turl\tbytes\treq_per_s\tp99_ms\tnon_2xx_3xx\tsocket_errors\tsocket_detail\trequests\tcpu_server_pct\tcpu_wrk_pct\tcpu_other_pct\tcpu_steal_pct\n' >"$RESULTS"
declare -A RPS=() P99=() NON=() SOCK=() CPU=() WCPU=() OCPU=() SCPU=() TRIES=()
somon_non=0; somon_sock=0; nginx_non=0; nginx_sock=0; disturbed_pairs=0; quiet_waited=0
# record KEY SIDE CONNECTIONS WRK_THREADS ATTEMPT URL: one run's figures (R_*)
# into results.tsv and the error counts (errors count in every attempt)
record() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" \
    "${SIZE[${1%%@*}]:-}" "$R_RPS" "$R_P99" "$R_NON2XX" "$R_SOCK" "$R_SOCKTXT" "$R_REQ" "$R_CPU" "$R_WRK" "$R_OTHER" \
    "$R_STEAL" >>"$RESULTS"
  if [[ $2 == nginx ]]; then
    nginx_non=$((nginx_non + R_NON2XX)); nginx_sock=$((nginx_sock + R_SOCK))
  else
    somon_non=$((somon_non + R_NON2XX)); somon_sock=$((somon_sock + R_SOCK))
  fi
  printf ' %s req/s, p99 %s ms, errors %s/%s, cpu: server %s%%, wrk %s%%, other %s%%, steal %s%%\n' \
    "$(fmt_rps "$R_RPS")" "$(fmt_ms "$R_P99")" "$R_NON2XX" "$R_SOCK" "$R_CPU" "$R_WRK" "$R_OTHER" "$R_STEAL"
}
keep() {   # keep ID: the last run's figures as the ones reported
  RPS[$1]=$R_RPS; P99[$1]=$R_P99; NON[$1]=$R_NON2XX; SOCK[$1]=$R_SOCK
  CPU[$1]=$R_CPU; WCPU[$1]=$R_WRK; OCPU[$1]=$R_OTHER; SCPU[$1]=$R_STEAL
}
# wait_quiet: up to QUIET_WAIT s for a second in which the machine is busy
# less than OTHER_WARN % of a CPU (this script's servers are idle then)
wait_quiet() {
  local i m0 m1 st0 st1
  for ((i = 0; i < QUIET_WAIT; i++)); do
    read -r m0 st0 < <(machine_ticks); sleep 1; read -r m1 st1 < <(machine_ticks)
    (((m1 - m0 + st1 - st0) * 100 <= OTHER_WARN * HZ)) && return 0
    quiet_waited=$((quiet_waited + 1))
  done
  return 0
}
# measure_pair KEY CONNECTIONS WRK_THREADS SIDE_A SERVER_A URL_A SIDE_B SERVER_B URL_B:
# A then B back to back, so that both see the same machine. A pair in which
# other processes and steal took more than OTHER_WARN % of a CPU is measured
# again, up to RETRIES times, and the least disturbed attempt is reported.
measure_pair() {
  local k=$1 c=$2 wt=$3 attempt tries=0 side server url worst best='' best_worst='' i
  local -a sides=("$4" "$7") servers=("$5" "$8") urls=("$6" "$9")
  local -A saved=()
  for ((attempt = 1; attempt <= RETRIES + 1; attempt++)); do
    wait_quiet
    tries=$attempt worst=0
    for i in 0 1; do
      side=${sides[i]} server=${servers[i]} url=${urls[i]}
      printf '  %-7s %-15s -t%s -c%-3s' "$side" "$k" "$wt" "$c"
      run_wrk "$WORK/wrk/$k-$side-c$c-$attempt.txt" "$server" "$url" "$c" "$DURATION" "$wt"
      record "$k" "$side" "$c" "$wt" "$attempt" "$url"
      ((R_OTHER + R_STEAL > worst)) && worst=$((R_OTHER + R_STEAL))
      saved[$attempt/$i]="$R_RPS $R_P99 $R_NON2XX $R_SOCK $R_CPU $R_WRK $R_OTHER $R_STEAL"
    done
    if [[ -z $best ]] || ((worst < best_worst)); then best=$attempt best_worst=$worst; fi
    ((worst <= OTHER_WARN)) && break
    if ((attempt <= RETRIES)); then echo "  (other processes and steal took $worst% of a CPU: again)"; fi
  done
  ((best_worst <= OTHER_WARN)) || disturbed_pairs=$((disturbed_pairs + 1))
  TRIES[$k/$c]=$tries/$best
  for i in 0 1; do
    read -r R_RPS R_P99 R_NON2XX R_SOCK R_CPU R_WRK R_OTHER R_STEAL <<<"${saved[$best/$i]}"
    keep "$k/${sides[i]}/$c"
  done
}

for row in "${ROWS[@]}"; do
  IFS=: read -r k c wt <<<"$row"
  measure_pair "$k" "$c" "$wt" somon "${k%%-*}" "${URL[$k]}" nginx nginx "/${FILE[$k]}"
done

# ---------------------------------------------------------------- the access log's cost
# The same run back to back on a second demo instance whose standard output is
# /dev/null and on the first one (standard output to the log file).
start_somon nolog "$DEMO_DB" /dev/null
c=${CONNECTIONS[0]}
measure_pair demo-coverage@log "$c" "$WRK_THREADS" devnull nolog "${URL[demo-coverage]}" file demo "${URL[demo-coverage]}"
stop nolog

# ---------------------------------------------------------------- memory
# A fresh demo instance (log to the file); VmRSS and VmHWM before the run and
# every MEM_EVERY seconds.
stop demo
start_somon mem "$DEMO_DB" "$ACCESS_LOG"
cmem=${CONNECTIONS[-1]}
MEM_PID=${PID[mem]}
printf '  %-7s %-15s -t%s -c%-3s %s s, VmRSS every %s s:' somon demo-coverage "$WRK_THREADS" "$cmem" "$MEM_SECONDS" "$MEM_EVERY"
wait_quiet
run_wrk "$WORK/wrk/memory-c$cmem.txt" mem "${URL[demo-coverage]}" "$cmem" "$MEM_SECONDS" "$WRK_THREADS"
record demo-coverage@memory somon "$cmem" "$WRK_THREADS" 1 "${URL[demo-coverage]}"
keep "demo-coverage@memory/somon/$cmem"
MEM_PID=
stop mem
stop synth
stop nginx
for n in demo synth nolog mem; do
  if grep -v '^somon: \(listening on\|SIGTERM received\|stopped\)' "$WORK/$n.err" >/dev/null; then
    echo "somon ($n) said on stderr:"; sed 's/^/  /' "$WORK/$n.err"
  fi
done

# The access log: every line's status (field 9 of the Combined Log Format).
log_lines=$(wc -l <"$ACCESS_LOG")
log_bytes=$(stat -c %s "$ACCESS_LOG")
log_non200=$(awk '$9 != 200' "$ACCESS_LOG" | wc -l)
log_statuses=$(awk '{ n[$9]++ } END { for (s in n) printf "%s%s x %d", (k++ ? ", " : ""), s, n[s] }' "$ACCESS_LOG")
rm -f "$ACCESS_LOG"   # hundreds of MB after a full run; the counts are printed below

# ---------------------------------------------------------------- figures
echo
echo "somon HTTP benchmark, $(date '+%Y-%m-%d %H:%M %Z'), somon $rev$([[ $quick == yes ]] && echo ", --quick")"
echo "machine: $(nproc) CPUs (nproc), $cpu, $mem_gib GiB RAM, $(uname -sr) $(uname -m)"
echo "somon:   serve --threads $threads; access log (standard output) to a file, $WORK/access.log"
echo "nginx:   $nginx_version, worker_processes $threads, access_log off, sendfile on, tcp_nopush on, keepalive_requests 1000000;"
echo "         static files with the very bodies somon answered (same sizes)"
echo "wrk:     $wrk_version, -t$WRK_THREADS -c{${CONNECTIONS[*]}} -d${DURATION}s --timeout $WRK_TIMEOUT --latency on loopback;" \
  "client and servers share the $(nproc) CPUs"
echo
printf '%-5s %-54s %5s %8s | %8s %8s %6s | %8s %8s %6s | %5s\n' \
  db URL conns bytes "somon/s" "p99 ms" errors "nginx/s" "p99 ms" errors ratio
for row in "${ROWS[@]}"; do
  IFS=: read -r k c wt <<<"$row"
  s=$k/somon/$c; n=$k/nginx/$c
  ratio=$(awk -v a="${RPS[$s]}" -v b="${RPS[$n]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
  printf '%-5s %-54s %5s %8s | %8s %8s %6s | %8s %8s %6s | %5s\n' \
    "${k%%-*}" "${URL[$k]}" "$c$([[ $wt != "$WRK_THREADS" ]] && echo "*")" "$(thousands "${SIZE[$k]}")" \
    "$(fmt_rps "${RPS[$s]}")" "$(fmt_ms "${P99[$s]}")" "${NON[$s]}/${SOCK[$s]}" \
    "$(fmt_rps "${RPS[$n]}")" "$(fmt_ms "${P99[$n]}")" "${NON[$n]}/${SOCK[$n]}" "$ratio"
done
echo "errors: non-2xx/3xx responses / socket errors (connect, read, write, timeout); ratio: somon req/s / nginx req/s"
echo "*: light load, wrk -t1 -c1 (information)"
echo
echo "CPU during each run, % of one CPU: the server's user+system time, wrk's, other (the rest of the machine's"
echo "busy time but softirq) and steal (taken by the hypervisor). A pair with other + steal > $OTHER_WARN% was measured"
echo "again (at most $((RETRIES + 1)) attempts) and the least disturbed attempt is reported:"
printf '%-15s %5s | %6s %5s %5s %5s | %6s %5s %5s %5s | %s\n' "" conns somon wrk other steal nginx wrk other steal "attempts (reported)"
for row in "${ROWS[@]}"; do
  IFS=: read -r k c wt <<<"$row"
  s=$k/somon/$c; n=$k/nginx/$c
  printf '%-15s %5s | %5s%% %4s%% %4s%% %4s%% | %5s%% %4s%% %4s%% %4s%% | %s\n' "$k" "$c$([[ $wt != "$WRK_THREADS" ]] && echo "*")" \
    "${CPU[$s]}" "${WCPU[$s]}" "${OCPU[$s]}" "${SCPU[$s]}" "${CPU[$n]}" "${WCPU[$n]}" "${OCPU[$n]}" "${SCPU[$n]}" \
    "${TRIES[$k/$c]%/*} (${TRIES[$k/$c]#*/})"
done
if ((disturbed_pairs)); then
  echo "WARNING: in $disturbed_pairs pair(s) other processes and steal took more than $OTHER_WARN% of a CPU even at the best of" \
    "$((RETRIES + 1)) attempts; those figures are disturbed (the 'other' and 'steal' columns; $RESULTS has every attempt)"
fi
echo
c=${CONNECTIONS[0]}
lf=demo-coverage@log/file/$c; ln=demo-coverage@log/devnull/$c
echo "access log, demo /api/v1/coverage -c$c, back to back:" \
  "to a file $(fmt_rps "${RPS[$lf]}") req/s (p99 $(fmt_ms "${P99[$lf]}") ms, cpu ${CPU[$lf]}%," \
  "other+steal $((OCPU[$lf] + SCPU[$lf]))%), to /dev/null $(fmt_rps "${RPS[$ln]}") req/s (p99 $(fmt_ms "${P99[$ln]}") ms," \
  "cpu ${CPU[$ln]}%, other+steal $((OCPU[$ln] + SCPU[$ln]))%): file/devnull \
$(awk -v a="${RPS[$lf]}" -v b="${RPS[$ln]}" 'BEGIN { printf "%.2f", a / b }')"
echo "access log file: $(thousands "$log_lines") lines, $(thousands "$log_bytes") bytes (deleted after counting); statuses: $log_statuses"
echo
m=demo-coverage@memory/somon/$cmem
echo "memory: a fresh demo instance, /api/v1/coverage -c$cmem for ${MEM_SECONDS} s: $(fmt_rps "${RPS[$m]}") req/s," \
  "p99 $(fmt_ms "${P99[$m]}") ms, errors ${NON[$m]}/${SOCK[$m]}, cpu ${CPU[$m]}% (other ${OCPU[$m]}%, steal ${SCPU[$m]}%)"
printf '  %-9s' "t (s)"; for t in "${MEM_T[@]}"; do printf ' %6s' "$t"; done; echo
printf '  %-9s' "VmRSS kB"; for v in "${MEM_RSS[@]}"; do printf ' %6s' "$v"; done; echo
printf '  %-9s' "VmHWM kB"; for v in "${MEM_HWM[@]}"; do printf ' %6s' "$v"; done; echo
echo

verdict() {   # verdict TEXT OK(0/1) DETAIL
  printf 'target %-42s %-66s %s\n' "$1" "$3" "$([[ $2 == 1 ]] && echo OK || echo MISSED)"
}
# 1. /api/v1/coverage on the demo database: at least half of nginx's req/s, at every connection count
worst=; detail=
for c in "${CONNECTIONS[@]}"; do
  r=$(awk -v a="${RPS[demo-coverage/somon/$c]}" -v b="${RPS[demo-coverage/nginx/$c]}" 'BEGIN { printf "%.2f", a / b }')
  detail+="${detail:+, }-c$c $r"
  if [[ -z $worst ]] || awk -v a="$r" -v b="$worst" 'BEGIN { exit !(a < b) }'; then worst=$r; fi
done
verdict "demo /api/v1/coverage >= $TARGET_RATIO x nginx req/s" \
  "$(awk -v a="$worst" -v t="$TARGET_RATIO" 'BEGIN { print (a >= t) ? 1 : 0 }')" "ratio $detail"
# 2. / on the demo database: p99 under 10 ms at every connection count
worst=; detail=
for c in "${CONNECTIONS[@]}"; do
  p=${P99[demo-root/somon/$c]}
  detail+="${detail:+, }-c$c $(fmt_ms "$p") ms"
  if [[ -z $worst ]] || awk -v a="$p" -v b="$worst" 'BEGIN { exit !(a > b || a == "nan") }'; then worst=$p; fi
done
verdict "demo / p99 < $TARGET_P99_MS ms" \
  "$(awk -v a="$worst" -v t="$TARGET_P99_MS" 'BEGIN { print (a != "nan" && a < t) ? 1 : 0 }')" \
  "p99 $detail (light load -c1: $(fmt_ms "${P99[demo-root/somon/1]}") ms)"
# 3. no error responses and no socket errors in any somon run, none in the access log
verdict "no errors (every somon run)" "$((somon_non == 0 && somon_sock == 0 && log_non200 == 0 ? 1 : 0))" \
  "non-2xx/3xx $somon_non, socket errors $somon_sock, log lines not 200: $log_non200"
# 4. memory flat: RSS at the end within TARGET_FLAT_KB of the 10 s sample (warming up ends by then)
i10=0
for i in "${!MEM_T[@]}"; do if ((MEM_T[i] <= 10)); then i10=$i; fi; done
growth=$((MEM_RSS[-1] - MEM_RSS[i10]))
verdict "memory flat over $MEM_SECONDS s (growth <= $TARGET_FLAT_KB kB)" "$((growth <= TARGET_FLAT_KB ? 1 : 0))" \
  "VmRSS ${MEM_RSS[0]} kB at 0 s, ${MEM_RSS[i10]} at ${MEM_T[i10]} s, ${MEM_RSS[-1]} at the end: $growth kB"
if ((nginx_non + nginx_sock)); then
  echo "note: nginx had $nginx_non error responses and $nginx_sock socket errors"
fi
if [[ $quick == yes ]]; then
  echo "(--quick: short runs, a smoke run; the targets are meant for the default durations)"
fi
echo "(raw wrk output in $WORK/wrk/, every run's figures in $RESULTS)"
exit 0
