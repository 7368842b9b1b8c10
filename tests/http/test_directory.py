# SPDX-License-Identifier: AGPL-3.0-or-later
"""The schools directory finds what people type, black-box, on the demo data
(the demo subset of the DfE register, its links and the demo network): the
main box takes postcodes and outcodes as well as names and towns;
apostrophes and "St"/"Saint" do not matter; a typo offers the nearest names;
"near" sorts by distance unless asked otherwise and lists state-funded
schools unless asked for all; sorting by a measure puts schools without it
last; the register's wording reads as plain English; bad values come back
on the same page; the similar-schools page puts its results first, marks
and filters a lead's network schools, and explains a school it cannot
compare; and the directory follows a new import."""
import gzip
import os
import re

import pytest
import requests

import store

from support import Person
from tandem_server import ROOT, Server, run_cli

DEMO = os.path.join(ROOT, "data", "demo", "edubasealldata20250502-demo.csv.gz")
LINKS = os.path.join(ROOT, "data", "demo", "links_edubasealldata20250502-demo.csv.gz")
JSON = {"Accept": "application/json"}
HTML = {"Accept": "text/html"}
DEMO_PASSWORD = "aire-valley-demo"
WEETWOOD, LAWNSWOOD, QUARRY_MOUNT, AALPS = 107897, 108055, 107889, 131832
STATE_FUNDED_GROUPS = {"4", "5", "10", "11"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("directory") / "d.db")
    for args in (("import-gias", DEMO), ("import-gias", "--links", LINKS), ("demo",)):
        r = run_cli(*args, db=db)
        assert r.returncode == 0, r.stderr
    s = Server(db=db)
    yield s
    assert s.close() == 0


def find(server, **params):
    r = requests.get(server.url + "/schools", params=params, headers=JSON)
    assert r.status_code == 200, r.text
    return r.json()


def rows(db, sql, *args):
    return store.query(db, sql, *args)


def signed_in(server, email):
    """The requests session of a demo person signed in through the one client."""
    return Person(server, email, DEMO_PASSWORD).s


# ---- the main box --------------------------------------------------------------

@pytest.mark.parametrize("typed", ["LS16 5NW", "ls165nw", " ls16 5nw "])
def test_the_main_box_finds_a_full_postcode_however_it_is_written(server, typed):
    r = find(server, q=typed)
    assert r["place"]["how"].startswith("at LS16 5NW")
    assert r["results"][0]["postcode"] == "LS16 5NW" and r["results"][0]["km"] == 0
    kms = [x["km"] for x in r["results"]]
    assert kms == sorted(kms) and all(k <= 5 for k in kms)


@pytest.mark.parametrize("outcode", ["LS16", "HG1", "hg1"])
def test_the_main_box_finds_an_outcode(server, outcode):
    r = find(server, q=outcode, per_page=100)
    assert "postcode district " + outcode.upper() in r["place"]["how"]
    assert any(x["postcode"].startswith(outcode.upper() + " ") for x in r["results"])
    kms = [x["km"] for x in r["results"]]
    assert kms == sorted(kms)


def test_the_main_box_still_finds_names_and_towns(server):
    assert find(server, q="Lawnswood")["results"][0]["urn"] == LAWNSWOOD
    town = find(server, q="harrogate", per_page=100)
    assert town["total"] > 20 and town["place"] is None
    assert sum(x["town"] == "Harrogate" for x in town["results"]) > 20


def test_name_words_then_an_outcode_look_in_that_district(server):
    r = find(server, q="quarry mount LS6")
    assert [x["urn"] for x in r["results"]] == [QUARRY_MOUNT]
    assert find(server, q="quarry mount HG1")["total"] == 0


def test_apostrophes_do_not_matter(server):
    a = find(server, q="st roberts", status="all")
    b = find(server, q="st robert's", status="all")
    c = find(server, q="St Robert’s", status="all")
    assert a["total"] >= 1 and any(x["name"].startswith("St Robert's") for x in a["results"])
    assert [x["urn"] for x in a["results"]] == [x["urn"] for x in b["results"]] == [x["urn"] for x in c["results"]]


def test_st_and_saint_are_the_same_word(server):
    st = find(server, q="st chads", status="all")
    saint = find(server, q="saint chads", status="all")
    dotted = find(server, q="St. Chad's", status="all")
    assert st["total"] >= 1 and all("Chad" in x["name"] for x in st["results"])
    assert [x["urn"] for x in st["results"]] == [x["urn"] for x in saint["results"]] == [x["urn"] for x in dotted["results"]]


def test_a_typo_offers_the_nearest_names(server):
    r = find(server, q="lawnswod")
    assert r["total"] == 0
    assert [s["text"] for s in r["suggestions"]][:1] == ["Lawnswood"]
    follow = requests.get(server.url + r["suggestions"][0]["url"], headers=JSON).json()
    assert follow["results"][0]["urn"] == LAWNSWOOD
    html = requests.get(server.url + "/schools", params={"q": "lawnswod"}, headers=HTML).text
    assert "Did you mean" in html and ">Lawnswood</a>" in html


def test_a_typo_in_one_of_several_words_keeps_the_others(server):
    r = find(server, q="quary mount")
    assert r["total"] == 0 and r["suggestions"][0]["text"].lower() == "quarry mount"


def test_words_that_find_something_get_no_suggestion(server):
    assert find(server, q="lawnswood")["suggestions"] == []


# ---- near a postcode, and order ---------------------------------------------------

def test_near_sorts_by_distance_unless_another_order_is_chosen(server):
    near = find(server, near="LS6", km=3, per_page=100)
    kms = [x["km"] for x in near["results"]]
    assert len(kms) > 5 and kms == sorted(kms)
    by_name = find(server, near="LS6", km=3, sort="name", per_page=100)
    names = [x["name"].lower() for x in by_name["results"]]
    assert names == sorted(names) and names != [x["name"].lower() for x in near["results"]]
    pupils = [x["pupils"] for x in find(server, near="LS6", km=3, sort="pupils", per_page=100)["results"]]
    known = [p for p in pupils if p is not None]
    assert known == sorted(known, reverse=True)


def test_the_form_does_not_choose_name_order_by_itself(server):
    html = requests.get(server.url + "/schools", params={"near": "LS6"}, headers=HTML).text
    select = re.search(r'<select id="sort" name="sort">(.*?)</select>', html, re.S).group(1)
    assert re.search(r'<option value="" *>', select) and 'value="name" selected' not in select


@pytest.mark.parametrize("measure", ["pupils", "fsm_pct"])
def test_sorting_by_a_measure_puts_schools_without_it_last(server, measure):
    sort = "pupils" if measure == "pupils" else "fsm"
    seen, page = [], 1
    while True:
        r = find(server, la="383", status="all", sort=sort, per_page=100, page=page)
        seen += [x[measure] for x in r["results"]]
        if page >= r["pages"]:
            break
        page += 1
    known = [v for v in seen if v is not None]
    assert known and None in seen
    assert seen == known + [None] * (len(seen) - len(known))
    assert known == sorted(known, reverse=True)


def test_near_lists_state_funded_schools_unless_asked_for_all(server):
    schools = find(server, near="LS6 2JP", km=5, per_page=100)
    everything = find(server, near="LS6 2JP", km=5, per_page=100, all=1)
    assert schools["place"]["schools_only"] is True and everything["place"]["schools_only"] is False
    assert everything["total"] > schools["total"]

    def groups(r):
        urns = [x["urn"] for x in r["results"]]
        marks = ",".join("?" * len(urns))
        return {g for (g,) in rows(server.db, f"SELECT type_group_code FROM school WHERE urn IN ({marks})", *urns)}

    assert groups(schools) <= STATE_FUNDED_GROUPS
    assert groups(everything) - STATE_FUNDED_GROUPS, "independent schools, colleges or universities near LS6"
    html = requests.get(server.url + "/schools", params={"near": "LS6 2JP"}, headers=HTML).text
    assert 'name="all"' in html and "all=1" in html


def test_an_explicit_type_near_a_postcode_is_not_overruled(server):
    r = find(server, near="LS6 2JP", km=10, type_group="3", per_page=100)
    assert r["total"] >= 1 and r["place"]["schools_only"] is False


# ---- plain English -----------------------------------------------------------------

def test_the_register_wording_reads_as_plain_english(server):
    html = requests.get(server.url + "/schools", headers=HTML).text
    assert ">Urban: major city</option>" in html and ">Primary</option>" in html
    assert "(England/Wales)" not in html and "conurbation" not in html
    assert ">Academy</option>" in html and "Academies" not in html
    profile = requests.get(server.url + f"/schools/{QUARRY_MOUNT}", headers=JSON).json()["school"]
    assert profile["urban_rural_name"] == "Urban: major city"
    middle = rows(server.db, "SELECT urn FROM school WHERE phase_name = 'Middle deemed secondary' AND status_code = '1' LIMIT 1")
    if middle:
        r = requests.get(server.url + f"/schools/{middle[0][0]}", headers=JSON).json()["school"]
        assert r["phase_name"] == "Middle school (counted as secondary)"


def test_religious_none_and_does_not_apply_are_one_choice(server):
    html = requests.get(server.url + "/schools", headers=HTML).text
    select = re.search(r'<select id="religious" name="religious">(.*?)</select>', html, re.S).group(1)
    assert select.count(">None</option>") == 1 and "Does not apply" not in select


# ---- bad values come back on the same page -------------------------------------------

@pytest.mark.parametrize("params,field,typed", [
    ({"pupils_min": "abc"}, "pupils_min", "abc"),
    ({"la": "999"}, "la", None),
    ({"type_group": "77"}, "type_group", None),
    ({"trust": "abc"}, "trust", "abc"),
    ({"postcode": "not!"}, "postcode", "not!"),
    ({"q": "?!", "town": "Leeds"}, "q", "?!"),
    ({"near": "nowhere at all"}, "near", "nowhere at all"),
])
def test_a_bad_filter_value_comes_back_on_the_directory_page(server, params, field, typed):
    r = requests.get(server.url + "/schools", params=params, headers=HTML)
    assert r.status_code == 400
    assert '<form class="search panel"' in r.text and "There is a problem" in r.text
    assert f'id="{field}-error"' in r.text and f'href="#{field}"' in r.text
    assert "Bad Request" not in r.text
    if typed:
        assert f'value="{typed}"' in r.text
    j = requests.get(server.url + "/schools", params=params, headers=JSON)
    assert j.status_code == 400 and field in j.json()["errors"]


def test_a_postcode_nobody_can_place_comes_back_on_the_page(server):
    for params, field in (({"near": "ZZ9 9ZZ"}, "near"), ({"q": "ZZ9 9ZZ"}, "q")):
        r = requests.get(server.url + "/schools", params=params, headers=HTML)
        assert r.status_code == 404 and '<form class="search panel"' in r.text
        assert f'id="{field}-error"' in r.text and "outcode" in r.text and 'value="ZZ9 9ZZ"' in r.text
        assert "Not Found" not in r.text
        j = requests.get(server.url + "/schools", params=params, headers=JSON)
        assert j.status_code == 404 and "outcode" in j.json()["detail"]


# ---- similar schools -----------------------------------------------------------------

def test_similar_results_come_first_and_adjust_is_folded(server):
    html = requests.get(server.url + f"/schools/{WEETWOOD}/similar", headers=HTML).text
    assert html.index('<ol class="similar">') < html.index('<details class="panel"')  # the header's menu is a <details> too
    assert re.search(r"<details[^>]*>\s*<summary>Adjust the comparison</summary>", html)
    assert not re.search(r"<details[^>]*\bopen\b", html)
    adjusted = requests.get(server.url + f"/schools/{WEETWOOD}/similar", params={"k": 10}, headers=HTML).text
    assert re.search(r"<details[^>]*\bopen\b", adjusted)


def test_a_lead_sees_network_schools_marked_and_can_list_only_them(server):
    lead = signed_in(server, "lead.weetwood@tandem.example")
    members = {u for (u,) in rows(server.db, "SELECT ns.urn FROM network_school ns JOIN network n ON n.id = ns.network_id "
                                             "WHERE n.slug = 'aire-valley-learning-partnership'")}
    html = lead.get(server.url + f"/schools/{WEETWOOD}/similar", headers=HTML).text
    assert "In Aire Valley Learning Partnership" in html
    assert f'href="/schools/{WEETWOOD}/similar?mine=1"' in html
    mine = lead.get(server.url + f"/schools/{WEETWOOD}/similar", params={"mine": 1}, headers=JSON).json()
    urns = [x["urn"] for x in mine["results"]]
    assert urns and set(urns) <= members - {WEETWOOD}
    assert all(x["peer_network"] == "Aire Valley Learning Partnership" for x in mine["results"])
    scores = [x["score"] for x in mine["results"]]
    assert scores == sorted(scores, reverse=True) and mine["mine"] is True
    everyone = lead.get(server.url + f"/schools/{WEETWOOD}/similar", headers=JSON).json()
    for x in everyone["results"]:
        if x["urn"] in urns:
            assert x["score"] == next(m["score"] for m in mine["results"] if m["urn"] == x["urn"])
    page = lead.get(server.url + f"/schools/{WEETWOOD}/similar", params={"mine": 1}, headers=HTML).text
    assert "Show every school" in page


def test_people_who_are_not_leads_get_no_network_filter(server):
    staff = signed_in(server, "staff.weetwood@tandem.example")
    html = staff.get(server.url + f"/schools/{WEETWOOD}/similar", headers=HTML).text
    assert "mine=1" not in html
    full = staff.get(server.url + f"/schools/{WEETWOOD}/similar", params={"mine": 1}, headers=JSON).json()
    assert len(full["results"]) == 30 and full["mine"] is False


def test_a_school_with_no_comparison_group_gets_a_page_that_says_why(server):
    assert rows(server.db, "SELECT name FROM school WHERE urn = ?", AALPS) == [("AALPS College",)]
    r = requests.get(server.url + f"/schools/{AALPS}/similar", headers=HTML)
    assert r.status_code == 422
    assert "AALPS College has no list of similar schools" in r.text and "comparison group" in r.text
    assert "Unprocessable" not in r.text and f'href="/schools/{AALPS}"' in r.text and "near=" in r.text
    j = requests.get(server.url + f"/schools/{AALPS}/similar", headers=JSON)
    assert j.status_code == 422 and "comparison group" in j.json()["detail"]


# ---- the index follows the data --------------------------------------------------------

def test_the_directory_follows_a_new_import(tmp_path):
    with gzip.open(DEMO, "rb") as f:
        lines = f.read().split(b"\r\n")
    header = lines[0]
    rows_ = [l for l in lines[1:] if l.startswith(b'%d,' % QUARRY_MOUNT)]
    small = tmp_path / "edubasealldata20250501.csv"
    small.write_bytes(header + b"\r\n" + rows_[0] + b"\r\n")
    db = str(tmp_path / "f.db")
    assert run_cli("import-gias", small.__fspath__(), db=db).returncode == 0
    s = Server(db=db)
    try:
        assert find(s, q="quarry")["total"] == 1 and find(s, q="lawnswood")["total"] == 0
        assert run_cli("import-gias", DEMO, db=db).returncode == 0
        assert find(s, q="lawnswood")["results"][0]["urn"] == LAWNSWOOD
    finally:
        assert s.close() == 0


def test_a_school_profile_follows_a_new_import(tmp_path):
    with gzip.open(DEMO, "rb") as f:
        lines = f.read().split(b"\r\n")
    header = lines[0]
    row = next(l for l in lines[1:] if l.startswith(b'%d,' % QUARRY_MOUNT))
    assert b"Quarry Mount" in row
    small = tmp_path / "edubasealldata20250501.csv"
    small.write_bytes(header + b"\r\n" + row.replace(b"Quarry Mount", b"Quarry Hill", 1) + b"\r\n")
    db = str(tmp_path / "p.db")
    assert run_cli("import-gias", small.__fspath__(), db=db).returncode == 0
    s = Server(db=db)
    try:
        for _ in range(2):  # the second answer comes from the server's memory
            before = requests.get(s.url + f"/schools/{QUARRY_MOUNT}", headers=JSON).json()
            assert before["school"]["name"].startswith("Quarry Hill")
            assert not before.get("similar")
        assert run_cli("import-gias", DEMO, db=db).returncode == 0
        after = requests.get(s.url + f"/schools/{QUARRY_MOUNT}", headers=JSON).json()
        assert after["school"]["name"].startswith("Quarry Mount")
        assert len(after["similar"]) == 5
        assert "Quarry Mount" in requests.get(s.url + f"/schools/{QUARRY_MOUNT}", headers=HTML).text
    finally:
        assert s.close() == 0
