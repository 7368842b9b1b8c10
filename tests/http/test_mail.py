# SPDX-License-Identifier: AGPL-3.0-or-later
"""Email and password reset, black-box: the outbox when no SMTP server is
set; a reset link delivered to a real SMTP server (aiosmtpd in this process)
and then used; expired and reused links; the reset page never saying whether
an email has an account; at most three reset emails an hour; a reset lifting
a lock-out; and an SMTP server that is down, which leaves the message queued
with its error while requests stay fast."""
import email
import email.policy
import re
import socket
import threading
import time

import pytest
import requests
from aiosmtpd.controller import Controller

from support import HTML, JSON, PASSWORD, Browser, add_user, person_id, query
from tandem_server import Server

ADMIN = "olga.outbox@example.org"
NEW_PASSWORD = "quilted-harbour-sparrow-31"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self):
        self.messages = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        with self.arrived:
            self.messages.append(envelope)
            self.arrived.notify_all()
        return "250 OK"

    def wait(self, count=1, timeout=20):
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout)
        assert len(self.messages) >= count, "no email arrived"
        return self.messages[count - 1]


@pytest.fixture(scope="module")
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture(scope="module")
def mailing(smtp):
    """A server that sends through the local SMTP server."""
    controller, inbox = smtp
    s = Server(env={"TANDEM_SMTP_URL": f"smtp://127.0.0.1:{controller.port}",
                    "TANDEM_SMTP_FROM": "Tandem <noreply@tandem.example.org>"})
    add_user(s.db, ADMIN, "Olga Outbox", admin=True)
    yield s, inbox
    code = s.close()
    assert code == 0, "tandem exited with %r; its log:\n%s" % (code, "".join(s.log[-40:]))


@pytest.fixture(scope="module")
def offline():
    """A server with no SMTP server: mail stays in the outbox."""
    s = Server()
    add_user(s.db, ADMIN, "Olga Outbox", admin=True)
    yield s
    code = s.close()
    assert code == 0, "tandem exited with %r; its log:\n%s" % (code, "".join(s.log[-40:]))


def ask_for_reset(server, address, json=False):
    b = Browser(server)
    b.get("/password-reset")
    return b.post("/password-reset", {"email": address}, json=json)


def outbox(server, **params):
    a = Browser(server)
    a.sign_in(ADMIN)
    r = a.get("/admin/outbox?" + "&".join(f"{k}={v}" for k, v in params.items()), json=True)
    assert r.status_code == 200
    return r.json()


def link_in(text):
    m = re.search(r"(http://\S+/password-reset/([A-Za-z0-9_-]{43}))", text)
    assert m, text
    return m.group(1), m.group(2)


def reset_with(server, token, password=NEW_PASSWORD, expect=303):
    b = Browser(server)
    form = b.get("/password-reset/" + token)
    if expect == 410:
        assert form.status_code == 410
    r = b.post("/password-reset/" + token, {"password": password, "password_confirm": password})
    assert r.status_code == expect, r.text[:400]
    return r


# ---- a real SMTP server ----------------------------------------------------------------------------

def test_a_reset_link_is_emailed_and_works_once(mailing):
    server, inbox = mailing
    before = len(inbox.messages)
    add_user(server.db, "zoe.reset@example.org", "Zoë Brontë")
    old = Browser(server)
    old.sign_in("zoe.reset@example.org")
    r = ask_for_reset(server, "Zoe.Reset@example.org")
    assert r.status_code == 200 and "Check your email" in r.text
    env = inbox.wait(before + 1)
    assert env.mail_from == "noreply@tandem.example.org"
    assert env.rcpt_tos == ["zoe.reset@example.org"]
    msg = email.message_from_bytes(env.content, policy=email.policy.default)
    assert msg["To"] == "zoe.reset@example.org"
    assert msg["From"] == "Tandem <noreply@tandem.example.org>"
    assert msg["Subject"] == "Reset your Tandem password"
    assert msg["Date"] and msg["Message-ID"].endswith("@tandem.example.org>")
    assert msg["MIME-Version"] == "1.0"
    assert msg.get_content_type() == "text/plain" and msg.get_content_charset() == "utf-8"
    body = msg.get_content()
    assert "Hello Zoë Brontë" in body
    url, token = link_in(body)
    assert url.startswith(server.url + "/password-reset/")
    # Only a hash of the token is stored.
    assert query(server.db, "SELECT count(*) FROM password_reset WHERE token_hash = ?", token)[0][0] == 0
    # The form, a refused weak password, then the new one.
    page = requests.get(url, headers=HTML)
    assert page.status_code == 200 and 'autocomplete="new-password"' in page.text
    assert reset_with(server, token, "password123", expect=400).text.count("most common passwords") >= 1
    r = reset_with(server, token)
    assert r.headers["Location"] == "/sign-in?notice=reset"
    # Used once: the link is spent, the old session ended, the new password works.
    reset_with(server, token, expect=410)
    assert old.get("/account").status_code == 303
    Browser(server).sign_in("zoe.reset@example.org", NEW_PASSWORD)
    Browser(server).sign_in("zoe.reset@example.org", PASSWORD, expect=401)
    # The outbox shows it sent, without the link.
    sent = [m for m in outbox(server)["messages"] if m["to_addr"] == "zoe.reset@example.org"]
    assert sent[0]["status"] == "sent" and sent[0]["body"] == "" and sent[0]["sent_at"]
    events = [e for (e,) in query(server.db, "SELECT event FROM audit_log WHERE subject_id = ?",
                                  person_id(server.db, "zoe.reset@example.org"))]
    assert "password_reset_requested" in events and "password_reset" in events


def test_the_reset_page_never_says_whether_an_account_exists(mailing):
    server, inbox = mailing
    add_user(server.db, "kim.known@example.org", "Kim Known")
    before = len(inbox.messages)
    known = ask_for_reset(server, "kim.known@example.org")
    unknown = ask_for_reset(server, "kim.unknown@example.org")
    assert known.status_code == unknown.status_code == 200
    norm = lambda r, a: re.sub(r'value="[^"]*"', "", r.text.replace(a, "ADDRESS"))
    assert norm(known, "kim.known@example.org") == norm(unknown, "kim.unknown@example.org")
    kj = ask_for_reset(server, "kim.known@example.org", json=True).json()
    uj = ask_for_reset(server, "kim.unknown@example.org", json=True).json()
    assert kj.keys() == uj.keys()
    inbox.wait(before + 2)
    time.sleep(1.5)
    assert [e.rcpt_tos for e in inbox.messages[before:]] == [["kim.known@example.org"]] * 2


def test_the_sender_wraps_long_lines_and_encodes_non_ascii(mailing):
    server, inbox = mailing
    name = "Siobhán Ó Súilleabháin-Øverland " + "x" * 60
    add_user(server.db, "long.lines@example.org", name)
    before = len(inbox.messages)
    ask_for_reset(server, "long.lines@example.org")
    env = inbox.wait(before + 1)
    raw = env.content
    assert all(len(line) <= 78 for line in raw.split(b"\r\n")), "a line is longer than 78 characters"
    assert b"Content-Transfer-Encoding: quoted-printable" in raw
    body = email.message_from_bytes(raw, policy=email.policy.default).get_content()
    assert name in body


# ---- without SMTP ------------------------------------------------------------------------------------

def test_the_outbox_shows_messages_when_smtp_is_not_set(offline):
    add_user(offline.db, "otis.offline@example.org", "Otis Offline")
    t0 = time.monotonic()
    r = ask_for_reset(offline, "otis.offline@example.org")
    assert r.status_code == 200 and time.monotonic() - t0 < 3
    box = outbox(offline)
    assert box["smtp_configured"] is False
    m = box["messages"][0]
    assert m["to_addr"] == "otis.offline@example.org" and m["status"] == "queued"
    link_in(m["body"])
    a = Browser(offline)
    a.sign_in(ADMIN)
    page = a.get("/admin/outbox")
    assert page.status_code == 200
    assert "No mail server is set" in page.text and "otis.offline@example.org" in page.text
    assert "Reset your Tandem password" in page.text
    queued = a.get("/admin/outbox?status=queued", json=True).json()
    assert queued["total"] >= 1 and all(x["status"] == "queued" for x in queued["messages"])
    assert a.get("/admin/outbox?status=sent", json=True).json()["total"] == 0


def test_an_expired_or_reused_link_is_refused_with_a_clear_page():
    s = Server()
    later = None
    try:
        add_user(s.db, ADMIN, "Olga Outbox", admin=True)
        add_user(s.db, "eli.expired@example.org", "Eli Expired")
        ask_for_reset(s, "eli.expired@example.org")
        _, token = link_in(outbox(s)["messages"][0]["body"])
        assert Browser(s).get("/password-reset/" + token).status_code == 200
        s.stop()
        later = Server(db=s.db, env={"TANDEM_CLOCK_OFFSET": "3700"})
        r = Browser(later).get("/password-reset/" + token)
        assert r.status_code == 410 and "expired or has already been used" in r.text
        assert 'href="/password-reset"' in r.text
        r = requests.get(later.url + "/password-reset/" + token, headers=JSON)
        assert r.status_code == 410 and r.headers["Content-Type"].startswith("application/problem+json")
        reset_with(later, token, expect=410)
        r = requests.get(later.url + "/password-reset/not-a-token", headers=HTML)
        assert r.status_code == 410
    finally:
        codes = [x.stop() for x in (later, s) if x]
        s.tmp.cleanup()
        if later:
            later.tmp.cleanup()
    assert codes == [0] * len(codes)


def test_at_most_three_reset_emails_an_hour(offline):
    add_user(offline.db, "tom.three@example.org", "Tom Three")
    for _ in range(5):
        assert ask_for_reset(offline, "tom.three@example.org").status_code == 200
    mine = [m for m in outbox(offline, per_page=200)["messages"] if m["to_addr"] == "tom.three@example.org"]
    assert len(mine) == 3
    events = [e for (e,) in query(offline.db, "SELECT event FROM audit_log WHERE subject_id = ?",
                                  person_id(offline.db, "tom.three@example.org"))]
    assert events.count("password_reset_throttled") == 2


def test_a_reset_lifts_a_lock_out(offline):
    add_user(offline.db, "lena.lockout@example.org", "Lena Lockout")
    b = Browser(offline)
    b.get("/sign-in")
    bad = {"email": "lena.lockout@example.org", "password": "wrong-again-and-again"}
    codes = []
    for _ in range(8):
        r = b.post("/sign-in", bad)
        codes.append(r.status_code)
        if "locked" in r.text:
            break
        if r.status_code == 429:
            time.sleep(int(r.headers["Retry-After"]) + 0.2)
    assert "This account is locked" in r.text
    ask_for_reset(offline, "lena.lockout@example.org")
    mine = [m for m in outbox(offline)["messages"] if m["to_addr"] == "lena.lockout@example.org"]
    _, token = link_in(mine[0]["body"])
    reset_with(offline, token)
    Browser(offline).sign_in("lena.lockout@example.org", NEW_PASSWORD)


def test_a_reset_revokes_every_api_token_and_says_so(offline):
    add_user(offline.db, "rex.revoke@example.org", "Rex Revoke")
    b = Browser(offline)
    b.sign_in("rex.revoke@example.org")
    r = b.post("/account/tokens", {"name": "Attendance sync"})
    assert r.status_code == 201
    secret = re.search(r'value="(tdm_[A-Za-z0-9_-]{43})"', r.text).group(1)
    api = {"Authorization": "Bearer " + secret, **JSON}
    assert requests.get(offline.url + "/account", headers=api).status_code == 200
    ask_for_reset(offline, "rex.revoke@example.org")
    mine = [m for m in outbox(offline)["messages"] if m["to_addr"] == "rex.revoke@example.org"]
    _, token = link_in(mine[0]["body"])
    r = reset_with(offline, token)
    page = Browser(offline).get(r.headers["Location"])
    assert "Your API tokens have been revoked" in page.text
    r = requests.get(offline.url + "/account", headers=api)
    assert r.status_code == 401 and "not valid" in r.json()["detail"]
    assert query(offline.db, "SELECT count(*) FROM api_token WHERE person_id = ?",
                 person_id(offline.db, "rex.revoke@example.org"))[0][0] == 0


def test_reset_forms_check_csrf_and_fields(offline):
    r = requests.post(offline.url + "/password-reset", data={"email": "x@example.org"}, headers=HTML)
    assert r.status_code == 403
    b = Browser(offline)
    b.get("/password-reset")
    r = b.post("/password-reset", {"email": ""}, json=True)
    assert r.status_code == 400 and "email" in r.json()["errors"]
    r = b.post("/password-reset", {"email": "not an email"})
    assert r.status_code == 400 and 'href="#email"' in r.text
    add_user(offline.db, "fay.fields@example.org", "Fay Fields")
    ask_for_reset(offline, "fay.fields@example.org")
    mine = [m for m in outbox(offline)["messages"] if m["to_addr"] == "fay.fields@example.org"]
    _, token = link_in(mine[0]["body"])
    b.get("/password-reset/" + token)
    r = b.post("/password-reset/" + token, {"password": "", "password_confirm": ""}, json=True)
    assert r.status_code == 400 and set(r.json()["errors"]) == {"password", "password_confirm"}
    r = b.post("/password-reset/" + token, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD + "!"})
    assert r.status_code == 400 and "not the same" in r.text
    r = b.post("/password-reset/" + token, {"password": "fay.fields@example.org", "password_confirm": "fay.fields@example.org"})
    assert r.status_code == 400 and "email address" in r.text
    r = b.post("/password-reset/" + token, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
               headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    reset_with(offline, token)


# ---- an SMTP server that is down -------------------------------------------------------------------

def test_a_failing_smtp_server_leaves_the_message_queued_with_its_error():
    s = Server(env={"TANDEM_SMTP_URL": f"smtp://127.0.0.1:{free_port()}"})
    try:
        add_user(s.db, ADMIN, "Olga Outbox", admin=True)
        add_user(s.db, "dan.down@example.org", "Dan Down")
        t0 = time.monotonic()
        r = ask_for_reset(s, "dan.down@example.org")
        assert r.status_code == 200 and time.monotonic() - t0 < 2
        deadline = time.time() + 20
        while time.time() < deadline:
            m = [x for x in outbox(s)["messages"] if x["to_addr"] == "dan.down@example.org"][0]
            if m["attempts"]:
                break
            time.sleep(0.3)
        assert m["status"] == "queued" and m["attempts"] == 1
        assert m["last_error"] and ("connect" in m["last_error"].lower() or "refused" in m["last_error"].lower())
        assert m["next_attempt_at"] > m["created_at"]
        assert m["body"]  # kept for the next attempt
        a = Browser(s)
        a.sign_in(ADMIN)
        page = a.get("/admin/outbox")
        assert "Last error" in page.text and "next try at" in page.text
    finally:
        code = s.close()
    assert code == 0
