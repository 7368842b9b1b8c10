# SPDX-License-Identifier: AGPL-3.0-or-later
"""Two app servers on one database, as behind a load balancer (on both
stores: two processes on one SQLite file, or two on one PostgreSQL
database): a person signs in through one and carries on through the other,
signing out through either ends the session everywhere, and every message
in the outbox is sent exactly once to a real SMTP server although both
servers' senders race for the same messages."""
import asyncio
import email
import email.policy
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller

import store
from support import Browser, add_user
from tandem_server import Server

MESSAGES = 40


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        # A slow server, so both senders are busy with the same batch at once.
        await asyncio.sleep(0.05)
        with self.lock:
            self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture(scope="module")
def pair():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    env = {"TANDEM_SMTP_URL": f"smtp://127.0.0.1:{controller.port}",
           "TANDEM_SMTP_FROM": "Tandem <noreply@tandem.example.org>"}
    a = Server(env=env)
    b = Server(db=a.db, env=env)
    yield a, b, inbox
    codes = (b.stop(), a.close())
    controller.stop()
    assert codes == (0, 0), "".join(a.log[-20:] + b.log[-20:])


def test_signed_in_through_one_server_carries_on_through_the_other(pair):
    a, b, _ = pair
    add_user(a.db, "tess.twin@example.org", "Tess Twin")
    browser = Browser(a)
    browser.sign_in("tess.twin@example.org")
    assert browser.get("/account", json=True).status_code == 200
    browser.server = b
    r = browser.get("/account", json=True)
    assert r.status_code == 200 and r.json()["person"]["email"] == "tess.twin@example.org"
    # A form read from one server is accepted by the other (CSRF token tied to the session).
    browser.server = a
    browser.get("/account")
    browser.server = b
    r = browser.post("/sign-out")
    assert r.status_code == 303
    browser.server = a
    assert browser.get("/account", json=True).status_code == 401


def test_each_outbox_message_is_sent_once_by_two_racing_senders(pair):
    a, b, inbox = pair
    # All due at once, in one transaction: both senders find the same messages.
    values = ", ".join(f"('reader{i}@example.org', 'Message {i}', 'Body {i}', 'race-{i}@tandem.test', "
                       "'2000-01-01T00:00:00Z', '2000-01-01T00:00:00Z')" for i in range(MESSAGES))
    store.execute(a.db, "INSERT INTO outbox (to_addr, subject, body, message_id, next_attempt_at, "
                        "created_at) VALUES " + values)
    deadline = time.time() + 120
    while time.time() < deadline:
        sent = store.query(a.db, "SELECT count(*) FROM outbox WHERE message_id LIKE 'race-%' "
                                 "AND status = 'sent'")[0][0]
        if sent == MESSAGES:
            break
        time.sleep(0.2)
    assert sent == MESSAGES
    with inbox.lock:
        ids = [email.message_from_bytes(m, policy=email.policy.default)["Message-ID"]
               for m in inbox.messages]
    race = [i for i in ids if "race-" in i]
    assert len(race) == MESSAGES and len(set(race)) == MESSAGES
    attempts = store.query(a.db, "SELECT DISTINCT attempts FROM outbox WHERE message_id LIKE 'race-%'")
    assert attempts == [(1,)]
