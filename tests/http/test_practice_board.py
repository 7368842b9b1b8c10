# SPDX-License-Identifier: AGPL-3.0-or-later
"""Shared practice (issue 14), the ideas board a page at a time, black-box:
100 ideas a member of staff of another school may see (five of them this
week) and 40 their colleagues' only, interleaved. The first page shows this
week's ideas first and the newest earlier ones, 30 in all; "Older ideas" and
"Newer ideas" links (in the page and as `next` and `prev` in the JSON) walk
every visible idea once, newest first, to a last page that gives the total;
a school's staffroom keeps its filter across pages; an idea the person may
not see never shows, fills no place on a page and counts for nothing; a
cursor that is not a number, not an idea, or an idea the person may not see
is a clear 400; an empty board says what to do next."""
import datetime
import re

import pytest

from support import IRELAND_WOOD, IVESON, WEETWOOD
from support import ask_and_accept, create_network, execute, location, one, person_id
from support.cast import practice_world


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    w = practice_world(str(tmp_path_factory.mktemp("board")), ["coord", "lead_w", "lead_i", "teacher_i"],
                       extra=[("staff_w", "staff@w.test", "Sal Staff", WEETWOOD, "staff"),
                              ("staff2_w", "staff2@w.test", "Sol Staff", WEETWOOD, "staff"),
                              ("mover", "mover@i.test", "Mo Mover", IRELAND_WOOD, "staff")],
                       network="Board Network")
    db = w.db
    try:
        net_id = one(db, "SELECT id FROM network WHERE slug = ?", w.net)
        theme = one(db, "SELECT id FROM network_theme WHERE network_id = ? AND name = 'Reading'", net_id)
        author = {WEETWOOD: person_id(db, "lead@w.test"), IRELAND_WOOD: person_id(db, "lead@i.test")}
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        monday = (now - datetime.timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0)
        # Newest first: five this week (after Monday 00:00 UTC, never in the future), then a day apart.
        step = min(datetime.timedelta(minutes=1), (now - monday) / 12)
        w.visible, w.hidden, rows = [], [], []
        for k in range(140):
            when = now - step * (k + 1) if k < 7 else monday - datetime.timedelta(hours=k)
            if k % 7 in (1, 4):  # Weetwood's colleagues only: 40 of them
                urn, vis, text = WEETWOOD, "school", "Hidden idea %d" % k
                w.hidden.append(text)
            else:
                urn = WEETWOOD if k % 5 else IRELAND_WOOD
                vis, text = "network", "Shared idea %d from %d" % (k, urn)
                w.visible.append((text, urn, when >= monday))
            rows.append((net_id, urn, author[urn], theme, text, vis, stamp(when)))
        for row in reversed(rows):  # oldest first, so ideas posted in the same second keep their order
            execute(db, "INSERT INTO practice_idea (network_id, urn, author_id, theme_id, body, visibility, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", *row)
        w.hidden_id = one(db, "SELECT id FROM practice_idea WHERE body = 'Hidden idea 1'")
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def board(w, who, path=None):
    r = w.p[who].get(path or "/networks/%s/ideas" % w.net, json=True)
    assert r.status_code == 200, r.text
    return r.json()


def texts(j):
    return [i["text"] for i in j["ideas_this_week"] + j["ideas_earlier"]]


def test_the_first_page_shows_this_weeks_ideas_first_then_the_newest_earlier_ones(w):
    j = board(w, "teacher_i")
    assert len(w.visible) == 100 and sum(1 for _, _, week in w.visible if week) == 5
    assert [i["text"] for i in j["ideas_this_week"]] == [t for t, _, week in w.visible if week]
    assert texts(j) == [t for t, _, _ in w.visible[:30]]
    assert (j["from"], j["to"], j["has_older"], j["has_newer"]) == (1, 30, True, False)
    assert j["prev"] is None and "total" not in j
    assert j["next"] == "/networks/%s/ideas?before=%d&from=31" % (w.net, j["before"])
    html = w.p["teacher_i"].get("/networks/%s/ideas" % w.net).text
    assert "Ideas 1–30, newest first." in html
    assert html.index("This week") < html.index("Earlier")
    assert 'rel="next">Older ideas</a>' in html and "Newer ideas" not in html
    assert "Hidden idea" not in html


def test_older_links_walk_every_visible_idea_once_to_a_last_page_with_the_total(w):
    j, seen, pages = board(w, "teacher_i"), [], 0
    while True:
        pages += 1
        seen += texts(j)
        assert not any(t.startswith("Hidden") for t in texts(j))
        if not j["next"]:
            break
        assert len(texts(j)) == 30, "a page before the last is full"
        j = board(w, "teacher_i", j["next"])
    assert pages == 4
    assert seen == [t for t, _, _ in w.visible]
    assert (j["from"], j["to"], j["total"], j["has_older"], j["has_newer"]) == (91, 100, 100, False, True)
    html = w.p["teacher_i"].get(j["prev"]).text
    assert "Ideas 61–90" in html


def test_newer_links_go_back_to_the_same_pages_and_to_a_full_first_page(w):
    first = board(w, "teacher_i")
    second = board(w, "teacher_i", first["next"])
    third = board(w, "teacher_i", second["next"])
    back = board(w, "teacher_i", third["prev"])
    assert texts(back) == texts(second) and (back["from"], back["to"]) == (31, 60)
    top = board(w, "teacher_i", back["prev"])
    assert texts(top) == texts(first) and top["prev"] is None and top["from"] == 1
    html = w.p["teacher_i"].get(second["next"]).text
    assert 'rel="prev">Newer ideas</a>' in html and 'rel="next">Older ideas</a>' in html
    assert "The newest ideas" in html


def test_a_schools_staffroom_keeps_its_filter_across_pages(w):
    path = "/networks/%s/ideas?urn=%d" % (w.net, WEETWOOD)
    j, seen = board(w, "teacher_i", path), []
    while True:
        seen += texts(j)
        assert all(i["urn"] == WEETWOOD for i in j["ideas_this_week"] + j["ideas_earlier"])
        if not j["next"]:
            break
        assert "urn=%d" % WEETWOOD in j["next"]
        j = board(w, "teacher_i", j["next"])
    assert seen == [t for t, urn, _ in w.visible if urn == WEETWOOD]
    assert j["total"] == len(seen) == 80
    assert "urn=%d" % WEETWOOD in j["prev"]
    html = w.p["teacher_i"].get(path).text
    assert re.search(r'href="[^"]*urn=%d&amp;before=\d+&amp;from=31"' % WEETWOOD, html)


def test_colleagues_see_their_schools_ideas_on_the_pages_too(w):
    j, seen = board(w, "lead_w"), []
    while True:
        seen += texts(j)
        if not j["next"]:
            break
        j = board(w, "lead_w", j["next"])
    assert len(seen) == 140 and set(w.hidden) <= set(seen)
    assert j["total"] == 140


@pytest.mark.parametrize("query,words", [
    ("before=abc", "Older ideas"),
    ("before=0", "Older ideas"),
    ("after=-3", "Newer ideas"),
    ("from=x&before=5", "Position"),
    ("before=99999999", "start again from the newest ideas"),
    ("before=5&after=6", "not both"),
])
def test_a_bad_cursor_is_a_clear_400(w, query, words):
    r = w.p["teacher_i"].get("/networks/%s/ideas?%s" % (w.net, query))
    assert r.status_code == 400, r.text
    assert words in r.text
    r = w.p["teacher_i"].get("/networks/%s/ideas?%s" % (w.net, query), json=True)
    assert r.status_code == 400 and words in r.text


def test_an_idea_the_person_may_not_see_is_no_cursor_for_them(w):
    for cursor in ("before", "after"):
        r = w.p["teacher_i"].get("/networks/%s/ideas?%s=%d" % (w.net, cursor, w.hidden_id))
        assert r.status_code == 400 and "start again from the newest ideas" in r.text
        assert "Hidden idea" not in r.text
    assert w.p["lead_w"].get("/networks/%s/ideas?before=%d" % (w.net, w.hidden_id)).status_code == 200


def test_an_empty_board_says_what_to_do_next(w):
    j = board(w, "teacher_i", "/networks/%s/ideas?urn=%d" % (w.net, IVESON))
    assert j["empty"] is True and texts(j) == [] and j["next"] is None and j["prev"] is None
    html = w.p["teacher_i"].get("/networks/%s/ideas?urn=%d" % (w.net, IVESON)).text
    assert "No ideas here yet" in html and "See every idea on the network" in html
    net = create_network(w.p["coord"], "Quiet Network")
    ask_and_accept(w.p["coord"], w.p["lead_i"], net, IRELAND_WOOD)
    html = w.p["teacher_i"].get("/networks/%s/ideas" % net).text
    assert "No ideas here yet" in html and "Be the first" in html and "Older ideas" not in html


def reaction_line(html, text, label):
    """The reaction line `label` of the idea whose text is `text`, as the board's HTML shows it."""
    card = html[html.index(text):]
    card = card[:card.index("</article>")]
    return re.search(r"<li>%s: (\d+)(.*?)</li>" % re.escape(label), card, re.S).groups()


def test_a_kept_board_page_shows_a_reaction_at_once_and_marks_it_for_its_author_only(w):
    text = w.visible[2][0]
    path = "/networks/%s/ideas" % w.net
    before = int(reaction_line(w.p["lead_w"].get(path).text, text, "Thanks")[0])
    html = w.p["teacher_i"].get(path).text  # read (and kept) before the reaction
    count, rest = reaction_line(html, text, "Thanks")
    assert int(count) == before and "(you said this)" not in rest
    # The button submits the page's one reaction form, which carries the token; the ideas carry none.
    button = re.search(r'<button type="submit" form="idea-react" formaction="([^"]+)" name="kind" '
                       r'value="thanks">Thanks</button>', rest)
    assert button and html.count('name="csrf"') == 3  # the reaction form, sharing an idea, signing out
    location(w.p["teacher_i"].post(button.group(1), {"kind": "thanks"}))
    count, rest = reaction_line(w.p["teacher_i"].get(path).text, text, "Thanks")
    assert int(count) == before + 1 and "(you said this)" in rest
    count, rest = reaction_line(w.p["lead_w"].get(path).text, text, "Thanks")
    assert int(count) == before + 1 and "(you said this)" not in rest and 'value="thanks"' in rest


def test_a_kept_board_page_is_never_another_persons(w):
    # The same address read in turn by a colleague (who sees the school's own ideas) and an outsider.
    for path in ("/networks/%s/ideas" % w.net, "/networks/%s/ideas?urn=%d" % (w.net, WEETWOOD)):
        for _ in range(2):
            colleague = w.p["lead_w"].get(path).text
            outsider = w.p["teacher_i"].get(path).text
            assert "Hidden idea" in colleague and "Hidden idea" not in outsider
            assert "Ted Teacher" not in colleague and "Ted Teacher" in outsider.split("<main", 1)[0]


def test_a_new_idea_shows_on_a_kept_board_page_at_once(w):
    net = create_network(w.p["coord"], "Busy Network")
    location(w.p["coord"].post("/networks/%s/themes" % net, {"themes": "Reading"}))
    ask_and_accept(w.p["coord"], w.p["lead_i"], net, IRELAND_WOOD)
    path = "/networks/%s/ideas" % net
    assert "No ideas here yet" in w.p["teacher_i"].get(path).text
    location(w.p["teacher_i"].post(path, {"text": "Exit tickets on sticky notes.", "theme": "Reading"}))
    html = w.p["teacher_i"].get(path).text
    assert "Exit tickets on sticky notes." in html and "No ideas here yet" not in html


def test_colleagues_with_the_same_view_each_see_their_own_reactions_marked(w):
    text, path = w.visible[3][0], "/networks/%s/ideas" % w.net
    for who in ("staff_w", "staff2_w"):  # the same view: one kept page serves both
        assert "(you said this)" not in reaction_line(w.p[who].get(path).text, text, "Tried it")[1]
    html = w.p["staff_w"].get(path).text
    before = int(reaction_line(html, text, "Tried it")[0])
    idea = re.search(r'<button type="submit" form="idea-react" formaction="([^"]+)" name="kind" value="tried">',
                     html[html.index(text):]).group(1)
    location(w.p["staff_w"].post(idea, {"kind": "tried"}))
    for _ in range(2):
        count, rest = reaction_line(w.p["staff2_w"].get(path).text, text, "Tried it")
        assert int(count) == before + 1 and "(you said this)" not in rest and 'value="tried"' in rest
        count, rest = reaction_line(w.p["staff_w"].get(path).text, text, "Tried it")
        assert int(count) == before + 1 and "(you said this)" in rest and 'value="tried"' not in rest


def test_an_idea_a_person_wrote_at_their_old_school_is_on_their_board_only(w):
    # Mo wrote an idea at Weetwood, kept within Weetwood, and is now at Ireland Wood, like Ted.
    net = create_network(w.p["coord"], "Movers Network")
    location(w.p["coord"].post("/networks/%s/themes" % net, {"themes": "Reading"}))
    for urn, lead in ((WEETWOOD, "lead_w"), (IRELAND_WOOD, "lead_i")):
        ask_and_accept(w.p["coord"], w.p[lead], net, urn)
    net_id = one(w.db, "SELECT id FROM network WHERE slug = ?", net)
    theme = one(w.db, "SELECT id FROM network_theme WHERE network_id = ?", net_id)
    execute(w.db, "INSERT INTO practice_idea (network_id, urn, author_id, theme_id, body, visibility, created_at) "
            "VALUES (?, ?, ?, ?, 'Written at Weetwood before the move.', 'school', ?)", net_id, WEETWOOD,
            person_id(w.db, "mover@i.test"), theme, stamp(datetime.datetime.now(datetime.timezone.utc)))
    path = "/networks/%s/ideas" % net
    for _ in range(2):
        assert "Written at Weetwood before the move." not in w.p["teacher_i"].get(path).text
        assert "Written at Weetwood before the move." in w.p["mover"].get(path).text
        assert "Written at Weetwood before the move." in w.p["lead_w"].get(path).text
        assert "Written at Weetwood before the move." not in w.p["teacher_i"].get(path).text


def test_the_networks_menu_is_the_same_on_its_practice_programme_and_broker_pages_as_on_its_home(w):
    def menu(who, path):
        html = w.p[who].get(path).text
        nav = html[html.index('<nav class="subnav" aria-label="Network">'):]
        return re.findall(r'<a href="([^"]+)">', nav[:nav.index("</nav>")])
    for who in ("coord", "lead_w", "teacher_i"):
        home = menu(who, "/networks/%s" % w.net)
        for page in ("ideas", "articles", "cases", "questions", "programme") + (("broker",) if who == "coord" else ()):
            assert menu(who, "/networks/%s/%s" % (w.net, page)) == home, (who, page)
    assert "/networks/%s/broker" % w.net in menu("coord", "/networks/%s/ideas" % w.net)
    assert "/networks/%s/broker" % w.net not in menu("teacher_i", "/networks/%s/ideas" % w.net)
