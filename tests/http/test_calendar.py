# SPDX-License-Identifier: AGPL-3.0-or-later
"""The private calendar feed, black-box: a person makes their link at
/calendar, a calendar app fetches /calendar/TOKEN.ics without a session, and
python3-icalendar reads it back with the meetings of every partnership of
the person's school (closed ones too, from a year back onward) at the times
recorded, and the due days of the actions not yet done, the person's own
marked. People of other schools, and people without a school, get a valid
calendar without any of them. Turning the link off, or making a new one,
makes the old link a 404, like a malformed or unknown one; the page needs
a signed-in person and its forms the CSRF token; the token never reaches
the log."""
import datetime
import re
import time
import zoneinfo

import icalendar  # python3-icalendar
import pytest
import requests

from tandem_server import Server, run_cli
from support import DEMO, Person, add_user, ask_and_accept, create_network, location, one, query

WEETWOOD, IRELAND_WOOD, LAWNSWOOD, COOKRIDGE = 107897, 107896, 108055, 107894
UTC = datetime.timezone.utc
# Times typed on the running page are UK civil time; the feed carries the same instants in UTC.
LONDON = zoneinfo.ZoneInfo("Europe/London")
BASE_URL = "https://tandem.example.org"
TODAY = datetime.datetime.now(UTC).date()


def day(offset):
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


class World:
    """The server, the people and what they recorded: filled in by the fixture."""


def accept_introduction(w, asker, to, answerer):
    """asker's school asks to be introduced to school `to`; answerer accepts: the partnership id."""
    location(w.p[asker].post("/introductions", {"network": w.net, "to": to, "message": "Shall we?"}))
    iid = one(w.db, "SELECT id FROM introduction WHERE to_urn = ? ORDER BY id DESC", to)
    loc = location(w.p[answerer].post("/introductions/%d/accept" % iid))
    return int(re.fullmatch(r"/partnerships/(\d+)", loc).group(1))


def meeting(w, who, pid, **fields):
    location(w.p[who].post("/partnerships/%d/meetings" % pid, fields))
    return one(w.db, "SELECT MAX(id) FROM meeting WHERE partnership_id = ?", pid)


def action(w, who, pid, title, owner, due):
    location(w.p[who].post("/partnerships/%d/actions" % pid,
                           {"title": title, "owner_person_id": owner, "due_on": due}))
    return one(w.db, "SELECT MAX(id) FROM action WHERE partnership_id = ?", pid)


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("calendar") / "c.db")
    r = run_cli("import-gias", "--db", db, DEMO)
    assert r.returncode == 0, r.stderr
    w = World()
    w.db = db
    people = [("coord", "coord@c.test", "Cal Coordinator", None, None),
              ("lead_w", "lead@w.test", "Wyn Lead", WEETWOOD, "lead"),
              ("staff_w", "staff@w.test", "Sid Staff", WEETWOOD, "staff"),
              ("lead_i", "lead@i.test", "Ira Lead", IRELAND_WOOD, "lead"),
              ("lead_l", "lead@l.test", "Lyn Lead", LAWNSWOOD, "lead"),
              ("lead_c", "lead@k.test", "Cai Lead", COOKRIDGE, "lead"),
              ("nobody", "nobody@c.test", "Nora Noschool", None, None)]
    w.ids = {k: add_user(db, e, n, s, r) for k, e, n, s, r in people}
    w.server = Server(db=db)
    try:
        w.p = {k: Person(w.server, e) for k, e, _, _, _ in people}
        w.net = create_network(w.p["coord"], "Calendar Network")
        for urn, lead in ((WEETWOOD, "lead_w"), (IRELAND_WOOD, "lead_i"), (LAWNSWOOD, "lead_l"),
                          (COOKRIDGE, "lead_c")):
            ask_and_accept(w.p["coord"], w.p[lead], w.net, urn)
        # P1: Weetwood and Ireland Wood, forming, with three meetings and three actions.
        w.p1 = accept_introduction(w, "lead_w", IRELAND_WOOD, "lead_i")
        w.p1_title = one(db, "SELECT title FROM partnership WHERE id = ?", w.p1)
        w.m_next = meeting(w, "lead_w", w.p1, held_on=day(30), held_at="15:30", minutes="90",
                           location="Weetwood Primary, Room 4", attendees="Wyn Lead; Ira Lead",
                           notes="Agenda:\n1. Reasoning, Year 6\n2. Data", action="Share the reasoning scheme",
                           action_owner=w.ids["staff_w"], action_due=day(40))
        w.a_share = one(db, "SELECT id FROM action WHERE meeting_id = ?", w.m_next)
        w.m_past = meeting(w, "lead_i", w.p1, held_on=day(-60), held_at="16:00")
        w.m_old = meeting(w, "lead_w", w.p1, held_on=day(-800), held_at="16:00")
        w.a_hall = action(w, "lead_w", w.p1, "Book the hall", w.ids["lead_w"], day(10))
        w.a_done = action(w, "lead_w", w.p1, "Send the data", w.ids["lead_w"], day(5))
        location(w.p["lead_w"].post("/partnerships/%d/actions/%d/done" % (w.p1, w.a_done)))
        # P2: Ireland Wood and Lawnswood, with a meeting and an action, then closed.
        w.p2 = accept_introduction(w, "lead_i", LAWNSWOOD, "lead_l")
        w.m_p2 = meeting(w, "lead_l", w.p2, held_on=day(-10), held_at="09:15", minutes="45")
        w.a_p2 = action(w, "lead_l", w.p2, "Write it up", w.ids["lead_l"], day(20))
        location(w.p["lead_l"].post("/partnerships/%d/close" % w.p2, {"reflection": "It ran its course."}))
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def make_link(w, who, json=False):
    """Make (or replace) who's calendar link: the feed's path, /calendar/TOKEN.ics."""
    r = w.p[who].post("/calendar", json=json)
    assert r.status_code == 201, (r.status_code, r.text[:1000])
    if json:
        url = r.json()["new_link"]["url"]
    else:
        m = re.search(r'id="feed-url" class="token" value="([^"]+)"', r.text)
        assert m, r.text
        url = m.group(1)
    m = re.fullmatch(r"http://127\.0\.0\.1:\d+(/calendar/[A-Za-z0-9_-]{43}\.ics)", url)
    assert m, url
    return m.group(1)


def fetch(server, path):
    return requests.get(server.url + path, allow_redirects=False)


def feed(w, who, server=None):
    """who's feed, fetched the way a calendar app does (no cookies), parsed."""
    path = make_link(w, who)
    r = fetch(server or w.server, path)
    assert r.status_code == 200, r.text[:500]
    return icalendar.Calendar.from_ical(r.content)


def events(cal):
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def uid(kind, n, host="tandem"):
    return "%s-%d@%s" % (kind, n, host)


# ---- the page ------------------------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_sign_in(w):
    anon = Person(w.server)
    r = anon.get("/calendar")
    assert r.status_code == 303 and "/sign-in" in r.headers["Location"]
    assert anon.get("/calendar", json=True).status_code == 401
    assert anon.post("/calendar", json=True).status_code in (401, 403)
    assert one(w.db, "SELECT COUNT(*) FROM calendar_token") == 0


def test_the_page_explains_the_feed_and_starts_without_a_link(w):
    r = w.p["lead_c"].get("/calendar")
    assert r.status_code == 200
    assert "Subscribe in Outlook, Google Calendar or Apple Calendar" in r.text
    assert "You have no calendar link" in r.text and "Make my calendar link" in r.text
    body = w.p["lead_c"].get("/calendar", json=True).json()
    assert body["calendar"] == {"active": False, "created_at": None} and body["has_school"] is True


def test_the_partnerships_pages_link_to_it(w):
    assert 'href="/calendar"' in w.p["lead_w"].get("/partnerships").text
    assert 'href="/calendar"' in w.p["lead_w"].get("/partnerships/%d/running" % w.p1).text


def test_a_post_without_the_csrf_token_is_refused(w):
    n = one(w.db, "SELECT COUNT(*) FROM calendar_token")
    for path in ("/calendar", "/calendar/revoke"):
        r = w.p["lead_w"].post(path, csrf=False)
        assert r.status_code == 403, (path, r.status_code)
        r = w.p["lead_w"].post(path, csrf="not-the-token")
        assert r.status_code == 403, (path, r.status_code)
    assert one(w.db, "SELECT COUNT(*) FROM calendar_token") == n


def test_the_link_is_shown_once_and_only_its_hash_is_kept(w):
    path = make_link(w, "lead_c")
    token = path.split("/")[-1][:-4]
    r = w.p["lead_c"].get("/calendar")
    assert token not in r.text and "You made your calendar link on" in r.text and "Make a new link" in r.text
    assert "The old link stops working as soon as a new one" in r.text
    body = w.p["lead_c"].get("/calendar", json=True).json()
    assert body["calendar"]["active"] is True and "new_link" not in body and token not in str(body)
    stored = query(w.db, "SELECT token_hash FROM calendar_token WHERE person_id = ?", w.ids["lead_c"])
    assert stored and token not in stored[0][0] and len(stored[0][0]) == 64


def test_json_clients_make_a_link_too(w):
    path = make_link(w, "lead_i", json=True)
    assert fetch(w.server, path).status_code == 200


# ---- what the feed holds -----------------------------------------------------------------------

def test_the_feed_is_a_private_uncached_calendar(w):
    path = make_link(w, "lead_w")
    r = fetch(w.server, path)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in r.headers["Cache-Control"] and "private" in r.headers["Cache-Control"]
    assert r.content.startswith(b"BEGIN:VCALENDAR\r\n") and r.content.endswith(b"END:VCALENDAR\r\n")
    cal = icalendar.Calendar.from_ical(r.content)
    assert str(cal["VERSION"]) == "2.0" and str(cal["X-WR-CALNAME"]) == "Tandem partnerships"
    assert fetch(w.server, path).content.count(b"BEGIN:VEVENT") == len(cal.walk("VEVENT"))


def test_the_feed_holds_the_meetings_of_the_persons_partnerships_at_their_times(w):
    ev = events(feed(w, "lead_w"))
    e = ev[uid("meeting", w.m_next)]
    start = datetime.datetime.combine(TODAY + datetime.timedelta(days=30), datetime.time(15, 30), LONDON)
    assert e.decoded("DTSTART") == start
    assert e.decoded("DTEND") == start + datetime.timedelta(minutes=90)
    assert str(e["SUMMARY"]) == "Partnership meeting: " + w.p1_title
    assert str(e["LOCATION"]) == "Weetwood Primary, Room 4"
    description = str(e["DESCRIPTION"])
    assert "Attendees: Wyn Lead; Ira Lead" in description
    assert "Agenda:\n1. Reasoning, Year 6\n2. Data" in description
    assert "Partnership: %s (Calendar Network)" % w.p1_title in description
    assert "URL" not in e  # no TANDEM_BASE_URL on this server: no absolute link to give
    past = ev[uid("meeting", w.m_past)]
    assert past.decoded("DTSTART") == datetime.datetime.combine(
        TODAY - datetime.timedelta(days=60), datetime.time(16, 0), LONDON)
    assert past.decoded("DTEND") - past.decoded("DTSTART") == datetime.timedelta(hours=1)
    assert uid("meeting", w.m_old) not in ev  # more than a year ago
    assert uid("meeting", w.m_p2) not in ev   # not Weetwood's partnership


def test_the_feed_holds_open_actions_due_days_and_marks_the_persons_own(w):
    ev = events(feed(w, "lead_w"))
    hall = ev[uid("action", w.a_hall)]
    assert hall.decoded("DTSTART") == TODAY + datetime.timedelta(days=10)
    assert hall.decoded("DTEND") == TODAY + datetime.timedelta(days=11)
    assert str(hall["SUMMARY"]) == "Your action due: Book the hall (%s)" % w.p1_title
    assert "Owner: you" in str(hall["DESCRIPTION"])
    share = ev[uid("action", w.a_share)]
    assert share.decoded("DTSTART") == TODAY + datetime.timedelta(days=40)
    assert str(share["SUMMARY"]) == "Action due: Share the reasoning scheme (%s)" % w.p1_title
    assert "Owner: Sid Staff" in str(share["DESCRIPTION"])
    assert uid("action", w.a_done) not in ev  # done
    assert uid("action", w.a_p2) not in ev    # another school's partnership
    # The staff member who owns "Share the reasoning scheme" sees it as theirs.
    ev = events(feed(w, "staff_w"))
    assert str(ev[uid("action", w.a_share)]["SUMMARY"]).startswith("Your action due: Share the reasoning scheme")
    assert str(ev[uid("action", w.a_hall)]["SUMMARY"]).startswith("Action due: Book the hall")


def test_a_closed_partnership_keeps_its_meetings_and_drops_its_actions(w):
    ev = events(feed(w, "lead_l"))
    assert set(ev) == {uid("meeting", w.m_p2)}
    assert "now closed" in str(ev[uid("meeting", w.m_p2)]["DESCRIPTION"])
    ev = events(feed(w, "lead_i"))  # a partner in both
    assert {uid("meeting", w.m_p2), uid("meeting", w.m_next), uid("meeting", w.m_past),
            uid("action", w.a_hall), uid("action", w.a_share)} == set(ev)


@pytest.mark.parametrize("who", ["lead_c", "nobody", "coord"])
def test_people_outside_the_partner_schools_get_an_empty_valid_calendar(w, who):
    path = make_link(w, who)
    r = fetch(w.server, path)
    assert r.status_code == 200
    cal = icalendar.Calendar.from_ical(r.content)
    assert cal.name == "VCALENDAR" and cal.walk("VEVENT") == []
    assert w.p1_title.encode() not in r.content


def test_people_without_a_school_are_told_why_their_calendar_is_empty(w):
    assert "You are not at a school in Tandem" in w.p["nobody"].get("/calendar").text
    assert "Your school has no partnerships yet" in w.p["lead_c"].get("/calendar").text


def test_links_and_uids_use_the_public_address_when_it_is_set(w):
    public = Server(db=w.db, env={"TANDEM_BASE_URL": BASE_URL})
    try:
        ev = events(feed(w, "lead_w", server=public))
    finally:
        assert public.close() == 0
    e = ev[uid("meeting", w.m_next, "tandem.example.org")]
    running = "%s/partnerships/%d/running" % (BASE_URL, w.p1)
    assert str(e["URL"]) == running and running in str(e["DESCRIPTION"])
    assert str(ev[uid("action", w.a_hall, "tandem.example.org")]["URL"]) == running


# ---- turning it off, replacing it, bad links -----------------------------------------------------

def test_turning_the_link_off_makes_it_a_404(w):
    path = make_link(w, "staff_w")
    assert fetch(w.server, path).status_code == 200
    r = w.p["staff_w"].post("/calendar/revoke")
    assert location(r) == "/calendar?off=1"
    assert fetch(w.server, path).status_code == 404
    r = w.p["staff_w"].get("/calendar?off=1")
    assert "Your calendar link is turned off" in r.text and "You have no calendar link now" in r.text
    assert one(w.db, "SELECT COUNT(*) FROM calendar_token WHERE person_id = ?", w.ids["staff_w"]) == 0
    # Turning off when there is nothing to turn off is harmless.
    assert location(w.p["staff_w"].post("/calendar/revoke")) == "/calendar?off=1"


def test_a_new_link_replaces_the_old_one(w):
    old = make_link(w, "lead_w")
    new = make_link(w, "lead_w")
    assert old != new
    assert fetch(w.server, old).status_code == 404
    assert fetch(w.server, new).status_code == 200
    assert one(w.db, "SELECT COUNT(*) FROM calendar_token WHERE person_id = ?", w.ids["lead_w"]) == 1


@pytest.mark.parametrize("path", [
    "/calendar/short.ics",
    "/calendar/" + "A" * 43 + ".ics",                  # well formed, nobody's
    "/calendar/" + "A" * 43,                           # no .ics
    "/calendar/" + "A" * 43 + ".ICS",
    "/calendar/" + "A" * 42 + "!.ics",
    "/calendar/" + "A" * 44 + ".ics",
    "/calendar/.ics",
    "/calendar/revoke",
])
def test_malformed_and_unknown_links_are_a_plain_404(w, path):
    r = fetch(w.server, path)
    assert r.status_code == 404, (path, r.status_code)
    assert "text/calendar" not in r.headers.get("Content-Type", "")


def test_unknown_and_revoked_links_answer_alike(w):
    path = make_link(w, "lead_c")
    location(w.p["lead_c"].post("/calendar/revoke"))
    revoked = requests.get(w.server.url + path, headers={"Accept": "application/json"})
    unknown = requests.get(w.server.url + "/calendar/" + "B" * 43 + ".ics", headers={"Accept": "application/json"})
    assert revoked.status_code == unknown.status_code == 404
    strip = lambda j: {k: v for k, v in j.items() if k != "request_id"}  # noqa: E731
    assert strip(revoked.json()) == strip(unknown.json())


def test_the_token_never_reaches_the_log(w):
    path = make_link(w, "lead_i")
    token = path.split("/")[-1][:-4]
    assert fetch(w.server, path).status_code == 200
    assert fetch(w.server, path.replace(token, token[::-1])).status_code == 404
    # Nor when the path is answered before any handler runs: another method, a trailing slash.
    assert requests.post(w.server.url + path, allow_redirects=False).status_code == 405
    assert fetch(w.server, path + "/").status_code == 308
    deadline = time.time() + 5
    while time.time() < deadline and not any("/calendar/{feed}" in line for line in w.server.log):
        time.sleep(0.05)
    assert any("/calendar/{feed}" in line for line in w.server.log)
    assert not any(token in line or token[::-1] in line for line in w.server.log)
