#!/usr/bin/python3
"""Every GET route of src/route.c, timed on the large register (issue 12).

usage: bench/routes.py [--map DIR] [--indicator-rows N] [--repeat K] [--threads T] [--out DIR] [SOMON ...]

Builds (once; reused while its inputs are unchanged) bench/out/routes/register.db
from the synthetic map of bench/run.sh (bench/out/map: 100,000 municipality rows,
50,000 agreements, 200,000 parties, 44,918 meetings), a million indicator values
over that map (bench/gen_indicators.py --data MAP), a few hundred cooperations and
outreach entries, one published edition and an administrator. Then, for each somon
binary (default build/somon): copies the register, starts `serve`, signs in, and
asks every sample URL once (the FIRST request: nothing of it cached yet; what
earlier routes loaded, like the register view, may be) and K times more (the
REPEAT: the median is printed). The first requests begin once the server says
it has loaded the current version in the background (its time is printed), as
they would for a reader who comes a second after a start. Public routes and the downloads are asked by a
reader who is not signed in (as most readers are); the others by the signed-in
administrator. Prints a Markdown table (route, URL, status,
bytes, first ms, repeat ms), the routes over 100 ms (first) and 5 ms (repeat),
and the server's memory (VmRSS, VmHWM) at the end.

Every GET route of src/route.c must have a sample in SAMPLES: a route without one
stops the benchmark, so a new route cannot be missed. Standard library only;
figures, not a gate (exit 0 when a target is missed; 1 when setting up fails).
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "http"))
from somon_http import Client, form_fields  # noqa: E402

OUT = os.path.join(REPO, "bench", "out", "routes")
PASSWORD = "bench password for the routes"
AG = "BENCH-000022"          # a signed agreement with an action plan, governance and meetings
ORG = "BENCH-IGV-01"
RG = "BENCH-RG-001"
NIS = "10001"                # a municipality of the 2019 map, merged in 2025
COOP = "CO-BENCH-0001"
D = "date=2024-06-30"

# pattern -> sample URLs (the first is the one a person would open)
SAMPLES = {
    "/": ["/", "/?" + D + "&prognosis=2024-12-31"],
    "/agreements": ["/agreements", "/agreements?status=signed&province=Limburg"],
    "/agreements/new": ["/agreements/new"],
    "/agreements/sjabloon.xlsx": ["/agreements/sjabloon.xlsx"],
    "/agreements/upload": ["/agreements/upload"],
    "/agreements/:id": ["/agreements/" + AG],
    "/agreements/:id/edit": ["/agreements/%s/edit" % AG],
    "/agreements/:id/parties/new": ["/agreements/%s/parties/new" % AG],
    "/agreements/:id/parties/add": ["/agreements/%s/parties/add" % AG],
    "/agreements/:id/approvals/edit": ["/agreements/%s/approvals/edit" % AG],
    "/agreements/:id/parties/:n/edit": ["/agreements/%s/parties/1/edit" % AG],
    "/agreements/:id/parties/:n/leave": ["/agreements/%s/parties/1/leave" % AG],
    "/agreements/:id/plan": ["/agreements/%s/plan" % AG],
    "/agreements/:id/plan/edit": ["/agreements/%s/plan/edit" % AG],
    "/agreements/:id/governance/edit": ["/agreements/%s/governance/edit" % AG],
    "/agreements/:id/notes/edit": ["/agreements/%s/notes/edit" % AG],
    "/agreements/:id/evaluations/edit": ["/agreements/%s/evaluations/edit" % AG],
    "/actions": ["/actions"],
    "/alerts": ["/alerts", "/alerts?" + D],
    "/bronnen": ["/bronnen"],
    "/mine": ["/mine"],
    "/concluded": ["/concluded", "/concluded?from=2020-01-01&to=2024-12-31"],
    "/answer": ["/answer", "/answer?" + D + "&prognosis=2024-12-31"],
    "/agreements/:id/meetings/new": ["/agreements/%s/meetings/new" % AG],
    "/agreements/:id/meetings/:n/edit": ["/agreements/%s/meetings/1/edit" % AG],
    "/agreements/:id/meetings.ics": ["/agreements/%s/meetings.ics" % AG],
    "/organisations/:id/meetings.ics": ["/organisations/VDAB/meetings.ics", "/organisations/%s/meetings.ics" % ORG],
    "/municipalities/:nis/meetings.ics": ["/municipalities/%s/meetings.ics" % NIS],
    "/governance": ["/governance", "/governance?" + D],
    "/history": ["/history"],
    "/login": ["/login"],
    "/accounts": ["/accounts"],
    "/municipalities": ["/municipalities", "/municipalities?" + D],
    "/municipalities/names.json": ["/municipalities/names.json?from=2025-01-01"],
    "/municipalities/:nis": ["/municipalities/" + NIS],
    "/provinces/:name": ["/provinces/Limburg", "/provinces/Antwerpen?" + D],
    "/regiegebieden": ["/regiegebieden"],
    "/regiegebieden/new": ["/regiegebieden/new"],
    "/regiegebieden/:id": ["/regiegebieden/" + RG],
    "/regiegebieden/:id/edit": ["/regiegebieden/%s/edit" % RG],
    "/organisations": ["/organisations"],
    "/organisations/new": ["/organisations/new"],
    "/organisations/:id": ["/organisations/" + ORG, "/organisations/VDAB"],
    "/organisations/:id/edit": ["/organisations/%s/edit" % ORG],
    "/cooperations": ["/cooperations"],
    "/cooperations/new": ["/cooperations/new"],
    "/cooperations/:id/edit": ["/cooperations/%s/edit" % COOP],
    "/cooperations/:id/end": ["/cooperations/%s/end" % COOP],
    "/municipalities/:nis/outreach/new": ["/municipalities/%s/outreach/new" % NIS],
    "/editions": ["/editions"],
    "/editions/new": ["/editions/new"],
    "/editions/:id": ["/editions/1"],
    "/indicators": ["/indicators"],
    "/provinces/:name/indicators": ["/provinces/Limburg/indicators"],
    "/regiegebieden/:id/indicators": ["/regiegebieden/%s/indicators" % RG],
    "/agreements/:id/indicators": ["/agreements/%s/indicators" % AG],
    "/annex": ["/annex", "/annex?" + D],
    "/static/:name": ["/static/somon.css"],
    "/healthz": ["/healthz"],
    "/robots.txt": ["/robots.txt"],
    "/api/v1/coverage": ["/api/v1/coverage?" + D + "&prognosis=2024-12-31", "/api/v1/coverage?date=2025-06-30"],
    "/api/v1/agreements": ["/api/v1/agreements"],
    "/api/v1/agreements/:id": ["/api/v1/agreements/" + AG],
    "/api/v1/municipalities": ["/api/v1/municipalities"],
    "/api/v1/municipalities/:nis": ["/api/v1/municipalities/" + NIS],
    "/api/v1/regiegebieden": ["/api/v1/regiegebieden"],
    "/api/v1/indicators": ["/api/v1/indicators"],
    "/api/v1/openapi.json": ["/api/v1/openapi.json"],
}
# downloads of the pages (not routes of their own, but the issue names them)
DOWNLOADS = ["/agreements?format=csv", "/agreements?format=xlsx", "/municipalities?format=xlsx",
             "/alerts?format=xlsx", "/actions?format=csv", "/governance?format=xlsx", "/annex?format=csv",
             "/answer?" + D + "&prognosis=2024-12-31&format=docx", "/concluded?format=xlsx",
             "/api/v1/coverage?date=2024-06-30&format=csv"]


def die(msg):
    print("bench/routes.py: " + msg, file=sys.stderr)
    sys.exit(1)


def get_routes():
    text = open(os.path.join(REPO, "src", "route.c"), encoding="utf-8").read()
    return re.findall(r'\{"GET", "([^"]+)", (\w+), (PERM_\w+)', text)


def run(somon, db, *args, stdin=None):
    r = subprocess.run([somon, "--db", db, *args], input=stdin, capture_output=True, text=True, cwd=REPO,
                       env=dict(os.environ, LANGUAGE="en"))
    if r.returncode != 0:
        die("%s %s failed (%d): %s" % (os.path.basename(somon), " ".join(args), r.returncode, r.stderr[-2000:]))
    return r


def extras(map_dir):
    """A few hundred cooperations and outreach entries over the map's first municipalities."""
    codes = []
    with open(os.path.join(map_dir, "municipalities.csv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            nis, _, _, _, _, valid_from, valid_to = line.rstrip("\n").split(",")
            if valid_from <= "2019-01-01" and (not valid_to or valid_to >= "2024-12-31"):
                codes.append(nis)
            if len(codes) == 300:
                break
    kinds = ["jobbeurs", "zitdag", "wijk_werken", "digibank"]
    coops = [{"id": "CO-BENCH-%04d" % (i + 1), "municipality": nis, "kind": kinds[i % 4],
              "title": "Synthetische samenwerking %d" % (i + 1), "from": "2021-01-01",
              "until": None if i % 3 else "2023-12-31", "notes": None} for i, nis in enumerate(codes)]
    stages = ["no_contact", "exploring", "negotiating", "declined"]
    outreach = [{"municipality": nis, "on": "2022-%02d-01" % (1 + i % 12), "stage": stages[i % 4], "note": None}
                for i, nis in enumerate(codes)]
    return {"format": "somon/1", "cooperations": coops, "outreach": outreach}


def build_register(somon, map_dir, rows):
    os.makedirs(OUT, exist_ok=True)
    # an older register (an older schema) is upgraded in place by the first binary's init

    db = os.path.join(OUT, "register.db")
    agreements = os.path.join(map_dir, "agreements.json")
    if not os.path.exists(agreements):
        die("no %s; run `make bench` (bench/run.sh) first" % agreements)
    key = "%s %d %s %s" % (os.path.abspath(map_dir), rows, os.path.getmtime(agreements),
                          os.path.getmtime(os.path.join(REPO, "bench", "gen_indicators.py")))
    stamp = os.path.join(OUT, "register.key")
    if os.path.exists(db) and os.path.exists(stamp) and open(stamp).read() == key:
        run(somon, db, "init", "--reference", map_dir)
        return db
    for f in (db, db + "-wal", db + "-shm", stamp):
        if os.path.exists(f):
            os.remove(f)
    t0 = time.time()
    run(somon, db, "init", "--reference", map_dir)
    run(somon, db, "import", agreements)
    csv_path = os.path.join(OUT, "indicators.csv")
    subprocess.run(["python3", os.path.join(REPO, "bench", "gen_indicators.py"), csv_path, "--rows", str(rows),
                    "--data", map_dir], check=True, cwd=REPO)
    run(somon, db, "import", "indicator-definitions", os.path.join(REPO, "data", "indicators.csv"))
    run(somon, db, "import", "indicators", csv_path)
    ex = os.path.join(OUT, "extras.json")
    with open(ex, "w", encoding="utf-8") as f:
        json.dump(extras(map_dir), f)
    run(somon, db, "import", ex)
    run(somon, db, "publish", "--date", "2024-06-30", "--prognosis", "2024-12-31", "--question",
        "Synthetische vraag voor de benchmark")
    run(somon, db, "user", "add", "bench", "--role", "admin", stdin=PASSWORD + "\n")
    with open(stamp, "w") as f:
        f.write(key)
    print("register built in %.1f s: %s" % (time.time() - t0, db), file=sys.stderr)
    return db


def warmed_up(err_path, timeout=120):
    """Seconds until the server says it has loaded the current version in the
    background (the register view and the indicator values), or None."""
    t0 = time.time()
    while time.time() - t0 < timeout:
        if "spreadsheet template of change" in open(err_path, encoding="utf-8", errors="replace").read():
            return time.time() - t0
        time.sleep(0.05)
    return None


def start(somon, db, threads, folder):
    err_path = os.path.join(folder, "server.err")
    args = [somon, "--db", db, "serve", "--listen", "127.0.0.1:0"]
    if threads:
        args += ["--threads", str(threads)]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=open(err_path, "wb"), cwd=REPO)
    for _ in range(600):
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", open(err_path, encoding="utf-8", errors="replace").read())
        if m:
            return proc, int(m.group(1))
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    die("%s did not start: %s" % (somon, open(err_path).read()[-2000:]))


def memory(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                out[k] = int(v.split()[0]) / 1024.0
    return out


def timed(client, url):
    t = time.perf_counter()
    r = client.get(url)
    return (time.perf_counter() - t) * 1000.0, r


def measure(somon, register, routes, repeat, threads):
    folder = tempfile.mkdtemp(prefix="somon-routes-")
    try:
        db = os.path.join(folder, "register.db")
        shutil.copy(register, db)
        proc, port = start(somon, db, threads, folder)
        warm = warmed_up(os.path.join(folder, "server.err"))
        try:
            reader = Client(port=port, timeout=120)
            admin = Client(port=port, timeout=120)
            if admin.login("bench", PASSWORD).status != 303:
                die("could not sign in as bench")
            rows = []
            urls = [(pat, perm, u) for pat, _, perm in routes for u in SAMPLES[pat]] + \
                [("(download)", "PERM_PUBLIC", u) for u in DOWNLOADS]
            for pat, perm, url in urls:
                client = reader if perm == "PERM_PUBLIC" else admin
                first, r = timed(client, url)
                again = [timed(client, url)[0] for _ in range(repeat)]
                body = r.body
                rows.append((pat, url, r.status, len(body), first, statistics.median(again),
                             hashlib.md5(body).hexdigest()[:8]))
            return rows, memory(proc.pid), warm
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main():
    global OUT
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--map", default=os.path.join(REPO, "bench", "out", "map"))
    ap.add_argument("--indicator-rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--out", help="where the register is built and kept (default bench/out/routes)")
    ap.add_argument("somon", nargs="*", default=[os.path.join(REPO, "build", "somon")])
    a = ap.parse_args()
    OUT = a.out or OUT
    routes = get_routes()
    missing = [p for p, _, _ in routes if p not in SAMPLES]
    if missing:
        die("no sample URL for GET %s; add one to SAMPLES" % ", ".join(missing))
    register = build_register(a.somon[0], a.map, a.indicator_rows)
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO).stdout.strip()
    print("# routes on %s (git %s, %s, %d CPUs)" % (os.path.relpath(register, REPO), rev,
                                                  time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.cpu_count()))
    for somon in a.somon:
        rows, mem, warm = measure(somon, register, routes, a.repeat, a.threads)
        print("\n## %s\n" % somon)
        print("background load after start: %s\n" % ("%.2f s" % warm if warm is not None else "not seen"))
        print("| route | URL | status | bytes | first ms | repeat ms | body |")
        print("|---|---|---:|---:|---:|---:|---|")
        for pat, url, status, size, first, again, digest in rows:
            print("| `%s` | `%s` | %d | %d | %.1f | %.1f | %s |" % (pat, url, status, size, first, again, digest))
        slow_first = sorted((r for r in rows if r[4] >= 100), key=lambda r: -r[4])
        slow_again = sorted((r for r in rows if r[5] >= 5), key=lambda r: -r[5])
        bad = [r for r in rows if r[2] != 200]
        print("\n%d URLs; first request over 100 ms: %d%s" % (len(rows), len(slow_first), "".join(
            "\n  %.0f ms %s" % (r[4], r[1]) for r in slow_first)))
        print("repeat over 5 ms: %d%s" % (len(slow_again), "".join("\n  %.1f ms %s" % (r[5], r[1]) for r in slow_again)))
        print("not 200: %d%s" % (len(bad), "".join("\n  %d %s" % (r[2], r[1]) for r in bad)))
        print("server memory at the end: VmRSS %.1f MiB, VmHWM %.1f MiB" % (mem.get("VmRSS", 0), mem.get("VmHWM", 0)))
        print("targets: first < 100 ms %s; repeat < 5 ms %s" % ("OK" if not slow_first else "MISSED",
                                                                "OK" if not slow_again else "MISSED"))


if __name__ == "__main__":
    main()
