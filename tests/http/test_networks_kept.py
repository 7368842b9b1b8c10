# SPDX-License-Identifier: AGPL-3.0-or-later
"""The network home kept in the app server's memory, black-box: every change
(a school joins, a strength, a question, a new coordinator) shows on the home
at once, on the very next request after it, and one viewer's kept home is
never shown to another who may see more or less (an outsider and a member,
two member schools, two colleagues of the same school and role)."""
import pytest

from support import (DEMO, Person, Server, add_user, ask_and_accept, create_network, last_invitation_token,
                     location, run_cli)


# Real open schools of the demo register (north-west Leeds).
WEETWOOD, IRELAND_WOOD, LAWNSWOOD, IVESON = 107897, 107896, 108055, 107886


class World:
    """One public network with two member schools: filled in by the fixture."""


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("networks_kept") / "kept.db")
    r = run_cli("import-gias", "--db", db, DEMO)
    assert r.returncode == 0, r.stderr
    w = World()
    w.db = db
    people = [("admin", "admin@k.test", "Ada Admin", None, None),
              ("coord", "coord@k.test", "Cora Coordinator", None, None),
              ("lead_w", "lead@w.test", "Wyn Lead", WEETWOOD, "lead"),
              ("staff_w", "staff@w.test", "Sid Staff", WEETWOOD, "staff"),
              ("staff_w2", "staff2@w.test", "Sue Staff", WEETWOOD, "staff"),
              ("lead_i", "lead@i.test", "Ira Lead", IRELAND_WOOD, "lead"),
              ("staff_i", "staff@i.test", "Ian Staff", IRELAND_WOOD, "staff"),
              ("lead_v", "lead@v.test", "Viv Outsider", IVESON, "lead")]
    for key, email, name, urn, role in people:
        add_user(db, email, name, urn, role, admin=key == "admin")
    w.server = Server(db=db)
    try:
        w.p = {k: Person(w.server, e) for k, e, _, _, _ in people}
        w.net = create_network(w.p["coord"], "Kept Network", "Schools that share.", "Leeds", public=True)
        for urn, lead in ((WEETWOOD, "lead_w"), (IRELAND_WOOD, "lead_i")):
            ask_and_accept(w.p["coord"], w.p[lead], w.net, urn)
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def home(w, who):
    r = w.p[who].get("/networks/%s" % w.net, json=True)
    assert r.status_code == 200
    return r.json()


def emails(h):
    """Every email address the home shows, school by school."""
    return {p["email"] for s in h["schools"] for p in s["people"] if "email" in p}


def test_a_school_that_joins_shows_on_the_home_at_once(w):
    before = home(w, "coord")
    assert LAWNSWOOD not in [s["urn"] for s in before["schools"]]
    assert home(w, "coord") == before  # asked again with nothing changed: the same home
    location(w.p["admin"].post("/networks/%s/schools" % w.net, {"urn": LAWNSWOOD}))
    after = home(w, "coord")
    assert LAWNSWOOD in [s["urn"] for s in after["schools"]]
    assert after["school_count"] == before["school_count"] + 1
    assert any("Lawnswood" in x["text"] and "joined the network" in x["text"] for x in after["whats_new"])


def test_a_new_strength_shows_in_whats_new_at_once(w):
    assert not any("offers a strength" in x["text"] for x in home(w, "staff_i")["whats_new"])
    location(w.p["lead_w"].post("/networks/%s/schools/%d/strengths" % (w.net, WEETWOOD),
                                {"theme": "reading", "summary": "Phonics that works.",
                                 "evidence": "Screening passes up."}))
    assert any("offers a strength in reading" in x["text"] for x in home(w, "staff_i")["whats_new"])


def test_a_new_question_shows_on_the_home_at_once(w):
    assert "current_question" not in home(w, "staff_w")
    q = "How do you run reading buddies?"
    location(w.p["lead_i"].post("/networks/%s/questions" % w.net,
                                {"question": q, "details": "", "audience": "network"}))
    assert home(w, "staff_w")["current_question"]["question"] == q


def test_a_new_coordinator_shows_on_the_home_at_once(w):
    assert "Ada Admin" not in str(home(w, "lead_i")["coordinators"])
    location(w.p["coord"].post("/networks/%s/steering" % w.net, {"email": "admin@k.test", "role": "coordinator"}))
    location(w.p["admin"].post("/invitations/" + last_invitation_token(w.db, "admin@k.test"), {}))
    assert "Ada Admin" in str(home(w, "lead_i")["coordinators"])


def test_an_outsider_never_gets_a_members_kept_home(w):
    member = home(w, "lead_w")
    assert member["schools"] and "Sid Staff" in str(member)
    for outsider in (w.p["lead_v"], Person(w.server)):
        r = outsider.get("/networks/%s" % w.net)
        assert r.status_code == 200 and "Schools that share." in r.text
        assert "Sid Staff" not in r.text and "staff@w.test" not in r.text and "Ira Lead" not in r.text


def test_a_lead_of_one_member_school_never_gets_anothers_kept_home(w):
    # Each lead sees their own colleagues' addresses, not the other school's staff's.
    assert "staff@w.test" in emails(home(w, "lead_w"))
    seen_by_i = emails(home(w, "lead_i"))
    assert "staff@w.test" not in seen_by_i and "staff@i.test" in seen_by_i
    assert "staff@i.test" not in emails(home(w, "lead_w"))


def test_a_colleague_of_the_same_school_and_role_never_gets_anothers_kept_home(w):
    # A person sees their own address; a colleague of the same school and role does not see it.
    assert "staff@w.test" in emails(home(w, "staff_w"))
    seen = emails(home(w, "staff_w2"))
    assert "staff2@w.test" in seen and "staff@w.test" not in seen
