# SPDX-License-Identifier: AGPL-3.0-or-later
"""A school's Good Ideas Scrapbook for a term (issue 14, item 2),
black-box: /schools/{urn}/scrapbook?term= lists the school's articles of
that term that the viewer may see, oldest first, one a page with the
school's name and the term on each, made to print on A4 (the print
stylesheet); other terms hold other articles; a term Tandem cannot read
is refused with a message, a school the register lacks is not found."""
import calendar

import pytest

from support import IRELAND_WOOD, WEETWOOD
from support import location, one
from support.cast import practice_world

NOW = calendar.timegm((2026, 10, 15, 12, 0, 0))  # in the autumn term of 2026


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    w = practice_world(str(tmp_path_factory.mktemp("practice_scrapbook")),
                       ["coord", "lead_w", "ta_w", "lead_i", "teacher_i", "lead_v"],
                       network="Scrapbook Network", themes="Reading\nOracy")
    try:
        w.school = one(w.db, "SELECT name FROM school WHERE urn = %d" % WEETWOOD)
        w.urls = {}
        for key, title in (("school", "Our staffroom reading list"), ("network", "Talk partners that work"),
                           ("public", "A newspaper in a week")):
            w.urls[key] = location(w.p["ta_w"].post("/networks/%s/articles" % w.net, {
                "title": title, "body": "What we did, why, and **what happened**.", "theme": "Reading"}))
        for key in ("network", "public"):
            location(w.p["ta_w"].post(w.urls[key] + "/widen"))
            location(w.p["lead_w"].post(w.urls[key] + "/approve"))
        location(w.p["coord"].post("/networks/%s/practice/article/%s/publish"
                                   % (w.net, w.urls["public"].rsplit("/", 1)[1])))
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def titles(person, term="autumn-2026", urn=WEETWOOD):
    r = person.get("/schools/%d/scrapbook?term=%s" % (urn, term), json=True)
    assert r.status_code == 200, r.text
    return [a["title"] for a in r.json()["articles"]]


def test_the_scrapbook_shows_each_viewer_only_the_articles_they_may_see(w):
    every = ["Our staffroom reading list", "Talk partners that work", "A newspaper in a week"]
    assert titles(w.p["ta_w"]) == every
    assert titles(w.p["lead_w"]) == every
    assert titles(w.p["teacher_i"]) == every[1:]
    assert titles(w.p["coord"]) == every[1:]
    for person in (w.p["lead_v"], w.anon):
        assert titles(person) == ["A newspaper in a week"]
        assert "staffroom reading list" not in person.get("/schools/%d/scrapbook?term=autumn-2026" % WEETWOOD).text


def test_each_article_is_a_page_with_the_school_and_the_term(w):
    r = w.p["ta_w"].get("/schools/%d/scrapbook" % WEETWOOD)
    assert r.status_code == 200
    assert r.text.count('class="scrapbook-page"') == 3
    running = "%s · Good Ideas Scrapbook · Autumn term 2026" % w.school
    assert r.text.replace("&#39;", "'").count(running.replace("&", "&amp;")) == 3
    assert "<strong>what happened</strong>" in r.text
    css = w.anon.get("/static/css/tandem.css").text
    assert "@media print" in css and "size: A4" in css and "page-break-after: always" in css


def test_another_term_holds_other_articles_and_links_to_its_neighbours(w):
    assert titles(w.p["ta_w"], term="spring-2027") == []
    assert titles(w.p["ta_w"], term="summer-2026") == []
    j = w.p["ta_w"].get("/schools/%d/scrapbook?term=spring-2027" % WEETWOOD, json=True).json()
    assert j["term_label"] == "Spring term 2027"
    assert (j["prev_term"], j["next_term"]) == ("autumn-2026", "summer-2027")
    assert titles(w.p["ta_w"], urn=IRELAND_WOOD) == []


@pytest.mark.parametrize("term", ["winter-2026", "autumn-26", "autumn", "autumn-1999", "x" * 21])
def test_a_term_tandem_cannot_read_is_refused_with_a_message(w, term):
    r = w.p["ta_w"].get("/schools/%d/scrapbook?term=%s" % (WEETWOOD, term), json=True)
    assert r.status_code == 400, r.text
    assert "term" in r.text.lower()


def test_a_school_the_register_lacks_is_not_found(w):
    assert w.anon.get("/schools/99999999/scrapbook").status_code == 404
