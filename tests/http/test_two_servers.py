# SPDX-License-Identifier: AGPL-3.0-or-later
"""Two app servers on one database, as behind a load balancer (on both
stores: two processes on one SQLite file, or two on one PostgreSQL
database): a person signs in through one and carries on through the other,
signing out through either ends the session everywhere, and every message
in the outbox is sent exactly once to a real SMTP server although both
servers' senders race for the same messages. The periodic jobs (the
partnership sweep with the digests, the programme's offers and reminders)
run on one of the servers once per interval, never on both. A register
import through one server is seen by the other's similar-schools finder
(its in-memory index is reloaded after the store announces the change)."""
import asyncio
import csv
import email
import email.policy
import gzip
import io
import os
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller

import store
from support import Browser, add_user
from tandem_server import ROOT, Server, run_cli

MESSAGES = 40
DEMO = os.path.join(ROOT, "data", "demo", "edubasealldata20250502-demo.csv.gz")
SHARED_JOBS = ("partnership health and digest", "programme offers and reminders")


def wait_until(what, seconds=90):
    """Wait (bounded) until what() is true; the caller asserts it afterwards."""
    deadline = time.time() + seconds
    while time.time() < deadline and not what():
        time.sleep(0.2)


def job_runs(db):
    """{job: runs} of SHARED_JOBS from the job_lease rows (the other shared jobs, weekly or every
    ten minutes, keep intervals this test does not step through)."""
    return {job: runs for job, runs in store.query(db, "SELECT job, runs FROM job_lease") if job in SHARED_JOBS}


def stood_by(server):
    """The shared jobs this server left to another one."""
    return {job for job in SHARED_JOBS for line in list(server.log)
            if f"{job}: another app server ran the job" in line}


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


def test_a_periodic_job_runs_on_one_of_two_servers_once_per_interval():
    env = {"TANDEM_DIGEST_INTERVAL": "3600"}
    a = Server(env=env)
    others = []
    try:
        once = {job: 1 for job in SHARED_JOBS}
        wait_until(lambda: job_runs(a.db) == once)
        assert job_runs(a.db) == once
        b = Server(db=a.db, env=env)
        others.append(b)
        wait_until(lambda: stood_by(b) == set(SHARED_JOBS))
        assert stood_by(b) == set(SHARED_JOBS) and job_runs(a.db) == once
        assert b.stop() == 0 and a.stop() == 0
        # An hour and more later (the programme's job is every minute, the digest every hour):
        # one more run of each, by whichever of the next two servers asked first.
        later = dict(env, TANDEM_CLOCK_OFFSET="3700")
        c = Server(db=a.db, env=later)
        others.append(c)
        twice = {job: 2 for job in SHARED_JOBS}
        wait_until(lambda: job_runs(a.db) == twice)
        d = Server(db=a.db, env=later)
        others.append(d)
        wait_until(lambda: stood_by(d) == set(SHARED_JOBS))
        assert stood_by(d) == set(SHARED_JOBS) and job_runs(a.db) == twice
        ran_by = {server for (job, server) in store.query(a.db, "SELECT job, server FROM job_lease")
                  if job in SHARED_JOBS}
        assert ran_by == {f"{socket.gethostname()}:{c.proc.pid}"}
    finally:
        codes = [s.stop() for s in others]
        assert a.close() == 0 and codes == [0] * len(others)


def demo_with_pupils(urn, pupils):
    """The demo register, gzipped, with one school's number of pupils changed."""
    rows = list(csv.reader(io.StringIO(gzip.open(DEMO, "rb").read().decode("latin-1"), newline="")))
    col = rows[0].index("NumberOfPupils")
    for row in rows:
        if row[0] == str(urn):
            row[col] = str(pupils)
    out = io.StringIO(newline="")
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return gzip.compress(out.getvalue().encode("latin-1"))


def similar(server, urn):
    r = Browser(server).get(f"/schools/{urn}/similar", json=True)
    assert r.status_code == 200
    return [(s["urn"], s["score"]) for s in r.json()["results"]]


def test_an_import_through_one_server_reaches_the_other_servers_similar_schools(tmp_path):
    db = str(tmp_path / "register.db")
    r = run_cli("import-gias", "--db", db, DEMO)
    assert r.returncode == 0, r.stderr
    add_user(db, "admin@example.org", "Ada Admin", admin=True)
    a, b = Server(db=db), Server(db=db)
    try:
        before = similar(b, 107889)  # b builds its index now
        assert len(before) == 30 and similar(a, 107889) == before
        admin = Browser(a)
        admin.sign_in("admin@example.org")
        admin.get("/admin/imports")
        files = {"file": ("edubasealldata-changed.csv.gz", demo_with_pupils(107889, 2400))}
        up = admin.s.post(admin.url("/admin/imports"), data={"kind": "schools", "csrf": admin.token},
                          files=files, headers={"Accept": "text/html"}, allow_redirects=False)
        assert up.status_code == 303, up.text[:500]
        after = similar(a, 107889)
        assert after != before
        # The change reaches b as soon as b hears of it (at once on SQLite, a notification away on PostgreSQL).
        wait_until(lambda: similar(b, 107889) == after, seconds=30)
        assert similar(b, 107889) == after
    finally:
        assert (b.close(), a.close()) == (0, 0)
