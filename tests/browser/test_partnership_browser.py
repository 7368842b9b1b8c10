# SPDX-License-Identifier: AGPL-3.0-or-later
"""The partnership journey in the browser, on the demo data and a clock the
test moves: the Weetwood lead finds Adel Primary among the schools most like
Weetwood and asks for an introduction; Adel's lead accepts, fills in the
agreement on the five foundations with a measure and a risk in its one form
(a refused "Add another risk" keeps everything typed), and signs;
Weetwood's lead signs on the agreement page and the partnership is active;
they meet, log time and evidence, and see it on track; Weetwood's governor
reads the agreement without its buttons; forty days later (a server started on the
same database with a later TANDEM_NOW) it is overdue, and the coordinator
finds it on the "needs attention" list. Fails on console errors; saves
screenshots under the build folder."""
import calendar
import os
import subprocess
import sys

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "http"))
from conftest import click_and_wait, console_errors, fill, screenshot, sign_in, submit  # noqa: E402
from tandem_server import BIN, ROOT, Server  # noqa: E402

SLUG = "aire-valley-learning-partnership"
WEETWOOD, ADEL = 107897, 107892
T0 = calendar.timegm((2025, 10, 1, 9, 0, 0))  # a Wednesday in the autumn term
DAY = 24 * 3600


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("ps-journey") / "demo.db")
    env = dict(os.environ, TANDEM_SHARE=ROOT, TANDEM_NOW=str(T0 - DAY))
    subprocess.run(["sh", os.path.join(ROOT, "scripts", "load-demo"), BIN, path], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    return path


def open_record(b, kind):
    """Press the running page's "Record…" button of kind (a <details>, no JavaScript needed)."""
    details = b.find_element(By.ID, "record-" + kind)
    assert details.get_attribute("open") is None, "the %s form should start folded" % kind
    details.find_element(By.TAG_NAME, "summary").click()
    assert details.get_attribute("open") is not None


def test_two_similar_schools_become_partners_and_the_coordinator_sees_when_it_fades(browser, db):
    b = browser
    server = Server(db=db, env={"TANDEM_NOW": str(T0)})
    try:
        # Weetwood's lead finds Adel among the schools most like Weetwood, in the same network.
        sign_in(b, server, "lead.weetwood@tandem.example")
        b.get(server.url + "/schools/%d/similar" % WEETWOOD)
        adel = [li for li in b.find_elements(By.CSS_SELECTOR, "ol.similar > li") if "Adel Primary" in li.text][0]
        assert "In Aire Valley Learning Partnership" in adel.text
        click_and_wait(b, adel.find_element(By.PARTIAL_LINK_TEXT, "Ask for an introduction"))
        assert "Adel Primary School" in b.find_element(By.TAG_NAME, "main").text
        fill(b, "message", "Your reasoning work is what we need, and our phonics catch-up may help you.")
        submit(b, "/introductions")
        assert "Adel Primary School" in b.find_element(By.TAG_NAME, "main").text

        # Adel's lead accepts: a partnership opens, forming, and the page says what is missing.
        sign_in(b, server, "lead.adel@tandem.example")
        b.get(server.url + "/introductions")
        click_and_wait(b, b.find_element(By.PARTIAL_LINK_TEXT, "Weetwood Primary School"))
        submit(b, "/accept")
        assert "forming" in b.find_element(By.TAG_NAME, "main").text
        assert "What is missing" in b.page_source
        pid = b.current_url.rstrip("/").rsplit("/", 1)[1]
        base = "/partnerships/" + pid

        # The agreement on the five foundations.
        click_and_wait(b, b.find_element(By.LINK_TEXT, "The agreement"))
        fill(b, "type", "mutual")
        fill(b, "challenge", "Reasoning in upper Key Stage 2 maths, and phonics catch-up in Key Stage 1.")
        fill(b, "outcomes", "A shared reasoning scheme; more Year 6 pupils reasoning at greater depth.")
        fill(b, "themes", "maths\nreading")
        fill(b, "licence", "cc_by")
        fill(b, "starts_on", "1 October 2025")
        fill(b, "ends_on", "17/7/2026")
        for urn in (WEETWOOD, ADEL):
            fill(b, "hours_%d" % urn, "20")
            fill(b, "budget_%d" % urn, "£500")
            fill(b, "objectives_%d" % urn, "yes")
        fill(b, "cadence_weeks", "4")
        Select(b.find_element(By.NAME, "keeper_person_id")).select_by_visible_text(
            "Ade Lead (Adel Primary School)")
        # One form: the measure and the risk are typed in it, and "Add another" keeps everything.
        fill(b, "m_name_1", "Year 6 reasoning at greater depth")
        fill(b, "m_unit_1", "%")
        fill(b, "m_pupil_group_1", "Year 6 pupils")
        fill(b, "m_baseline_1", "eighteen")  # not a number: the form comes back with everything typed
        fill(b, "m_target_1", "30")
        fill(b, "m_method_1", "Termly reasoning paper")
        fill(b, "m_when_1", "Each term")
        fill(b, "r_risk_1", "Staff turnover")
        fill(b, "r_likelihood_1", "2")
        fill(b, "r_impact_1", "3")
        click_and_wait(b, b.find_element(By.XPATH, "//button[normalize-space()='Add another risk']"))
        assert "There is a problem" in b.page_source
        # The refusal's own 400 is the only message in the console (reading the log empties it).
        assert [e for e in console_errors(b) if "status of 400" not in e["message"]] == []
        assert b.find_element(By.NAME, "challenge").get_attribute("value").startswith("Reasoning in upper")
        assert b.find_element(By.NAME, "m_baseline_1").get_attribute("value") == "eighteen"
        assert b.find_element(By.NAME, "r_risk_1").get_attribute("value") == "Staff turnover"
        assert b.find_elements(By.NAME, "r_risk_2")  # the row asked for is there too
        fill(b, "m_baseline_1", "18")
        fill(b, "r_mitigation_1", "Two people from each school")
        fill(b, "r_owner_1", "Both heads")
        click_and_wait(b, b.find_element(By.XPATH, "//form[contains(@action, '/agreement')]"
                                                   "//p/button[normalize-space()='Save the agreement']"))
        assert "What is missing" not in b.page_source
        assert "Saved" in b.find_element(By.TAG_NAME, "main").text
        screenshot(b, "agreement")
        # The Sign button is where the agreement is read; once signed it goes.
        assert "1 October 2025" in b.find_element(By.ID, "text").text
        submit(b, "/sign")
        assert "has not signed yet" in b.page_source
        assert not b.find_elements(By.CSS_SELECTOR, "form[action$='/sign']")

        # Weetwood's lead signs: every lead has signed, so it is active.
        sign_in(b, server, "lead.weetwood@tandem.example")
        b.get(server.url + base)
        click_and_wait(b, b.find_element(By.LINK_TEXT, "The agreement"))
        submit(b, "/sign")
        b.get(server.url + base)
        assert "active since" in b.find_element(By.TAG_NAME, "main").text

        # Running it: a meeting with a decision and an action, time, evidence.
        click_and_wait(b, b.find_element(By.LINK_TEXT, "Meetings, time and evidence"))
        open_record(b, "meeting")
        fill(b, "held_at", "08:00", form="/meetings")
        fill(b, "location", "Weetwood staffroom", form="/meetings")
        fill(b, "notes", "Agreed the outline of the reasoning scheme.", form="/meetings")
        fill(b, "decision", "One reasoning paper for both schools", form="/meetings")
        fill(b, "action", "Draft the reasoning paper", form="/meetings")
        fill(b, "action_due", "2025-10-20", form="/meetings")
        submit(b, "/meetings")
        open_record(b, "time")
        fill(b, "hours", "10", form="/time")
        submit(b, "/time")
        open_record(b, "evidence")
        fill(b, "value", "21", form="/evidence")
        submit(b, "/evidence")
        page = b.find_element(By.TAG_NAME, "main").text
        assert "Weetwood staffroom" in page and "Draft the reasoning paper" in page
        assert b.find_elements(By.CSS_SELECTOR, "svg.chart circle")
        screenshot(b, "running")
        b.get(server.url + base)
        assert "Health: On track" in b.find_element(By.TAG_NAME, "main").text
        assert console_errors(b) == []

        # Weetwood's governor reads the agreement, with nothing to press that would change it.
        sign_in(b, server, "governor.weetwood@tandem.example")
        b.get(server.url + base)
        assert "Close the partnership" not in b.page_source
        click_and_wait(b, b.find_element(By.LINK_TEXT, "The agreement"))
        text = b.find_element(By.ID, "text").text
        assert "Reasoning in upper Key Stage 2 maths" in text and "1 October 2025" in text
        assert not b.find_elements(By.CSS_SELECTOR, "main form[method=post]")
        assert console_errors(b) == []
    finally:
        server.stop()

    # Forty days on, nobody has met: overdue, and the coordinator sees it needs attention.
    later = Server(db=db, env={"TANDEM_NOW": str(T0 + 40 * DAY)})
    try:
        sign_in(b, later, "lead.adel@tandem.example")
        b.get(later.url + base)
        assert "Health: Overdue" in b.find_element(By.TAG_NAME, "main").text
        sign_in(b, later, "coordinator@tandem.example")
        b.get(later.url + "/networks/%s" % SLUG)
        click_and_wait(b, b.find_element(By.LINK_TEXT, "Partnerships needing attention"))
        item = b.find_element(By.CSS_SELECTOR, "main ul.plain li")
        assert "Weetwood Primary School" in item.text and "Overdue" in item.text
        screenshot(b, "attention")
        assert console_errors(b) == []
    finally:
        later.stop()
