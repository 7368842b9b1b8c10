# SPDX-License-Identifier: AGPL-3.0-or-later
"""The register import in the browser: administrators upload the GIAS file
and read the report; nobody else can, and a bad file changes nothing."""
import gzip
import json
import os
import re
import socket
import tempfile
import time

import pytest

from support import Browser, add_user, query
from tandem_server import ROOT, Server

DEMO = os.path.join(ROOT, "data", "demo", "edubasealldata20250502-demo.csv.gz")
LINKS = os.path.join(ROOT, "data", "demo", "links_edubasealldata20250502-demo.csv.gz")


@pytest.fixture(scope="module")
def server():
    s = Server()
    add_user(s.db, "admin@example.org", "Ada Admin", admin=True)
    add_user(s.db, "staff@example.org", "Sam Staff")
    yield s
    assert s.close() == 0


def upload(b, path, kind="schools", name=None, csrf=True, data=None):
    files = {"file": (name or os.path.basename(path), data if data is not None else open(path, "rb").read())}
    form = {"kind": kind}
    if csrf:
        form["csrf"] = b.token
    return b.s.post(b.url("/admin/imports"), data=form, files=files, headers={"Accept": "text/html"},
                    allow_redirects=False)


def test_an_administrator_uploads_the_register_and_reads_the_report(server):
    b = Browser(server)
    b.sign_in("admin@example.org")
    page = b.get("/admin/imports")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    r = upload(b, DEMO)
    assert r.status_code == 303, r.text[:500]
    report = b.get(r.headers["Location"])
    assert report.status_code == 200
    assert "8047 rows read" in report.text and "snapshot of 2 May 2025" in report.text
    assert query(server.db, "SELECT COUNT(*) FROM school")[0][0] == 8047
    r = upload(b, LINKS, kind="links")
    assert r.status_code == 303
    assert query(server.db, "SELECT COUNT(*) FROM school_link")[0][0] == 5853
    # The directory and the similar-schools finder follow the new data at once.
    j = b.get("/schools/107889/similar", json=True)
    assert j.status_code == 200 and len(j.json()["results"]) == 30
    runs = b.get("/admin/imports", json=True).json()["runs"]
    assert runs[0]["kind"] == "links" and runs[1]["status"] == "done"
    assert any(e[0] == "import_schools" for e in query(server.db, "SELECT event FROM audit_log"))


def test_a_damaged_upload_changes_nothing_and_says_why(server):
    b = Browser(server)
    b.sign_in("admin@example.org")
    b.get("/admin/imports")
    before = query(server.db, "SELECT COUNT(*), MAX(updated_at) FROM school")[0]
    data = open(DEMO, "rb").read()
    r = upload(b, DEMO, data=data[: len(data) // 3])
    assert r.status_code == 422
    assert "nothing was changed" in r.text
    assert query(server.db, "SELECT COUNT(*), MAX(updated_at) FROM school")[0] == before
    failed = query(server.db, "SELECT status FROM import_run ORDER BY id DESC LIMIT 1")[0][0]
    assert failed == "failed"


def test_an_import_error_names_the_uploaded_file_never_the_servers_temporary_path(server):
    b = Browser(server)
    b.sign_in("admin@example.org")
    b.get("/admin/imports")
    data = open(DEMO, "rb").read()
    for name, body in (("register-may.csv.gz", data[: len(data) // 3]),
                       ("register.xlsx", b"PK\x03\x04 not a csv at all")):
        r = upload(b, DEMO, name=name, data=body)
        assert r.status_code == 422
        assert name + ":" in r.text
        assert "tandem-part" not in r.text and "/tmp" not in r.text
        file_name, message = query(server.db, "SELECT file_name, message FROM import_run ORDER BY id DESC LIMIT 1")[0]
        assert file_name == name and message.startswith(name + ":")
        assert "tandem-part" not in message and "/tmp" not in message
    # A name with folders in it is shown as its last part only.
    r = upload(b, DEMO, name="C:\\Users\\head\\bad.csv", data=b"PK\x03\x04")
    assert r.status_code == 422 and "bad.csv:" in r.text and "Users" not in r.text


def test_a_file_without_the_urn_column_is_refused(server):
    b = Browser(server)
    b.sign_in("admin@example.org")
    b.get("/admin/imports")
    with gzip.open(DEMO, "rb") as f:
        head = f.readline().replace(b'"URN"', b'"Number"', 1)
    r = upload(b, DEMO, name="bad.csv", data=head)
    assert r.status_code == 422 and "URN" in r.text


def test_an_empty_upload_is_a_400(server):
    b = Browser(server)
    b.sign_in("admin@example.org")
    b.get("/admin/imports")
    r = upload(b, DEMO, data=b"")
    assert r.status_code == 400


def test_the_upload_needs_the_csrf_token(server):
    b = Browser(server)
    b.sign_in("admin@example.org")
    b.get("/admin/imports")
    r = upload(b, DEMO, csrf=False)
    assert r.status_code == 403


def test_staff_and_anonymous_people_cannot_import(server):
    staff = Browser(server)
    staff.sign_in("staff@example.org")
    assert staff.get("/admin/imports").status_code == 403
    staff.get("/account")
    assert upload(staff, DEMO).status_code == 403
    anon = Browser(server)
    r = anon.get("/admin/imports")
    assert r.status_code == 303 and "/sign-in" in r.headers["Location"]
    assert anon.get("/admin/imports", json=True).status_code == 401


def raw_upload_head(srv, size, cookie=None, extra=""):
    """Send only the headers of a multipart upload of `size` bytes (Expect: 100-continue) and
    return (socket, the server's first answer): the body is sent only if the caller chooses."""
    sock = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
    head = ("POST /admin/imports HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAccept: application/json\r\n"
            "Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: %d\r\n"
            "Expect: 100-continue\r\nConnection: close\r\n%s%s\r\n"
            % (srv.port, size, "Cookie: tandem_session=%s\r\n" % cookie if cookie else "", extra))
    sock.sendall(head.encode())
    return sock, sock.recv(65536).decode("latin-1")


def read_rest(sock):
    chunks = []
    while True:
        try:
            c = sock.recv(65536)
        except (ConnectionResetError, socket.timeout):
            break
        if not c:
            break
        chunks.append(c)
    sock.close()
    return b"".join(chunks).decode("latin-1")


def status_and_detail(text):
    final = text[text.rindex("HTTP/1.1 "):]
    return int(final.split(" ")[1]), json.loads(final.split("\r\n\r\n", 1)[1])["detail"]


@pytest.fixture(scope="module")
def watched():
    """A server of its own whose temporary files go to a folder the test can watch."""
    tmp = tempfile.TemporaryDirectory()
    s = Server(env={"TMPDIR": tmp.name, "TANDEM_MAX_UPLOADS": "1"})
    add_user(s.db, "admin@example.org", "Ada Admin", admin=True)
    add_user(s.db, "staff@example.org", "Sam Staff")
    yield s, tmp.name
    assert s.close() == 0
    tmp.cleanup()


def test_a_large_upload_from_anyone_but_an_administrator_is_refused_before_it_is_read(watched):
    srv, tmp = watched
    staff = Browser(srv)
    staff.sign_in("staff@example.org")
    big = 200 * 1024 * 1024  # declared, never sent
    for cookie, status, words in ((None, 401, "Sign in as one of the site's administrators"),
                                  ("not-a-session", 401, "Sign in as one of the site's administrators"),
                                  (staff.session_cookie, 403, "for the site's administrators")):
        sock, first = raw_upload_head(srv, big, cookie)
        # The refusal comes from the headers alone: no "100 Continue", no body read.
        assert "100 Continue" not in first
        text = first + read_rest(sock)
        got, detail = status_and_detail(text)
        assert got == status and words in detail and "nothing was uploaded" in detail
        assert os.listdir(tmp) == []
    # An API token that is not valid is a 401 too, before the body.
    sock, first = raw_upload_head(srv, big, extra="Authorization: Bearer tdm_" + "x" * 43 + "\r\n")
    assert status_and_detail(first + read_rest(sock))[0] == 401
    assert query(srv.db, "SELECT count(*) FROM import_run")[0][0] == 0
    assert os.listdir(tmp) == []


def test_an_administrators_upload_from_another_site_is_refused_before_it_is_read(watched):
    srv, tmp = watched
    admin = Browser(srv)
    admin.sign_in("admin@example.org")
    sock, first = raw_upload_head(srv, 50 * 1024 * 1024, admin.session_cookie,
                                  "Origin: http://evil.example\r\n")
    got, detail = status_and_detail(first + read_rest(sock))
    assert got == 403 and "another site" in detail
    sock, first = raw_upload_head(srv, 50 * 1024 * 1024, admin.session_cookie, "X-CSRF-Token: wrong\r\n")
    assert status_and_detail(first + read_rest(sock))[0] == 403
    assert os.listdir(tmp) == []


def test_uploads_past_the_bound_get_a_503_saying_when_to_try_again(watched):
    srv, tmp = watched
    admin = Browser(srv)
    admin.sign_in("admin@example.org")
    admin.get("/admin/imports")
    # TANDEM_MAX_UPLOADS=1: an upload told to continue holds the only place.
    held, first = raw_upload_head(srv, 1000, admin.session_cookie)
    assert first.startswith("HTTP/1.1 100")
    sock, first = raw_upload_head(srv, 1000, admin.session_cookie)
    text = first + read_rest(sock)
    got, detail = status_and_detail(text)
    assert got == 503 and "try again in a minute" in detail
    assert re.search(r"(?i)^Retry-After: 30\r$", text, re.M)
    # The page still answers, and once the held upload ends another one is taken.
    assert admin.get("/admin/imports").status_code == 200
    held.sendall(b"x" * 1000)
    assert "HTTP/1.1 400" in read_rest(held)  # not multipart data: refused, nothing imported
    for _ in range(100):
        r = upload(admin, DEMO, data=b"URN,EstablishmentName\r\n100000,Test School\r\n", name="tiny.csv")
        if r.status_code != 503:
            break
        time.sleep(0.05)
    assert r.status_code == 303, r.text[:300]
    # The upload's files go when the request completes, just after the answer is sent.
    for _ in range(100):
        if not os.listdir(tmp):
            break
        time.sleep(0.05)
    assert os.listdir(tmp) == []


def test_a_report_that_does_not_exist_is_404(server):
    b = Browser(server)
    b.sign_in("admin@example.org")
    assert b.get("/admin/imports/999999").status_code == 404


def test_secret_links_do_not_reach_the_access_log(server):
    b = Browser(server)
    b.get("/password-reset/abcdefsecret")
    for _ in range(50):  # the log is read by a background thread
        if any("/password-reset/" in line for line in server.log):
            break
        time.sleep(0.05)
    assert not any("abcdefsecret" in line for line in server.log)
    assert any(re.search(r"GET /password-reset/\{token\} \d{3}", line) for line in server.log)
