# SPDX-License-Identifier: AGPL-3.0-or-later
"""Introductions as a busy headteacher meets them (issue 11), black-box: the
introduction names who asked whom and why; Accept is the filled button and
Decline the quiet one; the school that asked sees "Asked on …, waiting for …"
and cannot ask the same school twice (the second ask comes back with a
message and creates nothing), and the similar-schools list and the school's
profile say "Asked" with a link instead of offering to ask; an empty message
is refused with the schools chosen kept; a school nobody leads on Tandem
cannot be asked and the page offers to invite its lead by email;
/partnerships lists the introductions waiting for an answer, both ways."""
import calendar
import html
import re

import pytest

from tandem_server import Server, run_cli
from support import (DEMO, IRELAND_WOOD, IVESON, LAWNSWOOD, WEETWOOD, Person, add_user, ask_and_accept,
                     create_network, location, one, query)

# 6 December 2026, 10:00 UTC: the date people read on these pages.
T0 = calendar.timegm((2026, 12, 6, 10, 0, 0))
WHY = "Your reasoning work is what we need; our phonics catch-up may help you."


class World:
    """Filled in by the fixture: db, server, people (p), the network's slug (net)."""


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("intro") / "i.db")
    r = run_cli("import-gias", "--db", db, DEMO)
    assert r.returncode == 0, r.stderr
    w = World()
    w.db = db
    add_user(db, "coord@i.test", "Cora Coordinator")
    add_user(db, "admin@i.test", "Ada Admin", admin=True)
    add_user(db, "lead@w.test", "Wyn Lead", WEETWOOD, "lead")
    add_user(db, "lead@iw.test", "Ivy Lead", IRELAND_WOOD, "lead")
    add_user(db, "lead@l.test", "Lyn Lead", LAWNSWOOD, "lead")
    w.server = Server(db=db, env={"TANDEM_NOW": str(T0)})
    try:
        w.p = {k: Person(w.server, e) for k, e in [
            ("coord", "coord@i.test"), ("admin", "admin@i.test"), ("lead_w", "lead@w.test"),
            ("lead_iw", "lead@iw.test"), ("lead_l", "lead@l.test")]}
        w.net = create_network(w.p["coord"], "Introductions Network")
        for urn, lead in ((WEETWOOD, "lead_w"), (IRELAND_WOOD, "lead_iw"), (LAWNSWOOD, "lead_l")):
            ask_and_accept(w.p["coord"], w.p[lead], w.net, urn)
        # Iveson is made a member by an administrator: nobody leads it on Tandem.
        location(w.p["admin"].post("/networks/%s/schools" % w.net, {"urn": IVESON}))
        assert one(db, "SELECT COUNT(*) FROM network_school WHERE urn = ?", IVESON) == 1
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def count(w):
    return one(w.db, "SELECT COUNT(*) FROM introduction")


def text_of(r):
    """The page's main text without tags, for reading sentences."""
    main = r.text.split("<main", 1)[-1]
    return re.sub(r"\s+([:.,])", r"\1", re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main))))


@pytest.fixture(scope="module")
def asked(w):
    """Weetwood's lead asks Ireland Wood, with a reason: the introduction's id."""
    assert location(w.p["lead_w"].post("/introductions", {"network": w.net, "to": IRELAND_WOOD,
                                                           "message": WHY})) == "/introductions"
    return one(w.db, "SELECT id FROM introduction WHERE from_urn = ? AND to_urn = ?", WEETWOOD, IRELAND_WOOD)


def test_the_introduction_names_who_asked_whom_and_why(w, asked):
    r = w.p["lead_iw"].get("/introductions/%d" % asked)
    assert r.status_code == 200
    t = text_of(r)
    assert "Wyn Lead of Weetwood Primary School asked to be introduced to Ireland Wood Primary School" in t
    assert WHY in t
    j = w.p["lead_iw"].get("/introductions/%d" % asked, json=True).json()["introduction"]
    assert j["asked_by"] == "Wyn Lead" and j["message"] == WHY and j["can_answer"] is True


def test_accept_is_the_filled_button_and_decline_the_red_one(w, asked):
    """Accept and Decline look different: declining ends the introduction, so it carries the
    house style of every button that removes something (test_accessibility checks them all)."""
    r = w.p["lead_iw"].get("/introductions/%d" % asked)
    accept = re.search(r'<button type="submit"([^>]*)>Accept the introduction</button>', r.text)
    decline = re.search(r'<button type="submit"([^>]*)>Decline the introduction</button>', r.text)
    assert accept and decline, r.text
    assert "class" not in accept.group(1)
    assert 'class="button--danger"' in decline.group(1)


def test_the_asker_sees_when_they_asked_and_whom_it_waits_for(w, asked):
    t = text_of(w.p["lead_w"].get("/introductions/%d" % asked))
    assert "Asked on 6 December 2026, waiting for Ireland Wood Primary School to answer." in t
    assert "2026-12-06" not in t
    r = w.p["lead_w"].get("/introductions/%d" % asked)
    assert "/introductions/%d/accept" % asked not in r.text
    t = text_of(w.p["lead_w"].get("/introductions"))
    assert "Waiting for Ireland Wood Primary School to answer" in t and "6 December 2026" in t


def test_the_same_school_cannot_be_asked_twice(w, asked):
    before = count(w)
    r = w.p["lead_w"].post("/introductions", {"network": w.net, "to": IRELAND_WOOD, "message": "Again?"})
    assert r.status_code == 409
    assert "You asked Ireland Wood Primary School on 6 December 2026" in html.unescape(r.text)
    assert 'href="/introductions/%d"' % asked in r.text
    r = w.p["lead_w"].post("/introductions", {"network": w.net, "to": IRELAND_WOOD, "message": "Again?"},
                           json=True)
    assert r.status_code == 409 and "waiting for them to answer" in r.text
    # Nor may the school asked turn round and ask back while it waits.
    r = w.p["lead_iw"].post("/introductions", {"network": w.net, "to": WEETWOOD, "message": "Us too"},
                            json=True)
    assert r.status_code == 409 and "answer their introduction" in r.text
    assert count(w) == before


def test_the_similar_list_and_the_profile_say_asked_instead_of_ask(w, asked):
    r = w.p["lead_w"].get("/schools/%d/similar?mine=1" % WEETWOOD)
    assert r.status_code == 200
    item = re.search(r'<li class="result" id="school-%d">(.*?)</li>' % IRELAND_WOOD, r.text, re.S)
    assert item, r.text
    assert "Asked on 6 December 2026" in item.group(1)
    assert 'href="/introductions/%d"' % asked in item.group(1)
    assert "/introductions/new?to=%d" % IRELAND_WOOD not in item.group(1)
    r = w.p["lead_w"].get("/schools/%d" % IRELAND_WOOD)
    assert 'href="/introductions/%d"' % asked in r.text
    assert 'action="/introductions"' not in r.text
    r = w.p["lead_w"].get("/introductions/new?to=%d" % IRELAND_WOOD)
    assert "You asked on 6 December 2026" in text_of(r) and 'action="/introductions"' not in r.text


def test_an_empty_message_is_refused_with_the_schools_kept(w):
    before = count(w)
    r = w.p["lead_w"].post("/introductions", {"network": w.net, "to": LAWNSWOOD, "message": "   "})
    assert r.status_code == 400
    assert 'id="ask-message-error"' in r.text and "Say why you would like to work together" in r.text
    assert 'href="#ask-message"' in r.text  # the summary links to the field
    assert '<input type="hidden" name="to" value="%d">' % LAWNSWOOD in r.text
    r = w.p["lead_w"].post("/introductions", {"network": w.net, "to": LAWNSWOOD}, json=True)
    assert r.status_code == 400 and "message" in r.json()["errors"]
    assert count(w) == before


def test_a_school_nobody_leads_cannot_be_asked_and_the_page_offers_an_invitation(w):
    before = count(w)
    r = w.p["lead_w"].get("/introductions/new?to=%d" % IVESON)
    t = text_of(r)
    assert "Nobody leads Iveson Primary School on Tandem yet" in t
    assert "Invite its lead by email" in t and 'href="/networks"' in r.text
    assert 'action="/introductions"' not in r.text
    # A coordinator is offered the network's own form to invite a first lead.
    r = w.p["coord"].get("/introductions/new?to=%d" % IVESON)
    assert "/networks/%s/schools?q=%d" % (w.net, IVESON) in r.text
    r = w.p["lead_w"].post("/introductions", {"network": w.net, "to": IVESON, "message": WHY})
    assert r.status_code == 400 and "Nobody leads Iveson Primary School on Tandem yet" in r.text
    assert count(w) == before


def test_partnerships_lists_the_introductions_waiting_both_ways(w, asked):
    t = text_of(w.p["lead_w"].get("/partnerships"))
    assert "Introductions you asked for" in t
    assert "Ireland Wood Primary School: asked on 6 December 2026, waiting for Ireland Wood Primary School" in t
    r = w.p["lead_iw"].get("/partnerships")
    t = text_of(r)
    assert "Introductions waiting for your answer" in t and "Weetwood Primary School asked on 6 December 2026" in t
    assert 'href="/introductions/%d"' % asked in r.text
    t = text_of(w.p["lead_l"].get("/partnerships"))
    assert "waiting for your answer" not in t and "Introductions you asked for" not in t


def test_a_declined_introduction_may_be_asked_again(w, asked):
    location(w.p["lead_l"].post("/introductions", {"network": w.net, "to": WEETWOOD, "message": WHY}))
    iid = one(w.db, "SELECT id FROM introduction WHERE from_urn = ? AND to_urn = ?", LAWNSWOOD, WEETWOOD)
    location(w.p["lead_w"].post("/introductions/%d/decline" % iid, {"reason": "Not this term."}))
    location(w.p["lead_l"].post("/introductions", {"network": w.net, "to": WEETWOOD, "message": WHY}))
    assert query(w.db, "SELECT state FROM introduction WHERE from_urn = ? AND to_urn = ? ORDER BY id",
                 LAWNSWOOD, WEETWOOD) == [("declined",), ("pending",)]


def test_similar_schools_show_results_first_and_the_lead_reaches_network_schools_without_scrolling(w, asked):
    page = w.p["lead_w"].get("/schools/%d/similar" % WEETWOOD).text
    nav = re.search(r'<nav class="panel" aria-labelledby="mine-title">(.*?)</nav>', page, re.S)
    assert nav, page
    # Before the long list: the network's schools like Weetwood, each asked or with its Ask link, and the filter.
    assert page.index(nav.group(0)) < page.index('<ol class="similar">') < page.index("Adjust the comparison")
    assert 'href="/introductions/%d"' % asked in nav.group(1)
    assert "/introductions/new?to=%d" % IRELAND_WOOD not in nav.group(1)
    assert 'href="/schools/%d/similar?mine=1"' % WEETWOOD in nav.group(1)
    assert re.search(r'<details class="panel"\s*>\s*<summary>Adjust the comparison</summary>', page)
    mine = w.p["lead_w"].get("/schools/%d/similar?mine=1" % WEETWOOD, json=True).json()
    members = {IRELAND_WOOD, LAWNSWOOD, IVESON}
    assert mine["results"] and {r["urn"] for r in mine["results"]} <= members
    # Adjusting keeps the controls open; anyone not leading a school sees no network marks.
    assert re.search(r'<details class="panel"\s*open>', w.p["lead_w"].get("/schools/%d/similar?k=100" % WEETWOOD).text)
    assert 'aria-labelledby="mine-title"' not in w.p["coord"].get("/schools/%d/similar" % WEETWOOD).text


def test_a_refused_brokered_introduction_keeps_the_network_and_schools_chosen(w):
    before = count(w)
    r = w.p["coord"].post("/introductions", {"network": w.net, "from": str(LAWNSWOOD), "to": str(LAWNSWOOD),
                                             "message": "Two heads on reasoning"})
    assert r.status_code == 400 and "cannot be introduced to itself" in r.text
    assert len(re.findall(r'<option value="%d" selected>' % LAWNSWOOD, r.text)) == 2  # first and second school
    assert re.search(r'<option value="%s" selected>' % w.net, r.text)
    assert "Two heads on reasoning" in r.text
    assert count(w) == before
