# SPDX-License-Identifier: AGPL-3.0-or-later
"""The broker's journey in the browser, on the demo data (whose `tandem demo`
has already run the broker once): the coordinator opens the broker, runs it
again, and reads the proposals — most of them two-way, each with its
reasons; accepts the one between Adel and Weetwood, which becomes a brokered
introduction both schools' leads see; the lead who can answer accepts it and
a partnership opens, forming. Every page on the way passes axe-core's
checks; fails on console errors; saves screenshots under the build folder."""
import calendar
import os
import re
import subprocess
import sys

import pytest
from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "http"))
from conftest import axe_violations, click_and_wait, console_errors, screenshot, sign_in  # noqa: E402
from tandem_server import BIN, ROOT, Server  # noqa: E402

NET = "/networks/aire-valley-learning-partnership"
T0 = calendar.timegm((2025, 10, 1, 9, 0, 0))  # a Wednesday in the autumn term
DAY = 24 * 3600


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("broker-journey") / "demo.db")
    env = dict(os.environ, TANDEM_SHARE=ROOT, TANDEM_NOW=str(T0 - DAY))
    subprocess.run(["sh", os.path.join(ROOT, "scripts", "load-demo"), BIN, path], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    return path


def main_text(b):
    return b.find_element(By.TAG_NAME, "main").text


def test_the_coordinator_brokers_a_two_way_partnership_and_a_lead_accepts_it(browser, db, axe_source):
    b = browser
    server = Server(db=db, env={"TANDEM_NOW": str(T0)})
    problems = []
    try:
        # The demo has run the broker once: the coordinator finds its proposals and runs it again.
        sign_in(b, server, "coordinator@tandem.example")
        b.get(server.url + NET + "/broker")
        assert "Run the broker again" in main_text(b)
        click_and_wait(b, b.find_element(By.CSS_SELECTOR, "form#b-run button[type=submit]"))
        assert b.current_url.endswith(NET + "/broker")
        text = main_text(b)
        m = re.search(r"(\d+) of (\d+) proposals are two-way", text)
        assert m, text
        two_way, proposals = int(m.group(1)), int(m.group(2))
        assert proposals >= 6 and two_way * 2 > proposals  # most proposals are two-way
        assert "no school is over its capacity" in text.lower() or "over their capacity" not in text
        problems += ["broker: %s" % v for v in axe_violations(b, axe_source)]
        screenshot(b, "broker-review")

        # The proposal between Adel and Weetwood explains itself, then the coordinator accepts it.
        pair = [a for a in b.find_elements(By.CSS_SELECTOR, "article[id^=proposal-]")
                if "Adel Primary School" in a.find_element(By.TAG_NAME, "h3").text
                and "Weetwood Primary School" in a.find_element(By.TAG_NAME, "h3").text]
        assert len(pair) == 1
        assert "Both schools gain" in pair[0].text
        click_and_wait(b, pair[0].find_element(By.CSS_SELECTOR, "form[action$='/accept'] button"))
        assert b.current_url.split("#")[0].endswith(NET + "/broker")
        problems += ["broker, after accepting: %s" % v for v in axe_violations(b, axe_source)]
        assert console_errors(b) == []

        # Both schools' leads see the brokered introduction; the one it asks answers yes.
        answerer = None
        for email, other in (("lead.weetwood@tandem.example", "Adel Primary School"),
                             ("lead.adel@tandem.example", "Weetwood Primary School")):
            sign_in(b, server, email)
            b.get(server.url + "/introductions")
            row = [tr for tr in b.find_elements(By.CSS_SELECTOR, "main tbody tr") if other in tr.text]
            assert len(row) == 1
            click_and_wait(b, row[0].find_element(By.TAG_NAME, "a"))
            problems += ["introduction (%s): %s" % (email, v) for v in axe_violations(b, axe_source)]
            if b.find_elements(By.CSS_SELECTOR, "form[action$='/accept'] button[type=submit]"):
                answerer = (email, b.current_url)
        assert answerer is not None
        sign_in(b, server, answerer[0])
        b.get(answerer[1])
        click_and_wait(b, b.find_element(By.CSS_SELECTOR, "form[action$='/accept'] button[type=submit]"))
        assert "forming" in main_text(b)
        assert "/partnerships/" in b.current_url
        problems += ["partnership: %s" % v for v in axe_violations(b, axe_source)]
        screenshot(b, "broker-partnership")
        assert console_errors(b) == []
        assert problems == []
    finally:
        assert server.close() == 0, "".join(server.log[-40:])
