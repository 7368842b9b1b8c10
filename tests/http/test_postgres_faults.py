# SPDX-License-Identifier: AGPL-3.0-or-later
"""PostgreSQL faults, against a cluster of this module's own (so stopping it
disturbs no other test): a database that cannot be reached or refuses the
password at start (a clear message and exit status 1), the database going
away while the app serves (503s, then recovery without restarting the app),
and a migration that fails half-way (nothing of it applied)."""
import os
import shutil
import sys
import time

import psycopg2
import pytest
import requests

from tandem_server import ROOT, Server, run_cli

sys.path.insert(0, os.path.join(ROOT, "tests"))
from pg_cluster import PgCluster  # noqa: E402

JSON = {"Accept": "application/json"}
SECRET = "right-horse-battery-staple"


@pytest.fixture(scope="module")
def cluster():
    c = PgCluster.start()
    admin = psycopg2.connect(c.conninfo + " dbname=postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"CREATE ROLE tandem_pw LOGIN PASSWORD '{SECRET}'")
        cur.execute("CREATE DATABASE guarded OWNER tandem_pw")
        cur.execute("CREATE DATABASE restarts")
        cur.execute("CREATE DATABASE halfway")
    admin.close()
    yield c
    c.stop()


def wait_for(check, seconds=60):
    """Poll check() until it is true or the time is up; returns its last value."""
    deadline = time.time() + seconds
    while True:
        ok = check()
        if ok or time.time() > deadline:
            return ok
        time.sleep(0.2)


def test_an_unreachable_database_stops_start_up_with_a_clear_message(tmp_path):
    db = f"host={tmp_path}/no-server-here dbname=tandem"
    for args in (("serve", "--listen", "127.0.0.1:0"), ("migrate",)):
        r = run_cli(*args, "--db", db, timeout=60)
        assert r.returncode == 1, r.stderr
        assert "cannot connect to the PostgreSQL database" in r.stderr and "no-server-here" in r.stderr
        assert "Sanitizer" not in r.stderr


def test_a_wrong_password_stops_start_up_and_the_password_is_never_shown(cluster):
    wrong = "wrong-horse-battery"
    db = f"{cluster.conninfo.replace('user=tandem', 'user=tandem_pw')} password={wrong} dbname=guarded"
    r = run_cli("serve", "--listen", "127.0.0.1:0", "--db", db, timeout=60)
    assert r.returncode == 1
    assert "password authentication failed" in r.stderr
    assert wrong not in r.stderr and wrong not in r.stdout and "password=***" in r.stderr


def test_the_right_password_serves_and_the_password_is_not_printed(cluster):
    db = f"{cluster.conninfo.replace('user=tandem', 'user=tandem_pw')} password={SECRET} dbname=guarded"
    s = Server(env={"TANDEM_DB": db})
    try:
        assert requests.get(s.url + "/healthz", headers=JSON).json()["database"] == "ok"
    finally:
        assert s.close() == 0
    assert SECRET not in "".join(s.log)


def test_requests_fail_with_503_while_the_database_is_down_and_recover_after(cluster):
    s = Server(env={"TANDEM_DB": cluster.conninfo + " dbname=restarts"}, threads=2)
    try:
        # A school's profile reads the database on every request (the directory answers from
        # memory once built, so it would not show the database's absence).
        profile = "/schools/100000"
        assert requests.get(s.url + "/healthz").status_code == 200
        assert requests.get(s.url + profile, headers=JSON).status_code == 404  # empty register
        assert cluster.pg_ctl("stop", "-m", "fast").returncode == 0
        try:
            for path in ("/healthz", profile, "/healthz", profile):
                r = requests.get(s.url + path, headers=JSON)
                assert r.status_code == 503, (path, r.status_code, r.text)
            assert requests.get(s.url + "/healthz").json()["database"] == "unavailable"
        finally:
            assert cluster.pg_ctl("start").returncode == 0
        assert wait_for(lambda: requests.get(s.url + "/healthz").status_code == 200)
        # Every worker's connection comes back, not only the one that answered.
        for _ in range(8):
            assert requests.get(s.url + profile, headers=JSON).status_code == 404
        assert s.proc.poll() is None
    finally:
        assert s.close() == 0


def test_a_migration_that_fails_half_way_applies_nothing(cluster, tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    for d in ("static", "templates", "data"):
        os.symlink(os.path.join(ROOT, d), share / d)
    shutil.copytree(os.path.join(ROOT, "sql"), share / "sql")
    half_way = ("CREATE TABLE half_done (x bigint);\n"
                "INSERT INTO half_done (x) VALUES (1);\n"
                "UPDATE meta SET value = 'changed' WHERE key = 'created_by';\n"
                "SELECT no_such_column FROM half_done;\n")
    (share / "sql" / "900_half_way.sql").write_text(half_way)
    (share / "sql" / "postgres" / "900_half_way.sql").write_text(half_way)
    db = cluster.conninfo + " dbname=halfway"
    r = run_cli("serve", "--listen", "127.0.0.1:0", "--db", db, env={"TANDEM_SHARE": str(share)},
                timeout=60)
    assert r.returncode == 1
    assert "900_half_way.sql" in r.stderr and "line 4" in r.stderr and "no_such_column" in r.stderr
    c = psycopg2.connect(db)
    with c.cursor() as cur:
        cur.execute("SELECT to_regclass('half_done') IS NULL")
        assert cur.fetchone()[0] is True
        cur.execute("SELECT value FROM meta WHERE key = 'created_by'")
        assert cur.fetchone()[0] == "tandem"
        cur.execute("SELECT count(*) FROM schema_version WHERE version = 900")
        assert cur.fetchone()[0] == 0
        cur.execute("SELECT max(version) FROM schema_version")
        earlier = cur.fetchone()[0]
    c.close()
    # The migrations before it were applied and kept, each in its own transaction.
    assert earlier >= 7


def test_a_migration_without_its_postgresql_version_is_named(cluster, tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    shutil.copytree(os.path.join(ROOT, "sql"), share / "sql")
    (share / "sql" / "901_portable.sql").write_text("CREATE TABLE portable (id INTEGER PRIMARY KEY);\n")
    r = run_cli("migrate", "--db", cluster.conninfo + " dbname=halfway", env={"TANDEM_SHARE": str(share)},
                timeout=60)
    assert r.returncode == 1
    assert "901_portable.sql has no PostgreSQL version" in r.stderr and "sql/postgres/901_portable.sql" in r.stderr
