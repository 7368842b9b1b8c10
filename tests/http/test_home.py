# SPDX-License-Identifier: AGPL-3.0-or-later
"""The home page (issue 11): a plain introduction for visitors, and for a signed-in person their
school and networks, what is waiting for them now, and what is new in their networks."""
import pytest

from tandem_server import Server, run_cli
from support import DEMO, Person, add_user, ask_and_accept, create_network, location

WEETWOOD, IRELAND_WOOD, LAWNSWOOD = 107897, 107896, 108055


class World:
    pass


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("home") / "h.db")
    assert run_cli("import-gias", "--db", db, DEMO).returncode == 0
    w = World()
    w.db = db
    people = [("coord", "coord@h.test", "Cora Coordinator", None, None),
              ("lead_w", "lead@w.test", "Wyn Lead", WEETWOOD, "lead"),
              ("lead_i", "lead@i.test", "Ira Lead", IRELAND_WOOD, "lead"),
              ("lead_l", "lead@l.test", "Lyn Lead", LAWNSWOOD, "lead"),
              ("staff_w", "staff@w.test", "Sid Staff", WEETWOOD, "staff")]
    w.ids = {k: add_user(db, e, n, s, r) for k, e, n, s, r in people}
    w.server = Server(db=db)
    try:
        w.p = {k: Person(w.server, e) for k, e, _, _, _ in people}
        w.net = create_network(w.p["coord"], "Home Network")
        ask_and_accept(w.p["coord"], w.p["lead_w"], w.net, WEETWOOD)
        ask_and_accept(w.p["coord"], w.p["lead_i"], w.net, IRELAND_WOOD)
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def test_a_visitor_gets_a_plain_introduction_without_the_developer_panel(w):
    r = Person(w.server).get("/")
    assert r.status_code == 200 and "Schools learning from each other" in r.text
    assert "/healthz" not in r.text and "application/json" not in r.text
    assert 'href="/sign-in"' in r.text


def test_a_lead_sees_what_is_waiting_for_them(w):
    lead_l, lead_w = w.p["lead_l"], w.p["lead_w"]
    # Lawnswood is asked to join; Weetwood asks Ireland Wood for an introduction.
    location(w.p["coord"].post("/networks/%s/schools" % w.net, {"urn": LAWNSWOOD}))
    location(lead_w.post("/introductions", {"network": w.net, "to": IRELAND_WOOD,
                                            "message": "Shall we work on reasoning?"}))
    home = lead_l.get("/", json=True).json()
    assert [n["slug"] for n in home["waiting"]["networks_asking"]] == [w.net]
    assert "Home Network asks your school to join" in lead_l.get("/").text
    mine = w.p["lead_i"].get("/", json=True).json()
    asks = mine["waiting"]["introductions_to_answer"]
    assert [a["school_name"] for a in asks] == ["Weetwood Primary School"]
    assert asks[0]["asked_by"] == "Wyn Lead" and asks[0]["asked_on"]  # a date for people
    assert not asks[0]["asked_on"][0:4].isdigit()
    assert "would like to work with your school" in w.p["lead_i"].get("/").text
    assert [a["school_name"] for a in lead_w.get("/", json=True).json()["waiting"]["introductions_asked"]] == \
        ["Ireland Wood Primary School"]
    # Their networks, and what is new there.
    j = lead_w.get("/", json=True).json()
    assert [n["slug"] for n in j["networks"]] == [w.net]
    assert any("joined the network" in i["text"] for n in j["whats_new"] for i in n["items"])


def test_staff_see_their_school_and_nothing_that_is_a_leads_to_answer(w):
    j = w.p["staff_w"].get("/", json=True).json()
    assert j["me"]["school_name"] == "Weetwood Primary School"
    assert j["waiting"]["introductions_to_answer"] == [] and j["waiting"]["networks_asking"] == []


def test_a_person_with_nothing_waiting_is_told_so(w):
    p = w.p["coord"]  # no school, no actions, no partnership needing attention
    r = p.get("/")
    assert r.status_code == 200 and "Your networks" in r.text and "Home Network" in r.text
    assert p.get("/", json=True).json()["nothing_waiting"] is True
    assert "Nothing needs you just now" in r.text
