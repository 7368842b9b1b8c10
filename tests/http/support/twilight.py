# SPDX-License-Identifier: AGPL-3.0-or-later
"""One twilight session on a clock the tests move, shared by the tests of what happens after a
session (feedback, certificates, the network's feedback questions): a network of two member
schools, a course led by a member of staff, one session on Thursday 1 October 2026 from 16:00 to
17:30 UK time at Weetwood, five people booked, and `At`, a second server on the same database at
another instant."""
import calendar

from tandem_server import Server, run_cli
from support import DEMO, IRELAND_WOOD, IVESON, WEETWOOD, Person, add_user, ask_and_accept, create_network, location

HOUR = 3600
DAY = 24 * HOUR
T0 = calendar.timegm((2026, 10, 1, 9, 0, 0))     # Thursday 1 October 2026, 10:00 UK time
START = calendar.timegm((2026, 10, 1, 15, 0, 0))  # 16:00 UK time
END = START + 90 * 60

# (key, email, name, school, role); the coordinator's address is the world's own (coord@<tag>.test).
PEOPLE = [("staff_w", "staff@w.test", "Sid Staff", WEETWOOD, "staff"),
          ("staff_w2", "staff2@w.test", "Sue Staff", WEETWOOD, "staff"),
          ("gov_w", "gov@w.test", "Gil Governor", WEETWOOD, "governor"),
          ("lead_w", "lead@w.test", "Wyn Lead", WEETWOOD, "lead"),
          ("lead_i", "lead@i.test", "Ivy Lead", IRELAND_WOOD, "lead"),
          ("staff_i2", "staff2@i.test", "Isla Staff", IRELAND_WOOD, "staff"),
          ("lead_b", "lead@b.test", "Bo Lead", IVESON, "lead")]


class World:
    """db, ids (key → person id), server, p (key → Person), net, course, sid; made by `twilight`."""

    def people(self, server):
        return {k: Person(server, e) for k, e, _, _, _ in self.emails}


def url(w, rest=""):
    """The session's URL, with rest after it ("/book", "/feedback")."""
    return "/networks/%s/programme/sessions/%d%s" % (w.net, w.sid, rest)


def twilight(tmp_path_factory, tag, network):
    """Build the world in a new database (tag names its folder and the coordinator's address); the caller closes w.server."""
    db = str(tmp_path_factory.mktemp(tag) / ("%s.db" % tag))
    r = run_cli("import-gias", "--db", db, DEMO)
    assert r.returncode == 0, r.stderr
    w = World()
    w.db = db
    w.emails = [("coord", "coord@%s.test" % tag, "Cora Coordinator", None, None)] + PEOPLE
    w.ids = {k: add_user(db, e, n, urn, role) for k, e, n, urn, role in w.emails}
    w.server = Server(db=db, env={"TANDEM_NOW": str(T0)})
    try:
        w.p = w.people(w.server)
        w.net = create_network(w.p["coord"], network)
        ask_and_accept(w.p["coord"], w.p["lead_w"], w.net, WEETWOOD)
        ask_and_accept(w.p["coord"], w.p["lead_i"], w.net, IRELAND_WOOD)
        loc = location(w.p["coord"].post("/networks/%s/programme/courses" % w.net, {
            "title": "Behaviour that lasts", "theme": "behaviour", "audience": ["teachers"], "format": "twilight",
            "lead_id": w.ids["staff_w"]}))
        w.course = int(loc.split("/courses/")[1].split("?")[0])
        loc = location(w.p["coord"].post("/networks/%s/programme/courses/%d/sessions" % (w.net, w.course), {
            "day": "2026-10-01", "start": "16:00", "end": "17:30", "venue_urn": WEETWOOD, "capacity": 10,
            "cpd_hours": "1.5"}))
        w.sid = int(loc.rsplit("/", 1)[1])
        for who in ("staff_w2", "staff_i2", "gov_w", "lead_w", "lead_i"):
            location(w.p[who].post(url(w, "/book")))
    except BaseException:
        w.server.close()
        raise
    return w


class At:
    """A server on the same database at instant t; closing it signs everyone in again on the main one."""

    def __init__(self, w, t):
        self.w, self.t = w, t

    def __enter__(self):
        self.s = Server(db=self.w.db, env={"TANDEM_NOW": str(self.t)})
        self.p = self.w.people(self.s)
        return self

    def __exit__(self, *exc):
        code = self.s.close()
        self.w.p = self.w.people(self.w.server)
        assert code == 0, "".join(self.s.log[-40:])
