# SPDX-License-Identifier: AGPL-3.0-or-later
"""House rules a test can check by reading the source (HACKING.md): SQL lives only in model
files, page handlers use the one page kit, and feature code never touches the HTTP server or a
database library directly."""
import glob
import os
import re

from tandem_server import ROOT

APP = os.path.join(ROOT, "src", "app")


def app_sources():
    return sorted(glob.glob(os.path.join(APP, "**", "*.c"), recursive=True))


def is_page_file(path, text):
    """A file of page handlers: named pages*.c, or answering requests with a view."""
    return os.path.basename(path).startswith("pages") or "res_view(" in text


def test_no_page_file_declares_sql():
    offenders = []
    for path in app_sources():
        text = open(path, encoding="utf-8").read()
        if is_page_file(path, text) and re.search(r"^\s*DB_QUERY\(", text, re.M):
            offenders.append(os.path.relpath(path, ROOT))
    assert offenders == [], "SQL belongs in the model, not in page files: %s" % offenders


def test_feature_code_never_includes_the_server_or_database_libraries():
    offenders = []
    for path in app_sources() + sorted(glob.glob(os.path.join(APP, "**", "*.h"), recursive=True)):
        text = open(path, encoding="utf-8").read()
        for header in ("microhttpd.h", "sqlite3.h", "libpq-fe.h"):
            if re.search(r'#\s*include\s*[<"]%s[>"]' % re.escape(header), text):
                offenders.append((os.path.relpath(path, ROOT), header))
    assert offenders == []


def test_there_is_one_error_partial():
    partials = glob.glob(os.path.join(ROOT, "templates", "**", "_errors.mustache"), recursive=True)
    assert [os.path.relpath(p, ROOT) for p in partials] == [os.path.join("templates", "_errors.mustache")]


def test_no_test_module_imports_another():
    """Shared helpers live in tests/http/support/; a test module never imports another."""
    offenders = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "*", "test_*.py"))):
        text = open(path, encoding="utf-8").read()
        if re.search(r"^\s*(from|import)\s+test_\w+", text, re.M):
            offenders.append(os.path.relpath(path, ROOT))
    assert offenders == []


def test_there_is_one_test_client():
    """Every black-box test drives the product through support.Browser (Person is a Browser
    signed in at creation): no HTTP test module keeps a client of its own."""
    offenders = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "http", "*.py"))):
        text = open(path, encoding="utf-8").read()
        if re.search(r"^\s*def sign_in\(", text, re.M) or re.search(r"^\s*from accounts_client\b", text, re.M):
            offenders.append(os.path.relpath(path, ROOT))
    assert offenders == []
    assert not os.path.exists(os.path.join(ROOT, "tests", "http", "accounts_client.py"))


def test_the_rules_checked_here_look_at_real_files():
    # A check over an empty tree would pass whatever the code did.
    assert len(app_sources()) > 30
    assert any(is_page_file(p, open(p, encoding="utf-8").read()) for p in app_sources())
