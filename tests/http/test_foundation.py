# SPDX-License-Identifier: AGPL-3.0-or-later
"""The foundation, black-box: pages, JSON negotiation, errors, headers, limits."""
import json
import re
import socket

import requests

HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/json"}


def raw(server, data, read=65536):
    """Send raw bytes and return the raw response (for requests a client library refuses)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(data)
        chunks = []
        while True:
            try:
                b = s.recv(read)
            except (ConnectionResetError, socket.timeout):
                break
            if not b:
                break
            chunks.append(b)
        return b"".join(chunks)


def status_of(response_bytes):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", response_bytes)
    assert m, response_bytes[:200]
    return int(m.group(1))


def test_home_page_is_html_with_landmarks(server):
    r = requests.get(server.url + "/", headers=HTML)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert "<title>Schools learning from each other · Tandem</title>" in r.text
    for landmark in ('<main id="main"', "<header", "<footer", 'class="skip-link"', '<nav aria-label="Main">'):
        assert landmark in r.text
    assert '<html lang="en">' in r.text


def test_home_page_is_json_when_asked(server):
    r = requests.get(server.url + "/", headers=JSON)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json()["title"] == "Schools learning from each other"
    assert "Accept" in r.headers.get("Vary", "")


def test_healthz_reports_version_and_database(server):
    r = requests.get(server.url + "/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert re.match(r"\d+\.\d+\.\d+", body["version"])


def test_unknown_page_is_a_404_page(server):
    r = requests.get(server.url + "/no/such/page", headers=HTML)
    assert r.status_code == 404
    assert "text/html" in r.headers["Content-Type"]
    # The page speaks to people, not in HTTP's words (issue 11).
    assert "There is nothing at this address" in r.text and "Not Found" not in r.text
    assert '<main id="main"' in r.text


def test_error_pages_never_show_http_reason_phrases(server):
    for path, method in (("/no/such/page", "GET"), ("/networks", "PUT"), ("/schools/1", "GET")):
        r = requests.request(method, server.url + path, headers=HTML)
        assert r.status_code >= 400
        for phrase in ("Bad Request", "Conflict", "Unprocessable", "Not Found", "Method Not Allowed"):
            assert "<h1" in r.text and phrase not in r.text, (path, phrase)


def test_unknown_page_is_problem_json_when_asked(server):
    r = requests.get(server.url + "/no/such/page", headers=JSON)
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("application/problem+json")
    p = r.json()
    assert p["status"] == 404 and p["title"] == "Not Found" and p["detail"]


def test_security_headers_are_on_every_response(server):
    for path in ("/", "/healthz", "/nope", "/static/css/tandem.css"):
        r = requests.get(server.url + path)
        csp = r.headers.get("Content-Security-Policy", "")
        assert "frame-ancestors 'none'" in csp, path
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert r.headers.get("X-Content-Type-Options") == "nosniff", path
        assert r.headers.get("Referrer-Policy"), path


def test_static_files_have_etags_and_revalidate(server):
    r = requests.get(server.url + "/static/css/tandem.css")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/css")
    etag = r.headers["ETag"]
    assert "max-age" in r.headers["Cache-Control"]
    r2 = requests.get(server.url + "/static/css/tandem.css", headers={"If-None-Match": etag})
    assert r2.status_code == 304
    assert r2.content == b""


def test_static_paths_cannot_escape_the_folder(server):
    for path in ("/static/../sql/001_meta.sql", "/static/%2e%2e/sql/001_meta.sql", "/static/nope.css"):
        r = requests.get(server.url + path)
        assert r.status_code in (400, 404), path


def test_head_is_served_without_a_body(server):
    r = requests.head(server.url + "/")
    assert r.status_code == 200
    assert r.content == b""


def test_wrong_method_on_a_known_page_is_405_with_allow(server):
    r = requests.delete(server.url + "/healthz", headers=JSON)
    assert r.status_code == 405
    assert "GET" in r.headers.get("Allow", "")
    assert r.json()["status"] == 405


def test_unknown_method_is_a_clear_4xx_or_501(server):
    resp = raw(server, b"BREW / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status_of(resp) in (400, 405, 501)


def get_raw(server, target, accept="application/json"):
    """GET a target exactly as written (requests would re-quote a bad %-escape)."""
    resp = raw(server, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nAccept: " + accept.encode()
               + b"\r\nConnection: close\r\n\r\n")
    head, _, body = resp.partition(b"\r\n\r\n")
    return status_of(resp), head.decode("latin-1"), body


def test_malformed_percent_encoding_in_the_path_is_400(server):
    status, head, body = get_raw(server, b"/schools%zz")
    assert status == 400
    assert "application/problem+json" in head
    assert "percent-encoding" in json.loads(body)["detail"]


def test_invalid_utf8_in_the_query_is_400(server):
    status, head, body = get_raw(server, b"/?q=%C3%28")
    assert status == 400
    assert "UTF-8" in json.loads(body)["detail"]


def test_a_nul_in_the_query_is_400(server):
    status, _, _ = get_raw(server, b"/schools?q=a%00b")
    assert status == 400


def test_malformed_percent_encoding_in_the_query_is_400_as_an_html_page(server):
    status, head, body = get_raw(server, b"/?q=%G1", accept="text/html")
    assert status == 400
    assert "text/html" in head
    assert b"percent-encoding" in body


def test_json_and_html_agree_on_the_error_for_a_bad_request(server):
    assert get_raw(server, b"/schools%zz")[0] == get_raw(server, b"/schools%zz", "text/html")[0] == 400


def test_an_overlong_url_is_414(server):
    r = requests.get(server.url + "/" + "a" * 20000)
    assert r.status_code in (414, 431)


def test_an_overlong_header_is_a_4xx(server):
    resp = raw(server, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 200000 + b"\r\nConnection: close\r\n\r\n")
    assert 400 <= status_of(resp) < 500


def test_an_oversized_body_is_413(server):
    r = requests.post(server.url + "/", data=b"x" * (2 * 1024 * 1024),
                      headers={"Content-Type": "application/x-www-form-urlencoded", **JSON})
    assert r.status_code in (405, 413)


def test_every_response_has_a_request_id_in_the_log(server):
    requests.get(server.url + "/healthz")
    assert any(re.search(r"GET /healthz 200 \d+us", line) for line in server.log)
