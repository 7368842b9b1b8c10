# SPDX-License-Identifier: AGPL-3.0-or-later
"""Impact reports kept in memory stay exact (issue 16, performance): a server
keeps a computed report and serves it again until anything changes, so a
change made through the site, or by another process on the same database
(the command line), shows on the very next impact page, in HTML and in
JSON; and a report kept for one reader is never served to a reader who may
see less (a school lead gets the figures only, however often the
coordinator looked first). The world is the plain demo network on a fixed
clock, in its first autumn term; the CLI adds its history while the server
runs."""
import calendar
import json
import re

import pytest

from tandem_server import Server, run_cli
from support import DEMO, Person, one

SLUG = "aire-valley-learning-partnership"
NET = "/networks/" + SLUG
DEMO_PASSWORD = "aire-valley-demo"
ADEL = 107892
# Wednesday 1 October 2025, 09:00 UTC, as in test_impact.py.
T0 = calendar.timegm((2025, 10, 1, 9, 0, 0))


class World:
    """Filled in by the fixture: db, server, people (p) and the member schools' names."""


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("impact_fresh") / "impact.db")
    r = run_cli("import-gias", "--db", db, DEMO)
    assert r.returncode == 0, r.stderr
    r = run_cli("demo", "--db", db, env={"TANDEM_NOW": str(T0 - 86400)})
    assert r.returncode == 0, r.stderr
    w = World()
    w.db = db
    w.server = Server(db=db, env={"TANDEM_NOW": str(T0)})
    try:
        w.p = {k: Person(w.server, e, password=DEMO_PASSWORD) for k, e in (
            ("coordinator", "coordinator@tandem.example"), ("lead", "lead.weetwood@tandem.example"))}
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def report(w, who, path=NET + "/impact"):
    r = w.p[who].get(path, json=True)
    assert r.status_code == 200, (who, path, r.status_code, r.text[:300])
    return r.json()["report"]


def page(w, who, path=NET + "/impact"):
    r = w.p[who].get(path)
    assert r.status_code == 200, (who, path, r.status_code)
    return r.text[r.text.index("<main"):r.text.index("</main>")]


def cell(rep, table, row, col):
    """The value in the first column's row `row`, column `col`, of table `table`."""
    for s in rep["sections"]:
        for t in s["tables"]:
            if t["key"] == table:
                for r in t["rows"]:
                    if r["cells"][0]["value"] == row:
                        return next(c["value"] for c in r["cells"] if c["label"] == col)
    raise KeyError((table, row, col))


def headline(rep, label):
    return next(h["value"] for h in rep["headline"] if h["label"] == label)


def asked_on_page(html):
    m = re.search(r'Introductions asked for</td><td data-label="Proposed or asked">(\d+)</td>', html)
    assert m, "no introductions row on the page"
    return int(m.group(1))


def test_an_introduction_asked_for_shows_on_the_impact_page_at_once(w):
    # Looked at twice in each form, so that the second look is the kept report.
    for _ in range(2):
        before = int(cell(report(w, "coordinator"), "introductions", "Introductions asked for", "Proposed or asked"))
        html_before = asked_on_page(page(w, "coordinator"))
        lead_before = int(cell(report(w, "lead"), "introductions", "Introductions asked for", "Proposed or asked"))
    assert html_before == before == lead_before
    r = w.p["lead"].post("/introductions", {"network": SLUG, "to": str(ADEL),
                                            "message": "Could we learn from your phonics teaching?"})
    assert r.status_code == 303, r.text[:300]
    assert int(cell(report(w, "coordinator"), "introductions", "Introductions asked for",
                    "Proposed or asked")) == before + 1
    assert asked_on_page(page(w, "coordinator")) == before + 1
    assert int(cell(report(w, "lead"), "introductions", "Introductions asked for",
                    "Proposed or asked")) == before + 1


def test_the_command_line_changing_the_database_shows_on_the_impact_page_at_once(w):
    """`tandem demo --history`, another process, adds a year of history while the server runs."""
    for _ in range(2):
        rep = report(w, "coordinator")
        html = page(w, "coordinator")
    running = int(headline(rep, "Partnerships running"))
    sessions = int(headline(rep, "Sessions delivered"))
    assert 'data-label="School"' in html
    r = run_cli("demo", "--db", w.db, "--history", env={"TANDEM_NOW": str(T0 - 86400)})
    assert r.returncode == 0 and "Demo impact" in r.stdout, r.stderr
    rep = report(w, "coordinator")
    assert int(headline(rep, "Partnerships running")) > running
    assert int(headline(rep, "Sessions delivered")) > sessions
    html = page(w, "coordinator")
    assert "Reasoning together: Iveson and Ireland Wood" in html
    assert "Reasoning together: Iveson and Ireland Wood" not in page(w, "lead")


@pytest.mark.parametrize("form", ["json", "html"])
def test_a_kept_report_is_never_shown_to_a_reader_who_may_see_less(w, form):
    """The coordinator and a school lead take turns, so each finds a report kept by the other's look."""
    adel = one(w.db, "SELECT name FROM school WHERE urn = ?", ADEL)
    for _ in range(3):
        if form == "json":
            full, figures = report(w, "coordinator"), report(w, "lead")
            assert full["view"] == "full" and figures["view"] == "aggregate"
            full, figures = json.dumps(full), json.dumps(figures)
        else:
            full, figures = page(w, "coordinator"), page(w, "lead")
            assert "no school or person is named" in figures and "no school or person is named" not in full
        assert adel in full and adel not in figures
