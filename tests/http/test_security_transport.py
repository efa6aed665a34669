#!/usr/bin/python3
"""The HTTP transport under attack (issue 8, items 4, 5 and the transport part of 6).

Request limits: a bounded number of query parameters (a clear 400, never a
hang in the library), a deadline for a whole request (headers and body), and
dates in requests between 1983-01-01 and 2100-12-31.
Framing (RFC 9112 §6.3 and §3.2): duplicate or conflicting Content-Length /
Transfer-Encoding, a missing or repeated Host, folded header lines, a NUL in a
header value and other repeated single-valued headers are answered 400 and the
connection is closed: the bytes after them are never read as a second request.
serve --trusted-proxy: X-Forwarded-For counts only from that peer, and only
its right-most address.

Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_PORT, SOMON_ACCESS_LOG,
SOMON_TMP); the --trusted-proxy tests start a server of their own on a copy
of the database. Standard library only; run with /usr/bin/python3.
"""

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import somon_http  # noqa: E402
from somon_http import ACCESS_LOG, DB, PORT, SOMON, Server, hostile, read_to_close  # noqa: E402

HOST = "127.0.0.1"

# src/http.c: REQUEST_SECONDS (a whole request) and src/web.h: WEB_MAX_PARAMS.
REQUEST_SECONDS = 30
MAX_PARAMS = 64


class Exchange:
    """The responses read from one connection and whether the server closed it."""

    def __init__(self, responses, closed, data, seconds):
        self.responses, self.closed, self.data, self.seconds = responses, closed, data, seconds

    @property
    def status(self):
        return self.responses[0]["status"] if self.responses else None

    @property
    def body(self):
        return self.responses[0]["body"] if self.responses else b""

    def header(self, name):
        return self.responses[0]["headers"].get(name.lower()) if self.responses else None


def parse_responses(data):
    out = []
    while True:
        end = data.find(b"\r\n\r\n")
        if end < 0:
            return out, data
        lines = data[:end].decode("latin-1").split("\r\n")
        m = re.match(r"HTTP/\d\.\d (\d{3})", lines[0])
        if not m:
            raise AssertionError("not a status line: %r" % lines[0])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        if len(data) < end + 4 + length:
            return out, data
        out.append({"status": int(m.group(1)), "headers": headers, "body": data[end + 4:end + 4 + length]})
        data = data[end + 4 + length:]


def exchange(data, timeout=10, port=None, source=None):
    """Sends these bytes on a new connection and reads until the server closes it (or timeout)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    if source:
        s.bind((source, 0))
    s.connect((HOST, port or PORT))
    t0, got, closed = time.time(), b"", False
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                closed = True
                break
            got += chunk
    except socket.timeout:
        pass
    finally:
        s.close()
    responses, _ = parse_responses(got)
    return Exchange(responses, closed, got, time.time() - t0)


def get(target, port=None, extra=b"", source=None, timeout=60):
    data = b"GET " + target.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + b"Connection: close\r\n\r\n"
    return exchange(data, timeout=timeout, port=port, source=source)


def healthy(port=None):
    return get("/healthz", port=port, timeout=10).status == 200


def rreq(head, body=b"", host=b"Host: 127.0.0.1\r\n", target=b"/login", method=b"POST"):
    return method + b" " + target + b" HTTP/1.1\r\n" + host + head + b"\r\n" + body


# ---- item 4: request limits ---------------------------------------------------

class ParameterLimitTests(unittest.TestCase):
    def assert_too_many(self, target, api=False):
        r = get(target, timeout=15)
        self.assertEqual(r.status, 400, "%s...: %s after %.1f s" % (target[:60], r.status, r.seconds))
        self.assertLess(r.seconds, 5, target[:60])
        if api:
            self.assertEqual(r.header("content-type"), "application/json")
            err = json.loads(r.body)["error"]
            self.assertEqual(err["code"], "too_many_parameters")
            self.assertIn(str(MAX_PARAMS), err["message"])
        else:
            self.assertIn("text/html", r.header("content-type"))
            self.assertIn("te veel parameters", r.body.decode())
            self.assertIn(str(MAX_PARAMS), r.body.decode())

    def test_many_parameters_are_a_clear_400(self):
        for n in (MAX_PARAMS + 1, 100, 500, 1000, 2000):  # within WEB_MAX_TARGET (4096 bytes)
            with self.subTest(n=n):
                hostile()
                self.assert_too_many("/?" + "&".join(("a%d=1" % i if n <= 500 else "a") for i in range(n)))
                hostile()
                self.assert_too_many("/api/v1/agreements?" + "&".join(("p%d=" % i if n <= 500 else "p")
                                                                       for i in range(n)), api=True)
        for sep in ("&", ";"):  # bare separators and names without values count too
            hostile()
            self.assert_too_many("/agreements?" + sep.join("x" for _ in range(1500)))
        hostile()
        self.assert_too_many("/?" + "&" * 3000 + "&".join("b" for _ in range(MAX_PARAMS + 1)))
        self.assertTrue(healthy())

    def test_many_parameters_in_parallel_leave_the_server_whole(self):
        target = "/?" + "&".join("a%d=1" % i for i in range(600))
        threads = [threading.Thread(target=lambda: get(target, timeout=15)) for _ in range(20)]
        hostile(len(threads))
        t0 = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertLess(time.time() - t0, 10)
        self.assertTrue(healthy())

    def test_up_to_the_limit_is_fine(self):
        r = get("/agreements?" + "&".join("q=" for _ in range(MAX_PARAMS)))
        self.assertEqual(r.status, 200)


class DateRangeTests(unittest.TestCase):
    OUT = ["9999-12-31", "2101-01-01", "1982-12-31", "1900-01-01", "01/01/2101", "31/12/1982"]
    IN = ["1983-01-01", "2100-12-31", "31/12/2100"]

    def assert_refused(self, target, api=False):
        hostile()
        r = get(target, timeout=30)
        self.assertEqual(r.status, 400, "%s: %s" % (target, r.status))
        self.assertLess(r.seconds, 5, target)
        text = r.body.decode()
        self.assertIn("1983", text, target)
        self.assertIn("2100", text, target)
        if api:
            self.assertEqual(json.loads(text)["error"]["code"], "date_out_of_range")
        else:
            self.assertIn("ligt buiten", text, target)

    def test_governance_far_future_is_refused_fast(self):
        for fmt in ("", "&format=csv", "&format=xlsx"):
            self.assert_refused("/governance?date=9999-12-31" + fmt)

    def test_every_date_parameter_is_checked(self):
        pages = [("/", "date"), ("/", "prognosis"), ("/governance", "date"), ("/annex", "date"),
                 ("/agreements", "from"), ("/agreements", "to"), ("/history", "from"), ("/history", "to"),
                 ("/alerts", "date"), ("/municipalities", "date"), ("/regiegebieden", "date")]
        for path, name in pages:
            for v in self.OUT:
                with self.subTest(path=path, name=name, value=v):
                    self.assert_refused("%s?%s=%s" % (path, name, v))
        for v in self.OUT[:3]:
            self.assert_refused("/api/v1/coverage?date=%s" % v, api=True)
            self.assert_refused("/api/v1/coverage?date=2023-06-30&prognosis=%s" % v, api=True)

    def test_as_known_at_is_checked(self):
        for v in ("1970-01-01T00:00:00", "2101-01-01T00:00:00Z", "9999-12-31T23:59:59%2B14:00"):
            with self.subTest(value=v):
                self.assert_refused("/?as_known_at=" + v)
                self.assert_refused("/history?as_known_at=" + v)
                self.assert_refused("/api/v1/coverage?date=2023-06-30&as_known_at=" + v, api=True)

    def test_the_edges_are_accepted(self):
        for v in self.IN:
            with self.subTest(value=v):
                self.assertEqual(get("/?date=" + v).status, 200)
                self.assertEqual(get("/governance?date=" + v).status, 200)
        self.assertEqual(get("/?as_known_at=2100-12-31T23:00:00").status, 200)


class RequestDeadlineTests(unittest.TestCase):
    def legit_slow_user(self, out):
        """A kept-alive connection idle for 12 s, then a form whose 10-byte body takes 20 s: the deadline
        counts from the request line, not from the idle connection, so this one is answered."""
        s = socket.create_connection((HOST, PORT), timeout=30)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        first = s.recv(65536)
        time.sleep(12)
        s.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                  b"Content-Length: 10\r\nConnection: close\r\n\r\n")
        for c in b"a=bcdefghi":
            time.sleep(2.0)
            s.sendall(bytes([c]))
        got = read_to_close(s)
        s.close()
        out.extend([first, got])

    def test_slow_body_is_cut_at_the_deadline(self):
        """A POST whose body trickles in a byte every 2 s is closed once the whole request has taken
        REQUEST_SECONDS, however steadily the bytes come."""
        legit = []
        user = threading.Thread(target=self.legit_slow_user, args=(legit,))
        user.start()
        hostile()
        s = socket.create_connection((HOST, PORT), timeout=5)
        s.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                  b"Content-Length: 1000\r\n\r\n")
        t0, closed = time.time(), False
        while time.time() - t0 < REQUEST_SECONDS + 15:
            try:
                s.sendall(b"a")
                s.settimeout(2)
                if s.recv(65536) == b"":
                    closed = True
                    break
            except socket.timeout:
                continue
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
        s.close()
        self.assertTrue(closed, "the connection was still open after %.0f s" % (time.time() - t0))
        self.assertLess(time.time() - t0, REQUEST_SECONDS + 5)
        self.assertTrue(healthy())
        user.join()
        self.assertTrue(legit and legit[0].startswith(b"HTTP/1.1 200"), legit)
        self.assertTrue(legit[1].startswith(b"HTTP/1.1 403"), legit)  # the CSRF check: past the transport

    def test_announced_body_beyond_a_form_is_refused_at_once(self):
        """Content-Length above FORM_MAX_BYTES (1 MiB): 413 before a byte of the body is read, and closed."""
        for length in (1048577, 10 ** 9, 10 ** 15):
            with self.subTest(length=length):
                hostile()
                r = exchange(rreq(FORM + b"Content-Length: %d\r\n" % length, b"a=b"), timeout=10)
                self.assertEqual(r.status, 413)
                self.assertTrue(r.closed)
                self.assertLess(r.seconds, 5)
                self.assertEqual(r.header("connection"), "close")

    def test_normal_posts_are_untouched(self):
        body = b"login=x&password=y&login_token=z"
        r = exchange(rreq(b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n"
                          b"Connection: close\r\n" % len(body), body))
        self.assertEqual(r.status, 403)  # no login cookie: refused by the CSRF check, not by the transport


# ---- item 5: framing ------------------------------------------------------------

SMUGGLED = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
FORM = b"Content-Type: application/x-www-form-urlencoded\r\n"
FRAMING = {
    "two different Content-Length": rreq(FORM + b"Content-Length: 5\r\nContent-Length: %d\r\n" % (5 + len(SMUGGLED)),
                                         b"a=b&c" + SMUGGLED),
    "two equal Content-Length": rreq(FORM + b"Content-Length: 5\r\nContent-Length: 5\r\n", b"a=b&c" + SMUGGLED),
    "Content-Length then Transfer-Encoding": rreq(FORM + b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
                                                  b"0\r\n\r\n" + SMUGGLED),
    "Transfer-Encoding then Content-Length": rreq(FORM + b"Transfer-Encoding: chunked\r\nContent-Length: 40\r\n",
                                                  b"5\r\na=b&c\r\n0\r\n\r\n" + SMUGGLED),
    "Transfer-Encoding gzip": rreq(FORM + b"Transfer-Encoding: gzip\r\n", b"abc" + SMUGGLED),
    "Transfer-Encoding chunked twice": rreq(FORM + b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                                            b"0\r\n\r\n" + SMUGGLED),
    "Transfer-Encoding chunked, identity": rreq(FORM + b"Transfer-Encoding: chunked, identity\r\n",
                                                b"0\r\n\r\n" + SMUGGLED),
    "no Host": rreq(b"", host=b"", target=b"/healthz", method=b"GET") + SMUGGLED,
    "two Host": rreq(b"Host: evil.example\r\n", target=b"/healthz", method=b"GET") + SMUGGLED,
    "empty and full Host": rreq(b"Host:\r\n", target=b"/healthz", method=b"GET") + SMUGGLED,
    "folded header": rreq(b"X-Note: a\r\n folded\r\n", target=b"/healthz", method=b"GET") + SMUGGLED,
    "folded with a tab": rreq(b"User-Agent: a\r\n\tb\r\n", target=b"/healthz", method=b"GET") + SMUGGLED,
    "folded Host": rreq(b"", host=b"Host: 127.0.0.1\r\n x\r\n", target=b"/healthz", method=b"GET") + SMUGGLED,
    "NUL in a value": rreq(b"X-Note: a\x00b\r\n", target=b"/healthz", method=b"GET") + SMUGGLED,
    "NUL in Host": rreq(b"", host=b"Host: 127.0.0.1\x00evil\r\n", target=b"/healthz", method=b"GET") + SMUGGLED,
    "NUL in Cookie": rreq(b"Cookie: somon_session=a\x00b\r\n", target=b"/healthz", method=b"GET") + SMUGGLED,
    "NUL in Content-Length": rreq(FORM + b"Content-Length: 5\x009\r\n", b"a=b&c" + SMUGGLED),
    "two Cookie": rreq(b"Cookie: a=1\r\nCookie: somon_session=x\r\n", target=b"/healthz", method=b"GET") + SMUGGLED,
    "two Content-Type": rreq(FORM + b"Content-Type: text/plain\r\nContent-Length: 3\r\n", b"a=b" + SMUGGLED),
}


class FramingTests(unittest.TestCase):
    def assert_400_and_closed(self, label, data, port=None):
        hostile()
        r = exchange(data, timeout=10, port=port)
        self.assertEqual(r.status, 400, "%s: %s (%r)" % (label, r.status, r.data[:200]))
        self.assertTrue(r.closed, "%s: the connection stayed open" % label)
        self.assertEqual(len(r.responses), 1, "%s: a second response, the rest was read as a request" % label)
        self.assertLess(r.seconds, 5, label)
        return r

    def test_each_is_400_and_closed(self):
        for label, data in FRAMING.items():
            if data is None:
                continue
            with self.subTest(label):
                r = self.assert_400_and_closed(label, data)
                self.assertEqual(r.header("connection"), "close", label)
        self.assertTrue(healthy())

    def test_the_answer_says_why(self):
        r = self.assert_400_and_closed("dup", FRAMING["two different Content-Length"])
        self.assertIn("Content-Length", r.body.decode())
        self.assertIn("nl", r.header("content-language") or "nl")
        api = rreq(b"Host: b\r\n", target=b"/api/v1/agreements", method=b"GET")
        r = self.assert_400_and_closed("api", api)
        self.assertEqual(json.loads(r.body)["error"]["code"], "bad_framing")
        self.assertIn("Host", json.loads(r.body)["error"]["message"])

    def test_after_a_good_request_on_the_same_connection(self):
        data = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + FRAMING["two different Content-Length"]
        hostile()
        r = exchange(data)
        self.assertEqual([x["status"] for x in r.responses], [200, 400])
        self.assertTrue(r.closed)

    def test_raw_space_or_control_in_the_target(self):
        for target in (b"/a b", b"/\t", b"/?q=a b", b"/agreements?q=\x7f"):
            with self.subTest(target=target):
                hostile()
                r = exchange(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                self.assertEqual(r.status, 400)
                self.assertIn("spatie", r.body.decode())

    def test_http10_without_host_is_fine(self):
        r = exchange(b"GET /healthz HTTP/1.0\r\n\r\n")
        self.assertEqual(r.status, 200)

    def test_good_keep_alive_still_works(self):
        data = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" * 2 + \
            b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        r = exchange(data)
        self.assertEqual([x["status"] for x in r.responses], [200, 200, 200])

    def test_chunked_alone_is_read_as_chunked(self):
        body = b"a=b"
        r = exchange(rreq(FORM + b"Transfer-Encoding: chunked\r\nConnection: close\r\n",
                          b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)))
        self.assertEqual(r.status, 403)  # the CSRF check, past the transport
        self.assertEqual(len(r.responses), 1)


# ---- item 6: serve --trusted-proxy -------------------------------------------------

def logged_host(out_path, marker):
    time.sleep(0.1)
    with open(out_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if marker in line:
                return line.split(" ", 1)[0]
    raise AssertionError("no access log line with %s" % marker)


class ProxyTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("proxy", options=["--trusted-proxy", "127.0.0.1", "--trusted-proxy", "::1"])
        cls.port, cls.out = cls.server.port, cls.server.out_path

    @classmethod
    def tearDownClass(cls):
        cls.server.stop_cleanly()

    def via(self, xff_lines, source="127.0.0.1", port=None):
        marker = "m%d%d" % (time.time_ns(), id(xff_lines))
        extra = b"".join(b"X-Forwarded-For: " + x.encode() + b"\r\n" for x in xff_lines)
        r = get("/healthz?" + marker, port=port or self.port, extra=extra, source=source)
        self.assertEqual(r.status, 200)
        return logged_host(self.out if not port else ACCESS_LOG, marker)

    def test_right_most_address_from_the_proxy(self):
        self.assertEqual(self.via(["203.0.113.7"]), "203.0.113.7")
        hostile()
        self.assertEqual(self.via(["6.6.6.6, 203.0.113.8"]), "203.0.113.8")
        self.assertEqual(self.via(["6.6.6.6,203.0.113.9"]), "203.0.113.9")
        hostile()
        self.assertEqual(self.via(["6.6.6.6", "203.0.113.10"]), "203.0.113.10")
        self.assertEqual(self.via(["2001:db8::7"]), "2001:db8::7")

    def test_other_peers_are_not_believed(self):
        for source in ("127.0.0.2", "127.0.0.3"):
            hostile()
            self.assertEqual(self.via(["203.0.113.20"], source=source), source)

    def test_without_the_option_nobody_is_believed(self):
        hostile()
        self.assertEqual(self.via(["203.0.113.21"], port=PORT), "127.0.0.1")

    def test_malformed_falls_back_to_the_peer(self):
        for bad in ("", "garbage", "203.0.113.300", "6.6.6.6, ", "6.6.6.6,,", "203.0.113.1 x", "[2001:db8::1]",
                    "203.0.113.1:443", "unknown", "1" * 200, "203.0.113.1/32", "::ffff:1.2.3.4.5", "0x7f.1"):
            with self.subTest(xff=bad):
                hostile()
                self.assertEqual(self.via([bad]), "127.0.0.1")

    def test_no_forwarded_for_is_the_peer(self):
        self.assertEqual(self.via([]), "127.0.0.1")


class ProxyOptionTests(unittest.TestCase):
    def test_usage_names_it(self):
        r = subprocess.run([SOMON, "--help"], capture_output=True, text=True)
        self.assertIn("--trusted-proxy ADDR", r.stdout + r.stderr)

    def test_bad_address_is_a_usage_error(self):
        for bad in ("nonsense", "10.0.0.0/8", "", "1.2.3.4:80"):
            with self.subTest(bad=bad):
                hostile()
                r = subprocess.run([SOMON, "--db", DB, "serve", "--listen", "127.0.0.1:0", "--trusted-proxy", bad],
                                   capture_output=True, text=True, timeout=30)
                self.assertEqual(r.returncode, 64, r.stderr)
                self.assertIn("--trusted-proxy", r.stderr)


if __name__ == "__main__":
    somon_http.require_env("test_security_transport.py", "SOMON", "SOMON_DB", "SOMON_PORT", "SOMON_TMP")
    result = unittest.main(exit=False, verbosity=1).result
    passed, failed = somon_http.unittest_counts(result)
    print("transport: %d hostile requests sent" % somon_http.hostile_count())
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)
