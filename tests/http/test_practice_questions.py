# SPDX-License-Identifier: AGPL-3.0-or-later
"""Thinking Thursday (issue 14, item 4), black-box: a member of staff asks
their school or the network; those it is asked of see and answer it and
nobody else does (list, page, JSON, search); the asker marks answers
helpful, nobody else can, and not their own answer; the network's current
question shows on its home page; and bad input (an empty or over-long
question or answer, a Unique Pupil Number, an unknown audience, marking
twice) gets a clear 4xx and changes nothing."""
import pytest

from support import Person, location, query
from support.cast import practice_world


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    w = practice_world(str(tmp_path_factory.mktemp("practice_questions")),
                       ["coord", "lead_w", "ta_w", "gov_w", "lead_i", "teacher_i", "lead_v"],
                       network="Question Network")
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def rows(db):
    """Everything questions hold: a refused request must leave it as it was."""
    return {t: query(db, "SELECT * FROM %s ORDER BY 1" % t) for t in ("practice_question", "practice_answer")}


def ask(w, who, question, audience="network", details=""):
    return location(w.p[who].post("/networks/%s/questions" % w.net,
                                  {"question": question, "details": details, "audience": audience}))


def listed(w, who):
    r = w.p[who].get("/networks/%s/questions" % w.net, json=True)
    assert r.status_code == 200, r.text
    return [q["question"] for q in r.json()["questions"]]


def test_a_question_to_the_school_is_seen_and_answered_by_colleagues_only(w):
    q = "How do you keep a reading corner tidy?"
    url = ask(w, "ta_w", q, audience="school")
    for who in ("ta_w", "lead_w", "gov_w"):
        assert q in listed(w, who)
        assert w.p[who].get(url).status_code == 200
    location(w.p["gov_w"].post(url + "/answers", {"text": "Pupil librarians, one a week."}))
    for who in ("lead_i", "teacher_i", "coord"):
        assert q not in listed(w, who)
        assert w.p[who].get(url, json=True).status_code == 404
        before = rows(w.db)
        assert w.p[who].post(url + "/answers", {"text": "Sneaky answer."}).status_code == 404
        assert rows(w.db) == before
    assert w.p["lead_v"].get(url).status_code == 404
    found = w.p["lead_w"].get("/practice/search?q=tidy&kind=question", json=True).json()
    assert [r["title"] for r in found["results"]] == [q]
    assert w.p["teacher_i"].get("/practice/search?q=tidy", json=True).json()["total"] == 0


def test_a_network_question_is_answered_across_the_network_and_the_asker_marks_what_helped(w):
    q = "What is your best first five minutes of a lesson?"
    url = ask(w, "ta_w", q, details="Year 4, after lunch.")
    assert q in listed(w, "teacher_i") and q in listed(w, "coord")
    location(w.p["teacher_i"].post(url + "/answers", {"text": "A silent puzzle on the board."}))
    location(w.p["ta_w"].post(url + "/answers", {"text": "Adding to my own question: we tried a song."}))
    j = w.p["ta_w"].get(url, json=True).json()["question"]
    assert [a["text"] for a in j["answer_list"]] == ["A silent puzzle on the board.",
                                                     "Adding to my own question: we tried a song."]
    theirs, mine = j["answer_list"]
    assert theirs["can_mark"] is True and mine["can_mark"] is False
    before = rows(w.db)
    for who in ("teacher_i", "lead_w", "coord"):
        r = w.p[who].post(url + "/answers/%d/helpful" % theirs["id"])
        assert r.status_code == 403 and "Only the person who asked" in r.text
    r = w.p["ta_w"].post(url + "/answers/%d/helpful" % mine["id"])
    assert r.status_code == 403
    assert w.p["ta_w"].post(url + "/answers/999999/helpful").status_code == 404
    assert rows(w.db) == before
    location(w.p["ta_w"].post(url + "/answers/%d/helpful" % theirs["id"]))
    r = w.p["ta_w"].post(url + "/answers/%d/helpful" % theirs["id"])
    assert r.status_code == 409 and "already marked" in r.text
    j = w.p["teacher_i"].get(url, json=True).json()["question"]
    assert j["answer_list"][0]["helpful"] is True and j["helpful"] == 1
    assert "<strong>helpful</strong>" in w.p["teacher_i"].get(url).text


def test_the_networks_current_question_is_on_its_home_page_for_those_who_see_it(w):
    q = "Which phonics games work in Reception?"
    url = ask(w, "lead_i", q)
    home = w.p["ta_w"].get("/networks/%s" % w.net)
    assert "Thinking Thursday" in home.text and q in home.text and url in home.text
    assert w.p["ta_w"].get("/networks/%s" % w.net, json=True).json()["current_question"]["question"] == q
    # A question to one school is never the network's current question.
    ask(w, "lead_i", "Where do we keep the spare PE kit?", audience="school")
    assert q in w.p["ta_w"].get("/networks/%s" % w.net).text
    assert "spare PE kit" not in w.p["ta_w"].get("/networks/%s" % w.net).text


@pytest.mark.parametrize("data,field,message", [
    ({"question": "", "audience": "network"}, "question", "Write your question"),
    ({"question": "x" * 201, "audience": "network"}, "question", None),
    ({"question": "Why?", "details": "y" * 2001, "audience": "network"}, "details", None),
    ({"question": "Is A123456789012 in the right set?", "audience": "network"}, "question", "Unique Pupil Number"),
    ({"question": "Why?", "audience": "everyone"}, "audience", None),
    ({"question": "Why?"}, "audience", "Choose whom to ask"),
])
def test_a_bad_question_is_refused_with_a_message_and_changes_nothing(w, data, field, message):
    before = rows(w.db)
    r = w.p["ta_w"].post("/networks/%s/questions" % w.net, data, json=True)
    assert r.status_code == 400, r.text
    assert field in str(r.json())
    if message:
        assert message in str(r.json())
    html = w.p["ta_w"].post("/networks/%s/questions" % w.net, data)
    assert html.status_code == 400 and 'id="question-%s-error"' % field in html.text
    assert rows(w.db) == before


@pytest.mark.parametrize("text,message", [
    ("", "Write your answer"),
    ("z" * 2001, None),
    ("Ask B123456789012 to help.", "Unique Pupil Number"),
])
def test_a_bad_answer_is_refused_with_a_message_and_changes_nothing(w, text, message):
    url = ask(w, "ta_w", "Bad answers welcome?")
    before = rows(w.db)
    r = w.p["teacher_i"].post(url + "/answers", {"text": text}, json=True)
    assert r.status_code == 400, r.text
    if message:
        assert message in str(r.json())
    html = w.p["teacher_i"].post(url + "/answers", {"text": text})
    assert html.status_code == 400 and 'id="answer-text-error"' in html.text
    assert rows(w.db) == before


def test_only_staff_and_leads_of_member_schools_ask(w):
    before = rows(w.db)
    for who in ("gov_w", "coord"):
        r = w.p[who].post("/networks/%s/questions" % w.net, {"question": "May I?", "audience": "network"})
        assert r.status_code == 403, (who, r.status_code)
    assert w.p["lead_v"].post("/networks/%s/questions" % w.net,
                              {"question": "May I?", "audience": "network"}).status_code == 404
    assert rows(w.db) == before
    assert Person(w.server).get("/networks/%s/questions" % w.net).status_code in (302, 303)


def test_answers_are_counted_in_words_a_person_would_write(w):
    q = "How do you end a lesson in two minutes?"
    url = ask(w, "lead_i", q)
    for n, words in ((0, "0 answers"), (1, "1 answer ·"), (2, "2 answers")):
        if n:
            location(w.p["teacher_i" if n == 1 else "ta_w"].post(url + "/answers", {"text": "An answer %d." % n}))
        home = w.p["ta_w"].get("/networks/%s" % w.net).text
        listing = w.p["ta_w"].get("/networks/%s/questions" % w.net).text
        line = listing[listing.index(q):]
        assert words in home and words in line[:line.index("</li>")] and "answer(s)" not in home + listing
