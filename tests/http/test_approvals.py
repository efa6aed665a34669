#!/usr/bin/python3
"""Council approvals and signed agreements without start over HTTP (issue 9,
SPEC §3), against the server of tests/http/run.sh.

tests/cli/fixtures/approvals.json is imported on the suite's database (its
ids do not clash with the other fixtures): in SO-T-APPROVALS Beringen's
council approved on 20/06/2022, after the start of 1/1/2022, and the planned
Houthalen-Helchteren on 10/05/2023, after its expected_from; Genk approved
before and Hasselt on the start. SO-T-APPR-NOSTART is signed without a start
and names Bree and Peer. The demo's SO-ANTWERPEN-CLUSTER-KALMTHOUT-2020 is
the real case: signed, start not stated, Kalmthout among its parties.

Run with /usr/bin/python3.
"""

import datetime
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import somon_http  # noqa: E402
from somon_http import DB, PASSWORD, PORT, SOMON, Client, form_fields, people_csv, somon, with_values  # noqa: E402

REPO = somon_http.REPO
ADMIN = "approvals-admin"
AG = "SO-T-APPROVALS"
NOSTART = "SO-T-APPR-NOSTART"
KALMTHOUT_AG = "SO-ANTWERPEN-CLUSTER-KALMTHOUT-2020"
MARK = "ondertekend, begindatum onbekend"


def setUpModule():
    if not (SOMON and DB and PORT):
        raise unittest.SkipTest("run through tests/http/run.sh (SOMON, SOMON_DB, SOMON_PORT)")
    r = somon("--actor", "tester", "import", os.path.join(REPO, "tests/cli/fixtures/approvals.json"))
    assert r.returncode == 0, r.stderr
    if somon("user", "list").stdout.find(ADMIN + " ") < 0:
        r = somon("user", "add", ADMIN, "--role", "admin", stdin=PASSWORD + "\n")
        assert r.returncode == 0, r.stderr


def get(url):
    r = Client().get(url)
    assert r.status == 200, (url, r.status)
    return r.text()


def error_beside(html, field):
    """The error message shown beside the input named field."""
    m = re.search(r'<input[^>]*name="%s"[^>]*aria-describedby="([^"]+)"' % re.escape(field), html)
    if not m:
        return None
    e = re.search(r'id="%s"[^>]*>([^<]*)<' % re.escape(m.group(1)), html)
    return e.group(1) if e else None


def party_row(html, nis):
    """The table row of the party with this NIS code on an agreement page."""
    m = re.search(r'<tr><th scope="row"><a href="/municipalities/%s[^"]*">.*?</tr>' % nis, html, re.S)
    return m.group(0) if m else ""


class AgreementPage(unittest.TestCase):
    def test_note_on_a_party_approved_after_the_start(self):
        html = get("/agreements/%s" % AG)
        beringen = party_row(html, "71004")
        self.assertIn("20/06/2022 – 31/12/2025", beringen)  # covers from its approval
        self.assertIn("gebonden vanaf goedkeuring 20/06/2022", beringen)
        # the planned party: in the prognosis from max(01/03/2023, 10/05/2023)
        self.assertIn("gebonden vanaf goedkeuring 10/05/2023", party_row(html, "72039"))
        # approved before (Genk) and on (Hasselt) the start: bound from the start, no note
        for nis in ("71016", "71022"):
            with self.subTest(nis=nis):
                self.assertIn("01/01/2022 – 31/12/2025", party_row(html, nis))
                self.assertNotIn("gebonden vanaf goedkeuring", party_row(html, nis))
        self.assertNotIn("gebonden vanaf goedkeuring", party_row(html, "72020"))  # no date: from the start

    def test_signed_without_start_is_said_so(self):
        html = get("/agreements/%s" % NOSTART)
        self.assertIn("begindatum onbekend", html)
        self.assertIn(MARK, party_row(html, "72004"))


class Annex(unittest.TestCase):
    def test_kalmthout_is_named_not_none(self):
        html = get("/annex?date=2023-06-30&province=Antwerpen")
        row = re.search(r'<tr><th scope="row" rowspan="\d+"><a href="/municipalities/11022[^"]*">Kalmthout</a>.*?</tr>',
                        html, re.S)
        self.assertIsNotNone(row, "no row for Kalmthout")
        self.assertIn(MARK, row.group(0))
        self.assertIn(KALMTHOUT_AG, row.group(0))
        self.assertNotIn("geen overeenkomst", row.group(0))

    def test_counts_are_unchanged(self):
        html = get("/annex?date=2023-06-30&province=Limburg")
        # Genk, Hasselt, Lommel from 01/01/2022 and Beringen from 20/06/2022: 4 of 42, Bree and Peer not counted
        self.assertIn("4 van de 42 gemeenten gedekt.", html)
        self.assertRegex(html, r'>Bree</a> <span class="state s-signed_no_start">%s</span>' % MARK)

    def test_csv(self):
        r = Client().get("/annex?date=2023-06-30&province=Limburg&format=csv")
        self.assertEqual(r.status, 200)
        rows = {(x["NIS"], x["Overeenkomst"]): x for x in people_csv(r.text())}  # Excel-ready for people
        bree = rows[("72004", NOSTART)]
        self.assertEqual((bree["Dekking"], bree["Begin"], bree["Einde"], bree["Status"]),
                         ("ondertekend, begindatum onbekend", "", "31/12/2025", "ondertekend, begindatum onbekend"))
        self.assertEqual(rows[("71004", AG)]["Begin"], "20/06/2022")


class Municipalities(unittest.TestCase):
    def test_municipality_page(self):
        html = get("/municipalities/11022?date=2023-06-30")
        self.assertIn('<span class="state s-signed_no_start">%s</span>' % MARK, html)
        self.assertNotIn("Geen enkele overeenkomst noemt deze gemeente", html)
        self.assertIn("/agreements/%s" % KALMTHOUT_AG, html)
        self.assertIn(MARK + " (telt niet mee)", html)

    def test_list_and_filter(self):
        html = get("/municipalities?date=2023-06-30&province=Limburg&state=signed_no_start")
        self.assertIn(">Bree</a>", html)
        self.assertIn(">Peer</a>", html)
        self.assertNotIn(">Genk</a>", html)
        self.assertIn("2 gemeenten.", html)

    def test_agreement_list(self):
        html = get("/agreements?q=%s" % NOSTART)
        self.assertIn(MARK, html)


class Alerts(unittest.TestCase):
    def test_alert_asks_for_the_start(self):
        html = get("/alerts?date=2023-06-30")
        self.assertIn("ondertekend zonder begindatum", html)
        self.assertIn('href="/agreements/%s/edit"' % KALMTHOUT_AG, html)

    def test_download_names_municipalities(self):
        """People see names, never bare codes: the column Betreft of the
        download names the municipality an alert is about, with its code."""
        rows = [r for r in people_csv(get("/alerts?date=2023-06-30&format=csv")) if r["Soort"]]
        about = [r["Betreft"] for r in rows if re.search(r"\d{5}", r["Betreft"] or "")]
        self.assertTrue(about, rows[:5])
        for subject in about:
            self.assertRegex(subject, r"^\D.* \(\d{5}\)$")


class Form(unittest.TestCase):
    """The party form refuses an approval in the future or after until, beside the field."""

    @classmethod
    def setUpClass(cls):
        cls.c = Client()
        r = cls.c.login(ADMIN)
        assert r.status == 303, r.text()

    def post_party(self, changes):
        url = "/agreements/%s/parties/2" % AG  # Beringen 71004
        fields = self.c.form(url + "/edit", url)
        return self.c.post(url, with_values(fields, changes))

    def test_future_approval_refused(self):
        before = somon("history", AG).stdout
        tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
        r = self.post_party({"parties[2].approved_on": tomorrow})
        self.assertEqual(r.status, 422)
        self.assertIn("ligt in de toekomst", error_beside(r.text(), "parties[2].approved_on") or "")
        self.assertEqual(somon("history", AG).stdout, before)

    def test_approval_after_until_refused(self):
        before = somon("history", AG).stdout
        r = self.post_party({"parties[2].approved_on": "2024-07-01", "parties[2].until": "2024-06-30"})
        self.assertEqual(r.status, 422)
        self.assertIn("ligt na de laatste dag van de partij", error_beside(r.text(), "parties[2].approved_on") or "")
        self.assertEqual(somon("history", AG).stdout, before)

    def test_a_past_approval_is_saved(self):
        r = self.post_party({"parties[2].approved_on": "2022-06-21"})
        self.assertEqual(r.status, 303, r.text()[:2000])
        self.assertIn("gebonden vanaf goedkeuring 21/06/2022", party_row(get("/agreements/%s" % AG), "71004"))
        r = self.post_party({"parties[2].approved_on": "2022-06-20"})
        self.assertEqual(r.status, 303)


if __name__ == "__main__":
    somon_http.require_env("test_approvals.py", "SOMON", "SOMON_DB", "SOMON_PORT")
    result = unittest.main(exit=False, verbosity=1).result
    passed, failed = somon_http.unittest_counts(result)
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed or not result.wasSuccessful() else 0)
