# SPDX-License-Identifier: AGPL-3.0-or-later
"""The broker, black-box: a network that lacks schools, strengths or needs
gets a page saying what to add; the coordinator runs the broker and sees
two-way proposals first with their reasons, in HTML, JSON and the CLI;
accepting sends a brokered introduction to both leads; re-running keeps it
fixed; and every bad input the issue lists (capacity negative or over 20,
another network's coordinator running or accepting, accepting a proposal
whose school has reached capacity or left the network) is refused with a
clear 4xx and changes nothing."""
import json
import os

import pytest

from tandem_server import ROOT, Server, run_cli
from support import Person, add_user, ask_and_accept, create_network, location, query

DEMO = os.path.join(ROOT, "data", "demo", "edubasealldata20250502-demo.csv.gz")
WEETWOOD, IRELAND_WOOD, LAWNSWOOD, IVESON = 107897, 107896, 108055, 107886


class World:
    """The server and people: filled in by the fixture."""


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("broker") / "b.db")
    r = run_cli("import-gias", "--db", db, DEMO)
    assert r.returncode == 0, r.stderr
    w = World()
    w.db = db
    add_user(db, "coord@b.test", "Cora Coordinator")
    add_user(db, "lead@w.test", "Wyn Lead", WEETWOOD, "lead")
    add_user(db, "lead@i.test", "Ira Lead", IRELAND_WOOD, "lead")
    add_user(db, "lead@l.test", "Lyn Lead", LAWNSWOOD, "lead")
    add_user(db, "coord@o.test", "Otto Coordinator")
    add_user(db, "lead@v.test", "Viv Lead", IVESON, "lead")
    w.server = Server(db=db)
    try:
        w.p = {k: Person(w.server, e) for k, e in [
            ("coord", "coord@b.test"), ("lead_w", "lead@w.test"), ("lead_i", "lead@i.test"),
            ("lead_l", "lead@l.test"), ("coord_o", "coord@o.test"), ("lead_v", "lead@v.test")]}
        w.net = create_network(w.p["coord"], "Broker Network")
        w.other = create_network(w.p["coord_o"], "Other Network")
        for urn, lead in ((WEETWOOD, "lead_w"), (IRELAND_WOOD, "lead_i"), (LAWNSWOOD, "lead_l")):
            ask_and_accept(w.p["coord"], w.p[lead], w.net, urn)
        ask_and_accept(w.p["coord_o"], w.p["lead_v"], w.other, IVESON)
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def broker_rows(db):
    """Everything the broker and introductions hold: a bad request must leave it as it was."""
    return {t: query(db, "SELECT * FROM %s ORDER BY 1, 2" % t)
            for t in ("broker_capacity", "broker_theme_off", "broker_run", "broker_proposal", "introduction")}


def add_item(p, slug, urn, kind, theme, summary, **extra):
    data = {"theme": theme, "summary": summary}
    data.update(extra)
    location(p.post("/networks/%s/schools/%d/%s" % (slug, urn, kind), data))


def proposal_between(review, a, b):
    for p in review["proposals"]:
        if {p["a"]["urn"], p["b"]["urn"]} == {a, b}:
            return p
    return None


def test_a_network_with_one_school_gets_a_page_saying_what_to_add(w):
    before = broker_rows(w.db)
    r = w.p["coord_o"].get("/networks/%s/broker" % w.other)
    assert r.status_code == 200
    assert "add at least two schools" in r.text
    j = w.p["coord_o"].get("/networks/%s/broker" % w.other, json=True).json()
    assert j["ready"] is False and any("at least two schools" in m for m in j["missing"])
    r = w.p["coord_o"].post("/networks/%s/broker/run" % w.other)
    assert r.status_code == 400
    assert "add at least two schools" in r.text
    assert broker_rows(w.db) == before


def test_a_network_without_strengths_or_needs_says_what_to_add(w):
    j = w.p["coord"].get("/networks/%s/broker" % w.net, json=True).json()
    assert j["ready"] is False
    assert any("No school has written a strength" in m for m in j["missing"])
    assert any("No school has written a need" in m for m in j["missing"])
    r = w.p["coord"].post("/networks/%s/broker/run" % w.net, json=True)
    assert r.status_code == 400
    assert "strength" in r.text


def test_the_coordinator_runs_the_broker_and_two_way_pairs_come_first(w):
    add_item(w.p["lead_w"], w.net, WEETWOOD, "strengths", "reading", "Phonics that works.",
             evidence="Screening passes up from 70% to 88%.")
    add_item(w.p["lead_w"], w.net, WEETWOOD, "needs", "maths", "Reasoning in Year 6.", priority="high")
    add_item(w.p["lead_i"], w.net, IRELAND_WOOD, "strengths", "maths", "Maths mastery.")
    add_item(w.p["lead_i"], w.net, IRELAND_WOOD, "needs", "reading", "Early reading.", priority="high")
    add_item(w.p["lead_l"], w.net, LAWNSWOOD, "needs", "reading", "Reading for KS3.", priority="medium")
    assert location(w.p["coord"].post("/networks/%s/broker/run" % w.net)) == "/networks/%s/broker" % w.net
    j = w.p["coord"].get("/networks/%s/broker" % w.net, json=True).json()
    assert j["ready"] is True
    first = j["proposals"][0]
    assert {first["a"]["urn"], first["b"]["urn"]} == {WEETWOOD, IRELAND_WOOD}
    assert first["reciprocal"] is True and first["is_proposed"] is True
    assert any("two-way" in s for s in first["explanation"])
    assert j["fairness"]["none_over_capacity"] is True
    assert j["fairness"]["schools_with_proposal"] == 3
    html = w.p["coord"].get("/networks/%s/broker" % w.net).text
    assert "Two-way: both gain." in html and "No school is over its capacity." in html
    assert "best" not in html.lower() and "worst" not in html.lower()


def test_the_cli_prints_the_same_proposals_as_json(w):
    r = run_cli("broker", "--network", w.net, "--json", db=w.db)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    first = out["proposals"][0]
    assert {first["a"]["urn"], first["b"]["urn"]} == {WEETWOOD, IRELAND_WOOD}
    assert first["reciprocal"] is True and first["score"] > 0 and first["explanation"]
    r = run_cli("broker", "--network", "no-such-network", db=w.db)
    assert r.returncode == 1 and "no network" in r.stderr


@pytest.mark.parametrize("capacity", ["-1", "21"])
def test_a_capacity_below_zero_or_over_twenty_is_refused(w, capacity):
    before = broker_rows(w.db)
    r = w.p["lead_w"].post("/networks/%s/broker/capacity" % w.net, {"urn": WEETWOOD, "capacity": capacity})
    assert r.status_code == 400
    assert "Partnerships this year" in r.text
    r = w.p["lead_w"].post("/networks/%s/broker/capacity" % w.net, {"urn": WEETWOOD, "capacity": capacity},
                           json=True)
    assert r.status_code == 400
    assert broker_rows(w.db) == before


def test_a_lead_cannot_set_another_schools_capacity(w):
    before = broker_rows(w.db)
    r = w.p["lead_w"].post("/networks/%s/broker/capacity" % w.net, {"urn": IRELAND_WOOD, "capacity": "3"})
    assert r.status_code == 403
    assert broker_rows(w.db) == before


def test_a_coordinator_of_another_network_can_neither_run_nor_accept(w):
    before = broker_rows(w.db)
    pid = w.p["coord"].get("/networks/%s/broker" % w.net, json=True).json()["proposals"][0]["id"]
    o = w.p["coord_o"]
    assert o.get("/networks/%s/broker" % w.net).status_code == 404
    assert o.post("/networks/%s/broker/run" % w.net).status_code == 404
    assert o.post("/networks/%s/broker/proposals/%d/accept" % (w.net, pid)).status_code == 404
    assert o.post("/networks/%s/broker/proposals/%d/reject" % (w.net, pid)).status_code == 404
    # Their own network's URL with this network's proposal: not theirs either.
    assert o.post("/networks/%s/broker/proposals/%d/accept" % (w.other, pid)).status_code == 404
    # A school lead of the network sees no review.
    assert w.p["lead_w"].get("/networks/%s/broker" % w.net).status_code == 403
    assert broker_rows(w.db) == before


def test_accepting_sends_a_brokered_introduction_to_both_leads(w):
    j = w.p["coord"].get("/networks/%s/broker" % w.net, json=True).json()
    p = proposal_between(j, WEETWOOD, IRELAND_WOOD)
    assert location(w.p["coord"].post("/networks/%s/broker/proposals/%d/accept" % (w.net, p["id"]))) == \
        "/networks/%s/broker" % w.net
    intro_id, from_urn, to_urn = query(w.db, "SELECT id, from_urn, to_urn FROM introduction WHERE brokered = 1")[0]
    assert {from_urn, to_urn} == {WEETWOOD, IRELAND_WOOD}
    for email in ("lead@w.test", "lead@i.test"):
        assert query(w.db, "SELECT id FROM outbox WHERE to_addr = ? AND subject LIKE 'Introduction%'", email)
    j = w.p["coord"].get("/networks/%s/broker" % w.net, json=True).json()
    p = proposal_between(j, WEETWOOD, IRELAND_WOOD)
    assert p["is_accepted"] is True and p["introduction_url"] == "/introductions/%d" % intro_id
    # Accepting it again is a conflict.
    assert w.p["coord"].post("/networks/%s/broker/proposals/%d/accept" % (w.net, p["id"])).status_code == 409


def test_running_again_keeps_the_accepted_proposal_fixed(w):
    before = proposal_between(w.p["coord"].get("/networks/%s/broker" % w.net, json=True).json(),
                              WEETWOOD, IRELAND_WOOD)
    location(w.p["coord"].post("/networks/%s/broker/run" % w.net))
    j = w.p["coord"].get("/networks/%s/broker" % w.net, json=True).json()
    pairs = [p for p in j["proposals"] if {p["a"]["urn"], p["b"]["urn"]} == {WEETWOOD, IRELAND_WOOD}]
    assert len(pairs) == 1 and pairs[0]["id"] == before["id"] and pairs[0]["is_accepted"] is True


def test_accepting_when_a_school_has_reached_its_capacity_is_409(w):
    j = w.p["coord"].get("/networks/%s/broker" % w.net, json=True).json()
    p = proposal_between(j, WEETWOOD, LAWNSWOOD)
    assert p is not None and p["is_proposed"]
    location(w.p["lead_l"].post("/networks/%s/broker/capacity" % w.net, {"urn": LAWNSWOOD, "capacity": "0"}))
    before = broker_rows(w.db)
    r = w.p["coord"].post("/networks/%s/broker/proposals/%d/accept" % (w.net, p["id"]))
    assert r.status_code == 409
    assert "reached its capacity" in r.text
    assert broker_rows(w.db) == before


def test_accepting_when_a_school_has_left_the_network_is_409(w):
    location(w.p["lead_l"].post("/networks/%s/broker/capacity" % w.net, {"urn": LAWNSWOOD, "capacity": "2"}))
    p = proposal_between(w.p["coord"].get("/networks/%s/broker" % w.net, json=True).json(), WEETWOOD, LAWNSWOOD)
    location(w.p["coord"].post("/networks/%s/schools/%d/remove" % (w.net, LAWNSWOOD)))
    before = broker_rows(w.db)
    r = w.p["coord"].post("/networks/%s/broker/proposals/%d/accept" % (w.net, p["id"]), json=True)
    assert r.status_code == 409
    assert "left the network" in r.text
    assert broker_rows(w.db) == before
