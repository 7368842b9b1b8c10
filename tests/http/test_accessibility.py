# SPDX-License-Identifier: AGPL-3.0-or-later
"""Accessibility, black-box: the accessibility statement (/accessibility) in
the form of the UK public sector's model statement, linked from every page's
footer, with the contact the operator sets (TANDEM_CONTACT_EMAIL; a value
that is not an address stops tandem with a message) and the axe-core version
the browser tests pin; and, read from the templates, the rules the browser
test checks on the pages it can reach: a button that removes something is
.button--danger, and every cell of a table with column headings carries its
heading as data-label (tables become labelled stacked rows on phones)."""
import glob
import json
import os
import re

import requests

from tandem_server import ROOT, Server, run_cli

HTML = {"Accept": "text/html"}
TEMPLATES = os.path.join(ROOT, "templates")


def get(server, path, **kw):
    return requests.get(server.url + path, headers=kw.pop("headers", HTML), allow_redirects=False, **kw)


def test_the_statement_has_every_section_of_the_model_statement(server):
    r = get(server, "/accessibility")
    assert r.status_code == 200
    headings = re.findall(r"<h[1-4][^>]*>([^<]+)</h[1-4]>", r.text)
    for section in ("Accessibility statement for Tandem", "How accessible this service is",
                    "Feedback and contact information", "Reporting accessibility problems with this service",
                    "Enforcement procedure", "Technical information about this service's accessibility",
                    "Compliance status", "Non-accessible content",
                    "Non-compliance with the accessibility regulations", "Disproportionate burden",
                    "Content that's not within the scope of the accessibility regulations",
                    "What we're doing to improve accessibility", "Preparation of this accessibility statement"):
        assert section in headings, section
    assert "partially compliant" in r.text and "Web Content Accessibility Guidelines version 2.2</a> AA" in r.text
    assert "Equality and Human Rights Commission" in r.text and "Equality Advisory and Support Service" in r.text
    # Dates for people, never ISO.
    assert "prepared on 6 December 2026" in r.text and not re.search(r"\d{4}-\d\d-\d\d", r.text)


def test_every_page_links_to_the_statement_from_its_footer(server):
    for path in ("/", "/schools", "/sign-in", "/accessibility", "/no-such-page"):
        r = get(server, path)
        footer = r.text[r.text.index("<footer"):]
        assert '<a href="/accessibility">Accessibility statement</a>' in footer, path


def test_without_a_contact_email_the_statement_says_to_ask_the_administrator(server):
    r = get(server, "/accessibility")
    assert "mailto:" not in r.text
    assert "ask the administrator of this service" in r.text


def test_the_statement_gives_the_contact_email_the_operator_set():
    s = Server(env={"TANDEM_CONTACT_EMAIL": "access@network.example"})
    try:
        r = get(s, "/accessibility")
        assert r.status_code == 200
        assert r.text.count('<a href="mailto:access@network.example">access@network.example</a>') == 2
        assert get(s, "/accessibility", headers={"Accept": "application/json"}).json() == {
            "title": "Accessibility statement", "contact_email": "access@network.example"}
    finally:
        assert s.close() == 0


def test_a_contact_email_that_is_not_an_address_stops_tandem_with_a_message():
    r = run_cli("version", env={"TANDEM_CONTACT_EMAIL": "the office"})
    assert r.returncode != 0
    assert "TANDEM_CONTACT_EMAIL must be an email address, got 'the office'" in r.stderr


def test_the_statement_names_the_axe_core_version_the_browser_tests_pin(server):
    with open(os.path.join(ROOT, "package-lock.json"), encoding="utf-8") as f:
        pinned = json.load(f)["packages"]["node_modules/axe-core"]["version"]
    with open(os.path.join(ROOT, "package.json"), encoding="utf-8") as f:
        assert json.load(f)["devDependencies"]["axe-core"] == pinned  # an exact version, no range
    assert "axe-core (version %s," % pinned in get(server, "/accessibility").text


def templates():
    for path in sorted(glob.glob(os.path.join(TEMPLATES, "**", "*.mustache"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            yield os.path.relpath(path, TEMPLATES), f.read()


REMOVING = re.compile(r'action="[^"]*/(delete|remove|revoke|decline|close)"')


def test_every_button_that_removes_something_is_marked_as_dangerous():
    found = 0
    for name, text in templates():
        for form in re.findall(r"<form\b.*?</form>", text, re.S):
            head = form[:form.index(">") + 1]
            if 'method="post"' not in head or not REMOVING.search(head):
                continue
            found += 1
            for button in re.findall(r"<button\b[^>]*>", form):
                assert "button--danger" in button, (name, head, button)
    assert found >= 8


def test_every_table_cell_carries_its_column_heading_as_data_label():
    tables = 0
    for name, text in templates():
        for table in re.findall(r"<table\b.*?</table>", text, re.S):
            heads = re.findall(r"<th scope=\"col\">(.*?)</th>", table, re.S)
            if not heads:
                continue
            tables += 1
            labels = ["" if "visually-hidden" in h else
                      re.sub(r"\s*\(since .*\)$", "", re.sub(r"<[^>]+>", "", h)).strip() for h in heads]
            body = table[table.index("</thead>"):]
            for row in re.split(r"<tr>", body)[1:]:
                cells = re.findall(r"<td\b[^>]*>|<th scope=\"row\"[^>]*>", row)
                if any("colspan" in c for c in cells):
                    continue
                for i, cell in enumerate(cells):
                    m = re.search(r'data-label="([^"]*)"', cell)
                    assert (m.group(1) if m else "") == labels[i], (name, i, cell, labels)
    assert tables >= 10
