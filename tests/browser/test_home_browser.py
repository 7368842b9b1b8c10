# SPDX-License-Identifier: AGPL-3.0-or-later
"""Browser test: Debian's chromium, headless, opens the front page."""
import os
import sys

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "http"))
from tandem_server import ROOT, Server  # noqa: E402

BUILD = os.environ.get("TANDEM_BUILD", os.path.join(ROOT, "build", "test"))


@pytest.fixture(scope="module")
def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1280,900"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def server():
    s = Server()
    yield s
    s.close()


def console_errors(driver):
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_front_page_opens_with_its_title_and_no_console_errors(browser, server):
    browser.get(server.url + "/")
    assert browser.title == "Schools learning from each other · Tandem"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Schools learning from each other"
    os.makedirs(BUILD, exist_ok=True)
    browser.save_screenshot(os.path.join(BUILD, "screenshot-home.png"))
    assert console_errors(browser) == []


def test_skip_link_is_the_first_thing_focused(browser, server):
    browser.get(server.url + "/")
    browser.find_element(By.TAG_NAME, "body").send_keys("\t")
    active = browser.switch_to.active_element
    assert active.get_attribute("class") == "skip-link"
    assert active.is_displayed()
