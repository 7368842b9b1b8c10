# SPDX-License-Identifier: AGPL-3.0-or-later
"""Browser test: Debian's chromium, headless, opens the front page."""
import os
import sys

import pytest
from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "http"))
from conftest import BUILD, console_errors  # noqa: E402
from tandem_server import Server  # noqa: E402


@pytest.fixture(scope="module")
def server():
    s = Server()
    yield s
    s.close()


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
