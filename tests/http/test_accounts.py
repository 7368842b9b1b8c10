# SPDX-License-Identifier: AGPL-3.0-or-later
"""Accounts, black-box: signing in and out, wrong passwords, throttling and
lock-out (and the lock ending when time moves on), idle and absolute session
expiry, signing out everywhere, `tandem user add` and its refusals, changing
the password, CSRF (missing or wrong token, forged Origin or Referer,
cross-site fetches), personal API tokens, the account's data export and
deletion, the administrators' audit log, and the bad inputs: empty and
oversized fields, markup and SQL in names."""
import json
import re
import time

import pytest
import requests

from support import (CSRF_MESSAGE, HTML, JSON, PASSWORD, Browser, add_school, add_user, fresh_address,
                     person_id, query, run_user_add)
import store
from tandem_server import Server

ADMIN = "ada.admin@example.org"


@pytest.fixture(scope="module")
def srv():
    s = Server()
    add_user(s.db, ADMIN, "Ada Admin", admin=True)
    yield s
    code = s.close()
    assert code == 0, "tandem exited with %r; its log:\n%s" % (code, "".join(s.log[-40:]))


def admin(srv):
    b = Browser(srv)
    b.sign_in(ADMIN)
    return b


def audit_events(db, subject=None):
    if subject is None:
        return [r[0] for r in query(db, "SELECT event FROM audit_log ORDER BY id")]
    return [r[0] for r in query(db, "SELECT event FROM audit_log WHERE subject_id = ?1 OR actor_id = ?1 "
                                    "ORDER BY id", subject)]


# ---- signing in and out ---------------------------------------------------------------------------

def test_the_sign_in_form_is_labelled_and_carries_a_csrf_cookie(srv):
    r = requests.get(srv.url + "/sign-in", headers=HTML)
    assert r.status_code == 200
    assert '<label for="email">Email address</label>' in r.text
    assert 'autocomplete="username"' in r.text and 'autocomplete="current-password"' in r.text
    token = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)
    cookie = r.headers["Set-Cookie"]
    assert f"tandem_csrf={token}" in cookie
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert '<a href="/sign-in">Sign in</a>' in r.text


def test_signing_in_and_out(srv):
    add_user(srv.db, "sam.signin@example.org", "Sam Signin")
    b = Browser(srv)
    b.get("/sign-in?next=/account")
    r = b.post("/sign-in", {"email": "Sam.Signin@Example.org", "password": PASSWORD, "next": "/account"})
    assert r.status_code == 303 and r.headers["Location"] == "/account"
    cookie = r.headers["Set-Cookie"]
    assert "tandem_session=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    token = b.session_cookie
    assert len(token) == 43
    # Only the token's hash is stored.
    stored = query(srv.db, "SELECT token_hash FROM session WHERE person_id = ?", person_id(srv.db, "sam.signin@example.org"))
    assert stored and all(token not in row[0] for row in stored)
    page = b.get("/account")
    assert page.status_code == 200
    assert "Sam Signin" in page.text and 'action="/sign-out"' in page.text
    assert '<a href="/sign-in">Sign in</a>' not in page.text
    out = b.post("/sign-out")
    assert out.status_code == 303 and out.headers["Location"].startswith("/sign-in")
    r = b.get("/account")
    assert r.status_code == 303 and r.headers["Location"] == "/sign-in?next=%2Faccount"
    # The old cookie is dead even if a client kept it.
    r = requests.get(srv.url + "/account", cookies={"tandem_session": token}, headers=JSON)
    assert r.status_code == 401
    assert "sign_in" in audit_events(srv.db) and "sign_out" in audit_events(srv.db)


def test_an_unsafe_next_is_ignored(srv):
    add_user(srv.db, "nora.next@example.org", "Nora Next")
    b = Browser(srv)
    b.get("/sign-in")
    r = b.post("/sign-in", {"email": "nora.next@example.org", "password": PASSWORD, "next": "//evil.example/x"})
    assert r.status_code == 303 and r.headers["Location"] == "/"


def test_signing_in_as_json_gives_the_person_and_a_csrf_token(srv):
    add_user(srv.db, "jay.json@example.org", "Jay Json")
    s = requests.Session()
    s.headers["X-Forwarded-For"] = fresh_address()
    s.get(srv.url + "/sign-in", headers=JSON)
    anon = s.cookies.get("tandem_csrf")
    r = s.post(srv.url + "/sign-in", json={"email": "jay.json@example.org", "password": PASSWORD},
               headers={**JSON, "X-CSRF-Token": anon})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["user"]["email"] == "jay.json@example.org" and body["user"]["name"] == "Jay Json"
    assert "password_hash" not in body["user"]
    r = s.post(srv.url + "/account/tokens", json={"name": "via cookie"}, headers={**JSON, "X-CSRF-Token": body["csrf"]})
    assert r.status_code == 201, r.text
    # The JSON representation of a page never carries site data.
    r = s.get(srv.url + "/account", headers=JSON)
    assert "site" not in r.json() and "csrf" not in r.json()


def test_a_wrong_password_and_an_unknown_email_look_the_same(srv):
    add_user(srv.db, "wendy.wrong@example.org", "Wendy Wrong")
    b = Browser(srv)
    b.get("/sign-in")
    wrong = b.post("/sign-in", {"email": "wendy.wrong@example.org", "password": "not-her-password"})
    unknown = b.post("/sign-in", {"email": "nobody.here@example.org", "password": "not-her-password"})
    assert wrong.status_code == unknown.status_code == 401
    strip = lambda t: re.sub(r'value="[^"]*"', "", t)
    assert strip(wrong.text) == strip(unknown.text)
    assert "The email address or the password is not right" in wrong.text
    assert 'href="#email"' in wrong.text  # the error summary links to the field
    j = b.post("/sign-in", {"email": "wendy.wrong@example.org", "password": "nope-nope-nope"}, json=True)
    assert j.status_code == 401 and j.headers["Content-Type"].startswith("application/problem+json")
    assert "email" in j.json()["errors"]
    events = audit_events(srv.db, person_id(srv.db, "wendy.wrong@example.org"))
    assert events.count("sign_in_failed") == 2


def test_an_unknown_email_costs_a_password_hash_too(srv):
    add_user(srv.db, "tim.timing@example.org", "Tim Timing")
    b = Browser(srv)
    b.get("/sign-in")

    def took(email):
        t0 = time.monotonic()
        r = b.post("/sign-in", {"email": email, "password": "wrong-password-here"})
        assert r.status_code == 401
        return time.monotonic() - t0

    known = sorted(took("tim.timing@example.org") for _ in range(2))[0]
    unknown = sorted(took(f"ghost{i}@example.org") for i in range(2))[0]
    assert unknown > known * 0.3, (known, unknown)


# ---- throttling -------------------------------------------------------------------------------------

def test_failures_slow_down_then_lock_with_a_clear_429_until_time_moves_on(own_server):
    s = own_server()
    add_user(s.db, "lou.locked@example.org", "Lou Locked")
    b = Browser(s)
    b.get("/sign-in")
    bad = {"email": "lou.locked@example.org", "password": "guess-number-one"}
    for _ in range(3):
        assert b.post("/sign-in", bad).status_code == 401
    # From the third failure on, each costs a wait (1 s, then 2 s) before the next attempt;
    # the fifth failure locks the account.
    failures, waits = 3, []
    while True:
        r = b.post("/sign-in", bad, json=True)
        if r.status_code == 401:
            failures += 1
            continue
        assert r.status_code == 429
        detail = r.json()["detail"]
        if "locked" in detail:
            break
        assert re.match(r"Too many failed attempts in a row\. Wait [12] seconds?, then try again\.", detail)
        waits.append(int(r.headers["Retry-After"]))
        time.sleep(waits[-1] + 0.2)
    assert failures == 4 and waits and set(waits) <= {1, 2}
    assert "Try again in 15 minutes" in detail and "UK time" in detail and "reset your password" in detail
    assert 890 <= int(r.headers["Retry-After"]) <= 900
    # Locked means locked: the right password is refused too (and costs no hash).
    r = b.post("/sign-in", {"email": "lou.locked@example.org", "password": PASSWORD})
    assert r.status_code == 429 and "This account is locked" in r.text
    events = audit_events(s.db, person_id(s.db, "lou.locked@example.org"))
    assert events.count("sign_in_failed") == 5 and "locked_out" in events and "sign_in_throttled" in events
    # Another client address is locked out of this account as well.
    other = Browser(s)
    other.get("/sign-in")
    assert other.post("/sign-in", {"email": "lou.locked@example.org", "password": PASSWORD}).status_code == 429
    # Sixteen minutes later the lock has ended.
    s.stop()
    later = own_server(TANDEM_CLOCK_OFFSET=str(16 * 60))
    c = Browser(later)
    c.sign_in("lou.locked@example.org")
    assert c.get("/account").status_code == 200


def test_many_failures_from_one_address_slow_down_that_address_only(srv):
    b = Browser(srv)
    b.get("/sign-in")
    for i in range(11):
        r = b.post("/sign-in", {"email": f"stranger{i}@example.org", "password": "wrong-wrong-wrong"})
        assert r.status_code == 401, i
    r = b.post("/sign-in", {"email": "stranger-last@example.org", "password": "wrong-wrong-wrong"})
    assert r.status_code == 429 and "Wait" in r.text
    details = [d for (d,) in query(srv.db, "SELECT detail FROM audit_log WHERE event = 'sign_in_throttled'")]
    assert any('"by":"address"' in d for d in details)
    # Another address is not affected.
    add_user(srv.db, "ivy.ip@example.org", "Ivy Ip")
    Browser(srv).sign_in("ivy.ip@example.org")


@pytest.fixture
def own_server():
    """A server of the test's own (for tests that restart it with moved time)."""
    servers = []

    def start(**env):
        s = Server(env=env) if not servers else Server(db=servers[0].db, env=env)
        servers.append(s)
        return s

    yield start
    codes = [s.stop() for s in reversed(servers)]
    for s in servers:
        s.tmp.cleanup()
    assert all(c == 0 for c in codes), "a server exited badly:\n" + "".join(
        line for s in servers for line in s.log[-20:])


# ---- sessions ---------------------------------------------------------------------------------------

def test_an_idle_session_ends(own_server):
    s = own_server(TANDEM_SESSION_IDLE="600")
    add_user(s.db, "ida.idle@example.org", "Ida Idle")
    b = Browser(s)
    b.sign_in("ida.idle@example.org")
    cookie = b.session_cookie
    s.stop()
    s2 = own_server(TANDEM_SESSION_IDLE="600", TANDEM_CLOCK_OFFSET="300")
    r = requests.get(s2.url + "/account", cookies={"tandem_session": cookie}, headers=HTML, allow_redirects=False)
    assert r.status_code == 200  # five minutes idle: still signed in (and the idle time starts again)
    s2.stop()
    s3 = own_server(TANDEM_SESSION_IDLE="600", TANDEM_CLOCK_OFFSET="800")
    r = requests.get(s3.url + "/account", cookies={"tandem_session": cookie}, headers=HTML, allow_redirects=False)
    assert r.status_code == 200  # 800 s after signing in, but only 500 s after the last use
    s3.stop()
    s4 = own_server(TANDEM_SESSION_IDLE="600", TANDEM_CLOCK_OFFSET="1500")
    r = requests.get(s4.url + "/account", cookies={"tandem_session": cookie}, headers=HTML, allow_redirects=False)
    assert r.status_code == 303 and "notice=expired" in r.headers["Location"]
    assert "tandem_session=;" in r.headers.get("Set-Cookie", "")
    r = requests.get(s4.url + "/account", cookies={"tandem_session": cookie}, headers=JSON)
    assert r.status_code == 401
    page = requests.get(s4.url + "/sign-in?notice=expired", headers=HTML)
    assert "not used for a while" in page.text


def test_a_session_ends_at_its_absolute_limit_even_when_used(own_server):
    env = {"TANDEM_SESSION_IDLE": str(40 * 86400), "TANDEM_SESSION_MAX": "3600"}
    s = own_server(**env)
    add_user(s.db, "max.absolute@example.org", "Max Absolute")
    b = Browser(s)
    b.sign_in("max.absolute@example.org")
    cookie = b.session_cookie
    s.stop()
    s2 = own_server(**env, TANDEM_CLOCK_OFFSET="1800")
    assert requests.get(s2.url + "/account", cookies={"tandem_session": cookie}, headers=JSON).status_code == 200
    s2.stop()
    s3 = own_server(**env, TANDEM_CLOCK_OFFSET="3700")
    assert requests.get(s3.url + "/account", cookies={"tandem_session": cookie}, headers=JSON).status_code == 401


def test_signing_out_everywhere_ends_every_session(srv):
    add_user(srv.db, "eve.everywhere@example.org", "Eve Everywhere")
    phone, laptop = Browser(srv), Browser(srv)
    phone.sign_in("eve.everywhere@example.org")
    laptop.sign_in("eve.everywhere@example.org")
    page = laptop.get("/account")
    assert "<strong>2</strong>" in page.text
    r = laptop.post("/account/sign-out-everywhere")
    assert r.status_code == 303 and r.headers["Location"] == "/sign-in?notice=everywhere"
    assert phone.get("/account").status_code == 303
    assert laptop.get("/account").status_code == 303
    assert "sign_out_everywhere" in audit_events(srv.db, person_id(srv.db, "eve.everywhere@example.org"))


def test_a_password_hash_made_with_older_limits_is_renewed_at_sign_in(srv):
    pid = add_user(srv.db, "rhea.rehash@example.org", "Rhea Rehash")
    # "old-params-password" hashed with libsodium's minimum limits.
    old = "$argon2id$v=19$m=8,t=1,p=1$VJXoKK+Eb+WNjpqJOXbzJA$bqctnr4sMu1AUri7d3CHmkAqMA1utH5m/WI01RoFCRg"
    store.execute(srv.db, "UPDATE person SET password_hash = ? WHERE id = ?", old, pid)
    Browser(srv).sign_in("rhea.rehash@example.org", "old-params-password")
    new = query(srv.db, "SELECT password_hash FROM person WHERE id = ?", pid)[0][0]
    assert new.startswith("$argon2id$v=19$m=65536,") and new != old
    Browser(srv).sign_in("rhea.rehash@example.org", "old-params-password")


# ---- the command line -------------------------------------------------------------------------------

def test_user_add_refuses_a_duplicate_email_in_any_case(srv):
    add_user(srv.db, "dupe@example.org", "First")
    r = run_user_add(srv.db, "DUPE@Example.org", "Second")
    assert r.returncode == 1
    assert "already exists" in r.stderr
    assert query(srv.db, "SELECT count(*) FROM person WHERE email = 'dupe@example.org'")[0][0] == 1


@pytest.mark.parametrize("password, why", [
    ("short1", "at least 10 characters"),
    ("password123", "most common passwords"),
    ("Sunshine2024!", "most common passwords"),
    ("weak.pw.person@example.org", "email address"),
    ("Weakling Person", "your name"),
])
def test_user_add_refuses_weak_and_common_passwords(srv, password, why):
    r = run_user_add(srv.db, "weak.pw.person@example.org", "Weakling Person", password=password)
    assert r.returncode == 1 and why in r.stderr, r.stderr
    assert person_id(srv.db, "weak.pw.person@example.org") is None


def test_user_add_explains_bad_schools_roles_and_options(srv):
    r = run_user_add(srv.db, "urn.unknown@example.org", "Una", school=999999, role="staff")
    assert r.returncode == 1 and "no school with URN 999999" in r.stderr
    r = run_user_add(srv.db, "role.bad@example.org", "Rob", school=100000, role="headmaster")
    assert r.returncode == 2 and "lead, staff or governor" in r.stderr
    r = run_user_add(srv.db, "role.alone@example.org", "Rae", role="lead")
    assert r.returncode == 2 and "--school" in r.stderr
    r = run_user_add(srv.db, "not-an-email", "Nat")
    assert r.returncode == 1 and "email address" in r.stderr
    r = run_user_add(srv.db, "empty.pw@example.org", "Emma", password="")
    assert r.returncode == 1 and "password" in r.stderr


# ---- changing the password --------------------------------------------------------------------------

def test_changing_the_password_asks_for_the_current_one_and_signs_out_elsewhere(srv):
    add_user(srv.db, "cass.change@example.org", "Cass Change")
    here, there = Browser(srv), Browser(srv)
    here.sign_in("cass.change@example.org")
    there.sign_in("cass.change@example.org")
    form = here.get("/account/password")
    assert 'autocomplete="new-password"' in form.text and 'for="current_password"' in form.text
    new = "harbour-violin-tulip-88"
    r = here.post("/account/password", {"current_password": "not-the-one-1", "password": new, "password_confirm": new})
    assert r.status_code == 400 and "This is not your current password" in r.text
    r = here.post("/account/password", {"current_password": PASSWORD, "password": "qwertyuiop", "password_confirm": "qwertyuiop"})
    assert r.status_code == 400 and "most common passwords" in r.text
    r = here.post("/account/password", {"current_password": PASSWORD, "password": new, "password_confirm": new + "x"})
    assert r.status_code == 400 and "not the same" in r.text
    r = here.post("/account/password", {"current_password": PASSWORD, "password": new, "password_confirm": new})
    assert r.status_code == 303 and r.headers["Location"] == "/account?done=password"
    assert here.get("/account").status_code == 200
    assert there.get("/account").status_code == 303
    Browser(srv).sign_in("cass.change@example.org", new)
    Browser(srv).sign_in("cass.change@example.org", PASSWORD, expect=401)
    assert "password_changed" in audit_events(srv.db, person_id(srv.db, "cass.change@example.org"))


def test_changing_the_password_revokes_every_api_token_and_says_so(srv):
    add_user(srv.db, "tobias.token@example.org", "Tobias Token")
    b = Browser(srv)
    b.sign_in("tobias.token@example.org")
    secrets = []
    for name in ("Nightly report", "Spreadsheet"):
        r = b.post("/account/tokens", {"name": name})
        assert r.status_code == 201
        secrets.append(re.search(r'value="(tdm_[A-Za-z0-9_-]{43})"', r.text).group(1))
    for secret in secrets:
        assert requests.get(srv.url + "/account", headers={"Authorization": "Bearer " + secret, **JSON}).status_code == 200
    new = "lantern-orchard-pebble-52"
    r = b.post("/account/password", {"current_password": PASSWORD, "password": new, "password_confirm": new})
    assert r.status_code == 303
    page = b.get(r.headers["Location"])
    assert "your API tokens have been revoked" in page.text
    for secret in secrets:
        r = requests.get(srv.url + "/account", headers={"Authorization": "Bearer " + secret, **JSON})
        assert r.status_code == 401 and "not valid" in r.json()["detail"]
    assert query(srv.db, "SELECT count(*) FROM api_token WHERE person_id = ?",
                 person_id(srv.db, "tobias.token@example.org"))[0][0] == 0
    audit = query(srv.db, "SELECT detail FROM audit_log WHERE event = 'password_changed' AND actor_id = ?",
                  person_id(srv.db, "tobias.token@example.org"))
    assert json.loads(audit[-1][0])["api_tokens_revoked"] == 2


def test_a_password_changed_through_the_api_ends_the_token_used_too(srv):
    add_user(srv.db, "api.change@example.org", "Api Change")
    b = Browser(srv)
    b.sign_in("api.change@example.org")
    r = b.post("/account/tokens", {"name": "Script"})
    secret = re.search(r'value="(tdm_[A-Za-z0-9_-]{43})"', r.text).group(1)
    api = {"Authorization": "Bearer " + secret, **JSON}
    new = "meadow-copper-violin-63"
    r = requests.post(srv.url + "/account/password", headers=api,
                      json={"current_password": PASSWORD, "password": new, "password_confirm": new})
    assert r.status_code == 200 and r.json()["api_tokens_revoked"] == 1
    assert requests.get(srv.url + "/account", headers=api).status_code == 401
    assert b.get("/account").status_code == 303  # the browser's session ended too


# ---- CSRF -------------------------------------------------------------------------------------------

def test_a_missing_or_wrong_csrf_token_is_403(srv):
    add_user(srv.db, "cora.csrf@example.org", "Cora Csrf")
    b = Browser(srv)
    b.sign_in("cora.csrf@example.org")
    r = b.post("/account/tokens", {"name": "x"}, csrf=False)
    assert r.status_code == 403 and CSRF_MESSAGE in r.text
    r = b.post("/account/tokens", {"name": "x", "csrf": "0" * 64})
    assert r.status_code == 403
    r = b.post("/account/tokens", {"name": "x"}, json=True, csrf=False, headers={"X-CSRF-Token": "nope"})
    assert r.status_code == 403 and r.json()["detail"] == CSRF_MESSAGE
    # A token from another session does not do either.
    other = Browser(srv)
    other.sign_in("cora.csrf@example.org")
    r = b.post("/account/tokens", {"name": "x", "csrf": other.token})
    assert r.status_code == 403
    # Anonymous forms use the double-submit cookie.
    anon = Browser(srv)
    anon.get("/sign-in")
    r = anon.post("/sign-in", {"email": "cora.csrf@example.org", "password": PASSWORD}, csrf=False)
    assert r.status_code == 403
    r = anon.post("/sign-in", {"email": "cora.csrf@example.org", "password": PASSWORD, "csrf": "A" * 43})
    assert r.status_code == 403
    fresh = requests.post(srv.url + "/sign-in", data={"email": "cora.csrf@example.org", "password": PASSWORD,
                                                       "csrf": anon.token})
    assert fresh.status_code == 403  # the token without its cookie
    assert b.post("/account/tokens", {"name": "with token"}).status_code == 201


def test_a_form_posted_from_another_origin_is_403(srv):
    add_user(srv.db, "otto.origin@example.org", "Otto Origin")
    b = Browser(srv)
    b.sign_in("otto.origin@example.org")
    r = b.post("/account/tokens", {"name": "x"}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and CSRF_MESSAGE in r.text
    r = b.post("/account/tokens", {"name": "x"}, headers={"Referer": "http://evil.example/form.html"})
    assert r.status_code == 403
    r = b.post("/account/tokens", {"name": "x"}, headers={"Origin": "null"})
    assert r.status_code == 403
    r = b.post("/account/tokens", {"name": "same origin"}, headers={"Origin": srv.url})
    assert r.status_code == 201
    r = b.post("/account/tokens", {"name": "same referer"}, headers={"Referer": srv.url + "/account"})
    assert r.status_code == 201


def test_a_cross_site_fetch_is_403(srv):
    add_user(srv.db, "cruz.cross@example.org", "Cruz Cross")
    b = Browser(srv)
    b.sign_in("cruz.cross@example.org")
    r = b.post("/sign-out", headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    assert b.get("/account").status_code == 200  # still signed in
    r = b.post("/sign-out", headers={"Sec-Fetch-Site": "same-origin", "Origin": srv.url})
    assert r.status_code == 303


# ---- API tokens ---------------------------------------------------------------------------------------

def test_an_api_token_works_for_json_without_csrf_and_stops_once_revoked(srv):
    add_user(srv.db, "api.annie@example.org", "Api Annie")
    b = Browser(srv)
    b.sign_in("api.annie@example.org")
    r = b.post("/account/tokens", {"name": "Report script"})
    assert r.status_code == 201
    secret = re.search(r'value="(tdm_[A-Za-z0-9_-]{43})"', r.text).group(1)
    assert "only time it can be shown" in r.text
    assert secret not in b.get("/account").text
    stored = query(srv.db, "SELECT token_hash, prefix FROM api_token WHERE name = 'Report script'")[0]
    assert secret not in stored[0] and secret.startswith(stored[1])
    api = {"Authorization": "Bearer " + secret, **JSON}
    me = requests.get(srv.url + "/account", headers=api)
    assert me.status_code == 200 and me.json()["person"]["email"] == "api.annie@example.org"
    made = requests.post(srv.url + "/account/tokens", json={"name": "made by the api"}, headers=api)
    assert made.status_code == 201, made.text
    assert made.json()["secret"].startswith("tdm_")
    token_id = me.json()["tokens"][0]["id"]
    gone = requests.delete(srv.url + f"/account/tokens/{token_id}", headers=api)
    assert gone.status_code == 200 and gone.json()["revoked"] == token_id
    r = requests.get(srv.url + "/account", headers=api)
    assert r.status_code == 401 and "not valid" in r.json()["detail"]
    r = requests.get(srv.url + "/account", headers={"Authorization": "Bearer tdm_" + "x" * 43, **JSON})
    assert r.status_code == 401
    events = audit_events(srv.db, person_id(srv.db, "api.annie@example.org"))
    assert "api_token_created" in events and "api_token_revoked" in events


def test_tokens_can_only_be_revoked_by_their_owner(srv):
    add_user(srv.db, "tess.owner@example.org", "Tess Owner")
    add_user(srv.db, "mallory.other@example.org", "Mallory Other")
    owner, other = Browser(srv), Browser(srv)
    owner.sign_in("tess.owner@example.org")
    other.sign_in("mallory.other@example.org")
    owner.post("/account/tokens", {"name": "mine"})
    tid = query(srv.db, "SELECT id FROM api_token WHERE name = 'mine'")[0][0]
    r = other.post(f"/account/tokens/{tid}/revoke")
    assert r.status_code == 404
    r = owner.post(f"/account/tokens/{tid}/revoke")
    assert r.status_code == 303 and r.headers["Location"] == "/account?done=token_revoked"


# ---- administrators ---------------------------------------------------------------------------------

def test_a_staff_member_gets_403_on_admin_pages(srv):
    add_school(srv.db, 100000, "Test Primary School")
    add_user(srv.db, "stan.staff@example.org", "Stan Staff", school=100000, role="staff")
    b = Browser(srv)
    b.sign_in("stan.staff@example.org")
    page = b.get("/account")
    assert "Test Primary School" in page.text and "Staff" in page.text
    assert 'href="/admin"' not in page.text
    for path in ("/admin", "/admin/audit", "/admin/outbox"):
        assert b.get(path).status_code == 403, path
        assert b.get(path, json=True).status_code == 403, path
        anon = requests.get(srv.url + path, headers=HTML, allow_redirects=False)
        assert anon.status_code == 303 and anon.headers["Location"].startswith("/sign-in?next="), path
        assert requests.get(srv.url + path, headers=JSON).status_code == 401, path


def test_administrators_read_the_audit_log_newest_first(srv):
    add_user(srv.db, "alex.audited@example.org", "Alex Audited")
    for _ in range(6):
        Browser(srv).sign_in("alex.audited@example.org")
    a = admin(srv)
    page = a.get("/admin")
    assert page.status_code == 200 and 'href="/admin/audit"' in page.text
    assert '<a href="/admin">Admin</a>' in page.text
    r = a.get("/admin/audit?per_page=10", json=True)
    assert r.status_code == 200
    body = r.json()
    ids = [e["id"] for e in body["entries"]]
    assert ids == sorted(ids, reverse=True) and len(ids) == 10
    assert body["total"] > 10 and body["next_url"].startswith("/admin/audit?page=2")
    assert body["entries"][0]["event"] == "sign_in"
    assert body["entries"][0]["actor"]["label"] == "Ada Admin <ada.admin@example.org>"
    html = a.get("/admin/audit?page=2&per_page=10")
    assert html.status_code == 200 and "Audit log" in html.text and 'rel="prev"' in html.text


# ---- your data: export and deletion ------------------------------------------------------------------

def test_downloading_my_data_gives_everything_and_is_audited(srv):
    add_user(srv.db, "dora.data@example.org", "Dora Data")
    b = Browser(srv)
    b.sign_in("dora.data@example.org")
    b.post("/account/tokens", {"name": "export me"})
    r = b.get("/account/export")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    assert "attachment" in r.headers["Content-Disposition"]
    data = r.json()
    assert data["person"]["email"] == "dora.data@example.org"
    assert data["sessions"] and data["api_tokens"][0]["name"] == "export me"
    assert any(e["event"] == "sign_in" for e in data["audit_log"])
    assert "$argon2" not in r.text and "token_hash" not in r.text
    assert "export" in audit_events(srv.db, person_id(srv.db, "dora.data@example.org"))


def test_a_deleted_account_is_gone_and_its_cookie_refused(srv):
    pid = add_user(srv.db, "del.deleted@example.org", "Del Deleted")
    b = Browser(srv)
    b.sign_in("del.deleted@example.org")
    b.post("/account/tokens", {"name": "doomed"})
    cookie = b.session_cookie
    page = b.get("/account/delete")
    assert page.status_code == 200
    assert "What is removed" in page.text and "What is kept" in page.text
    assert f"deleted person #{pid}" in page.text
    r = b.post("/account/delete", {"password": "not-my-password"})
    assert r.status_code == 400 and "not your current password" in r.text
    r = b.post("/account/delete", {})
    assert r.status_code == 400 and "Password is required" in r.text
    r = b.post("/account/delete", {"password": PASSWORD})
    assert r.status_code == 303 and r.headers["Location"] == "/sign-in?notice=deleted"
    assert person_id(srv.db, "del.deleted@example.org") is None
    for table in ("session", "api_token", "password_reset"):
        assert query(srv.db, f"SELECT count(*) FROM {table} WHERE person_id = ?", pid)[0][0] == 0
    r = requests.get(srv.url + "/account", cookies={"tandem_session": cookie}, headers=JSON)
    assert r.status_code == 401
    r = requests.get(srv.url + "/account", cookies={"tandem_session": cookie}, headers=HTML, allow_redirects=False)
    assert r.status_code == 303
    Browser(srv).sign_in("del.deleted@example.org", expect=401)
    # The audit log keeps the events, anonymised.
    rows = query(srv.db, "SELECT event, ip FROM audit_log WHERE actor_id = ?1 OR subject_id = ?1", pid)
    assert ("account_deleted", None) in rows and all(ip is None for _, ip in rows)
    log = admin(srv).get("/admin/audit?per_page=200", json=True).json()["entries"]
    labels = {e["actor"]["label"] for e in log if e["actor"] and e["actor"]["id"] == pid}
    assert labels == {f"deleted person #{pid}"}
    assert "del.deleted@example.org" not in json.dumps(log)


# ---- bad input --------------------------------------------------------------------------------------

def test_empty_and_oversized_fields_are_400_with_the_fields_named(srv):
    b = Browser(srv)
    b.get("/sign-in")
    r = b.post("/sign-in", {"email": "", "password": ""}, json=True)
    assert r.status_code == 400
    assert set(r.json()["errors"]) == {"email", "password"}
    r = b.post("/sign-in", {"email": "", "password": ""})
    assert r.status_code == 400 and 'href="#email"' in r.text and 'href="#password"' in r.text
    assert 'aria-invalid="true"' in r.text
    r = b.post("/sign-in", {"email": "a" * 250 + "@example.org", "password": "x" * 501}, json=True)
    assert r.status_code == 400 and set(r.json()["errors"]) == {"email", "password"}
    add_user(srv.db, "olive.oversize@example.org", "Olive Oversize")
    b.sign_in("olive.oversize@example.org")
    r = b.post("/account/tokens", {"name": "n" * 61}, json=True)
    assert r.status_code == 400 and "name" in r.json()["errors"]
    r = b.post("/account/tokens", {"name": ""})
    assert r.status_code == 400 and "Token name is required" in r.text
    r = b.post("/account/password", {"current_password": PASSWORD, "password": "p" * 501, "password_confirm": ""}, json=True)
    assert r.status_code == 400 and {"password", "password_confirm"} <= set(r.json()["errors"])


def test_markup_in_names_is_shown_escaped(srv):
    name = '<script>alert("x")</script> & <b>Bold</b>'
    add_user(srv.db, "mark.markup@example.org", name)
    b = Browser(srv)
    b.sign_in("mark.markup@example.org")
    b.post("/account/tokens", {"name": "<img src=x onerror=alert(1)>"})
    for page in (b.get("/account"), b.get("/"), admin(srv).get("/admin/audit?per_page=200")):
        assert "<script>alert" not in page.text and "<b>Bold</b>" not in page.text
        assert "<img src=x" not in page.text
    page = b.get("/account")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;Bold&lt;/b&gt;" in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text


def test_sql_looking_input_is_stored_as_text(srv):
    name = "Robert'); DROP TABLE person;--"
    add_user(srv.db, "bobby.tables@example.org", name)
    b = Browser(srv)
    b.sign_in("bobby.tables@example.org")
    r = b.post("/account/tokens", {"name": "x' OR '1'='1"}, json=True)
    assert r.status_code == 201 and r.json()["token"]["name"] == "x' OR '1'='1"
    me = b.get("/account", json=True).json()
    assert me["person"]["name"] == name
    assert query(srv.db, "SELECT name FROM person WHERE email = 'bobby.tables@example.org'")[0][0] == name
    # A sign-in attempt with SQL in the email is only a failed sign-in.
    r = Browser(srv).post("/sign-in", {"email": "x'--@example.org", "password": "' OR 1=1 --"})
    assert r.status_code == 401
    assert query(srv.db, "SELECT count(*) FROM person")[0][0] > 1


def test_cookies_are_secure_when_the_site_is_https(own_server):
    s = own_server(TANDEM_BASE_URL="https://tandem.example.org")
    add_user(s.db, "sean.secure@example.org", "Sean Secure")
    r = requests.get(s.url + "/sign-in", headers=HTML)
    assert "Secure" in r.headers["Set-Cookie"]
    token = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)
    form = {"email": "sean.secure@example.org", "password": PASSWORD, "csrf": token}
    cookie = {"Cookie": "tandem_csrf=" + token, "X-Forwarded-For": fresh_address(), **HTML}
    # With a base URL, forms must come from it, not from whatever the Host says.
    r = requests.post(s.url + "/sign-in", data=form, headers={**cookie, "Origin": s.url}, allow_redirects=False)
    assert r.status_code == 403
    r = requests.post(s.url + "/sign-in", data=form, headers={**cookie, "Origin": "https://tandem.example.org"},
                      allow_redirects=False)
    assert r.status_code == 303 and "Secure" in r.headers["Set-Cookie"]
