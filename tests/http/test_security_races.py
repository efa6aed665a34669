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
import os
import socket
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import somon_http  # noqa: E402
from somon_http import DB, SANITIZER, SOMON, TMP, Client, Server, form_fields, hostile  # noqa: E402


def races_server(name):
    """somon serve on a copy of the test database, on a free port."""
    return Server("races-" + name)


def request(port, method, url):
    """A request without cookies; its status."""
    return Client(port=port, timeout=120).request(method, url).status


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
        status = server.stop()
        err = server.stderr()
        self.assertNotRegex(err, SANITIZER, "a sanitizer report:\n" + err[:6000])
        self.assertEqual(status, 0, "exit status after SIGTERM; standard error:\n" + err[-3000:])

    def test_first_failed_logins_at_once(self):
        """Made-up logins at the same moment, the first failed logins of the server."""
        server = races_server("logins")
        try:
            n = 4
            # each client from its own loopback address, so that no throttle waits
            forms = []
            for i in range(n):
                client = Client("127.0.%d.%d" % (77, 10 + i), server.port, timeout=120)
                page = client.get("/login")
                self.assertEqual(page.status, 200)
                fields = dict(form_fields(page.text(), "/login"))
                fields.update(login="niemand-%d" % i, password="geen wachtwoord %d" % i)
                forms.append((client, fields))

            def post(i):
                client, fields = forms[i]
                return client.post("/login", fields).status

            results = together(n, post)
            hostile(n)
            for r in results:
                self.assertEqual(r, 403, "a failed login answers 403: %r" % (r,))
        finally:
            self.stopped_cleanly(server)

    def test_same_pages_at_once(self):
        """The same pages and figures from many clients at once (the caches)."""
        server = races_server("pages")
        try:
            urls = ["/", "/?date=2023-06-30", "/agreements", "/municipalities", "/annex?date=2023-06-30",
                    "/api/v1/coverage?date=2023-06-30", "/history", "/alerts", "/static/somon.css"]
            n = 8

            def fetch(i):
                return [request(server.port, "GET", u) for u in urls[i % 3:] + urls[:i % 3]]

            for results in (together(n, fetch), together(n, fetch)):
                hostile(n * len(urls))
                for r in results:
                    self.assertIsInstance(r, list, "a request failed: %r" % (r,))
                    self.assertTrue(all(s < 500 for s in r), r)
        finally:
            self.stopped_cleanly(server)

    def test_slow_clients_while_stopping(self):
        """Clients that send half a request and wait, while the server stops."""
        server = races_server("slow")
        socks = []
        try:
            for i in range(4):
                s = socket.create_connection(("127.0.0.1", server.port), timeout=30)
                s.sendall(b"GET /agreements HTTP/1.1\r\nHost: x\r\n")  # never finished
                socks.append(s)
                hostile()
            status = request(server.port, "GET", "/agreements")
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
    passed, failed = somon_http.unittest_counts(result)
    print("%d passed, %d failed (%d hostile requests)" % (passed, failed, somon_http.hostile_count()))
    sys.exit(1 if failed else 0)
