# SPDX-License-Identifier: AGPL-3.0-or-later
"""The directory tasks of the README, in the browser, on a desktop screen with
JavaScript and on a phone 375 pixels wide without it: the main box finds a
postcode however it is typed, a typo offers the nearest name and the offer
leads to the school, "near a postcode" lists the nearest first, and a place
nobody can find comes back on the same page with the typed value kept, the
message by the field and the focus on the error summary. axe-core finds
nothing on any of these pages and none scrolls sideways."""
import os
import subprocess
import sys
from urllib.parse import urlencode

import pytest
from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "http"))
from conftest import DESKTOP, PHONE, axe_violations, click_and_wait, console_errors, open_page, use_screen  # noqa: E402
from tandem_server import BIN, ROOT, Server  # noqa: E402

SCREENS = [("desktop", DESKTOP, True), ("phone", PHONE, False)]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("directory") / "demo.db")
    env = dict(os.environ, TANDEM_SHARE=ROOT)
    subprocess.run(["sh", os.path.join(ROOT, "scripts", "load-demo"), BIN, db], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    s = Server(db=db)
    yield s
    s.close()


def search(b, server, field, typed, javascript):
    """Type into one of the directory form's boxes and press its button; without JavaScript
    the page the form leads to (a GET form: its address) loads with scripting off too."""
    if javascript:
        box = b.find_element(By.ID, field)
        box.clear()
        box.send_keys(typed)
        click_and_wait(b, box.find_element(By.XPATH, "./ancestor::form//button[@type='submit']"))
    else:
        open_page(b, server.url + "/schools?" + urlencode({field: typed}), False)


def follow(b, server, link_text, javascript):
    """Follow a link as a person would (without JavaScript, its page loads with scripting off)."""
    link = b.find_element(By.LINK_TEXT, link_text)
    if javascript:
        click_and_wait(b, link)
    else:
        open_page(b, link.get_attribute("href"), False)


def distances(b):
    return [float(td.text.split()[0]) for td in b.find_elements(By.CSS_SELECTOR, "main td[data-label=Distance]")]


def fits(b):
    return b.execute_script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def result_names(b):
    return [a.text for a in b.find_elements(By.CSS_SELECTOR, "main table.results td[data-label=School] a")]


@pytest.mark.parametrize("screen,metrics,javascript", SCREENS)
def test_the_main_box_finds_a_postcode_however_it_is_typed(browser, server, axe_source, screen, metrics,
                                                          javascript):
    use_screen(browser, metrics)
    open_page(browser, server.url + "/schools", javascript)
    search(browser, server, "q", "ls165nw", javascript)
    assert "LS16 5NW" in browser.find_element(By.TAG_NAME, "main").text
    kms = distances(browser)
    assert kms and kms[0] == 0 and kms == sorted(kms)
    assert browser.find_element(By.ID, "q").get_attribute("value") == "ls165nw"
    assert fits(browser), "the results scroll sideways on the %s" % screen
    assert axe_violations(browser, axe_source) == []
    if javascript:
        assert console_errors(browser) == []


@pytest.mark.parametrize("screen,metrics,javascript", SCREENS)
def test_a_typo_offers_the_nearest_name_and_the_offer_finds_the_school(browser, server, axe_source, screen,
                                                                       metrics, javascript):
    use_screen(browser, metrics)
    open_page(browser, server.url + "/schools", javascript)
    search(browser, server, "q", "lawnswod", javascript)
    assert "Did you mean" in browser.find_element(By.TAG_NAME, "main").text
    assert axe_violations(browser, axe_source) == []
    follow(browser, server, "Lawnswood", javascript)
    assert any("Lawnswood" in n for n in result_names(browser)), result_names(browser)
    assert fits(browser)


@pytest.mark.parametrize("screen,metrics,javascript", SCREENS)
def test_near_a_postcode_lists_the_nearest_first(browser, server, axe_source, screen, metrics, javascript):
    use_screen(browser, metrics)
    open_page(browser, server.url + "/schools?near=LS6&km=3", javascript)
    kms = distances(browser)
    assert len(kms) > 3 and kms == sorted(kms)
    assert fits(browser)
    assert axe_violations(browser, axe_source) == []


@pytest.mark.parametrize("screen,metrics,javascript", SCREENS)
def test_a_place_nobody_can_find_comes_back_with_what_was_typed_and_the_focus_on_the_summary(
        browser, server, axe_source, screen, metrics, javascript):
    use_screen(browser, metrics)
    open_page(browser, server.url + "/schools", javascript)
    search(browser, server, "near", "ZZ9 9ZZ", javascript)
    assert browser.find_element(By.ID, "near").get_attribute("value") == "ZZ9 9ZZ"
    assert browser.find_element(By.ID, "near-error").is_displayed()
    assert browser.execute_script("return document.activeElement.id") == "error-summary"
    assert fits(browser)
    assert axe_violations(browser, axe_source) == []
