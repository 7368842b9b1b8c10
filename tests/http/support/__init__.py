# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the black-box tests share, in one place (HACKING.md): the server (tandem_server), the
database readers on either store (store), people made with the CLI, the one browser-like client
of the capability tests (Person), and the steps every world is built with — creating a network,
a school joining it with its lead's consent, reading an invitation link from the outbox — plus
the partnership agreement every partnership test fills in. Test modules import from here and
never from one another.

The accounts and mail tests use `accounts_client.Browser`, which also carries a fresh client
address per test for the sign-in throttle."""
import os
import re

import requests

import store
from tandem_server import ROOT, Server, run_cli  # noqa: F401  (re-exported)

DEMO = os.path.join(ROOT, "data", "demo", "edubasealldata20250502-demo.csv.gz")
PASSWORD = "river-kettle-lantern-42"
HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/json"}
DENIED = (403, 404)

# Real open schools of the demo register (north-west Leeds).
WEETWOOD, IRELAND_WOOD, LAWNSWOOD = 107897, 107896, 108055
IVESON, COOKRIDGE, RALPH_THORESBY = 107886, 107894, 108075
BRUDENELL, HAWKSWORTH = 107885, 107893


def execute(db, sql, *args):
    """Run one changing statement on either store; the rows changed."""
    return store.execute(db, sql, *args)


def query(db, sql, *args):
    return store.query(db, sql, *args)


def one(db, sql, *args):
    rows = query(db, sql, *args)
    return rows[0][0] if rows else None


def add_user(db, email, name, school=None, role=None, admin=False):
    """Create an account with the CLI (the way an administrator would); its id."""
    args = ["user", "add", "--email", email, "--name", name]
    if admin:
        args.append("--admin")
    if school:
        args += ["--school", str(school), "--role", role]
    r = run_cli(*args, input=PASSWORD + "\n", db=db)
    assert r.returncode == 0, r.stderr
    return one(db, "SELECT id FROM person WHERE email = ?", email)


class Person:
    """A browser: a requests session signed in as one person (or nobody)."""

    def __init__(self, server, email=None, password=PASSWORD):
        self.server = server
        self.email = email
        self.s = requests.Session()
        self._csrf = None
        self.signed_in = False
        if email:
            self.sign_in(password)

    def url(self, path):
        return self.server.url + path

    def sign_in(self, password=PASSWORD):
        r = self.post("/sign-in", {"email": self.email, "password": password})
        assert r.status_code == 303, (r.status_code, r.text[:500])
        self.signed_in = True
        self._csrf = None

    def accept(self, token, name, password=PASSWORD, json=False):
        """Accept an invitation: on success the session is signed in as the new account."""
        r = self.post("/invitations/" + token, {"name": name, "password": password}, json=json)
        if r.status_code == 303:
            self.signed_in = True
            self._csrf = None
        return r

    def csrf(self):
        """The CSRF token the site puts in this session's forms."""
        if self._csrf is None:
            r = self.s.get(self.url("/networks" if self.signed_in else "/sign-in"), headers=HTML)
            m = re.search(r'name="csrf" value="([^"]*)"', r.text)
            assert m, r.text[:2000]
            self._csrf = m.group(1)
        return self._csrf

    def get(self, path, json=False):
        return self.s.get(self.url(path), headers=JSON if json else HTML, allow_redirects=False)

    def post(self, path, data=None, json=False, csrf=True):
        data = dict(data or {})
        if csrf is True:
            data["csrf"] = self.csrf()
        elif csrf:
            data["csrf"] = csrf
        headers = dict(JSON if json else HTML)
        headers["Origin"] = self.server.url
        return self.s.post(self.url(path), data=data, headers=headers, allow_redirects=False)


def location(r):
    assert r.status_code == 303, (r.status_code, r.text[:1500])
    return r.headers["Location"]


def create_network(p, name, description="", region="", public=False):
    data = {"name": name, "description": description, "region": region}
    if public:
        data["is_public"] = "1"
    loc = location(p.post("/networks", data))
    assert loc.startswith("/networks/")
    return loc.rsplit("/", 1)[1]


def ask_and_accept(coord, lead, slug, urn):
    """A coordinator asks a school to join and its lead accepts: the only way a coordinator's network grows."""
    location(coord.post("/networks/%s/schools" % slug, {"urn": urn}))
    assert location(lead.post("/networks/%s/membership" % slug, {"answer": "accept"})) == \
        "/networks/%s?joined=1" % slug


def last_invitation_token(db, email):
    body = one(db, "SELECT body FROM outbox WHERE to_addr = ? ORDER BY id DESC LIMIT 1", email)
    assert body, "no email to %s in the outbox" % email
    m = re.search(r"/invitations/([A-Za-z0-9_-]{43})", body)
    assert m, body
    return m.group(1)



# ---- partnerships ------------------------------------------------------------------------------

COMPLETE = {
    "type": "mutual", "challenge": "Reasoning in upper key stage 2 maths.",
    "outcomes": "A shared reasoning scheme and better Year 6 reasoning scores.",
    "themes": "maths\nreasoning", "licence": "cc_by", "starts_on": "2025-09-01", "ends_on": "2026-07-20",
    "decision": "consensus", "cadence_weeks": "4",
}
MEASURE = {"name": "Year 6 reasoning", "unit": "%", "pupil_group": "Year 6 pupils", "baseline": "52",
           "target": "70", "method": "Termly reasoning paper", "when": "each term",
           "baseline_on": "2025-09-15", "target_by": "2026-06-30"}
RISK = {"risk": "Staff turnover", "likelihood": "2", "impact": "3", "mitigation": "Two people per school",
        "owner": "Both heads", "status": "open"}


def agreement_form(w, extra=None):
    """A complete agreement between Weetwood and w.similar, as the form sends it."""
    data = dict(COMPLETE)
    for urn in (WEETWOOD, w.similar):
        data.update({"hours_%d" % urn: "20", "budget_%d" % urn: "500", "objectives_%d" % urn: "yes"})
    data["keeper_person_id"] = str(w.ids["lead_w"])
    data.update(extra or {})
    return data
