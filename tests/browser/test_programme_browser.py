# SPDX-License-Identifier: AGPL-3.0-or-later
"""The programme's journey in the browser (issue 13, "Done when"), on the demo
data and a clock the test moves: the coordinator sets up a course with
facilitators from two schools (Weetwood and Lawnswood) and a session of two
places; staff book and fill it, a third joins the waiting list; a
cancellation offers the place to the first in line, who accepts from the
email's link; on the day the facilitator takes the register; afterwards the
attendee gives feedback and downloads the certificate, and the session is in
My learning. axe-core (WCAG 2.2 AA) on each kind of page on the way, at 1280
and 375 pixels. Fails on console errors; saves screenshots under the build
folder."""
import calendar
import os
import re
import sqlite3
import subprocess
import sys

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "http"))
from conftest import click_and_wait, console_errors, fill, screenshot, sign_in, submit  # noqa: E402
from tandem_server import BIN, ROOT, Server  # noqa: E402

NET = "/networks/aire-valley-learning-partnership"
WEETWOOD = 107897
T0 = calendar.timegm((2025, 10, 1, 9, 0, 0))        # Wednesday 1 October 2025, 10:00 UK time
START = calendar.timegm((2025, 10, 8, 15, 0, 0))    # Wednesday 8 October, 16:00 UK time
END = START + 90 * 60
AXE = os.path.join(ROOT, "node_modules", "axe-core", "axe.min.js")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 375, "height": 800, "deviceScaleFactor": 1, "mobile": True}
DESKTOP = {"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": False}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("programme-journey") / "demo.db")
    env = dict(os.environ, TANDEM_SHARE=ROOT, TANDEM_NOW=str(T0 - 24 * 3600))
    subprocess.run(["sh", os.path.join(ROOT, "scripts", "load-demo"), BIN, path], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    return path


@pytest.fixture(scope="module")
def axe_source():
    assert os.path.exists(AXE), "axe-core is not installed: run scripts/bootstrap test (it runs npm ci)"
    with open(AXE, encoding="utf-8") as f:
        return f.read()


def one(db, sql, *args):
    with sqlite3.connect(db) as c:
        row = c.execute(sql, args).fetchone()
    return row[0] if row else None


def axe_clean(b, source, what):
    """axe-core finds nothing on the page at 1280 and at 375 pixels."""
    problems = []
    for name, metrics in (("desktop", DESKTOP), ("phone", PHONE)):
        b.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        if not b.execute_script("return !!window.axe"):
            b.execute_script(source)
        found = b.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
            ".then(function (r) { done(r.violations.map(function (v) {"
            "  return v.id + ': ' + v.help + ' — ' + v.nodes.map(function (n) { return n.html.slice(0, 160); })"
            ".join(' | '); })); }, function (e) { done(['axe failed: ' + e]); });", AXE_TAGS)
        problems += ["%s (%s): %s" % (what, name, v) for v in found]
        wide = b.execute_script("return document.documentElement.scrollWidth > document.documentElement.clientWidth")
        if name == "phone" and wide:
            problems.append("%s (phone): scrolls sideways" % what)
    b.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", DESKTOP)
    assert problems == []


def test_a_course_from_set_up_to_certificate(browser, db, axe_source):
    b = browser
    server = Server(db=db, env={"TANDEM_NOW": str(T0)})
    try:
        # The coordinator sets up the course, with Sam (Weetwood) leading and Leah (Lawnswood) on the team.
        sign_in(b, server, "coordinator@tandem.example")
        b.get(server.url + NET + "/programme")
        click_and_wait(b, b.find_element(By.LINK_TEXT, "Add a course"))
        fill(b, "title", "Questioning that deepens thinking")
        Select(b.find_element(By.NAME, "theme")).select_by_index(1)
        b.find_element(By.CSS_SELECTOR, "input[name=audience][value=teachers]").click()
        fill(b, "outcomes", "Plan a sequence of questions that moves a class from recall to reasoning.")
        fill(b, "format", "twilight")
        Select(b.find_element(By.NAME, "lead_id")).select_by_visible_text("Sam Staff (Weetwood Primary School)")
        submit(b, "/programme/courses")
        assert "The course is in the programme" in b.page_source
        course_url = b.current_url.split("?")[0]
        Select(b.find_element(By.NAME, "person_id")).select_by_visible_text(
            "Leah Lead (Lawnswood School)")
        submit(b, "/facilitators")
        team = b.find_element(By.TAG_NAME, "main").text
        assert "Sam Staff (Weetwood Primary School)" in team and "Leah Lead (Lawnswood School)" in team
        fill(b, "day", "2025-10-08", form="/sessions")
        fill(b, "start", "16:00", form="/sessions")
        fill(b, "end", "17:30", form="/sessions")
        fill(b, "venue_urn", str(WEETWOOD), form="/sessions")
        fill(b, "capacity", "2", form="/sessions")
        submit(b, "/sessions")
        session_url = b.current_url.split("?")[0]
        sid = int(session_url.rsplit("/", 1)[1])
        axe_clean(b, axe_source, "the session, for the coordinator")
        b.get(course_url)
        axe_clean(b, axe_source, "the course, for the coordinator")
        screenshot(b, "programme-course")

        # Two people fill it; a third joins the waiting list.
        for who in ("lead.adel@tandem.example", "governor.weetwood@tandem.example"):
            sign_in(b, server, who)
            b.get(session_url)
            submit(b, "/book", "Book a place")
            assert "Your booked place" in b.page_source
        sign_in(b, server, "lead.lawnswood@tandem.example")
        b.get(session_url)
        assert "Book a place" not in b.page_source
        submit(b, "/book", "Join the waiting list")
        assert "number 1 on the waiting list" in b.page_source
        axe_clean(b, axe_source, "the session, for someone in line")

        # The governor cancels: the place is offered at once to the first in line.
        sign_in(b, server, "governor.weetwood@tandem.example")
        b.get(session_url)
        submit(b, "/cancel", "Cancel my place")
        body = one(db, "SELECT body FROM outbox WHERE to_addr = ? AND subject LIKE ? ORDER BY id DESC",
                   "lead.lawnswood@tandem.example", "A place for you:%")
        link = re.search(r"/offers/[A-Za-z0-9_-]+\?answer=accept", body).group(0)
        sign_in(b, server, "lead.lawnswood@tandem.example")
        b.get(server.url + link)
        assert "A place for you" in b.find_element(By.TAG_NAME, "h1").text
        axe_clean(b, axe_source, "the offer")
        submit(b, "/offers/" + link.split("/offers/")[1].split("?")[0], "Accept the place")
        b.get(session_url)
        assert "Your booked place" in b.page_source
        ics = one(db, "SELECT attachment FROM outbox WHERE to_addr = ? AND subject LIKE ? ORDER BY id DESC",
                  "lead.lawnswood@tandem.example", "Your place:%")
        assert "METHOD:PUBLISH" in ics and "DTSTART:20251008T150000Z" in ics
        assert console_errors(b) == []
    finally:
        assert server.close() == 0, "".join(server.log[-40:])

    # On the day: the facilitator takes the register.
    server = Server(db=db, env={"TANDEM_NOW": str(START + 10 * 60)})
    try:
        sign_in(b, server, "staff.weetwood@tandem.example")
        b.get(server.url + "/" + session_url.split("/", 3)[3] + "/register")
        axe_clean(b, axe_source, "the register")
        for row in b.find_elements(By.CSS_SELECTOR, "input[type=radio][value=present]"):
            row.click()
        submit(b, "/register", "Save the register")
        assert console_errors(b) == []
    finally:
        assert server.close() == 0, "".join(server.log[-40:])

    # Afterwards: feedback, the certificate, My learning.
    server = Server(db=db, env={"TANDEM_NOW": str(END + 3600)})
    try:
        path = "/" + session_url.split("/", 3)[3]
        sign_in(b, server, "lead.adel@tandem.example")
        b.get(server.url + path)
        click_and_wait(b, b.find_element(By.LINK_TEXT, "Give feedback on this session"))
        axe_clean(b, axe_source, "the feedback survey")
        b.find_element(By.CSS_SELECTOR, "input[name=q_useful][value='5']").click()
        b.find_element(By.CSS_SELECTOR, "input[name=q_confidence][value='4']").click()
        fill(b, "q_learnt", "Wait time after a question matters more than the question.")
        submit(b, "/feedback", "Send my feedback")
        assert one(db, "SELECT feedback_given FROM booking WHERE session_id = ? AND person_id = "
                       "(SELECT id FROM person WHERE email = ?)", sid, "lead.adel@tandem.example") == 1
        pdf = b.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            "fetch(arguments[0], {credentials: 'same-origin'}).then(function (r) { return r.text(); })"
            ".then(function (t) { done(t.slice(0, 5)); }, function (e) { done('failed ' + e); });",
            path + "/certificate.pdf")
        assert pdf == "%PDF-"
        b.get(server.url + "/me/learning")
        assert "Questioning that deepens thinking" in b.find_element(By.TAG_NAME, "main").text
        axe_clean(b, axe_source, "my learning")
        screenshot(b, "programme-learning")
        assert console_errors(b) == []
    finally:
        assert server.close() == 0, "".join(server.log[-40:])


def test_a_lead_books_a_colleague_on_every_session_of_a_series(browser, db, axe_source):
    b = browser
    server = Server(db=db, env={"TANDEM_NOW": str(T0)})
    try:
        # The coordinator sets up a course booked as a series, with two sessions.
        sign_in(b, server, "coordinator@tandem.example")
        b.get(server.url + NET + "/programme/courses/new")
        fill(b, "title", "Early reading in two parts")
        Select(b.find_element(By.NAME, "theme")).select_by_index(1)
        b.find_element(By.CSS_SELECTOR, "input[name=audience][value=teachers]").click()
        fill(b, "format", "course")
        b.find_element(By.CSS_SELECTOR, "input[name=series]").click()
        submit(b, "/programme/courses")
        course_url = b.current_url.split("?")[0]
        for day in ("2025-10-09", "2025-10-16"):
            b.get(course_url)
            fill(b, "day", day, form="/sessions")
            fill(b, "start", "16:00", form="/sessions")
            fill(b, "end", "17:30", form="/sessions")
            fill(b, "venue_urn", str(WEETWOOD), form="/sessions")
            fill(b, "capacity", "5", form="/sessions")
            submit(b, "/sessions")

        # Weetwood's lead books the governor on both sessions from the course page.
        sign_in(b, server, "lead.weetwood@tandem.example")
        b.get(course_url)
        Select(b.find_element(By.ID, "series-colleague")).select_by_visible_text("Gwen Governor")
        submit(b, "/book", "Book them on every session")
        assert "Gwen Governor is booked: a place on 2 sessions" in b.find_element(By.TAG_NAME, "main").text
        ics = one(db, "SELECT attachment FROM outbox WHERE to_addr = ? AND subject LIKE ? ORDER BY id DESC",
                  "governor.weetwood@tandem.example", "Your places: Early reading in two parts%")
        assert ics.count("BEGIN:VEVENT") == 2
        assert one(db, "SELECT COUNT(*) FROM outbox WHERE to_addr = ? AND subject LIKE ?",
                   "lead.weetwood@tandem.example", "Copy: Your places: Early reading in two parts%") == 1

        # Asked again: refused by the field, the governor still chosen.
        Select(b.find_element(By.ID, "series-colleague")).select_by_visible_text("Gwen Governor")
        submit(b, "/book", "Book them on every session")
        error = b.find_element(By.ID, "series-colleague-error").text
        assert "They already have a place" in error
        assert Select(b.find_element(By.ID, "series-colleague")).first_selected_option.text == "Gwen Governor"
        # The refusal's own 409 is the browser's only complaint.
        assert [e for e in console_errors(b) if "status of 409" not in e["message"]] == []
        axe_clean(b, axe_source, "the course, a lead's colleague refused")
        assert console_errors(b) == []
    finally:
        assert server.close() == 0, "".join(server.log[-40:])
