#!/usr/bin/python3
"""The demo register as a user reads it over HTTP (issue 9): what seeds 001
and 004 say beyond the three agreement texts, and alerts that name
municipalities instead of codes.

- Brecht joined KINA in May 2023 (seed 004, footnote 12): a member of
  RG-KINA on 30/06/2023, not on 30/04/2023.
- Mechelen's 2021 agreement follows up the 2017 one its council decision
  names (seed 001, "Voorgeschiedenis"): the pages link both ways.
- Gent's agreement of 2007 (seed 004) has no known start: Gent's page in 2010
  names it, marked "ondertekend, begindatum onbekend".
- /alerts says "Kalmthout: geen datum van goedkeuring ...", not "11022";
  its links say what they fix; it filters by province (issue 11).

Read-only, on the shared demo server of tests/http/run.sh.
"""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import Client, require_env  # noqa: E402


def members(html):
    """The names in the members list of a regiegebied page."""
    part = html.split('id="members-h"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<li><a href="/municipalities/\d{5}[^"]*">([^<]+)</a>', part)


class DemoSeeds(unittest.TestCase):
    def setUp(self):
        self.client = Client()

    def test_brecht_joins_kina_in_may_2023(self):
        june = self.client.get("/regiegebieden/RG-KINA?date=2023-06-30")
        self.assertEqual(june.status, 200)
        self.assertIn("Brecht", members(june.text()))
        self.assertIn("lid vanaf 01/05/2023", june.text())
        april = self.client.get("/regiegebieden/RG-KINA?date=2023-04-30").text()
        self.assertNotIn("Brecht", members(april))
        self.assertIn("Kalmthout", members(april))

    def test_mechelen_2021_follows_2017(self):
        new = self.client.get("/agreements/SO-MECHELEN-2021").text()
        self.assertRegex(new, r'volgt op <a href="/agreements/SO-MECHELEN-2017">')
        old = self.client.get("/agreements/SO-MECHELEN-2017").text()
        self.assertRegex(old, r'opgevolgd door <a href="/agreements/SO-MECHELEN-2021">')
        self.assertIn("ondertekend, begindatum onbekend", old)

    def test_gent_2007_named_without_start(self):
        page = self.client.get("/municipalities/44021?date=2010-01-01").text()
        self.assertIn("Samenwerkingsovereenkomst Stad Gent - VDAB (2007) (ondertekend, begindatum onbekend)", page)

    def test_alerts_name_municipalities(self):
        page = self.client.get("/alerts?date=2026-12-03").text()
        self.assertIn("<td>Kalmthout: geen datum van goedkeuring door de gemeenteraad</td>", page)
        self.assertNotRegex(page, r"gemeente \d{5}")
        csv = self.client.get("/alerts?date=2026-12-03&format=csv").text()
        self.assertIn(";Kalmthout (11022);Kalmthout: geen datum van goedkeuring door de gemeenteraad;", csv)

    def test_alerts_fix_links_say_what_they_fix(self):
        page = self.client.get("/alerts?date=2026-12-03").text()
        self.assertIn('<a href="/agreements/SO-ANTWERPEN-CLUSTER-KALMTHOUT-2020/parties/1/edit">goedkeuring invullen</a>',
                      page)
        self.assertIn('<a href="/agreements/SO-GENT-2007/edit">begindatum invullen</a>', page)
        self.assertNotIn(">hier</a>", page)

    def test_as_known_at_takes_a_day_as_people_type_it(self):
        iso = self.client.get("/?date=2023-06-30&as_known_at=2023-07-01")
        nl = self.client.get("/?date=2023-06-30&as_known_at=01/07/2023")
        self.assertEqual((iso.status, nl.status), (200, 200))
        bad = self.client.get("/?date=2023-06-30&as_known_at=1/7/2023")
        self.assertEqual(bad.status, 400)
        self.assertIn("01/07/2023", bad.text())

    def test_alerts_by_province(self):
        page = self.client.get("/alerts?date=2026-12-03&province=Oost-Vlaanderen").text()
        self.assertIn("SO-GENT-2007", page)
        self.assertIn("SO-SCHELDELAND-2021", page)
        self.assertNotIn("SO-ANTWERPEN-CLUSTER-KALMTHOUT-2020", page)
        self.assertIn("<option selected>Oost-Vlaanderen</option>", page)
        csv = self.client.get("/alerts?date=2026-12-03&province=Antwerpen&format=csv").text()
        self.assertIn("SO-ANTWERPEN-CLUSTER-KALMTHOUT-2020", csv)
        self.assertNotIn("SO-GENT-2007", csv)
        self.assertEqual(self.client.get("/alerts?province=Brabant").status, 400)


if __name__ == "__main__":
    require_env("test_demo_seeds", "SOMON_PORT")
    result = unittest.main(exit=False, verbosity=1).result
    failed = len(result.failures) + len(result.errors)
    print("%d passed, %d failed" % (result.testsRun - failed, failed))
    sys.exit(1 if failed or not result.wasSuccessful() else 0)
