# SPDX-License-Identifier: AGPL-3.0-or-later
"""Partnerships, black-box: two schools found through the similar-schools
finder are introduced, fill in and sign a complete agreement and become an
active partnership; a change after signing asks for signing again; a
coordinator brokers an introduction and sees only a partnership's summary;
and every bad input the issue lists for this part (signing an incomplete
agreement, signing for another school, likelihood 0 or 6, negative hours, a
cadence of 0, dates out of order, people of a non-partner school — in the
same network or another — reading or writing any partnership URL by HTML
or JSON)."""
import json
import re

import pytest

from tandem_server import Server, run_cli
from support import (DEMO, DENIED, MEASURE, RISK, Person, add_user, agreement_form, ask_and_accept,
                     create_network, location, one, query)

WEETWOOD, IRELAND_WOOD, LAWNSWOOD = 107897, 107896, 108055
IVESON = 107886


class World:
    """The server and people: filled in by the fixture."""


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("partnerships") / "p.db")
    r = run_cli("import-gias", "--db", db, DEMO)
    assert r.returncode == 0, r.stderr
    # The partner school is the one the similar-schools finder puts first for Weetwood.
    r = run_cli("similar", str(WEETWOOD), "--k", "5", "--json", db=db)
    assert r.returncode == 0, r.stderr
    similar = json.loads(r.stdout)["results"][0]["urn"]
    w = World()
    w.db, w.similar = db, similar
    w.ids = {
        "coord": add_user(db, "coord@p.test", "Cora Coordinator"),
        "lead_w": add_user(db, "lead@w.test", "Wyn Lead", WEETWOOD, "lead"),
        "staff_w": add_user(db, "staff@w.test", "Sid Staff", WEETWOOD, "staff"),
        "lead_s": add_user(db, "lead@s.test", "Sol Lead", similar, "lead"),
        "lead_l": add_user(db, "lead@l.test", "Lyn Lead", LAWNSWOOD, "lead"),
        "lead_b": add_user(db, "lead@b.test", "Bo Lead", IVESON, "lead"),
        "coord_b": add_user(db, "coord@b.test", "Bea Coordinator"),
    }
    w.server = Server(db=db)
    try:
        w.p = {k: Person(w.server, e) for k, e in [
            ("coord", "coord@p.test"), ("lead_w", "lead@w.test"), ("staff_w", "staff@w.test"),
            ("lead_s", "lead@s.test"), ("lead_l", "lead@l.test"), ("lead_b", "lead@b.test"),
            ("coord_b", "coord@b.test")]}
        w.net = create_network(w.p["coord"], "Partnership Network")
        w.net_b = create_network(w.p["coord_b"], "Other Network")
        for urn, lead in ((WEETWOOD, "lead_w"), (similar, "lead_s"), (LAWNSWOOD, "lead_l")):
            ask_and_accept(w.p["coord"], w.p[lead], w.net, urn)
        ask_and_accept(w.p["coord_b"], w.p["lead_b"], w.net_b, IVESON)
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def outbox_to(db, email):
    return query(db, "SELECT subject, body FROM outbox WHERE to_addr = ? ORDER BY id", email)


def introduce(w, asker="lead_w", to=None, message="We would love to work on maths reasoning."):
    return w.p[asker].post("/introductions", {"network": w.net, "to": to or w.similar, "message": message})


@pytest.fixture(scope="module")
def partnership(w):
    """An accepted introduction between Weetwood and its most similar school: the partnership id."""
    r = w.p["lead_w"].get("/schools/%d" % w.similar)
    assert r.status_code == 200 and "Ask for an introduction" in r.text
    r = w.p["lead_w"].get("/schools/%d/similar" % WEETWOOD)
    assert "/introductions/new?to=%d" % w.similar in r.text
    assert location(introduce(w)) == "/introductions"
    iid = one(w.db, "SELECT id FROM introduction WHERE from_urn = ? AND to_urn = ?", WEETWOOD, w.similar)
    mails = outbox_to(w.db, "lead@s.test")
    assert mails and "/introductions/%d" % iid in mails[-1][1]
    r = w.p["lead_s"].get("/introductions/%d" % iid)
    assert r.status_code == 200 and "Accept" in r.text and "maths reasoning" in r.text
    loc = location(w.p["lead_s"].post("/introductions/%d/accept" % iid))
    m = re.fullmatch(r"/partnerships/(\d+)", loc)
    assert m, loc
    assert any("accepted" in s for s, _ in outbox_to(w.db, "lead@w.test"))
    assert any("accepted" in s for s, _ in outbox_to(w.db, "lead@s.test"))
    return int(m.group(1))


def state(w, pid):
    return one(w.db, "SELECT state FROM partnership WHERE id = ?", pid)


def test_introduction_opens_a_forming_partnership(w, partnership):
    assert state(w, partnership) == "forming"
    r = w.p["lead_w"].get("/partnerships/%d" % partnership, json=True)
    assert r.status_code == 200
    body = r.json()
    assert body["partnership"]["state"] == "forming"
    assert {s["urn"] for s in body["agreement"]["schools"]} == {WEETWOOD, w.similar}
    assert body["agreement"]["complete"] is False
    r = w.p["lead_w"].get("/partnerships/%d/agreement" % partnership)
    assert r.status_code == 200 and "What is missing" in r.text and "shared challenge" in r.text


def test_answering_twice_conflicts_and_only_the_school_asked_may_answer(w, partnership):
    iid = one(w.db, "SELECT id FROM introduction WHERE partnership_id = ?", partnership)
    assert w.p["lead_s"].post("/introductions/%d/accept" % iid).status_code == 409
    assert w.p["lead_w"].post("/introductions/%d/decline" % iid).status_code in DENIED
    assert w.p["lead_b"].get("/introductions/%d" % iid).status_code == 404


def test_declining_with_a_reason_tells_the_school_that_asked(w):
    location(introduce(w, to=LAWNSWOOD))
    iid = one(w.db, "SELECT id FROM introduction WHERE to_urn = ? ORDER BY id DESC", LAWNSWOOD)
    location(w.p["lead_l"].post("/introductions/%d/decline" % iid, {"reason": "Not this year, sorry."}))
    assert one(w.db, "SELECT state FROM introduction WHERE id = ?", iid) == "declined"
    assert any("Not this year" in b for _, b in outbox_to(w.db, "lead@w.test"))
    assert w.p["lead_l"].post("/introductions/%d/accept" % iid).status_code == 409


def test_a_coordinator_brokers_an_introduction_between_member_schools(w):
    r = w.p["coord"].post("/introductions", {"network": w.net, "from": LAWNSWOOD, "to": w.similar})
    location(r)
    assert one(w.db, "SELECT brokered FROM introduction WHERE from_urn = ? AND to_urn = ?", LAWNSWOOD, w.similar) == 1
    # Nobody else brokers, and nobody asks on behalf of a school they do not lead.
    r = w.p["staff_w"].post("/introductions", {"network": w.net, "to": LAWNSWOOD}, json=True)
    assert r.status_code == 403
    r = w.p["lead_b"].post("/introductions", {"network": w.net, "to": LAWNSWOOD}, json=True)
    assert r.status_code == 400  # not in that network: as if it did not exist
    r = w.p["lead_w"].post("/introductions", {"network": w.net, "to": IVESON}, json=True)
    assert r.status_code == 400 and "not a member" in r.text
    r = w.p["lead_w"].post("/introductions", {"network": w.net, "to": WEETWOOD}, json=True)
    assert r.status_code == 400


def test_signing_an_incomplete_agreement_is_refused(w, partnership):
    r = w.p["lead_w"].post("/partnerships/%d/sign" % partnership, json=True)
    assert r.status_code == 400 and "not complete" in r.text


@pytest.mark.parametrize("field,value,message", [
    ("cadence_weeks", "0", "cadence"),
    ("ends_on", "2025-08-01", "date"),
    ("hours_%d" % WEETWOOD, "-5", "hours"),
])
def test_bad_agreement_values_are_refused_with_a_message(w, partnership, field, value, message):
    before = query(w.db, "SELECT * FROM partnership WHERE id = ?", partnership)
    r = w.p["lead_w"].post("/partnerships/%d/agreement" % partnership, agreement_form(w, {field: value}), json=True)
    assert r.status_code == 400, r.text
    assert message in json.dumps(r.json()).lower()
    r = w.p["lead_w"].post("/partnerships/%d/agreement" % partnership, agreement_form(w, {field: value}))
    assert r.status_code == 400 and "There is a problem" in r.text
    assert query(w.db, "SELECT * FROM partnership WHERE id = ?", partnership) == before


@pytest.mark.parametrize("field,value", [("likelihood", "0"), ("likelihood", "6"), ("impact", "0"),
                                         ("impact", "6")])
def test_risk_scores_outside_one_to_five_are_refused(w, partnership, field, value):
    n = one(w.db, "SELECT COUNT(*) FROM partnership_risk")
    r = w.p["lead_w"].post("/partnerships/%d/risks" % partnership, dict(RISK, **{field: value}), json=True)
    assert r.status_code == 400 and field in r.json().get("errors", {})
    assert one(w.db, "SELECT COUNT(*) FROM partnership_risk") == n


def test_the_partners_agree_and_sign_and_it_becomes_active(w, partnership):
    pid = partnership
    location(w.p["lead_w"].post("/partnerships/%d/agreement" % pid, agreement_form(w)))
    location(w.p["lead_s"].post("/partnerships/%d/measures" % pid, MEASURE))
    location(w.p["lead_s"].post("/partnerships/%d/risks" % pid, RISK))
    body = w.p["lead_w"].get("/partnerships/%d" % pid, json=True).json()
    assert body["agreement"]["complete"] is True, body["agreement"]["sections"]
    # Staff cannot sign, nor can the lead of a school that is not a partner.
    assert w.p["staff_w"].post("/partnerships/%d/sign" % pid, json=True).status_code == 403
    assert w.p["lead_l"].post("/partnerships/%d/sign" % pid, json=True).status_code == 404
    location(w.p["lead_w"].post("/partnerships/%d/sign" % pid))
    assert state(w, pid) == "forming"
    assert w.p["lead_w"].post("/partnerships/%d/sign" % pid, json=True).status_code == 409
    r = w.p["lead_w"].get("/partnerships/%d" % pid)
    assert "has not signed yet" in r.text and "signed by Wyn Lead" in r.text
    location(w.p["lead_s"].post("/partnerships/%d/sign" % pid))
    assert state(w, pid) == "active"
    signed = query(w.db, "SELECT urn, signed_by, signed_at IS NOT NULL FROM partnership_school "
                         "WHERE partnership_id = ? ORDER BY urn", pid)
    assert {(u, b) for u, b, _ in signed} == {(WEETWOOD, w.ids["lead_w"]), (w.similar, w.ids["lead_s"])}
    assert one(w.db, "SELECT COUNT(*) FROM partnership_signature WHERE partnership_id = ?", pid) == 2
    # A change afterwards asks every lead to sign again.
    location(w.p["lead_w"].post("/partnerships/%d/agreement" % pid,
                                agreement_form(w, {"challenge": "Reasoning and fluency in KS2 maths."})))
    body = w.p["lead_w"].get("/partnerships/%d" % pid, json=True).json()
    assert body["agreement"]["signed_by_all"] is False
    assert all(s["signed_earlier"] for s in body["agreement"]["schools"])
    assert "signed an earlier version" in w.p["lead_s"].get("/partnerships/%d" % pid).text
    location(w.p["lead_w"].post("/partnerships/%d/sign" % pid))
    location(w.p["lead_s"].post("/partnerships/%d/sign" % pid))
    assert w.p["lead_w"].get("/partnerships/%d" % pid, json=True).json()["agreement"]["signed_by_all"] is True


def test_the_coordinator_sees_the_summary_only(w, partnership):
    r = w.p["coord"].get("/partnerships/%d" % partnership, json=True)
    assert r.status_code == 200
    assert "agreement" not in r.json() and r.json()["full"] is False
    assert w.p["coord"].get("/partnerships/%d/agreement" % partnership).status_code == 404
    assert w.p["coord"].post("/partnerships/%d/agreement" % partnership, agreement_form(w)).status_code in DENIED


def partnership_urls(pid):
    base = "/partnerships/%d" % pid
    gets = [base, base + "/agreement"]
    posts = [base + "/agreement", base + "/measures", base + "/risks", base + "/sign",
             base + "/measures/1/delete", base + "/risks/1/delete"]
    return gets, posts


@pytest.mark.parametrize("who", ["lead_l", "lead_b", "coord_b"])
def test_people_of_other_schools_can_neither_read_nor_write_a_partnership(w, partnership, who):
    p = w.p[who]
    snap = lambda: (query(w.db, "SELECT * FROM partnership ORDER BY id"),  # noqa: E731
                    query(w.db, "SELECT * FROM partnership_school ORDER BY 1, 2"),
                    query(w.db, "SELECT * FROM partnership_measure ORDER BY id"),
                    query(w.db, "SELECT * FROM partnership_risk ORDER BY id"))
    before = snap()
    gets, posts = partnership_urls(partnership)
    for url in gets:
        for js in (False, True):
            r = p.get(url, json=js)
            assert r.status_code == 404, (who, url, r.status_code)
            assert "Reasoning" not in r.text
    for url in posts:
        for js in (False, True):
            data = dict(agreement_form(w), **MEASURE, **RISK)
            r = p.post(url, data, json=js)
            assert r.status_code in DENIED, (who, url, r.status_code)
    assert snap() == before
    iid = one(w.db, "SELECT id FROM introduction WHERE partnership_id = ?", partnership)
    assert p.get("/introductions/%d" % iid, json=True).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(w, partnership):
    anon = Person(w.server)
    r = anon.get("/partnerships/%d" % partnership)
    assert r.status_code == 303 and "/sign-in" in r.headers["Location"]
    assert anon.get("/partnerships/%d" % partnership, json=True).status_code == 401


def test_every_measure_is_in_the_signed_agreement_even_the_sixty_fifth(w, partnership):
    pid = partnership
    location(w.p["lead_w"].post("/partnerships/%d/agreement" % pid, agreement_form(w)))
    if not one(w.db, "SELECT COUNT(*) FROM partnership_risk WHERE partnership_id = ?", pid):
        location(w.p["lead_s"].post("/partnerships/%d/risks" % pid, RISK))
    have = one(w.db, "SELECT COUNT(*) FROM partnership_measure WHERE partnership_id = ?", pid)
    for i in range(have, 65):
        location(w.p["lead_w"].post("/partnerships/%d/measures" % pid, dict(MEASURE, name="Measure %d" % (i + 1))))
    body = w.p["lead_w"].get("/partnerships/%d" % pid, json=True).json()
    assert len(body["agreement"]["measures"]) == 65
    location(w.p["lead_w"].post("/partnerships/%d/sign" % pid))
    location(w.p["lead_s"].post("/partnerships/%d/sign" % pid))
    assert w.p["lead_w"].get("/partnerships/%d" % pid, json=True).json()["agreement"]["signed_by_all"] is True
    # Taking the 65th measure away changes what was signed: both leads are asked again.
    last = one(w.db, "SELECT MAX(id) FROM partnership_measure WHERE partnership_id = ?", pid)
    location(w.p["lead_w"].post("/partnerships/%d/measures/%d/delete" % (pid, last)))
    body = w.p["lead_w"].get("/partnerships/%d" % pid, json=True).json()
    assert len(body["agreement"]["measures"]) == 64
    assert body["agreement"]["signed_by_all"] is False
    assert all(s["signed_earlier"] for s in body["agreement"]["schools"])
