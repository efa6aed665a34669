#!/usr/bin/python3
"""The memory of single requests (issue 12): how far each URL lifts the server's RSS.

usage: bench/peaks.py [--db FILE] [--threads T] SOMON [URL ...]

Serves a copy of the register (default bench/out/routes/register.db, made by
bench/routes.py; the file itself is never written), waits for its background
read, signs in as the administrator "bench" of bench/routes.py (so that no
answer comes from the response cache), and asks each URL once, one after the
other (default: bench/routes.py's DOWNLOADS and its largest pages). Before each
request VmHWM is reset (/proc/PID/clear_refs); after it the script prints the
peak above the RSS before it, the RSS 1.5 s later (the watchdog trims an idle
server within a second), the status, the size, the time and the body's md5.
"""
import argparse
import hashlib
import importlib.util
import os
import shutil
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "http"))
from somon_http import Client  # noqa: E402

spec = importlib.util.spec_from_file_location("routes", os.path.join(REPO, "bench", "routes.py"))
routes = importlib.util.module_from_spec(spec)
spec.loader.exec_module(routes)

LARGE = ["/answer?date=2024-06-30&prognosis=2024-12-31", "/organisations/VDAB/meetings.ics", "/api/v1/agreements",
         "/api/v1/municipalities", "/municipalities?date=2024-06-30&format=csv", "/annex?date=2024-06-30&format=csv",
         "/annex?date=2024-06-30", "/", "/governance", "/alerts", "/mine"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=os.path.join(REPO, "bench", "out", "routes", "register.db"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("somon")
    ap.add_argument("urls", nargs="*")
    a = ap.parse_args()
    if not os.path.exists(a.db):
        sys.exit("bench/peaks.py: no %s; make it with bench/routes.py (or give --db)" % a.db)
    urls = a.urls or routes.DOWNLOADS + LARGE
    folder = tempfile.mkdtemp(prefix="somon-peaks-")
    db = os.path.join(folder, "register.db")
    shutil.copy(a.db, db)
    proc, port = routes.start(a.somon, db, a.threads, folder)
    try:
        routes.warmed_up(os.path.join(folder, "server.err"))
        time.sleep(1.5)
        client = Client(port=port, timeout=300)
        if client.login("bench", routes.PASSWORD).status != 303:
            sys.exit("bench/peaks.py: cannot sign in as bench (a register of bench/routes.py has that account)")
        time.sleep(1.5)
        print("# %s on a copy of %s, serve --threads %d: VmRSS %.1f MB after its background read" %
              (a.somon, a.db, a.threads, routes.memory(proc.pid)["VmRSS"]))
        print("| URL | status | bytes | ms | RSS before MB | peak above it MB | RSS 1.5 s after MB | md5 |")
        print("|---|---:|---:|---:|---:|---:|---:|---|")
        for url in urls:
            before = routes.memory(proc.pid)["VmRSS"]
            with open("/proc/%d/clear_refs" % proc.pid, "w") as f:
                f.write("5")  # VmHWM := VmRSS
            t0 = time.perf_counter()
            r = client.get(url)
            ms = (time.perf_counter() - t0) * 1000
            peak = routes.memory(proc.pid)["VmHWM"]
            time.sleep(1.5)
            after = routes.memory(proc.pid)["VmRSS"]
            print("| `%s` | %d | %d | %.0f | %.0f | %+.0f | %.0f | %s |" % (
                url, r.status, len(r.body), ms, before, peak - before, after, hashlib.md5(r.body).hexdigest()[:10]),
                flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
