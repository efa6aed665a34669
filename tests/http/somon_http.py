"""What the HTTP suites share: the environment of tests/http/run.sh, a client
that behaves like a browser (cookies, forms, CSRF tokens, sign-in), a server
of a test's own (somon serve on port 0, on a copy of the suite's database),
the sanitizer check of a server's standard error and the counts the suites
print.

Import it from a file in tests/http (run.sh runs them with /usr/bin/python3
from the repository root):

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from somon_http import Client, Server  # noqa: E402

Standard library only.
"""

import http.client
import os
import re
import signal
import sqlite3
import subprocess
import time
import urllib.parse
from html.parser import HTMLParser

# ---- the environment of tests/http/run.sh ---------------------------------------

SOMON = os.environ.get("SOMON", "")
DB = os.environ.get("SOMON_DB", "")
PORT = int(os.environ.get("SOMON_PORT", "0") or 0)
SERVER_ERR = os.environ.get("SOMON_SERVER_ERR", "")
ACCESS_LOG = os.environ.get("SOMON_ACCESS_LOG", "")
TMP = os.environ.get("SOMON_TMP", "")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PASSWORD = "correct horse battery"  # of the accounts the suites make, unless a suite says otherwise


def require_env(suite, *names):
    """Stops the suite, naming the first variable of names that run.sh would have set and is not set."""
    for name in names:
        if not os.environ.get(name):
            raise SystemExit("%s: %s is not set; run tests/http/run.sh" % (suite, name))


def somon(*args, db=None, stdin=None):
    """The command line on the suite's database (or db), with the fast test password hash."""
    env = dict(os.environ, SOMON_TEST_FAST_HASH="1")
    return subprocess.run([SOMON, "--db", db or DB] + list(args), input=stdin, capture_output=True, text=True,
                          env=env, cwd=REPO)


# ---- counts the suites print ------------------------------------------------------

_hostile = [0]


def hostile(n=1):
    """Counts n hostile requests or inputs sent (the count each suite prints)."""
    _hostile[0] += n


def hostile_count():
    return _hostile[0]


class Checks:
    """passed/failed counts of a suite written without unittest; a failure is printed at once."""

    def __init__(self, detail_width=None):
        self.passed = self.failed = 0
        self.detail_width = detail_width

    def __call__(self, what, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            detail = str(detail)[:self.detail_width] if self.detail_width else detail
            print("  FAIL: %s %s" % (what, detail))
        return ok

    def summary(self):
        return "%d passed, %d failed" % (self.passed, self.failed)


def run_own_server(check, name, run, prepare=None, db=None):
    """Runs run(server) against a server of its own (a copy of the suite's
    database, or db), prepare(database) first; the server must then stop
    without a sanitizer report. Prints the counts; returns the exit status."""
    if db:
        prepare and prepare(db)
        server = Server(name, db=db)
    else:
        server = Server(name)
        prepare and prepare(server.db)
    try:
        run(server)
    finally:
        try:
            server.stop_cleanly()
            check("the server stops cleanly, without a sanitizer report", True)
        except AssertionError as e:
            check("the server stops cleanly, without a sanitizer report", False, str(e)[:300])
            print("  the server's standard error, whole:\n" + server.stderr(), flush=True)
    print(check.summary())
    return 1 if check.failed else 0


def csv_rows(text):
    """The rows (lists) of a CSV: a page's download is for people (a BOM, ';'),
    the API's and the command line's for machines (',')."""
    import csv
    import io
    if text.startswith("\ufeff"):
        return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))
    return list(csv.reader(io.StringIO(text)))


def iso_date(v):
    """30/06/2023 as 2023-06-30 (other values as they are)."""
    import re
    return "%s-%s-%s" % (v[6:], v[3:5], v[:2]) if re.fullmatch(r"\d\d/\d\d/\d{4}", v or "") else v


def people_csv(text):
    """The rows (dicts by Dutch header) of a CSV the pages offer people: Excel in
    nl-BE (a BOM, ';', CRLF). Raises AssertionError when it is not in that dialect."""
    import csv
    import io
    assert text.startswith("\ufeff"), "no BOM: %r" % text[:20]
    first = text[1:].split("\r\n", 1)[0]
    assert "\r\n" in text and ";" in first, "not ';' and CRLF: %r" % first
    return list(csv.DictReader(io.StringIO(text[1:], newline=""), delimiter=";"))


# The Dutch headers and coverage words of the pages' tables, to read a people's
# CSV back in the API's terms where a test compares figures.
MUNI_STATES = {"geen overeenkomst": "none", "in voorbereiding": "pipeline", "gedeeltelijk gedekt": "partial",
               "ondertekend, begindatum onbekend": "signed_no_start", "gedekt": "covered"}
MUNICIPALITY_KEYS = {"NIS": "nis", "Gemeente": "municipality", "Provincie": "province", "Dekking": "coverage",
                     "Overeenkomsten": "agreements", "Regiegebieden": "regiegebieden"}
ANNEX_KEYS = {"Provincie": "province", "NIS": "nis", "Gemeente": "municipality", "Dekking": "coverage",
              "Overeenkomst": "agreement", "Titel": "title", "Begin": "begin", "Einde": "end", "Status": "status",
              "NIS deelgemeente": "via_nis", "Via deelgemeente": "via_municipality",
              "Beslissingen van de raad": "decisions"}


def as_machine(text, keys):
    """A people's CSV (people_csv) as dicts by machine key, coverage words and dates as the API writes them."""
    return [{keys[k]: MUNI_STATES.get(v, v) if keys[k] == "coverage" else iso_date(v) for k, v in row.items()}
            for row in people_csv(text)]


def prepare_demo_with_outreach(db):
    """A database of its own: the demo agreements, the rules fixture and the
    outreach log (the suite's database gains agreements from earlier tests)."""
    import glob
    r = somon("init", db=db)
    assert r.returncode == 0, r.stderr
    files = sorted(glob.glob(os.path.join(REPO, "data/demo/*.json"))) + \
        [os.path.join(REPO, "tests/cli/fixtures", f) for f in ("rules.json", "map-outreach.json")]
    r = somon("--actor", "tester", "import", *files, db=db)
    assert r.returncode == 0, r.stderr


def map_svg(page):
    """The map of a page (the overview's SVG), or ""."""
    import re
    m = re.search(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-2 [^"]*".*?</svg>', page, re.S)
    return m.group(0) if m else ""


def unittest_counts(result):
    """(passed, failed) of a unittest result; a test whose subtests fail counts once."""
    failed = len({getattr(t, "test_case", t).id() for t, _ in result.failures + result.errors})
    return result.testsRun - failed, failed


# ---- a browser, roughly -------------------------------------------------------------

class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def text(self):
        return self.body.decode("utf-8")


class Client:
    """Cookies, and requests from a chosen loopback address to a chosen port
    (the server of run.sh unless told)."""

    def __init__(self, address="127.0.0.1", port=None, timeout=30):
        self.address, self.port, self.timeout = address, port or PORT, timeout
        self.cookies = {}
        self.login_name = None

    def request(self, method, url, form=None, headers=None, body=None):
        """form: fields to send URL-encoded; body: bytes to send as they are."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout,
                                          source_address=(self.address, 0))
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            h.setdefault("Content-Type", "application/x-www-form-urlencoded")
        conn.request(method, url, body=body, headers=h)
        r = conn.getresponse()
        resp = Response(r.status, r.getheaders(), r.read())
        conn.close()
        for v in resp.all("set-cookie"):
            name, value = v.split(";")[0].split("=", 1)
            if "Max-Age=0" in v:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return resp

    def get(self, url):
        return self.request("GET", url)

    def post(self, url, form):
        return self.request("POST", url, form=form)

    def login(self, login, password=PASSWORD):
        """Signs in through the login form (its CSRF token and cookie); the response (303 when signed in)."""
        page = self.get("/login")
        fields = dict(form_fields(page.text(), "/login"))
        fields.update(login=login, password=password)
        r = self.post("/login", fields)
        if r.status == 303:
            self.login_name = login
        return r

    def csrf(self):
        """The CSRF token of this session, from the sign-out form of a page."""
        fields = form_fields(self.get("/agreements").text(), "/logout")
        return dict(fields).get("csrf", "")

    def form(self, page_url, action):
        """The fields of the form with this action on the page at page_url."""
        page = self.get(page_url)
        assert page.status == 200, "%s: %d" % (page_url, page.status)
        return form_fields(page.text(), action)


class FormReader(HTMLParser):
    """The fields a browser would send for each form of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []  # (action, [(name, value)])
        self.fields = None
        self.select = None
        self.option = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.fields = []
            self.forms.append((a.get("action", ""), self.fields))
        elif self.fields is None:
            return
        elif tag == "input" and "name" in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "image", "reset"):
                return
            self.fields.append([a["name"], a.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "select" and "name" in a:
            self.select = [a["name"], None, None]  # name, first, selected
        elif tag == "option" and self.select is not None:
            value = a.get("value")
            self.option = [value, "selected" in a, ""]
        elif tag == "textarea" and "name" in a:
            self.textarea = [a["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        elif self.option is not None:
            self.option[2] += data

    def handle_endtag(self, tag):
        if tag == "option" and self.option is not None:
            value = self.option[0] if self.option[0] is not None else self.option[2]
            if self.select[1] is None:
                self.select[1] = value
            if self.option[1]:
                self.select[2] = value
            self.option = None
        elif tag == "select" and self.select is not None:
            chosen = self.select[2] if self.select[2] is not None else self.select[1]
            self.fields.append([self.select[0], chosen or ""])
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append([self.textarea[0], self.textarea[1].removeprefix("\n")])
            self.textarea = None
        elif tag == "form":
            self.fields = None


def form_fields(html, action):
    reader = FormReader()
    reader.feed(html)
    for act, fields in reader.forms:
        if act == action:
            return [tuple(f) for f in fields]
    raise AssertionError("no form with action %s on the page" % action)


def all_forms(html):
    reader = FormReader()
    reader.feed(html)
    return [(a, [tuple(x) for x in f]) for a, f in reader.forms]


def with_values(fields, changes):
    out, seen = [], set()
    for name, value in fields:
        if name in changes:
            out.append((name, changes[name]))
            seen.add(name)
        else:
            out.append((name, value))
    for name, value in changes.items():
        if name not in seen:
            out.append((name, value))
    return out


def value_of(fields, name):
    for n, v in fields:
        if n == name:
            return v
    raise KeyError(name)


def read_to_close(sock):
    """Every byte the server sends on a raw socket until it closes the connection."""
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


# ---- a server of a test's own -------------------------------------------------------

# AddressSanitizer, LeakSanitizer, UndefinedBehaviorSanitizer (make http) and
# ThreadSanitizer (make tsan): the union of what the suites looked for.
SANITIZER = re.compile(r"Sanitizer|runtime error:")
LISTENING = re.compile(r"^somon: listening on http://127\.0\.0\.1:(\d+)$", re.M)


def copy_database(dest, source=None):
    """A consistent copy of the suite's database (or source) at dest (sqlite3 backup, WAL included); dest."""
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(dest + suffix):
            os.remove(dest + suffix)
    src, dst = sqlite3.connect(source or DB, timeout=30), sqlite3.connect(dest)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return dest


class Server:
    """somon serve --listen 127.0.0.1:0 on db (default: a copy of the suite's
    database, NAME.db in folder), with more serve options; its access log
    goes to NAME.out and its standard error to NAME.err in folder (default
    SOMON_TMP). The port is read from its 'listening on' line."""

    def __init__(self, name, db=None, options=(), folder=None, wait=60):
        folder = folder or TMP
        self.db = db or copy_database(os.path.join(folder, name + ".db"))
        self.out_path = os.path.join(folder, name + ".out")
        self.err_path = os.path.join(folder, name + ".err")
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen([SOMON, "--db", self.db, "serve", "--listen", "127.0.0.1:0", *options],
                                         stdout=out, stderr=err, cwd=REPO)
        self.port = None
        deadline = time.time() + wait
        while time.time() < deadline:
            m = LISTENING.search(self.stderr())
            if m:
                self.port = int(m.group(1))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        raise AssertionError("the server did not start: " + self.stderr())

    def stderr(self):
        with open(self.err_path, encoding="utf-8", errors="replace", newline="") as f:
            return f.read()

    def stop(self, timeout=60):
        """SIGTERM (SIGKILL after timeout seconds); the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def sanitizer_report(self):
        """Whether the server's standard error holds a sanitizer report."""
        return bool(SANITIZER.search(self.stderr()))

    def stop_cleanly(self):
        """stop(), and an AssertionError with the standard error unless it exited 0 without a sanitizer report."""
        status = self.stop()
        err = self.stderr()
        assert status == 0, (status, err)
        assert not self.sanitizer_report(), err
