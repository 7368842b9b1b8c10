# SPDX-License-Identifier: AGPL-3.0-or-later
"""A course booked as a series, black-box (issue 13, item 3): booking the
course books every session, all or none; a full or closed session refuses
the whole with a message naming it and nothing changes; with the waiting
list asked for, the free sessions give places and the full ones a place in
line; a single session of a series is not booked alone; one email lists
every session, to the attendee and a copy to the lead who booked them."""
import calendar

import pytest

from tandem_server import Server, run_cli
from support import DENIED, Person, add_user, ask_and_accept, create_network, location, one, query
from support import DEMO, IRELAND_WOOD, IVESON, WEETWOOD

T0 = calendar.timegm((2026, 10, 1, 9, 0, 0))       # Thursday 1 October 2026, 10:00 UK time
FIRST_START = calendar.timegm((2026, 10, 1, 15, 0, 0))

EMAILS = [("coord", "coord@s.test", "Cora Coordinator", None, None),
          ("staff_w", "staff@w.test", "Sid Staff", WEETWOOD, "staff"),
          ("staff_w2", "staff2@w.test", "Sue Staff", WEETWOOD, "staff"),
          ("staff_w3", "staff3@w.test", "Sam Staff", WEETWOOD, "staff"),
          ("lead_w", "lead@w.test", "Wyn Lead", WEETWOOD, "lead"),
          ("lead_i", "lead@i.test", "Ivy Lead", IRELAND_WOOD, "lead"),
          ("staff_i2", "staff2@i.test", "Isla Staff", IRELAND_WOOD, "staff"),
          ("lead_b", "lead@b.test", "Bo Lead", IVESON, "lead")]


class World:
    """Filled in by the fixture."""


def people(server):
    return {k: Person(server, e) for k, e, _, _, _ in EMAILS}


def add_course(w, title, series):
    form = {"title": title, "theme": "behaviour", "audience": ["teachers"], "format": "course",
            "lead_id": w.ids["staff_w"]}
    if series:
        form["series"] = "1"
    loc = location(w.p["coord"].post("/networks/%s/programme/courses" % w.net, form))
    return int(loc.split("/courses/")[1].split("?")[0])


def add_session(w, course, day, capacity):
    loc = location(w.p["coord"].post("/networks/%s/programme/courses/%d/sessions" % (w.net, course), {
        "day": day, "start": "16:00", "end": "17:30", "venue_urn": WEETWOOD, "capacity": capacity,
        "cpd_hours": "1.5"}))
    return int(loc.rsplit("/", 1)[1])


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("series") / "s.db")
    r = run_cli("import-gias", "--db", db, DEMO)
    assert r.returncode == 0, r.stderr
    w = World()
    w.db = db
    w.ids = {k: add_user(db, e, n, urn, role) for k, e, n, urn, role in EMAILS}
    w.server = Server(db=db, env={"TANDEM_NOW": str(T0)})
    try:
        w.p = people(w.server)
        w.net = create_network(w.p["coord"], "Aire Series")
        ask_and_accept(w.p["coord"], w.p["lead_w"], w.net, WEETWOOD)
        ask_and_accept(w.p["coord"], w.p["lead_i"], w.net, IRELAND_WOOD)
        w.course = add_course(w, "Early reading in three parts", True)
        w.s1 = add_session(w, w.course, "2026-10-01", 10)
        w.s2 = add_session(w, w.course, "2026-10-08", 2)
        w.s3 = add_session(w, w.course, "2026-10-15", 10)
        w.single = add_course(w, "A twilight on its own", False)
        w.single_s = add_session(w, w.single, "2026-10-08", 10)
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def curl(w, course=None, rest=""):
    return "/networks/%s/programme/courses/%d%s" % (w.net, course or w.course, rest)


def places(w):
    return query(w.db, "SELECT session_id, person_id, status FROM booking ORDER BY id")


def test_a_course_says_it_is_a_series_and_its_sessions_are_not_booked_alone(w):
    c = w.p["staff_w2"].get(curl(w), json=True).json()
    assert c["course"]["series"] is True and c["can"]["book_series"] is True
    assert "Book every session" in w.p["staff_w2"].get(curl(w)).text
    page = w.p["staff_w2"].get("/networks/%s/programme/sessions/%d" % (w.net, w.s2)).text
    assert "one of a series" in page and "Book a place" not in page
    before = places(w)
    r = w.p["staff_w2"].post("/networks/%s/programme/sessions/%d/book" % (w.net, w.s2), {}, json=True)
    assert r.status_code == 409 and "book the course" in r.json()["errors"]["session"]
    r = w.p["staff_w2"].post(curl(w, w.single, "/book"), {}, json=True)
    assert r.status_code == 409 and "one at a time" in r.json()["errors"]["session"]
    assert w.p["lead_b"].post(curl(w, rest="/book"), {}, json=True).status_code in DENIED
    assert w.p["coord"].post(curl(w, rest="/book"), {}, json=True).status_code == 403   # no member school
    assert places(w) == before


def test_booking_the_course_books_every_session_with_one_email(w):
    loc = location(w.p["staff_w2"].post(curl(w, rest="/book"), {}))
    assert loc.endswith("?booked=3&waiting=0")
    assert "a place on 3 sessions" in w.p["staff_w2"].get(loc).text
    mine = [(s, st) for s, p, st in places(w) if p == w.ids["staff_w2"]]
    assert mine == [(w.s1, "booked"), (w.s2, "booked"), (w.s3, "booked")]
    body = one(w.db, "SELECT body FROM outbox WHERE to_addr = ? AND subject = ?", "staff2@w.test",
               "Your places: Early reading in three parts (every session)")
    assert "1 October 2026" in body and "8 October 2026" in body and "15 October 2026" in body
    # Asked again: they hold every session already.
    before = places(w)
    r = w.p["staff_w2"].post(curl(w, rest="/book"), {}, json=True)
    assert r.status_code == 409 and "every session" in r.json()["errors"]["session"]
    assert places(w) == before


def test_a_lead_books_a_colleague_on_the_series_and_gets_a_copy(w):
    location(w.p["lead_i"].post(curl(w, rest="/book"), {"person_id": w.ids["staff_i2"]}))
    assert [s for s, p, st in places(w) if p == w.ids["staff_i2"] and st == "booked"] == [w.s1, w.s2, w.s3]
    to = {a for (a,) in query(w.db, "SELECT to_addr FROM outbox WHERE subject LIKE ?", "%Early reading%every%")}
    assert {"staff2@i.test", "lead@i.test"} <= to
    before = places(w)
    r = w.p["lead_i"].post(curl(w, rest="/book"), {"person_id": w.ids["staff_w3"]}, json=True)
    assert r.status_code == 400 and "own school" in r.json()["errors"]["person_id"]
    assert places(w) == before


def test_a_full_session_refuses_the_whole_series_and_names_it(w):
    # The second session (two places) is full now.
    before = places(w)
    r = w.p["staff_w3"].post(curl(w, rest="/book"), {}, json=True)
    assert r.status_code == 409
    msg = r.json()["errors"]["session"]
    assert "8 October 2026" in msg and "full" in msg and "Nothing was booked" in msg
    assert places(w) == before
    r = w.p["staff_w3"].post(curl(w, rest="/book"), {})
    assert r.status_code == 409 and "Nothing was booked" in r.text


def test_with_the_waiting_list_the_full_session_gives_a_place_in_line(w):
    loc = location(w.p["staff_w3"].post(curl(w, rest="/book"), {"wait": "1"}))
    assert loc.endswith("?booked=2&waiting=1")
    mine = [(s, st) for s, p, st in places(w) if p == w.ids["staff_w3"]]
    assert mine == [(w.s1, "booked"), (w.s2, "waiting"), (w.s3, "booked")]
    body = one(w.db, "SELECT body FROM outbox WHERE to_addr = ? AND subject LIKE ?", "staff3@w.test",
               "Your places:%")
    assert "waiting list, number 1 in line" in body
    # A place frees on the second session: it is offered to them at once.
    location(w.p["staff_w2"].post("/networks/%s/programme/sessions/%d/cancel" % (w.net, w.s2), {}))
    assert one(w.db, "SELECT status FROM booking WHERE session_id = ? AND person_id = ?", w.s2,
               w.ids["staff_w3"]) == "offered"


def test_once_a_session_has_closed_the_series_cannot_be_booked(w):
    s = Server(db=w.db, env={"TANDEM_NOW": str(FIRST_START + 3600)})
    try:
        p = Person(s, "lead@w.test")
        before = places(w)
        r = p.post(curl(w, rest="/book"), {}, json=True)
        assert r.status_code == 409 and "closed" in r.json()["errors"]["session"]
        assert "1 October 2026" in r.json()["errors"]["session"]
        assert places(w) == before
    finally:
        assert s.close() == 0, "".join(s.log[-40:])
    w.p = people(w.server)


def ics_events(text):
    """The VEVENTs of an iCalendar text (lines unfolded) as dicts of property -> value, and the METHOD."""
    lines = text.replace("\r\n ", "").split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    method = [l.split(":", 1)[1] for l in lines if l.startswith("METHOD:")]
    events, ev = [], None
    for l in lines:
        if l == "BEGIN:VEVENT":
            ev = {}
        elif l == "END:VEVENT":
            events.append(ev)
            ev = None
        elif ev is not None and ":" in l:
            k, v = l.split(":", 1)
            ev[k.split(";")[0]] = v
    return method, events


def attachment(w, to, subject_like):
    rows = query(w.db, "SELECT attachment_name, attachment_type, attachment FROM outbox WHERE to_addr = ? "
                 "AND subject LIKE ? ORDER BY id DESC", to, subject_like)
    assert rows, (to, subject_like)
    return rows[0]


def test_the_series_confirmation_carries_its_sessions_as_an_ics(w):
    name, kind, text = attachment(w, "staff2@w.test", "Your places:%")
    assert name == "sessions.ics" and kind == "text/calendar; charset=utf-8; method=PUBLISH"
    method, events = ics_events(text)
    assert method == ["PUBLISH"]
    assert [e["DTSTART"] for e in events] == ["20261001T150000Z", "20261008T150000Z", "20261015T150000Z"]
    assert all(e["SUMMARY"] == "Early reading in three parts" for e in events)
    assert all("Weetwood" in e["LOCATION"] for e in events)
    assert events[0]["UID"] == "session-%d-attend@%s" % (w.s1, events[0]["UID"].split("@")[1])
    # Booked with the waiting list: only the sessions with a place are in the calendar.
    _, events = ics_events(attachment(w, "staff3@w.test", "Your places:%")[2])
    assert [e["DTSTART"] for e in events] == ["20261001T150000Z", "20261015T150000Z"]
    # The lead's copy carries no calendar: the lead is not going.
    assert attachment(w, "lead@i.test", "Copy: Your places:%")[2] is None


def test_a_place_on_one_session_carries_an_ics_and_a_place_in_line_none(w):
    location(w.p["staff_w2"].post("/networks/%s/programme/sessions/%d/book" % (w.net, w.single_s), {}))
    name, kind, text = attachment(w, "staff2@w.test", "Your place: A twilight on its own")
    assert name == "session.ics" and kind.startswith("text/calendar")
    method, events = ics_events(text)
    assert method == ["PUBLISH"] and len(events) == 1
    e = events[0]
    assert e["DTSTART"] == "20261008T150000Z" and e["DTEND"] == "20261008T163000Z"
    assert e["SUMMARY"] == "A twilight on its own" and "cancel" in e["DESCRIPTION"]
    assert e["URL"].endswith("/networks/%s/programme/sessions/%d" % (w.net, w.single_s))
    assert attachment(w, "staff3@w.test", "Your places:%")[0] == "sessions.ics"


def test_the_programme_page_shows_a_booking_at_once_and_each_persons_own_places(w):
    # The single twilight (ten places) has one booked (staff_w2); the page is kept in memory between requests.
    page = w.p["staff_i2"].get("/networks/%s/programme" % w.net).text
    assert "9 places left" in page
    assert "Your places this year" in page and "Early reading in three parts" in page
    assert w.p["staff_i2"].get("/networks/%s/programme" % w.net).text.count("9 places left") == 1
    location(w.p["staff_i2"].post("/networks/%s/programme/sessions/%d/book" % (w.net, w.single_s), {}))
    page = w.p["lead_w"].get("/networks/%s/programme" % w.net).text
    assert "8 places left" in page and "9 places left" not in page
    # Each person sees their own places, never someone else's.
    mine = w.p["staff_i2"].get("/networks/%s/programme" % w.net).text
    assert mine.count('class="tag">booked') == 4          # the three of the series and the twilight
    assert "Your places this year" not in w.p["lead_w"].get("/networks/%s/programme" % w.net).text


# A school's lead books a colleague on the whole series from the course page's form.

def field_error(page):
    """The message shown by the colleague field of the course page's series form."""
    start = page.index('id="series-colleague-error">') + len('id="series-colleague-error">')
    return page[start:page.index("</p>", start)]


def chosen(page):
    """The value of the option selected in the colleague field (None when none is)."""
    select = page[page.index('id="series-colleague"'):]
    select = select[:select.index("</select>")]
    for opt in select.split("<option ")[1:]:
        if " selected" in opt.split(">", 1)[0]:
            return int(opt.split('value="', 1)[1].split('"', 1)[0])
    return None


def test_the_course_page_offers_a_lead_the_colleagues_of_their_own_school(w):
    page = w.p["lead_w"].get(curl(w)).text
    assert "Book a colleague on every session" in page
    select = page[page.index('id="series-colleague"'):page.index("</select>")]
    assert "Sid Staff" in select and "Sue Staff" in select and "Sam Staff" in select
    assert "Wyn Lead" not in select and "Isla Staff" not in select
    assert "Book a colleague on every session" not in w.p["staff_w2"].get(curl(w)).text
    assert "Book a colleague on every session" not in w.p["lead_w"].get(curl(w, w.single)).text
    c = w.p["lead_w"].get(curl(w), json=True).json()
    assert c["can"]["book_colleague_series"] is True
    assert [p["name"] for p in c["colleagues"]] == ["Sam Staff", "Sid Staff", "Sue Staff"]


def test_a_full_session_refuses_the_colleague_by_the_field_and_keeps_them_chosen(w):
    # The second session's two places are taken (one booked, one offered).
    before, mail = places(w), one(w.db, "SELECT COUNT(*) FROM outbox")
    r = w.p["lead_w"].post(curl(w, rest="/book"), {"person_id": w.ids["staff_w"]})
    assert r.status_code == 409
    msg = field_error(r.text)
    assert "8 October 2026" in msg and "full" in msg and "Nothing was booked" in msg
    assert 'href="#series-colleague"' in r.text and chosen(r.text) == w.ids["staff_w"]
    assert 'type="checkbox" name="wait" value="1">' in r.text       # the box was not ticked, and is not now
    assert places(w) == before and one(w.db, "SELECT COUNT(*) FROM outbox") == mail
    r = w.p["lead_w"].post(curl(w, rest="/book"), {"person_id": w.ids["staff_w"]}, json=True)
    assert r.status_code == 409 and "full" in r.json()["errors"]["session"]


def test_a_lead_books_a_colleague_with_the_waiting_list_and_the_mail_goes_to_them(w):
    loc = location(w.p["lead_w"].post(curl(w, rest="/book"), {"person_id": w.ids["staff_w"], "wait": "1"}))
    assert loc.endswith("?booked=2&waiting=1&for=%d" % w.ids["staff_w"])
    page = w.p["lead_w"].get(loc).text
    assert "Sid Staff is booked: a place on 2 sessions, and a place in line on 1 full session," in page
    mine = [(s, st) for s, p, st in places(w) if p == w.ids["staff_w"]]
    assert mine == [(w.s1, "booked"), (w.s2, "waiting"), (w.s3, "booked")]
    assert one(w.db, "SELECT booked_by FROM booking WHERE session_id = ? AND person_id = ?", w.s1,
               w.ids["staff_w"]) == w.ids["lead_w"]
    body = one(w.db, "SELECT body FROM outbox WHERE to_addr = ? AND subject LIKE ?", "staff@w.test",
               "Your places:%")
    assert "Wyn Lead, your school's lead, booked you on" in body and "waiting list, number" in body
    name, _, text = attachment(w, "staff@w.test", "Your places:%")
    assert name == "sessions.ics"
    assert [e["DTSTART"] for e in ics_events(text)[1]] == ["20261001T150000Z", "20261015T150000Z"]
    copy = one(w.db, "SELECT body FROM outbox WHERE to_addr = ? AND subject LIKE ?", "lead@w.test",
               "Copy: Your places:%")
    assert "This is a copy of the email sent to Sid Staff" in copy


def test_a_colleague_who_holds_every_session_is_refused_by_the_field(w):
    before = places(w)
    r = w.p["lead_w"].post(curl(w, rest="/book"), {"person_id": w.ids["staff_w"], "wait": "1"})
    assert r.status_code == 409
    assert "They already have a place" in field_error(r.text) and "every session" in field_error(r.text)
    assert chosen(r.text) == w.ids["staff_w"] and 'type="checkbox" name="wait" value="1" checked>' in r.text
    assert places(w) == before


def test_a_colleague_at_another_school_is_refused_by_the_field(w):
    before = places(w)
    r = w.p["lead_w"].post(curl(w, rest="/book"), {"person_id": w.ids["staff_i2"]})
    assert r.status_code == 400
    assert "only for colleagues at your own school" in field_error(r.text)
    assert "Isla Staff" not in r.text
    r = w.p["lead_w"].post(curl(w, rest="/book"), {"person_id": w.ids["staff_i2"]}, json=True)
    assert r.status_code == 400 and "own school" in r.json()["errors"]["person_id"]
    # Nor may someone who is not a lead book anyone but themselves.
    assert w.p["staff_w2"].post(curl(w, rest="/book"), {"person_id": w.ids["staff_w3"]}).status_code in DENIED
    assert places(w) == before


def test_once_a_session_has_closed_a_colleague_cannot_be_booked_on_the_series(w):
    s = Server(db=w.db, env={"TANDEM_NOW": str(FIRST_START + 3600)})
    try:
        p = Person(s, "lead@w.test")
        before = places(w)
        r = p.post(curl(w, rest="/book"), {"person_id": w.ids["staff_w2"]})
        assert r.status_code == 409
        assert "closed" in field_error(r.text) and "1 October 2026" in field_error(r.text)
        assert chosen(r.text) == w.ids["staff_w2"]
        assert places(w) == before
    finally:
        assert s.close() == 0, "".join(s.log[-40:])
    w.p = people(w.server)
