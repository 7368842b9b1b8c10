# SPDX-License-Identifier: AGPL-3.0-or-later
"""The partnership step of shared practice's visibility and drafts (issue 14,
item 6), black-box. Weetwood and Ireland Wood are in an active partnership
of the network; Weetwood and Lawnswood were in one that has closed, so
Lawnswood is a member school but no partner; Iveson is outside the network.
An idea, an article (with an attachment) and a case study of Weetwood at
the partnership level are walked by every path — the item's page and JSON,
the boards and lists, search, the public item page, the Atom feed, the
weekly email, the download, the scrapbook, "where it travelled" — by the
author, a colleague, a lead, partner-school staff and lead, non-partner
staff, the coordinator, an outsider and someone not signed in; then the same
for a draft case study made from the closed partnership, which its author
alone sees. Bad input: widening without a lead's approval, a lead approving
their own item, a partner school's lead approving, asking for the partner
schools when the school has none, narrowing to where it is already, a level
Tandem does not know — each refused with a clear 4xx and nothing changed."""
import time

import pytest

from tandem_server import Server, run_cli
from support import DEMO, IRELAND_WOOD, IVESON, LAWNSWOOD, WEETWOOD
from support import Person, add_user, ask_and_accept, create_network, execute, location, one, query

QUIET = {"TANDEM_DIGEST_INTERVAL": "0"}  # the main server leaves the email job to the tests
PDF = b"%PDF-1.4\n% partnership\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

PEOPLE = [("coord", "coord@p.test", "Cora Coordinator", None, None),
          ("ta_w", "ta@w.test", "Tia Assistant", WEETWOOD, "staff"),
          ("teacher_w", "teacher@w.test", "Tom Colleague", WEETWOOD, "staff"),
          ("lead_w", "lead@w.test", "Wyn Lead", WEETWOOD, "lead"),
          ("lead2_w", "lead2@w.test", "Wen Deputy", WEETWOOD, "lead"),
          ("teacher_i", "teacher@i.test", "Ted Partner", IRELAND_WOOD, "staff"),
          ("lead_i", "lead@i.test", "Ira Partner Lead", IRELAND_WOOD, "lead"),
          ("teacher_l", "teacher@l.test", "Lou Member", LAWNSWOOD, "staff"),
          ("lead_l", "lead@l.test", "Lee Member Lead", LAWNSWOOD, "lead"),
          ("lead_v", "lead@v.test", "Viv Outsider", IVESON, "lead")]

# Who sees an item of Weetwood at the partnership level (the author is ta_w).
SEES_PARTNERSHIP = {"ta_w", "teacher_w", "lead_w", "lead2_w", "teacher_i", "lead_i"}
EVERYONE = [k for k, _, _, _, _ in PEOPLE] + ["anon"]


class World:
    """The server and people: filled in by the fixture."""


def partnership(db, net, schools, state):
    """A partnership of the network between schools (urn, lead id) in state, put in the store."""
    now = "2026-07-20T12:00:00Z"
    execute(db, "INSERT INTO partnership (network_id, title, state, type, challenge, outcomes, themes, licence, "
                "starts_on, ends_on, created_at, updated_at, closed_at, closing_reflection) "
                "VALUES (?, 'Reading together', ?, 'mutual', 'Reluctant readers in Year 5', "
                "'More pupils reading for pleasure', 'Reading', 'cc_by', '2025-09-01', '2026-07-18', ?, ?, ?, "
                "'Start the book club in the autumn term.')",
            net, state, now, now, now if state == "closed" else None)
    pid = one(db, "SELECT MAX(id) FROM partnership")
    for urn, lead in schools:
        execute(db, "INSERT INTO partnership_school (partnership_id, urn, lead_person_id) VALUES (?, ?, ?)",
                pid, urn, lead)
    execute(db, "INSERT INTO reflection (partnership_id, worked, did_not_work, person_id, created_at) "
                "VALUES (?, 'Pupils choosing books together', 'Quokkaberry sessions clashed with clubs', ?, ?)",
            pid, schools[0][1], now)
    return pid


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("practice_partnership") / "p.db")
    r = run_cli("import-gias", "--db", db, DEMO)
    assert r.returncode == 0, r.stderr
    w = World()
    w.db = db
    w.ids = {}
    for key, email, name, urn, role in PEOPLE:
        w.ids[key] = add_user(db, email, name, urn, role)
    w.server = Server(db=db, env=QUIET)
    try:
        w.p = {k: Person(w.server, e) for k, e, _, _, _ in PEOPLE}
        w.p["anon"] = Person(w.server)
        w.net = create_network(w.p["coord"], "Partnership Network")
        location(w.p["coord"].post("/networks/%s/themes" % w.net, {"themes": "Reading\nOracy"}))
        for urn, lead in ((WEETWOOD, "lead_w"), (IRELAND_WOOD, "lead_i"), (LAWNSWOOD, "lead_l")):
            ask_and_accept(w.p["coord"], w.p[lead], w.net, urn)
        net = one(db, "SELECT id FROM network WHERE slug = ?", w.net)
        w.active = partnership(db, net, [(WEETWOOD, w.ids["lead_w"]), (IRELAND_WOOD, w.ids["lead_i"])], "active")
        w.closed = partnership(db, net, [(WEETWOOD, w.ids["lead_w"]), (LAWNSWOOD, w.ids["lead_l"])], "closed")
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def rows(db):
    """Everything visibility changes: a refused request must leave it as it was."""
    return {t: query(db, "SELECT * FROM %s ORDER BY 1" % t)
            for t in ("practice_idea", "practice_article", "practice_case", "practice_doc", "practice_public")}


def widen_to_partners(w, url, author="ta_w", lead="lead_w"):
    location(w.p[author].post(url + "/widen", {"to": "partnership"}))
    location(w.p[lead].post(url + "/approve"))


def post_idea(w, text, who="ta_w"):
    return location(w.p[who].post("/networks/%s/ideas" % w.net, {"text": text, "theme": "Reading"}))


def post_article(w, title, body, who="ta_w"):
    return location(w.p[who].post("/networks/%s/articles" % w.net, {"title": title, "body": body, "theme": "Reading"}))


CASE = {"challenge": "Pupils rarely spoke in full sentences in class.",
        "what_we_did": "Two-minute talk partners at the start of every lesson.",
        "did_not_work": "Random partners each week: pupils spent the time settling in.",
        "themes": ["Oracy"], "licence": "cc_by",
        "m_name_1": "Pupils answering in full sentences", "m_baseline_1": "30%", "m_result_1": "65%",
        "m_method_1": "Lesson observation"}


def write_case(w, title, who="ta_w"):
    return location(w.p[who].post("/networks/%s/cases" % w.net, dict(CASE, title=title)))


def search_hits(person, word):
    r = person.get("/practice/search?q=" + word, json=True)
    assert r.status_code == 200, r.text
    return r.json()["results"]


def mails(w):
    return dict(query(w.db, "SELECT to_addr, body FROM outbox WHERE subject = 'New shared practice this week' "
                            "ORDER BY to_addr"))


def run_digest(w):
    """A second server on the same store runs the weekly email job once as it starts; wait for its answer."""
    s = Server(db=w.db)
    try:
        deadline = time.time() + 30
        while one(w.db, "SELECT COUNT(*) FROM practice_digest WHERE last_sent_at IS NULL") and time.time() < deadline:
            time.sleep(0.2)
    finally:
        assert s.close() == 0, "".join(s.log[-40:])


def test_every_path_shows_a_partnership_item_to_its_school_and_partner_schools_only(w):
    for who in ("ta_w", "teacher_i", "teacher_l", "lead_v", "coord"):
        location(w.p[who].post("/practice/digest", {"on": "true"}))
    idea_text = "Quillwort reading corners: a basket of books by every door."
    idea = post_idea(w, idea_text)
    article = post_article(w, "Quillwort reading corners", "Baskets of **books** by every door.")
    article_id = int(article.rsplit("/", 1)[1])
    case = write_case(w, "Quillwort talk partners")
    r = w.p["ta_w"].s.post(w.p["ta_w"].url("/networks/%s/practice/article/%d/attachments" % (w.net, article_id)),
                           data={"csrf": w.p["ta_w"].csrf()}, files={"file": ("corners.pdf", PDF)},
                           headers={"Origin": w.server.url, "Accept": "application/json"}, allow_redirects=False)
    assert r.status_code in (201, 303), r.text
    download = w.p["ta_w"].get("/practice/article/%d" % article_id, json=True).json()["item"]["attachments"][0]["url"]
    for url in (idea, article, case):
        widen_to_partners(w, url)
    assert w.p["ta_w"].get(idea, json=True).json()["idea"]["visibility"] == "partnership"
    case_id = int(case.rsplit("/", 1)[1])
    run_digest(w)
    sent = mails(w)
    for who in EVERYONE:
        p = w.p[who]
        sees = who in SEES_PARTNERSHIP
        want = 200 if sees else 404
        # Each item's page and its JSON (people outside the network, and nobody signed in, get no further
        # than the network: 404 or a sign-in).
        for url, key in ((idea, "idea"), (article, "article"), (case, "case")):
            for as_json in (False, True):
                got = p.get(url, json=as_json).status_code
                assert got == want or (not sees and got in (302, 303, 401, 404)), (who, url, as_json, got)
            got = p.get(url + "/travelled", json=True).status_code
            assert got == want or (not sees and got in (302, 303, 401, 404)), (who, "travelled", got)
        # The boards and lists.
        for path, key, field, value in (("ideas", "ideas_this_week", "text", idea_text),
                                        ("articles", "articles", "title", "Quillwort reading corners"),
                                        ("cases", "cases", "title", "Quillwort talk partners")):
            r = p.get("/networks/%s/%s" % (w.net, path), json=True)
            listed = r.status_code == 200 and value in [i[field] for i in r.json()[key]]
            assert listed == sees, (who, path)
        # Search, and the public page of each item it links to.
        hits = search_hits(p, "quillwort")
        assert len(hits) == (3 if sees else 0), (who, hits)
        for kind, item in (("idea", int(idea.rsplit("/", 1)[1])), ("article", article_id), ("case", case_id)):
            got = p.get("/practice/%s/%d" % (kind, item), json=True).status_code
            assert got == want, (who, kind, got)
        # The attachment, the scrapbook of the term, the feed (public items only: not this one).
        assert p.get(download).status_code == want, (who, "download")
        scrap = p.get("/schools/%d/scrapbook" % WEETWOOD)
        assert ("Quillwort reading corners" in scrap.text) == sees, (who, "scrapbook")
        assert "Quillwort" not in p.get("/networks/%s/practice.atom" % w.net).text
    # The weekly email: to those who switched it on, only what they may see.
    assert "Quillwort" in sent["ta@w.test"] and "Quillwort" in sent["teacher@i.test"]
    for addr in ("teacher@l.test", "lead@v.test", "coord@p.test"):
        assert "Quillwort" not in sent.get(addr, ""), addr


def test_a_draft_case_study_is_seen_by_its_author_alone_on_every_path(w):
    loc = location(w.p["lead_w"].post("/partnerships/%d/case-study" % w.closed))
    url = loc[:-len("/edit")]
    case_id = int(url.rsplit("/", 1)[1])
    assert w.p["lead_w"].get(url, json=True).json()["case"]["draft"] is True
    assert one(w.db, "SELECT COUNT(*) FROM practice_doc WHERE kind = 'case' AND item_id = ?", case_id) == 0
    for who in EVERYONE:
        p = w.p[who]
        author = who == "lead_w"
        for as_json in (False, True):
            got = p.get(url, json=as_json).status_code
            assert got == 200 if author else got in (302, 303, 401, 404), (who, as_json, got)
        got = p.get(url + "/travelled", json=True).status_code
        assert got == 200 if author else got in (302, 303, 401, 404), (who, got)
        r = p.get("/networks/%s/cases" % w.net, json=True)
        listed = r.status_code == 200 and case_id in [c["id"] for c in r.json()["cases"]]
        assert listed == author, who
        assert search_hits(p, "quokkaberry") == [], who
        assert p.get("/practice/case/%d" % case_id, json=True).status_code == 404, who
        assert "Quokkaberry" not in p.get("/networks/%s/practice.atom" % w.net).text
    # A colleague, the school's other lead and the partner cannot widen, approve, try or attach to it.
    before = rows(w.db)
    for who in ("teacher_w", "lead2_w", "teacher_l", "lead_l"):
        for action in ("/widen", "/approve", "/tried"):
            assert w.p[who].post(url + action).status_code in (403, 404), (who, action)
    r = w.p["lead_w"].post(url + "/widen", {"to": "partnership"}, json=True)
    assert r.status_code == 400 and "draft" in r.text
    assert rows(w.db) == before
    # The weekly email does not list it, even to its author's colleagues.
    location(w.p["teacher_w"].post("/practice/digest", {"on": "true"}))
    execute(w.db, "UPDATE practice_digest SET last_sent_at = NULL")
    run_digest(w)
    for body in mails(w).values():
        assert "Quokkaberry" not in body and "Reading together" not in body
    # Finished, it is a school-only case study like any other, and search finds it for colleagues.
    form = {"title": "Reading together", "challenge": "Reluctant readers", "what_we_did": "A Quokkaberry club",
            "did_not_work": "Lunchtime sessions clashed with clubs", "themes": ["Reading"], "licence": "cc_by",
            "m_name_1": "Readers", "m_baseline_1": "35", "m_result_1": "57", "m_method_1": "Records"}
    location(w.p["lead_w"].post(url, form))
    assert w.p["teacher_w"].get(url).status_code == 200
    assert len(search_hits(w.p["teacher_w"], "quokkaberry")) == 1
    assert w.p["teacher_l"].get(url).status_code == 404


def test_the_author_offers_the_partner_schools_and_the_lead_sees_the_request(w):
    url = post_idea(w, "Marram grass timelines along the corridor.")
    j = w.p["ta_w"].get(url, json=True).json()["idea"]
    assert j["can_widen_partnership"] is True and j["can_widen_network"] is True
    page = w.p["ta_w"].get(url).text
    assert "Ask my lead to share it with our partner schools" in page and 'value="partnership"' in page
    assert "What each level means" in page
    assert w.p["teacher_w"].get(url, json=True).json()["idea"]["can_widen_partnership"] is False
    location(w.p["ta_w"].post(url + "/widen", {"to": "partnership"}))
    assert w.p["teacher_i"].get(url).status_code == 404
    mod = w.p["lead_w"].get("/networks/%s/ideas/moderation" % w.net, json=True).json()
    [item] = [i for i in mod["waiting"] if i["url"] == url]
    assert item["requested"] == "partnership" and item["requested_label"] == "the partner schools"
    html = w.p["lead_w"].get("/networks/%s/ideas/moderation" % w.net).text
    assert "Share with the partner schools" in html
    location(w.p["lead_w"].post(url + "/approve"))
    j = w.p["ta_w"].get(url, json=True).json()["idea"]
    assert j["visibility"] == "partnership" and j["can_widen_network"] is True
    assert j["can_widen_partnership"] is False and j["can_narrow_school"] is True
    # Then on to the network, approved again by the lead; and narrowed step by step by the author.
    location(w.p["ta_w"].post(url + "/widen", {"to": "network"}))
    assert w.p["teacher_l"].get(url).status_code == 404
    assert w.p["teacher_i"].get(url).status_code == 200
    location(w.p["lead2_w"].post(url + "/approve"))
    assert w.p["teacher_l"].get(url).status_code == 200
    location(w.p["ta_w"].post(url + "/narrow", {"to": "partnership"}))
    assert w.p["teacher_l"].get(url).status_code == 404
    assert w.p["teacher_i"].get(url).status_code == 200
    location(w.p["ta_w"].post(url + "/narrow"))
    assert w.p["teacher_i"].get(url).status_code == 404


def test_school_to_network_directly_still_works_and_a_refusal_keeps_the_level(w):
    url = post_idea(w, "Sundew spelling walls by the pegs.")
    location(w.p["ta_w"].post(url + "/widen"))
    location(w.p["lead_w"].post(url + "/approve"))
    assert w.p["teacher_l"].get(url).status_code == 200
    url = post_idea(w, "Bladderwort book swaps on Fridays.")
    widen_to_partners(w, url)
    location(w.p["ta_w"].post(url + "/widen", {"to": "network"}))
    location(w.p["lead_w"].post(url + "/refuse"))
    j = w.p["ta_w"].get(url, json=True).json()["idea"]
    assert j["visibility"] == "partnership" and j["widening_requested"] is False
    assert w.p["teacher_i"].get(url).status_code == 200 and w.p["teacher_l"].get(url).status_code == 404


def test_a_published_item_narrowed_to_the_partner_schools_leaves_the_public(w):
    url = post_article(w, "Pipewort phonics mats", "Mats on every table.")
    item = int(url.rsplit("/", 1)[1])
    location(w.p["ta_w"].post(url + "/widen"))
    location(w.p["lead_w"].post(url + "/approve"))
    location(w.p["coord"].post("/networks/%s/practice/article/%d/publish" % (w.net, item)))
    assert w.p["anon"].get("/practice/article/%d" % item).status_code == 200
    location(w.p["ta_w"].post(url + "/narrow", {"to": "partnership"}))
    assert w.p["anon"].get("/practice/article/%d" % item).status_code == 404
    assert w.p["teacher_l"].get("/practice/article/%d" % item).status_code == 404
    assert w.p["teacher_i"].get("/practice/article/%d" % item).status_code == 200
    assert one(w.db, "SELECT COUNT(*) FROM practice_public WHERE kind = 'article' AND item_id = ?", item) == 0
    # A coordinator cannot publish it from the partnership level.
    r = w.p["coord"].post("/networks/%s/practice/article/%d/publish" % (w.net, item), json=True)
    assert r.status_code in (403, 404)


def test_bad_widenings_are_refused_and_change_nothing(w):
    url = post_idea(w, "Butterwort book bags for the holidays.")
    own = post_idea(w, "Lead's own: reading ambassadors.", who="lead_w")
    case = write_case(w, "Butterwort case")
    before = rows(w.db)
    # Without approval: asking does not widen; nobody but the author asks; a partner's lead cannot approve.
    assert w.p["teacher_w"].post(url + "/widen", {"to": "partnership"}).status_code == 403
    assert w.p["lead_w"].post(url + "/approve").status_code == 403
    assert w.p["teacher_i"].post(url + "/widen", {"to": "partnership"}).status_code == 404
    r = w.p["ta_w"].post(url + "/widen", {"to": "everyone"}, json=True)
    assert r.status_code == 400
    r = w.p["ta_w"].post(url + "/narrow", {"to": "network"}, json=True)
    assert r.status_code == 400
    r = w.p["ta_w"].post(url + "/narrow", {"to": "school"}, json=True)
    assert r.status_code in (403, 409)
    assert rows(w.db) == before
    location(w.p["ta_w"].post(url + "/widen", {"to": "partnership"}))
    location(w.p["ta_w"].post(case + "/widen", {"to": "partnership"}))
    location(w.p["lead_w"].post(own + "/widen", {"to": "partnership"}))
    asked = rows(w.db)
    assert w.p["teacher_i"].get(url).status_code == 404
    r = w.p["ta_w"].post(url + "/widen", {"to": "network"}, json=True)
    assert r.status_code == 409 and "already asked" in r.text
    for who in ("lead_i", "teacher_i", "teacher_l", "lead_l", "lead_v", "coord", "ta_w"):
        for target in (url, case):
            assert w.p[who].post(target + "/approve").status_code in (403, 404), (who, target)
    assert w.p["lead_w"].post(own + "/approve").status_code == 403
    assert rows(w.db) == asked
    # A partner school's lead sees an item shared with the partner schools, but never approves its next step.
    shared = post_idea(w, "Butterwort partners' item.")
    widen_to_partners(w, shared)
    location(w.p["ta_w"].post(shared + "/widen", {"to": "network"}))
    asked = rows(w.db)
    assert w.p["lead_i"].get(shared).status_code == 200
    assert w.p["lead_i"].get(shared, json=True).json()["idea"]["can_decide"] is False
    assert w.p["lead_i"].post(shared + "/approve").status_code == 403
    assert w.p["lead_i"].post(shared + "/refuse").status_code == 403
    assert w.p["teacher_i"].post(shared + "/narrow").status_code == 403
    assert rows(w.db) == asked
    assert w.p["teacher_l"].get(shared).status_code == 404
    location(w.p["lead2_w"].post(own + "/approve"))
    assert w.p["teacher_i"].get(own).status_code == 200


def test_a_school_with_no_open_partnership_is_not_offered_the_partner_schools(w):
    url = post_idea(w, "Lawnswood's own idea: silent reading with music.", who="teacher_l")
    j = w.p["teacher_l"].get(url, json=True).json()["idea"]
    assert j["can_widen_partnership"] is False and j["can_widen_network"] is True
    assert "our partner schools" not in w.p["teacher_l"].get(url).text
    before = rows(w.db)
    r = w.p["teacher_l"].post(url + "/widen", {"to": "partnership"}, json=True)
    assert r.status_code == 400 and "partnership" in r.text
    assert rows(w.db) == before
