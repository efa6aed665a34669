#!/usr/bin/python3
"""What the slowest routes cannot go below (issue 12): the floors beside somon's times.

usage: bench/floors.py [--db FILE] [--repeat K] SOMON [URL ...]

bench/routes.py names the URLs of the large register whose first request takes
over 100 ms or whose repeat takes over 5 ms. Two things no server can skip set
a floor under those times, and this script measures both on the same bodies:

- a repeat sends the body and the client reads it: nginx (Debian's, started
  here as our child, sendfile on) serves each body as a static file to the same
  Python client bench/routes.py uses; the median of K fetches is printed beside
  somon's median repeat (the body from somon's response cache);
- an XLSX or DOCX is deflated: zlib (the library libxlsxwriter and libzip call)
  compresses the uncompressed parts of each document at the level its writer
  uses (libxlsxwriter: zlib's default, 6, fixed; somon's DOCX: 1, the fastest),
  best CPU time of three, printed beside somon's first request.

Serves a copy of the register (default bench/out/routes/register.db, made by
bench/routes.py; never written) as a reader who is not signed in, so that the
repeats come from the response cache as in bench/routes.py. Standard library
and Debian's nginx only; figures, not a gate.
"""
import argparse
import io
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "http"))
sys.path.insert(0, os.path.join(REPO, "bench"))
from somon_http import Client  # noqa: E402
import routes  # noqa: E402

# The URLs over a target in bench/README.md's table (first > 100 ms or repeat > 5 ms).
SLOW = ["/answer?date=2024-06-30&prognosis=2024-12-31&format=docx", "/municipalities?format=xlsx",
        "/agreements?format=xlsx", "/alerts?format=xlsx", "/answer?date=2024-06-30&prognosis=2024-12-31",
        "/answer", "/organisations/VDAB/meetings.ics", "/api/v1/agreements", "/api/v1/municipalities"]
LEVELS = {"xlsx": 6, "docx": 1}
NGINX_CONF = """daemon off;
master_process on;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  default_type application/octet-stream;
  client_body_temp_path {d}/tmp/body;
  proxy_temp_path {d}/tmp/proxy;
  fastcgi_temp_path {d}/tmp/fastcgi;
  uwsgi_temp_path {d}/tmp/uwsgi;
  scgi_temp_path {d}/tmp/scgi;
  server {{ listen 127.0.0.1:{port}; root {d}/html; }}
}}
"""


def timed_get(client, url):
    t0 = time.perf_counter()
    r = client.get(url)
    return r, (time.perf_counter() - t0) * 1000


def deflate_ms(body, level):
    """The best of three CPU times of zlib over the document's parts, in ms."""
    parts = zipfile.ZipFile(io.BytesIO(body))
    xml = [parts.read(n) for n in parts.namelist()]
    best = None
    for _ in range(3):
        t0 = time.process_time()
        for x in xml:
            zlib.compress(x, level)
        t = (time.process_time() - t0) * 1000
        best = t if best is None else min(best, t)
    return best, sum(len(x) for x in xml)


def start_nginx(folder, bodies):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        sys.exit("bench/floors.py: needs Debian's nginx (apt-get install nginx-light)")
    for sub in ("html", "tmp"):
        os.makedirs(os.path.join(folder, sub), exist_ok=True)
    for d in (os.path.dirname(folder), folder):
        os.chmod(d, 0o755)  # nginx's workers run as nobody when we are root
    os.chmod(os.path.join(folder, "html"), 0o755)
    for name, body in bodies.items():
        path = os.path.join(folder, "html", name)
        with open(path, "wb") as f:
            f.write(body)
        os.chmod(path, 0o644)
    with socket.socket() as probe:  # a free port (nginx cannot be told to take any)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with open(os.path.join(folder, "nginx.conf"), "w") as f:
        f.write(NGINX_CONF.format(d=folder, port=port))
    proc = subprocess.Popen([nginx, "-p", folder + "/", "-c", os.path.join(folder, "nginx.conf"), "-e",
                             os.path.join(folder, "error.log")], stderr=subprocess.DEVNULL)
    client = Client(port=port, timeout=60)
    for _ in range(50):
        try:
            if client.get("/" + next(iter(bodies))).status == 200:
                return proc, client
        except OSError:
            pass
        time.sleep(0.1)
    proc.terminate()
    log = open(os.path.join(folder, "error.log")).read()[-500:]
    shutil.rmtree(os.path.dirname(folder), ignore_errors=True)
    sys.exit("bench/floors.py: nginx did not start:\n" + log)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=os.path.join(REPO, "bench", "out", "routes", "register.db"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("somon")
    ap.add_argument("urls", nargs="*")
    a = ap.parse_args()
    if not os.path.exists(a.db):
        sys.exit("bench/floors.py: no %s; make it with bench/routes.py (or give --db)" % a.db)
    urls = a.urls or SLOW
    folder = tempfile.mkdtemp(prefix="somon-floors-")
    db = os.path.join(folder, "register.db")
    shutil.copy(a.db, db)
    proc, port = routes.start(a.somon, db, 2, folder)
    rows, bodies = [], {}
    try:
        routes.warmed_up(os.path.join(folder, "server.err"))
        client = Client(port=port, timeout=300)
        for i, url in enumerate(urls):
            r, first = timed_get(client, url)
            repeats = [timed_get(client, url)[1] for _ in range(a.repeat)]
            kind = next((k for k in LEVELS if ("format=" + k) in url), None)
            rows.append((url, r.status, len(r.body), first, statistics.median(repeats), kind,
                         deflate_ms(r.body, LEVELS[kind]) if kind and r.status == 200 else None))
            bodies["body%d" % i] = r.body
    finally:
        proc.terminate()
        proc.wait(timeout=120)
    ngx, nclient = start_nginx(os.path.join(folder, "nginx"), bodies)
    try:
        static = []
        for i in range(len(rows)):
            nclient.get("/body%d" % i)  # into the page cache
            static.append(statistics.median(timed_get(nclient, "/body%d" % i)[1] for _ in range(a.repeat)))
    finally:
        ngx.terminate()
        ngx.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    print("# %s on a copy of %s; medians of %d repeats; zlib %s" % (a.somon, a.db, a.repeat, zlib.ZLIB_VERSION))
    print("| URL | status | bytes | first ms | deflate alone (level) | repeat ms | nginx, same bytes, ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for (url, status, size, first, repeat, kind, deflate), ngx_ms in zip(rows, static):
        z = "%.0f ms of %s bytes (%d)" % (deflate[0], format(deflate[1], ","), LEVELS[kind]) if deflate else ""
        print("| `%s` | %d | %s | %.0f | %s | %.1f | %.1f |" % (url, status, format(size, ","), first, z, repeat,
                                                              ngx_ms))


if __name__ == "__main__":
    main()
