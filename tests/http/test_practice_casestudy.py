# SPDX-License-Identifier: AGPL-3.0-or-later
"""Case studies and "we tried this" (issue 14, items 3 and 7), black-box: a
member of staff writes a case study with the school's context from the
register and several measures of impact, seen by colleagues only until
their lead approves sharing it with the network; "Add another measure"
keeps everything typed; a closed partnership becomes a draft case study in
one click; a teacher at another school says they are trying it, is asked
by email after the network's weeks how it went, and answers; the author
sees where it travelled, with a map. Every bad input (no "what did not
work", over-long text, a Unique Pupil Number, no measure, trying one's own
school's item, trying twice, reading a case study its visibility excludes
by page or JSON) is refused with a clear 4xx and changes nothing."""
import re

import pytest

from tandem_server import Server
from support import IRELAND_WOOD, WEETWOOD
from support import Person, execute, location, one, query
from support.cast import practice_world

WEEKS = 4


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    w = practice_world(str(tmp_path_factory.mktemp("cases")),
                       ["coord", "lead_w", "lead2_w", "ta_w", "lead_i", "teacher_i", "lead_v"], network="Case Network")
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def rows(db):
    """Everything case studies and tries hold: a refused request must leave it as it was."""
    return {t: query(db, "SELECT * FROM %s ORDER BY 1, 2" % t)
            for t in ("practice_case", "practice_case_measure", "practice_tried", "practice_tried_settings")}


CASE = {"title": "Talk partners in Year 4", "challenge": "Pupils rarely spoke in full sentences in class.",
        "what_we_did": "Two-minute talk partners at the start of every lesson, with sentence stems.",
        "did_not_work": "Random partners each week: pupils spent the time settling in, not talking.",
        "differently": "Keep partners for a half term.", "time_cost": "Two staff meetings; no cost.",
        "contact": "Tia Assistant, Weetwood", "themes": ["Oracy"], "licence": "cc_by",
        "m_name_1": "Pupils answering in full sentences", "m_baseline_1": "30%", "m_result_1": "65%",
        "m_method_1": "Lesson observation, 3 lessons a week",
        "m_name_2": "Pupils who say they like speaking in class", "m_baseline_2": "41%", "m_result_2": "58%",
        "m_method_2": "Pupil voice survey"}


def cases_url(w, rest=""):
    return "/networks/%s/cases%s" % (w.net, rest)


def write_case(w, who="ta_w", extra=None):
    data = dict(CASE, **(extra or {}))
    loc = location(w.p[who].post(cases_url(w), data))
    assert re.fullmatch(r"/networks/%s/cases/\d+" % w.net, loc), loc
    return loc


def shared(w, who="ta_w", lead="lead_w", extra=None):
    """A case study shared with the network (the author asks, the lead approves)."""
    url = write_case(w, who, extra)
    location(w.p[who].post(url + "/widen"))
    location(w.p[lead].post(url + "/approve"))
    return url


def test_a_case_study_holds_its_measures_and_the_school_context_from_the_register(w):
    url = write_case(w)
    r = w.p["ta_w"].get(url, json=True)
    assert r.status_code == 200, r.text
    case = r.json()["case"]
    assert case["context"]["phase"] == "Primary"
    assert case["context"]["pupils"] == one(w.db, "SELECT pupils FROM school WHERE urn = ?", WEETWOOD)
    assert case["context"]["fsm"].endswith("%")
    assert [(m["name"], m["baseline"], m["result"]) for m in case["measures"]] == [
        ("Pupils answering in full sentences", "30%", "65%"),
        ("Pupils who say they like speaking in class", "41%", "58%")]
    assert case["did_not_work"] == CASE["did_not_work"]
    assert case["licence"] == "cc_by" and case["licence_label"] == "CC BY 4.0"
    assert case["themes"] == ["Oracy"] and case["draft"] is False
    html = w.p["ta_w"].get(url).text
    assert "What did not work" in html and "Random partners each week" in html
    assert "data-label=\"Measure\">Pupils answering in full sentences</th>" in html


def test_a_new_case_study_is_seen_by_colleagues_only_by_list_page_and_json(w):
    url = write_case(w, extra={"title": "Colleagues only"})
    for who in ("ta_w", "lead_w"):
        assert w.p[who].get(url).status_code == 200
        titles = [c["title"] for c in w.p[who].get(cases_url(w), json=True).json()["cases"]]
        assert "Colleagues only" in titles
    for who in ("teacher_i", "lead_i", "coord"):
        assert w.p[who].get(url).status_code == 404
        assert w.p[who].get(url, json=True).status_code == 404
        assert w.p[who].get(url + "/travelled", json=True).status_code == 404
        titles = [c["title"] for c in w.p[who].get(cases_url(w), json=True).json()["cases"]]
        assert "Colleagues only" not in titles
    assert w.p["lead_v"].get(url).status_code == 404
    assert w.p["lead_v"].get(url, json=True).status_code == 404
    assert w.p["lead_v"].get(cases_url(w)).status_code == 404
    anon = Person(w.server)
    assert anon.get(url, json=True).status_code in (401, 404)


def test_sharing_needs_the_lead_and_the_author_can_narrow_it_again(w):
    url = write_case(w, extra={"title": "Widened and narrowed"})
    before = rows(w.db)
    assert w.p["teacher_i"].post(url + "/widen").status_code == 404
    assert w.p["lead_w"].post(url + "/widen").status_code == 403
    assert w.p["lead_w"].post(url + "/approve").status_code == 403
    assert rows(w.db) == before
    location(w.p["ta_w"].post(url + "/widen"))
    r = w.p["ta_w"].post(url + "/widen", json=True)
    assert r.status_code == 409 and "already asked" in r.text
    assert w.p["teacher_i"].get(url).status_code == 404
    mod = w.p["lead_w"].get("/networks/%s/ideas/moderation" % w.net, json=True).json()
    assert "Widened and narrowed" in [i.get("title") for i in mod["waiting"]]
    mod = w.p["lead_i"].get("/networks/%s/ideas/moderation" % w.net, json=True).json()
    assert "Widened and narrowed" not in [i.get("title") for i in mod["waiting"]]
    assert w.p["lead_i"].post(url + "/approve").status_code == 404
    location(w.p["lead_w"].post(url + "/approve"))
    assert w.p["teacher_i"].get(url, json=True).json()["case"]["visibility"] == "network"
    assert w.p["coord"].get(url).status_code == 200
    assert w.p["lead_v"].get(url, json=True).status_code == 404
    location(w.p["ta_w"].post(url + "/narrow"))
    assert w.p["teacher_i"].get(url, json=True).status_code == 404


def test_a_lead_cannot_approve_their_own_case_study(w):
    url = write_case(w, "lead_w", {"title": "The lead's own"})
    location(w.p["lead_w"].post(url + "/widen"))
    before = rows(w.db)
    assert w.p["lead_w"].post(url + "/approve").status_code == 403
    assert rows(w.db) == before
    location(w.p["lead2_w"].post(url + "/approve"))
    assert w.p["teacher_i"].get(url).status_code == 200


@pytest.mark.parametrize("change,field,words", [
    ({"did_not_work": ""}, "did_not_work", "did not work"),
    ({"challenge": "x" * 4001}, "challenge", "4000"),
    ({"did_not_work": "é" * 4001}, "did_not_work", "4000"),
    ({"title": "t" * 121}, "title", "120"),
    ({"title": ""}, "title", "title"),
    ({"what_we_did": "Worked with K801200001001 at lunch."}, "what_we_did", "Unique Pupil Number"),
    ({"m_result_2": "Pupil A123456789012 rose"}, "m_result_2", "Unique Pupil Number"),
    ({"m_name_1": "", "m_baseline_1": "", "m_result_1": "", "m_method_1": "",
      "m_name_2": "", "m_baseline_2": "", "m_result_2": "", "m_method_2": ""}, "measures", "at least one measure"),
    ({"m_name_2": ""}, "m_name_2", "measure"),
    ({"m_method_1": "m" * 401}, "m_method_1", "400"),
    ({"themes": ["Knitting"]}, "themes", "themes"),
    ({"themes": []}, "themes", "theme"),
    ({"licence": "all_rights_reserved"}, "licence", "icence"),
])
def test_a_bad_case_study_is_refused_with_the_field_named_and_nothing_stored(w, change, field, words):
    data = dict(CASE, **change)
    before = rows(w.db)
    r = w.p["ta_w"].post(cases_url(w), data, json=True)
    assert r.status_code == 400, r.text
    assert field in r.json()["errors"], r.text
    assert words in r.json()["errors"][field], r.text
    r = w.p["ta_w"].post(cases_url(w), data)
    assert r.status_code == 400
    assert 'id="case-%s-error"' % field in r.text
    assert rows(w.db) == before


def test_a_refused_case_study_comes_back_with_everything_typed(w):
    data = dict(CASE, did_not_work="", challenge="Our own words about the challenge")
    r = w.p["ta_w"].post(cases_url(w), data)
    assert r.status_code == 400
    for typed in ("Our own words about the challenge", "Pupils who say they like speaking in class", "41%",
                  "Pupil voice survey", "Two staff meetings; no cost."):
        assert typed in r.text, typed
    assert re.search(r'value="Oracy" checked', r.text)


def test_add_another_measure_keeps_everything_typed_and_stores_nothing(w):
    before = rows(w.db)
    r = w.p["ta_w"].post(cases_url(w), dict(CASE, add_row="1", did_not_work="Half typed"))
    assert r.status_code == 200, r.text
    for typed in ("Half typed", "Talk partners in Year 4", "Lesson observation, 3 lessons a week", "58%"):
        assert typed in r.text, typed
    assert 'name="m_name_3"' in r.text
    assert "There is a problem" not in r.text
    assert rows(w.db) == before


def test_the_network_menu_links_to_case_studies(w):
    assert 'href="/networks/%s/cases"' % w.net in w.p["teacher_i"].get("/networks/%s" % w.net).text


def test_coordinators_and_outsiders_cannot_write_a_case_study(w):
    before = rows(w.db)
    for who, status in (("coord", 403), ("lead_v", 404)):
        assert w.p[who].post(cases_url(w), CASE).status_code == status, who
    assert rows(w.db) == before


def test_only_the_author_changes_a_case_study(w):
    url = write_case(w, extra={"title": "To change"})
    before = rows(w.db)
    assert w.p["lead_w"].get(url + "/edit").status_code == 403
    assert w.p["lead_w"].post(url, dict(CASE, title="Taken over")).status_code == 403
    assert w.p["teacher_i"].post(url, dict(CASE, title="Taken over")).status_code == 404
    assert rows(w.db) == before
    page = w.p["ta_w"].get(url + "/edit").text
    assert "Random partners each week" in page and 'name="m_name_2"' in page
    location(w.p["ta_w"].post(url, dict(CASE, title="Changed", m_name_2="", m_baseline_2="", m_result_2="",
                                        m_method_2="")))
    case = w.p["ta_w"].get(url, json=True).json()["case"]
    assert case["title"] == "Changed" and len(case["measures"]) == 1


def closed_partnership(w, state="closed"):
    """A partnership of Weetwood and Ireland Wood with a measure, evidence and reflections, put in the store."""
    now = "2026-07-20T12:00:00Z"
    net = one(w.db, "SELECT id FROM network WHERE slug = ?", w.net)
    execute(w.db, "INSERT INTO partnership (network_id, title, state, type, challenge, outcomes, themes, licence, "
                  "starts_on, ends_on, created_at, updated_at, closed_at, closing_reflection) "
                  "VALUES (?, 'Reading together', ?, 'mutual', 'Reluctant readers in Year 5', "
                  "'More pupils reading for pleasure', 'Reading\nGardening', 'cc_by_nc_sa', '2025-09-01', "
                  "'2026-07-18', ?, ?, ?, 'Start the book club in the autumn term.')",
            net, state, now, now, now if state == "closed" else None)
    pid = one(w.db, "SELECT MAX(id) FROM partnership")
    for urn, lead in ((WEETWOOD, "lead_w"), (IRELAND_WOOD, "lead_i")):
        execute(w.db, "INSERT INTO partnership_school (partnership_id, urn, lead_person_id) VALUES (?, ?, ?)",
                pid, urn, w.ids[lead])
    execute(w.db, "INSERT INTO partnership_measure (partnership_id, name, unit, baseline, target, method) "
                  "VALUES (?, 'Pupils reading at home weekly', '%', 35, 60, 'Reading records')", pid)
    mid = one(w.db, "SELECT MAX(id) FROM partnership_measure")
    for day, value in (("2026-01-10", 44), ("2026-06-30", 57)):
        execute(w.db, "INSERT INTO evidence_value (measure_id, measured_on, value, created_at) VALUES (?, ?, ?, ?)",
                mid, day, value, now)
    execute(w.db, "INSERT INTO reflection (partnership_id, worked, did_not_work, person_id, created_at) "
                  "VALUES (?, 'Pupils choosing books together', 'Lunchtime sessions clashed with clubs', ?, ?)",
            pid, w.ids["lead_w"], now)
    return pid


def test_a_closed_partnership_becomes_a_draft_case_study_in_one_click(w):
    pid = closed_partnership(w)
    page = w.p["lead_w"].get("/partnerships/%d" % pid).text
    assert 'action="/partnerships/%d/case-study"' % pid in page
    before = rows(w.db)
    assert w.p["teacher_i"].post("/partnerships/%d/case-study" % pid).status_code == 403
    assert w.p["lead_v"].post("/partnerships/%d/case-study" % pid).status_code == 404
    assert rows(w.db) == before
    loc = location(w.p["lead_w"].post("/partnerships/%d/case-study" % pid))
    assert re.fullmatch(r"/networks/%s/cases/\d+/edit" % w.net, loc), loc
    url = loc[:-len("/edit")]
    case = w.p["lead_w"].get(url, json=True).json()["case"]
    assert case["draft"] is True and case["title"] == "Reading together"
    assert case["challenge"] == "Reluctant readers in Year 5"
    assert "More pupils reading for pleasure" in case["what_we_did"]
    assert "Pupils choosing books together" in case["what_we_did"]
    assert case["did_not_work"] == "Lunchtime sessions clashed with clubs"
    assert case["differently"] == "Start the book club in the autumn term."
    assert case["themes"] == ["Reading"] and case["licence"] == "cc_by_nc_sa"
    assert case["partnership_id"] == pid
    [m] = case["measures"]
    assert m["name"] == "Pupils reading at home weekly" and m["baseline"] == "35 %"
    assert m["result"] == "57 % (target 60 %)" and m["method"] == "Reading records"
    # A draft is never shared before its author has checked it.
    r = w.p["lead_w"].post(url + "/widen", json=True)
    assert r.status_code == 400 and "draft" in r.text
    edit = w.p["lead_w"].get(loc).text
    assert "Lunchtime sessions clashed with clubs" in edit and "57 % (target 60 %)" in edit
    form = {"title": case["title"], "challenge": case["challenge"], "what_we_did": case["what_we_did"],
            "did_not_work": case["did_not_work"], "themes": ["Reading"], "licence": "cc_by_nc_sa",
            "m_name_1": m["name"], "m_baseline_1": m["baseline"], "m_result_1": m["result"],
            "m_method_1": m["method"]}
    location(w.p["lead_w"].post(url, form))
    assert w.p["lead_w"].get(url, json=True).json()["case"]["draft"] is False
    location(w.p["lead_w"].post(url + "/widen"))


def test_what_the_close_form_says_did_not_work_lands_under_what_did_not_work(w):
    pid = closed_partnership(w, state="active")
    location(w.p["lead_w"].post("/partnerships/%d/close" % pid, {
        "worked": "Year 5 and Year 6 reading together.", "confirm": "yes",
        "did_not_work": "Sessions after school: too few came. Next time, in the school day."}))
    loc = location(w.p["lead_w"].post("/partnerships/%d/case-study" % pid))
    case = w.p["lead_w"].get(loc[:-len("/edit")], json=True).json()["case"]
    assert case["did_not_work"] == ("Lunchtime sessions clashed with clubs\n\n"
                                    "Sessions after school: too few came. Next time, in the school day.")
    assert "Pupils choosing books together\n\nYear 5 and Year 6 reading together." in case["what_we_did"]
    assert case["differently"] == ""


def test_an_open_partnership_does_not_become_a_case_study(w):
    pid = closed_partnership(w, state="active")
    before = rows(w.db)
    r = w.p["lead_w"].post("/partnerships/%d/case-study" % pid, json=True)
    assert r.status_code == 409 and "still open" in r.text
    assert rows(w.db) == before


def test_another_school_says_it_is_trying_it_once_and_never_on_its_own(w):
    url = shared(w, extra={"title": "Travelling case"})
    before = rows(w.db)
    r = w.p["lead_w"].post(url + "/tried", json=True)
    assert r.status_code == 400 and "own school" in r.text
    r = w.p["ta_w"].post(url + "/tried")
    assert r.status_code == 400 and "own school" in r.text
    assert w.p["lead_v"].post(url + "/tried").status_code == 404
    assert w.p["coord"].post(url + "/tried").status_code == 403
    assert rows(w.db) == before
    assert w.p["teacher_i"].get(url, json=True).json()["case"]["can_try"] is True
    assert w.p["ta_w"].get(url, json=True).json()["case"]["can_try"] is False
    location(w.p["teacher_i"].post(url + "/tried"))
    before = rows(w.db)
    r = w.p["teacher_i"].post(url + "/tried", json=True)
    assert r.status_code == 409 and "already said" in r.text
    assert rows(w.db) == before
    location(w.p["lead_i"].post(url + "/tried"))
    t = w.p["ta_w"].get(url + "/travelled", json=True).json()
    assert t["counts"]["schools"] == 2 and t["counts"]["trying"] == 2
    assert {s["name"] for s in t["schools"]} == {"Ireland Wood Primary School"}
    html = w.p["ta_w"].get(url + "/travelled").text
    assert "<svg" in html and "<title id=\"map-title\">" in html and "<desc id=\"map-desc\">" in html
    assert html.count("<circle") == 2 and "<rect" in html
    assert "<caption>Schools trying it and how it went</caption>" in html


def test_trying_an_item_one_cannot_see_is_404_and_changes_nothing(w):
    url = write_case(w, extra={"title": "Not shared"})
    before = rows(w.db)
    assert w.p["teacher_i"].post(url + "/tried").status_code == 404
    assert w.p["teacher_i"].post("/networks/%s/cases/999999/tried" % w.net).status_code == 404
    assert rows(w.db) == before


def test_an_idea_from_another_school_can_be_tried(w):
    loc = location(w.p["ta_w"].post("/networks/%s/ideas" % w.net, {"text": "Reading dens.", "theme": "Reading"}))
    location(w.p["ta_w"].post(loc + "/widen"))
    location(w.p["lead_w"].post(loc + "/approve"))
    assert w.p["teacher_i"].get(loc, json=True).json()["idea"]["can_try"] is True
    assert "We are trying this" in w.p["teacher_i"].get(loc).text
    location(w.p["teacher_i"].post(loc + "/tried"))
    r = w.p["ta_w"].post(loc + "/tried", json=True)
    assert r.status_code == 400
    assert w.p["ta_w"].get(loc + "/travelled", json=True).json()["counts"]["schools"] == 1


def test_the_weeks_before_asking_are_set_by_a_coordinator(w):
    before = rows(w.db)
    assert w.p["ta_w"].post("/networks/%s/tried/settings" % w.net, {"weeks": "2"}).status_code == 403
    r = w.p["coord"].post("/networks/%s/tried/settings" % w.net, {"weeks": "0"}, json=True)
    assert r.status_code == 400 and "weeks" in r.json()["errors"]
    r = w.p["coord"].post("/networks/%s/tried/settings" % w.net, {"weeks": "0"})
    assert r.status_code == 400 and 'id="tried-weeks-error"' in r.text
    assert rows(w.db) == before
    location(w.p["coord"].post("/networks/%s/tried/settings" % w.net, {"weeks": str(WEEKS)}))
    assert w.p["coord"].get("/networks/%s/tried" % w.net, json=True).json()["weeks"] == WEEKS


class Later:
    """A server on the same database some days on; closing it signs everyone in again on the main one."""

    def __init__(self, w, days):
        self.w, self.days = w, days

    def __enter__(self):
        self.s = Server(db=self.w.db, env={"TANDEM_CLOCK_OFFSET": str(self.days * 86400)})
        self.p = self.w.people(self.s)
        return self

    def __exit__(self, *exc):
        code = self.s.close()
        self.w.p = self.w.people(self.w.server)
        assert code == 0, "".join(self.s.log[-40:])


def wait_for(db, sql, *args):
    import time
    deadline = time.time() + 30
    while not one(db, sql, *args) and time.time() < deadline:
        time.sleep(0.2)
    return one(db, sql, *args)


def test_after_the_weeks_tandem_asks_how_it_went_and_the_author_sees_the_outcome(w):
    url = shared(w, extra={"title": "Asked later"})
    location(w.p["teacher_i"].post(url + "/tried"))
    cid = int(url.rsplit("/", 1)[1])
    tid = one(w.db, "SELECT id FROM practice_tried WHERE kind = 'case' AND item_id = ? AND person_id = ?",
              cid, w.ids["teacher_i"])
    assert one(w.db, "SELECT asked_at FROM practice_tried WHERE id = ?", tid) is None
    with Later(w, WEEKS * 7 + 1) as later:
        assert wait_for(w.db, "SELECT asked_at FROM practice_tried WHERE id = ?", tid)
        assert one(w.db, "SELECT COUNT(*) FROM outbox WHERE to_addr = ? AND subject = ?", "teacher@i.test",
                   "How did it go? We tried this") >= 1
        form = "/networks/%s/tried/%d" % (w.net, tid)
        assert later.p["lead_i"].get(form).status_code == 404
        page = later.p["teacher_i"].get(form)
        assert page.status_code == 200 and "Asked later" in page.text and "How did it go?" in page.text
        before = rows(w.db)
        r = later.p["teacher_i"].post(form, {"outcome": "brilliant"}, json=True)
        assert r.status_code == 400 and "outcome" in r.json()["errors"]
        r = later.p["teacher_i"].post(form, {"outcome": "worked", "note": "x" * 2001}, json=True)
        assert r.status_code == 400 and "note" in r.json()["errors"]
        r = later.p["teacher_i"].post(form, {"outcome": "worked", "note": "Pupil K801200001001 loved it"})
        assert r.status_code == 400 and 'id="tried-note-error"' in r.text
        assert rows(w.db) == before
        location(later.p["teacher_i"].post(form, {"outcome": "partly", "note": "Worked with Year 3, not Year 6."}))
        r = later.p["teacher_i"].post(form, {"outcome": "worked"}, json=True)
        assert r.status_code == 409 and "already said" in r.text
        t = later.p["ta_w"].get(url + "/travelled", json=True).json()
        [s] = t["schools"]
        assert s["outcome"] == "partly" and s["note"] == "Worked with Year 3, not Year 6."
        assert t["counts"]["partly"] == 1
        assert "It partly worked" in later.p["ta_w"].get(url + "/travelled").text
    # Asked once only.
    assert one(w.db, "SELECT COUNT(*) FROM outbox WHERE to_addr = ? AND subject = ? AND body LIKE ?",
               "teacher@i.test", "How did it go? We tried this", "%%/tried/%d%%" % tid) in (0, 1)


def test_a_persons_case_studies_and_tries_are_in_their_data_download(w):
    part = w.p["teacher_i"].get("/account/export", json=True).json()["practice_cases"]
    assert len(part["tried"]) >= 1
    part = w.p["ta_w"].get("/account/export", json=True).json()["practice_cases"]
    assert any(c["title"] == "Talk partners in Year 4" for c in part["case_studies"])
    assert len(part["case_study_measures"]) >= 2
