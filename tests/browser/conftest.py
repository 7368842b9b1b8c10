# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the browser tests share: Debian's chromium, headless, driven by
selenium (one browser per test module); reading its console errors; and a
click that waits for the page it leads to, so a test never reads the page it
is leaving."""
import os
import sys

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "http"))
from tandem_server import ROOT  # noqa: E402

BUILD = os.environ.get("TANDEM_BUILD", os.path.join(ROOT, "build", "test"))


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


def console_errors(driver):
    """The console's errors since the last call (reading the log empties it)."""
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def click_and_wait(driver, element):
    """Click, then wait until a new page has loaded (the old one is marked before the click)."""
    driver.execute_script("document.documentElement.dataset.leaving = '1'")
    element.click()
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "return document.readyState === 'complete' && !document.documentElement.dataset.leaving"))


def screenshot(driver, name):
    """Save the page as build/test/screenshot-NAME.png."""
    os.makedirs(BUILD, exist_ok=True)
    driver.save_screenshot(os.path.join(BUILD, "screenshot-%s.png" % name))
