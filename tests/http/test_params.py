# SPDX-License-Identifier: AGPL-3.0-or-later
"""Declared parameters at the edge, black-box, on routes anyone can reach:
a body that is neither a form nor JSON is a 415 that says what is accepted,
a field given twice is a 400 that names it (declared or not, whether the
route words its own errors or not), and an invalid choice is refused."""

import requests

from support import Browser

JSON = {"Accept": "application/json"}


def csrf_and_session(server):
    """A session holding the sign-in page's CSRF cookie, and its token (through the one client,
    whose raw session then sends bodies no form would)."""
    b = Browser(server)
    return b.s, b.csrf()


def post(server, s, path, **kw):
    headers = {**JSON, "Origin": server.url, **kw.pop("headers", {})}
    return s.post(server.url + path, headers=headers, allow_redirects=False, **kw)


def test_a_text_body_is_a_415_naming_the_accepted_types(server):
    s, token = csrf_and_session(server)
    r = post(server, s, "/sign-in", data="email=a@b.example&csrf=" + token,
             headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    p = r.json()
    assert p["detail"] == ("Send the data as a form (application/x-www-form-urlencoded) or as JSON "
                           "(application/json); this request sent text/plain.")
    assert r.headers["Accept-Post"] == "application/x-www-form-urlencoded, application/json"


def test_a_body_without_a_content_type_is_a_415_that_says_so(server):
    s, token = csrf_and_session(server)
    req = requests.Request("POST", server.url + "/sign-out", data=b"csrf=" + token.encode(),
                           headers={**JSON, "Origin": server.url}).prepare()
    req.headers.pop("Content-Type", None)
    r = s.send(req, allow_redirects=False)
    assert r.status_code == 415
    assert "no Content-Type header" in r.json()["detail"]


def test_a_declared_field_given_twice_is_a_400_naming_it(server):
    s, token = csrf_and_session(server)
    r = post(server, s, "/sign-in", data=[("csrf", token), ("email", "a@b.example"),
                                          ("email", "c@d.example"), ("password", "x")])
    assert r.status_code == 400
    assert r.json()["errors"]["email"] == "Email address must be given only once"
    assert "email" in r.json()["detail"]


def test_an_undeclared_field_given_twice_is_a_400_naming_it(server):
    s, token = csrf_and_session(server)
    r = post(server, s, "/sign-in", data=[("csrf", token), ("email", "a@b.example"), ("password", "x"),
                                          ("remember", "1"), ("remember", "0")])
    assert r.status_code == 400
    assert "remember" in r.json()["errors"]
    r = requests.get(server.url + "/?tab=a&tab=b", headers=JSON)
    assert r.status_code == 400 and "tab" in r.json()["errors"]


def test_an_invalid_choice_is_refused(server):
    r = requests.get(server.url + "/sign-in?notice=maybe", headers=JSON)
    assert r.status_code == 400
    assert "notice" in r.json()["errors"]

