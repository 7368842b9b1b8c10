# SPDX-License-Identifier: AGPL-3.0-or-later
"""Running a partnership, black-box, on a clock the tests move: an active
partnership between Weetwood and the school the similar-schools finder puts
first meets, records decisions and actions, logs time against each school's
commitment, records evidence and reflections; its health is on track, then
overdue, then fading as time passes (servers started later on the same
database with TANDEM_NOW), at risk with a high open risk, and the
coordinator's "needs attention" list follows; at the planned end date the
review compares outcomes with targets and closing asks for a reflection,
after which the partnership is read-only evidence. And the bad input the
issue lists for this part: a lead signing for another school, negative or
non-numeric hours, dates out of order, owners and measures from elsewhere,
and people of non-partner schools reading or writing any running URL."""
import calendar
import json

import pytest

from tandem_server import Server, run_cli
from support import (DENIED, Person, add_user, ask_and_accept, create_network, last_invitation_token,
                           location, one, query)
from support import DEMO, IRELAND_WOOD, IVESON, LAWNSWOOD, MEASURE, RISK, WEETWOOD, agreement_form, execute

DAY = 24 * 3600
# A Wednesday in the autumn term: everything in this module happens on this clock.
T0 = calendar.timegm((2025, 10, 1, 9, 0, 0))


class World:
    """Filled in by the fixture: db, server, people (p), ids, the partnership (pid)."""


def at(w, days):
    """A server on the same database, `days` after T0 (the caller closes it)."""
    return Server(db=w.db, env={"TANDEM_NOW": str(T0 + int(days * DAY))})


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("running") / "r.db")
    r = run_cli("import-gias", "--db", db, DEMO)
    assert r.returncode == 0, r.stderr
    r = run_cli("similar", str(WEETWOOD), "--k", "5", "--json", db=db)
    similar = json.loads(r.stdout)["results"][0]["urn"]
    w = World()
    w.db, w.similar = db, similar
    w.ids = {
        "coord": add_user(db, "coord@r.test", "Cora Coordinator"),
        "lead_w": add_user(db, "lead@w.test", "Wyn Lead", WEETWOOD, "lead"),
        "lead_w2": add_user(db, "deputy@w.test", "Dee Deputy", WEETWOOD, "lead"),
        "staff_w": add_user(db, "staff@w.test", "Sid Staff", WEETWOOD, "staff"),
        "gov_w": add_user(db, "gov@w.test", "Gil Governor", WEETWOOD, "governor"),
        "lead_s": add_user(db, "lead@s.test", "Sol Lead", similar, "lead"),
        "lead_l": add_user(db, "lead@l.test", "Lyn Lead", LAWNSWOOD, "lead"),
        "lead_b": add_user(db, "lead@b.test", "Bo Lead", IVESON, "lead"),
        "coord_b": add_user(db, "coord@b.test", "Bea Coordinator"),
    }
    w.server = Server(db=db, env={"TANDEM_NOW": str(T0)})
    try:
        w.p = people(w, w.server)
        w.net = create_network(w.p["coord"], "Running Network")
        net_b = create_network(w.p["coord_b"], "Other Network")
        for urn, lead in ((WEETWOOD, "lead_w"), (similar, "lead_s"), (LAWNSWOOD, "lead_l")):
            ask_and_accept(w.p["coord"], w.p[lead], w.net, urn)
        ask_and_accept(w.p["coord_b"], w.p["lead_b"], net_b, IVESON)
        location(w.p["lead_w"].post("/introductions", {"network": w.net, "to": similar,
                                                       "message": "Shall we work on reasoning?"}))
        iid = one(db, "SELECT id FROM introduction WHERE to_urn = ?", similar)
        w.pid = int(location(w.p["lead_s"].post("/introductions/%d/accept" % iid)).rsplit("/", 1)[1])
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def people(w, server):
    return {k: Person(server, e) for k, e in [
        ("coord", "coord@r.test"), ("lead_w", "lead@w.test"), ("lead_w2", "deputy@w.test"),
        ("staff_w", "staff@w.test"), ("gov_w", "gov@w.test"), ("lead_s", "lead@s.test"),
        ("lead_l", "lead@l.test"), ("lead_b", "lead@b.test"), ("coord_b", "coord@b.test")]}


def url(w, rest=""):
    return "/partnerships/%d%s" % (w.pid, rest)


def snapshot(w):
    tables = ["partnership", "partnership_school", "partnership_signature", "partnership_measure",
              "partnership_risk", "meeting", "action", "decision", "decision_school", "time_log",
              "evidence_value", "reflection"]
    return {t: query(w.db, "SELECT * FROM %s ORDER BY 1" % t) for t in tables}


def health(person, w):
    r = person.get(url(w), json=True)
    assert r.status_code == 200, r.text
    return r.json()["health"]


# ---- finding partners: the similar-schools list and the strengths search --------------------------

def test_the_similar_list_marks_network_schools_and_asks_several_at_once(w):
    lead = w.p["lead_w"]
    page = lead.get("/schools/%d/similar" % WEETWOOD).text
    assert "In Running Network" in page and 'name="to" value="%d"' % w.similar in page
    # Staff do not ask for introductions; nor is anything marked for them.
    assert "In Running Network" not in w.p["staff_w"].get("/schools/%d/similar" % WEETWOOD).text
    # Ireland Wood has nobody on Tandem: it joins when its first lead, at the school's domain, accepts.
    location(w.p["coord"].post("/networks/%s/schools" % w.net, {"urn": IRELAND_WOOD,
                                                                "email": "head@irelandwood.leeds.sch.uk"}))
    first = Person(w.server)
    location(first.accept(last_invitation_token(w.db, "head@irelandwood.leeds.sch.uk"), "Iona Head"))
    r = lead.get("/introductions/new?to=%d&to=%d" % (LAWNSWOOD, IRELAND_WOOD), json=True).json()
    assert [t["urn"] for t in r["to"]] == [LAWNSWOOD, IRELAND_WOOD]
    assert [o["slug"] for o in r["offers"]] == [w.net]
    # A school outside every shared network leaves no network to ask in.
    r = lead.get("/introductions/new?to=%d&to=%d" % (LAWNSWOOD, IVESON), json=True).json()
    assert r["offers"] == [] and r["has_offers"] is False
    n = one(w.db, "SELECT COUNT(*) FROM introduction")
    location(lead.post("/introductions", {"network": w.net, "to": [LAWNSWOOD, IRELAND_WOOD],
                                          "message": "Would you like to work with us on reasoning?"}))
    assert one(w.db, "SELECT COUNT(*) FROM introduction") == n + 2


def test_the_strengths_search_offers_an_introduction_to_other_schools(w):
    location(w.p["lead_l"].post("/networks/%s/schools/%d/strengths" % (w.net, LAWNSWOOD),
                                {"theme": "maths", "summary": "Maths mastery with a specialist who visits."}))
    location(w.p["lead_w"].post("/networks/%s/schools/%d/strengths" % (w.net, WEETWOOD),
                                {"theme": "maths", "summary": "Number sense in the early years."}))
    results = w.p["lead_w"].get("/networks/%s/strengths?theme=maths" % w.net, json=True).json()["results"]
    asks = {r["urn"]: r.get("ask_url") for r in results}
    assert asks[LAWNSWOOD] == "/introductions/new?to=%d" % LAWNSWOOD and asks[WEETWOOD] is None
    results = w.p["staff_w"].get("/networks/%s/strengths?theme=maths" % w.net, json=True).json()["results"]
    assert all("ask_url" not in r for r in results)


# ---- the agreement: leads, the keeper, signing for one's own school only -----------------------

def test_leads_and_the_keeper_are_chosen_by_name(w):
    page = w.p["lead_w"].get(url(w, "/agreement")).text
    assert 'name="lead_%d"' % WEETWOOD in page and "Dee Deputy" in page
    assert 'name="keeper_person_id"' in page and "Sol Lead" in page
    # A lead must be one of that school's leads; the deciding school one of the partners.
    before = snapshot(w)
    for bad in ({"lead_%d" % w.similar: str(w.ids["lead_w"])},
                {"lead_%d" % WEETWOOD: str(w.ids["staff_w"])},
                {"lead_%d" % WEETWOOD: "nobody"},
                {"decision": "lead_school", "lead_school_urn": str(LAWNSWOOD)},
                {"keeper_person_id": str(w.ids["lead_l"])}):
        r = w.p["lead_w"].post(url(w, "/agreement"), agreement_form(w, bad), json=True)
        assert r.status_code == 400, (bad, r.text)
        assert set(r.json()["errors"]) & set(bad), (bad, r.json())
    assert snapshot(w) == before


def test_a_form_that_did_not_pass_keeps_what_was_typed(w):
    typed = "Our own words about reading for pleasure"
    r = w.p["lead_w"].post(url(w, "/agreement"), agreement_form(w, {"challenge": typed, "cadence_weeks": "0"}))
    assert r.status_code == 400
    assert typed in r.text and 'value="0"' in r.text
    r = w.p["lead_w"].post(url(w, "/measures"), dict(MEASURE, name="Phonics check", baseline="lots"))
    assert r.status_code == 400 and 'value="Phonics check"' in r.text


def test_dates_out_of_order_are_refused(w):
    before = snapshot(w)
    r = w.p["lead_w"].post(url(w, "/agreement"), agreement_form(w, {"starts_on": "2026-01-10",
                                                                    "ends_on": "2025-12-01"}), json=True)
    assert r.status_code == 400 and "ends_on" in r.json()["errors"]
    r = w.p["lead_w"].post(url(w, "/measures"), dict(MEASURE, baseline_on="2026-06-01", target_by="2025-09-01"),
                           json=True)
    assert r.status_code == 400 and "target_by" in r.json()["errors"]
    assert snapshot(w) == before


@pytest.mark.parametrize("day,why", [("2025-02-30", "February 2025 has 28 days"),
                                     ("2027-02-29", "February 2027 has 28 days"),
                                     ("2026-04-31", "April 2026 has 30 days")])
def test_impossible_agreement_dates_are_refused_not_moved_to_another_day(w, day, why):
    before = snapshot(w)
    r = w.p["lead_w"].post(url(w, "/agreement"), agreement_form(w, {"starts_on": day}), json=True)
    assert r.status_code == 400
    assert r.json()["errors"]["starts_on"] == "The start date is not a real date: %s." % why
    r = w.p["lead_w"].post(url(w, "/agreement"), agreement_form(w, {"ends_on": day}))
    assert r.status_code == 400 and "The end date is not a real date: %s." % why in r.text
    r = w.p["lead_w"].post(url(w, "/measures"), dict(MEASURE, baseline_on=day), json=True)
    assert r.status_code == 400
    assert r.json()["errors"]["baseline_on"] == "The baseline date is not a real date: %s." % why
    r = w.p["lead_w"].post(url(w, "/measures"), dict(MEASURE, target_by=day), json=True)
    assert r.status_code == 400 and why in r.json()["errors"]["target_by"]
    assert snapshot(w) == before


def test_the_partners_agree_and_each_lead_signs_for_their_own_school_only(w):
    location(w.p["lead_w"].post(url(w, "/agreement"), agreement_form(w)))
    location(w.p["lead_s"].post(url(w, "/measures"), MEASURE))
    location(w.p["lead_s"].post(url(w, "/risks"), RISK))
    before = snapshot(w)
    r = w.p["lead_w"].post(url(w, "/sign"), {"school": w.similar}, json=True)
    assert r.status_code == 403 and "their own school" in r.json()["detail"]
    # The deputy is a lead of Weetwood but not its lead for this partnership.
    r = w.p["lead_w2"].post(url(w, "/sign"), json=True)
    assert r.status_code == 403
    assert snapshot(w) == before
    location(w.p["lead_w"].post(url(w, "/sign"), {"school": WEETWOOD}))
    location(w.p["lead_s"].post(url(w, "/sign")))
    assert one(w.db, "SELECT state FROM partnership WHERE id = ?", w.pid) == "active"
    assert health(w.p["lead_w"], w)["status"] == "on_track"


# ---- running it -----------------------------------------------------------------------------------

def test_a_meeting_with_its_decision_and_action_is_recorded(w):
    r = w.p["lead_w"].post(url(w, "/meetings"), {
        "held_on": "2025-10-01", "held_at": "08:00", "location": "Weetwood staffroom",
        "attendees": "Wyn, Sol", "notes": "Agreed the reasoning scheme outline.",
        "decision": "Use one reasoning paper in both schools", "agreed_%d" % WEETWOOD: "yes",
        "agreed_%d" % w.similar: "yes", "action": "Draft the reasoning paper",
        "action_owner": str(w.ids["lead_s"]), "action_due": "2025-10-20"})
    assert location(r) == url(w, "/running")
    run = w.p["staff_w"].get(url(w, "/running"), json=True).json()["running"]
    assert run["meetings"][0]["location"] == "Weetwood staffroom"
    assert run["meetings"][0]["planned"] is False
    # Typed in UK time (British Summer Time on 1 October), kept in UTC, shown as typed.
    assert one(w.db, "SELECT held_at FROM meeting WHERE partnership_id = ?", w.pid) == "2025-10-01T07:00:00Z"
    assert run["meetings"][0]["when"] == "1 October 2025, 08:00"
    assert run["decisions"][0]["text"] == "Use one reasoning paper in both schools"
    assert run["decisions"][0]["agreement"].count("yes") == 2
    assert run["actions"][0]["title"] == "Draft the reasoning paper" and run["actions"][0]["owner"] == "Sol Lead"
    page = w.p["lead_w"].get(url(w, "/running")).text
    assert "Did %s agree" % run["schools"][0]["name"] in page


def test_download_all_your_data_includes_the_partnership_records_you_wrote(w):
    r = w.p["lead_w"].get("/account/export")
    assert r.status_code == 200
    mine = r.json()["partnerships"]
    assert any(m["notes"] == "Agreed the reasoning scheme outline." for m in mine["meetings_recorded"])
    assert any(i["part"] == "asked" for i in mine["introductions"])
    assert mine["signatures"] and all(s["partnership_id"] == w.pid for s in mine["signatures"])
    # Sol owns the action from the meeting; Wyn does not.
    assert [a["title"] for a in w.p["lead_s"].get("/account/export").json()["partnerships"]["actions_owned"]] == \
        ["Draft the reasoning paper"]
    assert mine["actions_owned"] == []


def test_staff_record_time_and_their_school_is_credited(w):
    location(w.p["staff_w"].post(url(w, "/time"), {"worked_on": "2025-10-01", "hours": "6", "note": "Planning"}))
    location(w.p["lead_s"].post(url(w, "/time"), {"worked_on": "2025-10-01", "hours": "4.5"}))
    rows = {t["urn"]: t for t in w.p["lead_w"].get(url(w, "/running"), json=True).json()["running"]["time"]}
    assert rows[WEETWOOD]["committed"] == 20 and rows[WEETWOOD]["logged_term"] == 6
    assert rows[w.similar]["logged"] == 4.5


@pytest.mark.parametrize("hours,message", [("-3", "more than 0"), ("0", "more than 0"), ("lots", "number"),
                                           ("", "how many"), ("5000", "at most")])
def test_bad_hours_are_refused_and_nothing_is_logged(w, hours, message):
    before = snapshot(w)
    r = w.p["lead_w"].post(url(w, "/time"), {"worked_on": "2025-10-01", "hours": hours}, json=True)
    assert r.status_code == 400 and message in r.json()["errors"]["hours"]
    r = w.p["lead_w"].post(url(w, "/time"), {"worked_on": "2025-10-01", "hours": hours})
    assert r.status_code == 400 and "There is a problem" in r.text
    assert snapshot(w) == before


def post_raw(person, path, **kw):
    """POST as person with the session's CSRF token already in the body, asking for JSON."""
    headers = {"Accept": "application/json", "Origin": person.server.url, **kw.pop("headers", {})}
    return person.s.post(person.url(path), headers=headers, allow_redirects=False, **kw)


def test_json_bodies_carry_numbers_as_numbers(w):
    lead = w.p["lead_w"]
    before = snapshot(w)
    # A number of hours as a JSON number is read (and here refused as too many), not taken as missing.
    r = post_raw(lead, url(w, "/time"), json={"csrf": lead.csrf(), "worked_on": "2025-10-01", "hours": 5000})
    assert r.status_code == 400 and "at most" in r.json()["errors"]["hours"], r.text
    # An owner as a JSON number is read: one from another school is refused, not dropped.
    r = post_raw(lead, url(w, "/actions"), json={"csrf": lead.csrf(), "title": "Someone else's",
                                                  "due_on": "2025-11-01", "owner_person_id": w.ids["lead_l"]})
    assert r.status_code == 400 and "owner_person_id" in r.json()["errors"], r.text
    assert snapshot(w) == before


def test_a_field_given_twice_is_refused_and_nothing_is_logged(w):
    lead = w.p["lead_w"]
    before = snapshot(w)
    r = post_raw(lead, url(w, "/time"), data=[("csrf", lead.csrf()), ("worked_on", "2025-10-01"),
                                              ("hours", "1"), ("hours", "1000000")])
    assert r.status_code == 400 and "hours" in r.json()["errors"] and "hours" in r.json()["detail"], r.text
    assert snapshot(w) == before


def test_a_body_that_is_not_a_form_or_json_gets_a_415_that_says_what_is_accepted(w):
    lead = w.p["lead_w"]
    before = snapshot(w)
    r = post_raw(lead, url(w, "/time"), data="worked_on=2025-10-01&hours=6&csrf=" + lead.csrf(),
                 headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    assert "application/x-www-form-urlencoded" in r.json()["detail"] and "text/plain" in r.json()["detail"]
    assert "application/json" in r.headers["Accept-Post"]
    assert snapshot(w) == before


def test_json_numbers_reach_every_running_form(w):
    lead = w.p["lead_w"]
    mid = one(w.db, "SELECT id FROM partnership_measure WHERE partnership_id = ?", w.pid)
    try:
        location(post_raw(lead, url(w, "/time"), json={"csrf": lead.csrf(), "worked_on": "2025-10-01", "hours": 6,
                                                        "note": "Hours as a JSON number"}))
        assert one(w.db, "SELECT hours FROM time_log WHERE note = 'Hours as a JSON number'") == 6
        location(post_raw(lead, url(w, "/evidence"), json={"csrf": lead.csrf(), "measure_id": mid, "value": 57.5,
                                                            "measured_on": "2025-10-01", "note": "A JSON value"}))
        assert one(w.db, "SELECT value FROM evidence_value WHERE note = 'A JSON value'") == 57.5
        location(post_raw(lead, url(w, "/meetings"), json={
            "csrf": lead.csrf(), "held_on": "2025-10-01", "held_at": "17:00", "minutes": 90,
            "location": "The JSON room", "action": "Write it up", "action_owner": w.ids["lead_s"],
            "action_due": "2025-10-10"}))
        assert query(w.db, "SELECT minutes FROM meeting WHERE location = 'The JSON room'") == [(90,)]
        assert one(w.db, "SELECT owner_person_id FROM action WHERE title = 'Write it up'") == w.ids["lead_s"]
    finally:
        # What this test recorded is not part of what the later tests count.
        execute(w.db, "DELETE FROM time_log WHERE note = 'Hours as a JSON number'")
        execute(w.db, "DELETE FROM evidence_value WHERE note = 'A JSON value'")
        execute(w.db, "DELETE FROM action WHERE title = 'Write it up'")
        execute(w.db, "DELETE FROM meeting WHERE location = 'The JSON room'")


def test_hours_and_days_are_read_as_people_write_them(w):
    try:
        location(w.p["lead_w"].post(url(w, "/time"), {"worked_on": "1 October 2025", "hours": "1h30",
                                                      "note": "Written as people write"}))
        assert query(w.db, "SELECT worked_on, hours FROM time_log WHERE note = 'Written as people write'") == \
            [("2025-10-01", 1.5)]
    finally:
        execute(w.db, "DELETE FROM time_log WHERE note = 'Written as people write'")


@pytest.mark.parametrize("path,pairs,field", [
    ("/time", [("worked_on", "2025-10-01"), ("hours", "1"), ("hours", "1000000")], "hours"),
    ("/meetings", [("held_on", "2025-10-02"), ("decision", "Twice"), ("agreed_%d" % WEETWOOD, "yes"),
                   ("agreed_%d" % WEETWOOD, "no")], "agreed_%d" % WEETWOOD),
    ("/decisions", [("text", "Twice"), ("decided_on", "2025-10-02"), ("decided_on", "2025-10-03")], "decided_on"),
    ("/agreement", [("cadence_weeks", "4"), ("cadence_weeks", "40")], "cadence_weeks"),
    ("/risks", [("risk", "Twice"), ("likelihood", "2"), ("impact", "2"), ("impact", "5")], "impact"),
])
def test_a_field_given_twice_is_refused_on_every_form_and_nothing_changes(w, path, pairs, field):
    lead = w.p["lead_w"]
    before = snapshot(w)
    r = post_raw(lead, url(w, path), data=[("csrf", lead.csrf())] + pairs)
    assert r.status_code == 400 and field in r.json()["errors"], r.text
    assert snapshot(w) == before


@pytest.mark.parametrize("path,data,field", [
    ("/meetings", {"held_on": "2025-10-02", "decision": "Perhaps", "agreed_WEETWOOD": "maybe"}, "agreed_WEETWOOD"),
    ("/decisions", {"text": "Perhaps", "decided_on": "2025-10-02", "agreed_WEETWOOD": "maybe"}, "agreed_WEETWOOD"),
    ("/agreement", {"objectives_WEETWOOD": "maybe"}, "objectives_WEETWOOD"),
    ("/agreement", {"type": "merger"}, "type"),
    ("/agreement", {"licence": "all rights reserved"}, "licence"),
    ("/risks", dict(RISK, status="forgotten"), "status"),
])
def test_an_invalid_choice_is_refused_and_nothing_changes(w, path, data, field):
    field = field.replace("WEETWOOD", str(WEETWOOD))
    data = {k.replace("WEETWOOD", str(WEETWOOD)): v for k, v in data.items()}
    if path == "/agreement":
        data = agreement_form(w, data)
    before = snapshot(w)
    for js in (True, False):
        r = w.p["lead_w"].post(url(w, path), data, json=js)
        assert r.status_code == 400, (path, r.text)
        if js:
            assert field in r.json()["errors"], r.json()
        else:
            prefix = {"/meetings": "meeting-", "/decisions": "decision-", "/agreement": "agreement-",
                      "/risks": "risk-"}[path]
            assert 'href="#%s%s"' % (prefix, field) in r.text, path
    assert snapshot(w) == before


def test_a_refused_meeting_comes_back_with_everything_typed_and_the_message_by_its_field(w):
    lead = w.p["lead_w"]
    before = snapshot(w)
    # 01:30 on 29 March 2026 never happens in UK time: refused, with everything else as typed.
    data = {"held_on": "2026-03-29", "held_at": "01:30", "location": "Typed room", "attendees": "Typed people",
            "notes": "Typed notes", "decision": "Typed decision", "agreed_%d" % WEETWOOD: "no",
            "agreed_%d" % w.similar: "abstain", "action": "Typed action", "action_owner": str(w.ids["lead_s"]),
            "action_due": "2026-04-01"}
    r = lead.post(url(w, "/meetings"), data)
    assert r.status_code == 400
    page = r.text
    form = page[page.index('action="%s/meetings"' % url(w)):]
    form = form[:form.index("</form>")]
    for v in ("2026-03-29", "01:30", "Typed room", "Typed people", "Typed decision", "Typed action", "2026-04-01"):
        assert 'value="%s"' % v in form, v
    assert ">Typed notes</textarea>" in form

    def select(name):
        s = form[form.index('id="meeting-%s"' % name):]
        return s[:s.index("</select>")]
    assert '<option value="no" selected>' in select("agreed_%d" % WEETWOOD)
    assert '<option value="abstain" selected>' in select("agreed_%d" % w.similar)
    assert '<option value="%d" selected>' % w.ids["lead_s"] in select("action_owner")
    # The summary links to the field; the message sits by it, and only this form shows it.
    assert 'href="#meeting-held_at"' in page and 'id="meeting-held_at-error"' in form
    assert 'aria-describedby="meeting-held_at-error"' in form
    assert page.count("There is no 01:30 on 29 March 2026") == 2  # the summary and the field
    # The other forms keep their own values: the time form still offers today.
    assert 'id="time-worked_on" name="worked_on" type="date" value="2025-10-01"' in page
    assert snapshot(w) == before


def test_a_refused_time_log_comes_back_with_what_was_typed(w):
    before = snapshot(w)
    r = w.p["lead_w"].post(url(w, "/time"), {"worked_on": "2025-10-01", "hours": "lots", "note": "Typed note"})
    assert r.status_code == 400
    form = r.text[r.text.index('action="%s/time"' % url(w)):]
    form = form[:form.index("</form>")]
    assert 'value="lots"' in form and 'value="Typed note"' in form and 'id="time-hours-error"' in form
    assert 'href="#time-hours"' in r.text
    assert snapshot(w) == before


def test_a_refused_agreement_shows_each_school_s_message_by_its_field(w):
    r = w.p["lead_w"].post(url(w, "/agreement"), agreement_form(w, {"hours_%d" % WEETWOOD: "-5"}))
    assert r.status_code == 400
    assert 'href="#agreement-hours_%d"' % WEETWOOD in r.text
    assert 'id="agreement-hours_%d-error"' % WEETWOOD in r.text and 'value="-5"' in r.text


@pytest.mark.parametrize("path,data,field", [
    ("/meetings", {"held_on": "2025-10-08", "action": "Too early", "action_due": "2025-10-01"}, "action_due"),
    ("/meetings", {"held_on": "2025-13-40"}, "held_on"),
    ("/meetings", {"held_on": "2025-10-08", "held_at": "25:00"}, "held_at"),
    ("/meetings", {"held_on": "2025-10-08", "minutes": "0"}, "minutes"),
    ("/actions", {"title": "Someone else's", "due_on": "2025-11-01", "owner_person_id": "LEAD_L"}, "owner_person_id"),
    ("/actions", {"title": "", "due_on": "2025-11-01"}, "title"),
    ("/decisions", {"text": "Undated"}, "decided_on"),
    ("/evidence", {"measure_id": "999999", "measured_on": "2025-10-01", "value": "3"}, "measure_id"),
    ("/evidence", {"measure_id": "MEASURE", "measured_on": "2025-10-01", "value": "high"}, "value"),
    ("/reflections", {"worked": "", "did_not_work": ""}, "worked"),
])
def test_bad_records_are_refused_with_the_field_named(w, path, data, field):
    data = dict(data)
    for k, v in data.items():
        if v == "LEAD_L":
            data[k] = str(w.ids["lead_l"])
        if v == "MEASURE":
            data[k] = str(one(w.db, "SELECT id FROM partnership_measure WHERE partnership_id = ?", w.pid))
    before = snapshot(w)
    r = w.p["lead_w"].post(url(w, path), data, json=True)
    assert r.status_code == 400, r.text
    assert field in r.json()["errors"], r.json()
    assert snapshot(w) == before


@pytest.mark.parametrize("day,why", [("2025-02-30", "February 2025 has 28 days"),
                                     ("2025-02-29", "February 2025 has 28 days"),
                                     ("2025-04-31", "April 2025 has 30 days")])
def test_impossible_dates_are_refused_on_every_record_saying_why(w, day, why):
    mid = str(one(w.db, "SELECT id FROM partnership_measure WHERE partnership_id = ?", w.pid))
    before = snapshot(w)
    for path, data, field in (
            ("/meetings", {"held_on": day}, "held_on"),
            ("/meetings", {"held_on": "2025-02-01", "action": "Plan", "action_due": day}, "action_due"),
            ("/actions", {"title": "Plan", "due_on": day}, "due_on"),
            ("/decisions", {"text": "Agreed", "decided_on": day}, "decided_on"),
            ("/time", {"worked_on": day, "hours": "1"}, "worked_on"),
            ("/evidence", {"measure_id": mid, "measured_on": day, "value": "3"}, "measured_on")):
        r = w.p["lead_w"].post(url(w, path), data, json=True)
        assert r.status_code == 400, (path, r.text)
        assert r.json()["errors"][field].endswith(" is not a real date: %s." % why), (path, r.json())
        r = w.p["lead_w"].post(url(w, path), data)
        assert r.status_code == 400 and why in r.text, path
    assert snapshot(w) == before


def test_a_meeting_at_a_time_the_clocks_skip_is_refused_saying_so(w):
    before = snapshot(w)
    # 29 March 2026: UK clocks go forward from 01:00 GMT to 02:00 BST, so 01:30 never happens.
    data = {"held_on": "2026-03-29", "held_at": "01:30"}
    r = w.p["lead_w"].post(url(w, "/meetings"), data, json=True)
    assert r.status_code == 400
    assert r.json()["errors"]["held_at"] == ("There is no 01:30 on 29 March 2026 in UK time: the clocks go forward "
                                             "from 01:00 to 02:00 that night. Choose a time before 01:00 or from 02:00.")
    r = w.p["lead_w"].post(url(w, "/meetings"), data)
    assert r.status_code == 400 and "There is no 01:30 on 29 March 2026 in UK time" in r.text
    assert snapshot(w) == before


def test_a_meeting_at_a_time_that_happens_twice_is_the_first_one_and_the_page_says_bst(w):
    # 25 October 2026: UK clocks go back from 02:00 BST to 01:00 GMT, so 01:30 happens twice.
    location(w.p["lead_w"].post(url(w, "/meetings"), {"held_on": "2026-10-25", "held_at": "01:30",
                                                       "location": "Night owls' room"}))
    try:
        held = one(w.db, "SELECT held_at FROM meeting WHERE location = 'Night owls'' room'")
        assert held == "2026-10-25T00:30:00Z"  # 01:30 BST, the first of the two
        run = w.p["lead_w"].get(url(w, "/running"), json=True).json()["running"]
        m = [m for m in run["meetings"] if m["location"] == "Night owls' room"][0]
        assert m["when"] == "25 October 2026, 01:30 BST" and m["planned"] is True
        assert "25 October 2026, 01:30 BST" in w.p["lead_w"].get(url(w, "/running")).text
    finally:
        # A meeting far ahead is not part of what the later tests count.
        execute(w.db, "DELETE FROM meeting WHERE location = 'Night owls'' room'")


def test_evidence_is_drawn_against_baseline_and_target(w):
    mid = one(w.db, "SELECT id FROM partnership_measure WHERE partnership_id = ?", w.pid)
    location(w.p["lead_s"].post(url(w, "/evidence"), {"measure_id": mid, "measured_on": "2025-09-20", "value": "55"}))
    location(w.p["lead_w"].post(url(w, "/evidence"), {"measure_id": mid, "measured_on": "2025-10-01", "value": "58"}))
    ev = w.p["lead_w"].get(url(w, "/running"), json=True).json()["running"]["evidence"][0]
    assert [v["value"] for v in ev["values"]] == [55, 58]
    assert ev["chart"]["has_line"] and ev["chart"]["baseline_y"] and ev["chart"]["target_y"]
    page = w.p["lead_w"].get(url(w, "/running")).text
    assert "<polyline" in page and "<svg" in page


def test_reflections_record_what_did_not_work_too(w):
    location(w.p["staff_w"].post(url(w, "/reflections"), {"worked": "Paired planning",
                                                          "did_not_work": "After-school sessions in winter"}))
    refl = w.p["lead_s"].get(url(w, "/running"), json=True).json()["running"]["reflections"][0]
    assert refl["did_not_work"] == "After-school sessions in winter" and refl["author"] == "Sid Staff"


def test_governors_read_but_do_not_record(w):
    assert w.p["gov_w"].get(url(w, "/running")).status_code == 200
    before = snapshot(w)
    r = w.p["gov_w"].post(url(w, "/time"), {"worked_on": "2025-10-01", "hours": "1"}, json=True)
    assert r.status_code == 403
    assert snapshot(w) == before


def running_urls(w):
    gets = [url(w, "/running"), url(w)]
    posts = [url(w, p) for p in ("/meetings", "/actions", "/actions/1/done", "/decisions", "/time", "/evidence",
                                 "/reflections", "/close", "/risks/1/status", "/sign")]
    return gets, posts


@pytest.mark.parametrize("who", ["lead_l", "lead_b", "coord_b"])
def test_people_of_non_partner_schools_can_neither_read_nor_write_its_running(w, who):
    before = snapshot(w)
    gets, posts = running_urls(w)
    p = w.p[who]
    for u in gets:
        for js in (False, True):
            r = p.get(u, json=js)
            assert r.status_code == 404, (who, u, r.status_code)
            assert "reasoning paper" not in r.text
    data = {"held_on": "2025-10-02", "title": "x", "due_on": "2025-10-09", "text": "x", "decided_on": "2025-10-02",
            "worked_on": "2025-10-02", "hours": "3", "measure_id": "1", "measured_on": "2025-10-02", "value": "1",
            "worked": "x", "reflection": "x", "status": "closed"}
    for u in posts:
        for js in (False, True):
            r = p.post(u, data, json=js)
            assert r.status_code in DENIED, (who, u, r.status_code)
    assert snapshot(w) == before


def test_the_coordinator_sees_health_but_not_the_records(w):
    c = w.p["coord"]
    assert c.get(url(w, "/running")).status_code == 404
    body = c.get(url(w), json=True).json()
    assert body["health"]["status"] == "on_track" and "running" not in body
    r = c.get("/networks/%s/attention" % w.net, json=True)
    assert r.status_code == 200 and not r.json()["attention"]
    assert w.p["lead_w"].get("/networks/%s/attention" % w.net).status_code in DENIED
    # Their partnerships page leads to each network they coordinate.
    assert 'href="/networks/%s/attention"' % w.net in c.get("/partnerships").text
    assert "/attention" not in w.p["lead_w"].get("/partnerships").text


# ---- health as time passes ------------------------------------------------------------------------

def test_health_moves_from_on_track_to_overdue_to_fading(w):
    assert health(w.p["lead_w"], w)["status"] == "on_track"
    # The meeting was on 1 October at 08:00; four weeks plus a week's grace runs out on 5 November.
    s = at(w, 34)
    try:
        assert health(Person(s, "lead@w.test"), w)["status"] == "on_track"
    finally:
        s.close()
    s = at(w, 36)
    try:
        h = health(Person(s, "lead@w.test"), w)
        assert h["status"] == "overdue" and "meeting" in h["reason"]
        coord = Person(s, "coord@r.test")
        att = coord.get("/networks/%s/attention" % w.net, json=True).json()
        assert [p["id"] for p in att["attention"]] == [w.pid]
        page = coord.get("/networks/%s/attention" % w.net).text
        assert "Overdue" in page and h["reason"].split(" ")[0] in page
    finally:
        s.close()
    s = at(w, 60)
    try:
        h = health(Person(s, "lead@w.test"), w)
        assert h["status"] == "fading", h
        assert "Fading" in Person(s, "lead@s.test").get(url(w)).text
    finally:
        s.close()
    # Signing in on the later clock ended the earlier sessions as expired: sign in again.
    w.p = people(w, w.server)


def test_a_high_open_risk_puts_it_at_risk_until_it_is_closed(w):
    lead = w.p["lead_w"]
    location(lead.post(url(w, "/risks"), dict(RISK, risk="The maths lead leaves", likelihood="5", impact="3")))
    h = health(lead, w)
    assert h["status"] == "at_risk" and "The maths lead leaves" in h["reason"]
    rid = one(w.db, "SELECT id FROM partnership_risk WHERE risk = 'The maths lead leaves'")
    location(lead.post(url(w, "/risks/%d/status" % rid), {"status": "closed"}))
    assert health(lead, w)["status"] == "on_track"
    assert lead.post(url(w, "/risks/%d/status" % rid), {"status": "gone"}, json=True).status_code == 400
    # The register is part of the agreement: both leads sign the new version.
    body = lead.get(url(w), json=True).json()
    assert body["agreement"]["signed_by_all"] is False and body["partnership"]["state"] == "active"
    location(lead.post(url(w, "/sign")))
    location(w.p["lead_s"].post(url(w, "/sign")))


# ---- review and close -----------------------------------------------------------------------------

def test_at_the_end_date_the_review_compares_outcomes_with_targets_and_closing_keeps_the_evidence(w):
    assert "The planned end date has come" not in w.p["lead_w"].get(url(w)).text
    s = at(w, 300)  # 28 July 2026, after the planned end (20 July)
    try:
        lead, other = Person(s, "lead@w.test"), Person(s, "lead@s.test")
        page = lead.get(url(w)).text
        assert "The planned end date has come" in page
        review = lead.get(url(w), json=True).json()["review"]
        assert review[0]["latest"] == 58 and review[0]["target"] == 70 and review[0]["met"] is False
        before = snapshot(w)
        r = lead.post(url(w, "/close"), {"reflection": "   "}, json=True)
        assert r.status_code == 400 and "reflection" in r.json()["errors"]
        assert Person(s, "staff@w.test").post(url(w, "/close"), {"reflection": "x"}, json=True).status_code == 403
        assert snapshot(w) == before
        location(other.post(url(w, "/close"), {"reflection": "The shared paper worked; winter sessions did not."}))
        assert one(w.db, "SELECT state FROM partnership WHERE id = ?", w.pid) == "closed"
        # Closed: still readable as evidence by the partners, changed no more.
        body = lead.get(url(w), json=True).json()
        assert body["partnership"]["is_closed"] and "winter sessions did not" in body["closing_reflection"]
        assert lead.get(url(w, "/running")).status_code == 200
        before = snapshot(w)
        for path, data in (("/time", {"worked_on": "2026-07-28", "hours": "1"}),
                           ("/meetings", {"held_on": "2026-07-28"}),
                           ("/agreement", agreement_form(w)),
                           ("/close", {"reflection": "again"}),
                           ("/sign", {})):
            r = lead.post(url(w, path), data, json=True)
            assert r.status_code in (403, 409), (path, r.status_code)
        assert snapshot(w) == before
        att = Person(s, "coord@r.test").get("/networks/%s/attention" % w.net, json=True).json()
        assert w.pid not in [p["id"] for p in att["attention"] + att["others"]]
    finally:
        s.close()


def test_the_clock_fixture_is_what_the_server_uses(w):
    # Guard against a silently ignored TANDEM_NOW: records carry the fixed clock's day.
    assert one(w.db, "SELECT substr(created_at, 1, 10) FROM meeting ORDER BY id LIMIT 1") == "2025-10-01"
