# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every page type, as every demo role, checked in the browser.

On the demo network with a partnership in every state (demo_world.py), each
role signs in and opens every kind of page, the ones it is refused included
(their error pages), twice: on a desktop screen with JavaScript, and on a
phone 375 pixels wide with JavaScript turned off. Each time axe-core (from
npm, pinned in package-lock.json, injected into the page) must find no
violation of WCAG 2.0, 2.1 or 2.2 at levels A and AA. On the phone no page
scrolls sideways, the header takes one line, and every table cell carries its
column's heading as data-label (tables become labelled stacked rows). On the
desktop, buttons that remove something are marked .button--danger, and
buttons that change, remove or only move on never look the same. Refused
forms (a wrong password at sign-in and at a password change) pass axe with
their messages shown, both ways. With JavaScript, stacked tables carry
their table roles written out for screen readers. Then the menu: on a phone it opens and
leads somewhere without JavaScript, and from the keyboard; on a desktop the
navigation shows without it."""
import os
import sys
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "http"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import demo_world  # noqa: E402
from conftest import (DESKTOP, PHONE, axe_violations, click_and_wait, console_errors, open_page,  # noqa: E402
                      screenshot, use_screen)

DANGER_WORDS = ("Remove", "Delete", "Revoke", "Withdraw", "Decline", "Close", "Turn off")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = demo_world.build(str(tmp_path_factory.mktemp("every-page")))
    yield w
    w.server.close()


PHONE_CHECKS = """
var problems = [];
var root = document.documentElement;
if (root.scrollWidth > root.clientWidth || window.innerWidth !== 375)
  problems.push('scrolls sideways: ' + root.scrollWidth + 'px wide in a ' + root.clientWidth + 'px window');
var parts = Array.prototype.filter.call(document.querySelector('.site-header__inner').children,
  function (e) { return e.getClientRects().length; }).map(function (e) { return e.getBoundingClientRect(); });
var top = Math.max.apply(null, parts.map(function (r) { return r.top; }));
var bottom = Math.min.apply(null, parts.map(function (r) { return r.bottom; }));
if (!(top < bottom)) problems.push('the header takes more than one line');
document.querySelectorAll('main table').forEach(function (table) {
  var heads = Array.prototype.map.call(table.querySelectorAll('thead th'), function (th) {
    return th.querySelector('.visually-hidden') ? '' : th.textContent.trim(); });
  table.querySelectorAll('tbody tr').forEach(function (tr) {
    Array.prototype.forEach.call(tr.children, function (td, i) {
      if (td.colSpan > 1) return;
      var want = (heads[i] || '').replace(/\\s*\\(since .*\\)$/, '');
      var got = td.getAttribute('data-label') || '';
      if (got !== want) problems.push('a cell of the column "' + heads[i] + '" has data-label "' + got + '"');
    });
  });
  if (table.getBoundingClientRect().width > root.clientWidth) problems.push('a table is wider than the screen');
});
return problems;
"""

BUTTON_CHECKS = """
var words = arguments[0], problems = [], looks = {};
function kind(el) {
  if (el.classList.contains('link-button') || el.closest('.site-header')) return null;
  if (el.tagName === 'A' || el.classList.contains('button--secondary')) return 'moves on';
  var form = el.form;
  if (!form) return null;
  if ((form.getAttribute('method') || 'get').toLowerCase() === 'get') return 'moves on';
  return el.classList.contains('button--danger') ? 'removes' : 'changes';
}
document.querySelectorAll('main a.button, main button').forEach(function (el) {
  var text = el.textContent.trim(), k = kind(el);
  if (!k) return;
  if (words.some(function (w) { return text.indexOf(w) === 0; }) && k !== 'removes' && k !== 'moves on')
    problems.push('"' + text + '" removes something but is not .button--danger');
  var s = getComputedStyle(el);
  (looks[k] = looks[k] || {})[s.backgroundColor + ' ' + s.color] = text;
});
return [problems, looks];
"""


def sign_in(b, server, role):
    b.delete_all_cookies()
    if role == "anonymous":
        return
    use_screen(b, DESKTOP)
    open_page(b, server.url + "/sign-in", True)
    b.find_element(By.NAME, "email").send_keys(demo_world.ROLES[role])
    b.find_element(By.NAME, "password").send_keys(demo_world.PASSWORD)
    click_and_wait(b, b.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert b.find_elements(By.CSS_SELECTOR, "header a[href='/account']"), "%s did not sign in" % role


def page_key(b, asked):
    """What makes a page a page type worth checking again for one role: its
    error, or where it landed (a page that sends the role to sign in is the
    sign-in page)."""
    if b.find_elements(By.CSS_SELECTOR, "main .panel--error"):
        return "error: " + b.title
    landed = urlparse(b.current_url)
    return asked if landed.path == urlparse(asked).path else landed.path


def main_content(b):
    """The page's title and main content, without the session's CSRF token: two
    roles shown the same content are shown the same page but for the header."""
    return b.execute_script(
        "return document.title + '\\n' + document.querySelector('main').innerHTML"
        ".replace(/name=\"csrf\" value=\"[^\"]*\"/g, '');")


@pytest.fixture(scope="module")
def contents_checked():
    """The main contents already checked, by any role: each is checked once."""
    return set()


def shown_links(b):
    """The header's navigation links a person can see now (a closed menu hides them)."""
    return b.execute_script(
        "return Array.prototype.filter.call(document.querySelectorAll('header nav a'), function (a) {"
        "  return a.checkVisibility() && a.getBoundingClientRect().height > 0;"
        "}).map(function (a) { return a.textContent.trim(); });")


@pytest.mark.parametrize("role", ["anonymous", *demo_world.ROLES])
def test_every_page_passes_axe_fits_a_phone_and_shows_what_its_buttons_do(browser, world, axe_source,
                                                                          contents_checked, role):
    b, server = browser, world.server
    sign_in(b, server, role)
    problems, looks, seen, checked = [], {}, set(), 0
    for path in demo_world.pages(world, role):
        url = server.url + path
        # Desktop, with JavaScript.
        use_screen(b, DESKTOP)
        console_errors(b)
        open_page(b, url, True)
        key, content = page_key(b, path), main_content(b)
        # Each role's own header is checked on its first pages; after that a page
        # whose content another role was already shown is not checked again.
        if key in seen or (checked >= 1 and content in contents_checked):
            continue
        seen.add(key)
        contents_checked.add(content)
        checked += 1
        error_page = key.startswith("error: ")
        problems += ["%s (desktop): %s" % (path, v) for v in axe_violations(b, axe_source)]
        wrong, page_looks = b.execute_script(BUTTON_CHECKS, list(DANGER_WORDS))
        problems += ["%s: %s" % (path, p) for p in wrong]
        for k, v in page_looks.items():
            looks.setdefault(k, {}).update(v)
        if not b.find_elements(By.CSS_SELECTOR, "footer a[href='/accessibility']"):
            problems.append("%s: no link to the accessibility statement in the footer" % path)
        errors = console_errors(b)
        if errors and not error_page:
            problems.append("%s: console errors %s" % (path, errors))
        # A phone, without JavaScript.
        use_screen(b, PHONE)
        open_page(b, url, False)
        problems += ["%s (phone, no JavaScript): %s" % (path, v) for v in axe_violations(b, axe_source)]
        problems += ["%s (phone): %s" % (path, p) for p in b.execute_script(PHONE_CHECKS)]
        console_errors(b)
    use_screen(b, DESKTOP)
    # Buttons that change, remove or move on never share a look (background and text colour).
    kinds = sorted(looks)
    for i, a in enumerate(kinds):
        for other in kinds[i + 1:]:
            for look in set(looks[a]) & set(looks[other]):
                problems.append('"%s" (%s) looks like "%s" (%s): %s' % (
                    looks[a][look], a, looks[other][look], other, look))
    assert checked >= 1, "only %d page types were checked as %s" % (checked, role)
    assert problems == [], "\n".join(problems)


def submit(b, button, javascript):
    """Press a form's button and wait for the page it leads to, with or without JavaScript."""
    if not javascript:
        b.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        click_and_wait(b, button)
    finally:
        if not javascript:
            b.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
    scripted = b.execute_script("return document.documentElement.classList.contains('js')")
    assert scripted == javascript


@pytest.mark.parametrize("javascript,person", [(True, "governor"), (False, "staff")],
                         ids=["desktop-with-javascript", "phone-without-javascript"])
def test_refused_forms_pass_axe_with_their_messages(browser, world, axe_source, javascript, person):
    b, server = browser, world.server
    problems = []
    try:
        # Signing in with a wrong password.
        sign_in(b, server, "anonymous")
        use_screen(b, DESKTOP if javascript else PHONE)
        open_page(b, server.url + "/sign-in", javascript)
        b.find_element(By.NAME, "email").send_keys("nobody.%s@tandem.example" % person)
        b.find_element(By.NAME, "password").send_keys("not the password")
        submit(b, b.find_element(By.CSS_SELECTOR, "main form button[type=submit]"), javascript)
        assert "There is a problem" in b.find_element(By.CSS_SELECTOR, ".error-summary").text
        problems += ["sign-in: %s" % v for v in axe_violations(b, axe_source)]
        # Changing the password with a wrong current password.
        sign_in(b, server, person)
        use_screen(b, DESKTOP if javascript else PHONE)
        open_page(b, server.url + "/account/password", javascript)
        b.find_element(By.NAME, "current_password").send_keys("not the password")
        b.find_element(By.NAME, "password").send_keys("a new long pass phrase")
        b.find_element(By.NAME, "password_confirm").send_keys("a new long pass phrase")
        submit(b, b.find_element(By.CSS_SELECTOR, "main form button[type=submit]"), javascript)
        assert b.find_elements(By.CSS_SELECTOR, "main .error-summary, main [aria-invalid=true]")
        problems += ["password: %s" % v for v in axe_violations(b, axe_source)]
        if not javascript:
            problems += ["password (phone): %s" % p for p in b.execute_script(PHONE_CHECKS)]
    finally:
        use_screen(b, DESKTOP)
    assert problems == [], "\n".join(problems)


def test_on_a_phone_the_menu_opens_without_javascript_and_from_the_keyboard(browser, world):
    b, server = browser, world.server
    sign_in(b, server, "lead")
    use_screen(b, PHONE)
    try:
        open_page(b, server.url + "/schools", False)
        button = b.find_element(By.CSS_SELECTOR, "header summary.site-menu__button")
        assert button.is_displayed() and button.text == "Menu"
        assert shown_links(b) == []
        button.click()
        assert b.find_element(By.CSS_SELECTOR, "header details.site-menu").get_attribute("open") is not None
        assert shown_links(b) == ["Home", "Schools", "Networks", "Partnerships", "My learning", "Lee Lead: your account"]
        assert b.execute_script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        screenshot(b, "phone-menu")
        click_and_wait(b, b.find_element(By.CSS_SELECTOR, "header nav a[href='/partnerships']"))
        assert b.find_element(By.TAG_NAME, "h1").text == "Partnerships"
        # From the keyboard: the skip link, the home link, then the menu button, which Enter opens.
        open_page(b, server.url + "/", False)
        body = b.find_element(By.TAG_NAME, "body")
        body.send_keys(Keys.TAB)
        for _ in range(2):
            b.switch_to.active_element.send_keys(Keys.TAB)
        active = b.switch_to.active_element
        assert active.tag_name == "summary"
        active.send_keys(Keys.ENTER)
        assert "Schools" in shown_links(b)
    finally:
        use_screen(b, DESKTOP)


def test_with_javascript_escape_closes_the_menu_and_focus_returns_to_its_button(browser, world):
    b, server = browser, world.server
    sign_in(b, server, "anonymous")
    use_screen(b, PHONE)
    try:
        open_page(b, server.url + "/", True)
        button = b.find_element(By.CSS_SELECTOR, "header summary.site-menu__button")
        button.click()
        assert "Schools" in shown_links(b)
        b.find_element(By.CSS_SELECTOR, "header nav a[href='/schools']").send_keys(Keys.ESCAPE)
        assert b.find_element(By.CSS_SELECTOR, "header details.site-menu").get_attribute("open") is None
        assert b.switch_to.active_element.tag_name == "summary"
        assert shown_links(b) == []
    finally:
        use_screen(b, DESKTOP)


def test_with_javascript_stacked_tables_keep_their_roles_for_screen_readers(browser, world):
    b, server = browser, world.server
    sign_in(b, server, "coordinator")
    use_screen(b, PHONE)
    try:
        open_page(b, server.url + demo_world.NET, True)
        roles = b.execute_script(
            "var t = document.querySelector('main table'); return [t.getAttribute('role'),"
            " Array.prototype.map.call(t.querySelectorAll('thead th'), function (e) { return e.getAttribute('role'); }),"
            " Array.prototype.map.call(t.querySelectorAll('tbody tr'), function (e) { return e.getAttribute('role'); }),"
            " Array.prototype.map.call(t.querySelectorAll('tbody td'), function (e) { return e.getAttribute('role'); }),"
            " getComputedStyle(t).display];")
        table, heads, rows, cells, display = roles
        assert table == "table" and display == "block"
        assert heads and set(heads) == {"columnheader"}
        assert len(rows) == 13 and set(rows) == {"row"}
        assert cells and set(cells) == {"cell"}
    finally:
        use_screen(b, DESKTOP)


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_desktop_the_navigation_shows_without_a_menu_button(browser, world, javascript):
    b, server = browser, world.server
    sign_in(b, server, "admin")
    use_screen(b, DESKTOP)
    open_page(b, server.url + "/", javascript)
    assert not b.find_element(By.CSS_SELECTOR, "header summary.site-menu__button").is_displayed()
    # With JavaScript the menu is also open (what is shown is what is reported).
    is_open = b.find_element(By.CSS_SELECTOR, "header details.site-menu").get_attribute("open") is not None
    assert is_open == javascript
    assert shown_links(b) == ["Home", "Schools", "Networks", "Partnerships", "My learning", "Admin",
                              "Ada Administrator: your account"]
    account = b.find_element(By.CSS_SELECTOR, "header nav a[href='/account']")
    assert b.execute_script("return arguments[0].getBoundingClientRect().height", account) < 60
    assert b.find_element(By.CSS_SELECTOR, "header .link-button").is_displayed()
