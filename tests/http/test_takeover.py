# SPDX-License-Identifier: AGPL-3.0-or-later
"""Nobody takes over a school (issue 9), black-box and in sequences.

An attack run found that anyone could start a network, add any school to it
without asking, then read that school's people, demote its lead, invite
themselves as lead and so reach another network's partnership. These tests
replay that chain and its variants, step by step, and show each step refused
(or turned into a request that needs the school's consent) with nothing
changed: a school joins a network only with its lead's consent, a school's
people are managed only by its own leads (or an administrator), and a first
lead is confirmed by their address at the school's own domain or by an
administrator."""
import os
import re
import shutil

import pytest

from tandem_server import ROOT, Server, run_cli
from support import (DEMO, Person, add_user, ask_and_accept, create_network, execute, last_invitation_token,
                           location, one, query)

WEETWOOD, IRELAND_WOOD, LAWNSWOOD = 107897, 107896, 108055
IVESON, BRUDENELL, HAWKSWORTH, COOKRIDGE = 107886, 107885, 107893, 107894


class World:
    pass


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("takeover") / "t.db")
    assert run_cli("import-gias", "--db", db, DEMO).returncode == 0
    w = World()
    w.db = db
    people = [("admin", "admin@t.test", "Ada Admin", None, None, True),
              ("coord", "coord@aire.test", "Cora Coordinator", None, None, False),
              ("lead_w", "head@weetwoodschool.co.uk", "Wyn Lead", WEETWOOD, "lead", False),
              ("staff_w", "staff@weetwoodschool.co.uk", "Sid Staff", WEETWOOD, "staff", False),
              ("lead_i", "head@irelandwood.test", "Ira Lead", IRELAND_WOOD, "lead", False),
              ("lead_b", "head@brudenell.test", "Bea Lead", BRUDENELL, "lead", False),
              ("mallory", "mallory@iveson.test", "Mallory", IVESON, "staff", False)]
    w.ids = {k: add_user(db, e, n, s, r, admin=a) for k, e, n, s, r, a in people}
    w.server = Server(db=db)
    try:
        w.p = {k: Person(w.server, e) for k, e, _, _, _, _ in people}
        w.net = create_network(w.p["coord"], "Aire Valley")
        ask_and_accept(w.p["coord"], w.p["lead_w"], w.net, WEETWOOD)
        ask_and_accept(w.p["coord"], w.p["lead_i"], w.net, IRELAND_WOOD)
        # A partnership between Weetwood and Ireland Wood, in the legitimate network.
        location(w.p["lead_w"].post("/introductions", {"network": w.net, "to": IRELAND_WOOD,
                                                       "message": "Shall we work on reasoning?"}))
        iid = one(db, "SELECT id FROM introduction WHERE to_urn = ? ORDER BY id DESC", IRELAND_WOOD)
        loc = location(w.p["lead_i"].post("/introductions/%d/accept" % iid))
        w.pid = int(re.fullmatch(r"/partnerships/(\d+)", loc).group(1))
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def state(db):
    """Everything a refused step must leave as it was: who works where, memberships, partnerships."""
    return {
        "people": query(db, "SELECT id, email, school_urn, school_role FROM person ORDER BY id"),
        "members": query(db, "SELECT network_id, urn, consent FROM network_school ORDER BY 1, 2"),
        "roles": query(db, "SELECT network_id, person_id, role FROM network_role ORDER BY 1, 2, 3"),
        "partnerships": query(db, "SELECT id, state FROM partnership ORDER BY id"),
        "lead_requests": query(db, "SELECT person_id, urn, decided_at FROM lead_request ORDER BY id"),
    }


def weetwood_friends(w, who="mallory"):
    """A fresh network started by `who` (anyone signed in may start one)."""
    return create_network(w.p[who], "Weetwood Friends")


def test_the_attack_run_sequence_is_refused_step_by_step(w):
    m = w.p["mallory"]
    before = state(w.db)
    # 1. Anyone may start a network: allowed, and harmless on its own.
    slug = weetwood_friends(w)
    n = "/networks/" + slug
    # 2. Adding Weetwood asks its lead; it does not make Weetwood a member.
    assert location(m.post(n + "/schools", {"urn": WEETWOOD})) == n + "/schools?asked=%d" % WEETWOOD
    assert one(w.db, "SELECT COUNT(*) FROM network_school WHERE urn = ? AND network_id = "
                     "(SELECT id FROM network WHERE slug = ?)", WEETWOOD, slug) == 0
    mail = one(w.db, "SELECT body FROM outbox WHERE to_addr = 'head@weetwoodschool.co.uk' ORDER BY id DESC LIMIT 1")
    assert "asks Weetwood Primary School to join" in mail and "/networks/%s/membership" % slug in mail
    # 3. The network's people list shows nobody from Weetwood: no names, no emails.
    r = m.get(n + "/people", json=True)
    assert r.status_code == 200
    assert "weetwoodschool" not in r.text and "Wyn Lead" not in r.text
    assert WEETWOOD not in [s["urn"] for s in r.json()["people"] + m.get(n, json=True).json()["schools"]]
    # 4. Demoting Weetwood's lead through the new network: refused.
    for path, data in [(n + "/people/%d/role" % w.ids["lead_w"], {"role": "governor"}),
                       (n + "/people/%d/remove" % w.ids["lead_w"], {})]:
        for as_json in (False, True):
            assert m.post(path, data, json=as_json).status_code in (403, 404), path
    # 5. Inviting herself as Weetwood's lead: refused with a message, no invitation made.
    r = m.post(n + "/invitations", {"email": "mallory@evil.test", "urn": WEETWOOD, "role": "lead"}, json=True)
    assert r.status_code == 400 and "its lead invites its people" in r.json()["errors"]["urn"]
    assert one(w.db, "SELECT COUNT(*) FROM invitation WHERE email = 'mallory@evil.test'") == 0
    # 7, 8. Mallory reaches nothing of the other network's partnership.
    for path in ("/partnerships/%d" % w.pid, "/partnerships/%d/agreement" % w.pid):
        assert m.get(path).status_code in (403, 404), path
    assert m.post("/partnerships/%d/close" % w.pid, {"reflection": "gone"}).status_code in (403, 404)
    after = state(w.db)
    assert after["people"] == before["people"] and after["partnerships"] == before["partnerships"]
    assert after["lead_requests"] == before["lead_requests"]


def test_the_school_decides_and_a_declined_request_changes_nothing(w):
    slug = weetwood_friends(w)
    n = "/networks/" + slug
    m, lead = w.p["mallory"], w.p["lead_w"]
    location(m.post(n + "/schools", {"urn": WEETWOOD}))
    # The lead sees the request on their networks page and on its own page, and nothing more of the network.
    assert "Weetwood Friends" in lead.get("/networks").text
    page = lead.get(n + "/membership")
    assert page.status_code == 200 and "What joining means" in page.text
    assert lead.get(n + "/people").status_code == 403
    # Staff cannot answer for the school.
    assert w.p["staff_w"].post(n + "/membership", {"answer": "accept"}).status_code == 404
    before = state(w.db)
    assert location(lead.post(n + "/membership", {"answer": "decline"})) == "/networks?declined=1"
    assert state(w.db) == before
    assert one(w.db, "SELECT decision FROM school_invitation WHERE urn = ? AND network_id = "
                     "(SELECT id FROM network WHERE slug = ?)", WEETWOOD, slug) == "declined"
    assert "declined" in one(w.db, "SELECT subject FROM outbox WHERE to_addr = 'mallory@iveson.test' "
                                   "ORDER BY id DESC LIMIT 1")
    # Answering again: there is nothing left to answer.
    assert lead.post(n + "/membership", {"answer": "accept"}).status_code == 404
    assert lead.post(n + "/membership", {"answer": "maybe"}).status_code == 400


def test_a_legitimate_coordinator_cannot_add_or_manage_a_school_that_never_agreed(w):
    c = w.p["coord"]
    n = "/networks/" + w.net
    before = state(w.db)
    # Brudenell has a lead on Tandem: the coordinator can only ask.
    assert location(c.post(n + "/schools", {"urn": BRUDENELL})) == n + "/schools?asked=%d" % BRUDENELL
    r = c.post(n + "/schools", {"urn": BRUDENELL}, json=True)
    assert r.status_code == 409 and "already been asked" in r.json()["errors"]["urn"]
    # Nor give anyone a role there, nor reach its people.
    r = c.post(n + "/invitations", {"email": "friend@evil.test", "urn": BRUDENELL, "role": "lead"}, json=True)
    assert r.status_code == 400
    for path in (n + "/people/%d/role" % w.ids["lead_b"], n + "/people/%d/remove" % w.ids["lead_b"]):
        assert c.post(path, {"role": "staff"}).status_code in (403, 404)
    assert "head@brudenell.test" not in c.get(n + "/people", json=True).text
    # Even at a member school, a coordinator never changes anyone's role.
    for path, data in [(n + "/people/%d/role" % w.ids["staff_w"], {"role": "lead"}),
                       (n + "/people/%d/role" % w.ids["lead_w"], {"role": "staff"}),
                       (n + "/people/%d/remove" % w.ids["staff_w"], {})]:
        for as_json in (False, True):
            assert c.post(path, data, json=as_json).status_code == 403, path
    r = c.post(n + "/invitations", {"email": "x@evil.test", "urn": WEETWOOD, "role": "staff"}, json=True)
    assert r.status_code == 400 and "its lead invites its people" in r.json()["errors"]["urn"]
    after = state(w.db)
    assert after["people"] == before["people"] and after["members"] == before["members"]
    # The coordinator withdraws the request.
    location(c.post(n + "/schools/%d/withdraw" % BRUDENELL))
    assert c.post(n + "/schools/%d/withdraw" % BRUDENELL).status_code == 404


def test_a_coordinator_sees_names_and_roles_and_only_leads_emails(w):
    people = w.p["coord"].get("/networks/%s/people" % w.net, json=True).json()["people"]
    by_name = {p["name"]: p for p in people}
    assert by_name["Wyn Lead"]["email"] == "head@weetwoodschool.co.uk"
    assert "email" not in by_name["Sid Staff"] and by_name["Sid Staff"]["role"] == "staff"
    # A school's own lead sees their colleagues' emails; another school's lead does not.
    mine = {p["name"]: p for p in w.p["lead_w"].get("/networks/%s/people" % w.net, json=True).json()["people"]}
    assert mine["Sid Staff"]["email"] == "staff@weetwoodschool.co.uk"
    theirs = {p["name"]: p for p in w.p["lead_i"].get("/networks/%s/people" % w.net, json=True).json()["people"]}
    assert "email" not in theirs["Sid Staff"]
    assert "staff@weetwoodschool.co.uk" not in w.p["coord"].get("/networks/%s/people" % w.net).text


def test_a_lead_of_one_school_cannot_invite_a_lead_of_another(w):
    lead = w.p["lead_w"]
    n = "/networks/" + w.net
    before = state(w.db)
    r = lead.post(n + "/invitations", {"email": "pal@evil.test", "urn": IRELAND_WOOD, "role": "lead"}, json=True)
    assert r.status_code == 403
    r = lead.post(n + "/invitations", {"email": "pal@evil.test", "urn": BRUDENELL, "role": "lead"}, json=True)
    assert r.status_code == 400 and "urn" in r.json()["errors"]
    assert one(w.db, "SELECT COUNT(*) FROM invitation WHERE email = 'pal@evil.test'") == 0
    assert state(w.db) == before


def test_a_first_lead_at_another_domain_waits_for_an_administrator(w):
    """A coordinator asks a school nobody is on Tandem for and names herself as its first lead."""
    slug = weetwood_friends(w, "mallory")
    n = "/networks/" + slug
    m = w.p["mallory"]
    location(m.post(n + "/schools", {"urn": HAWKSWORTH, "email": "mallory.lead@evil.test"}))
    # Look-alike domains do not count as the school's own (hawksworthwood.leeds.sch.uk).
    location(m.post(n + "/invitations", {"email": "x@hawksworthwood.leeds.sch.uk.evil.test", "urn": HAWKSWORTH,
                                         "role": "lead"}))
    before_people = query(w.db, "SELECT id, school_urn, school_role FROM person ORDER BY id")
    for email in ("mallory.lead@evil.test", "x@hawksworthwood.leeds.sch.uk.evil.test"):
        newcomer = Person(w.server)
        assert location(newcomer.accept(last_invitation_token(w.db, email), "Mal Lead")) == "/networks?waiting=1"
        assert one(w.db, "SELECT school_role FROM person WHERE email = ?", email) == "none"
        assert newcomer.get(n).status_code == 404
    assert query(w.db, "SELECT id, school_urn, school_role FROM person WHERE id IN (%s) ORDER BY id"
                 % ",".join(str(p[0]) for p in before_people)) == before_people
    assert one(w.db, "SELECT COUNT(*) FROM network_school WHERE urn = ?", HAWKSWORTH) == 0
    # The administrator refuses one; nothing changes for the school.
    admin = w.p["admin"]
    reqs = [r for r in admin.get("/admin/leads", json=True).json()["requests"] if r["urn"] == HAWKSWORTH]
    assert {r["email"] for r in reqs} == {"mallory.lead@evil.test", "x@hawksworthwood.leeds.sch.uk.evil.test"}
    rid = reqs[0]["id"]
    assert location(admin.post("/admin/leads/%d" % rid, {"decision": "refuse"})) == "/admin/leads?done=refuse"
    assert admin.post("/admin/leads/%d" % rid, {"decision": "approve"}).status_code == 409
    assert admin.post("/admin/leads/%d" % rid, {"decision": "perhaps"}).status_code == 400
    assert admin.post("/admin/leads/999999", {"decision": "approve"}).status_code == 404
    assert m.post("/admin/leads/%d" % reqs[1]["id"], {"decision": "approve"}).status_code == 403
    assert one(w.db, "SELECT COUNT(*) FROM network_school WHERE urn = ?", HAWKSWORTH) == 0


def test_a_first_lead_invitation_cannot_take_a_school_that_already_has_a_lead(w):
    """An invitation sent while the school had no lead does not make a second lead by domain later."""
    c = w.p["coord"]
    n = "/networks/" + w.net
    location(c.post(n + "/schools", {"urn": COOKRIDGE, "email": "first@cookridgeprimaryschool.org.uk"}))
    token = last_invitation_token(w.db, "first@cookridgeprimaryschool.org.uk")
    # Meanwhile an administrator makes someone else Cookridge's lead.
    add_user(w.db, "real.head@cookridge.test", "Real Head", COOKRIDGE, "lead")
    p = Person(w.server)
    assert location(p.accept(token, "First Try")) == "/networks?waiting=1"
    assert one(w.db, "SELECT school_role FROM person WHERE email = 'first@cookridgeprimaryschool.org.uk'") == "none"


def test_an_invitation_from_a_lead_who_has_since_been_removed_no_longer_works(w):
    n = "/networks/" + w.net
    # Ireland Wood's lead brings in a deputy lead, who invites a friend as lead, then is removed.
    location(w.p["lead_i"].post(n + "/invitations", {"email": "deputy@irelandwood.test", "role": "lead"}))
    deputy = Person(w.server)
    location(deputy.accept(last_invitation_token(w.db, "deputy@irelandwood.test"), "Dep Uty"))
    location(deputy.post(n + "/invitations", {"email": "friend@irelandwood.test", "role": "lead"}))
    token = last_invitation_token(w.db, "friend@irelandwood.test")
    deputy_id = one(w.db, "SELECT id FROM person WHERE email = 'deputy@irelandwood.test'")
    location(w.p["lead_i"].post(n + "/people/%d/remove" % deputy_id))
    r = Person(w.server).accept(token, "Friend")
    assert r.status_code == 410
    assert one(w.db, "SELECT COUNT(*) FROM person WHERE email = 'friend@irelandwood.test'") == 0


def test_removing_a_school_never_changes_its_people(w):
    slug = create_network(w.p["coord"], "Short Lived")
    n = "/networks/" + slug
    ask_and_accept(w.p["coord"], w.p["lead_w"], slug, WEETWOOD)
    before = query(w.db, "SELECT id, school_urn, school_role FROM person ORDER BY id")
    location(w.p["coord"].post(n + "/schools/%d/remove" % WEETWOOD))
    assert query(w.db, "SELECT id, school_urn, school_role FROM person ORDER BY id") == before


def test_memberships_made_before_the_rule_are_kept_and_marked(tmp_path):
    """Migration 008 keeps existing memberships as members and records that they were never asked."""
    old_share = tmp_path / "share"
    for sub in ("sql", os.path.join("sql", "postgres")):
        (old_share / sub).mkdir(parents=True, exist_ok=True)
        for f in sorted(os.listdir(os.path.join(ROOT, sub))):
            if f.endswith(".sql") and int(f[:3]) < 8:
                shutil.copy(os.path.join(ROOT, sub, f), old_share / sub / f)
    db = str(tmp_path / "old.db")
    r = run_cli("migrate", "--db", db, env={"TANDEM_SHARE": str(old_share)})
    # The schema stops at 007; today's statements need 008 and later, so the check after it
    # says so (exit 1) — that is what an old deployment's database looks like.
    assert "schema version 7" in r.stdout, (r.stdout, r.stderr)
    execute(db, "INSERT INTO person (id, email, name, password_hash, school_urn, school_role, created_at, "
                "updated_at, password_changed_at) VALUES (1, 'c@old.test', 'C', 'x', NULL, 'none', "
                "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")
    execute(db, "INSERT INTO network (id, slug, name, created_by, created_at, updated_at) "
                "VALUES (1, 'old', 'Old', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")
    execute(db, "INSERT INTO network_school (network_id, urn, added_by, added_at) "
                "VALUES (1, 107897, 1, '2026-01-02T00:00:00Z')")
    execute(db, "INSERT INTO invitation (token_hash, email, network_id, school_urn, role, invited_by, "
                "created_at, expires_at) VALUES ('h', 'x@old.test', 1, 107897, 'lead', 1, "
                "'2026-01-02T00:00:00Z', '2026-01-09T00:00:00Z')")
    r = run_cli("migrate", "--db", db)
    assert r.returncode == 0, r.stderr
    assert query(db, "SELECT network_id, urn, consent FROM network_school") == [(1, 107897, "before_rule")]
    # An invitation a coordinator sent before the rule now carries a coordinator's authority only.
    assert query(db, "SELECT email, role, authority FROM invitation") == [("x@old.test", "lead", "coordinator")]
