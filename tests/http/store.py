# SPDX-License-Identifier: AGPL-3.0-or-later
"""The tests' own access to a server's database, on either store.

The black-box suite runs twice in `make test`: against SQLite files, and
against a throwaway PostgreSQL cluster (tests/pg_cluster.py) named by
TANDEM_TEST_PG (libpq key=value words without a dbname). Tests keep naming
databases by file path (`tmp_path / "x.db"`); on the PostgreSQL pass
`resolve` maps each path to a database of its own in that cluster, created
on first use, so every test still starts from an empty database.

`query` and `execute` take SQL with SQLite's `?` / `?N` placeholders on both
stores; keep the SQL in tests portable (ON CONFLICT rather than INSERT OR
IGNORE, information_schema rather than PRAGMA — see `columns`).
"""
import hashlib
import os
import re
import sqlite3

PG = os.environ.get("TANDEM_TEST_PG", "")
_created = set()


def is_pg_name(db):
    return db.startswith(("postgres://", "postgresql://")) or bool(re.match(r"\s*[a-z_]+\s*=", db))


def on_postgres():
    """Whether this pass runs against PostgreSQL."""
    return bool(PG)


def _admin():
    import psycopg2
    c = psycopg2.connect(PG + " dbname=postgres")
    c.autocommit = True
    return c


def resolve(db):
    """The TANDEM_DB value for a test's database name (a path, or already a PostgreSQL name)."""
    if not PG or db is None or is_pg_name(str(db)):
        return db
    path = os.path.abspath(str(db))
    name = "t_" + hashlib.sha1(path.encode()).hexdigest()[:24]
    if name not in _created:
        c = _admin()
        with c.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if not cur.fetchone():
                cur.execute(f'CREATE DATABASE "{name}"')
        c.close()
        _created.add(name)
    return f"{PG} dbname={name}"


def exists(db):
    """Whether the server created its database (the file, or any table in the PostgreSQL one)."""
    if not PG:
        return os.path.exists(db)
    return bool(query(db, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'")[0][0])


def _pg_sql(sql, args):
    """SQLite placeholders to psycopg2's, and the arguments in the order they are used."""
    out, ordered, highest = [], [], 0
    for part in re.split(r"('(?:[^']|'')*')", sql):
        if part.startswith("'"):
            out.append(part.replace("%", "%%"))
            continue

        def sub(m):
            nonlocal highest
            n = int(m.group(1)) if m.group(1) else highest + 1
            highest = max(highest, n)
            ordered.append(args[n - 1])
            return "%s"
        out.append(re.sub(r"\?(\d*)", sub, part.replace("%", "%%")))
    return "".join(out), ordered


def _run(db, sql, args, fetch):
    if not PG:
        with sqlite3.connect(db) as c:
            cur = c.execute(sql, args)
            return cur.fetchall() if fetch else cur.rowcount
    import psycopg2
    c = psycopg2.connect(resolve(db))
    try:
        with c:
            with c.cursor() as cur:
                text, ordered = _pg_sql(sql, args)
                cur.execute(text, ordered)
                return cur.fetchall() if fetch else cur.rowcount
    finally:
        c.close()


def query(db, sql, *args):
    """Rows (tuples) of a SELECT."""
    return _run(db, sql, args, True)


def execute(db, sql, *args):
    """Run one changing statement and commit; returns the rows changed."""
    return _run(db, sql, args, False)


def columns(db, table):
    """The column names of a table."""
    if not PG:
        return [r[1] for r in query(db, f"PRAGMA table_info({table})")]
    return [r[0] for r in query(db, "SELECT column_name FROM information_schema.columns "
                                    "WHERE table_name = ? ORDER BY ordinal_position", table)]
