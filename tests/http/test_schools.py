# SPDX-License-Identifier: AGPL-3.0-or-later
"""Schools, black-box: the import command, the directory, profiles and the
similar-schools finder, on the real demo subset of the DfE register."""
import gzip
import json
import os

import pytest
import requests

import store
from tandem_server import ROOT, Server, run_cli

DEMO = os.path.join(ROOT, "data", "demo", "edubasealldata20250502-demo.csv.gz")
LINKS = os.path.join(ROOT, "data", "demo", "links_edubasealldata20250502-demo.csv.gz")
JSON = {"Accept": "application/json"}
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("schools") / "schools.db")
    r = run_cli("import-gias", "--db", db, DEMO)
    assert r.returncode == 0, r.stderr
    r = run_cli("import-gias", "--db", db, "--links", LINKS)
    assert r.returncode == 0, r.stderr
    s = Server(db=db)
    yield s
    assert s.close() == 0


def count(db, sql="SELECT COUNT(*) FROM school"):
    return store.query(db, sql)[0][0]


def header():
    with gzip.open(DEMO, "rb") as f:
        return f.readline()


def first_rows(n):
    with gzip.open(DEMO, "rb") as f:
        lines = f.read().split(b"\r\n")
    return lines[: n + 1]


# ---- import ------------------------------------------------------------------

def test_import_reports_counts_and_reimport_changes_nothing(tmp_path):
    db = str(tmp_path / "i.db")
    named = DEMO
    r = run_cli("import-gias", "--db", db, named)
    assert r.returncode == 0, r.stderr
    assert "inserted 8047" in r.stdout and "rejected 0" in r.stdout
    assert "snapshot 2025-05-02" in r.stdout
    assert "ignored" in r.stdout and "HeadFirstName" in r.stdout
    r2 = run_cli("import-gias", "--db", db, named)
    assert r2.returncode == 0
    assert "inserted 0" in r2.stdout and "updated 0" in r2.stdout and "unchanged 8047" in r2.stdout
    runs = store.query(db, "SELECT status, rows_read, inserted, unchanged, snapshot_date FROM import_run "
                           "WHERE kind = 'schools' ORDER BY id")
    assert runs == [("done", 8047, 8047, 0, "2025-05-02"), ("done", 8047, 0, 8047, "2025-05-02")]


def test_no_head_teacher_names_are_stored(tmp_path):
    db = str(tmp_path / "h.db")
    assert run_cli("import-gias", "--db", db, DEMO).returncode == 0
    cols = store.columns(db, "school")
    assert not any("head" in col.lower() for col in cols)


def test_a_file_without_urn_is_refused_and_nothing_changes(tmp_path):
    db = str(tmp_path / "u.db")
    assert run_cli("import-gias", "--db", db, DEMO).returncode == 0
    bad = tmp_path / "edubasealldata20250601.csv"
    rows = first_rows(3)
    bad.write_bytes(rows[0].replace(b'"URN"', b'"Ref"', 1) + b"\r\n" + b"\r\n".join(rows[1:]) + b"\r\n")
    r = run_cli("import-gias", "--db", db, str(bad))
    assert r.returncode == 1
    assert "URN" in r.stderr
    assert count(db) == 8047
    assert count(db, "SELECT COUNT(*) FROM import_run WHERE status = 'failed'") == 1


def test_an_empty_file_is_a_clear_error(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    r = run_cli("import-gias", "--db", str(tmp_path / "e.db"), str(empty))
    assert r.returncode == 1 and "empty" in r.stderr.lower()


def test_a_missing_file_is_a_clear_error(tmp_path):
    r = run_cli("import-gias", "--db", str(tmp_path / "m.db"), str(tmp_path / "nope.csv.gz"))
    assert r.returncode == 1 and "nope.csv.gz" in r.stderr


def test_a_truncated_gzip_leaves_the_previous_data_untouched(tmp_path):
    db = str(tmp_path / "t.db")
    assert run_cli("import-gias", "--db", db, DEMO).returncode == 0
    store.execute(db, "UPDATE school SET name = 'Changed by hand' WHERE urn = (SELECT MIN(urn) FROM school)")
    data = open(DEMO, "rb").read()
    cut = tmp_path / "edubasealldata20250502.csv.gz"
    cut.write_bytes(data[: len(data) // 2])
    r = run_cli("import-gias", "--db", db, str(cut))
    assert r.returncode == 1
    assert "nothing was changed" in r.stderr
    assert count(db, "SELECT COUNT(*) FROM school WHERE name = 'Changed by hand'") == 1
    assert count(db) == 8047


def test_bad_rows_are_reported_with_line_and_column_and_skipped(tmp_path):
    rows = first_rows(6)
    h = rows[0].split(b",")
    pupils = [i for i, c in enumerate(h) if c == b'"NumberOfPupils"'][0]
    good = rows[1]
    text_in_number = rows[2].split(b",")
    text_in_number[pupils] = b'"lots"'
    too_few = b",".join(rows[3].split(b",")[:10])
    too_many = rows[4] + b',"extra","fields"'
    unterminated = rows[5][:-1] + b"\r\n" + rows[5]
    f = tmp_path / "bad.csv"
    f.write_bytes(b"\r\n".join([rows[0], good, b",".join(text_in_number), too_few, too_many,
                                 unterminated]) + b"\r\n")
    db = str(tmp_path / "b.db")
    r = run_cli("import-gias", "--db", db, str(f))
    assert r.returncode == 0, r.stderr
    assert "rejected" in r.stdout
    assert "NumberOfPupils" in r.stdout
    assert "line 3" in r.stdout and "line 4" in r.stdout and "line 5" in r.stdout
    assert count(db) >= 1
    rej = store.query(db, "SELECT line, column_name, reason FROM import_reject ORDER BY line")
    assert any(col == "NumberOfPupils" for _, col, _ in rej)
    assert all(reason for _, _, reason in rej)


def test_an_unknown_phase_imports_but_has_no_comparison_group(tmp_path):
    rows = first_rows(2)
    h = rows[0].split(b",")
    idx = {c.strip(b'"'): i for i, c in enumerate(h)}
    row = rows[1].split(b",")
    row[idx[b"PhaseOfEducation (code)"]] = b'"42"'
    row[idx[b"PhaseOfEducation (name)"]] = b'"Martian"'
    row[idx[b"TypeOfEstablishment (code)"]] = b'"01"'
    f = tmp_path / "phase.csv"
    f.write_bytes(rows[0] + b"\r\n" + b",".join(row) + b"\r\n")
    db = str(tmp_path / "p.db")
    r = run_cli("import-gias", "--db", db, str(f))
    assert r.returncode == 0, r.stderr
    urn = row[0].decode().strip('"')
    assert count(db, f"SELECT COUNT(*) FROM school WHERE urn = {int(urn)} AND phase_group = 'none'") == 1
    r = run_cli("similar", "--db", db, urn)
    assert r.returncode == 1 and "comparison group" in r.stderr


def test_import_needs_a_file_argument():
    r = run_cli("import-gias")
    assert r.returncode == 2 and "usage:" in r.stderr


# ---- directory -----------------------------------------------------------------

def test_search_by_name_words_in_any_order_with_prefixes(server):
    a = requests.get(server.url + "/schools", params={"q": "quarry mount"}, headers=JSON).json()
    b = requests.get(server.url + "/schools", params={"q": "mou quar"}, headers=JSON).json()
    assert a["total"] >= 1 and a["results"][0]["name"] == "Quarry Mount Primary School"
    assert [r["urn"] for r in a["results"]] == [r["urn"] for r in b["results"]]


def test_search_ignores_case_and_accents(server):
    a = requests.get(server.url + "/schools", params={"q": "QUARRY MÖUNT"}, headers=JSON).json()
    assert a["total"] >= 1 and a["results"][0]["name"] == "Quarry Mount Primary School"


def test_search_by_postcode_outcode_town_and_la(server):
    r = requests.get(server.url + "/schools", params={"postcode": "ls6"}, headers=JSON).json()
    assert r["total"] > 5 and all(x["postcode"].startswith("LS6 ") for x in r["results"])
    r = requests.get(server.url + "/schools", params={"postcode": "LS6 2JP"}, headers=JSON).json()
    assert all(x["postcode"] == "LS6 2JP" for x in r["results"]) and r["total"] >= 1
    r = requests.get(server.url + "/schools", params={"town": "leeds", "per_page": 10}, headers=JSON).json()
    assert r["total"] > 100 and all(x["town"] == "Leeds" for x in r["results"])
    r = requests.get(server.url + "/schools", params={"la": "383"}, headers=JSON).json()
    assert r["total"] > 100 and all(x["la_name"] == "Leeds" for x in r["results"])


def test_open_schools_by_default_and_closed_on_request(server):
    o = requests.get(server.url + "/schools", params={"town": "leeds"}, headers=JSON).json()
    c = requests.get(server.url + "/schools", params={"town": "leeds", "status": "closed"}, headers=JSON).json()
    a = requests.get(server.url + "/schools", params={"town": "leeds", "status": "all"}, headers=JSON).json()
    assert all(x["status_code"] in ("1", "3") for x in o["results"])
    assert all(x["status_code"] == "2" for x in c["results"])
    assert a["total"] == o["total"] + c["total"] + count(server.db, "SELECT COUNT(*) FROM school WHERE town = 'Leeds' AND status_code = '4'")


def test_filters_combine_and_pagination_counts(server):
    p = {"la": "383", "phase": "primary", "pupils_min": 200, "pupils_max": 400, "fsm_min": 10,
         "fsm_max": 30, "sort": "pupils", "per_page": 10}
    r = requests.get(server.url + "/schools", params=p, headers=JSON).json()
    assert r["total"] > 10 and r["pages"] == (r["total"] + 9) // 10
    assert all(200 <= x["pupils"] <= 400 and 10 <= x["fsm_pct"] <= 30 for x in r["results"])
    pupils = [x["pupils"] for x in r["results"]]
    assert pupils == sorted(pupils, reverse=True)
    r2 = requests.get(server.url + "/schools", params={**p, "page": 2}, headers=JSON).json()
    assert not {x["urn"] for x in r["results"]} & {x["urn"] for x in r2["results"]}
    html = requests.get(server.url + "/schools", params=p, headers=HTML).text
    assert 'rel="next"' in html and "page=2" in html


def test_near_a_postcode_says_how_it_was_located(server):
    exact = requests.get(server.url + "/schools", params={"near": "LS6 2JP", "km": 2}, headers=JSON).json()
    assert exact["place"]["how"].startswith("at LS6 2JP")
    assert all(x["km"] <= 2 for x in exact["results"])
    kms = [x["km"] for x in exact["results"]]
    assert kms == sorted(kms)
    sector = requests.get(server.url + "/schools", params={"near": "LS6 2ZZ"}, headers=JSON).json()
    assert "sector LS6 2" in sector["place"]["how"]
    outcode = requests.get(server.url + "/schools", params={"near": "LS6"}, headers=JSON).json()
    assert "district LS6" in outcode["place"]["how"]
    unknown = requests.get(server.url + "/schools", params={"near": "ZZ9 9ZZ"}, headers=JSON)
    assert unknown.status_code == 404 and "outcode" in unknown.json()["detail"]


def test_every_result_links_to_its_profile(server):
    html = requests.get(server.url + "/schools", params={"q": "quarry"}, headers=HTML).text
    assert 'href="/schools/107889"' in html


@pytest.mark.parametrize("params,field", [
    ({"q": "!!! ..."}, "q"),
    ({"pupils_min": "-5"}, "pupils_min"),
    ({"pupils_min": "abc"}, "pupils_min"),
    ({"fsm_max": "101"}, "fsm_max"),
    ({"phase": "martian"}, "phase"),
    ({"status": "maybe"}, "status"),
    ({"per_page": "100000"}, "per_page"),
    ({"near": "not a postcode!"}, "near"),
    ({"pupils_min": "500", "pupils_max": "100"}, "pupils_min"),
    ({"q": "x" * 101}, "q"),
])
def test_absurd_searches_are_clear_400s(server, params, field):
    r = requests.get(server.url + "/schools", params=params, headers=JSON)
    assert r.status_code == 400, r.text
    p = r.json()
    assert field in p.get("errors", {}), p
    h = requests.get(server.url + "/schools", params=params, headers=HTML)
    assert h.status_code == 400 and "text/html" in h.headers["Content-Type"]


# ---- profile -----------------------------------------------------------------

def test_a_profile_shows_key_facts_in_plain_language(server):
    r = requests.get(server.url + "/schools/107889", headers=JSON).json()
    s = r["school"]
    assert s["name"] == "Quarry Mount Primary School"
    assert s["ages"] == "4 to 11" and s["phase_name"] == "Primary"
    assert s["map_url"].startswith("https://www.openstreetmap.org/")
    assert 53 < s["lat"] < 54 and -2 < s["lon"] < -1
    html = requests.get(server.url + "/schools/107889", headers=HTML).text
    assert "<h1>Quarry Mount Primary School</h1>" in html and "ages 4 to 11" in html


def test_a_closed_school_says_so_and_links_to_its_successor(server):
    urn, succ = store.query(
        server.db, "SELECT s.urn, l.link_urn FROM school s JOIN school_link l ON l.urn = s.urn "
        "JOIN school t ON t.urn = l.link_urn WHERE s.status_code = '2' "
        "AND l.link_type LIKE 'Successor%' LIMIT 1")[0]
    j = requests.get(server.url + f"/schools/{urn}", headers=JSON).json()["school"]
    assert j["open"] is False and any(x["urn"] == succ for x in j["successors"])
    html = requests.get(server.url + f"/schools/{urn}", headers=HTML).text
    assert "This school is Closed" in html and f'href="/schools/{succ}"' in html
    back = requests.get(server.url + f"/schools/{succ}", headers=JSON).json()["school"]
    assert any(x["urn"] == urn for x in back["predecessors"])


def test_a_urn_not_in_the_register_is_404(server):
    for accept in (JSON, HTML):
        r = requests.get(server.url + "/schools/999999999", headers=accept)
        assert r.status_code == 404
    assert "999999999" in requests.get(server.url + "/schools/999999999", headers=JSON).json()["detail"]


def test_a_non_numeric_urn_is_400(server):
    r = requests.get(server.url + "/schools/abc", headers=JSON)
    assert r.status_code == 400 and "whole number" in r.json()["detail"]


# ---- similar schools ------------------------------------------------------------

def test_similar_schools_are_explained_and_exclude_the_school(server):
    r = requests.get(server.url + "/schools/107889/similar", headers=JSON).json()
    res = r["results"]
    assert len(res) == 30 and all(x["urn"] != 107889 for x in res)
    assert all(0 <= x["score"] <= 100 for x in res)
    scores = [x["score"] for x in res]
    assert scores == sorted(scores, reverse=True)
    assert "pupils vs" in res[0]["explanation"] and "FSM" in res[0]["explanation"]
    assert r["meta"]["group"] == "primary"


def test_similar_options_change_the_list(server):
    base = requests.get(server.url + "/schools/107889/similar", params={"k": 10}, headers=JSON).json()
    near = requests.get(server.url + "/schools/107889/similar",
                        params={"k": 10, "within": "10", "w_km": 1}, headers=JSON).json()
    assert len(base["results"]) == 10
    assert all(x["km"] <= 10 for x in near["results"])
    assert "km away" in near["results"][0]["explanation"]
    assert [x["urn"] for x in base["results"]] != [x["urn"] for x in near["results"]]


def test_similar_matches_the_cli(server):
    web = requests.get(server.url + "/schools/107889/similar", params={"k": 15, "within": "25"}, headers=JSON).json()
    cli = run_cli("similar", "--db", server.db, "107889", "--k", "15", "--within-km", "25", "--json")
    assert cli.returncode == 0, cli.stderr
    assert [x["urn"] for x in json.loads(cli.stdout)["results"]] == [x["urn"] for x in web["results"]]


def test_similar_page_renders_a_form_and_the_list(server):
    html = requests.get(server.url + "/schools/107889/similar", headers=HTML).text
    assert 'name="w_pupils"' in html and "<ol class=\"similar\">" in html


@pytest.mark.parametrize("params", [{"k": 100000}, {"k": 0}, {"within": "7"}, {"w_fsm": "-1"},
                                    {"w_pupils": 0, "w_fsm": 0, "w_ehc": 0}])
def test_absurd_similar_options_are_400(server, params):
    r = requests.get(server.url + "/schools/107889/similar", params=params, headers=JSON)
    assert r.status_code == 400, r.text


def test_a_closed_school_has_no_similar_list_but_a_reason(server):
    urn = store.query(server.db, "SELECT urn FROM school WHERE status_code = '2' AND phase_group = 'primary' "
                      "LIMIT 1")[0][0]
    r = requests.get(server.url + f"/schools/{urn}/similar", headers=JSON)
    assert r.status_code == 422 and "closed" in r.json()["detail"]


def test_similar_cli_bad_input(server):
    assert run_cli("similar", "--db", server.db, "abc").returncode == 2
    assert run_cli("similar", "--db", server.db, "107889", "--k", "100000").returncode == 2
    r = run_cli("similar", "--db", server.db, "999999999")
    assert r.returncode == 1 and "no school with URN" in r.stderr
