# SPDX-License-Identifier: AGPL-3.0-or-later
"""After a session, black-box, on a clock the tests move (issue 13, items 7
and 8, and the per-network settings of item 5): the survey only for people
marked present, once each, between the end and its closing; named or
anonymous as the network chooses, with results for facilitators only from
three answers; the email that asks for it; certificates of attendance as
PDF only for places marked present, a whole session's for facilitators, and
the public check of a certificate's code."""
import re
import time

import pytest

from support import DENIED, Person, location, one, query
from support.twilight import DAY, END, HOUR, START, At, twilight, url

FEEDBACK = {"q_useful": "5", "q_learnt": "Routines need rehearsing.", "q_try": "Entry routine in Year 5.",
            "q_confidence": "4", "q_support": "Time with my mentor."}


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    w = twilight(tmp_path_factory, "f", "Aire Learning")
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def answers(w):
    return (query(w.db, "SELECT * FROM feedback_response ORDER BY id"),
            query(w.db, "SELECT * FROM feedback_answer ORDER BY 1, 2"),
            query(w.db, "SELECT person_id, feedback_given FROM booking WHERE session_id = ? ORDER BY id", w.sid))


def test_feedback_before_the_end_is_refused_and_the_register_is_taken(w):
    with At(w, START + 10 * 60) as at:
        location(at.p["staff_w"].post(url(w, "/register"), {
            "mark_%d" % w.ids["staff_w2"]: "present", "mark_%d" % w.ids["staff_i2"]: "present",
            "mark_%d" % w.ids["gov_w"]: "late", "mark_%d" % w.ids["lead_w"]: "absent",
            "mark_%d" % w.ids["lead_i"]: "present"}))
        before = answers(w)
        r = at.p["staff_w2"].post(url(w, "/feedback"), FEEDBACK, json=True)
        assert r.status_code == 409 and "opens when the session ends" in r.json()["errors"]["feedback"]
        assert answers(w) == before


def test_people_marked_present_give_feedback_once_and_results_show_from_three(w):
    with At(w, END + HOUR) as at:
        # The job asks those who attended, once.
        deadline = time.time() + 30
        while one(w.db, "SELECT feedback_sent_at FROM course_session WHERE id = ?", w.sid) is None \
                and time.time() < deadline:
            time.sleep(0.2)
        asked = {a for (a,) in query(w.db, "SELECT to_addr FROM outbox WHERE subject = ?",
                                     "Your feedback: Behaviour that lasts")}
        assert asked == {"staff2@w.test", "staff2@i.test", "gov@w.test", "lead@i.test"}
        before = answers(w)
        r = at.p["lead_w"].post(url(w, "/feedback"), FEEDBACK, json=True)     # marked absent
        assert r.status_code == 409 and "marked present" in r.json()["errors"]["feedback"]
        r = at.p["staff_w2"].post(url(w, "/feedback"), dict(FEEDBACK, q_useful="9"), json=True)
        assert r.status_code == 400 and "q_useful" in r.json()["errors"]
        r = at.p["staff_w2"].post(url(w, "/feedback"), {k: v for k, v in FEEDBACK.items() if k != "q_confidence"},
                                  json=True)
        assert r.status_code == 400 and "q_confidence" in r.json()["errors"]
        assert answers(w) == before
        assert "How useful was the session" in at.p["staff_w2"].get(url(w, "/feedback")).text
        location(at.p["staff_w2"].post(url(w, "/feedback"), FEEDBACK))
        before = answers(w)
        r = at.p["staff_w2"].post(url(w, "/feedback"), FEEDBACK, json=True)
        assert r.status_code == 409 and "already given feedback" in r.json()["errors"]["feedback"]
        assert answers(w) == before
        # One answer: the facilitator sees that there is one, not what it says.
        res = at.p["staff_w"].get(url(w, "/feedback/results"), json=True).json()["results"]
        assert res["answers"] == 1 and res["shown"] is False and res["questions"] == []
        assert at.p["staff_i2"].get(url(w, "/feedback/results")).status_code == 403
        assert at.p["lead_b"].get(url(w, "/feedback/results")).status_code in DENIED
        # The network turns anonymous feedback on: the next answers carry no person.
        location(at.p["coord"].post("/networks/%s/programme/settings" % w.net,
                                    {"offer_hours": "24", "reminder_days": "2", "feedback_anonymous": "1"}))
        location(at.p["staff_i2"].post(url(w, "/feedback"), dict(FEEDBACK, q_useful="3", q_learnt="Anonymous note")))
        location(at.p["gov_w"].post(url(w, "/feedback"), dict(FEEDBACK, q_useful="4")))
        people_ = [r[2] for r in query(w.db, "SELECT id, session_id, person_id FROM feedback_response ORDER BY id")]
        assert people_ == [w.ids["staff_w2"], None, None]
        res = at.p["staff_w"].get(url(w, "/feedback/results"), json=True).json()["results"]
        assert res["shown"] is True and res["answers"] == 3
        useful = [q for q in res["questions"] if q["key"] == "useful"][0]
        assert useful["average"] == "4.0" and useful["counts"] == [0, 0, 1, 1, 1]
        learnt = [q for q in res["questions"] if q["key"] == "learnt"][0]
        assert {c.get("name") for c in learnt["comments"]} == {"Sue Staff", None}
        course = at.p["coord"].get("/networks/%s/programme/courses/%d/feedback" % (w.net, w.course), json=True)
        assert course.json()["results"]["answers"] == 3
        assert "Average 4.0" in at.p["staff_w"].get(url(w, "/feedback/results")).text


def test_the_survey_closes_two_weeks_after_the_session(w):
    with At(w, END + 15 * DAY) as at:
        before = answers(w)
        r = at.p["lead_i"].post(url(w, "/feedback"), FEEDBACK, json=True)   # came, never answered
        assert r.status_code == 409 and "closed on 15 October 2026" in r.json()["errors"]["feedback"]
        assert answers(w) == before


def test_certificates_only_for_places_marked_present_and_checked_in_public(w):
    r = w.p["staff_w2"].get(url(w, "/certificate.pdf"))
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    code = one(w.db, "SELECT certificate_code FROM booking WHERE session_id = ? AND person_id = ?", w.sid,
               w.ids["staff_w2"])
    assert re.fullmatch(r"[A-Z2-9]{12}", code)
    # Asking again gives the same code.
    w.p["staff_w2"].get(url(w, "/certificate.pdf"))
    assert one(w.db, "SELECT certificate_code FROM booking WHERE session_id = ? AND person_id = ?", w.sid,
               w.ids["staff_w2"]) == code
    check = Person(w.server).get("/certificates/" + code, json=True)
    assert check.status_code == 200
    c = check.json()
    assert c["genuine"] is True and c["name"] == "Sue Staff" and c["course"] == "Behaviour that lasts"
    assert c["day"] == "1 October 2026" and c["cpd_hours"] == "1.5"
    assert "This certificate is genuine" in Person(w.server).get("/certificates/" + code).text
    r = Person(w.server).get("/certificates/ABCDEFGHJKLM")
    assert r.status_code == 404 and "not genuine" in r.text
    # An absence earns none, and says why; nobody else's certificate but for the facilitators.
    before = query(w.db, "SELECT id, certificate_code FROM booking ORDER BY id")
    r = w.p["lead_w"].get(url(w, "/certificate.pdf"), json=True)
    assert r.status_code == 409 and "marked present" in r.json()["detail"]
    assert w.p["staff_i2"].get(url(w, "/certificate.pdf?person_id=%d" % w.ids["staff_w2"])).status_code == 403
    assert w.p["staff_i2"].get(url(w, "/certificates.pdf")).status_code == 403
    assert w.p["lead_b"].get(url(w, "/certificate.pdf")).status_code in DENIED
    assert query(w.db, "SELECT id, certificate_code FROM booking ORDER BY id") == before
    r = w.p["staff_w"].get(url(w, "/certificates.pdf"))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", r.content)) == 4   # a page for each of the four who came
    assert one(w.db, "SELECT COUNT(*) FROM booking WHERE session_id = ? AND certificate_code IS NOT NULL", w.sid) == 4


def test_settings_are_for_coordinators_and_bad_values_change_nothing(w):
    before = query(w.db, "SELECT * FROM programme_settings")
    assert w.p["staff_w"].post("/networks/%s/programme/settings" % w.net,
                               {"offer_hours": "12", "reminder_days": "1"}).status_code == 403
    r = w.p["coord"].post("/networks/%s/programme/settings" % w.net, {"offer_hours": "0", "reminder_days": "30"},
                          json=True)
    assert r.status_code == 400 and {"offer_hours", "reminder_days"} <= set(r.json()["errors"])
    assert query(w.db, "SELECT * FROM programme_settings") == before
    s = w.p["coord"].get("/networks/%s/programme/settings" % w.net, json=True).json()["form"]
    assert s == {"offer_hours": 24, "feedback_anonymous": True, "reminder_days": 2}
