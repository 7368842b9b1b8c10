# SPDX-License-Identifier: AGPL-3.0-or-later
"""The running page as a busy headteacher meets it (issue 11), black-box: the
records come first and each kind has one "Record…" button (a <details>, so
it needs no JavaScript) that opens its form, open again when that form was
refused, with every typed value and the message next to the field as well
as in the summary; recording a meeting changes the health shown at once
(the stored status the coordinators' lists read, not only the page); the
evidence chart labels the baseline, the target, each value and its date,
with a title, a description and a table of the same numbers; and dates on
the page are written for people, never ISO."""
import calendar
import html
import json
import re

import pytest

from tandem_server import Server, run_cli
from support import (DEMO, MEASURE, RISK, WEETWOOD, Person, add_user, agreement_form, ask_and_accept,
                     create_network, location, one, query)

DAY = 24 * 3600
# Activated on 1 October 2025; the page is read 40 days later, when no meeting has been held.
T0 = calendar.timegm((2025, 10, 1, 9, 0, 0))
T40 = T0 + 40 * DAY  # 10 November 2025
KINDS = ("meeting", "action", "decision", "time", "evidence", "reflection")


class World:
    """Filled in by the fixture: db, server (at T40), people (p), ids, the partnership (pid)."""


def people(server):
    return {k: Person(server, e) for k, e in [("coord", "coord@u.test"), ("lead_w", "lead@w.test"),
                                               ("lead_s", "lead@s.test")]}


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("running-ux") / "r.db")
    r = run_cli("import-gias", "--db", db, DEMO)
    assert r.returncode == 0, r.stderr
    r = run_cli("similar", str(WEETWOOD), "--k", "5", "--json", db=db)
    similar = json.loads(r.stdout)["results"][0]["urn"]
    w = World()
    w.db, w.similar = db, similar
    w.ids = {"coord": add_user(db, "coord@u.test", "Cora Coordinator"),
             "lead_w": add_user(db, "lead@w.test", "Wyn Lead", WEETWOOD, "lead"),
             "lead_s": add_user(db, "lead@s.test", "Sol Lead", similar, "lead")}
    first = Server(db=db, env={"TANDEM_NOW": str(T0), "TANDEM_DIGEST_INTERVAL": "0"})
    try:
        p = people(first)
        w.net = create_network(p["coord"], "Running UX Network")
        for urn, lead in ((WEETWOOD, "lead_w"), (similar, "lead_s")):
            ask_and_accept(p["coord"], p[lead], w.net, urn)
        location(p["lead_w"].post("/introductions", {"network": w.net, "to": similar, "message": "Reasoning?"}))
        iid = one(db, "SELECT id FROM introduction WHERE to_urn = ?", similar)
        w.pid = int(location(p["lead_s"].post("/introductions/%d/accept" % iid)).rsplit("/", 1)[1])
        # No hours committed: only meetings and activity decide the health.
        form = agreement_form(w, {"hours_%d" % WEETWOOD: "0", "hours_%d" % similar: "0"})
        location(p["lead_w"].post("/partnerships/%d/agreement" % w.pid, form))
        location(p["lead_s"].post("/partnerships/%d/measures" % w.pid, MEASURE))
        location(p["lead_s"].post("/partnerships/%d/risks" % w.pid, RISK))
        location(p["lead_w"].post("/partnerships/%d/sign" % w.pid, {"school": WEETWOOD}))
        location(p["lead_s"].post("/partnerships/%d/sign" % w.pid))
        assert one(db, "SELECT state FROM partnership WHERE id = ?", w.pid) == "active"
    finally:
        assert first.close() == 0, "".join(first.log[-40:])
    # Forty days on, the sweep finds it overdue (no meeting yet) and stores that.
    r = run_cli("digest", db=db, env={"TANDEM_NOW": str(T40)})
    assert r.returncode == 0, r.stderr
    assert one(db, "SELECT health_status FROM partnership WHERE id = ?", w.pid) == "overdue"
    # The server's clock starts a minute after the sweep's: both run on from TANDEM_NOW in real
    # time, and on a busy machine the sweep's own seconds could otherwise come after the records
    # a test makes, so its "overdue" would look like the latest change of health.
    w.server = Server(db=db, env={"TANDEM_NOW": str(T40 + 60), "TANDEM_DIGEST_INTERVAL": "0"})
    w.p = people(w.server)
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def url(w, rest=""):
    return "/partnerships/%d%s" % (w.pid, rest)


def text_of(page):
    main = page.split("<main", 1)[-1]
    return re.sub(r"\s+([:.,])", r"\1", re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main))))


def details(page, kind):
    """The opening tag of the "Record…" <details> of kind, and its summary's text."""
    m = re.search(r'(<details class="record" id="record-%s"[^>]*>)\s*<summary>([^<]*)</summary>' % kind, page)
    assert m, "no Record button for %s" % kind
    return m.group(1), m.group(2)


def test_records_come_first_and_each_kind_has_one_record_button_folded(w):
    page = w.p["lead_w"].get(url(w, "/running")).text
    for kind in KINDS:
        tag, label = details(page, kind)
        assert label.startswith("Record") and label.endswith("\u2026"), label
        assert " open" not in tag, tag
        assert page.count('id="record-%s"' % kind) == 1
    # In each section the records (or the words saying there are none) come before the button.
    assert page.index("No meetings recorded yet") < page.index('id="record-meeting"')
    assert page.index("No actions yet") < page.index('id="record-action"')


def test_a_refused_form_opens_again_with_every_typed_value_and_its_messages(w):
    before = query(w.db, "SELECT COUNT(*) FROM action")
    r = w.p["lead_w"].post(url(w, "/actions"), {"title": "Draft the reasoning paper",
                                                "owner_person_id": str(w.ids["lead_s"]), "due_on": ""})
    assert r.status_code == 400
    tag, _ = details(r.text, "action")
    assert " open" in tag
    for kind in set(KINDS) - {"action"}:
        assert " open" not in details(r.text, kind)[0]
    assert 'value="Draft the reasoning paper"' in r.text
    assert re.search(r'<option value="%d" selected>Sol Lead</option>' % w.ids["lead_s"], r.text)
    assert 'id="action-due_on-error"' in r.text  # next to the field
    assert 'href="#action-due_on"' in r.text     # and in the summary
    # Hours as people write them are taken; what is not hours comes back as typed, with why.
    r = w.p["lead_w"].post(url(w, "/time"), {"worked_on": "10/11/2025", "hours": "an afternoon",
                                             "note": "Planning with Sol"})
    assert r.status_code == 400 and " open" in details(r.text, "time")[0]
    assert 'value="an afternoon"' in r.text and 'value="Planning with Sol"' in r.text
    assert 'id="time-hours-error"' in r.text
    assert query(w.db, "SELECT COUNT(*) FROM action") == before


def test_recording_a_meeting_changes_the_health_shown_at_once(w):
    coord = w.p["coord"]
    attention = coord.get("/", json=True).json()["waiting"]["attention"]
    assert [a["id"] for a in attention] == [w.pid]
    assert w.p["lead_w"].get(url(w), json=True).json()["health"]["status"] == "overdue"
    location(w.p["lead_w"].post(url(w, "/meetings"), {"held_on": "10 Nov 2025", "held_at": "08:00",
                                                      "notes": "Back on track."}))
    # The same moment, no sweep: the stored status, the change and every page follow.
    assert one(w.db, "SELECT health_status FROM partnership WHERE id = ?", w.pid) == "on_track"
    assert query(w.db, "SELECT from_status, to_status FROM health_change WHERE partnership_id = ? "
                       "ORDER BY id DESC LIMIT 1", w.pid) == [("overdue", "on_track")]
    assert coord.get("/", json=True).json()["waiting"]["attention"] == []
    h = w.p["lead_w"].get(url(w), json=True).json()["health"]
    assert h["status"] == "on_track" and h["since"] == "10 November 2025"
    t = text_of(w.p["lead_w"].get(url(w, "/running")).text)
    assert "Health: On track" in t
    assert "10 November 2025, 08:00 UK time" in t


def test_the_evidence_chart_labels_baseline_target_values_and_dates(w):
    mid = one(w.db, "SELECT id FROM partnership_measure WHERE partnership_id = ?", w.pid)
    for day, value in (("2025-10-15", "21"), ("6/11/2025", "24.5")):
        location(w.p["lead_s"].post(url(w, "/evidence"), {"measure_id": str(mid), "measured_on": day,
                                                          "value": value}))
    page = w.p["lead_w"].get(url(w, "/running")).text
    svg = re.search(r'<svg class="chart".*?</svg>', page, re.S).group(0)
    assert re.search(r'role="img" aria-labelledby="chart-%d-title chart-%d-desc"' % (mid, mid), svg)
    base, target = MEASURE["baseline"], MEASURE["target"]
    assert "<title id=\"chart-%d-title\">" % mid in svg
    desc = html.unescape(re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1))
    assert "Baseline %s" % base in desc and "Target %s" % target in desc
    assert "21" in desc and "15 October 2025" in desc and "24.5" in desc and "6 November 2025" in desc
    labels = [html.unescape(x) for x in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert "Baseline %s" % base in labels and "Target %s" % target in labels
    assert {"21", "24.5", "15 October 2025", "6 November 2025"} <= set(labels)
    table = re.search(r"<table class=\"small\">\s*<caption>[^<]*the numbers in the chart</caption>.*?</table>",
                      page, re.S).group(0)
    t = text_of(table)
    assert "Baseline" in t and "Target" in t and "15 October 2025 21" in t and "6 November 2025 24.5" in t


def test_dates_on_the_running_page_are_for_people_never_iso(w):
    location(w.p["lead_w"].post(url(w, "/actions"), {"title": "Share the paper", "due_on": "2025-11-20"}))
    location(w.p["lead_w"].post(url(w, "/decisions"), {"text": "One paper for both", "decided_on": "2025-11-10"}))
    t = text_of(w.p["lead_w"].get(url(w, "/running")).text)
    assert "due 20 November 2025" in t and "10 November 2025: One paper for both" in t
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", t), re.findall(r".{40}\b20\d\d-\d\d-\d\d\b.{20}", t)
