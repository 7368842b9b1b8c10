# SPDX-License-Identifier: AGPL-3.0-or-later
"""Helpers for the accounts and mail black-box tests: people made with
`tandem user add`, a browser-like client that signs in and carries the CSRF
token of the page it last read, and small readers of the server's database."""
import itertools
import re

import requests

import store
from tandem_server import run_cli

PASSWORD = "copper-meadow-lantern-7"
HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/json"}
CSRF_MESSAGE = "This form has expired or came from another site. Reload the page and try again."

_addresses = itertools.count(1)


def fresh_address():
    """A client address of our own (sent as X-Forwarded-For, which the server
    trusts from loopback), so each test has its own sign-in throttle."""
    n = next(_addresses)
    return f"198.51.{100 + n // 250}.{n % 250 + 1}"


def add_user(db, email, name="Test Person", password=PASSWORD, admin=False, school=None, role=None):
    """Create a person with the CLI; returns the CompletedProcess."""
    args = ["user", "add", "--email", email, "--name", name]
    if admin:
        args.append("--admin")
    if school:
        args += ["--school", str(school)]
    if role:
        args += ["--role", role]
    return run_cli(*args, input=password + "\n", db=db)


def make_user(db, email, name="Test Person", password=PASSWORD, **kw):
    r = add_user(db, email, name, password, **kw)
    assert r.returncode == 0, r.stderr
    return person_id(db, email)


def query(db, sql, *args):
    return store.query(db, sql, *args)


def person_id(db, email):
    rows = query(db, "SELECT id FROM person WHERE email = ?", email.lower())
    return rows[0][0] if rows else None


def add_school(db, urn, name):
    """A minimal school row in the register (enough for a person's school)."""
    store.execute(db, "INSERT INTO school (urn, name, phase_group, row_hash, updated_at) "
                  "VALUES (?, ?, 'primary', 'x', '2025-01-01T00:00:00Z') ON CONFLICT DO NOTHING", urn, name)


def csrf_of(html):
    m = re.search(r'name="csrf" value="([^"]*)"', html)
    return m.group(1) if m else None


class Browser:
    """A requests session that behaves like a browser on one server."""

    def __init__(self, server, address=None):
        self.server = server
        self.s = requests.Session()
        self.s.headers["X-Forwarded-For"] = address or fresh_address()
        self.token = None

    def url(self, path):
        return self.server.url + path

    def get(self, path, json=False, **kw):
        r = self.s.get(self.url(path), headers=JSON if json else HTML, allow_redirects=False, **kw)
        if not json and r.headers.get("Content-Type", "").startswith("text/html"):
            t = csrf_of(r.text)
            if t:
                self.token = t
        return r

    def post(self, path, data=None, json=False, csrf=True, headers=None, **kw):
        data = dict(data or {})
        if csrf and "csrf" not in data:
            if self.token is None:
                self.get("/sign-in")
            data["csrf"] = self.token
        h = dict(JSON if json else HTML)
        h.update(headers or {})
        return self.s.post(self.url(path), data=data, headers=h, allow_redirects=False, **kw)

    def sign_in(self, email, password=PASSWORD, expect=303):
        self.get("/sign-in")
        r = self.post("/sign-in", {"email": email, "password": password})
        assert r.status_code == expect, (r.status_code, r.text[:500])
        if expect == 303:
            self.get("/account")  # pick up the session's CSRF token
        return r

    @property
    def session_cookie(self):
        return self.s.cookies.get("tandem_session")
