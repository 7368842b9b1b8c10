# SPDX-License-Identifier: AGPL-3.0-or-later
"""The professional-development programme, black-box (issue 13, items 1-5 and
13): a coordinator sets up a course with a facilitation team from two member
schools and its sessions; the annual programme shows it by academic year
with its filters, to members with the facilitators' names and to outsiders
of a public network without anyone's; staff book, fill a session and queue;
a cancellation offers the place at once to the first in line who fits the
per-school limit, who accepts (or declines) from the email's link; offers
nobody answers pass on; two hundred people booking thirty places at once
get exactly thirty and an ordered waiting list. And the bad input the issue
lists, each with a clear message and nothing changed."""
import base64
import calendar
import hashlib
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tandem_server import Server, run_cli
from support import DENIED, Person, add_user, ask_and_accept, create_network, execute, location, one, query
from support import DEMO, IRELAND_WOOD, IVESON, WEETWOOD

DAY = 24 * 3600
# Thursday 1 October 2026, 09:00 UTC: the autumn term of the academic year 2026/27.
T0 = calendar.timegm((2026, 10, 1, 9, 0, 0))
SESSION = {"day": "2026-11-10", "start": "16:00", "end": "17:30", "capacity": "3", "cpd_hours": "1.5"}


class World:
    """Filled in by the fixture: db, server, people (p), ids, the network (net) and a course (course)."""


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("programme") / "p.db")
    r = run_cli("import-gias", "--db", db, DEMO)
    assert r.returncode == 0, r.stderr
    w = World()
    w.db = db
    w.ids = {
        "coord": add_user(db, "coord@p.test", "Cora Coordinator"),
        "lead_w": add_user(db, "lead@w.test", "Wyn Lead", WEETWOOD, "lead"),
        "staff_w": add_user(db, "staff@w.test", "Sid Staff", WEETWOOD, "staff"),
        "staff_w2": add_user(db, "staff2@w.test", "Sue Staff", WEETWOOD, "staff"),
        "gov_w": add_user(db, "gov@w.test", "Gil Governor", WEETWOOD, "governor"),
        "lead_i": add_user(db, "lead@i.test", "Ivy Lead", IRELAND_WOOD, "lead"),
        "staff_i": add_user(db, "staff@i.test", "Ian Staff", IRELAND_WOOD, "staff"),
        "staff_i2": add_user(db, "staff2@i.test", "Isla Staff", IRELAND_WOOD, "staff"),
        "lead_b": add_user(db, "lead@b.test", "Bo Lead", IVESON, "lead"),
        "coord_b": add_user(db, "coord@b.test", "Bea Coordinator"),
    }
    w.server = Server(db=db, env={"TANDEM_NOW": str(T0)})
    try:
        sign_everyone_in(w)
        w.net = create_network(w.p["coord"], "Aire Learning", public=True)
        w.private = create_network(w.p["coord_b"], "Private Learning")
        ask_and_accept(w.p["coord"], w.p["lead_w"], w.net, WEETWOOD)
        ask_and_accept(w.p["coord"], w.p["lead_i"], w.net, IRELAND_WOOD)
        ask_and_accept(w.p["coord_b"], w.p["lead_b"], w.private, IVESON)
        w.course = new_course(w, "Phonics that sticks", lead="staff_w")
        location(w.p["coord"].post(course_url(w, w.course, "/facilitators"), {"person_id": w.ids["staff_i"]}))
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def sign_everyone_in(w):
    """Everyone's browser on the main server (again after a server on a later clock let their sessions lapse)."""
    w.p = {k: Person(w.server, e) for k, e in [
        ("coord", "coord@p.test"), ("lead_w", "lead@w.test"), ("staff_w", "staff@w.test"),
        ("staff_w2", "staff2@w.test"), ("gov_w", "gov@w.test"), ("lead_i", "lead@i.test"),
        ("staff_i", "staff@i.test"), ("staff_i2", "staff2@i.test"), ("lead_b", "lead@b.test"),
        ("coord_b", "coord@b.test")]}
    w.p["anon"] = Person(w.server)


def later_server(w, seconds):
    """A server on the same database `seconds` after T0; closing it signs everyone in again on the main one."""
    class Later:
        def __enter__(self):
            self.s = Server(db=w.db, env={"TANDEM_NOW": str(T0 + seconds)})
            return self.s

        def __exit__(self, *exc):
            code = self.s.close()
            sign_everyone_in(w)
            assert code == 0, "".join(self.s.log[-40:])
    return Later()


def prog_url(w, rest=""):
    return "/networks/%s/programme%s" % (w.net, rest)


def course_url(w, cid, rest=""):
    return prog_url(w, "/courses/%d%s" % (cid, rest))


def session_url(w, sid, rest=""):
    return prog_url(w, "/sessions/%d%s" % (sid, rest))


def new_course(w, title, lead=None, theme="reading", audience=("teachers", "teaching_assistants"),
               fmt="course", who="coord"):
    data = {"title": title, "theme": theme, "audience": list(audience), "format": fmt,
            "outcomes": "Teach phonics so that every child reads."}
    if lead:
        data["lead_id"] = w.ids[lead]
    loc = location(w.p[who].post(prog_url(w, "/courses"), data))
    return int(re.search(r"/courses/(\d+)", loc).group(1))


def new_session(w, cid=None, who="coord", **kw):
    data = dict(SESSION, venue_urn=str(WEETWOOD))
    data.update({k: str(v) for k, v in kw.items()})
    data = {k: v for k, v in data.items() if v != "None"}
    loc = location(w.p[who].post(course_url(w, cid or w.course, "/sessions"), data))
    return int(loc.rsplit("/", 1)[1])


def snapshot(w):
    tables = ["course", "course_audience", "course_facilitator", "course_session", "booking", "programme_settings"]
    s = {t: query(w.db, "SELECT * FROM %s ORDER BY 1" % t) for t in tables}
    s["outbox"] = one(w.db, "SELECT COUNT(*) FROM outbox")
    return s


def session_snapshot(w, sid):
    """One session and its bookings: what a refusal on a later clock (where the offers job also runs) must keep."""
    return (query(w.db, "SELECT * FROM course_session WHERE id = ?", sid),
            query(w.db, "SELECT * FROM booking WHERE session_id = ? ORDER BY id", sid))


def status_of(w, sid, key):
    rows = query(w.db, "SELECT status FROM booking WHERE session_id = ? AND person_id = ? ORDER BY id DESC LIMIT 1",
                 sid, w.ids[key])
    return rows[0][0] if rows else None


def last_mail(w, key):
    email = one(w.db, "SELECT email FROM person WHERE id = ?", w.ids[key])
    rows = query(w.db, "SELECT subject, body FROM outbox WHERE to_addr = ? ORDER BY id DESC LIMIT 1", email)
    return rows[0] if rows else (None, None)


def offer_token(w, key):
    subject, body = last_mail(w, key)
    assert subject and subject.startswith("A place for you"), subject
    m = re.search(r"/offers/([A-Za-z0-9_-]{43})\?answer=accept", body)
    assert m, body
    assert "/offers/%s?answer=decline" % m.group(1) in body
    return m.group(1)


def book(w, who, sid, **data):
    return w.p[who].post(session_url(w, sid, "/book"), {k: str(v) for k, v in data.items()})


def problem(r, status):
    assert r.status_code == status, (r.status_code, r.text[:800])
    return r.json()


# ---- courses and the facilitation team ---------------------------------------------------------------

def test_a_coordinator_sets_up_a_course_with_facilitators_from_two_schools(w):
    c = w.p["staff_i"].get(course_url(w, w.course), json=True).json()
    assert c["course"]["title"] == "Phonics that sticks" and c["course"]["theme"] == "reading"
    assert c["course"]["audience_labels"] == ["Teachers", "Teaching assistants"]
    team = {(f["name"], f["school_name"], f["lead"]) for f in c["facilitators"]}
    schools = {f["school_name"] for f in c["facilitators"]}
    assert ("Sid Staff", True) in {(f["name"], bool(f["lead"])) for f in c["facilitators"]}
    assert ("Ian Staff", False) in {(f["name"], bool(f["lead"])) for f in c["facilitators"]}
    assert len(schools) == 2, team
    page = w.p["staff_w"].get(course_url(w, w.course)).text
    assert "Sid Staff" in page and "course lead" in page


def test_staff_and_outsiders_cannot_create_a_course_and_nothing_changes(w):
    assert 'href="/networks/%s/programme/courses/new"' % w.net in w.p["coord"].get(prog_url(w)).text
    assert "Add the course" in w.p["coord"].get(prog_url(w, "/courses/new")).text
    assert w.p["staff_w"].get(prog_url(w, "/courses/new")).status_code == 403
    assert "/courses/new" not in w.p["staff_w"].get(prog_url(w)).text
    before = snapshot(w)
    data = {"title": "Sneaky", "theme": "reading", "audience": "teachers", "format": "course"}
    assert w.p["staff_w"].post(prog_url(w, "/courses"), data).status_code == 403
    assert w.p["lead_w"].post(prog_url(w, "/courses"), data).status_code == 403
    assert w.p["lead_b"].post(prog_url(w, "/courses"), data).status_code in DENIED
    assert w.p["lead_b"].post("/networks/%s/programme/courses" % w.private, data).status_code == 403
    assert snapshot(w) == before


@pytest.mark.parametrize("data, field", [
    ({"title": "", "theme": "reading", "audience": "teachers", "format": "course"}, "title"),
    ({"title": "X", "theme": "astrology", "audience": "teachers", "format": "course"}, "theme"),
    ({"title": "X", "theme": "reading", "format": "course"}, "audience"),
    ({"title": "X", "theme": "reading", "audience": "pupils", "format": "course"}, "audience"),
    ({"title": "X", "theme": "reading", "audience": "teachers", "format": "lecture"}, "format"),
    ({"title": "X", "theme": "reading", "audience": "teachers", "format": "course", "lead_id": "999999"}, "lead_id"),
])
def test_a_bad_course_is_refused_naming_the_field_and_nothing_changes(w, data, field):
    before = snapshot(w)
    body = problem(w.p["coord"].post(prog_url(w, "/courses"), data, json=True), 400)
    assert field in body["errors"], body
    r = w.p["coord"].post(prog_url(w, "/courses"), data)
    assert r.status_code == 400 and 'id="course-%s-error"' % field in r.text
    assert snapshot(w) == before


def test_a_facilitator_must_be_a_person_of_a_member_school(w):
    before = snapshot(w)
    body = problem(w.p["coord"].post(course_url(w, w.course, "/facilitators"), {"person_id": w.ids["lead_b"]},
                                     json=True), 400)
    assert "member school" in body["errors"]["person_id"]
    problem(w.p["coord"].post(course_url(w, w.course, "/facilitators"), {"person_id": w.ids["staff_i"]},
                              json=True), 409)
    assert snapshot(w) == before


# ---- sessions -----------------------------------------------------------------------------------------

def test_a_session_at_a_member_school_shows_its_address_and_times_in_uk_time(w):
    sid = new_session(w)
    s = w.p["staff_w"].get(session_url(w, sid), json=True).json()["session"]
    assert s["when"] == "Tuesday 10 November 2026, 16:00 to 17:30 UK time"
    assert s["starts_at"] == "2026-11-10T16:00:00Z"
    assert s["venue"]["urn"] == WEETWOOD and s["venue"]["address"]
    assert s["places_left"] == 3 and s["cpd_hours"] == "1.5"
    # In summer time the stored time is an hour earlier than the time people typed.
    sid = new_session(w, day="2027-06-15", start="15:45", end="17:00")
    s = w.p["staff_w"].get(session_url(w, sid), json=True).json()["session"]
    assert s["starts_at"] == "2027-06-15T14:45:00Z" and "15:45 to 17:00 UK time" in s["when"]


@pytest.mark.parametrize("change, field, words", [
    ({"capacity": "0"}, "capacity", "Capacity"),
    ({"capacity": "-5"}, "capacity", "Capacity"),
    ({"end": "15:00"}, "end", "end after"),
    ({"day": "2027-03-28", "start": "01:30", "end": "03:00"}, "start", "clocks go forward"),
    ({"day": "2026-02-30"}, "day", "February"),
    ({"day": "2026-09-01"}, "day", "future"),
    ({"venue_urn": str(IVESON)}, "venue_urn", "member schools"),
    ({"online_url": "https://meet.example/x"}, "online_url", "either"),
    ({"venue_urn": "", "online_url": "javascript:alert(1)"}, "online_url", "https://"),
    ({"venue_urn": ""}, "venue_urn", "online link"),
    ({"closes_day": "2026-11-11"}, "closes_day", "before the session starts"),
    ({"per_school_limit": "5"}, "per_school_limit", "capacity"),
])
def test_a_bad_session_is_refused_with_a_message_and_nothing_changes(w, change, field, words):
    before = snapshot(w)
    data = dict(SESSION, venue_urn=str(WEETWOOD))
    data.update(change)
    data = {k: v for k, v in data.items() if v != ""}
    body = problem(w.p["coord"].post(course_url(w, w.course, "/sessions"), data, json=True), 400)
    assert field in body["errors"] and words in body["errors"][field], body
    r = w.p["coord"].post(course_url(w, w.course, "/sessions"), data)
    assert r.status_code == 400 and 'id="session-%s-error"' % field in r.text
    assert snapshot(w) == before


def test_an_online_link_is_shown_only_to_people_with_a_place(w):
    sid = new_session(w, venue_urn=None, online_url="https://meet.example/phonics")
    location(book(w, "staff_w", sid))
    mine = w.p["staff_w"].get(session_url(w, sid), json=True).json()["session"]
    assert mine["online_url"] == "https://meet.example/phonics"
    for who in ("staff_i2", "gov_w", "lead_i"):
        s = w.p[who].get(session_url(w, sid), json=True).json()["session"]
        assert s["online"] is True and "online_url" not in s, who
        assert "meet.example" not in w.p[who].get(session_url(w, sid)).text
    assert "meet.example" not in w.p["anon"].get(session_url(w, sid)).text
    assert w.p["staff_i"].get(session_url(w, sid), json=True).json()["session"]["online_url"]  # a facilitator


# ---- the annual programme -------------------------------------------------------------------------------

def test_the_programme_lists_courses_by_theme_for_the_academic_year(w):
    sid = new_session(w, day="2027-02-02")
    p = w.p["staff_w"].get(prog_url(w), json=True).json()
    assert p["programme"]["year_label"] == "2026/27"
    reading = [t for t in p["programme"]["themes"] if t["name"] == "reading"][0]
    course = [c for c in reading["courses"] if c["id"] == w.course][0]
    assert {f["school_name"] for f in course["facilitators"]} and course["sessions"]
    assert sid in [s["id"] for s in course["sessions"]]
    # ?year=2025 is 2025/26: nothing then. Terms filter the sessions.
    assert w.p["staff_w"].get(prog_url(w, "?year=2025"), json=True).json()["programme"]["empty"] is True
    spring = w.p["staff_w"].get(prog_url(w, "?term=spring"), json=True).json()["programme"]
    ids = [s["id"] for t in spring["themes"] for c in t["courses"] for s in c["sessions"]]
    assert sid in ids and all(s["starts_at"] >= "2027-01-01" and s["starts_at"] < "2027-04-01"
                              for t in spring["themes"] for c in t["courses"] for s in c["sessions"])
    assert w.p["staff_w"].get(prog_url(w, "?theme=SEND"), json=True).json()["programme"]["empty"] is True
    assert w.p["staff_w"].get(prog_url(w, "?format=teachmeet"), json=True).json()["programme"]["empty"] is True
    assert w.p["staff_w"].get(prog_url(w, "?audience=governors"), json=True).json()["programme"]["empty"] is True
    assert w.p["staff_w"].get(prog_url(w, "?audience=teachers"), json=True).json()["programme"]["empty"] is False
    page = w.p["staff_w"].get(prog_url(w)).text
    assert "Phonics that sticks" in page and "Programme 2026/27" in page


def test_a_bad_filter_is_a_400_that_says_what_is_allowed(w):
    for q in ("?year=abc", "?term=winter", "?format=lecture", "?audience=pupils"):
        r = w.p["staff_w"].get(prog_url(w, q), json=True)
        assert r.status_code == 400, q


def test_outsiders_see_a_public_programme_without_names_and_a_private_one_not_at_all(w):
    for who in ("anon", "lead_b"):
        r = w.p[who].get(prog_url(w), json=True)
        assert r.status_code == 200, who
        assert "Sid Staff" not in r.text and "Ian Staff" not in r.text
        r = w.p[who].get(course_url(w, w.course), json=True)
        assert r.status_code == 200 and r.json()["facilitators"] == []
    for who in ("lead_w", "staff_w", "coord"):
        assert w.p[who].get("/networks/%s/programme" % w.private, json=True).status_code in DENIED
    assert w.p["anon"].get("/networks/%s/programme" % w.private).status_code in (303, 401, 404)


# ---- booking and the waiting list ---------------------------------------------------------------------

def test_staff_book_fill_a_session_and_queue_in_order(w):
    sid = new_session(w, capacity=2)
    location(book(w, "staff_w", sid))
    assert last_mail(w, "staff_w")[0] == "Your place: Phonics that sticks"
    location(book(w, "gov_w", sid))
    before = snapshot(w)
    body = problem(w.p["staff_i2"].post(session_url(w, sid, "/book"), {}, json=True), 409)
    assert "full" in body["errors"]["session"] and "waiting list" in body["errors"]["session"]
    assert snapshot(w) == before
    location(book(w, "staff_i2", sid, wait=1))
    location(book(w, "staff_w2", sid, wait=1))
    mine = w.p["staff_w2"].get(session_url(w, sid), json=True).json()["mine"]
    assert (mine["status"], mine["position"]) == ("waiting", 2)
    assert "number 2 on the waiting list" in w.p["staff_w2"].get(session_url(w, sid)).text
    before = snapshot(w)
    body = problem(w.p["staff_w"].post(session_url(w, sid, "/book"), {}, json=True), 409)
    assert "already have a place" in body["errors"]["session"]
    body = problem(w.p["staff_w2"].post(session_url(w, sid, "/book"), {"wait": "1"}, json=True), 409)
    assert "already on the waiting list (number 2" in body["errors"]["session"]
    assert snapshot(w) == before


def test_a_lead_books_a_colleague_who_gets_the_confirmation_with_a_copy_to_the_lead(w):
    sid = new_session(w)
    location(w.p["lead_w"].post(session_url(w, sid, "/book"), {"person_id": w.ids["staff_w2"]}))
    subject, body = last_mail(w, "staff_w2")
    assert subject == "Your place: Phonics that sticks" and "Wyn Lead, your school's lead, booked you" in body
    subject, body = last_mail(w, "lead_w")
    assert subject == "Copy: Your place: Phonics that sticks" and "Sue Staff" in body
    assert status_of(w, sid, "staff_w2") == "booked"


def test_a_lead_cannot_book_a_colleague_at_another_school_nor_staff_book_anyone_else(w):
    sid = new_session(w)
    before = snapshot(w)
    body = problem(w.p["lead_w"].post(session_url(w, sid, "/book"), {"person_id": w.ids["staff_i"]}, json=True), 400)
    assert "own school" in body["errors"]["person_id"]
    assert w.p["staff_w"].post(session_url(w, sid, "/book"), {"person_id": w.ids["staff_w2"]},
                               json=True).status_code == 403
    assert w.p["lead_b"].post(session_url(w, sid, "/book"), {}, json=True).status_code in DENIED
    assert w.p["coord"].post(session_url(w, sid, "/book"), {}, json=True).status_code == 403
    assert snapshot(w) == before


def test_a_cancellation_offers_the_place_at_once_to_the_first_in_line_who_accepts_from_the_email(w):
    sid = new_session(w, capacity=1)
    location(book(w, "staff_w", sid))
    location(book(w, "staff_i2", sid, wait=1))
    location(book(w, "gov_w", sid, wait=1))
    location(w.p["staff_w"].post(session_url(w, sid, "/cancel")))
    assert status_of(w, sid, "staff_w") == "cancelled"
    assert status_of(w, sid, "staff_i2") == "offered" and status_of(w, sid, "gov_w") == "waiting"
    token = offer_token(w, "staff_i2")
    subject, body = last_mail(w, "staff_i2")
    assert "3 October 2026" in body  # held 48 hours from 1 October, 09:00 UTC
    page = w.p["staff_i2"].get("/offers/%s?answer=accept" % token)
    assert page.status_code == 200 and "Accept the place" in page.text
    # Someone else holding the link cannot use it.
    before = snapshot(w)
    assert w.p["gov_w"].post("/offers/" + token, {"answer": "accept"}).status_code == 403
    assert w.p["gov_w"].get("/offers/" + token).status_code == 403
    assert snapshot(w) == before
    location(w.p["staff_i2"].post("/offers/" + token, {"answer": "accept"}))
    assert status_of(w, sid, "staff_i2") == "booked"
    assert last_mail(w, "staff_i2")[0] == "Your place: Phonics that sticks"
    # The link works once.
    before = snapshot(w)
    body = problem(w.p["staff_i2"].post("/offers/" + token, {"answer": "decline"}, json=True), 409)
    assert "already been answered" in body["errors"]["offer"]
    assert snapshot(w) == before
    assert w.p["staff_i2"].get("/offers/" + "A" * 43).status_code == 404


def test_declining_passes_the_place_to_the_next_in_line_and_anyone_can_leave_the_list(w):
    sid = new_session(w, capacity=1)
    location(book(w, "staff_w", sid))
    location(book(w, "staff_i2", sid, wait=1))
    location(book(w, "gov_w", sid, wait=1))
    location(book(w, "staff_w2", sid, wait=1))
    location(w.p["gov_w"].post(session_url(w, sid, "/leave")))
    assert status_of(w, sid, "gov_w") == "left"
    location(w.p["coord"].post(session_url(w, sid, "/cancel"), {"person_id": w.ids["staff_w"]}))
    assert last_mail(w, "staff_w")[0] == "Place cancelled: Phonics that sticks"
    token = offer_token(w, "staff_i2")
    location(w.p["staff_i2"].post("/offers/" + token, {"answer": "decline"}))
    assert status_of(w, sid, "staff_i2") == "declined" and status_of(w, sid, "staff_w2") == "offered"


def test_the_first_in_line_whose_school_is_under_its_limit_is_offered_the_place(w):
    sid = new_session(w, capacity=3, per_school_limit=1)
    location(book(w, "staff_w", sid))
    location(book(w, "staff_i", sid))
    before = snapshot(w)
    body = problem(w.p["staff_w2"].post(session_url(w, sid, "/book"), {}, json=True), 409)
    assert "Your school already has 1 place on this session" in body["errors"]["session"]
    assert snapshot(w) == before
    location(book(w, "staff_w2", sid, wait=1))   # Weetwood, first in line
    location(book(w, "staff_i2", sid, wait=1))   # Ireland Wood, second
    location(w.p["staff_i"].post(session_url(w, sid, "/cancel")))
    # Weetwood still has its one place, so the Ireland Wood colleague behind is offered it, and the
    # third place stays free rather than go over Weetwood's limit.
    assert status_of(w, sid, "staff_w2") == "waiting" and status_of(w, sid, "staff_i2") == "offered"
    assert w.p["coord"].get(session_url(w, sid), json=True).json()["session"]["places_left"] == 1


def test_capacity_below_the_places_taken_is_refused_and_more_places_go_to_the_waiting_list(w):
    sid = new_session(w, capacity=2)
    location(book(w, "staff_w", sid))
    location(book(w, "gov_w", sid))
    location(book(w, "staff_i2", sid, wait=1))
    before = snapshot(w)
    data = dict(SESSION, venue_urn=str(WEETWOOD), capacity="1")
    body = problem(w.p["coord"].post(session_url(w, sid), data, json=True), 409)
    assert "2 places are taken" in body["errors"]["capacity"]
    assert snapshot(w) == before
    # A facilitator raises it: the waiting list is offered the new place at once.
    data["capacity"] = "3"
    location(w.p["staff_i"].post(session_url(w, sid), data))
    assert status_of(w, sid, "staff_i2") == "offered"
    assert w.p["staff_w2"].post(session_url(w, sid), data).status_code == 403


def test_who_sees_names_and_who_sees_counts(w):
    sid = new_session(w, capacity=5)
    for who in ("staff_w2", "staff_i2", "gov_w"):
        location(book(w, who, sid))
    names = lambda who: {a["name"] for a in w.p[who].get(session_url(w, sid), json=True).json()["attendees"]}
    everyone = {"Sue Staff", "Isla Staff", "Gil Governor"}
    assert names("coord") == everyone
    assert names("staff_w") == everyone and names("staff_i") == everyone   # the facilitators
    assert names("staff_w2") == {"Sue Staff"}                            # own name only
    assert names("lead_w") == {"Sue Staff", "Gil Governor"}              # own school's
    assert names("lead_i") == {"Isla Staff"}
    counts = {c["school_name"]: c["places"]
              for c in w.p["staff_w2"].get(session_url(w, sid), json=True).json()["places_by_school"]}
    assert sorted(counts.values()) == [1, 2]
    for who in ("anon", "lead_b"):
        r = w.p[who].get(session_url(w, sid), json=True)
        assert r.status_code == 200 and r.json()["attendees"] == [] and r.json()["places_by_school"] == []
        assert "Sue Staff" not in r.text and "Gil Governor" not in r.text


def booked_names(page):
    """The names in the session page's list of people booked (empty when it has none)."""
    if 'id="attendees-title"' not in page:
        return set()
    part = page[page.index('id="attendees-title"'):]
    part = part[:part.index("</section>")]
    return set(re.findall(r"<li>([^<(]+?) \(", part))


def test_the_session_page_lists_names_as_the_policy_says_and_shows_a_change_at_once(w):
    # Facilitators and coordinators share one list kept in memory; everyone else has theirs built.
    sid = new_session(w, capacity=5)
    for who in ("staff_w2", "staff_i2"):
        location(book(w, who, sid))
    for _ in range(2):
        assert booked_names(w.p["coord"].get(session_url(w, sid)).text) == {"Sue Staff", "Isla Staff"}
    assert booked_names(w.p["staff_i"].get(session_url(w, sid)).text) == {"Sue Staff", "Isla Staff"}
    location(book(w, "gov_w", sid))
    everyone = {"Sue Staff", "Isla Staff", "Gil Governor"}
    assert booked_names(w.p["coord"].get(session_url(w, sid)).text) == everyone
    assert booked_names(w.p["staff_w"].get(session_url(w, sid)).text) == everyone
    assert booked_names(w.p["staff_w2"].get(session_url(w, sid)).text) == {"Sue Staff"}
    assert booked_names(w.p["lead_w"].get(session_url(w, sid)).text) == {"Sue Staff", "Gil Governor"}
    assert booked_names(w.p["lead_i"].get(session_url(w, sid)).text) == {"Isla Staff"}
    for who in ("anon", "lead_b"):
        page = w.p[who].get(session_url(w, sid)).text
        assert booked_names(page) == set() and "Isla Staff" not in page and "Gil Governor" not in page
    # Each person's cancel buttons post their own token; a place cancelled leaves the list at once.
    for who in ("coord", "staff_w"):
        page = w.p[who].get(session_url(w, sid)).text
        form = page[page.index('<form id="cancel-listed"'):]
        assert 'action="%s"' % session_url(w, sid, "/cancel") in form[:form.index(">")]
        assert 'value="%s"' % w.p[who].csrf() in form[:form.index("</form>")]
        assert 'form="cancel-listed" name="person_id" value="%d"' % w.ids["staff_i2"] in page
    location(w.p["staff_w"].post(session_url(w, sid, "/cancel"), {"person_id": w.ids["staff_i2"]}))
    assert booked_names(w.p["coord"].get(session_url(w, sid)).text) == {"Sue Staff", "Gil Governor"}
    assert 'id="cancel-listed"' not in w.p["staff_i2"].get(session_url(w, sid)).text


def test_cancelling_after_the_start_and_booking_after_closing_are_refused(w):
    sid = new_session(w, day="2026-10-05", closes_day="2026-10-02", closes_time="12:00")
    location(book(w, "staff_w2", sid))
    location(book(w, "staff_i2", sid))
    with later_server(w, 2 * DAY) as later:   # 3 October: booking has closed
        before = session_snapshot(w, sid)
        body = problem(Person(later, "gov@w.test").post(session_url(w, sid, "/book"), {}, json=True), 409)
        assert "closed on 2 October 2026, 12:00 UK time" in body["errors"]["session"]
        assert session_snapshot(w, sid) == before
        location(Person(later, "staff2@w.test").post(session_url(w, sid, "/cancel")))   # still before the start
        assert status_of(w, sid, "staff_w2") == "cancelled"
    with later_server(w, 4 * DAY + 10 * 3600) as during:   # 5 October, 19:00: it has started
        before = session_snapshot(w, sid)
        body = problem(Person(during, "staff2@i.test").post(session_url(w, sid, "/cancel"), {}, json=True), 409)
        assert "has started" in body["errors"]["session"]
        assert session_snapshot(w, sid) == before


def test_an_offer_nobody_answers_passes_to_the_next_in_line(w):
    sid = new_session(w, capacity=1)
    location(book(w, "staff_w2", sid))
    location(book(w, "staff_i2", sid, wait=1))
    location(book(w, "gov_w", sid, wait=1))
    location(w.p["staff_w2"].post(session_url(w, sid, "/cancel")))
    token = offer_token(w, "staff_i2")
    with later_server(w, 3 * DAY) as later:   # the 48 hours have passed: the job passes the offer on
        deadline = time.time() + 30
        while status_of(w, sid, "staff_i2") == "offered" and time.time() < deadline:
            time.sleep(0.2)
        assert status_of(w, sid, "staff_i2") == "expired" and status_of(w, sid, "gov_w") == "offered"
        before = session_snapshot(w, sid)
        body = problem(Person(later, "staff2@i.test").post("/offers/" + token, {"answer": "accept"}, json=True), 409)
        assert "ran out" in body["errors"]["offer"]
        assert session_snapshot(w, sid) == before


def test_an_offer_is_cut_short_to_end_when_booking_closes(w):
    sid = new_session(w, capacity=1, day="2026-10-20", closes_day="2026-10-02", closes_time="09:00")
    location(book(w, "staff_w", sid))
    location(book(w, "staff_i2", sid, wait=1))
    location(w.p["staff_w"].post(session_url(w, sid, "/cancel")))
    expires = one(w.db, "SELECT offer_expires_at FROM booking WHERE session_id = ? AND status = 'offered'", sid)
    assert expires == "2026-10-02T08:00:00Z"   # 09:00 BST, not 48 hours


# ---- two hundred people, thirty places --------------------------------------------------------------------

def api_people(w, n):
    """n staff of the two member schools, each with an API token (made in the store, as the CLI would)."""
    hash_ = one(w.db, "SELECT password_hash FROM person WHERE id = ?", w.ids["staff_w"])
    tokens = []
    for i in range(n):
        urn = WEETWOOD if i % 2 else IRELAND_WOOD
        email = "crowd%d@p.test" % i
        execute(w.db, "INSERT INTO person (email, name, password_hash, school_urn, school_role, created_at, "
                      "updated_at, password_changed_at) VALUES (?, ?, ?, ?, 'staff', ?, ?, ?)",
                email, "Crowd %d" % i, hash_, urn, "2026-09-01T00:00:00Z", "2026-09-01T00:00:00Z",
                "2026-09-01T00:00:00Z")
        pid = one(w.db, "SELECT id FROM person WHERE email = ?", email)
        token = "tdm_" + base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
        execute(w.db, "INSERT INTO api_token (person_id, name, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)",
                pid, "test", hashlib.sha256(token.encode()).hexdigest(), token[:8], "2026-09-01T00:00:00Z")
        tokens.append((pid, token))
    return tokens


def test_two_hundred_people_booking_thirty_places_at_once_get_exactly_thirty_and_an_ordered_list(w):
    sid = new_session(w, capacity=30)
    people = api_people(w, 200)
    url = w.server.url + session_url(w, sid, "/book")

    def attempt(person):
        r = requests.post(url, data={"wait": "1"}, allow_redirects=False,
                          headers={"Authorization": "Bearer " + person[1], "Accept": "text/html"})
        return person[0], r.status_code

    with ThreadPoolExecutor(max_workers=64) as pool:
        results = list(pool.map(attempt, people))
    assert all(code == 303 for _, code in results), [r for r in results if r[1] != 303][:5]
    rows = query(w.db, "SELECT id, person_id, status FROM booking WHERE session_id = ? ORDER BY id", sid)
    assert len(rows) == 200 and len({r[1] for r in rows}) == 200          # one row each: no double booking
    booked = [r for r in rows if r[2] == "booked"]
    waiting = [r for r in rows if r[2] == "waiting"]
    assert len(booked) == 30 and len(waiting) == 170
    # The places went to the first thirty in; the line is in the order people arrived.
    assert max(r[0] for r in booked) < min(r[0] for r in waiting)
    last = people[[p[0] for p in people].index(waiting[-1][1])]
    r = requests.get(w.server.url + session_url(w, sid), headers={"Authorization": "Bearer " + last[1],
                                                                  "Accept": "application/json"})
    assert (r.json()["mine"]["status"], r.json()["mine"]["position"]) == ("waiting", 170)
    assert r.json()["session"]["places_left"] == 0 and r.json()["session"]["waiting"] == 170


# ---- TeachMeets: presenters and the draw ----------------------------------------------------------------

def test_a_teachmeet_takes_sign_ups_that_fit_the_time_and_draws_them_at_random(w):
    tm = new_course(w, "TeachMeet Aire", theme="curriculum", fmt="teachmeet")
    sid = new_session(w, tm, capacity=50, presenter_minutes=20)
    tm_url = session_url(w, sid, "/teachmeet")
    location(w.p["staff_w2"].post(tm_url, {"title": "Retrieval starters", "kind": "micro"}))
    before = snapshot(w), query(w.db, "SELECT * FROM teachmeet_slot ORDER BY id")
    body = problem(w.p["staff_i2"].post(tm_url, {"title": "Whole-school oracy", "kind": "soapbox"}, json=True), 409)
    assert "15-minute slot does not fit: 13 minutes of presenting are left" in body["errors"]["kind"]
    body = problem(w.p["gov_w"].post(tm_url, {"title": "Lunch", "kind": "input"}, json=True), 400)
    assert "nano" in body["errors"]["kind"]
    body = problem(w.p["staff_w2"].post(tm_url, {"title": "Again", "kind": "nano"}, json=True), 409)
    assert "already presenting" in body["errors"]["kind"]
    problem(w.p["staff_i2"].post(tm_url, {"title": "", "kind": "nano"}, json=True), 400)
    assert w.p["lead_b"].post(tm_url, {"title": "Outsider", "kind": "nano"}, json=True).status_code in DENIED
    assert (snapshot(w), query(w.db, "SELECT * FROM teachmeet_slot ORDER BY id")) == before
    location(w.p["staff_i2"].post(tm_url, {"title": "Whole-school oracy", "kind": "micro"}))
    page = w.p["staff_w"].get(tm_url, json=True).json()
    assert page["minutes_used"] == 14 and page["minutes_left"] == 6 and page["to_draw"] == 2
    assert {s["name"] for s in page["slots"]} == {"Sue Staff (Weetwood Primary School)",
                                                  "Isla Staff (Ireland Wood Primary School)"}
    anon = w.p["anon"].get(tm_url, json=True).json()
    assert all("name" not in s for s in anon["slots"]) and "Sue Staff" not in w.p["anon"].get(tm_url).text
    # Only the organisers draw; each draw takes one not yet drawn, until none is left.
    assert w.p["staff_w2"].post(tm_url + "/draw").status_code == 403
    location(w.p["coord"].post(tm_url + "/draw"))
    assert w.p["staff_i"].post(tm_url + "/draw").status_code == 403   # facilitates another course, not this one
    location(w.p["coord"].post(tm_url + "/draw"))
    order = w.p["coord"].get(tm_url, json=True).json()["running_order"]
    assert [o["order"] for o in order] == [1, 2]
    assert {o["title"] for o in order} == {"Retrieval starters", "Whole-school oracy"}
    body = problem(w.p["coord"].post(tm_url + "/draw", {}, json=True), 409)
    assert "Everyone who signed up has been drawn" in body["errors"]["draw"]
    screen = w.p["coord"].get(tm_url + "/draw").text
    assert order[-1]["title"] in screen and "draw-next" in screen
    slot = order[0]["id"]
    assert w.p["coord"].post(tm_url + "/%d/withdraw" % slot).status_code == 409
    # The organiser cuts the time below what is signed up: the page warns.
    data = dict(SESSION, venue_urn=str(WEETWOOD), capacity="50", presenter_minutes="10")
    location(w.p["coord"].post(session_url(w, sid), data))
    page = w.p["coord"].get(tm_url)
    assert w.p["coord"].get(tm_url, json=True).json()["over"] is True and "take more than the 10 minutes" in page.text
    body = problem(w.p["coord"].post(session_url(w, sid), dict(data, presenter_minutes="120"), json=True), 400)
    assert "cannot be longer than the session (90 minutes)" in body["errors"]["presenter_minutes"]
    # Only TeachMeets and learning lunches have presenters.
    assert w.p["staff_w"].get(session_url(w, new_session(w), "/teachmeet")).status_code == 404


# ---- speed learning: the rotation ------------------------------------------------------------------------

def test_a_speed_learning_rotation_keeps_people_away_from_their_own_schools_hosts(w):
    sl = new_course(w, "Speed learning: one idea each", theme="curriculum", fmt="speed_learning", lead="staff_w")
    location(w.p["coord"].post(course_url(w, sl, "/facilitators"), {"person_id": w.ids["staff_i"]}))
    sid = new_session(w, sl, capacity=20)
    rot = session_url(w, sid, "/rotation")
    location(book(w, "staff_w2", sid))
    body = problem(w.p["coord"].get(rot + "?rounds=1", json=True), 400)
    assert "more hosts (2) than attendees (1)" in body["errors"]["rounds"]
    for who in ("staff_i2", "gov_w", "lead_i"):
        location(book(w, who, sid))
    plan = w.p["coord"].get(rot + "?rounds=1", json=True).json()["plan"]
    assert plan["hosts"] == 2 and plan["attendees"] == 4
    for card in plan["tables"]:
        host_school = card["host"]["school_name"]
        people = card["rounds"][0]["people"]
        assert len(people) == 2 and all(p["school_name"] != host_school for p in people)
    assert len(plan["schedules"]) == 4
    page = w.p["coord"].get(rot + "?rounds=1").text
    assert "Table 1" in page and "Schedules" in page
    # Two rounds would send someone to their own school's host: refused, saying why.
    body = problem(w.p["coord"].get(rot + "?rounds=2", json=True), 400)
    assert "from the school of attendee" in body["errors"]["rounds"]
    assert w.p["coord"].get(rot + "?rounds=0", json=True).status_code == 400
    # An attendee sees their own schedule; a member without a place, nothing; other sessions have no rotation.
    mine = w.p["staff_w2"].get(rot + "?rounds=1", json=True).json()["plan"]
    assert [s["person"]["name"] for s in mine["schedules"]] == ["Sue Staff"] and mine["tables"] == []
    assert mine["schedules"][0]["rounds"][0]["host"]["name"] == "Ian Staff"
    assert w.p["staff_i"].get(session_url(w, new_session(w), "/rotation"), json=True).status_code == 404
    assert w.p["lead_w"].get(rot, json=True).status_code == 403


def test_the_whole_programme_is_an_icalendar_feed_without_names(w):
    import icalendar
    r = w.p["anon"].get(prog_url(w) + ".ics")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(r.content)
    events = [e for e in cal.walk("VEVENT")]
    assert events and all(str(e["SUMMARY"]) for e in events)
    titles = {str(e["SUMMARY"]) for e in events}
    assert "Phonics that sticks" in titles
    assert b"Sid Staff" not in r.content and b"Ian Staff" not in r.content
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert w.p["anon"].get("/networks/%s/programme.ics" % w.private).status_code in (303, 401, 404)
    assert w.p["lead_w"].get("/networks/%s/programme.ics" % w.private).status_code in DENIED
