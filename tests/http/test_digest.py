# SPDX-License-Identifier: AGPL-3.0-or-later
"""Partnership health over time and the weekly digest, black-box: an active
partnership between Weetwood and Ireland Wood (meeting every 4 weeks, a
meeting held on the day it became active and an action due two weeks
later) is checked with `tandem digest` while TANDEM_CLOCK_OFFSET moves the
clock forward: on track at +10 days with nothing to send; overdue at +40
days, with a digest to both leads and the keeper that lists the overdue
action and the change; nothing new the same day; fading at +70 days; at
risk two days later when a risk scoring 16 is added, but no second digest
until a week after the last. Also: --dry-run changes nothing, people of
other schools get nothing, the partnership page and its JSON show the
history, the coordinators' attention page lists it with since when, the
server's own thread does the same at start, and closing records the end.

The tests run in order and share one database; each step's clock is the
offset named in its test."""
import datetime
import os
import re
import signal
import time

import pytest

from tandem_server import ROOT, Server, run_cli
from support import Person, add_user, ask_and_accept, create_network, location, one, query
from support import MEASURE, RISK, agreement_form

DEMO = os.path.join(ROOT, "data", "demo", "edubasealldata20250502-demo.csv.gz")
WEETWOOD, IRELAND_WOOD, LAWNSWOOD = 107897, 107896, 108055
DAY = 86400
SUBJECT = "Tandem: your partnerships this week"
BASE = "https://tandem.example.org"
RECIPIENTS = {"lead@w.test", "lead@s.test", "keep@w.test"}
QUIET = {"TANDEM_DIGEST_INTERVAL": "0"}  # servers here leave the sweep to the tests


class World:
    """The server, people and partnership: filled in by the fixture."""


def digest(w, days, *args, base=BASE, hours=0):
    """Run `tandem digest` with the clock moved on by days (and hours); returns its output."""
    env = {"TANDEM_CLOCK_OFFSET": str(int(days * DAY + hours * 3600)), "TANDEM_BASE_URL": base}
    r = run_cli("digest", *args, db=w.db, env=env)
    assert r.returncode == 0, r.stderr
    return r.stdout


def last_line(out):
    return out.strip().splitlines()[-1]


def digests(w, email=None):
    """The digests in the outbox: [(to, body)] in order."""
    rows = query(w.db, "SELECT to_addr, body FROM outbox WHERE subject = ? ORDER BY id", SUBJECT)
    return [(t, b) for t, b in rows if email is None or t == email]


def changes(w):
    return query(w.db, "SELECT from_status, to_status FROM health_change WHERE partnership_id = ? ORDER BY id", w.pid)


def fresh(w, key):
    """Sign in again on the main server: signing in while the clock was moved on ends older sessions."""
    w.p[key] = Person(w.server, w.p[key].email)
    return w.p[key]


def snapshot(w):
    return (query(w.db, "SELECT * FROM health_change ORDER BY id"),
            query(w.db, "SELECT id, health_status FROM partnership ORDER BY id"),
            query(w.db, "SELECT id, to_addr, subject, body FROM outbox ORDER BY id"),
            query(w.db, "SELECT * FROM digest_sent ORDER BY person_id"))


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("digest") / "d.db")
    r = run_cli("import-gias", "--db", db, DEMO)
    assert r.returncode == 0, r.stderr
    w = World()
    w.db, w.similar = db, IRELAND_WOOD
    w.ids = {
        "coord": add_user(db, "coord@d.test", "Cora Coordinator"),
        "lead_w": add_user(db, "lead@w.test", "Wyn Lead", WEETWOOD, "lead"),
        "keeper": add_user(db, "keep@w.test", "Kit Keeper", WEETWOOD, "staff"),
        "staff_w": add_user(db, "staff@w.test", "Sid Staff", WEETWOOD, "staff"),
        "lead_s": add_user(db, "lead@s.test", "Sol Lead", IRELAND_WOOD, "lead"),
        "lead_l": add_user(db, "lead@l.test", "Lyn Lead", LAWNSWOOD, "lead"),
    }
    w.server = Server(db=db, env=QUIET)
    try:
        w.p = {k: Person(w.server, e) for k, e in [
            ("coord", "coord@d.test"), ("lead_w", "lead@w.test"), ("lead_s", "lead@s.test"),
            ("lead_l", "lead@l.test")]}
        w.net = create_network(w.p["coord"], "Digest Network")
        for urn, lead in ((WEETWOOD, "lead_w"), (IRELAND_WOOD, "lead_s"), (LAWNSWOOD, "lead_l")):
            ask_and_accept(w.p["coord"], w.p[lead], w.net, urn)
        # Weetwood asks Ireland Wood; Ireland Wood accepts; both leads agree and sign.
        location(w.p["lead_w"].post("/introductions", {"network": w.net, "to": IRELAND_WOOD,
                                                       "message": "Shall we work on reasoning together?"}))
        iid = one(db, "SELECT id FROM introduction WHERE from_urn = ? AND to_urn = ?", WEETWOOD, IRELAND_WOOD)
        w.pid = int(location(w.p["lead_s"].post("/introductions/%d/accept" % iid)).rsplit("/", 1)[1])
        # No hours committed, so only meetings and activity decide the health whatever today's date.
        form = agreement_form(w, {"hours_%d" % WEETWOOD: "0", "hours_%d" % IRELAND_WOOD: "0",
                                  "keeper_person_id": str(w.ids["keeper"])})
        location(w.p["lead_w"].post("/partnerships/%d/agreement" % w.pid, form))
        location(w.p["lead_s"].post("/partnerships/%d/measures" % w.pid, MEASURE))
        location(w.p["lead_s"].post("/partnerships/%d/risks" % w.pid, RISK))
        location(w.p["lead_w"].post("/partnerships/%d/sign" % w.pid))
        location(w.p["lead_s"].post("/partnerships/%d/sign" % w.pid))
        assert one(db, "SELECT state FROM partnership WHERE id = ?", w.pid) == "active"
        # The first meeting, with an action for Ireland Wood's lead due in two weeks.
        today = datetime.datetime.now(datetime.timezone.utc).date()
        w.due = today + datetime.timedelta(days=14)
        location(w.p["lead_w"].post("/partnerships/%d/meetings" % w.pid, {
            "held_on": today.isoformat(), "held_at": "00:30", "minutes": "60", "notes": "A good start.",
            "action": "Draft the reasoning scheme", "action_owner": str(w.ids["lead_s"]),
            "action_due": w.due.isoformat()}))
        w.title = one(db, "SELECT title FROM partnership WHERE id = ?", w.pid)
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def test_ten_days_on_it_is_on_track_and_nobody_gets_a_digest(w):
    out = digest(w, 10)
    assert last_line(out) == "1 partnership checked, 1 health change, 0 digests queued", out
    assert changes(w) == [("not_active", "on_track")]
    assert one(w.db, "SELECT health_status FROM partnership WHERE id = ?", w.pid) == "on_track"
    assert digests(w) == []
    assert query(w.db, "SELECT * FROM digest_sent") == []


def test_a_dry_run_prints_the_emails_and_changes_nothing(w):
    before = snapshot(w)
    out = digest(w, 40, "--dry-run", base="")
    assert snapshot(w) == before
    assert last_line(out) == ("Dry run: 1 partnership checked, 1 health change, 3 digests would be queued; "
                              "nothing was changed"), out
    for email in RECIPIENTS:
        assert "To: %s" % email in out
    assert "Subject: " + SUBJECT in out
    assert "On track \u2192 Overdue" in out and "Draft the reasoning scheme" in out
    assert "Open it: /partnerships/%d/running" % w.pid in out  # a path when no base URL is set


def test_forty_days_on_it_is_overdue_and_both_leads_and_the_keeper_hear_of_it(w):
    out = digest(w, 40)
    assert last_line(out) == "1 partnership checked, 1 health change, 3 digests queued", out
    assert changes(w) == [("not_active", "on_track"), ("on_track", "overdue")]
    reason = one(w.db, "SELECT reason FROM health_change WHERE partnership_id = ? ORDER BY id DESC", w.pid)
    assert reason.startswith("No meeting since") and "every 4 weeks" in reason
    sent = digests(w)
    assert sorted(t for t, _ in sent) == sorted(RECIPIENTS)
    body = dict(sent)["lead@w.test"]
    assert body.startswith("Hello Wyn Lead,")
    assert w.title in body
    assert "1 partnership needs attention, and 1 action is past its due date." in body
    assert "Health: Overdue. " + reason in body
    assert "from On track to Overdue" in body
    assert re.search(r"- Draft the reasoning scheme \(Sol Lead, due %d %s" % (w.due.day, w.due.strftime("%B")), body)
    assert "Open it: %s/partnerships/%d/running" % (BASE, w.pid) in body
    assert "Hello Kit Keeper," in dict(sent)["keep@w.test"]
    assert {e for (e,) in query(w.db, "SELECT p.email FROM digest_sent d JOIN person p ON p.id = d.person_id")} \
        == RECIPIENTS


def test_running_again_the_same_day_sends_nothing_new(w):
    n = len(digests(w))
    out = digest(w, 40, hours=3)
    assert last_line(out) == "1 partnership checked, 0 health changes, 0 digests queued", out
    assert len(digests(w)) == n
    assert len(changes(w)) == 2


def test_people_of_other_schools_and_staff_get_no_digest(w):
    for email in ("lead@l.test", "staff@w.test", "coord@d.test"):
        assert digests(w, email) == []


def test_the_page_shows_the_history_and_the_attention_page_lists_it(w):
    later = Server(db=w.db, env=dict(QUIET, TANDEM_CLOCK_OFFSET=str(41 * DAY)))
    try:
        lead, coord = Person(later, "lead@w.test"), Person(later, "coord@d.test")
        for who in (lead, coord):  # partner schools and the coordinator (summary only) alike
            h = who.get("/partnerships/%d" % w.pid, json=True).json()["health"]
            assert h["status"] == "overdue"
            assert [(c["from"], c["to"]) for c in h["history"]] == [("on_track", "overdue"), ("not_active", "on_track")]
            assert h["history"][0]["reason"].startswith("No meeting since")
            assert h["since"] and h["since_at"]
            page = who.get("/partnerships/%d" % w.pid).text
            assert "Recent changes of health" in page
            assert "On track \u2192 <strong>Overdue</strong>" in page
            assert "Not active \u2192 <strong>On track</strong>" in page
            assert "Overdue since " + h["since"] in page
        page = coord.get("/networks/%s/attention" % w.net).text
        needs, others = page.split("<h2>Other open partnerships</h2>")
        assert w.title in needs and "Overdue" in needs and "since " in needs
        assert w.title not in others
        item = coord.get("/networks/%s/attention" % w.net, json=True).json()["attention"][0]
        assert item["id"] == w.pid and item["health"]["since_at"]
        assert lead.get("/networks/%s/attention" % w.net).status_code in (403, 404)
    finally:
        assert later.close() == 0, "".join(later.log[-40:])


def test_seventy_days_on_it_is_fading_and_everyone_hears_again(w):
    n = len(digests(w))
    out = digest(w, 70)
    assert last_line(out) == "1 partnership checked, 1 health change, 3 digests queued", out
    assert changes(w)[-1] == ("overdue", "fading")
    new = digests(w)[n:]
    assert sorted(t for t, _ in new) == sorted(RECIPIENTS)
    body = dict(new)["lead@s.test"]
    assert "Health: Fading. No activity since" in body and "from Overdue to Fading" in body
    assert "from On track to Overdue" not in body  # told last time
    assert "Draft the reasoning scheme" in body  # still not done


def test_a_high_risk_makes_it_at_risk_but_the_next_digest_waits_a_week(w):
    location(fresh(w, "lead_w").post("/partnerships/%d/risks" % w.pid, dict(
        RISK, risk="The maths lead leaves at Easter", likelihood="4", impact="4")))
    n = len(digests(w))
    out = digest(w, 72)
    assert last_line(out) == "1 partnership checked, 1 health change, 0 digests queued", out
    assert changes(w)[-1] == ("fading", "at_risk")
    reason = one(w.db, "SELECT reason FROM health_change WHERE partnership_id = ? ORDER BY id DESC", w.pid)
    assert "scores 16" in reason and "The maths lead leaves at Easter" in reason
    assert len(digests(w)) == n
    out = digest(w, 77)
    assert last_line(out) == "1 partnership checked, 0 health changes, 3 digests queued", out
    body = dict(digests(w)[n:])["keep@w.test"]
    assert "Health: At risk. An open risk scores 16" in body and "from Fading to At risk" in body
    assert "from Overdue to Fading" not in body


def test_the_server_sweeps_and_sends_at_start_and_stops_cleanly(w):
    n = len(digests(w))
    s = Server(db=w.db, env={"TANDEM_CLOCK_OFFSET": str(90 * DAY), "TANDEM_DIGEST_INTERVAL": "3600"})
    try:
        deadline = time.time() + 30
        while len(digests(w)) < n + 3 and time.time() < deadline:
            time.sleep(0.2)
        assert sorted(t for t, _ in digests(w)[n:]) == sorted(RECIPIENTS)  # the action is still overdue
    finally:
        assert s.stop(signal.SIGTERM) == 0, "".join(s.log[-40:])
        s.close()
    assert any("3 digests queued" in line for line in s.log), "".join(s.log[-40:])


def test_closing_records_the_end_and_stops_the_digests(w):
    location(fresh(w, "lead_w").post("/partnerships/%d/close" % w.pid, {"reflection": "We did what we set out to."}))
    n = len(digests(w))
    out = digest(w, 100)
    assert last_line(out) == "1 partnership checked, 1 health change, 0 digests queued", out
    assert changes(w)[-1] == ("at_risk", "not_active")
    assert one(w.db, "SELECT reason FROM health_change WHERE partnership_id = ? ORDER BY id DESC", w.pid) \
        == "The partnership was closed."
    out = digest(w, 110)
    assert last_line(out) == "0 partnerships checked, 0 health changes, 0 digests queued", out
    assert len(digests(w)) == n


def test_the_command_explains_itself_and_refuses_what_it_does_not_know(tmp_path):
    r = run_cli("help", "digest")
    assert r.returncode == 0 and "--dry-run" in r.stdout and "TANDEM_DIGEST_INTERVAL" in r.stdout
    assert "digest" in run_cli("help").stdout
    r = run_cli("digest", "--now", db=str(tmp_path / "x.db"))
    assert r.returncode == 2 and "unknown option '--now'" in r.stderr
    r = run_cli("digest", "everyone", db=str(tmp_path / "x.db"))
    assert r.returncode == 2 and "usage:" in r.stderr
    r = run_cli("digest", db=str(tmp_path / "x.db"), env={"TANDEM_DIGEST_INTERVAL": "soon"})
    assert r.returncode == 2 and "TANDEM_DIGEST_INTERVAL" in r.stderr
    r = run_cli("digest", db=str(tmp_path / "x.db"))
    assert r.returncode == 0 and r.stdout == "0 partnerships checked, 0 health changes, 0 digests queued\n"
