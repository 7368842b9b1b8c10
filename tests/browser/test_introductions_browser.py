# SPDX-License-Identifier: AGPL-3.0-or-later
"""Asking for an introduction in the browser (issue 11), at desktop and
phone widths: the Weetwood lead reaches Adel Primary from the box above the
similar-schools list, sends an empty message and gets the form back with the
message next to the field and in the summary, then asks with a
reason; the list says "Asked" from then on, and asking again is not
possible. Adel's lead reads who asked and why, with Accept filled and
Decline quiet. Fails on console errors."""
import calendar
import os
import subprocess
import sys

import pytest
from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "http"))
from conftest import click_and_wait, console_errors, screenshot, sign_in  # noqa: E402
from tandem_server import BIN, ROOT, Server  # noqa: E402

WEETWOOD, ADEL = 107897, 107892
T0 = calendar.timegm((2026, 12, 6, 10, 0, 0))
PHONE = {"width": 375, "height": 800, "deviceScaleFactor": 1, "mobile": True}
DESKTOP = {"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": False}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("intro-journey") / "demo.db")
    env = dict(os.environ, TANDEM_SHARE=ROOT, TANDEM_NOW=str(T0))
    subprocess.run(["sh", os.path.join(ROOT, "scripts", "load-demo"), BIN, path], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    return path


def network_box(b):
    return b.find_element(By.CSS_SELECTOR, "nav[aria-labelledby='mine-title']")


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_lead_asks_once_with_a_reason_and_the_other_lead_reads_who_and_why(browser, db, screen):
    b = browser
    b.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", DESKTOP)
    server = Server(db=db, env={"TANDEM_NOW": str(T0)})
    try:
        sign_in(b, server, "lead.weetwood@tandem.example")
        b.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", screen)
        b.get(server.url + "/schools/%d/similar" % WEETWOOD)
        box = network_box(b)
        # The box comes before the list, so the school is reached without scrolling past it.
        assert box.location["y"] < b.find_element(By.CSS_SELECTOR, "ol.similar").location["y"]
        item = [li for li in box.find_elements(By.TAG_NAME, "li") if "Adel Primary School" in li.text][0]
        if "Asked" in item.text:  # the second screen: asked on the first
            click_and_wait(b, item.find_element(By.PARTIAL_LINK_TEXT, "asked on 6 December 2026"))
            assert "Asked on 6 December 2026, waiting for Adel Primary School to answer." in \
                b.find_element(By.TAG_NAME, "main").text
            assert not b.find_elements(By.CSS_SELECTOR, "form[action$='/accept']")
            b.get(server.url + "/introductions/new?to=%d" % ADEL)
            assert "You asked on 6 December 2026" in b.find_element(By.TAG_NAME, "main").text
            assert not b.find_elements(By.CSS_SELECTOR, "main form[action='/introductions']")
            assert console_errors(b) == []
            return
        click_and_wait(b, item.find_element(By.PARTIAL_LINK_TEXT, "Ask for an introduction"))
        # No reason given: refused, the message by the field and in the summary, the school kept.
        click_and_wait(b, b.find_element(By.CSS_SELECTOR, "main form[action='/introductions'] button[type=submit]"))
        error = b.find_element(By.ID, "ask-message-error")
        assert "Say why you would like to work together" in error.text
        assert b.find_elements(By.CSS_SELECTOR, "#error-summary a[href='#ask-message']")
        # The refused form's 400 is the only thing the console may hold.
        assert all("status of 400" in e["message"] for e in console_errors(b))
        assert "Adel Primary School" in b.find_element(By.TAG_NAME, "main").text
        b.find_element(By.ID, "ask-message").send_keys("Your reasoning work is what we need.")
        click_and_wait(b, b.find_element(By.CSS_SELECTOR, "main form[action='/introductions'] button[type=submit]"))
        assert "Waiting for Adel Primary School to answer" in b.find_element(By.TAG_NAME, "main").text
        screenshot(b, "introductions-" + ("phone" if screen is PHONE else "desktop"))
        b.get(server.url + "/schools/%d/similar" % WEETWOOD)
        item = [li for li in network_box(b).find_elements(By.TAG_NAME, "li") if "Adel Primary School" in li.text][0]
        assert "Asked" in item.text and "Ask for an introduction" not in item.text

        # Adel's lead: who asked whom and why; Accept filled, Decline quiet.
        b.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", DESKTOP)
        sign_in(b, server, "lead.adel@tandem.example")
        b.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", screen)
        b.get(server.url + "/partnerships")
        click_and_wait(b, b.find_element(By.CSS_SELECTOR, "section[aria-labelledby='to-answer-title'] a"))
        main = b.find_element(By.TAG_NAME, "main").text
        assert "of Weetwood Primary School asked to be introduced to Adel Primary School" in main
        assert "Your reasoning work is what we need." in main
        accept = b.find_element(By.XPATH, "//button[normalize-space()='Accept the introduction']")
        decline = b.find_element(By.XPATH, "//button[normalize-space()='Decline the introduction']")
        look = "return [getComputedStyle(arguments[0]).backgroundColor, getComputedStyle(arguments[0]).color]"
        assert b.execute_script(look, accept) != b.execute_script(look, decline)
        assert b.execute_script("return document.documentElement.scrollWidth") <= screen["width"]
        assert console_errors(b) == []
    finally:
        b.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", DESKTOP)
        server.stop()
