#!/usr/bin/python3
"""The overview since 1983 over HTTP (issue 9): the date pickers reach back to
1983, the chart starts at the earliest agreement (not at 2019), and before
2019 the map draws the 2019 shapes, colours a 2019 merger municipality through
its former municipalities and says so in its legend.

On a server of its own, on a fresh database with tests/cli/fixtures/map1983.json
(Gent since 2007, Mechelen 2017-2019, Puurs and Sint-Amands 2016-2020,
Lovendegem/Waarschoot/Zomergem 2018-2021, Opglabbeek 2017-2020,
Meeuwen-Gruitrode 2018-01-01 .. 2019-06-30). Figures are worked out by hand
in the comments. Run through tests/http/run.sh.
"""

import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import REPO, SOMON, TMP, Client, Server, require_env, somon  # noqa: E402

FIXTURE = os.path.join(REPO, "tests", "cli", "fixtures", "map1983.json")


def muni(html, nis):
    """(title, class) of the map's municipality nis."""
    m = re.search(r'data-nis="%s"><title>([^<]*)</title><path class="([^"]*)"' % nis, html)
    return (m.group(1), m.group(2)) if m else None


def desc(html):
    m = re.search(r'<desc id="map-desc">([^<]*)</desc>', html)
    return m.group(1) if m else None


class Map1983(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.db = os.path.join(TMP, "map1983.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(cls.db + suffix):
                os.remove(cls.db + suffix)
        r = somon("init", db=cls.db)
        assert r.returncode == 0, r.stderr
        cls.server = Server("map1983", db=cls.db)
        cls.client = Client(port=cls.server.port)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop_cleanly()

    def has(self, needle, html):
        """assertIn without printing the whole page."""
        self.assertTrue(needle in html, "not in the page: " + needle)

    def get(self, url):
        r = self.client.get(url)
        self.assertEqual(r.status, 200, url)
        return r.text()

    def test_1_empty_register_has_no_chart(self):
        html = self.get("/?date=2017-06-30")
        self.assertFalse('id="chart-h"' in html, "a chart without agreements")
        today = time.strftime("%Y-%m-%d")
        self.has('data-first="%s"' % today, html)  # the slider: this month only
        self.assertEqual(html.count('min="1983-01-01"'), 2)  # date and prognosis
        self.assertFalse("2019-01-01" in html, "2019 in the empty overview")

    def test_2_pre_2019_map_table_and_chart(self):
        r = somon("import", FIXTURE, db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        html = self.get("/?date=2017-06-30")
        # the table: Antwerpen Mechelen, Puurs, Sint-Amands = 3/70 (4 %); Flanders 5/308
        self.has(">3/70</a>", html)
        self.has(">5/308</a>", html)
        # the map: Puurs-Sint-Amands (12041) covered through Puurs and Sint-Amands;
        # Oudsbergen (72042) partially: Opglabbeek yes, Meeuwen-Gruitrode not yet
        # (its agreement starts 2018); Lievegem (44085) none (Meetjesland from 2018)
        self.assertEqual(muni(html, "12041"), ("Puurs-Sint-Amands — gedekt", "s-covered"))
        self.assertEqual(muni(html, "72042"), ("Oudsbergen — gedeeltelijk gedekt", "s-partial"))
        self.assertEqual(muni(html, "44085"), ("Lievegem — geen overeenkomst", "s-none"))
        self.assertEqual(muni(html, "44021"), ("Gent — gedekt", "s-covered"))
        self.assertIsNone(muni(html, "71047"))  # no shape of its own
        # covered Gent, Mechelen, Puurs-Sint-Amands = 3; partial Oudsbergen = 1; 300 - 4 = 296 none
        self.assertEqual(desc(html), "Gedekt: 3, gedeeltelijk gedekt: 1, ondertekend, begindatum onbekend: 0, "
                                     "in voorbereiding: 0, geen overeenkomst: "
                                     "296 (300 gemeenten; vóór 2019: kaart van 2019, gefusioneerde gemeenten "
                                     "volgens hun deelgemeenten).")
        self.has(">Vóór 2019: kaart van 2019;</text>", html)
        self.has(">gefusioneerde gemeenten volgens</text>", html)
        # 30/06/2018: Lievegem through its three, Oudsbergen through both: 5 covered
        html = self.get("/?date=2018-06-30")
        self.assertEqual(muni(html, "44085"), ("Lievegem — gedekt", "s-covered"))
        self.assertEqual(muni(html, "72042"), ("Oudsbergen — gedekt", "s-covered"))
        self.assertTrue(desc(html).startswith("Gedekt: 5, gedeeltelijk gedekt: 0,"), desc(html))
        # 01/07/2019: the 2019 map itself, no note; Oudsbergen partially (Meeuwen's ended 30/06)
        html = self.get("/?date=2019-07-01")
        self.assertFalse("Vóór 2019" in html, "the legend note in 2019")
        self.assertFalse("vóór 2019" in html, "the description note in 2019")
        self.assertEqual(muni(html, "72042"), ("Oudsbergen — gedeeltelijk gedekt", "s-partial"))
        # the chart starts in the month of the earliest agreement, January 2007
        self.has("Gedekte gemeenten per maand sinds januari 2007</h2>", html)
        self.has('data-first="2007-01-01"', html)
        rows = re.findall(r'<tr><th scope="row">(\d\d)/(\d{4})</th>', html)
        y, m = time.localtime().tm_year, time.localtime().tm_mon
        self.assertEqual(len(rows), (y - 2007) * 12 + m)  # January 2007 .. this month
        self.assertEqual(rows[-1], ("01", "2007"))  # newest first
        self.assertEqual(rows[0], ("%02d" % m, str(y)))
        # June 2017 in the chart's table: Flanders 5/308 = 1.6 -> 2
        self.assertTrue(re.search(r'<tr><th scope="row">06/2017</th>(<td class="num">\d+</td>){5}<td class="num">2</td>',
                                  html), "June 2017 in the chart's table")

    def test_3_before_the_map_is_refused(self):
        r = self.client.get("/?date=1982-12-31")
        self.assertEqual(r.status, 400)
        self.assertEqual(self.client.get("/?date=1983-01-01").status, 200)


if __name__ == "__main__":
    require_env("test_map1983", "SOMON", "SOMON_TMP")
    result = unittest.main(exit=False, verbosity=1).result
    failed = len(result.failures) + len(result.errors)
    print("%d passed, %d failed" % (result.testsRun - failed, failed))
    sys.exit(1 if failed or not result.wasSuccessful() else 0)
