#!/usr/bin/python3
"""Sign-in and accounts under attack (issue 8: items 3, 6 and 8), against the
server of tests/http/run.sh and, where administrators must be disabled, a
server of its own on a copy of the database.

- Throttling behind one address (a TLS proxy): failed logins under made-up
  names must not lock a correct password out; a wrong one from a throttled
  address is refused as before, and spraying one address's guesses over
  many logins stays bounded per login.
- The login name in the "login throttled" line of standard error is escaped
  (quotes, backslashes, control characters): no forged log lines.
- /accounts forms carry the account's version: a save over a newer change is
  refused (409) with what changed in between, checked inside the write
  transaction (a test holds the database's write lock to interleave a
  concurrent change deterministically).
- No change leaves the web without an active administrator, and nobody
  disables their own account.

Environment (from run.sh): SOMON, SOMON_DB, SOMON_PORT, SOMON_SERVER_ERR,
SOMON_TMP. Standard library only; run with /usr/bin/python3.
"""

import datetime
import os
import re
import sqlite3
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import somon_http  # noqa: E402
from somon_http import (DB, SERVER_ERR, TMP, Server, all_forms, copy_database, form_fields,  # noqa: E402
                        hostile, somon, with_values)

PASSWORD = "acc security password"
# login -> role; made here so the test does not depend on the other suites
ACCOUNTS = {"acc-admin": "admin", "acc-admin2": "admin", "acc-user": "viewer", "acc-target": "viewer",
            "acc-spray": "viewer", "acc-spray2": "viewer", "acc-race": "viewer"}


def setUpModule():
    for login, role in ACCOUNTS.items():
        r = somon("--actor", "acc-setup", "user", "add", login, "--role", role, stdin=PASSWORD + "\n")
        assert r.returncode == 0, (login, r.stdout, r.stderr)


class Client(somon_http.Client):
    """The shared client, signing in with this suite's password, and the forms of /accounts."""

    def __init__(self, address="127.0.0.1", port=None):
        super().__init__(address, port, timeout=60)

    def login(self, login, password=PASSWORD):
        return super().login(login, password)

    def account_forms(self, login):
        """{op: fields} of the forms of one account's row on /accounts."""
        page = self.get("/accounts")
        assert page.status == 200, page.status
        return {dict(f).get("op"): f for a, f in all_forms(page.text()) if a == "/accounts/" + login}


def signed_in(login, port=None):
    c = Client(port=port)
    r = c.login(login)
    assert r.status == 303, (login, r.status, r.text()[:500])
    return c


def connect(db=None):
    return sqlite3.connect(db or DB, timeout=30, isolation_level=None)


def account(login, db=None):
    con = connect(db)
    try:
        return con.execute("SELECT role, scope, password_hash, disabled, updated FROM account WHERE login = ?",
                           (login,)).fetchone()
    finally:
        con.close()


def last_change_id(db=None):
    con = connect(db)
    try:
        return con.execute("SELECT max(id) FROM change").fetchone()[0]
    finally:
        con.close()


def add_failures(n, login="-", address="-", ago=0):
    con = connect()
    try:
        now = int(time.time()) - ago
        con.executemany("INSERT INTO login_failure (login, address, moment) VALUES (?, ?, ?)",
                        [(login, address, now)] * n)
    finally:
        con.close()


def failures_of(login):
    con = connect()
    try:
        return con.execute("SELECT count(*) FROM login_failure WHERE login = ?", (login,)).fetchone()[0]
    finally:
        con.close()


def server_err():
    with open(SERVER_ERR, encoding="utf-8", errors="replace", newline="") as f:
        return f.read()


def concurrent_change(db, post, change_sql, params):
    """Runs post() in a thread while this process holds the write lock, makes
    the competing change with change_sql under that lock, commits, and
    returns post()'s response: a check made before the write transaction sees
    the old account; one made inside it sees the change."""
    con = connect(db)
    con.execute("BEGIN IMMEDIATE")
    out = {}
    t = threading.Thread(target=lambda: out.update(r=post()))
    try:
        t.start()
        time.sleep(1.5)  # the request has read the account and waits for the lock (the server waits 5 s)
        moment = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        cid = con.execute("INSERT INTO change (moment, actor, action, detail) VALUES (?, 'acc-rival', 'account', ?)",
                          (moment, params[0])).lastrowid
        con.execute(change_sql, (cid,) + tuple(params[1:]))
        con.execute("COMMIT")
    finally:
        if con.in_transaction:
            con.execute("ROLLBACK")
        con.close()
    t.join(60)
    return out["r"]


# ---- item 6: throttling behind one address -------------------------------------

class Throttling(unittest.TestCase):
    def test_made_up_names_do_not_lock_out_a_correct_password(self):
        c = Client("127.8.1.1")
        for i in range(6):
            r = c.login("made-up-%d" % i, "whatever password")
            hostile()
            self.assertIn(r.status, (403, 429))
        add_failures(3, address="127.8.1.1")  # 9 failures: the address waits 16 s
        self.assertEqual(c.login("made-up-7", "whatever").status, 429, "the address is throttled")
        hostile()
        r = c.login("acc-user")
        self.assertEqual(r.status, 303, "a correct password gets in although its address is throttled")
        self.assertIn("somon_session", "".join(r.all("set-cookie")))

    def test_a_wrong_password_from_a_throttled_address_is_refused_and_counted(self):
        c = Client("127.8.2.1")
        add_failures(8, address="127.8.2.1")
        before = failures_of("acc-target")
        wrong = c.login("acc-target", "not the password")
        unknown = c.login("acc-nobody", "not the password")
        hostile(2)
        for r in (wrong, unknown):
            self.assertEqual(r.status, 429)
            self.assertIn("Te veel mislukte pogingen", r.text())
            self.assertGreater(int(r.header("retry-after")), 0)
            self.assertNotIn("somon_session", "".join(r.all("set-cookie")))
        strip = lambda r: re.sub(r'value="[^"]*"|\d+ seconden', "", r.text())
        self.assertEqual(strip(wrong), strip(unknown), "an unknown login and a wrong password look the same")
        self.assertEqual(failures_of("acc-target"), before + 1, "the failure counts for the login")

    def test_spraying_from_one_address_is_bounded_per_login(self):
        c = Client("127.8.3.1")
        add_failures(8, address="127.8.3.1")
        for i in range(5):  # the login's free failures, spent from the throttled address
            self.assertEqual(c.login("acc-spray", "guess %d" % i).status, 429)
            hostile()
        # one more guess, even the right one, waits for the address
        r = c.login("acc-spray")
        self.assertEqual(r.status, 429, "a login that used its free failures waits with its address")
        hostile()
        # its own wait (1 s after 5 failures) is short: elsewhere it gets in
        con = connect()
        con.execute("UPDATE login_failure SET moment = moment - 10 WHERE login = 'acc-spray'")
        con.close()
        self.assertEqual(Client("127.8.3.2").login("acc-spray").status, 303)

    def test_failures_keep_at_most_64_bytes_of_a_login_and_only_the_window(self):
        add_failures(1, login="acc-old", address="127.8.6.9", ago=16 * 60)
        long_login = "x" * 60000  # long, yet under the form parser's 80,000-byte value limit (413)
        r = Client("127.8.6.1").login(long_login, "whatever password")
        hostile()
        self.assertEqual(r.status, 403)
        con = connect()
        try:
            stored = con.execute("SELECT max(length(login)) FROM login_failure WHERE address = '127.8.6.1'").fetchone()[0]
            old = con.execute("SELECT count(*) FROM login_failure WHERE login = 'acc-old'").fetchone()[0]
        finally:
            con.close()
        self.assertEqual(stored, 65, "64 bytes and an ellipsis")
        self.assertEqual(old, 0, "failures older than the window are forgotten")

    def test_a_throttled_login_waits_whatever_the_address(self):
        add_failures(8, login="acc-spray2")
        r = Client("127.8.4.1").login("acc-spray2")
        hostile()
        self.assertEqual(r.status, 429)
        # 8 failures: 8 s from the last one, less the time the test took. time(2)
        # in the server reads a coarse clock that may lag Python's by a tick, so
        # at the second boundary the server can count one second more: 9.
        self.assertIn(int(r.header("retry-after")), (7, 8, 9))


# ---- item 8: the login name in the log -------------------------------------------

class LogInjection(unittest.TestCase):
    # login names an attacker types, and what the log line must show instead
    NAMES = [
        ("x\nsomon: stopped", r'x\x0asomon: stopped'),
        ("y\r\nsomon: listening on http://evil.example:80", r'y\x0d\x0asomon: listening on http://evil.example:80'),
        ('quote" from 10.0.0.1 must wait 0 s\nsomon: forged', r'quote\" from 10.0.0.1 must wait 0 s\x0asomon: forged'),
        ("back\\slash\\", r'back\\slash\\'),
        ("tab\there", r'tab\x09here'),
        # other control characters are refused with the whole form (400) before
        # the login is looked at; should they pass one day, they are escaped
        ("\x1b[2J\x1b[31mred\x07", r'\x1b[2J\x1b[31mred\x07'),
        ("del\x7fdel", r'del\x7fdel'),
        ("\x08\x08\x08\x08erased", r'\x08\x08\x08\x08erased'),
        ("nul\x00somon: stopped", r'nul\x00somon: stopped'),
    ]

    def test_the_login_is_logged_escaped(self):
        c = Client("127.8.5.1")
        add_failures(8, address="127.8.5.1")
        for name, shown in self.NAMES:
            with self.subTest(name=name):
                r = c.login(name, "whatever password")
                hostile()
                if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", name) and r.status == 400:
                    continue
                self.assertEqual(r.status, 429)
                err = server_err()
                self.assertIn('login throttled: login "%s" from "127.8.5.1" must wait ' % shown, err)
        lines = re.split(r"[\r\n]", server_err())
        for forged in ("somon: stopped", "somon: listening on http://evil", "somon: forged", "here"):
            self.assertFalse([l for l in lines if l.startswith(forged)], "a forged line: %r" % forged)
        for line in lines:
            if "127.8.5.1" in line or "somon: forged" in line or "evil.example" in line:
                self.assertTrue(line.startswith('somon: login throttled: login "'), repr(line))
                self.assertFalse(re.search(r"[\x00-\x1f\x7f]", line), repr(line))


# ---- item 3: versions of the /accounts forms ---------------------------------------

class Versions(unittest.TestCase):
    def test_every_account_form_carries_the_accounts_version(self):
        forms = signed_in("acc-admin").account_forms("acc-target")
        self.assertEqual(len(forms), 2)
        self.assertIn("change", forms)
        for op, fields in forms.items():
            self.assertEqual(dict(fields).get("version"), str(account("acc-target")[4]), op)

    def test_a_save_over_a_newer_change_is_refused_with_what_changed(self):
        first, second = signed_in("acc-admin"), signed_in("acc-admin2")
        stale = first.account_forms("acc-target")
        newer = second.account_forms("acc-target")["change"]
        r = second.post("/accounts/acc-target", with_values(newer, {"role": "vdab", "scope": "Limburg"}))
        self.assertEqual(r.status, 303, r.text()[:2000])
        before, last = account("acc-target"), last_change_id()
        for op, changes in (("disable", {}), ("change", {"role": "viewer", "password": "een ander wachtwoord"})):
            with self.subTest(op=op):
                r = first.post("/accounts/acc-target", with_values(stale[op], changes))
                hostile()
                self.assertEqual(r.status, 409, r.text()[:2000])
                text = r.text()
                self.assertIn("Er is niets bewaard", text)
                self.assertIn("acc-admin2", text, "who changed it")
                self.assertIn("change acc-target to vdab for Limburg", text, "what changed")
                self.assertEqual(account("acc-target"), before, "nothing written")
                self.assertEqual(last_change_id(), last, "no change recorded")
        # the page shows the account as it is now, with its new version: that save goes through
        fresh = first.account_forms("acc-target")["change"]
        self.assertEqual(dict(fresh)["role"], "vdab")
        r = first.post("/accounts/acc-target", with_values(fresh, {"role": "viewer", "scope": ""}))
        self.assertEqual(r.status, 303, r.text()[:2000])

    def test_a_form_without_its_version_is_refused(self):
        admin = signed_in("acc-admin")
        fields = admin.account_forms("acc-target")["disable"]
        before = account("acc-target")
        variants = [[(n, v) for n, v in fields if n != "version"]]
        for bad in ("", "abc", "0", "-3", "1e3", " 1", "1 OR 1=1", "99999999999999999999999", "0x10"):
            variants.append(with_values(fields, {"version": bad}))
        for form in variants:
            with self.subTest(version=dict(form).get("version")):
                r = admin.post("/accounts/acc-target", form)
                hostile()
                self.assertIn(r.status, (400, 409), r.text()[:2000])
                self.assertEqual(account("acc-target"), before)

    def test_the_version_is_checked_inside_the_write_transaction(self):
        admin = signed_in("acc-admin")
        fields = admin.account_forms("acc-race")["change"]
        hostile()
        r = concurrent_change(DB, lambda: admin.post("/accounts/acc-race", with_values(fields, {"role": "admin"})),
                              "UPDATE account SET role = 'vdab', scope = 'Antwerpen', updated = ? WHERE login = ?",
                              ("change acc-race to vdab for Antwerpen", "acc-race"))
        self.assertEqual(r.status, 409, r.text()[:2000])
        self.assertIn("change acc-race to vdab for Antwerpen", r.text())
        self.assertEqual(account("acc-race")[:2], ("vdab", "Antwerpen"), "the rival's change is kept")

    def test_a_login_taken_meanwhile_is_refused_by_name(self):
        admin = signed_in("acc-admin")
        fields = with_values(form_fields(admin.get("/accounts").text(), "/accounts"),
                             {"login": "acc-twin", "role": "viewer", "scope": "", "password": "twee keer dezelfde"})
        hostile()
        r = concurrent_change(DB, lambda: admin.post("/accounts", fields),
                              "INSERT INTO account (login, role, created, updated) VALUES (?2, 'viewer', ?1, ?1)",
                              ("add acc-twin as viewer", "acc-twin"))
        self.assertEqual(r.status, 422, r.text()[:2000])
        self.assertIn("Deze login bestaat al.", r.text())


# ---- item 8: no web without an administrator ----------------------------------------

class LastAdministrator(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        db = copy_database(os.path.join(TMP, "acc-admins.db"))
        con = connect(db)  # only acc-admin and acc-admin2 are active administrators
        con.execute("UPDATE account SET disabled = 1 WHERE role = 'admin' AND login NOT IN ('acc-admin', 'acc-admin2')")
        con.close()
        cls.server = Server("acc-admins", db=db)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop_cleanly()

    def state(self, login):
        return account(login, self.server.db)

    def admin(self, login):
        return signed_in(login, self.server.port)

    def refused(self, who, login, op, changes, message):
        forms = who.account_forms(login)
        before, last = self.state(login), last_change_id(self.server.db)
        r = who.post("/accounts/" + login, with_values(forms[op], changes))
        hostile()
        self.assertEqual(r.status, 422, r.text()[:2000])
        self.assertIn(message, r.text())
        self.assertEqual(self.state(login), before)
        self.assertEqual(last_change_id(self.server.db), last)

    def test_1_nobody_disables_their_own_account(self):
        self.refused(self.admin("acc-admin"), "acc-admin", "disable", {},
                     "U kunt uw eigen account niet uitschakelen")

    def test_2_the_last_active_administrator_stays(self):
        first = self.admin("acc-admin")
        forms = first.account_forms("acc-admin2")
        self.assertEqual(first.post("/accounts/acc-admin2", forms["disable"]).status, 303)
        self.assertEqual(self.state("acc-admin2")[3], 1)
        # acc-admin is now the only active administrator
        for role, scope in (("viewer", ""), ("vdab", "all"), ("local", "12025")):
            with self.subTest(role=role):
                self.refused(first, "acc-admin", "change", {"role": role, "scope": scope},
                             "de laatste actieve beheerder")
        # a disabled administrator may lose its role; enabled again, the other may step down
        forms = first.account_forms("acc-admin2")
        self.assertEqual(first.post("/accounts/acc-admin2", forms["enable"]).status, 303)
        second = self.admin("acc-admin2")
        forms = second.account_forms("acc-admin")
        r = second.post("/accounts/acc-admin", with_values(forms["change"], {"role": "viewer", "scope": ""}))
        self.assertEqual(r.status, 303, r.text()[:2000])
        self.refused(second, "acc-admin2", "change", {"role": "viewer", "scope": ""}, "de laatste actieve beheerder")
        forms = second.account_forms("acc-admin")
        r = second.post("/accounts/acc-admin", with_values(forms["change"], {"role": "admin", "scope": ""}))
        self.assertEqual(r.status, 303, r.text()[:2000])

    def test_3_two_administrators_disabling_each_other_leave_one(self):
        first = self.admin("acc-admin")
        forms = first.account_forms("acc-admin2")
        hostile()
        r = concurrent_change(self.server.db, lambda: first.post("/accounts/acc-admin2", forms["disable"]),
                              "UPDATE account SET disabled = 1, updated = ? WHERE login = ?",
                              ("disable acc-admin", "acc-admin"))
        self.assertEqual(r.status, 422, r.text()[:2000])
        self.assertIn("de laatste actieve beheerder", r.text())
        self.assertEqual(self.state("acc-admin2")[3], 0, "one administrator is left")


if __name__ == "__main__":
    somon_http.require_env("test_security_accounts.py", "SOMON", "SOMON_DB", "SOMON_PORT", "SOMON_SERVER_ERR",
                           "SOMON_TMP")
    result = unittest.main(verbosity=1, exit=False).result
    passed, failed = somon_http.unittest_counts(result)
    print("test_security_accounts.py: %d hostile requests sent" % somon_http.hostile_count())
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)
