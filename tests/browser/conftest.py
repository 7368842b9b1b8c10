# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the browser tests share: Debian's chromium, headless, driven by
selenium (one browser per test module); reading its console errors; a
click that waits for the page it leads to, so a test never reads the page it
is leaving; the phone and desktop screens; opening a page with or without
JavaScript; and axe-core (from npm, pinned) run in the page."""
import os
import sys

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "http"))
from tandem_server import ROOT  # noqa: E402

BUILD = os.environ.get("TANDEM_BUILD", os.path.join(ROOT, "build", "test"))
AXE = os.path.join(ROOT, "node_modules", "axe-core", "axe.min.js")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 375, "height": 800, "deviceScaleFactor": 1, "mobile": True}
DESKTOP = {"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": False}
DEMO_PASSWORD = "aire-valley-demo"  # every demo account's (`tandem demo`)


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


@pytest.fixture(scope="module")
def axe_source():
    assert os.path.exists(AXE), "axe-core is not installed: run scripts/bootstrap test (it runs npm ci)"
    with open(AXE, encoding="utf-8") as f:
        return f.read()


def use_screen(b, metrics):
    b.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


def open_page(b, url, javascript):
    """Load url and wait for it; without JavaScript the page's own scripts never
    run (scripting is off while it loads, then back on for the checks)."""
    if not javascript:
        b.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        b.get(url)
    finally:
        if not javascript:
            b.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
    WebDriverWait(b, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    scripted = b.execute_script("return document.documentElement.classList.contains('js')")
    assert scripted == javascript, "%s: the page's script %s" % (url, "did not run" if javascript else "ran")


def axe_violations(b, source):
    """axe-core's violations of AXE_TAGS on the page: ["rule: help — html", ...]."""
    if not b.execute_script("return !!window.axe"):
        b.execute_script(source)
    found = b.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(function (r) { done(r.violations.map(function (v) {"
        "  return v.id + ': ' + v.help + ' — ' + v.nodes.map(function (n) { return n.html.slice(0, 160); }).join(' | ');"
        "})); }, function (e) { done(['axe failed: ' + e]); });", AXE_TAGS)
    return found


def sign_in(b, server, email, password=DEMO_PASSWORD):
    """Sign in as email from the sign-in page (a fresh browser session first)."""
    b.delete_all_cookies()
    b.get(server.url + "/sign-in")
    b.find_element(By.NAME, "email").send_keys(email)
    b.find_element(By.NAME, "password").send_keys(password)
    click_and_wait(b, b.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "Sign out" in b.find_element(By.TAG_NAME, "header").text


def submit(b, action_suffix, text=None):
    """Press the submit button (with text, when given) of the form whose action ends with action_suffix."""
    buttons = b.find_elements(By.CSS_SELECTOR, "form[action$='%s'] button[type=submit]" % action_suffix)
    if text:
        buttons = [x for x in buttons if x.text.strip().startswith(text)]
    assert buttons, (action_suffix, text)
    click_and_wait(b, buttons[0])


def fill(b, name, value, form=None):
    """Type value into the field called name (of the form whose action ends with form, when given)."""
    scope = b.find_element(By.CSS_SELECTOR, "form[action$='%s']" % form) if form else b
    el = scope.find_element(By.NAME, name)
    if el.tag_name == "select":
        Select(el).select_by_value(value)
    elif el.get_attribute("type") in ("date", "time"):
        b.execute_script("arguments[0].value = arguments[1]", el, value)
    else:
        el.clear()
        el.send_keys(value)
