#!/usr/bin/env bash
# Memory benchmark: a mixed sweep over every GET route, twice (issue 12).
#
# usage: bench/sweep.sh [--db FILE] [--minutes M] [--clients N] [--threads T] [--routes FILE] [SOMON]
#
#   SOMON        the somon binary (default build/somon)
#   --db FILE    the register (default bench/out/routes/register.db, made by
#                bench/routes.py, else bench/out/bench.db, made by `make bench`);
#                the server runs on a copy, the file itself is never written
#   --minutes M  minutes per sweep (default 10; --minutes 1 for a quick run)
#   --clients N  concurrent clients (default 4)
#   --threads T  serve --threads (default 2)
#   --routes F   the URL list: a Python file with SAMPLES (pattern -> sample URLs),
#                DOWNLOADS, get_routes() and memory(), as bench/routes.py (the default) has
#
# Serves a copy of the register and runs two sweeps of M minutes one after the
# other. In a sweep, N clients each pick sample URLs of every GET route (and the
# downloads) at random (a fixed seed), half of them with a query parameter never
# seen before (the API's, which refuses unknown parameters, a quarter with
# another date), so that both the response cache and fresh renders are exercised;
# routes that need an account are asked by a signed-in administrator when the
# register has one (bench/routes.py makes "bench"), by a reader otherwise.
# The clients sign in once before the sweeps (a password check takes 64 MiB
# while it runs; that peak is printed on its own line). VmRSS is read every
# 5 s. Prints per sweep: requests, statuses, peak VmRSS and VmHWM during it
# (reset at its start), and VmRSS 10 s after it; then the growth from the first
# sweep to the second. Targets: under 150 MB during and after; no growth over
# the second sweep (at most 5 MB). Exits 0 whatever the figures; 1 when
# setting up fails.
set -euo pipefail
cd "$(dirname "$0")/.."

DB=
MINUTES=10
CLIENTS=4
THREADS=2
ROUTES=bench/routes.py
SOMON=build/somon
usage() { sed -n '2,27s/^# \{0,1\}//p' "$0"; }
while (($#)); do
  case "$1" in
    --db) DB=${2:?--db wants a file}; shift ;;
    --minutes) [[ ${2:-} =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "bench/sweep.sh: --minutes wants a number" >&2; exit 64; }
      MINUTES=$2; shift ;;
    --clients) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "bench/sweep.sh: --clients wants a number" >&2; exit 64; }
      CLIENTS=$2; shift ;;
    --threads) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "bench/sweep.sh: --threads wants a number" >&2; exit 64; }
      THREADS=$2; shift ;;
    --routes) ROUTES=${2:?--routes wants a file}; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "bench/sweep.sh: unknown option '$1'" >&2; usage >&2; exit 64 ;;
    *) SOMON=$1 ;;
  esac
  shift
done
if [[ -z $DB ]]; then
  DB=bench/out/routes/register.db
  [[ -f $DB ]] || DB=bench/out/bench.db
fi
[[ -f $DB ]] || { echo "bench/sweep.sh: $DB is missing; make it with bench/routes.py or make bench (or give --db)" >&2; exit 66; }
[[ -x $SOMON ]] || { echo "bench/sweep.sh: $SOMON is not an executable somon" >&2; exit 66; }
[[ -f $ROUTES ]] || { echo "bench/sweep.sh: no URL list $ROUTES (bench/routes.py; or give --routes FILE)" >&2; exit 66; }

exec /usr/bin/python3 - "$SOMON" "$DB" "$MINUTES" "$CLIENTS" "$THREADS" "$ROUTES" <<'PYTHON'
import importlib.util
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter

somon, register, minutes, clients, threads, routes_file = sys.argv[1:7]
minutes, clients = float(minutes), int(clients)
REPO = os.getcwd()
sys.path.insert(0, os.path.join(REPO, "tests", "http"))
from somon_http import Client  # noqa: E402

spec = importlib.util.spec_from_file_location("routes", routes_file)
routes = importlib.util.module_from_spec(spec)
spec.loader.exec_module(routes)
perms = dict((p, perm) for p, _, perm in routes.get_routes())  # the route table, as bench/routes.py reads it
missing = sorted(p for p in perms if p not in routes.SAMPLES)
if missing:
    sys.exit("bench/sweep.sh: %s has no sample for %s" % (routes_file, ", ".join(missing)))
URLS = [(perm == "PERM_PUBLIC", u) for p, perm in perms.items() for u in routes.SAMPLES[p]] + \
    [(True, u) for u in getattr(routes, "DOWNLOADS", [])]
PASSWORD = getattr(routes, "PASSWORD", "")

folder = tempfile.mkdtemp(prefix="somon-sweep-")
db = os.path.join(folder, "register.db")
shutil.copy(register, db)
err = os.path.join(folder, "server.err")
proc, port = routes.start(somon, db, int(threads), folder)  # stops the sweep when it does not start


status = routes.memory  # VmRSS and VmHWM in MB, as bench/routes.py reads them


try:
    admin_ok = False
    if PASSWORD:
        probe = Client(port=port, timeout=300)
        admin_ok = probe.login("bench", PASSWORD).status == 303
    start_rss = status(proc.pid)["VmRSS"]
    print("sweep: %s on a copy of %s (%.0f MB), serve --threads %s, %d clients, %g min per sweep, %d URLs; "
          "signed-in routes as %s; VmRSS at the start %.1f MB" %
          (somon, register, os.path.getsize(register) / 1e6, threads, clients, minutes, len(URLS),
           "the administrator" if admin_ok else "a reader", start_rss), flush=True)

    def reset_hwm():
        with open("/proc/%d/clear_refs" % proc.pid, "w") as f:
            f.write("5")  # VmHWM := VmRSS

    # Each client signs in once, before the sweeps, and keeps its session: a
    # password check (Argon2id) takes 64 MiB while it runs, by design, one at a
    # time (src/auth.c); its peak is printed here, not mixed into the sweeps'.
    admins = [Client(port=port, timeout=300) for _ in range(clients)]
    if admin_ok:
        reset_hwm()
        for a in admins:
            a.login("bench", PASSWORD)
        print("sign-ins before the sweeps: %d, VmHWM during them %.1f MB (a password check takes 64 MiB while it "
              "runs)" % (clients, status(proc.pid)["VmHWM"]), flush=True)

    serial = [0]
    lock = threading.Lock()

    def sweep(number):
        stop_at = time.time() + minutes * 60
        counts, peak = Counter(), [0.0, 0.0]
        samples = []
        reset_hwm()  # VmHWM: this sweep's own

        def client(i):
            rng = random.Random(number * 1000 + i)
            reader = Client(port=port, timeout=300)
            admin = admins[i]
            while time.time() < stop_at:
                public, url = rng.choice(URLS)
                if rng.random() < 0.5 and not url.startswith("/api/"):
                    with lock:
                        serial[0] += 1
                        n = serial[0]
                    url += ("&" if "?" in url else "?") + "sweep=%d" % n
                elif rng.random() < 0.5 and "date=" in url:  # the API refuses unknown parameters: another day
                    url = re.sub(r"date=[0-9-]+", "date=202%d-%02d-%02d" % (rng.randint(0, 5), rng.randint(1, 12),
                                                                       rng.randint(1, 28)), url, count=1)
                try:
                    r = (reader if public or not admin_ok else admin).get(url)
                    key = str(r.status)
                except Exception as e:  # noqa: BLE001
                    key = type(e).__name__
                with lock:
                    counts[key] += 1

        workers = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
        for w in workers:
            w.start()
        while any(w.is_alive() for w in workers):
            m = status(proc.pid)
            samples.append(m["VmRSS"])
            peak[0], peak[1] = max(peak[0], m["VmRSS"]), max(peak[1], m["VmHWM"])
            for w in workers:
                w.join(timeout=max(0.0, 5.0 / len(workers)))
        time.sleep(10)
        after = status(proc.pid)["VmRSS"]
        total = sum(counts.values())
        print("sweep %d: %d requests (%s); VmRSS peak %.1f MB (VmHWM %.1f MB), %.1f MB 10 s after; samples every 5 s: %s" %
              (number, total, ", ".join("%s x %d" % kv for kv in sorted(counts.items())), peak[0], peak[1], after,
               " ".join("%.0f" % s for s in samples)), flush=True)
        return peak[0], after

    p1, a1 = sweep(1)
    p2, a2 = sweep(2)
    verdict = lambda ok: "OK" if ok else "MISSED"  # noqa: E731
    print("target: VmRSS under 150 MB during and after both sweeps: peak %.1f MB, after %.1f MB %s" %
          (max(p1, p2), max(a1, a2), verdict(max(p1, p2, a1, a2) < 150)))
    print("target: no growth over the second sweep (at most 5 MB): after the first %.1f MB, after the second "
          "%.1f MB (%+.1f MB) %s" % (a1, a2, a2 - a1, verdict(a2 - a1 <= 5)))
finally:
    proc.terminate()
    proc.wait(timeout=120)
    extra = [l for l in open(err, errors="replace").read().splitlines()
             if not re.match(r"somon: (listening on|SIGTERM received|stopped|login throttled)", l)]
    if extra:
        print("server's standard error:\n  " + "\n  ".join(extra[:20]))
    shutil.rmtree(folder, ignore_errors=True)
PYTHON
