# SPDX-License-Identifier: AGPL-3.0-or-later
"""Each network's feedback questions, black-box (issue 13, item 7): the
Guskey-level defaults until a coordinator changes them; adding, rewording,
reordering, retiring and bringing back a question; answers already given
keep their question (a retired one still shows in the results with its
answers); a question people answered keeps its kind; every bad input
refused with a message, the typed values kept, nothing changed."""
import pytest

from support import DENIED, location, query
from support.twilight import END, HOUR, START, At, twilight, url

DEFAULTS = {"q_useful": "5", "q_learnt": "Routines need rehearsing.", "q_try": "Entry routine in Year 5.",
            "q_confidence": "4", "q_support": "Time with my mentor."}


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    w = twilight(tmp_path_factory, "q", "Aire Questions")
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def qurl(w, rest=""):
    return "/networks/%s/programme/questions%s" % (w.net, rest)


def rows(w):
    return query(w.db, "SELECT number, position, kind, level, text, retired_at FROM feedback_question "
                 "ORDER BY number")


def asked(w, p):
    """The survey's questions as the attendee p sees them: [(key, scale)]."""
    return [(q["key"], q["scale"]) for q in p.get(url(w, "/feedback"), json=True).json()["questions"]]


def test_the_defaults_follow_guskey_and_only_organisers_may_change_them(w):
    r = w.p["coord"].get(qurl(w), json=True)
    assert r.status_code == 200
    qs = r.json()["questions"]
    assert [q["key"] for q in qs] == ["useful", "learnt", "try", "confidence", "support"]
    assert [q["level"] for q in qs] == [1, 2, 4, 4, 3]
    assert [q["kind"] for q in qs] == ["scale", "text", "text", "scale", "text"]
    assert r.json()["retired"] == []
    html = w.p["coord"].get(qurl(w)).text
    assert "Feedback questions" in html and "1. Reactions" in html
    assert w.p["staff_w"].get(qurl(w)).status_code == 403           # the course lead, not an organiser
    assert w.p["lead_w"].get(qurl(w)).status_code == 403
    assert w.p["lead_b"].get(qurl(w)).status_code in DENIED         # outside the network
    r = w.p["staff_w"].post(qurl(w), {"text": "Anything else?", "kind": "text", "level": "1"}, json=True)
    assert r.status_code == 403
    r = w.p["lead_b"].post(qurl(w, "/1/retire"), {}, json=True)
    assert r.status_code in DENIED
    assert rows(w) == []


def test_three_people_answer_the_default_questions(w):
    with At(w, START + 10 * 60) as at:
        location(at.p["staff_w"].post(url(w, "/register"), {
            "mark_%d" % w.ids["staff_w2"]: "present", "mark_%d" % w.ids["staff_i2"]: "present",
            "mark_%d" % w.ids["gov_w"]: "late", "mark_%d" % w.ids["lead_w"]: "present",
            "mark_%d" % w.ids["lead_i"]: "present"}))
    with At(w, END + HOUR) as at:
        for who in ("staff_w2", "staff_i2", "gov_w"):
            location(at.p[who].post(url(w, "/feedback"), DEFAULTS))
    assert query(w.db, "SELECT DISTINCT question FROM feedback_answer ORDER BY 1") == [(0,), (1,), (2,), (3,), (4,)]


@pytest.mark.parametrize("form, field, words", [
    ({"text": "", "kind": "scale", "level": "2"}, "text", "required"),
    ({"text": "Hi", "kind": "scale", "level": "2"}, "text", "3 characters"),
    ({"text": "x" * 301, "kind": "scale", "level": "2"}, "text", "300"),
    ({"text": "Was the pace right?", "kind": "stars", "level": "2"}, "kind", ""),
    ({"text": "Was the pace right?", "kind": "scale", "level": "9"}, "level", ""),
    ({"text": "Was the pace right?", "kind": "scale", "level": "two"}, "level", ""),
    ({"text": "Was the pace right?", "kind": "scale"}, "level", ""),
])
def test_a_bad_question_is_refused_with_a_message_and_nothing_changes(w, form, field, words):
    before = rows(w)
    r = w.p["coord"].post(qurl(w), form, json=True)
    assert r.status_code == 400 and field in r.json()["errors"]
    assert words in r.json()["errors"][field]
    r = w.p["coord"].post(qurl(w), form)
    assert r.status_code == 400
    assert 'id="add-%s-error"' % field in r.text
    if form.get("text") and len(form["text"]) < 300:
        assert form["text"] in r.text                      # what was typed is kept
    assert rows(w) == before


def test_adding_a_question_writes_the_defaults_down_and_asks_it_last(w):
    location(w.p["coord"].post(qurl(w), {"text": "Has it changed what your pupils do? (1 not yet, 5 a lot)",
                                          "kind": "scale", "level": "5"}))
    r = rows(w)
    assert [x[0] for x in r] == [0, 1, 2, 3, 4, 10]
    assert r[-1][2:5] == ("scale", 5, "Has it changed what your pupils do? (1 not yet, 5 a lot)")
    with At(w, END + HOUR) as at:
        assert asked(w, at.p["lead_i"])[-1] == ("10", True)
    # Up one place: before "support".
    location(w.p["coord"].post(qurl(w, "/10/move"), {"direction": "up"}))
    keys = [q["key"] for q in w.p["coord"].get(qurl(w), json=True).json()["questions"]]
    assert keys == ["useful", "learnt", "try", "confidence", "10", "support"]
    location(w.p["coord"].post(qurl(w, "/0/move"), {"direction": "up"}))   # already first: nothing
    keys = [q["key"] for q in w.p["coord"].get(qurl(w), json=True).json()["questions"]]
    assert keys == ["useful", "learnt", "try", "confidence", "10", "support"]
    r = w.p["coord"].post(qurl(w, "/10/move"), {"direction": "sideways"}, json=True)
    assert r.status_code == 400 and "direction" in r.json()["errors"]


def test_a_scale_question_of_the_network_needs_one_to_five(w):
    with At(w, END + HOUR) as at:
        before = query(w.db, "SELECT * FROM feedback_answer ORDER BY 1, 2")
        r = at.p["lead_i"].post(url(w, "/feedback"), dict(DEFAULTS, q_10="7"), json=True)
        assert r.status_code == 400 and "1 to 5" in r.json()["errors"]["q_10"]
        r = at.p["lead_i"].post(url(w, "/feedback"), DEFAULTS, json=True)
        assert r.status_code == 400 and "q_10" in r.json()["errors"]
        assert query(w.db, "SELECT * FROM feedback_answer ORDER BY 1, 2") == before
        location(at.p["lead_i"].post(url(w, "/feedback"), dict(DEFAULTS, q_10="2")))
        assert query(w.db, "SELECT scale FROM feedback_answer WHERE question = 10") == [(2,)]


def test_an_answered_question_keeps_its_kind_but_may_be_reworded(w):
    before = rows(w)
    r = w.p["coord"].post(qurl(w, "/0"), {"text": "How useful was it?", "kind": "text", "level": "1"}, json=True)
    assert r.status_code == 409 and "retire it and add a new question" in r.json()["errors"]["kind"]
    r = w.p["coord"].post(qurl(w, "/0"), {"text": "How useful was it?", "kind": "text", "level": "1"})
    assert r.status_code == 409 and "How useful was it?" in r.text
    assert rows(w) == before
    assert w.p["coord"].get(qurl(w, "/99")).status_code == 404
    r = w.p["coord"].post(qurl(w, "/99"), {"text": "How useful was it?", "kind": "scale", "level": "1"}, json=True)
    assert r.status_code == 404
    assert rows(w) == before
    assert "How useful was the session" in w.p["coord"].get(qurl(w, "/0")).text
    location(w.p["coord"].post(qurl(w, "/0"), {"text": "How useful was it for your work? (1 not at all, 5 very)",
                                                "kind": "scale", "level": "1"}))
    assert rows(w)[0][4] == "How useful was it for your work? (1 not at all, 5 very)"


def test_a_retired_question_is_not_asked_and_its_answers_stay_in_the_results(w):
    location(w.p["coord"].post(qurl(w, "/1/retire"), {}))
    j = w.p["coord"].get(qurl(w), json=True).json()
    assert "learnt" not in [q["key"] for q in j["questions"]]
    assert [q["key"] for q in j["retired"]] == ["learnt"] and j["retired"][0]["answers"] == 4
    with At(w, END + HOUR) as at:
        assert "learnt" not in [k for k, _ in asked(w, at.p["lead_w"])]
        location(at.p["lead_w"].post(url(w, "/feedback"), dict(DEFAULTS, q_10="4")))
        res = at.p["staff_w"].get(url(w, "/feedback/results"), json=True).json()["results"]
        learnt = [q for q in res["questions"] if q["key"] == "learnt"][0]
        assert learnt["retired"] is True and len(learnt["comments"]) == 4
        assert [q for q in res["questions"] if q["key"] == "10"][0]["average"] == "3.0"
        assert "no longer asked" in at.p["staff_w"].get(url(w, "/feedback/results")).text
    assert query(w.db, "SELECT COUNT(*) FROM feedback_answer WHERE question = 1") == [(4,)]
    # Brought back, it is asked again where it was.
    location(w.p["coord"].post(qurl(w, "/1/restore"), {}))
    keys = [q["key"] for q in w.p["coord"].get(qurl(w), json=True).json()["questions"]]
    assert keys == ["useful", "learnt", "try", "confidence", "10", "support"]


def test_the_last_question_cannot_be_retired_and_twelve_is_the_most(w):
    for n in (0, 1, 2, 3, 4):
        location(w.p["coord"].post(qurl(w, "/%d/retire" % n), {}))
    before = rows(w)
    r = w.p["coord"].post(qurl(w, "/10/retire"), {}, json=True)
    assert r.status_code == 409 and "only question" in r.json()["detail"]
    assert rows(w) == before
    for n in (0, 1, 2, 3, 4):
        location(w.p["coord"].post(qurl(w, "/%d/restore" % n), {}))
    for i in range(6):
        location(w.p["coord"].post(qurl(w), {"text": "Extra question %d" % i, "kind": "text", "level": "2"}))
    before = rows(w)
    r = w.p["coord"].post(qurl(w), {"text": "One too many", "kind": "text", "level": "2"}, json=True)
    assert r.status_code == 409 and "at most 12" in r.json()["errors"]["text"]
    assert rows(w) == before
    assert "the most it may" in w.p["coord"].get(qurl(w)).text
