# SPDX-License-Identifier: AGPL-3.0-or-later
"""`tandem copy-db`: a deployment grows from an SQLite file to PostgreSQL
without starting again (and can go back). The PostgreSQL side is a cluster
of this module's own; databases are named explicitly here, whichever store
the rest of the pass uses."""
import os
import subprocess
import sys

import psycopg2
import pytest
import requests

from support import PASSWORD, Browser
from tandem_server import BIN, ROOT, Server

sys.path.insert(0, os.path.join(ROOT, "tests"))
from pg_cluster import PgCluster  # noqa: E402

DEMO = os.path.join(ROOT, "data", "demo", "edubasealldata20250502-demo.csv.gz")
LINKS = os.path.join(ROOT, "data", "demo", "links_edubasealldata20250502-demo.csv.gz")
JSON = {"Accept": "application/json"}
TABLES = ("school", "school_link", "person", "network", "network_school", "strength", "need",
          "import_run", "audit_log", "meta")


def tandem(*args, input=None):
    """Run tandem with exactly these arguments (no test-pass mapping of database names)."""
    env = dict(os.environ, TANDEM_SHARE=ROOT)
    env.pop("TANDEM_DB", None)
    return subprocess.run([BIN, *args], env=env, capture_output=True, text=True, timeout=600,
                          input=input, cwd=ROOT)


def sqlite_counts(path):
    import sqlite3
    with sqlite3.connect(path) as c:
        return {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def pg_counts(conninfo):
    c = psycopg2.connect(conninfo)
    with c.cursor() as cur:
        out = {}
        for t in TABLES:
            cur.execute(f"SELECT count(*) FROM {t}")
            out[t] = cur.fetchone()[0]
    c.close()
    return out


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """An SQLite deployment with the register, the demo network and an administrator."""
    db = str(tmp_path_factory.mktemp("copy") / "source.db")
    assert tandem("import-gias", "--db", db, DEMO).returncode == 0
    assert tandem("import-gias", "--db", db, "--links", LINKS).returncode == 0
    r = tandem("user", "add", "--db", db, "--email", "ada.admin@example.org", "--name", "Ada Admin",
               "--admin", input=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    assert tandem("demo", "--db", db).returncode == 0
    return db


@pytest.fixture(scope="module")
def cluster():
    c = PgCluster.start()
    admin = psycopg2.connect(c.conninfo + " dbname=postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("CREATE DATABASE grown")
    admin.close()
    yield c
    c.stop()


def test_sqlite_data_moves_to_postgresql_and_serves_the_same(source, cluster):
    target = cluster.conninfo + " dbname=grown"
    r = tandem("copy-db", "--from", source, "--to", target)
    assert r.returncode == 0, r.stderr
    assert "count checked" in r.stdout and "search index was rebuilt" in r.stdout
    assert pg_counts(target) == sqlite_counts(source)

    s = Server(env={"TANDEM_DB": target})
    try:
        # The name search works (its index was rebuilt, not copied) and so does signing in.
        r = requests.get(s.url + "/schools", params={"q": "weetwood"}, headers=JSON)
        assert r.status_code == 200 and any("Weetwood" in x["name"] for x in r.json()["results"])
        b = Browser(s)
        b.sign_in("ada.admin@example.org")
        assert b.get("/account", json=True).json()["person"]["name"] == "Ada Admin"
        # New rows get ids after the copied ones.
        r = tandem("user", "add", "--db", target, "--email", "new.person@example.org", "--name",
                   "New Person", input=PASSWORD + "\n")
        assert r.returncode == 0, r.stderr
        c = psycopg2.connect(target)
        with c.cursor() as cur:
            cur.execute("SELECT id > (SELECT max(id) FROM person WHERE email <> 'new.person@example.org') "
                        "FROM person WHERE email = 'new.person@example.org'")
            assert cur.fetchone()[0] is True
        c.close()
    finally:
        assert s.close() == 0


def test_a_database_that_holds_data_is_refused_and_left_alone(source, cluster):
    target = cluster.conninfo + " dbname=grown"
    before = pg_counts(target)
    r = tandem("copy-db", "--from", source, "--to", target)
    assert r.returncode == 1
    assert "nothing was copied" in r.stderr and "already holds data" in r.stderr
    assert pg_counts(target) == before


def test_postgresql_data_comes_back_to_a_new_sqlite_file(source, cluster, tmp_path):
    back = str(tmp_path / "back.db")
    r = tandem("copy-db", "--from", cluster.conninfo + " dbname=grown", "--to", back)
    assert r.returncode == 0, r.stderr
    counts = sqlite_counts(back)
    assert counts["school"] == sqlite_counts(source)["school"] and counts["person"] >= 1


def test_copy_db_needs_somewhere_to_copy_to(source):
    r = tandem("copy-db", "--from", source)
    assert r.returncode == 2 and "--to" in r.stderr
    r = tandem("copy-db", "--from", source, "--to", source)
    assert r.returncode == 2
