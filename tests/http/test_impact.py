# SPDX-License-Identifier: AGPL-3.0-or-later
"""Impact reports, black-box (issue 16): the network's impact page in HTML and
JSON for the people who run the network (in full) and for school leads
(figures only), each school's own page, the CSV and XLSX exports and the
publishing switch; nothing ever ranks schools and counts of people under 5
read "fewer than 5"; periods that cannot be reported on get a 400 with a
message on the same page, a year with nothing in it says so, and outsiders
get nothing by any URL. The world is the demo network (`tandem demo`) on a
fixed clock, in its first autumn term, with its history (`demo --history`)."""
import calendar
import io
import json
import re
import zipfile

import pytest

from tandem_server import Server, run_cli
from support import DEMO, DENIED, WEETWOOD, Person, add_user, execute, one, query

SLUG = "aire-valley-learning-partnership"
NET = "/networks/" + SLUG
DEMO_PASSWORD = "aire-valley-demo"
ADEL = 107892
# Wednesday 1 October 2025, 09:00 UTC: the demo's programme has a session behind it with its register.
T0 = calendar.timegm((2025, 10, 1, 9, 0, 0))
ROLES = {
    "coordinator": "coordinator@tandem.example",
    "admin": "admin@tandem.example",
    "lead": "lead.weetwood@tandem.example",
    "lead_adel": "lead.adel@tandem.example",
    "staff": "staff.weetwood@tandem.example",
    "governor": "governor.weetwood@tandem.example",
}
# Words that rank: none may appear on a report.
RANKING = re.compile(r"\b(top|best|worst|lowest|highest|rank|ranked|ranking|league|position \d)\b", re.I)


class World:
    """Filled in by the fixture: db, server, people (p), an outsider's school (outside) and member schools."""


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("impact") / "impact.db")
    r = run_cli("import-gias", "--db", db, DEMO)
    assert r.returncode == 0, r.stderr
    r = run_cli("demo", "--db", db, "--history", env={"TANDEM_NOW": str(T0 - 86400)})
    assert r.returncode == 0, r.stderr
    assert "Demo impact: 10 past sessions" in r.stdout
    w = World()
    w.db = db
    w.members = {row[0]: row[1] for row in query(
        db, "SELECT ns.urn, s.name FROM network_school ns JOIN school s ON s.urn = ns.urn")}
    w.outside = one(db, "SELECT urn FROM school WHERE urn NOT IN (SELECT urn FROM network_school) "
                        "ORDER BY urn LIMIT 1")
    add_user(db, "lead@outside.test", "Olu Outsider", w.outside, "lead")
    w.server = Server(db=db, env={"TANDEM_NOW": str(T0)})
    try:
        w.p = {k: Person(w.server, e, password=DEMO_PASSWORD) for k, e in ROLES.items()}
        w.p["outsider"] = Person(w.server, "lead@outside.test")
        w.p["anonymous"] = Person(w.server)
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def main(html):
    """The page's main content, without the site's header and footer."""
    return html[html.index("<main"):html.index("</main>")]


def report(w, who, path=NET + "/impact"):
    r = w.p[who].get(path, json=True)
    assert r.status_code == 200, (who, path, r.status_code, r.text[:500])
    return r.json()


def tables(rep):
    return {t["key"]: t for s in rep["sections"] for t in s["tables"]}


def test_the_coordinator_sees_the_whole_report_with_charts_and_tables(w):
    r = w.p["coordinator"].get(NET + "/impact")
    assert r.status_code == 200
    page = main(r.text)
    for heading in ("Impact 2025/26", "Professional development", "Breadth", "Partnerships", "Practice",
                    "Introductions", "Feedback by Guskey"):
        assert heading in page, heading
    assert page.count("<svg") >= 5 and page.count("<title id=") == page.count("<svg")
    assert "The whole report as a spreadsheet" in page
    rep = report(w, "coordinator")["report"]
    assert rep["view"] == "full" and not rep["empty"]
    t = tables(rep)
    assert {"themes", "audiences", "giving", "feedback", "phases", "areas", "schools", "partnership_types",
            "health", "hours", "measures", "practice", "introductions"} <= set(t)
    assert [row["cells"][0]["value"] for row in t["schools"]["rows"]] == sorted(w.members.values())


def test_a_school_lead_sees_the_figures_and_no_school_or_person_by_name(w):
    rep = report(w, "lead")["report"]
    assert rep["view"] == "aggregate"
    text = json.dumps(rep)
    for name in w.members.values():
        assert name not in text, name
    assert "schools" not in tables(rep) and "giving" not in tables(rep)
    page = main(w.p["lead"].get(NET + "/impact").text)
    assert "no school or person is named" in page
    assert 'href="%s/schools/%d/impact">Your school over time' % (NET, WEETWOOD) in page
    for name in w.members.values():
        assert name not in page, name


@pytest.mark.parametrize("who", ["coordinator", "lead"])
def test_no_page_ranks_schools_or_uses_ranking_words(w, who):
    paths = [NET + "/impact", NET + "/impact?year=2024", NET + "/schools/%d/impact" % WEETWOOD]
    for path in paths:
        page = main(w.p[who].get(path).text)
        assert not RANKING.search(re.sub(r"<[^>]+>", " ", page)), (path, RANKING.search(page))
        body = w.p[who].get(path, json=True).text
        assert not RANKING.search(json.dumps(json.loads(body)["report"])), path
    rep = report(w, who)["report"]
    for t in tables(rep).values():
        if t["columns"][0] in ("School", "Partnership") and t["key"] != "measures":
            first = [row["cells"][0]["value"] for row in t["rows"]]
            assert first == sorted(first), t["key"]


def people_cells(rep):
    """Every figure and cell that counts people, with where it is."""
    out = []
    for s in rep["sections"]:
        for f in s["figures"]:
            if re.search(r"trained|Staff|governors|forms returned", f["label"]):
                out.append((f["label"], f["value"]))
        for t in s["tables"]:
            for i, col in enumerate(t["columns"]):
                if re.search(r"People|Staff|trained|Answers", col):
                    out += [(t["key"] + "/" + col, row["cells"][i]["value"]) for row in t["rows"]]
    return out


@pytest.mark.parametrize("who", ["coordinator", "lead"])
def test_counts_of_people_under_five_read_fewer_than_5(w, who):
    cells = people_cells(report(w, who)["report"])
    assert cells
    for where, value in cells:
        assert value not in ("1", "2", "3", "4"), (where, value)
    assert any(v == "fewer than 5" for _, v in cells)
    school = report(w, who, NET + "/schools/%d/impact" % WEETWOOD)
    for where, value in people_cells(school["report"]):
        assert value not in ("1", "2", "3", "4"), (where, value)


def test_a_period_ending_before_it_starts_is_refused_on_the_same_page(w):
    r = w.p["coordinator"].get(NET + "/impact?from=2026-03-01&to=2026-01-31")
    assert r.status_code == 400
    assert "must not be before its first day" in r.text and 'id="period-to-error"' in r.text
    assert 'value="2026-03-01"' in r.text and "Choose a period" in r.text
    j = w.p["coordinator"].get(NET + "/impact?from=2026-03-01&to=2026-01-31", json=True)
    assert j.status_code == 400 and "to" in j.text


def test_a_period_over_ten_years_is_refused_and_ten_years_are_not(w):
    r = w.p["coordinator"].get(NET + "/impact?from=2010-09-01&to=2025-08-31")
    assert r.status_code == 400 and "at most 10 years" in r.text
    assert w.p["coordinator"].get(NET + "/impact?from=2015-09-01&to=2025-08-31").status_code == 200
    r = w.p["coordinator"].get(NET + "/impact?from=2015-09-01")
    assert r.status_code == 400 and "both the first and the last day" in r.text
    r = w.p["coordinator"].get(NET + "/impact?year=1990")
    assert r.status_code == 400 and "Academic year" in r.text


def test_a_period_of_days_is_reported_with_its_dates(w):
    rep = report(w, "coordinator", NET + "/impact?from=2025-09-01&to=2025-12-31")["report"]
    assert rep["period"]["label"] == "1 September 2025 to 31 December 2025"


def test_a_year_with_no_data_says_so(w):
    r = w.p["coordinator"].get(NET + "/impact?year=2012")
    assert r.status_code == 200 and "Nothing was recorded for 2012/13" in r.text
    assert report(w, "coordinator", NET + "/impact?year=2012")["report"]["empty"] is True


def test_a_school_not_in_the_network_has_no_impact_page(w):
    for urn in (w.outside, 999999):
        r = w.p["coordinator"].get(NET + "/schools/%d/impact" % urn)
        assert r.status_code == 404, urn
        assert "not a member" in r.text


def test_a_lead_sees_their_own_school_over_time_and_no_other(w):
    rep = report(w, "lead", NET + "/schools/%d/impact" % WEETWOOD)["report"]
    years = [row["cells"][0]["value"] for row in tables(rep)["school_years"]["rows"]]
    assert years == ["2021/22", "2022/23", "2023/24", "2024/25", "2025/26"]
    page = main(w.p["lead"].get(NET + "/schools/%d/impact" % WEETWOOD).text)
    assert "against its own past only" in page and page.count("<svg") == 2
    assert w.p["lead"].get(NET + "/schools/%d/impact" % ADEL).status_code == 403
    assert w.p["coordinator"].get(NET + "/schools/%d/impact" % ADEL).status_code == 200


def test_each_table_downloads_as_csv_and_the_report_as_one_workbook(w):
    r = w.p["coordinator"].get(NET + "/impact.csv?table=themes&year=2025")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert r.text.splitlines()[0] == "Theme,Sessions,People trained,Hours of CPD"
    assert w.p["coordinator"].get(NET + "/impact.csv?table=nothing").status_code == 404
    lead = w.p["lead"].get(NET + "/impact.csv?table=schools")
    assert lead.status_code == 404    # the lead's report has no table of schools by name
    x = w.p["coordinator"].get(NET + "/impact.xlsx?year=2025")
    assert x.status_code == 200 and x.content[:2] == b"PK"
    sheets = [n for n in zipfile.ZipFile(io.BytesIO(x.content)).namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 1 + len(tables(report(w, "coordinator")["report"]))
    bad = w.p["coordinator"].get(NET + "/impact.xlsx?from=2026-03-01&to=2026-01-31")
    assert bad.status_code == 400


IMPACT_URLS = [NET + "/impact", NET + "/impact?year=2012", NET + "/impact?from=2026-03-01&to=2026-01-31",
               NET + "/impact.csv?table=themes", NET + "/impact.xlsx", NET + "/schools/%d/impact" % WEETWOOD]


@pytest.mark.parametrize("who", ["outsider", "staff", "governor"])
def test_people_who_may_not_see_the_report_get_nothing_by_any_url(w, who):
    for path in IMPACT_URLS:
        r = w.p[who].get(path)
        assert r.status_code in DENIED, (who, path, r.status_code)
        assert "Professional development" not in r.text
    r = w.p[who].post(NET + "/impact/publish", {"published": "1"})
    assert r.status_code in DENIED
    assert one(w.db, "SELECT COUNT(*) FROM impact_report") in (0, None) or \
        one(w.db, "SELECT published FROM impact_report") == 0


def test_anonymous_visitors_are_sent_to_sign_in_by_any_url(w):
    for path in IMPACT_URLS:
        r = w.p["anonymous"].get(path)
        assert r.status_code == 303 and "/sign-in" in r.headers["Location"], (path, r.status_code)
        assert w.p["anonymous"].get(path, json=True).status_code == 401


def test_a_published_report_shows_everyone_the_figures_and_never_names(w):
    coord = w.p["coordinator"]
    assert "Publish the figures" in coord.get(NET + "/impact").text
    r = coord.post(NET + "/impact/publish", {"published": "1"})
    assert r.status_code == 303 and r.headers["Location"] == NET + "/impact"
    try:
        for who in ("anonymous", "outsider", "staff"):
            rep = report(w, who)["report"]
            assert rep["view"] == "aggregate"
            text = json.dumps(rep) + main(w.p[who].get(NET + "/impact").text)
            for name in w.members.values():
                assert name not in text, (who, name)
            # A school's own page stays with its lead and the people who run the network.
            assert w.p[who].get(NET + "/schools/%d/impact" % WEETWOOD).status_code in DENIED + (303,)
    finally:
        assert coord.post(NET + "/impact/publish", {"published": "0"}).status_code == 303
    assert w.p["anonymous"].get(NET + "/impact").status_code == 303
    assert w.p["lead"].post(NET + "/impact/publish", {"published": "1"}).status_code == 403


def test_the_demo_history_gives_every_chart_something_and_loads_once(w):
    page = main(w.p["coordinator"].get(NET + "/impact").text)
    charts = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(charts) == 6
    for svg in charts:
        assert "Nothing to show" not in svg, svg[:300]
    sessions = one(w.db, "SELECT COUNT(*) FROM course_session")
    r = run_cli("demo", "--db", w.db, "--history", env={"TANDEM_NOW": str(T0 - 86400)})
    assert r.returncode == 0 and "Demo impact" not in r.stdout
    assert one(w.db, "SELECT COUNT(*) FROM course_session") == sessions


def test_a_private_network_s_impact_pages_do_not_exist_for_outsiders(w):
    r = w.p["coordinator"].post("/networks", {"name": "Quiet Valley Partnership"})
    slug = r.headers["Location"].rsplit("/", 1)[1]
    base = "/networks/" + slug
    assert w.p["coordinator"].get(base + "/impact").status_code == 200
    for path in (base + "/impact", base + "/impact.csv?table=themes", base + "/impact.xlsx",
                 base + "/schools/%d/impact" % WEETWOOD, base + "/impact?year=1990"):
        assert w.p["outsider"].get(path).status_code == 404, path
        assert w.p["lead"].get(path).status_code == 404, path
    assert w.p["outsider"].post(base + "/impact/publish", {"published": "1"}).status_code == 404


def test_a_long_list_of_partnerships_is_left_to_the_exports_which_hold_every_row(w):
    net = one(w.db, "SELECT id FROM network WHERE slug = ?", SLUG)
    for k in range(101):
        execute(w.db, "INSERT INTO partnership (network_id, title, state, type, created_at, updated_at, "
                      "health_status) VALUES (?, ?, 'active', 'mutual', ?, ?, 'on_track')",
                net, "Long list %03d" % k, "2025-09-02T10:00:00Z", "2025-09-02T10:00:00Z")
    total = one(w.db, "SELECT COUNT(*) FROM partnership WHERE network_id = ?", net)
    rep = report(w, "coordinator")["report"]
    listed = tables(rep)["partnership_list"]
    assert listed["rows"] == [] and listed["note"].startswith("%d partnerships" % total)
    page = main(w.p["coordinator"].get(NET + "/impact").text)
    assert "%d partnerships: the list by title is in the spreadsheet" % total in page
    csv = w.p["coordinator"].get(NET + "/impact.csv?table=partnership_list&year=2025").text.splitlines()
    assert len(csv) == 1 + total
    titles = [line.split(",")[0] for line in csv[1:]]
    assert titles == sorted(titles)


def test_case_studies_and_tries_count_in_the_practice_table(w):
    """The demo's case studies (shared with the network) and its "we tried this" records, some
    answered, are counted in the report's practice table for the year they happened in."""
    cases = one(w.db, "SELECT COUNT(*) FROM practice_case WHERE visibility = 'network' AND draft = 0")
    tries = one(w.db, "SELECT COUNT(*) FROM practice_tried")
    assert cases >= 2 and tries >= 3
    rows = {row["cells"][0]["value"]: row["cells"][1]["value"]
            for row in tables(report(w, "coordinator")["report"])["practice"]["rows"]}
    assert rows["Case studies shared with the network"] == str(cases)
    assert rows["Ideas, articles and case studies another school started trying (\"we tried this\")"] == str(tries)
    answered = one(w.db, "SELECT COUNT(*) FROM practice_tried WHERE outcome IS NOT NULL")
    assert int(rows["Tries reported as having worked, or partly"]) + int(rows["Tries reported as not having worked"]) \
        == answered


@pytest.mark.parametrize("who,shown", [("coordinator", True), ("lead", True), ("staff", False), ("governor", False)])
def test_the_network_menu_links_the_report_only_for_those_who_may_read_it(w, who, shown):
    home = w.p[who].get(NET).text
    assert ('href="%s/impact"' % NET in home) is shown


def test_a_term_is_reported_with_its_months_and_a_bad_term_is_refused(w):
    spring = report(w, "coordinator", NET + "/impact?year=2025&term=spring")["report"]
    assert "Spring term 2025/26" in json.dumps(spring)
    page = w.p["coordinator"].get(NET + "/impact?year=2025").text
    assert 'href="%s/impact?year=2025&amp;term=autumn"' % NET in page
    csv = w.p["coordinator"].get(NET + "/impact.csv?table=themes&year=2025&term=autumn")
    assert csv.status_code == 200
    bad = w.p["coordinator"].get(NET + "/impact?year=2025&term=winter")
    assert bad.status_code == 400 and "Term" in bad.text
