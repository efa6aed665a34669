#!/usr/bin/python3
"""The transport keeps slow work off the connection threads (issue 12).

Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP). Each case starts a
server of its own (serve --threads 2: two connection threads, two render
threads) with the test-only switches of src/http.c, which only the test builds
(-DSOMON_TESTING) know:
  SOMON_TEST_HOLD=FILE        a request whose target holds "test_hold" waits on
                              its render thread while FILE exists (and says so
                              on standard error), until the server stops;
  SOMON_TEST_RENDER_QUEUE=N   at most N requests wait for a render thread.
The checks are functional, not timed: while a page is held on a render thread,
a cached page, a static file, a page for another client, HEAD and a POST with
its CSRF proof are answered; one client cannot take both render threads; a full
queue answers 503 with Retry-After; SIGTERM with requests held and queued
answers them and stops with status 0 and no sanitizer report.
"""
import os
import re
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import PASSWORD, TMP, Checks, Client, Server, form_fields, require_env, somon  # noqa: E402

require_env("test_transport.py", "SOMON", "SOMON_DB", "SOMON_TMP")
check = Checks()
HOLD = os.path.join(TMP, "transport.hold")


def server(name, queue=None):
    """A server of its own with the hold switch (and a short render queue)."""
    os.environ["SOMON_TEST_HOLD"] = HOLD
    if queue:
        os.environ["SOMON_TEST_RENDER_QUEUE"] = str(queue)
    try:
        return Server("transport-" + name, options=("--threads", "2"))
    finally:
        os.environ.pop("SOMON_TEST_RENDER_QUEUE", None)


class Pending:
    """A request sent from a thread of its own; .response once answered."""

    def __init__(self, port, url, address="127.0.0.1", method="GET"):
        self.response = self.error = None
        self.thread = threading.Thread(target=self._run, args=(port, url, address, method), daemon=True)
        self.thread.start()

    def _run(self, port, url, address, method):
        try:
            self.response = Client(address=address, port=port, timeout=120).request(method, url)
        except Exception as e:  # noqa: BLE001  (reported by the checks)
            self.error = e

    def wait(self, seconds=120):
        self.thread.join(seconds)
        return self.response

    def answered(self):
        return not self.thread.is_alive()


def wait_held(srv, count, seconds=60):
    """Until count requests say on standard error that they are held; whether they did."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if srv.stderr().count("test hold:") >= count:
            return True
        time.sleep(0.05)
    return False


def read_log(srv):
    with open(srv.out_path, encoding="utf-8") as f:
        return f.read()


def hold():
    open(HOLD, "w").close()


def release():
    if os.path.exists(HOLD):
        os.remove(HOLD)


def stop(srv, what):
    try:
        srv.stop_cleanly()
        check(what + ": the server stops cleanly (status 0, no sanitizer report)", True)
    except AssertionError as e:
        check(what + ": the server stops cleanly (status 0, no sanitizer report)", False, e)


def slow_does_not_hold_fast():
    srv = server("fast")
    try:
        c = Client(port=srv.port)
        warm = c.get("/")
        check("the overview answers", warm.status == 200, warm.status)
        hold()
        held = Pending(srv.port, "/agreements?test_hold=1")
        check("the held request waits on a render thread", wait_held(srv, 1), srv.stderr())
        again = c.get("/")
        check("a cached page is answered while a slow one is held", again.status == 200 and again.body == warm.body,
              again.status)
        css = c.get("/static/somon.css")
        check("a static file is answered while a slow one is held", css.status == 200, css.status)
        head = c.request("HEAD", "/")
        check("HEAD of a cached page: 200, its length, no body",
              head.status == 200 and head.body == b"" and head.header("Content-Length") == str(len(warm.body)),
              (head.status, head.header("Content-Length"), len(warm.body)))
        other = Client(address="127.0.0.2", port=srv.port).get("/agreements?x=other")
        check("another client's uncached page is rendered while the first is held", other.status == 200,
              other.status)
        # HEAD of an uncached page goes through a render thread too
        head = Client(address="127.0.0.2", port=srv.port).request("HEAD", "/agreements?x=head")
        full = Client(address="127.0.0.2", port=srv.port).get("/agreements?x=head")
        check("HEAD of a rendered page: 200, the length of its GET, no body",
              head.status == 200 and head.body == b"" and head.header("Content-Length") == str(len(full.body)),
              (head.status, head.header("Content-Length"), len(full.body)))
        # fairness: the held client's second slow request waits for its first; another client's does not
        mine = Pending(srv.port, "/agreements?x=mine")
        theirs = Client(address="127.0.0.3", port=srv.port).get("/agreements?x=theirs")
        check("a third client is rendered while the first holds a render thread", theirs.status == 200,
              theirs.status)
        time.sleep(0.5)
        check("the held client's second slow request waits for its first (one render thread per client)",
              not mine.answered(), mine.response and mine.response.status)
        check("the held request is still waiting", not held.answered())
        release()
        r = held.wait()
        check("the held request is answered once released", r is not None and r.status == 200,
              held.error or (r and r.status))
        r = mine.wait()
        check("the client's second request is answered after its first", r is not None and r.status == 200,
              mine.error or (r and r.status))
        # the line is written once the response is sent, which may be after the
        # client has read it; the log is flushed at least once a second
        line = '"GET /agreements?test_hold=1 HTTP/1.1" 200 '
        log = read_log(srv)
        for _ in range(30):
            if line in log:
                break
            time.sleep(0.1)
            log = read_log(srv)
        check("the access log has the held request with its status", line in log, log[-500:])
    finally:
        release()
        stop(srv, "slow and fast")


def post_with_csrf():
    srv = server("post")
    try:
        r = somon("user", "add", "transport", "--role", "viewer", db=srv.db, stdin=PASSWORD + "\n")
        check("an account is made", r.returncode == 0, r.stderr)
        c = Client(port=srv.port)
        r = c.post("/login", {"login": "transport", "password": PASSWORD})
        check("a POST without the login form's token is refused (403)", r.status == 403, r.status)
        r = c.login("transport")
        check("sign-in through the render threads (303)", r.status == 303, r.status)
        page = c.get("/agreements")
        check("a signed-in page is rendered for its account", page.status == 200 and "transport" in page.text(),
              page.status)
        fields = dict(form_fields(page.text(), "/logout"))
        r = c.post("/logout", {"csrf": "wrong"})
        check("a POST with a wrong CSRF token is refused (403)", r.status == 403, r.status)
        r = c.post("/logout", fields)
        check("a POST with the session's CSRF token is done (303)", r.status == 303, r.status)
    finally:
        stop(srv, "POST")


def full_queue():
    srv = server("queue", queue=1)
    try:
        hold()
        first = Pending(srv.port, "/agreements?test_hold=1")
        check("the first held request runs", wait_held(srv, 1), srv.stderr())
        second = Pending(srv.port, "/agreements?test_hold=2")
        time.sleep(0.5)  # queued behind the first: one render thread per client
        r = Client(port=srv.port).get("/agreements?x=third")
        check("a full render queue answers 503 at once", r.status == 503, r.status)
        check("the 503 says when to come back (Retry-After)", r.header("Retry-After") == "2", r.headers)
        cached = Client(port=srv.port).get("/static/somon.css")
        check("a cheap request is answered while the queue is full", cached.status == 200, cached.status)
        release()
        for name, p in (("first", first), ("second", second)):
            r = p.wait()
            check("the %s held request is answered once released" % name, r is not None and r.status == 200,
                  p.error or (r and r.status))
    finally:
        release()
        stop(srv, "full queue")


def shutdown_in_flight():
    srv = server("stop")
    try:
        hold()
        first = Pending(srv.port, "/agreements?test_hold=1")
        check("a request is held when SIGTERM comes", wait_held(srv, 1), srv.stderr())
        second = Pending(srv.port, "/agreements?test_hold=2")
        time.sleep(0.3)
        status = srv.stop(timeout=60)
        check("SIGTERM with requests in flight: exit status 0", status == 0, (status, srv.stderr()))
        check("the server says it stopped", "somon: stopped" in srv.stderr(), srv.stderr())
        for name, p in (("held", first), ("queued", second)):
            r = p.wait(30)
            check("the %s request got an answer (200 or 503), not a dropped connection" % name,
                  r is not None and r.status in (200, 503), p.error or (r and r.status))
    finally:
        release()
        stop(srv, "SIGTERM in flight")


def sign_ins_one_at_a_time():
    """A password check (Argon2id) takes 64 MiB while it runs: sign-ins at the
    same moment take their turn, so four from four addresses on four render
    threads lift the server's memory by one check's, not four (issue 12).
    On the release build (SOMON_RELEASE): a sanitizer keeps freed blocks in
    quarantine, and the test builds hash with the fast parameters."""
    release = os.environ.get("SOMON_RELEASE")
    if not release:
        print("  (no SOMON_RELEASE: the sign-in memory check is skipped)")
        return
    import somon_http
    own = os.path.join(TMP, "transport-signin.db")
    srv = Server("transport-signin-setup")  # a copy of the suite's database, with its schema
    srv.stop()
    shutil.copy(srv.db, own)
    add = subprocess.run([release, "--db", own, "user", "add", "argon", "--role", "viewer"], input=PASSWORD + "\n",
                         capture_output=True, text=True)
    check("an account with the real password hash", add.returncode == 0, add.stderr)
    saved, somon_http.SOMON = somon_http.SOMON, release
    try:
        srv = Server("transport-signin", db=own, options=("--threads", "4"))
    finally:
        somon_http.SOMON = saved
    try:
        time.sleep(1.0)
        with open("/proc/%d/status" % srv.proc.pid) as f:
            before = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))
        with open("/proc/%d/clear_refs" % srv.proc.pid, "w") as f:
            f.write("5")  # VmHWM := VmRSS
        results = []

        def sign_in(k):
            results.append(Client(address="127.0.0.%d" % (k + 2), port=srv.port).login("argon", PASSWORD).status)

        threads = [threading.Thread(target=sign_in, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        with open("/proc/%d/status" % srv.proc.pid) as f:
            peak = int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))
        check("four sign-ins at once all succeed", results == [303] * 4, results)
        check("four sign-ins at once: one password check's memory (64 MiB), not four",
              (peak - before) / 1024 < 100, "+%d MiB" % ((peak - before) // 1024))
    finally:
        stop(srv, "sign-ins")


for case in (slow_does_not_hold_fast, post_with_csrf, full_queue, shutdown_in_flight, sign_ins_one_at_a_time):
    try:
        case()
    except Exception as e:  # noqa: BLE001
        check(case.__name__ + " ran", False, repr(e))
print("test_transport.py: " + check.summary())
sys.exit(1 if check.failed else 0)
