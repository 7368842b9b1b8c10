# SPDX-License-Identifier: AGPL-3.0-or-later
"""Browser journeys on the demo data: find a school and its similar schools,
then sign in as the demo coordinator and open the network. Fails on console
errors; saves screenshots under the build folder."""
import os
import subprocess
import sys

import pytest
from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "http"))
from conftest import BUILD, click_and_wait, console_errors  # noqa: E402
from tandem_server import BIN, ROOT, Server  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("journeys") / "demo.db")
    env = dict(os.environ, TANDEM_SHARE=ROOT)
    subprocess.run(["sh", os.path.join(ROOT, "scripts", "load-demo"), BIN, db], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    s = Server(db=db)
    yield s
    s.close()


def test_find_a_school_and_its_similar_schools(browser, server):
    browser.get(server.url + "/schools")
    box = browser.find_element(By.ID, "q")
    box.send_keys("quarry mount")
    click_and_wait(browser, box.find_element(By.XPATH, "./ancestor::form//button[@type='submit']"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Quarry Mount Primary School"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Quarry Mount Primary School"
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "See and adjust the full list"))
    items = browser.find_elements(By.CSS_SELECTOR, "ol.similar > li")
    assert len(items) == 30
    assert "pupils vs" in items[0].text
    os.makedirs(BUILD, exist_ok=True)
    browser.save_screenshot(os.path.join(BUILD, "screenshot-similar.png"))
    assert console_errors(browser) == []


def test_the_coordinator_signs_in_and_sees_the_network(browser, server):
    browser.get(server.url + "/sign-in")
    browser.find_element(By.NAME, "email").send_keys("coordinator@tandem.example")
    browser.find_element(By.NAME, "password").send_keys("aire-valley-demo")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "Cora Coordinator" in browser.find_element(By.TAG_NAME, "header").text
    browser.get(server.url + "/networks/aire-valley-learning-partnership")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Aire Valley Learning Partnership"
    assert "Member schools (13)" in browser.page_source
    browser.save_screenshot(os.path.join(BUILD, "screenshot-network.png"))
    assert console_errors(browser) == []
