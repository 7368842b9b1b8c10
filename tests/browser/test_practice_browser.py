# SPDX-License-Identifier: AGPL-3.0-or-later
"""Shared practice's journey in the browser (issue 14, "Done when"), on the
demo world (tests/browser/demo_world.py: Weetwood and Adel in an active
partnership) and a clock the test moves. A member of Weetwood's staff posts
an idea and asks to share it with the network; the lead approves; a teacher
at Adel finds it on the board, says "I'll try this" from the board and that
Adel is trying it; five weeks later Tandem asks how it went, the teacher
answers, and the author sees where the idea travelled. Weetwood's lead
closes the partnership with Adel and turns it into a case study in one
click, checks and saves it and asks to share it with the network; a second
lead of Weetwood approves; the coordinator publishes it; someone outside
finds it by search without signing in. An idea kept within Weetwood is never
on Adel's board or in Adel's search, and its page is not found there; the
network's idea is not found by the outsider. axe-core (WCAG 2.2
AA) on the pages on the way. Fails on console errors; saves screenshots
under the build folder."""
import os
import re
import sys
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "http"))
from conftest import (DEMO_PASSWORD, axe_violations, click_and_wait, console_errors, fill,  # noqa: E402
                      screenshot, sign_in, submit)
from tandem_server import Server  # noqa: E402
from support import add_user  # noqa: E402
import demo_world  # noqa: E402
from demo_world import ADEL, DAY, NET, ROLES, T0, WEETWOOD, one  # noqa: E402

TEACHER_ADEL = "teacher.adel@tandem.example"
DEPUTY_WEETWOOD = "deputy.weetwood@tandem.example"
IDEA = "Silent reading dens with cushions in every Year 3 class, ten minutes after lunch."
SCHOOL_ONLY = "Staffroom biscuits on a rota: kept within Weetwood."


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = demo_world.build(str(tmp_path_factory.mktemp("practice-journey")))
    try:
        add_user(w.db, TEACHER_ADEL, "Tom Teacher", ADEL, "staff", password=DEMO_PASSWORD)
        add_user(w.db, DEPUTY_WEETWOOD, "Dee Deputy", WEETWOOD, "lead", password=DEMO_PASSWORD)
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def check(b, axe_source, name):
    """axe-core on this page, no console errors; a screenshot for people to look at."""
    assert axe_violations(b, axe_source) == [], name
    assert console_errors(b) == [], name
    screenshot(b, "practice-" + name)


def main_text(b):
    return b.find_element(By.TAG_NAME, "main").text


def post_idea(b, server, text):
    """Post an idea from the board's form (the first theme); the idea's own address."""
    b.get(server.url + NET + "/ideas")
    fill(b, "text", text, form=NET + "/ideas")
    Select(b.find_element(By.NAME, "theme")).select_by_index(0)
    submit(b, NET + "/ideas", "Share with my colleagues")
    assert re.search(r"/ideas/\d+$", b.current_url), b.current_url
    return b.current_url[len(server.url):]


def test_an_idea_travels_to_another_school_and_its_author_hears_how_it_went(browser, world, axe_source):
    b, server = browser, world.server
    # A member of Weetwood's staff posts two ideas, and asks to share one with the network.
    sign_in(b, server, ROLES["staff"])
    idea = post_idea(b, server, IDEA)
    check(b, axe_source, "idea-posted")
    submit(b, idea + "/widen", "Ask my lead to share it with the network")
    assert "waiting for a lead of Weetwood" in main_text(b)
    school_only = post_idea(b, server, SCHOOL_ONLY)
    # The lead shares it from the moderation list.
    sign_in(b, server, ROLES["lead"])
    b.get(server.url + NET + "/ideas/moderation")
    check(b, axe_source, "moderation")
    submit(b, idea + "/approve", "Share with the network")

    # A teacher at Adel finds it on the board and says "I'll try this" from there.
    sign_in(b, server, TEACHER_ADEL)
    b.get(server.url + NET + "/ideas")
    check(b, axe_source, "board")
    assert IDEA in main_text(b) and SCHOOL_ONLY not in b.page_source
    card = next(a for a in b.find_elements(By.CSS_SELECTOR, "article.idea") if IDEA in a.text)
    click_and_wait(b, card.find_element(By.XPATH, ".//button[normalize-space()=\"I'll try this\"]"))
    assert b.current_url == server.url + idea
    assert re.search(r"I'll try this: 1 \(you said this\)", main_text(b)), main_text(b)
    # Nothing its visibility excludes: the idea kept within Weetwood is on no board or search of Adel's,
    # its own page is not found, and someone outside finds neither idea.
    b.get(server.url + NET + "/ideas?urn=%d" % WEETWOOD)
    assert SCHOOL_ONLY not in b.page_source and IDEA in main_text(b)
    b.get(server.url + "/practice/search?q=biscuits")
    assert SCHOOL_ONLY not in b.page_source
    b.get(server.url + school_only)
    assert "There is nothing at this address" in b.title and SCHOOL_ONLY not in b.page_source
    console_errors(b)  # the 404 just asked for
    b.get(server.url + idea)
    submit(b, idea + "/tried", "We are trying this")
    assert b.find_elements(By.CSS_SELECTOR, "main"), "the page after trying"
    teacher = one(world.db, "SELECT id FROM person WHERE email = ?", TEACHER_ADEL)
    tried = one(world.db, "SELECT id FROM practice_tried WHERE person_id = ? AND kind = 'idea'", teacher)
    assert tried, "Adel's try was recorded"

    b.delete_all_cookies()
    for q in ("biscuits", "dens"):
        b.get(server.url + "/practice/search?q=" + q)
        assert SCHOOL_ONLY not in b.page_source and IDEA not in b.page_source

    # Five weeks on, Tandem asks how it went; the teacher tells the author.
    assert world.server.close() == 0, "".join(world.server.log[-40:])
    world.server = server = Server(db=world.db, env={"TANDEM_NOW": str(T0 + 35 * DAY)})
    deadline = time.time() + 30
    while not one(world.db, "SELECT asked_at FROM practice_tried WHERE id = ?", tried) and time.time() < deadline:
        time.sleep(0.2)
    assert one(world.db, "SELECT COUNT(*) FROM outbox WHERE to_addr = ? AND subject = ?", TEACHER_ADEL,
               "How did it go? We tried this") == 1
    sign_in(b, server, TEACHER_ADEL)
    b.get(server.url + "%s/tried/%d" % (NET, tried))
    check(b, axe_source, "how-did-it-go")
    b.find_element(By.CSS_SELECTOR, "input[name=outcome][value=worked]").click()
    fill(b, "note", "Year 3 now asks for the dens; we kept them to ten minutes.")
    submit(b, "%s/tried/%d" % (NET, tried), "Tell the author")
    assert "You said: It worked" in main_text(b)
    # The author sees where it travelled: Adel, and how it went.
    sign_in(b, server, ROLES["staff"])
    b.get(server.url + idea + "/travelled")
    check(b, axe_source, "travelled")
    text = main_text(b)
    assert "Adel" in text and "It worked" in text and "we kept them to ten minutes" in text
    assert b.find_elements(By.CSS_SELECTOR, "main svg circle")


def test_a_closed_partnership_becomes_a_published_case_study_found_without_signing_in(browser, world, axe_source):
    b, server = browser, world.server
    # Weetwood's lead closes the partnership with Adel, writing down what did not work.
    sign_in(b, server, ROLES["lead"])
    b.get(server.url + "/partnerships/%d" % world.active)
    fill(b, "worked", "Shared reasoning papers; paired planning across the two schools.")
    fill(b, "did_not_work", "After-school moderation in winter: too few came. Next time, in the school day.")
    b.find_element(By.ID, "close-confirm").click()
    submit(b, "/partnerships/%d/close" % world.active, "Close the partnership")
    assert "This partnership is closed" in main_text(b)
    # One click makes a draft case study from it; its author checks it and saves it.
    submit(b, "/partnerships/%d/case-study" % world.active, "Make a draft case study from it")
    assert re.search(r"/cases/\d+/edit$", b.current_url), b.current_url
    case = b.current_url[len(server.url):-len("/edit")]
    check(b, axe_source, "case-draft")
    # Filled from the partnership: what did not work from the staff's reflection and the closing one.
    did_not_work = b.find_element(By.NAME, "did_not_work").get_attribute("value")
    assert "After-school sessions in winter" in did_not_work and "too few came" in did_not_work
    title = b.find_element(By.NAME, "title").get_attribute("value")
    assert title
    submit(b, case, "Save the case study")
    assert b.current_url == server.url + case, (b.current_url, main_text(b)[:1000])
    submit(b, case + "/widen", "Ask my lead to share it with the network")
    # A lead cannot approve their own case study: the second lead of Weetwood does.
    b.get(server.url + NET + "/ideas/moderation")
    assert not b.find_elements(By.CSS_SELECTOR, "form[action$='%s/approve']" % case)
    sign_in(b, server, DEPUTY_WEETWOOD)
    b.get(server.url + NET + "/ideas/moderation")
    submit(b, case + "/approve", "Share with the network")
    # The coordinator publishes it.
    sign_in(b, server, ROLES["coordinator"])
    b.get(server.url + NET + "/practice/publishing")
    check(b, axe_source, "publishing")
    case_id = case.rsplit("/", 1)[1]
    submit(b, "/practice/case/%s/publish" % case_id, "Publish")

    # Someone outside finds it by search, without signing in, and reads it.
    b.delete_all_cookies()
    b.get(server.url + "/practice/search")
    fill(b, "q", title.split()[0])
    submit(b, "/practice/search", "Search")
    check(b, axe_source, "search-outside")
    click_and_wait(b, b.find_element(By.LINK_TEXT, title))
    check(b, axe_source, "case-public")
    text = main_text(b)
    assert title in text and "too few came" in text and "Sign out" not in b.page_source
