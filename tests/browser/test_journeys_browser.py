# SPDX-License-Identifier: AGPL-3.0-or-later
"""Browser journeys on the demo data: find a school and its similar schools,
then sign in as the demo coordinator and open the network. Fails on console
errors; saves screenshots under the build folder."""
import os
import subprocess
import sys

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "http"))
from tandem_server import BIN, ROOT, Server  # noqa: E402

BUILD = os.environ.get("TANDEM_BUILD", os.path.join(ROOT, "build", "test"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("journeys") / "demo.db")
    env = dict(os.environ, TANDEM_SHARE=ROOT)
    subprocess.run(["sh", os.path.join(ROOT, "scripts", "load-demo"), BIN, db], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    s = Server(db=db)
    yield s
    s.close()


@pytest.fixture(scope="module")
def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1280,1000"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    yield driver
    driver.quit()


def no_console_errors(driver):
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []


def test_find_a_school_and_its_similar_schools(browser, server):
    browser.get(server.url + "/schools")
    box = browser.find_element(By.ID, "q")
    box.send_keys("quarry mount")
    box.submit()
    browser.find_element(By.LINK_TEXT, "Quarry Mount Primary School").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Quarry Mount Primary School"
    browser.find_element(By.LINK_TEXT, "See and adjust the full list").click()
    items = browser.find_elements(By.CSS_SELECTOR, "ol.similar > li")
    assert len(items) == 30
    assert "pupils vs" in items[0].text
    os.makedirs(BUILD, exist_ok=True)
    browser.save_screenshot(os.path.join(BUILD, "screenshot-similar.png"))
    assert no_console_errors(browser)


def test_the_coordinator_signs_in_and_sees_the_network(browser, server):
    browser.get(server.url + "/sign-in")
    browser.find_element(By.NAME, "email").send_keys("coordinator@tandem.example")
    browser.find_element(By.NAME, "password").send_keys("aire-valley-demo")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    assert "Cora Coordinator" in browser.find_element(By.TAG_NAME, "header").text
    browser.get(server.url + "/networks/aire-valley-learning-partnership")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Aire Valley Learning Partnership"
    assert "Member schools (13)" in browser.page_source
    browser.save_screenshot(os.path.join(BUILD, "screenshot-network.png"))
    assert no_console_errors(browser)
