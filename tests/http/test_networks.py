# SPDX-License-Identifier: AGPL-3.0-or-later
"""Networks, black-box: two networks A and B on one server, people of every
role in A, and proof that none of them can read or change B's private data
through any HTML or JSON URL; that a staff member cannot do a lead's job; the
whole journey from creating a network to searching strengths by theme; and
every bad input the issue lists (expired and reused invitations, CSRF,
oversized and empty fields, markup and SQL in text, unknown URNs)."""
import re

import pytest
import requests

from support import (DEMO, DENIED, PASSWORD, Person, Server, add_user, ask_and_accept, create_network,
                     last_invitation_token, location, one, query, run_cli)


# Real open schools of the demo register (north-west Leeds).
WEETWOOD, IRELAND_WOOD, LAWNSWOOD = 107897, 107896, 108055          # network A
IVESON, COOKRIDGE, RALPH_THORESBY = 107886, 107894, 108075          # network B
BRUDENELL, HAWKSWORTH = 107885, 107893                              # the journey
SECRET = "B-SECRET"


class World:
    """Two networks with people of every role: filled in by the fixture."""


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("networks") / "networks.db")
    r = run_cli("import-gias", "--db", db, DEMO)
    assert r.returncode == 0, r.stderr
    w = World()
    w.db = db
    w.ids = {
        "admin": add_user(db, "admin@a.test", "Ada Admin", admin=True),
        "coord_a": add_user(db, "coord@a.test", "Cora Coordinator"),
        "lead_a": add_user(db, "lead@a.test", "Lee Lead", WEETWOOD, "lead"),
        "staff_a": add_user(db, "staff@a.test", "Sam Staff", WEETWOOD, "staff"),
        "gov_a": add_user(db, "gov@a.test", "Gwen Governor", WEETWOOD, "governor"),
        "lead_a2": add_user(db, "lead2@a.test", "Lou Lead", IRELAND_WOOD, "lead"),
        "coord_b": add_user(db, "coord@b.test", "Bea Coordinator"),
        "lead_b": add_user(db, "lead@b.test", "Bo Lead " + SECRET, IVESON, "lead"),
        "staff_b": add_user(db, "staff@b.test", "Bram Staff " + SECRET, IVESON, "staff"),
    }
    w.server = Server(db=db)
    try:
        w.people = {}
        for key, email in [("admin", "admin@a.test"), ("coord_a", "coord@a.test"), ("lead_a", "lead@a.test"),
                           ("staff_a", "staff@a.test"), ("gov_a", "gov@a.test"), ("lead_a2", "lead2@a.test"),
                           ("coord_b", "coord@b.test"), ("lead_b", "lead@b.test"), ("staff_b", "staff@b.test")]:
            w.people[key] = Person(w.server, email)
        P = w.people

        w.a = create_network(P["coord_a"], "Network A", "The A partnership.", "Leeds")
        w.b = create_network(P["coord_b"], "Network B " + SECRET, "Private description " + SECRET, "Leeds")
        # Schools with a lead on Tandem join when the lead accepts; the others are added by an administrator.
        ask_and_accept(P["coord_a"], P["lead_a"], w.a, WEETWOOD)
        ask_and_accept(P["coord_a"], P["lead_a2"], w.a, IRELAND_WOOD)
        location(P["admin"].post("/networks/%s/schools" % w.a, {"urn": LAWNSWOOD}))
        ask_and_accept(P["coord_b"], P["lead_b"], w.b, IVESON)
        for urn in (COOKRIDGE, RALPH_THORESBY):
            location(P["admin"].post("/networks/%s/schools" % w.b, {"urn": urn}))

        location(P["lead_a"].post("/networks/%s/schools/%d/strengths" % (w.a, WEETWOOD),
                                  {"theme": "reading", "summary": "Phonics that works.",
                                   "evidence": "Screening passes up.", "contact_id": w.ids["staff_a"]}))
        location(P["lead_a"].post("/networks/%s/schools/%d/needs" % (w.a, WEETWOOD),
                                  {"theme": "maths", "summary": "Reasoning in Year 6.", "priority": "high"}))
        location(P["lead_b"].post("/networks/%s/schools/%d/strengths" % (w.b, IVESON),
                                  {"theme": "attendance", "summary": "Strength " + SECRET,
                                   "evidence": "Evidence " + SECRET}))
        location(P["lead_b"].post("/networks/%s/schools/%d/needs" % (w.b, IVESON),
                                  {"theme": "SEND", "summary": "Need " + SECRET, "priority": "high"}))
        location(P["coord_b"].post("/networks/%s/invitations" % w.b,
                                   {"email": "newlead@b.test", "urn": COOKRIDGE, "role": "lead"}))
        w.a_strength = one(db, "SELECT id FROM strength WHERE urn = ?", WEETWOOD)
        w.a_need = one(db, "SELECT id FROM need WHERE urn = ?", WEETWOOD)
        w.b_strength = one(db, "SELECT id FROM strength WHERE urn = ?", IVESON)
        w.b_need = one(db, "SELECT id FROM need WHERE urn = ?", IVESON)
        w.b_invitation = one(db, "SELECT id FROM invitation WHERE email = 'newlead@b.test'")
    except BaseException:
        w.server.close()  # a failed setup must not leave the server running
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def snapshot(db, slug):
    """Everything of a network that a refused request must leave as it was."""
    nid = one(db, "SELECT id FROM network WHERE slug = ?", slug)
    return {
        "network": query(db, "SELECT slug, name, description, region, is_public FROM network WHERE id = ?", nid),
        "schools": query(db, "SELECT urn FROM network_school WHERE network_id = ? ORDER BY urn", nid),
        "roles": query(db, "SELECT person_id, role FROM network_role WHERE network_id = ? ORDER BY 1, 2", nid),
        "themes": query(db, "SELECT name, position FROM network_theme WHERE network_id = ? ORDER BY 2", nid),
        "strengths": query(db, "SELECT * FROM strength WHERE network_id = ? ORDER BY id", nid),
        "needs": query(db, "SELECT * FROM need WHERE network_id = ? ORDER BY id", nid),
        "invitations": query(db, "SELECT id, email, accepted_at, revoked_at FROM invitation "
                                 "WHERE network_id = ? ORDER BY id", nid),
        "asked": query(db, "SELECT urn, decided_at, decision FROM school_invitation WHERE network_id = ? "
                           "ORDER BY id", nid),
        "lead_requests": query(db, "SELECT person_id, urn, decided_at FROM lead_request ORDER BY id"),
        "people": query(db, "SELECT id, school_urn, school_role FROM person ORDER BY id"),
        "outbox": one(db, "SELECT COUNT(*) FROM outbox"),
    }


def b_get_urls(w):
    b = "/networks/" + w.b
    return [b, b + "/edit", b + "/themes", b + "/schools", b + "/schools?q=leeds", b + "/steering",
            b + "/people", b + "/strengths", b + "/strengths?theme=attendance", b + "/needs",
            b + "/needs?theme=SEND", b + "/schools/%d" % IVESON, b + "/schools/%d" % COOKRIDGE,
            b + "/schools/%d/strengths/%d" % (IVESON, w.b_strength),
            b + "/schools/%d/needs/%d" % (IVESON, w.b_need)]


def b_post_urls(w):
    b = "/networks/" + w.b
    s = b + "/schools/%d" % IVESON
    return [
        (b + "/edit", {"name": "Taken over", "description": "x", "region": "x"}),
        (b + "/themes", {"themes": "one\ntwo"}),
        (b + "/schools", {"urn": WEETWOOD}),
        (b + "/schools/%d/remove" % COOKRIDGE, {}),
        (s + "/strengths", {"theme": "reading", "summary": "Injected"}),
        (s + "/strengths/%d" % w.b_strength, {"theme": "reading", "summary": "Changed"}),
        (s + "/strengths/%d/delete" % w.b_strength, {}),
        (s + "/needs", {"theme": "reading", "summary": "Injected", "priority": "low"}),
        (s + "/needs/%d" % w.b_need, {"theme": "reading", "summary": "Changed", "priority": "low"}),
        (s + "/needs/%d/delete" % w.b_need, {}),
        (b + "/invitations", {"email": "spy@a.test", "urn": IVESON, "role": "lead"}),
        (b + "/invitations/%d/revoke" % w.b_invitation, {}),
        (b + "/people/%d/role" % w.ids["staff_b"], {"role": "lead"}),
        (b + "/people/%d/remove" % w.ids["staff_b"], {}),
        (b + "/steering", {"email": "coord@a.test", "role": "coordinator"}),
        (b + "/steering/%d/remove" % w.ids["coord_b"], {"role": "coordinator"}),
    ]


# ---- isolation between networks ----------------------------------------------------------------

@pytest.mark.parametrize("who", ["coord_a", "lead_a", "staff_a", "gov_a", "lead_a2"])
def test_a_person_in_network_a_cannot_read_network_b_through_any_url(world, who):
    p = world.people[who]
    for path in b_get_urls(world):
        for as_json in (False, True):
            r = p.get(path, json=as_json)
            assert r.status_code in DENIED, (who, path, as_json, r.status_code)
            assert SECRET not in r.text, (who, path, as_json)


@pytest.mark.parametrize("who", ["coord_a", "lead_a", "staff_a", "gov_a", "lead_a2"])
def test_a_person_in_network_a_cannot_change_network_b_through_any_url(world, who):
    p = world.people[who]
    before = snapshot(world.db, world.b)
    for path, data in b_post_urls(world):
        for as_json in (False, True):
            r = p.post(path, data, json=as_json)
            assert r.status_code in DENIED, (who, path, as_json, r.status_code, r.text[:300])
            assert SECRET not in r.text, (who, path)
    assert snapshot(world.db, world.b) == before


def test_nobody_signed_in_gets_nothing_of_network_b(world):
    anon = Person(world.server)
    for path in b_get_urls(world):
        r = anon.get(path)
        assert r.status_code == 303 and "/sign-in" in r.headers["Location"], (path, r.status_code)
        r = anon.get(path, json=True)
        assert r.status_code == 401, (path, r.status_code)
        assert SECRET not in r.text
    before = snapshot(world.db, world.b)
    for path, data in b_post_urls(world):
        r = anon.post(path, data, json=True)
        assert r.status_code in (401, 403), (path, r.status_code)
    assert snapshot(world.db, world.b) == before


def test_network_b_is_not_in_network_a_peoples_lists(world):
    r = world.people["coord_a"].get("/networks", json=True)
    assert r.status_code == 200
    slugs = [n["slug"] for n in r.json()["mine"]]
    assert world.a in slugs and world.b not in slugs
    assert SECRET not in r.text
    assert SECRET not in world.people["lead_a"].get("/networks").text


def test_network_a_urls_cannot_reach_network_b_schools_or_people(world):
    w, p = world, world.people["coord_a"]
    a = "/networks/" + w.a
    before = snapshot(w.db, w.b)
    for path in [a + "/schools/%d" % IVESON, a + "/schools/%d/strengths/%d" % (IVESON, w.b_strength),
                 a + "/schools/%d/needs/%d" % (IVESON, w.b_need),
                 a + "/schools/%d/strengths/%d" % (WEETWOOD, w.b_strength)]:
        for as_json in (False, True):
            r = p.get(path, json=as_json)
            assert r.status_code in DENIED and SECRET not in r.text, (path, as_json)
    for path, data in [(a + "/people/%d/role" % w.ids["staff_b"], {"role": "lead"}),
                       (a + "/people/%d/remove" % w.ids["lead_b"], {}),
                       (a + "/schools/%d/strengths" % IVESON, {"theme": "reading", "summary": "x"}),
                       (a + "/schools/%d/strengths/%d" % (WEETWOOD, w.b_strength),
                        {"theme": "reading", "summary": "x"}),
                       (a + "/schools/%d/strengths/%d/delete" % (IVESON, w.b_strength), {}),
                       (a + "/schools/%d/needs/%d/delete" % (WEETWOOD, w.b_need), {}),
                       (a + "/invitations/%d/revoke" % w.b_invitation, {}),
                       (a + "/schools/%d/remove" % IVESON, {})]:
        r = p.post(path, data)
        assert r.status_code in DENIED, (path, r.status_code)
    # Inviting into a school of B through A is a form error, not an invitation.
    r = p.post(a + "/invitations", {"email": "x@b.test", "urn": IVESON, "role": "lead"}, json=True)
    assert r.status_code == 400 and "urn" in r.json()["errors"]
    assert snapshot(w.db, w.b) == before


# ---- a staff member cannot do a lead's job ------------------------------------------------------

@pytest.mark.parametrize("who", ["staff_a", "gov_a"])
def test_staff_and_governors_cannot_do_a_leads_job(world, who):
    w, p = world, world.people[who]
    a = "/networks/" + w.a
    s = a + "/schools/%d" % WEETWOOD
    before = snapshot(w.db, w.a)
    attempts = [
        (a + "/invitations", {"email": "friend@a.test", "role": "staff"}),
        (a + "/invitations", {"email": "friend@a.test", "urn": WEETWOOD, "role": "lead"}),
        (a + "/people/%d/role" % w.ids["gov_a" if who == "staff_a" else "staff_a"], {"role": "lead"}),
        (a + "/people/%d/role" % w.ids[who], {"role": "lead"}),
        (a + "/people/%d/remove" % w.ids["lead_a"], {}),
        (s + "/strengths", {"theme": "reading", "summary": "Mine now"}),
        (s + "/strengths/%d" % w.a_strength, {"theme": "reading", "summary": "Changed"}),
        (s + "/strengths/%d/delete" % w.a_strength, {}),
        (s + "/needs", {"theme": "maths", "summary": "Mine now", "priority": "low"}),
        (s + "/needs/%d" % w.a_need, {"theme": "maths", "summary": "Changed", "priority": "low"}),
        (s + "/needs/%d/delete" % w.a_need, {}),
        (a + "/edit", {"name": "Renamed"}),
        (a + "/themes", {"themes": "only this"}),
        (a + "/schools", {"urn": BRUDENELL}),
        (a + "/steering", {"email": w.people[who].email, "role": "coordinator"}),
    ]
    for path, data in attempts:
        for as_json in (False, True):
            r = p.post(path, data, json=as_json)
            assert r.status_code == 403, (who, path, as_json, r.status_code, r.text[:300])
    for path in (s + "/strengths/%d" % w.a_strength, a + "/edit", a + "/themes", a + "/schools",
                 a + "/steering"):
        assert p.get(path).status_code == 403, path
    assert snapshot(w.db, w.a) == before
    # They still read everything in their network.
    r = p.get(a, json=True)
    assert r.status_code == 200
    assert {s["urn"] for s in r.json()["schools"]} == {WEETWOOD, IRELAND_WOOD, LAWNSWOOD}
    assert p.get(s).status_code == 200
    page = p.get(a + "/people").text
    assert 'action="%s/invitations"' % a not in page and "/remove" not in page


def test_a_lead_cannot_act_on_another_member_school(world):
    w, p = world, world.people["lead_a"]
    a = "/networks/" + w.a
    before = snapshot(w.db, w.a)
    for path, data in [(a + "/schools/%d/strengths" % IRELAND_WOOD, {"theme": "reading", "summary": "x"}),
                       (a + "/schools/%d/needs" % IRELAND_WOOD, {"theme": "reading", "summary": "x"}),
                       (a + "/people/%d/role" % w.ids["lead_a2"], {"role": "staff"}),
                       (a + "/people/%d/remove" % w.ids["lead_a2"], {}),
                       (a + "/invitations", {"email": "x@a.test", "urn": IRELAND_WOOD, "role": "staff"}),
                       (a + "/edit", {"name": "Renamed"}),
                       (a + "/schools", {"urn": BRUDENELL})]:
        r = p.post(path, data)
        assert r.status_code == 403, (path, r.status_code)
    # Nor on themselves.
    assert p.post(a + "/people/%d/role" % w.ids["lead_a"], {"role": "staff"}).status_code == 403
    assert p.post(a + "/people/%d/remove" % w.ids["lead_a"], {}).status_code == 403
    assert snapshot(w.db, w.a) == before


def test_a_lead_manages_their_own_colleagues(world):
    w, p = world, world.people["lead_a"]
    a = "/networks/" + w.a
    page = p.get(a + "/people").text
    assert 'action="%s/people/%d/role"' % (a, w.ids["staff_a"]) in page
    assert 'action="%s/people/%d/role"' % (a, w.ids["lead_a2"]) not in page
    assert location(p.post(a + "/people/%d/role" % w.ids["gov_a"], {"role": "staff"})) == a + "/people"
    assert one(w.db, "SELECT school_role FROM person WHERE id = ?", w.ids["gov_a"]) == "staff"
    location(p.post(a + "/people/%d/role" % w.ids["gov_a"], {"role": "governor"}))
    assert one(w.db, "SELECT school_role FROM person WHERE id = ?", w.ids["gov_a"]) == "governor"
    r = p.post(a + "/people/%d/role" % w.ids["gov_a"], {"role": "admin"})
    assert r.status_code == 400


# ---- public and private ------------------------------------------------------------------------

def test_a_public_network_shows_outsiders_its_name_and_description_only(world):
    w = world
    a = "/networks/" + w.a
    outsider = w.people["lead_b"]
    assert outsider.get(a).status_code == 404
    location(w.people["coord_a"].post(a + "/edit", {"name": "Network A", "description": "The A partnership.",
                                                    "region": "Leeds", "is_public": "1"}))
    try:
        for p in (outsider, Person(w.server)):
            r = p.get(a)
            assert r.status_code == 200
            assert "The A partnership." in r.text
            assert "Weetwood" not in r.text and "Phonics" not in r.text and "Lee Lead" not in r.text
            j = p.get(a, json=True).json()
            assert j["network"]["name"] == "Network A"
            assert "schools" not in j and "whats_new" not in j and "coordinators" not in j
        for path in (a + "/people", a + "/strengths", a + "/schools/%d" % WEETWOOD):
            assert outsider.get(path).status_code == 403
            assert "Phonics" not in outsider.get(path, json=True).text
        assert outsider.post(a + "/edit", {"name": "Mine"}).status_code == 403
        assert "Network A" in [n["name"] for n in Person(w.server).get("/networks", json=True).json()["public"]]
    finally:
        location(w.people["coord_a"].post(a + "/edit", {"name": "Network A", "description": "The A partnership.",
                                                        "region": "Leeds"}))
    assert outsider.get(a).status_code == 404


# ---- the journey -------------------------------------------------------------------------------

def test_the_whole_journey_from_a_new_network_to_a_theme_search(world):
    w = world
    coord = Person(w.server, "coord@a.test")
    slug = create_network(coord, "Kirkstall Journey", "Schools along the Aire.", "Leeds")
    n = "/networks/" + slug
    # Add schools from the directory: search, then add by URN.
    r = coord.get(n + "/schools?q=Brudenell")
    assert r.status_code == 200 and "Brudenell Primary School" in r.text
    # Nobody at Brudenell is on Tandem: asking it needs the email of its first lead.
    r = coord.post(n + "/schools", {"urn": BRUDENELL}, json=True)
    assert r.status_code == 400 and "first lead" in r.json()["errors"]["email"]
    r = coord.post(n + "/schools", {"urn": BRUDENELL})
    assert r.status_code == 400 and 'value="107885"' in r.text  # the typed URN comes back
    assert location(coord.post(n + "/schools", {"urn": BRUDENELL, "email": "Head@BrudenellPrimary.co.uk"})) == \
        n + "/schools?asked=%d" % BRUDENELL
    page = coord.get(n + "/schools?asked=%d" % BRUDENELL).text
    assert "has been asked to join" in page and "Asked to join" in page
    # Asking Hawksworth Wood through someone whose address is not at the school's domain.
    location(coord.post(n + "/schools", {"urn": HAWKSWORTH, "email": "hawk.head@gmail.test"}))
    assert BRUDENELL not in [x["urn"] for x in coord.get(n, json=True).json()["schools"]]
    # The first lead's link arrives by email (read from the outbox).
    token = last_invitation_token(w.db, "head@brudenellprimary.co.uk")
    assert token not in str(query(w.db, "SELECT * FROM invitation"))  # only its hash is stored
    lead = Person(w.server)
    r = lead.get("/invitations/" + token)
    assert r.status_code == 200 and "Brudenell Primary School" in r.text and "Kirkstall Journey" in r.text
    assert "first lead" in r.text
    # Accepting at the school's own domain makes them its lead, and the school a member.
    assert location(lead.accept(token, "Hana Head")) == n + "?lead_domain=brudenellprimary.co.uk"
    assert "brudenellprimary.co.uk, the school&#39;s own domain" in lead.get(n + "?lead_domain=brudenellprimary.co.uk").text \
        or "brudenellprimary.co.uk, the school's own domain" in lead.get(n + "?lead_domain=brudenellprimary.co.uk").text
    lead_id = one(w.db, "SELECT id FROM person WHERE email = 'head@brudenellprimary.co.uk'")
    assert query(w.db, "SELECT school_urn, school_role FROM person WHERE id = ?", lead_id) == [(BRUDENELL, "lead")]
    assert query(w.db, "SELECT consent, consent_by FROM network_school WHERE urn = ? AND network_id = "
                       "(SELECT id FROM network WHERE slug = ?)", BRUDENELL, slug) == [("first_lead", lead_id)]
    assert lead.get(n).status_code == 200  # signed in by accepting
    # Hawksworth's would-be lead waits for an administrator; the school is not a member meanwhile.
    hawk = Person(w.server)
    assert location(hawk.accept(last_invitation_token(w.db, "hawk.head@gmail.test"), "Hal Hawk")) == \
        "/networks?waiting=1"
    assert "administrator" in hawk.get("/networks?waiting=1").text
    assert hawk.get(n).status_code == 404
    assert query(w.db, "SELECT school_urn, school_role FROM person WHERE email = 'hawk.head@gmail.test'") == \
        [(None, "none")]
    admin = w.people["admin"]
    requests_ = admin.get("/admin/leads", json=True).json()["requests"]
    mine = [x for x in requests_ if x["email"] == "hawk.head@gmail.test"][0]
    assert mine["school_domain"] == "hawksworthwood.leeds.sch.uk" and mine["email_domain"] == "gmail.test"
    assert coord.get("/admin/leads").status_code == 403  # only administrators decide
    assert location(admin.post("/admin/leads/%d" % mine["id"], {"decision": "approve"})) == \
        "/admin/leads?done=approve"
    assert query(w.db, "SELECT school_urn, school_role FROM person WHERE email = 'hawk.head@gmail.test'") == \
        [(HAWKSWORTH, "lead")]
    assert hawk.get(n).status_code == 200
    # The lead invites a colleague, who accepts.
    location(lead.post(n + "/invitations", {"email": "teacher@brudenell.test", "role": "staff"}))
    token2 = last_invitation_token(w.db, "teacher@brudenell.test")
    teacher = Person(w.server)
    assert location(teacher.accept(token2, "Tom Teacher")) == n
    teacher_id = one(w.db, "SELECT id FROM person WHERE email = 'teacher@brudenell.test'")
    assert one(w.db, "SELECT school_role FROM person WHERE id = ?", teacher_id) == "staff"
    # The lead fills in the school's strengths and needs.
    s = n + "/schools/%d" % BRUDENELL
    location(lead.post(s + "/strengths", {"theme": "reading", "summary": "Early reading through daily phonics.",
                                          "evidence": "Phonics screening 71% to 90% in two years.",
                                          "contact_id": teacher_id}))
    location(lead.post(s + "/needs", {"theme": "Attendance", "summary": "Persistent absence in Year 5.",
                                      "priority": "high"}))
    # Everyone sees the network, in the browser and as JSON.
    for p in (coord, lead, teacher):
        r = p.get(n)
        assert r.status_code == 200
        assert "Brudenell Primary School" in r.text and "Hawksworth Wood Primary School" in r.text
        j = p.get(n, json=True).json()
        brudenell = [x for x in j["schools"] if x["urn"] == BRUDENELL][0]
        assert {x["name"] for x in brudenell["people"]} == {"Hana Head", "Tom Teacher"}
        assert brudenell["strengths"] == 1 and brudenell["needs"] == 1
        assert brudenell["map_url"].startswith("https://www.openstreetmap.org/")
        assert any("Brudenell" in e["text"] for e in j["whats_new"])
        page = p.get(s, json=True).json()
        assert page["strengths"][0]["contact_name"] == "Tom Teacher"
        assert page["needs"][0]["priority"] == "high"
    # Who is strong in reading?
    r = teacher.get(n + "/strengths?theme=reading", json=True)
    assert [x["summary"] for x in r.json()["results"]] == ["Early reading through daily phonics."]
    assert teacher.get(n + "/strengths?q=phonics", json=True).json()["results"][0]["urn"] == BRUDENELL
    assert teacher.get(n + "/strengths?theme=maths", json=True).json()["results"] == []
    assert "Persistent absence" in teacher.get(n + "/needs?theme=attendance").text
    # The lead changes the colleague's role, then removes them from the school.
    location(lead.post(n + "/people/%d/role" % teacher_id, {"role": "governor"}))
    assert one(w.db, "SELECT school_role FROM person WHERE id = ?", teacher_id) == "governor"
    location(lead.post(n + "/people/%d/remove" % teacher_id))
    assert query(w.db, "SELECT school_urn, school_role FROM person WHERE id = ?", teacher_id) == [(None, "none")]
    assert teacher.get(n).status_code == 404
    assert one(w.db, "SELECT contact_id FROM strength WHERE urn = ?", BRUDENELL) is None
    # The lead edits and deletes a need.
    need = one(w.db, "SELECT id FROM need WHERE urn = ?", BRUDENELL)
    location(lead.post(s + "/needs/%d" % need, {"theme": "attendance", "summary": "Punctuality.", "priority": "low"}))
    assert query(w.db, "SELECT summary, priority FROM need WHERE id = ?", need) == [("Punctuality.", "low")]
    location(lead.post(s + "/needs/%d/delete" % need))
    assert one(w.db, "SELECT COUNT(*) FROM need WHERE id = ?", need) == 0
    # The coordinator runs the network: themes, steering group, member schools.
    location(coord.post(n + "/themes", {"themes": "reading\nattendance\noracy\n\nOracy\n"}))
    assert [t for (t,) in query(w.db, "SELECT name FROM network_theme WHERE network_id = "
                                      "(SELECT id FROM network WHERE slug = ?) ORDER BY position", slug)] == \
        ["reading", "attendance", "oracy"]
    assert location(coord.post(n + "/steering", {"email": "head@brudenellprimary.co.uk", "role": "steering"})) == \
        n + "/steering?sent=1"
    assert not any(x["name"] == "Hana Head" for x in coord.get(n, json=True).json()["steering"])
    steer_token = last_invitation_token(w.db, "head@brudenellprimary.co.uk")
    r = lead.get("/invitations/" + steer_token)
    assert r.status_code == 200 and "steering group" in r.text
    assert location(lead.post("/invitations/" + steer_token, {})) == n  # signed in as themselves: accept
    assert any(x["name"] == "Hana Head" for x in coord.get(n, json=True).json()["steering"])
    location(coord.post(n + "/schools/%d/remove" % HAWKSWORTH))
    assert HAWKSWORTH not in [x["urn"] for x in coord.get(n, json=True).json()["schools"]]


# ---- invitations -------------------------------------------------------------------------------

def invite(world, email, urn=WEETWOOD, role="staff", who="lead_a"):
    p = world.people[who]
    location(p.post("/networks/%s/invitations" % world.a, {"email": email, "urn": urn, "role": role}))
    return last_invitation_token(world.db, email)


def test_a_reused_invitation_is_refused_with_a_clear_page(world):
    token = invite(world, "once@a.test")
    first = Person(world.server)
    location(first.accept(token, "Olive Once"))
    again = Person(world.server)
    r = again.get("/invitations/" + token)
    assert r.status_code == 410 and "already been used" in r.text
    r = again.post("/invitations/" + token, {"name": "Mallory", "password": PASSWORD})
    assert r.status_code == 410 and "already been used" in r.text
    assert one(world.db, "SELECT COUNT(*) FROM person WHERE email = 'once@a.test'") == 1
    assert one(world.db, "SELECT name FROM person WHERE email = 'once@a.test'") == "Olive Once"


def test_an_expired_invitation_is_refused_with_a_clear_page(world):
    token = invite(world, "late@a.test")
    later = Server(db=world.db, env={"TANDEM_CLOCK_OFFSET": str(8 * 24 * 3600)})
    try:
        p = Person(later)
        r = p.get("/invitations/" + token)
        assert r.status_code == 410 and "expired" in r.text
        r = p.post("/invitations/" + token, {"name": "Lara Late", "password": PASSWORD})
        assert r.status_code == 410 and "expired" in r.text
        assert p.get("/invitations/" + token, json=True).json()["state"] == "expired"
    finally:
        assert later.close() == 0
    assert one(world.db, "SELECT COUNT(*) FROM person WHERE email = 'late@a.test'") == 0


def test_a_withdrawn_or_unknown_invitation_is_refused(world):
    token = invite(world, "withdrawn@a.test")
    inv = one(world.db, "SELECT id FROM invitation WHERE email = 'withdrawn@a.test'")
    location(world.people["lead_a"].post("/networks/%s/invitations/%d/revoke" % (world.a, inv)))
    p = Person(world.server)
    assert p.get("/invitations/" + token).status_code == 410
    for bad in ("A" * 43, "short", "x" * 200, token[:-1] + ("A" if token[-1] != "A" else "B")):
        assert p.get("/invitations/" + bad).status_code == 404, bad
        assert p.post("/invitations/" + bad, {"name": "X", "password": PASSWORD}).status_code == 404


def test_accepting_needs_a_name_and_a_good_password(world):
    token = invite(world, "careful@a.test")
    p = Person(world.server)
    for data, field in [({"name": "", "password": PASSWORD}, "name"),
                        ({"name": "   ", "password": PASSWORD}, "name"),
                        ({"name": "N" * 101, "password": PASSWORD}, "name"),
                        ({"name": "Cal", "password": ""}, "password"),
                        ({"name": "Cal", "password": "short"}, "password")]:
        r = p.post("/invitations/" + token, data, json=True)
        assert r.status_code == 400, data
        assert field in r.json()["errors"], (data, r.json())
        r = p.post("/invitations/" + token, data)
        assert r.status_code == 400 and "There is a problem" in r.text
    assert location(p.accept(token, "Cal Careful"))


def test_inviting_answers_the_same_whether_or_not_the_address_has_an_account(world):
    w = world
    a = "/networks/" + w.a
    answers = []
    for email in ("STAFF@a.test", "never-seen@a.test"):
        r = w.people["lead_a"].post(a + "/invitations", {"email": email, "role": "staff"})
        answers.append((r.status_code, r.headers.get("Location")))
        assert last_invitation_token(w.db, email.lower())
    assert answers[0] == answers[1] == (303, a + "/people?sent=1")
    bodies = [one(w.db, "SELECT body FROM outbox WHERE to_addr = ? ORDER BY id DESC LIMIT 1", e)
              for e in ("staff@a.test", "never-seen@a.test")]
    assert re.sub(r"/invitations/\S+", "", bodies[0]) == re.sub(r"/invitations/\S+", "", bodies[1])
    # Steering invitations likewise.
    answers = [w.people["coord_a"].post(a + "/steering", {"email": e, "role": "steering"}, json=True).status_code
               for e in ("lead2@a.test", "nobody-here@a.test")]
    assert answers == [303, 303]


def test_someone_with_an_account_accepts_by_signing_in_as_themselves(world):
    w = world
    token = invite(w, "gov@a.test", role="staff")
    anon = Person(w.server)
    r = anon.get("/invitations/" + token)
    assert r.status_code == 200 and "already has a Tandem account" in r.text and "Sign in to accept" in r.text
    r = anon.post("/invitations/" + token, {"name": "Someone", "password": PASSWORD})
    assert r.status_code == 401 and "sign in" in r.text.lower()
    other = w.people["staff_a"]
    r = other.post("/invitations/" + token, {})
    assert r.status_code == 403 and "someone else" in r.text
    assert one(w.db, "SELECT school_role FROM person WHERE email = 'gov@a.test'") == "governor"
    gov = w.people["gov_a"]
    assert location(gov.post("/invitations/" + token, {})) == "/networks/" + w.a
    assert one(w.db, "SELECT school_role FROM person WHERE email = 'gov@a.test'") == "staff"
    location(w.people["lead_a"].post("/networks/%s/people/%d/role" % (w.a, w.ids["gov_a"]), {"role": "governor"}))


# ---- CSRF --------------------------------------------------------------------------------------

def test_state_changing_requests_without_the_csrf_token_are_403(world):
    w, p = world, world.people["coord_a"]
    a = "/networks/" + w.a
    before = snapshot(w.db, w.a)
    for path, data in [("/networks", {"name": "No token"}), (a + "/edit", {"name": "No token"}),
                       (a + "/themes", {"themes": "x"}), (a + "/schools", {"urn": BRUDENELL}),
                       (a + "/schools/%d/remove" % LAWNSWOOD, {}),
                       (a + "/invitations", {"email": "x@a.test", "urn": WEETWOOD, "role": "lead"}),
                       (a + "/steering", {"email": "lead@a.test", "role": "steering"})]:
        for csrf in (False, "wrong-token", ""):
            r = p.post(path, data, csrf=csrf)
            assert r.status_code == 403, (path, csrf, r.status_code)
    lead = w.people["lead_a"]
    s = a + "/schools/%d" % WEETWOOD
    for path, data in [(s + "/strengths", {"theme": "reading", "summary": "No token"}),
                       (s + "/needs/%d/delete" % w.a_need, {}),
                       (a + "/people/%d/role" % w.ids["staff_a"], {"role": "lead"})]:
        assert lead.post(path, data, csrf=False).status_code == 403
        assert lead.post(path, data, csrf="0" * 43).status_code == 403
    assert snapshot(w.db, w.a) == before
    assert one(w.db, "SELECT COUNT(*) FROM network WHERE name = 'No token'") == 0


def test_a_form_from_another_site_is_403(world):
    p = world.people["coord_a"]
    r = p.s.post(p.url("/networks"), data={"name": "Cross-site", "csrf": p.csrf()},
                 headers={"Origin": "https://evil.example", "Accept": "text/html"}, allow_redirects=False)
    assert r.status_code == 403
    assert one(world.db, "SELECT COUNT(*) FROM network WHERE name = 'Cross-site'") == 0


# ---- bad input ---------------------------------------------------------------------------------

def test_oversized_and_empty_fields_are_400_with_the_field_named(world):
    w, coord, lead = world, world.people["coord_a"], world.people["lead_a"]
    a = "/networks/" + w.a
    s = a + "/schools/%d" % WEETWOOD
    before = snapshot(w.db, w.a)
    cases = [
        (coord, "/networks", {"name": ""}, "name"),
        (coord, "/networks", {"name": "   "}, "name"),
        (coord, "/networks", {"name": "N" * 101}, "name"),
        (coord, "/networks", {"name": "Fine", "description": "d" * 2001}, "description"),
        (coord, "/networks", {"name": "Fine", "region": "r" * 101}, "region"),
        (coord, a + "/edit", {"name": ""}, "name"),
        (coord, a + "/edit", {"name": "x" * 5000}, "name"),
        (coord, a + "/themes", {"themes": ""}, "themes"),
        (coord, a + "/themes", {"themes": " \n \n"}, "themes"),
        (coord, a + "/themes", {"themes": "reading\n" + "t" * 41}, "themes"),
        (coord, a + "/themes", {"themes": "\n".join("theme %d" % i for i in range(41))}, "themes"),
        (coord, a + "/schools", {"urn": ""}, "urn"),
        (coord, a + "/steering", {"email": "", "role": "steering"}, "email"),
        (lead, s + "/strengths", {"theme": "reading", "summary": ""}, "summary"),
        (lead, s + "/strengths", {"theme": "reading", "summary": "   "}, "summary"),
        (lead, s + "/strengths", {"theme": "reading", "summary": "s" * 301}, "summary"),
        (lead, s + "/strengths", {"theme": "reading", "summary": "ok", "evidence": "e" * 2001}, "evidence"),
        (lead, s + "/strengths", {"theme": "", "summary": "ok"}, "theme"),
        (lead, s + "/strengths", {"theme": "astrology", "summary": "ok"}, "theme"),
        (lead, s + "/strengths", {"theme": "reading", "summary": "ok", "contact_id": w.ids["lead_b"]}, "contact_id"),
        (lead, s + "/needs", {"theme": "maths", "summary": "ok", "priority": "urgent"}, "priority"),
        (lead, s + "/needs/%d" % w.a_need, {"theme": "maths", "summary": ""}, "summary"),
        (lead, a + "/invitations", {"email": "not-an-address", "role": "staff"}, "email"),
        (lead, a + "/invitations", {"email": "", "role": "staff"}, "email"),
    ]
    for p, path, data, field in cases:
        r = p.post(path, data, json=True)
        assert r.status_code == 400, (path, data, r.status_code, r.text[:300])
        assert field in r.json().get("errors", {}), (path, data, r.json())
        r = p.post(path, data)
        assert r.status_code == 400, (path, data)
        assert "There is a problem" in r.text and 'href="#' in r.text, path
    assert snapshot(w.db, w.a) == before


def test_html_and_script_in_names_and_descriptions_are_shown_escaped(world):
    w, coord = world, world.people["coord_a"]
    name = '<script>alert("name")</script> & Co'
    desc = '<img src=x onerror=alert(1)> "quoted" \'single\''
    slug = create_network(coord, name, desc, "<b>Leeds</b>")
    n = "/networks/" + slug
    location(world.people["admin"].post(n + "/schools", {"urn": LAWNSWOOD}))
    location(coord.post(n + "/themes", {"themes": "<i>reading</i>\nmaths"}))
    for path in (n, "/networks", n + "/edit", n + "/themes", n + "/people", n + "/strengths"):
        html = coord.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html and "<i>reading" not in html, path
        assert "<b>Leeds" not in html, path
    html = coord.get(n).text
    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; &amp; Co" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    j = coord.get(n, json=True).json()
    assert j["network"]["name"] == name and j["network"]["description"] == desc
    assert slug == "script-alert-name-script-co"
    # A strength's sentence and evidence likewise.
    lead = w.people["lead_a"]
    s = "/networks/%s/schools/%d" % (w.a, WEETWOOD)
    location(lead.post(s + "/strengths", {"theme": "reading", "summary": "<script>x()</script>",
                                          "evidence": "<a href=javascript:alert(1)>go</a>"}))
    html = lead.get(s).text
    assert "<script>x()" not in html and "<a href=javascript" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html
    sid = one(w.db, "SELECT id FROM strength WHERE summary = '<script>x()</script>'")
    location(lead.post(s + "/strengths/%d/delete" % sid))


def test_sql_looking_input_is_stored_as_text(world):
    w, coord = world, world.people["coord_a"]
    name = "Robert'); DROP TABLE network;--"
    desc = "1' OR '1'='1"
    slug = create_network(coord, name, desc, "'; DELETE FROM school; --")
    assert one(w.db, "SELECT name FROM network WHERE slug = ?", slug) == name
    assert one(w.db, "SELECT description FROM network WHERE slug = ?", slug) == desc
    assert one(w.db, "SELECT COUNT(*) FROM network") >= 3
    assert one(w.db, "SELECT COUNT(*) FROM school") > 1000
    assert coord.get("/networks/" + slug, json=True).json()["network"]["name"] == name
    # In a search too: no error, no rows, nothing dropped.
    lead = w.people["lead_a"]
    for q in ("' OR 1=1 --", "%", "_", "reading'; DROP TABLE strength; --"):
        r = lead.get("/networks/%s/strengths?q=%s" % (w.a, requests.utils.quote(q)), json=True)
        assert r.status_code == 200 and r.json()["results"] == [], q
        r = lead.get("/networks/%s/strengths?theme=%s" % (w.a, requests.utils.quote(q)), json=True)
        assert r.status_code == 200 and r.json()["results"] == [], q
    assert one(w.db, "SELECT COUNT(*) FROM strength") >= 2


def test_a_urn_not_in_the_register_is_a_clear_400(world):
    w, coord = world, world.people["coord_a"]
    a = "/networks/" + w.a
    before = snapshot(w.db, w.a)
    r = coord.post(a + "/schools", {"urn": 999999}, json=True)
    assert r.status_code == 400
    assert "no school with URN 999999 in the register" in r.json()["errors"]["urn"]
    r = coord.post(a + "/schools", {"urn": 999999})
    assert r.status_code == 400 and "no school with URN 999999 in the register" in r.text
    for bad in ("abc", "-5", "0", "1e5", "123456789012"):
        assert coord.post(a + "/schools", {"urn": bad}, json=True).status_code == 400, bad
    closed = one(w.db, "SELECT urn FROM school WHERE status_code = '2' ORDER BY urn LIMIT 1")
    r = coord.post(a + "/schools", {"urn": closed}, json=True)
    assert r.status_code == 400 and "closed" in r.json()["errors"]["urn"]
    r = coord.post(a + "/schools", {"urn": WEETWOOD}, json=True)
    assert r.status_code == 409 and "already a member" in r.json()["errors"]["urn"]
    assert snapshot(w.db, w.a) == before
    # The school page of a URN that is not a member is a 404.
    assert coord.get(a + "/schools/999999").status_code == 404


def test_a_network_keeps_at_least_one_coordinator(world):
    w, coord = world, world.people["coord_a"]
    a = "/networks/" + w.a
    r = coord.post(a + "/steering/%d/remove" % w.ids["coord_a"], {"role": "coordinator"}, json=True)
    assert r.status_code == 409
    location(coord.post(a + "/steering", {"email": "admin@a.test", "role": "coordinator"}))
    admin = w.people["admin"]
    location(admin.post("/invitations/" + last_invitation_token(w.db, "admin@a.test"), {}))
    r = coord.post(a + "/steering", {"email": "not an address", "role": "steering"}, json=True)
    assert r.status_code == 400 and "email" in r.json()["errors"]
    location(coord.post(a + "/steering/%d/remove" % w.ids["admin"], {"role": "coordinator"}))


def test_a_theme_in_use_cannot_be_removed(world):
    w, coord = world, world.people["coord_a"]
    a = "/networks/" + w.a
    r = coord.post(a + "/themes", {"themes": "SEND\ngovernance"}, json=True)
    assert r.status_code == 400 and "reading" in r.json()["errors"]["themes"]
    assert one(w.db, "SELECT COUNT(*) FROM network_theme WHERE network_id = "
                     "(SELECT id FROM network WHERE slug = ?)", w.a) == 14


def test_an_administrator_may_do_anything(world):
    w, admin = world, world.people["admin"]
    b = "/networks/" + w.b
    for path in b_get_urls(w):
        assert admin.get(path).status_code == 200, path
    r = admin.get(b + "/strengths", json=True)
    assert SECRET in r.json()["results"][0]["summary"]
    slugs = [n["slug"] for n in admin.get("/networks", json=True).json()["mine"]]
    assert w.a in slugs and w.b in slugs


# ---- the demo ----------------------------------------------------------------------------------

def test_the_demo_builds_a_network_with_accounts_for_each_role_and_is_idempotent(tmp_path):
    db = str(tmp_path / "demo.db")
    r = run_cli("demo", "--db", db)
    assert r.returncode == 1 and "import-gias" in r.stderr  # no register yet: a clear message
    assert run_cli("import-gias", "--db", db, DEMO).returncode == 0
    r = run_cli("demo", "--db", db)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Aire Valley Learning Partnership" in out and "13 member schools" in out
    for email in ("admin@tandem.example", "coordinator@tandem.example", "lead.weetwood@tandem.example",
                  "lead.lawnswood@tandem.example", "lead.adel@tandem.example",
                  "staff.weetwood@tandem.example",
                  "governor.weetwood@tandem.example"):
        assert email in out
    password = re.search(r"every password is (\S+?)\)", out).group(1)
    counts = lambda: (one(db, "SELECT COUNT(*) FROM person"), one(db, "SELECT COUNT(*) FROM network_school"),
                      one(db, "SELECT COUNT(*) FROM strength"), one(db, "SELECT COUNT(*) FROM need"),
                      one(db, "SELECT COUNT(*) FROM network_role"), one(db, "SELECT COUNT(*) FROM broker_run"))
    first = counts()
    assert first[0] == 7 and first[1] == 13 and first[2] >= 12 and first[3] >= 12
    # The broker has run once, as the coordinator would: proposals to review, most of them two-way.
    assert first[5] == 1
    proposals, two_way = one(db, "SELECT COUNT(*) FROM broker_proposal"), \
        one(db, "SELECT COUNT(*) FROM broker_proposal WHERE reciprocal = 1")
    assert proposals >= 6 and two_way * 2 > proposals
    assert len({t for (t,) in query(db, "SELECT theme_id FROM strength")}) >= 10  # across the themes
    assert run_cli("demo", "--db", db).returncode == 0
    assert counts() == first
    s = Server(db=db)
    try:
        n = "/networks/aire-valley-learning-partnership"
        lead = Person(s, "lead.weetwood@tandem.example", password)
        j = lead.get(n + "/schools/%d" % WEETWOOD, json=True).json()
        assert j["can_edit_profile"] and j["strengths"] and j["needs"]
        staff = Person(s, "staff.weetwood@tandem.example", password)
        assert staff.get(n).status_code == 200
        assert staff.get(n + "/schools/%d" % WEETWOOD, json=True).json()["can_edit_profile"] is False
        coord = Person(s, "coordinator@tandem.example", password)
        assert coord.get(n + "/schools").status_code == 200
        assert len(Person(s).get(n, json=True).json()["network"]["description"]) > 0  # public
        assert "Weetwood" not in Person(s).get(n).text
    finally:
        assert s.close() == 0
