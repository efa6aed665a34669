#!/usr/bin/python3
"""Concurrency attacks against a fresh server of its own (issue 8).

Run by tests/http/run.sh: under make http with build/asan/somon, under make
tsan with build/tsan/somon, whose ThreadSanitizer reports any data race on
the server's standard error. Each case starts a new server on a copy of the
database, because the races it aims at happen once in a server's life (a
value computed on first use) or at its stop:
  - simultaneous failed logins under made-up names, the first of the
    server's life: each one verifies against the dummy password hash that
    equalises the time of unknown logins, which the first of them computes;
  - simultaneous requests for the same cached page and figures;
  - slow clients that the watchdog thread cuts off while the server stops.
Every answer must be a proper one (no 5xx, no dropped connection), the
server must stop with status 0 on SIGTERM and its standard error must hold
no sanitizer report. Environment: SOMON, SOMON_DB, SOMON_TMP (run.sh).
"""
import http.client
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_accounts import form_fields  # noqa: E402  (the HTML form reader)

SOMON = os.environ.get("SOMON", "")
DB = os.environ.get("SOMON_DB", "")
TMP = os.environ.get("SOMON_TMP", "")
SANITIZER = re.compile(r"ERROR: (Address|Leak)Sanitizer|runtime error:|(SUMMARY|WARNING|FATAL): \w*Sanitizer|"
                       r"ThreadSanitizer: (data race|reported)")
ATTACKS = 0  # hostile requests sent


class Server:
    """somon serve on a copy of the test database, on a free port."""

    def __init__(self, name):
        self.db = os.path.join(TMP, "races-%s.db" % name)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(self.db + suffix):
                os.remove(self.db + suffix)
        src = sqlite3.connect(DB)
        dst = sqlite3.connect(self.db)
        src.backup(dst)
        dst.close()
        src.close()
        self.err_path = os.path.join(TMP, "races-%s.err" % name)
        self.err = open(self.err_path, "w")
        self.proc = subprocess.Popen([SOMON, "--db", self.db, "serve", "--listen", "127.0.0.1:0"],
                                     stdout=subprocess.DEVNULL, stderr=self.err)
        self.port = None
        for _ in range(600):
            with open(self.err_path, encoding="utf-8", errors="replace") as f:
                m = re.search(r"^somon: listening on http://127\.0\.0\.1:(\d+)$", f.read(), re.M)
            if m:
                self.port = int(m.group(1))
                break
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        assert self.port, "the server did not start: " + self.stderr()

    def stderr(self):
        with open(self.err_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stop(self):
        """SIGTERM; returns the exit status and the standard error."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.err.close()
        return self.proc.returncode, self.stderr()


def request(port, method, url, body=None, headers=None, address="127.0.0.1"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120, source_address=(address, 0))
    conn.request(method, url, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    cookies = [v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie"]
    conn.close()
    return r.status, data, cookies


def together(n, work):
    """Runs work(i) in n threads released at the same moment; their results."""
    start = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            start.wait()
            results[i] = work(i)
        except Exception as e:  # noqa: BLE001  (reported by the caller)
            results[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


class RaceTests(unittest.TestCase):
    def stopped_cleanly(self, server):
        status, err = server.stop()
        self.assertNotRegex(err, SANITIZER, "a sanitizer report:\n" + err[:6000])
        self.assertEqual(status, 0, "exit status after SIGTERM; standard error:\n" + err[-3000:])

    def test_first_failed_logins_at_once(self):
        """Made-up logins at the same moment, the first failed logins of the server."""
        global ATTACKS
        server = Server("logins")
        try:
            n = 4
            # each client from its own loopback address, so that no throttle waits
            forms = []
            for i in range(n):
                address = "127.0.%d.%d" % (77, 10 + i)
                status, page, cookies = request(server.port, "GET", "/login", address=address)
                self.assertEqual(status, 200)
                fields = dict(form_fields(page.decode("utf-8"), "/login"))
                fields.update(login="niemand-%d" % i, password="geen wachtwoord %d" % i)
                forms.append((address, urllib.parse.urlencode(fields).encode(), "; ".join(cookies)))

            def post(i):
                address, body, cookie = forms[i]
                return request(server.port, "POST", "/login", body,
                               {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}, address)[0]

            results = together(n, post)
            ATTACKS += n
            for r in results:
                self.assertEqual(r, 403, "a failed login answers 403: %r" % (r,))
        finally:
            self.stopped_cleanly(server)

    def test_same_pages_at_once(self):
        """The same pages and figures from many clients at once (the caches)."""
        global ATTACKS
        server = Server("pages")
        try:
            urls = ["/", "/?date=2023-06-30", "/agreements", "/municipalities", "/annex?date=2023-06-30",
                    "/api/v1/coverage?date=2023-06-30", "/history", "/alerts", "/static/somon.css"]
            n = 8

            def fetch(i):
                return [request(server.port, "GET", u)[0] for u in urls[i % 3:] + urls[:i % 3]]

            for results in (together(n, fetch), together(n, fetch)):
                ATTACKS += n * len(urls)
                for r in results:
                    self.assertIsInstance(r, list, "a request failed: %r" % (r,))
                    self.assertTrue(all(s < 500 for s in r), r)
        finally:
            self.stopped_cleanly(server)

    def test_slow_clients_while_stopping(self):
        """Clients that send half a request and wait, while the server stops."""
        global ATTACKS
        server = Server("slow")
        socks = []
        try:
            for i in range(4):
                s = socket.create_connection(("127.0.0.1", server.port), timeout=30)
                s.sendall(b"GET /agreements HTTP/1.1\r\nHost: x\r\n")  # never finished
                socks.append(s)
                ATTACKS += 1
            status, _, _ = request(server.port, "GET", "/agreements")
            self.assertEqual(status, 200)
            time.sleep(1.5)  # the watchdog looks once a second
        finally:
            self.stopped_cleanly(server)
            for s in socks:
                s.close()


if __name__ == "__main__":
    if not (SOMON and DB and TMP):
        sys.exit("set SOMON, SOMON_DB and SOMON_TMP (tests/http/run.sh does)")
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print("%d passed, %d failed (%d hostile requests)" % (result.testsRun - failed, failed, ATTACKS))
    sys.exit(1 if failed else 0)
