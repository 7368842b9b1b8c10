# SPDX-License-Identifier: AGPL-3.0-or-later
"""The programme on the day, black-box, on a clock the tests move (issue 13,
items 6, 9 and 10): attendees check themselves in with the session's code
(not too early, not with a wrong code, not after it ends), the facilitator
takes the register and exports it as CSV, which only facilitators and
coordinators see; My learning adds up the hours of CPD and lists what a
person delivered, also as CSV; sessions join the personal calendar feed and
the data export; reminders go to attendees two days before and to the
facilitators on the day."""
import calendar
import io
import re
import time
import zipfile

import pytest
import requests

from tandem_server import Server, run_cli
from support import DENIED, Person, add_user, ask_and_accept, create_network, location, one, query
from support import DEMO, IRELAND_WOOD, IVESON, WEETWOOD

HOUR = 3600
DAY = 24 * HOUR
# Thursday 1 October 2026, 09:00 UTC (10:00 UK time); the session is that day, 16:00 to 17:30 UK time.
T0 = calendar.timegm((2026, 10, 1, 9, 0, 0))
START = calendar.timegm((2026, 10, 1, 15, 0, 0))
END = START + 90 * 60


class World:
    """Filled in by the fixture: db, server, people (p), ids, the network (net), the session (sid)."""


EMAILS = [("coord", "coord@a.test", "Cora Coordinator", None, None),
          ("staff_w", "staff@w.test", "Sid Staff", WEETWOOD, "staff"),
          ("staff_w2", "staff2@w.test", "Sue Staff", WEETWOOD, "staff"),
          ("lead_w", "lead@w.test", "Wyn Lead", WEETWOOD, "lead"),
          ("lead_i", "lead@i.test", "Ivy Lead", IRELAND_WOOD, "lead"),
          ("staff_i2", "staff2@i.test", "Isla Staff", IRELAND_WOOD, "staff"),
          ("lead_b", "lead@b.test", "Bo Lead", IVESON, "lead")]


def people(server):
    return {k: Person(server, e) for k, e, _, _, _ in EMAILS}


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("attendance") / "a.db")
    r = run_cli("import-gias", "--db", db, DEMO)
    assert r.returncode == 0, r.stderr
    w = World()
    w.db = db
    w.ids = {k: add_user(db, e, n, urn, role) for k, e, n, urn, role in EMAILS}
    w.server = Server(db=db, env={"TANDEM_NOW": str(T0)})
    try:
        w.p = people(w.server)
        w.net = create_network(w.p["coord"], "Aire Learning")
        ask_and_accept(w.p["coord"], w.p["lead_w"], w.net, WEETWOOD)
        ask_and_accept(w.p["coord"], w.p["lead_i"], w.net, IRELAND_WOOD)
        loc = location(w.p["coord"].post("/networks/%s/programme/courses" % w.net, {
            "title": "Behaviour that lasts", "theme": "behaviour", "audience": ["teachers"], "format": "twilight",
            "lead_id": w.ids["staff_w"]}))
        w.course = int(loc.split("/courses/")[1].split("?")[0])
        w.sid = session(w, "2026-10-01", capacity=10)
        w.soon = session(w, "2026-10-05")    # for the reminders
        for who in ("staff_w2", "staff_i2", "lead_w"):
            location(w.p[who].post(url(w, w.sid, "/book")))
        for who in ("staff_w2", "staff_i2"):
            location(w.p[who].post(url(w, w.soon, "/book")))
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def session(w, day, capacity=10):
    loc = location(w.p["coord"].post("/networks/%s/programme/courses/%d/sessions" % (w.net, w.course), {
        "day": day, "start": "16:00", "end": "17:30", "venue_urn": WEETWOOD, "capacity": capacity,
        "cpd_hours": "1h30"}))
    return int(loc.rsplit("/", 1)[1])


def url(w, sid, rest=""):
    return "/networks/%s/programme/sessions/%d%s" % (w.net, sid, rest)


def code(w, sid):
    return one(w.db, "SELECT checkin_code FROM course_session WHERE id = ?", sid)


def attendance(w, sid, who):
    return one(w.db, "SELECT attendance FROM booking WHERE session_id = ? AND person_id = ? AND status = 'booked'",
               sid, w.ids[who])


def bookings(w, sid):
    return query(w.db, "SELECT * FROM booking WHERE session_id = ? ORDER BY id", sid)


class At:
    """A server on the same database at a given instant; closing it signs everyone in again on the main one."""

    def __init__(self, w, t):
        self.w, self.t = w, t

    def __enter__(self):
        self.s = Server(db=self.w.db, env={"TANDEM_NOW": str(self.t)})
        return self.s

    def __exit__(self, *exc):
        code = self.s.close()
        self.w.p = people(self.w.server)
        assert code == 0, "".join(self.s.log[-40:])


def test_checking_in_before_the_session_and_taking_the_register_too_early_are_refused(w):
    before = bookings(w, w.sid)
    body = w.p["staff_w2"].post(url(w, w.sid, "/checkin"), {"code": code(w, w.sid)}, json=True)
    assert body.status_code == 409 and "opens half an hour before" in body.json()["errors"]["code"]
    r = w.p["staff_w"].post(url(w, w.sid, "/register"), {"mark_%d" % w.ids["staff_w2"]: "present"}, json=True)
    assert r.status_code == 409 and "opens an hour before" in r.json()["errors"]["register"]
    assert bookings(w, w.sid) == before


def test_attendees_check_in_with_the_code_and_the_facilitator_takes_the_register(w):
    with At(w, START - 15 * 60) as s:
        sue, isla, sid_, lead_b = (Person(s, e) for e in ("staff2@w.test", "staff2@i.test", "staff@w.test",
                                                          "lead@b.test"))
        before = bookings(w, w.sid)
        r = sue.post(url(w, w.sid, "/checkin"), {"code": "WRONG1"}, json=True)
        assert r.status_code == 400 and "not this session's code" in r.json()["errors"]["code"]
        r = sid_.post(url(w, w.sid, "/checkin"), {"code": code(w, w.sid)}, json=True)   # no place
        assert r.status_code == 409 and "no place" in r.json()["errors"]["code"]
        assert bookings(w, w.sid) == before
        page = sue.get(url(w, w.sid)).text
        assert "Check in with the code" in page
        typed = " ".join(code(w, w.sid).lower())      # any case, any spaces
        location(sue.post(url(w, w.sid, "/checkin"), {"code": typed}))
        assert attendance(w, w.sid, "staff_w2") == "present"
        # The register: the facilitator sees everyone, the code and who checked in.
        reg = sid_.get(url(w, w.sid, "/register"), json=True).json()
        assert reg["checkin_code"] == code(w, w.sid) and reg["booked"] == 3 and reg["present"] == 1
        assert [r["checked_in"] for r in reg["register"] if r["name"] == "Sue Staff"] == [True]
        page = sid_.get(url(w, w.sid, "/register")).text
        assert "Sign-in sheet" in page and "Isla Staff" in page
        location(sid_.post(url(w, w.sid, "/register"), {"mark_%d" % w.ids["staff_i2"]: "late",
                                                         "mark_%d" % w.ids["lead_w"]: "absent"}))
        assert attendance(w, w.sid, "staff_i2") == "late" and attendance(w, w.sid, "lead_w") == "absent"
        assert attendance(w, w.sid, "staff_w2") == "present"
        # Nobody else sees or takes it; a person without a place cannot be marked.
        before = bookings(w, w.sid)
        assert isla.get(url(w, w.sid, "/register")).status_code == 403
        assert isla.post(url(w, w.sid, "/register"), {"mark_%d" % w.ids["staff_i2"]: "present"}).status_code == 403
        assert lead_b.get(url(w, w.sid, "/register")).status_code in DENIED
        r = sid_.post(url(w, w.sid, "/register"), {"mark_%d" % w.ids["staff_w"]: "present"}, json=True)
        assert r.status_code == 400 and "no place" in r.json()["errors"]["register"]
        r = sid_.post(url(w, w.sid, "/register"), {"mark_%d" % w.ids["staff_i2"]: "asleep"}, json=True)
        assert r.status_code == 400
        assert bookings(w, w.sid) == before


def test_the_register_exports_as_csv_for_facilitators_only(w):
    r = w.p["staff_w"].get(url(w, w.sid, "/register.csv"))
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in r.headers["Content-Disposition"]
    lines = r.text.strip().split("\r\n")
    assert lines[0] == "Name,School,Attendance,Checked in,Course,Session"
    assert any(l.startswith("Isla Staff,") and ",late,no," in l for l in lines)
    assert any(l.startswith("Sue Staff,") and ",present,yes," in l for l in lines)
    assert w.p["staff_i2"].get(url(w, w.sid, "/register.csv")).status_code == 403
    assert w.p["lead_b"].get(url(w, w.sid, "/register.csv")).status_code in DENIED
    # And as an Excel workbook: a zip whose sheet holds the same people and marks.
    r = w.p["staff_w"].get(url(w, w.sid, "/register.xlsx"))
    assert r.status_code == 200 and r.headers["Content-Type"].endswith("spreadsheetml.sheet")
    book = zipfile.ZipFile(io.BytesIO(r.content))
    strings = book.read("xl/sharedStrings.xml").decode()
    assert "Isla Staff" in strings and "late" in strings and "Behaviour that lasts" in strings
    assert "xl/worksheets/sheet1.xml" in book.namelist()
    assert w.p["staff_i2"].get(url(w, w.sid, "/register.xlsx")).status_code == 403


def test_the_code_no_longer_works_once_the_session_has_ended(w):
    with At(w, END + 60) as s:
        r = Person(s, "lead@w.test").post(url(w, w.sid, "/checkin"), {"code": code(w, w.sid)}, json=True)
        assert r.status_code == 409 and "ended" in r.json()["errors"]["code"]
        assert attendance(w, w.sid, "lead_w") == "absent"


def test_my_learning_counts_hours_attended_and_sessions_delivered(w):
    with At(w, END + HOUR) as s:
        sue = Person(s, "staff2@w.test").get("/me/learning", json=True).json()
        assert [a["course"] for a in sue["attended"]] == ["Behaviour that lasts"]
        assert sue["hours_this_year"] == "1.5" and sue["hours_total"] == "1.5" and sue["year_label"] == "2026/27"
        assert [u["session_id"] for u in sue["upcoming"]] == [w.soon]
        lead = Person(s, "lead@w.test").get("/me/learning", json=True).json()
        assert lead["attended"] == [] and lead["hours_total"] == "0"     # marked absent
        sid_ = Person(s, "staff@w.test")
        delivered = sid_.get("/me/learning", json=True).json()["delivered"]
        assert [(d["session_id"], d["attended"]) for d in delivered] == [(w.sid, 2)]
        assert "Delivered by me" in sid_.get("/me/learning").text
        r = Person(s, "staff2@w.test").get("/me/learning.csv")
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
        assert "Attended,Behaviour that lasts,Aire Learning" in r.text and ",1.5,present" in r.text
    assert Person(w.server).get("/me/learning").status_code in (303, 401)


def test_sessions_join_the_calendar_feed_and_the_data_export(w):
    r = w.p["staff_w2"].post("/calendar", json=True)
    assert r.status_code == 201
    path = re.search(r"(/calendar/[A-Za-z0-9_-]{43}\.ics)", r.json()["new_link"]["url"]).group(1)
    ics = requests.get(w.server.url + path).text
    assert "UID:session-%d-attend@" % w.sid in ics and "SUMMARY:Behaviour that lasts" in ics
    r = w.p["staff_w"].post("/calendar", json=True)
    path = re.search(r"(/calendar/[A-Za-z0-9_-]{43}\.ics)", r.json()["new_link"]["url"]).group(1)
    assert "UID:session-%d-deliver@" % w.sid in requests.get(w.server.url + path).text
    mine = w.p["staff_w2"].get("/account/export").json()["programme"]
    assert {b["course"] for b in mine["bookings"]} == {"Behaviour that lasts"}
    assert [t["course_lead"] for t in w.p["staff_w"].get("/account/export").json()["programme"]["facilitation_teams"]] == [1]


def test_reminders_go_two_days_before_to_attendees_and_on_the_day_to_facilitators(w):
    subject = "Reminder: Behaviour that lasts"
    monday = "%Monday 5 October 2026%"
    assert one(w.db, "SELECT COUNT(*) FROM outbox WHERE subject = ? AND body LIKE ?", subject, monday) == 0
    soon_start = START + 4 * DAY
    with At(w, soon_start - 2 * DAY + HOUR):
        deadline = time.time() + 30
        while one(w.db, "SELECT reminded_at FROM course_session WHERE id = ?", w.soon) is None and time.time() < deadline:
            time.sleep(0.2)
        rows = query(w.db, "SELECT to_addr, body FROM outbox WHERE subject = ? AND body LIKE ? ORDER BY to_addr",
                     subject, monday)
        assert [r[0] for r in rows] == ["staff2@i.test", "staff2@w.test"]
        assert "Monday 5 October 2026, 16:00 to 17:30 UK time" in rows[0][1]
    with At(w, soon_start - 3 * HOUR):
        deadline = time.time() + 30
        while one(w.db, "SELECT facilitators_reminded_at FROM course_session WHERE id = ?", w.soon) is None \
                and time.time() < deadline:
            time.sleep(0.2)
        body = one(w.db, "SELECT body FROM outbox WHERE subject = 'Today: Behaviour that lasts' AND to_addr = ? "
                   "AND body LIKE ?", "staff@w.test", monday)
        assert body and "/programme/sessions/%d/register" % w.soon in body
    # Each goes once.
    assert one(w.db, "SELECT COUNT(*) FROM outbox WHERE subject = ? AND body LIKE ?", subject, monday) == 2


def test_the_demo_sets_up_the_programme_with_a_waiting_list_and_a_past_register_once(tmp_path):
    db = str(tmp_path / "demo.db")
    assert run_cli("import-gias", "--db", db, DEMO).returncode == 0
    r = run_cli("demo", "--db", db)
    assert r.returncode == 0, r.stderr
    assert "Demo programme: 4 courses" in r.stdout
    counts = lambda: query(db, "SELECT status, COUNT(*) FROM booking GROUP BY status ORDER BY status")
    first = counts()
    assert dict(first)["waiting"] == 2
    assert one(db, "SELECT COUNT(DISTINCT n.urn) FROM course_facilitator n") >= 3   # staff of three schools
    assert one(db, "SELECT COUNT(*) FROM booking WHERE attendance IS NOT NULL") == 3
    assert one(db, "SELECT COUNT(*) FROM teachmeet_slot") == 3
    assert run_cli("demo", "--db", db).returncode == 0
    assert counts() == first and one(db, "SELECT COUNT(*) FROM course") == 4
    s = Server(db=db)
    try:
        staff = Person(s, "staff.weetwood@tandem.example", "aire-valley-demo")
        p = staff.get("/networks/aire-valley-learning-partnership/programme", json=True).json()["programme"]
        assert {t["name"] for t in p["themes"]} >= {"reading", "behaviour", "curriculum", "governance"}
        assert [w for w in staff.get("/me/learning", json=True).json()["waiting"]]
        lead = Person(s, "lead.weetwood@tandem.example", "aire-valley-demo")
        assert lead.get("/me/learning", json=True).json()["hours_total"] == "1.5"
    finally:
        assert s.close() == 0
