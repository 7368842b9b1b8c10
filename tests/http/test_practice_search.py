# SPDX-License-Identifier: AGPL-3.0-or-later
"""Shared practice search (issue 14, item 8) and the public step of
visibility, black-box: every result passes the one visibility check (an item
hidden from the viewer is never listed, counted or quoted: not to another
school, not to a signed-out visitor); words match as prefixes with accents
and case ignored; the filters (kind, theme, phase, school, dates) narrow the
results; snippets mark the matched words and escape everything else; a
coordinator publishes an item the network sees and then anyone finds it
without signing in, until its author narrows it again. The same assertions
run on SQLite and on PostgreSQL (tests/run and pgrun.py), so both stores
give the same results."""
import pytest

from support import IRELAND_WOOD, WEETWOOD
from support import Person, add_user, create_network, location, one, query
from support.cast import practice_world


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    w = practice_world(str(tmp_path_factory.mktemp("practice_search")),
                       ["coord", "lead_w", "ta_w", "lead_i", "teacher_i", "lead_v"],
                       network="Search Network", themes="Reading\nOracy")
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def post_idea(w, who, text, theme="Reading"):
    loc = location(w.p[who].post("/networks/%s/ideas" % w.net, {"text": text, "theme": theme}))
    return loc


def post_article(w, who, title, body, theme="Reading"):
    return location(w.p[who].post("/networks/%s/articles" % w.net, {"title": title, "body": body, "theme": theme}))


def share(w, url, author, lead):
    location(w.p[author].post(url + "/widen"))
    location(w.p[lead].post(url + "/approve"))


def search(person, **params):
    qs = "&".join("%s=%s" % (k, v) for k, v in params.items())
    r = person.get("/practice/search?" + qs, json=True)
    assert r.status_code == 200, r.text
    return r.json()


def titles(person, **params):
    return [r["title"] for r in search(person, **params)["results"]]


def test_a_school_only_idea_is_found_by_colleagues_and_by_nobody_else(w):
    text = "Zebrafish tanks as a calm corner for reading aloud."
    post_idea(w, "ta_w", text)
    for who in ("ta_w", "lead_w"):
        j = search(w.p[who], q="zebrafish")
        assert [r["title"] for r in j["results"]] == [text] and j["total"] == 1
    for person in (w.p["teacher_i"], w.p["lead_i"], w.p["lead_v"], w.p["coord"], w.anon):
        j = search(person, q="zebrafish")
        assert j["results"] == [] and j["total"] == 0
        assert text not in person.get("/practice/search?q=zebrafish").text
        assert text not in str(search(person))


def test_a_network_item_is_found_across_the_network_but_not_outside_it(w):
    text = "Quokka questions: pupils ask three before they ask me."
    url = post_idea(w, "ta_w", text, theme="Oracy")
    assert titles(w.p["teacher_i"], q="quokka") == []
    share(w, url, "ta_w", "lead_w")
    for who in ("teacher_i", "lead_i", "coord", "ta_w"):
        assert titles(w.p[who], q="quokka") == [text]
    for person in (w.p["lead_v"], w.anon):
        assert titles(person, q="quokka") == []
    r = search(w.p["teacher_i"], q="quokka")["results"][0]
    assert r["url"] == url and r["visibility"] == "network" and r["themes"] == ["Oracy"]


def test_words_match_as_prefixes_with_accents_and_case_ignored(w):
    text = "Le café littéraire: pupils recommend books over hot chocolate."
    post_idea(w, "ta_w", text)
    for q in ("cafe", "CAFÉ", "caf", "litter+cafe", "chocolat", "Café+LITTÉRAIRE"):
        assert titles(w.p["lead_w"], q=q) == [text], q
    assert titles(w.p["lead_w"], q="cafe+nowhere") == []


def test_filters_narrow_by_kind_theme_phase_school_and_date(w):
    idea = "Walrus warm-up: one minute of talk before writing."
    post_idea(w, "ta_w", idea, theme="Oracy")
    post_article(w, "lead_w", "Walrus writing week", "We tried **walrus** prompts every morning.")
    post_idea(w, "lead_i", "Walrus word wall in every classroom.")
    assert sorted(titles(w.p["lead_w"], q="walrus")) == ["Walrus warm-up: one minute of talk before writing.",
                                                        "Walrus writing week"]
    assert titles(w.p["lead_w"], q="walrus", kind="article") == ["Walrus writing week"]
    assert titles(w.p["lead_w"], q="walrus", kind="idea") == [idea]
    assert titles(w.p["lead_w"], q="walrus", theme="Oracy") == [idea]
    assert titles(w.p["lead_w"], q="walrus", theme="Numeracy") == []
    phase = one(w.db, "SELECT phase_group FROM school WHERE urn = %d" % WEETWOOD)
    other = "secondary" if phase != "secondary" else "primary"
    assert len(titles(w.p["lead_w"], q="walrus", phase=phase)) == 2
    assert titles(w.p["lead_w"], q="walrus", phase=other) == []
    assert len(titles(w.p["lead_w"], q="walrus", urn=WEETWOOD)) == 2
    assert titles(w.p["lead_w"], q="walrus", urn=IRELAND_WOOD) == []
    assert len(titles(w.p["lead_w"], q="walrus", **{"from": "1/1/2020", "to": "31/12/2099"})) == 2
    assert titles(w.p["lead_w"], q="walrus", **{"from": "1/1/2099"}) == []
    assert titles(w.p["lead_w"], q="walrus", to="1/1/2020") == []
    # Filters without words list everything the viewer may see that passes them.
    assert titles(w.p["lead_w"], kind="article", urn=WEETWOOD) == ["Walrus writing week"]


def test_snippets_mark_the_matched_words_and_escape_everything_else(w):
    text = "Marmalade <script>alert(1)</script> & toast for a breakfast reading club."
    post_idea(w, "ta_w", text)
    r = search(w.p["lead_w"], q="marmalade")["results"][0]
    assert {"text": "Marmalade", "mark": True} in r["snippet"]
    quoted = "".join(p["text"] for p in r["snippet"])
    assert quoted.startswith("Marmalade") and "toast" in quoted, quoted
    html = w.p["lead_w"].get("/practice/search?q=marmalade").text
    assert "<mark>Marmalade</mark>" in html and "<script>alert" not in html
    # SQLite quotes the tag as typed and PostgreSQL's headline keeps it too: escaped either way.
    if "<script>" in quoted:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = w.p["lead_w"].get("/practice/search?q=%3Cscript%3E").text
    assert "<script>alert" not in page


def test_a_coordinator_publishes_and_then_anyone_finds_it_until_the_author_narrows_it(w):
    title = "Narwhal news: a class newspaper in a week"
    url = post_article(w, "ta_w", title, "Each pupil wrote one *narwhal* story; the [template](https://example.org/t).")
    kind_id = url.rsplit("/", 1)[1]
    publish = "/networks/%s/practice/article/%s/publish" % (w.net, kind_id)
    public = "/practice/article/%s" % kind_id
    assert w.anon.get(public).status_code == 404
    # The coordinator cannot see a school-only item, so cannot publish it.
    assert w.p["coord"].post(publish).status_code == 404
    share(w, url, "ta_w", "lead_w")
    before = query(w.db, "SELECT * FROM practice_public")
    r = w.p["ta_w"].post(publish)
    assert r.status_code == 403 and "coordinator" in r.text
    assert w.p["lead_i"].post(publish).status_code == 403
    assert w.p["lead_v"].post(publish).status_code == 404
    assert query(w.db, "SELECT * FROM practice_public") == before
    ready = w.p["coord"].get("/networks/%s/practice/publishing" % w.net, json=True).json()
    assert title in [i["title"] for i in ready["ready"]]
    assert w.p["ta_w"].get("/networks/%s/practice/publishing" % w.net).status_code == 403
    location(w.p["coord"].post(publish))
    r = w.p["coord"].post(publish)
    assert r.status_code == 409 and "public already" in r.text
    assert titles(w.anon, q="narwhal") == [title]
    assert titles(w.p["lead_v"], q="narwhal") == [title]
    assert search(w.anon, q="narwhal")["results"][0]["url"] == public
    page = w.anon.get(public)
    assert page.status_code == 200 and title in page.text and '<a href="https://example.org/t">' in page.text
    assert w.anon.get(public, json=True).json()["item"]["is_public"] is True
    # The author narrows it: gone from the public, and widening again needs a coordinator again.
    location(w.p["ta_w"].post(url + "/narrow"))
    assert titles(w.anon, q="narwhal") == [] and w.anon.get(public).status_code == 404
    share(w, url, "ta_w", "lead_w")
    assert titles(w.anon, q="narwhal") == [] and w.anon.get(public).status_code == 404
    assert titles(w.p["teacher_i"], q="narwhal") == [title]


def test_the_author_or_a_coordinator_can_take_an_item_back_from_the_public(w):
    url = post_idea(w, "ta_w", "Pangolin pairs: older readers with younger ones.")
    share(w, url, "ta_w", "lead_w")
    iid = url.rsplit("/", 1)[1]
    base = "/networks/%s/practice/idea/%s" % (w.net, iid)
    r = w.p["coord"].post(base + "/unpublish")
    assert r.status_code == 409 and "not public" in r.text
    location(w.p["coord"].post(base + "/publish"))
    assert w.p["teacher_i"].post(base + "/unpublish").status_code == 403
    assert titles(w.anon, q="pangolin") != []
    location(w.p["ta_w"].post(base + "/unpublish"))
    assert titles(w.anon, q="pangolin") == []
    assert titles(w.p["teacher_i"], q="pangolin") != []


@pytest.mark.parametrize("params,field,message", [
    ("from=6/12/2026&to=1/12/2026", "to", "on or after"),
    ("q=%21%21%21", "q", "letters or numbers"),
    ("kind=poem", "kind", None),
    ("phase=upper", "phase", None),
    ("page=0", "page", None),
    ("from=31/02/2026", "from", None),
    ("q=" + "a" * 201, "q", None),
])
def test_bad_search_input_gets_a_400_with_a_message(w, params, field, message):
    r = w.p["lead_w"].get("/practice/search?" + params, json=True)
    assert r.status_code == 400, r.text
    body = r.json()
    text = str(body)
    assert field in text
    if message:
        assert message in text
    html = w.p["lead_w"].get("/practice/search?" + params)
    assert html.status_code == 400 and "error-message" in html.text


def test_an_unknown_kind_or_item_is_not_found(w):
    assert w.anon.get("/practice/poem/1").status_code == 404
    assert w.anon.get("/practice/idea/999999").status_code == 404


def test_a_case_study_is_found_by_what_did_not_work_as_its_visibility_allows(w):
    case = {"title": "Capybara clubs at lunchtime", "challenge": "Quiet pupils rarely spoke in class.",
            "what_we_did": "Lunchtime talk clubs with a puppet.",
            "did_not_work": "Mixing year groups: the younger pupils stopped talking.",
            "differently": "", "time_cost": "", "contact": "Tia Assistant", "themes": ["Oracy"], "licence": "cc_by",
            "m_name_1": "Pupils who speak in class", "m_baseline_1": "20%", "m_result_1": "45%",
            "m_method_1": "Observation"}
    url = location(w.p["ta_w"].post("/networks/%s/cases" % w.net, case))
    assert titles(w.p["lead_w"], q="capybara") == ["Capybara clubs at lunchtime"]
    assert titles(w.p["lead_w"], q="younger stopped", kind="case") == ["Capybara clubs at lunchtime"]
    r = search(w.p["lead_w"], q="capybara")["results"][0]
    assert r["kind"] == "case" and r["url"] == url and r["themes"] == ["Oracy"]
    for person in (w.p["teacher_i"], w.p["lead_v"], w.anon):
        assert titles(person, q="capybara") == []
    share(w, url, "ta_w", "lead_w")
    assert titles(w.p["teacher_i"], q="capybara") == ["Capybara clubs at lunchtime"]
    assert titles(w.anon, q="capybara") == []
    location(w.p["ta_w"].post(url + "/narrow"))
    assert titles(w.p["teacher_i"], q="capybara") == []


def test_a_brand_new_account_cannot_reach_a_school_s_practice_by_starting_a_network(w):
    """The chain of allowed steps a newcomer has: make an account, start a network, ask a school
    to join, then try to publish or find that school's practice. The school has not agreed, so
    none of it works: publishing through either network is refused and search finds nothing."""
    text = "Quokka cards for retrieval practice in science."
    url = post_idea(w, "ta_w", text)
    share(w, url, "ta_w", "lead_w")
    idea = int(url.rsplit("/", 1)[1])
    add_user(w.db, "new@n.test", "Nia Newcomer")
    new = Person(w.server, "new@n.test")
    theirs = create_network(new, "Newcomer Network")
    location(new.post("/networks/%s/schools" % theirs, {"urn": WEETWOOD}))  # asked, not agreed
    before = query(w.db, "SELECT * FROM practice_public ORDER BY 1")
    for net in (theirs, w.net):
        r = new.post("/networks/%s/practice/idea/%d/publish" % (net, idea))
        assert r.status_code in (403, 404), (net, r.status_code)
    assert query(w.db, "SELECT * FROM practice_public ORDER BY 1") == before
    assert new.get("/networks/%s/ideas/%d" % (w.net, idea)).status_code in (403, 404)
    assert text not in [r["title"] for r in search(new, q="quokka")["results"]]
    assert search(new, q="quokka")["results"] == []
    assert search(w.anon, q="quokka")["results"] == []


def test_a_theme_filter_takes_the_whole_theme_name_whatever_its_words_and_signs(w):
    # Last in the file: its items (Weetwood's, an article among them) would change other tests' lists.
    from urllib.parse import quote
    location(w.p["coord"].post("/networks/%s/themes" % w.net,
                               {"themes": 'Reading\nOracy\nEarly reading\nTalk & "drama" time'}))
    plain = "Axolotl notes: a reading log that pupils keep."
    early = "Axolotl nursery: sharing picture books at home."
    talk = "Axolotl news: a two-minute role play before writing."
    post_idea(w, "ta_w", plain, theme="Reading")
    post_idea(w, "ta_w", early, theme="Early reading")
    post_idea(w, "ta_w", talk, theme='Talk & "drama" time')
    post_article(w, "ta_w", "Axolotl stories in the early years", "Stories we read aloud.", theme="Early reading")
    lead = w.p["lead_w"]
    assert titles(lead, q="axolotl", theme="Reading") == [plain]
    assert titles(lead, q="axolotl", theme=quote("Early reading")) == ["Axolotl stories in the early years", early]
    assert titles(lead, q="axolotl", theme=quote('Talk & "drama" time')) == [talk]
    assert titles(lead, q="axolotl", theme=quote("Talk")) == []
    assert titles(lead, q="axolotl", theme=quote("reading Early")) == []
    assert titles(lead, q="axolotl", kind="idea", theme=quote("Early reading")) == [early]
    assert titles(lead, q="axolotl", kind="article", theme="Reading") == []
    # With no words: the filters alone, newest first.
    assert titles(lead, kind="article", theme=quote("Early reading")) == ["Axolotl stories in the early years"]
    assert titles(lead, theme=quote('Talk & "drama" time')) == [talk]
