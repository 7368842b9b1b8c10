# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the black-box tests share, in one place (HACKING.md): the server (tandem_server), the
database readers on either store (store), people made with the CLI, the one browser-like client
of the capability tests (Person), and the steps every world is built with — creating a network,
a school joining it with its lead's consent, reading an invitation link from the outbox — plus
the partnership agreement every partnership test fills in. Test modules import from here and
never from one another.

There is one client, `Browser`, with its own client address for the sign-in throttle; `Person`
is a Browser signed in at creation."""
import itertools
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
CSRF_MESSAGE = "This form has expired or came from another site. Reload the page and try again."

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


def run_user_add(db, email, name="Test Person", password=PASSWORD, admin=False, school=None, role=None):
    """`tandem user add`, the way an administrator makes an account; the CompletedProcess,
    for tests of what the command refuses."""
    args = ["user", "add", "--email", email, "--name", name]
    if admin:
        args.append("--admin")
    if school:
        args += ["--school", str(school)]
    if role:
        args += ["--role", role]
    return run_cli(*args, input=password + "\n", db=db)


def add_user(db, email, name="Test Person", school=None, role=None, admin=False, password=PASSWORD):
    """Create an account with the CLI; its id."""
    r = run_user_add(db, email, name, password=password, admin=admin, school=school, role=role)
    assert r.returncode == 0, r.stderr
    return person_id(db, email)


def person_id(db, email):
    """The id of the account with this address, or None."""
    return one(db, "SELECT id FROM person WHERE email = ?", email.lower())


def add_school(db, urn, name):
    """A minimal school row in the register (enough for a person's school)."""
    execute(db, "INSERT INTO school (urn, name, phase_group, row_hash, updated_at) "
            "VALUES (?, ?, 'primary', 'x', '2025-01-01T00:00:00Z') ON CONFLICT DO NOTHING", urn, name)


_addresses = itertools.count(1)


def fresh_address():
    """A client address of our own (sent as X-Forwarded-For, which the server trusts from
    loopback), so each client has its own sign-in throttle."""
    n = next(_addresses)
    return "198.51.%d.%d" % (100 + n // 250, n % 250 + 1)


def csrf_of(html):
    """The CSRF token in a page's forms, or None."""
    m = re.search(r'name="csrf" value="([^"]*)"', html)
    return m.group(1) if m else None


class Browser:
    """The one browser-like client of the black-box tests: a requests session on one server
    (which a test may change, to carry on through another server), with its own client address,
    the CSRF token of the last page it read, and the Origin header a browser sends with a form.
    Redirects are never followed, so a test sees each 303."""

    def __init__(self, server, address=None):
        self.server = server
        self.s = requests.Session()
        self.s.headers["X-Forwarded-For"] = address or fresh_address()
        self.token = None
        self.signed_in = False

    def url(self, path):
        return self.server.url + path

    def get(self, path, json=False, **kw):
        r = self.s.get(self.url(path), headers=JSON if json else HTML, allow_redirects=False, **kw)
        if not json and r.headers.get("Content-Type", "").startswith("text/html"):
            self.token = csrf_of(r.text) or self.token
        return r

    def csrf(self):
        """The CSRF token the site puts in this session's forms (read from a page if none yet)."""
        if self.token is None:
            r = self.get("/networks" if self.signed_in else "/sign-in")
            assert self.token, r.text[:2000]
        return self.token

    def post(self, path, data=None, json=False, csrf=True, headers=None, **kw):
        """Post a form: csrf=True sends this session's token (unless data has one), a string
        sends that token, False sends none. A browser's Origin goes with it unless the test
        sets Origin or Referer itself."""
        data = dict(data or {})
        if csrf is True and "csrf" not in data:
            data["csrf"] = self.csrf()
        elif isinstance(csrf, str):
            data["csrf"] = csrf
        h = dict(JSON if json else HTML)
        h.update(headers or {})
        if "Origin" not in h and "Referer" not in h:
            h["Origin"] = self.server.url
        return self.s.post(self.url(path), data=data, headers=h, allow_redirects=False, **kw)

    def sign_in(self, email, password=PASSWORD, expect=303):
        r = self.post("/sign-in", {"email": email, "password": password})
        assert r.status_code == expect, (r.status_code, r.text[:500])
        if expect == 303:
            self.signed_in = True
            self.token = None  # a new session: its forms carry a new token
        return r

    def accept(self, token, name, password=PASSWORD, json=False):
        """Accept an invitation: on success the session is signed in as the new account."""
        r = self.post("/invitations/" + token, {"name": name, "password": password}, json=json)
        if r.status_code == 303:
            self.signed_in = True
            self.token = None
        return r

    @property
    def session_cookie(self):
        return self.s.cookies.get("tandem_session")


class Person(Browser):
    """A browser signed in as one person from the start (or nobody, without an email)."""

    def __init__(self, server, email=None, password=PASSWORD):
        super().__init__(server)
        self.email = email
        if email:
            self.sign_in(email, password)


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
