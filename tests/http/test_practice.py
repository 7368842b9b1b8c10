# SPDX-License-Identifier: AGPL-3.0-or-later
"""Shared practice (issue 14, ideas), black-box: a member of staff posts an
idea that their colleagues see and other schools do not, by board, page or
JSON; their lead approves sharing it with the network and then every member
school sees it; the author narrows it again; reactions count once each per
person; and every bad input (an over-long idea, a theme the network does not
have, a Unique Pupil Number, reacting twice, widening someone else's idea,
approving one's own, reading an idea its visibility excludes) is refused
with a clear 4xx and changes nothing."""
import pytest

from support import IRELAND_WOOD, WEETWOOD
from support import location, query
from support.cast import practice_world


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    w = practice_world(str(tmp_path_factory.mktemp("practice")),
                       ["coord", "lead_w", "lead2_w", "ta_w", "gov_w", "lead_i", "teacher_i", "lead_v"],
                       network="Practice Network", themes="Reading\nOracy")
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def rows(db):
    """Everything shared practice holds: a refused request must leave it as it was."""
    return {t: query(db, "SELECT * FROM %s ORDER BY 1, 2" % t) for t in ("practice_idea", "practice_reaction")}


def post_idea(w, who, text, theme="Reading"):
    loc = location(w.p[who].post("/networks/%s/ideas" % w.net, {"text": text, "theme": theme}))
    assert loc.startswith("/networks/%s/ideas/" % w.net)
    return loc


def board_texts(w, who, urn=None):
    path = "/networks/%s/ideas" % w.net + ("?urn=%d" % urn if urn else "")
    r = w.p[who].get(path, json=True)
    assert r.status_code == 200, r.text
    j = r.json()
    return [i["text"] for i in j["ideas_this_week"] + j["ideas_earlier"]]


def test_a_new_idea_is_seen_by_colleagues_only_by_board_page_and_json(w):
    url = post_idea(w, "ta_w", "Start each lesson with a two-minute talk partner question.")
    text = "Start each lesson with a two-minute talk partner question."
    for who in ("ta_w", "lead_w", "gov_w"):
        assert text in board_texts(w, who)
        assert w.p[who].get(url).status_code == 200
    for who in ("lead_i", "teacher_i", "coord"):
        assert text not in board_texts(w, who)
        assert w.p[who].get(url).status_code == 404
        assert w.p[who].get(url, json=True).status_code == 404
    assert w.p["lead_v"].get(url).status_code == 404
    assert w.p["lead_v"].get("/networks/%s/ideas" % w.net).status_code == 404
    assert text in board_texts(w, "lead_w", WEETWOOD)
    assert text not in board_texts(w, "lead_w", IRELAND_WOOD)
    html = w.p["ta_w"].get("/networks/%s/ideas" % w.net).text
    assert "This week" in html and text in html


def test_widening_needs_the_lead_and_the_author_can_narrow_it_again(w):
    text = "Read the first page aloud together, then let pupils predict."
    url = post_idea(w, "ta_w", text)
    before = rows(w.db)
    assert w.p["teacher_i"].post(url + "/widen").status_code == 404
    assert w.p["lead_w"].post(url + "/widen").status_code == 403
    assert w.p["lead_w"].post(url + "/approve").status_code == 403
    assert rows(w.db) == before
    location(w.p["ta_w"].post(url + "/widen"))
    r = w.p["ta_w"].post(url + "/widen")
    assert r.status_code == 409 and "already asked" in r.text
    assert text not in board_texts(w, "teacher_i")
    assert w.p["lead_i"].post(url + "/approve").status_code == 404
    mod = w.p["lead_w"].get("/networks/%s/ideas/moderation" % w.net, json=True).json()
    assert [i["text"] for i in mod["waiting"]] == [text]
    assert w.p["ta_w"].get("/networks/%s/ideas/moderation" % w.net).status_code == 403
    location(w.p["lead_w"].post(url + "/approve"))
    assert text in board_texts(w, "teacher_i")
    assert text in board_texts(w, "coord")
    assert w.p["teacher_i"].get(url, json=True).json()["idea"]["visibility"] == "network"
    assert w.p["lead_v"].get(url).status_code == 404
    location(w.p["ta_w"].post(url + "/narrow"))
    assert text not in board_texts(w, "teacher_i")
    assert w.p["teacher_i"].get(url, json=True).status_code == 404


def test_a_lead_cannot_approve_their_own_idea_but_another_lead_can(w):
    url = post_idea(w, "lead_w", "Word of the week on the door of every classroom.")
    location(w.p["lead_w"].post(url + "/widen"))
    before = rows(w.db)
    assert w.p["lead_w"].post(url + "/approve").status_code == 403
    assert rows(w.db) == before
    location(w.p["lead2_w"].post(url + "/approve"))
    assert w.p["teacher_i"].get(url).status_code == 200


def test_reactions_count_once_each_per_person(w):
    url = post_idea(w, "lead_w", "Sentence stems on a lanyard for every adult.")
    location(w.p["lead_w"].post(url + "/widen"))
    location(w.p["lead2_w"].post(url + "/approve"))
    location(w.p["teacher_i"].post(url + "/react", {"kind": "try"}))
    location(w.p["teacher_i"].post(url + "/react", {"kind": "thanks"}))
    location(w.p["ta_w"].post(url + "/react", {"kind": "try"}))
    before = rows(w.db)
    r = w.p["teacher_i"].post(url + "/react", {"kind": "try"})
    assert r.status_code == 409 and "already said" in r.text
    r = w.p["teacher_i"].post(url + "/react", {"kind": "try"}, json=True)
    assert r.status_code == 409 and "already said" in r.text
    r = w.p["teacher_i"].post(url + "/react", {"kind": "like"})
    assert r.status_code == 400
    assert rows(w.db) == before
    idea = w.p["teacher_i"].get(url, json=True).json()["idea"]
    counts = {x["kind"]: (x["count"], x["mine"]) for x in idea["reactions"]}
    assert counts == {"try": (2, True), "tried": (0, False), "thanks": (1, True)}
    assert "leaderboard" not in w.p["teacher_i"].get("/networks/%s/ideas" % w.net).text.lower()


def test_reacting_to_an_idea_one_cannot_see_is_404_and_changes_nothing(w):
    url = post_idea(w, "ta_w", "Visualisers for modelling handwriting.")
    before = rows(w.db)
    assert w.p["teacher_i"].post(url + "/react", {"kind": "thanks"}).status_code == 404
    assert w.p["lead_v"].post(url + "/react", {"kind": "thanks"}).status_code == 404
    assert rows(w.db) == before


@pytest.mark.parametrize("data,field,words", [
    ({"text": "x" * 501, "theme": "Reading"}, "text", "500"),
    ({"text": "", "theme": "Reading"}, "text", ""),
    ({"text": "A good idea.", "theme": "Knitting"}, "theme", "themes"),
    ({"text": "It helped pupil K801200001001 to read.", "theme": "Reading"}, "text", "Unique Pupil Number"),
])
def test_a_bad_idea_is_refused_with_the_field_named_and_nothing_stored(w, data, field, words):
    before = rows(w.db)
    r = w.p["ta_w"].post("/networks/%s/ideas" % w.net, data, json=True)
    assert r.status_code == 400, r.text
    assert field in r.text
    assert words in r.text
    r = w.p["ta_w"].post("/networks/%s/ideas" % w.net, data)
    assert r.status_code == 400 and 'id="idea-%s-error"' % field in r.text
    assert rows(w.db) == before


def test_an_idea_of_exactly_500_characters_is_accepted(w):
    post_idea(w, "ta_w", "é" * 500)


def test_governors_coordinators_and_outsiders_cannot_post(w):
    before = rows(w.db)
    for who, status in (("gov_w", 403), ("coord", 403), ("lead_v", 404)):
        r = w.p[who].post("/networks/%s/ideas" % w.net, {"text": "An idea.", "theme": "Reading"})
        assert r.status_code == status, (who, r.status_code)
    assert rows(w.db) == before


def test_the_network_nav_links_to_the_ideas_board(w):
    assert 'href="/networks/%s/ideas"' % w.net in w.p["teacher_i"].get("/networks/%s" % w.net).text


def test_a_persons_ideas_and_reactions_are_in_their_data_download(w):
    r = w.p["teacher_i"].get("/account/export", json=True)
    assert r.status_code == 200, r.status_code
    part = r.json()["practice"]
    assert {x["kind"] for x in part["reactions"]} >= {"try", "thanks"}


def article_rows(db):
    return query(db, "SELECT * FROM practice_article ORDER BY 1")


ARTICLE = ("## What we did\n\nTalk partners for **two minutes** at the start of each lesson "
           "([the guide](https://example.org/talk), [our page](/networks), [email us](mailto:head@w.test)).\n")


def test_an_article_renders_its_markdown_and_follows_the_same_visibility(w):
    loc = location(w.p["ta_w"].post("/networks/%s/articles" % w.net,
                                    {"title": "Talk partners", "body": ARTICLE, "theme": "Oracy"}))
    assert loc.startswith("/networks/%s/articles/" % w.net)
    j = w.p["lead_w"].get(loc, json=True).json()["article"]
    assert "<strong>two minutes</strong>" in j["body_html"]
    assert '<a href="https://example.org/talk">the guide</a>' in j["body_html"]
    assert '<a href="mailto:head@w.test">' in j["body_html"]
    assert "<strong>two minutes</strong>" in w.p["gov_w"].get(loc).text
    for who in ("teacher_i", "coord", "lead_v"):
        assert w.p[who].get(loc).status_code == 404
        assert w.p[who].get(loc, json=True).status_code == 404
    listed = w.p["teacher_i"].get("/networks/%s/articles" % w.net, json=True).json()["articles"]
    assert "Talk partners" not in [a["title"] for a in listed]
    location(w.p["ta_w"].post(loc + "/widen"))
    waiting = w.p["lead_w"].get("/networks/%s/ideas/moderation" % w.net, json=True).json()["waiting"]
    assert "Talk partners" in [x.get("title") for x in waiting]
    assert w.p["teacher_i"].post(loc + "/approve").status_code == 404
    location(w.p["lead_w"].post(loc + "/approve"))
    assert w.p["teacher_i"].get(loc).status_code == 200
    listed = w.p["teacher_i"].get("/networks/%s/articles" % w.net, json=True).json()["articles"]
    assert "Talk partners" in [a["title"] for a in listed]
    assert w.p["lead_v"].get(loc).status_code == 404
    location(w.p["ta_w"].post(loc + "/narrow"))
    assert w.p["teacher_i"].get(loc, json=True).status_code == 404


@pytest.mark.parametrize("data,field,words", [
    ({"title": "x", "body": "[click](javascript:alert(1))"}, "body", "link"),
    ({"title": "x", "body": "[click](JAVASCRIPT:alert(1))"}, "body", "link"),
    ({"title": "x", "body": "<javascript:alert(1)>"}, "body", "link"),
    ({"title": "x", "body": "[x](data:text/html;base64,PHNjcmlwdD4=)"}, "body", "link"),
    ({"title": "x", "body": "![x](data:image/png;base64,AAAA)"}, "body", "image"),
    ({"title": "x", "body": "<script>alert(1)</script>"}, "body", "HTML"),
    ({"title": "x", "body": "Bold <b onmouseover=\"x()\">here</b>"}, "body", "HTML"),
    ({"title": "x", "body": "y" * 5001}, "body", "5000"),
    ({"title": "t" * 121, "body": "Fine."}, "title", "120"),
    ({"title": "x", "body": "Pupil B801200001001 improved."}, "body", "Unique Pupil Number"),
    ({"title": "x", "body": "Fine.", "theme": "Knitting"}, "theme", "themes"),
])
def test_a_bad_article_is_refused_with_the_field_named_and_nothing_stored(w, data, field, words):
    data = dict({"theme": "Reading"}, **data)
    before = article_rows(w.db)
    r = w.p["ta_w"].post("/networks/%s/articles" % w.net, data, json=True)
    assert r.status_code == 400, r.text
    assert field in r.text and words in r.text.replace(",", "")
    r = w.p["ta_w"].post("/networks/%s/articles" % w.net, data)
    assert r.status_code == 400 and 'id="article-%s-error"' % field in r.text
    assert "<script>alert" not in r.text and "javascript:alert(1)\"" not in r.text
    assert article_rows(w.db) == before
