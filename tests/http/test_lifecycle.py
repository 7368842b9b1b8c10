# SPDX-License-Identifier: AGPL-3.0-or-later
"""Start-up, the command line and graceful shutdown of the real binary."""
import os
import signal
import socket
import threading
import time

import requests

import store
from tandem_server import ROOT, Server, run_cli


def test_sigterm_stops_the_server_cleanly():
    s = Server()
    assert requests.get(s.url + "/healthz").status_code == 200
    code = s.stop(signal.SIGTERM)
    assert code == 0
    assert any("stopped" in line for line in s.log)
    s.tmp.cleanup()


def test_sigint_stops_the_server_cleanly():
    s = Server()
    assert s.stop(signal.SIGINT) == 0
    s.tmp.cleanup()


def test_requests_in_flight_finish_during_shutdown():
    s = Server()
    results = []

    def many():
        sess = requests.Session()
        for _ in range(50):
            try:
                results.append(sess.get(s.url + "/", timeout=5).status_code)
            except requests.RequestException:
                results.append("refused")

    t = threading.Thread(target=many)
    t.start()
    time.sleep(0.05)
    assert s.stop(signal.SIGTERM) == 0
    t.join()
    # Every request either completed with 200 or was refused after the stop: none broke half-way.
    assert all(r in (200, "refused") for r in results)
    s.tmp.cleanup()


def test_after_shutdown_the_port_is_closed():
    s = Server()
    port = s.port
    s.stop()
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        connected = True
    except OSError:
        connected = False
    assert not connected
    s.tmp.cleanup()


def test_a_broken_template_stops_start_up_with_a_clear_message(tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    for d in ("static", "sql"):
        os.symlink(os.path.join(ROOT, d), share / d)
    (share / "templates").mkdir()
    (share / "templates" / "layout.mustache").write_text("{{#open}}never closed\n")
    r = run_cli("serve", "--listen", "127.0.0.1:0", "--db", str(tmp_path / "t.db"),
                env={"TANDEM_SHARE": str(share)}, timeout=30)
    assert r.returncode == 1
    assert "template" in r.stderr and "layout" in r.stderr


def test_version_and_help():
    r = run_cli("version")
    assert r.returncode == 0 and r.stdout.startswith("tandem ")
    r = run_cli("help")
    assert r.returncode == 0 and "serve" in r.stdout and "migrate" in r.stdout
    r = run_cli("help", "serve")
    assert r.returncode == 0 and "--listen" in r.stdout and "--threads" in r.stdout


def test_unknown_options_and_commands_give_usage_and_exit_2():
    r = run_cli("serve", "--colour", "blue")
    assert r.returncode == 2 and "unknown option '--colour'" in r.stderr and "usage:" in r.stderr
    r = run_cli("frobnicate")
    assert r.returncode == 2 and "unknown command" in r.stderr
    r = run_cli("serve", "--threads", "lots")
    assert r.returncode == 2 and "--threads" in r.stderr


def test_bad_environment_settings_are_named(tmp_path):
    r = run_cli("serve", env={"TANDEM_LISTEN": "nowhere:99999"})
    assert r.returncode == 2 and "TANDEM_LISTEN" in r.stderr


def test_migrate_creates_the_database_and_is_idempotent(tmp_path):
    db = str(tmp_path / "sub" / "m.db")
    r = run_cli("migrate", "--db", db)
    assert r.returncode == 0, r.stderr
    assert "applied" in r.stdout
    r2 = run_cli("migrate", "--db", db)
    assert r2.returncode == 0 and "applied 0 migrations" in r2.stdout


def test_settings_come_from_the_environment(tmp_path):
    db = str(tmp_path / "env.db")
    s = Server(env={"TANDEM_DB": db})
    assert requests.get(s.url + "/healthz").json()["database"] == "ok"
    s.close()
    assert store.exists(db)
