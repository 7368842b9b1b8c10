# SPDX-License-Identifier: AGPL-3.0-or-later
"""Two app servers behind nginx (round robin) on one database, as a
deployment that has outgrown one machine runs (issue 12, item 6), on either
store: two servers on one PostgreSQL database, or on one SQLite file. nginx
runs unprivileged from a temporary folder of its own (its prefix, its
configuration, its logs and temporary files there; no root). Through the
balancer: a person signs in and carries on whichever server answers; two
hundred people booking thirty places at once across both servers get
exactly thirty; every message the bookings queue reaches a real SMTP server
exactly once although both servers' senders race for them."""
import base64
import calendar
import email
import email.policy
import hashlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from aiosmtpd.controller import Controller

from tandem_server import Server, run_cli
from support import Person, add_user, ask_and_accept, create_network, execute, location, one, query
from support import DEMO, IRELAND_WOOD, WEETWOOD

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# Thursday 1 October 2026, 09:00 UTC: the autumn term, before the session below.
T0 = calendar.timegm((2026, 10, 1, 9, 0, 0))
PEOPLE, PLACES = 200, 30

CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    upstream tandem {{
        server 127.0.0.1:{a};
        server 127.0.0.1:{b};
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://tandem;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


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
        with self.lock:
            self.messages.append(envelope.content)
        return "250 OK"


class Balancer:
    """An unprivileged nginx in front of two servers; .url is what people use."""

    def __init__(self, a, b, port):
        self.tmp = tempfile.TemporaryDirectory(prefix="tandem-nginx-")
        self.port = port
        self.url = "http://127.0.0.1:%d" % self.port
        conf = os.path.join(self.tmp.name, "nginx.conf")
        with open(conf, "w") as f:
            f.write(CONF.format(tmp=self.tmp.name, a=a.port, b=b.port, port=self.port))
        self.proc = subprocess.Popen([NGINX, "-p", self.tmp.name, "-c", conf, "-e", self.tmp.name + "/error.log",
                                      "-g", "daemon off;"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True)
        deadline = time.time() + 20
        while time.time() < deadline and self.proc.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("nginx did not start: " + self.error_log())

    def error_log(self):
        try:
            with open(os.path.join(self.tmp.name, "error.log")) as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.tmp.cleanup()


class World:
    """Filled in by the fixture: db, the two servers, the balancer (lb), the inbox and the session (sid)."""


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    assert os.access(NGINX, os.X_OK), "nginx is missing: scripts/bootstrap test installs it"
    w = World()
    w.db = str(tmp_path_factory.mktemp("balancer") / "b.db")
    r = run_cli("import-gias", "--db", w.db, DEMO)
    assert r.returncode == 0, r.stderr
    w.ids = {"coord": add_user(w.db, "coord@p.test", "Cora Coordinator"),
             "lead_w": add_user(w.db, "lead@w.test", "Wyn Lead", WEETWOOD, "lead"),
             "staff_w": add_user(w.db, "staff@w.test", "Sid Staff", WEETWOOD, "staff"),
             "lead_i": add_user(w.db, "lead@i.test", "Ivy Lead", IRELAND_WOOD, "lead")}
    w.inbox = Inbox()
    w.smtp = Controller(w.inbox, hostname="127.0.0.1", port=free_port())
    w.smtp.start()
    lb_port = free_port()
    env = {"TANDEM_NOW": str(T0), "TANDEM_SMTP_URL": "smtp://127.0.0.1:%d" % w.smtp.port,
           "TANDEM_SMTP_FROM": "Tandem <noreply@tandem.example.org>",
           "TANDEM_BASE_URL": "http://127.0.0.1:%d" % lb_port}
    w.a = Server(db=w.db, env=env)
    w.b = Server(db=w.db, env=env)
    try:
        w.lb = Balancer(w.a, w.b, lb_port)
    except BaseException:
        w.b.close(), w.a.close(), w.smtp.stop()
        raise
    try:
        coord, lead_w, lead_i = (Person(w.lb, e) for e in ("coord@p.test", "lead@w.test", "lead@i.test"))
        w.net = create_network(coord, "Balanced Learning")
        ask_and_accept(coord, lead_w, w.net, WEETWOOD)
        ask_and_accept(coord, lead_i, w.net, IRELAND_WOOD)
        loc = location(coord.post("/networks/%s/programme/courses" % w.net, {
            "title": "Phonics that sticks", "theme": "reading", "audience": ["teachers", "teaching_assistants"],
            "format": "course", "outcomes": "Teach phonics so that every child reads.", "lead_id": w.ids["staff_w"]}))
        w.course = int(re.search(r"/courses/(\d+)", loc).group(1))
        loc = location(coord.post("/networks/%s/programme/courses/%d/sessions" % (w.net, w.course), {
            "day": "2026-11-10", "start": "16:00", "end": "17:30", "capacity": str(PLACES), "cpd_hours": "1.5",
            "venue_urn": str(WEETWOOD)}))
        w.sid = int(loc.rsplit("/", 1)[1])
    except BaseException:
        stop(w)
        raise
    yield w
    stop(w)


def stop(w):
    w.lb.stop()
    codes = (w.b.close(), w.a.close())
    w.smtp.stop()
    assert codes == (0, 0), "".join(w.a.log[-20:] + w.b.log[-20:])


def upstream(r):
    """The app server (host:port) nginx passed the request to."""
    return r.headers["X-Upstream"]


def test_signed_in_through_the_balancer_a_person_carries_on_whichever_server_answers(w):
    p = Person(w.lb, "staff@w.test")
    seen = set()
    for _ in range(6):
        r = p.get("/account", json=True)
        assert r.status_code == 200 and r.json()["person"]["email"] == "staff@w.test"
        seen.add(upstream(r))
    assert seen == {"127.0.0.1:%d" % w.a.port, "127.0.0.1:%d" % w.b.port}
    # A form read through one server is accepted by the other (round robin: the next request goes elsewhere).
    r = p.post("/sign-out")
    assert r.status_code == 303
    assert p.get("/account", json=True).status_code == 401


def api_people(w, n):
    """n staff of the two member schools, each with an API token (made in the store, as the CLI would)."""
    hash_ = one(w.db, "SELECT password_hash FROM person WHERE id = ?", w.ids["staff_w"])
    people = []
    for i in range(n):
        address = "crowd%d@p.test" % i
        execute(w.db, "INSERT INTO person (email, name, password_hash, school_urn, school_role, created_at, "
                      "updated_at, password_changed_at) VALUES (?, ?, ?, ?, 'staff', ?, ?, ?)",
                address, "Crowd %d" % i, hash_, WEETWOOD if i % 2 else IRELAND_WOOD, "2026-09-01T00:00:00Z",
                "2026-09-01T00:00:00Z", "2026-09-01T00:00:00Z")
        pid = one(w.db, "SELECT id FROM person WHERE email = ?", address)
        token = "tdm_" + base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
        execute(w.db, "INSERT INTO api_token (person_id, name, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)",
                pid, "test", hashlib.sha256(token.encode()).hexdigest(), token[:8], "2026-09-01T00:00:00Z")
        people.append((pid, token))
    return people


def test_two_hundred_bookings_across_both_servers_for_thirty_places_give_exactly_thirty(w):
    people = api_people(w, PEOPLE)
    url = w.lb.url + "/networks/%s/programme/sessions/%d/book" % (w.net, w.sid)

    def attempt(person):
        r = requests.post(url, data={"wait": "1"}, allow_redirects=False,
                          headers={"Authorization": "Bearer " + person[1], "Accept": "text/html"})
        return r.status_code, r.headers.get("X-Upstream")

    with ThreadPoolExecutor(max_workers=64) as pool:
        results = list(pool.map(attempt, people))
    assert all(code == 303 for code, _ in results), [r for r in results if r[0] != 303][:5]
    assert {where for _, where in results} == {"127.0.0.1:%d" % w.a.port, "127.0.0.1:%d" % w.b.port}
    rows = query(w.db, "SELECT person_id, status FROM booking WHERE session_id = ?", w.sid)
    assert len(rows) == PEOPLE and len({r[0] for r in rows}) == PEOPLE
    assert sum(1 for r in rows if r[1] == "booked") == PLACES
    assert sum(1 for r in rows if r[1] == "waiting") == PEOPLE - PLACES


def test_every_queued_message_is_sent_exactly_once_by_the_two_servers(w):
    # Whatever the world and the tests before queued (after the bookings: a message each).
    queued = one(w.db, "SELECT count(*) FROM outbox")
    assert queued > 0
    deadline = time.time() + 120
    while time.time() < deadline and one(w.db, "SELECT count(*) FROM outbox WHERE status = 'sent'") < queued:
        time.sleep(0.3)
    assert one(w.db, "SELECT count(*) FROM outbox WHERE status = 'sent'") == queued
    assert query(w.db, "SELECT DISTINCT attempts FROM outbox") == [(1,)]
    with w.inbox.lock:
        ids = [email.message_from_bytes(m, policy=email.policy.default)["Message-ID"] for m in w.inbox.messages]
    assert len(ids) == queued and len(set(ids)) == queued
