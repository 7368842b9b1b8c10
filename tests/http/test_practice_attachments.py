# SPDX-License-Identifier: AGPL-3.0-or-later
"""Attachments on shared practice (issue 14, item 5), black-box: the author
attaches PDF, Word, PowerPoint, Excel, PNG and JPEG files, recognised by
their content; a file whose content is not one of them (whatever its name),
a zip that is not an Office document, a macro-enabled document, an
executable, or a file over 10 MB is refused with a message and nothing
stored; the same content is stored once; a download has its item's
visibility (404 to anyone it excludes, anonymous visitors included, until
the item is public)."""
import io
import zipfile

import pytest

from support import location, one, query
from support.cast import practice_world

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF\x00" + b"\x00" * 40
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
MAIN = "application/vnd.openxmlformats-officedocument.%s.main+xml"


def office(main):
    """A zip with [Content_Types].xml naming main as the main part's type (deflated)."""
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'content-types"><Override PartName="/main.xml" ContentType="%s"/></Types>' % main)
        z.writestr("main.xml", "<doc/>")
    return b.getvalue()


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    w = practice_world(str(tmp_path_factory.mktemp("practice_attachments")),
                       ["coord", "lead_w", "ta_w", "lead_i", "teacher_i", "lead_v"],
                       network="Attachment Network", themes="Reading\nOracy")
    try:
        w.url = location(w.p["ta_w"].post("/networks/%s/articles" % w.net, {
            "title": "Our phonics mats", "body": "Mats on every table.", "theme": "Reading"}))
        w.id = int(w.url.rsplit("/", 1)[1])
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def attach(w, who, name, data, json=True):
    p = w.p[who]
    headers = {"Origin": w.server.url, "Accept": "application/json" if json else "text/html"}
    return p.s.post(p.url("/networks/%s/practice/article/%d/attachments" % (w.net, w.id)),
                    data={"csrf": p.csrf()}, files={"file": (name, data)}, headers=headers, allow_redirects=False)


def stored(w):
    return query(w.db, "SELECT hash, size FROM practice_blob ORDER BY hash"), \
        query(w.db, "SELECT id, filename, mime FROM practice_attachment ORDER BY id")


def files(w, who):
    r = w.p[who].get("/practice/article/%d" % w.id, json=True)
    assert r.status_code == 200, r.text
    return r.json()["item"]["attachments"]


@pytest.mark.parametrize("name,data,mime", [
    ("plan.pdf", PDF, "application/pdf"),
    ("mat.png", PNG, "image/png"),
    ("photo.jpg", JPEG, "image/jpeg"),
    ("guide.docx", office(MAIN % "wordprocessingml.document"),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("slides.pptx", office(MAIN % "presentationml.presentation"),
     "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("tracker.xlsx", office(MAIN % "spreadsheetml.sheet"),
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_the_author_attaches_each_type_it_takes_and_colleagues_download_it(w, name, data, mime):
    r = attach(w, "ta_w", name, data)
    assert r.status_code == 303, r.text
    f = [f for f in files(w, "ta_w") if f["filename"] == name][-1]
    assert f["type"] == mime
    d = w.p["lead_w"].get(f["url"])
    assert d.status_code == 200 and d.content == data
    assert d.headers["Content-Type"].startswith(mime)
    assert d.headers["Content-Disposition"] == 'attachment; filename="%s"' % name


@pytest.mark.parametrize("name,data,message", [
    ("notes.pdf", b"Just some text pretending to be a PDF.", "none of them"),
    ("archive.docx", office("application/zip"), "not a Word document"),
    ("macros.docx", office("application/vnd.ms-word.document.macroEnabled.main+xml"), "macros"),
    ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 100, "executable"),
    ("tool.png", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "executable"),
    ("run.jpg", b"#!/bin/sh\necho hi\n", "executable"),
    ("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "over 10 MB"),
    ("empty.pdf", b"", "Choose a file"),
])
def test_a_file_tandem_does_not_take_is_refused_with_a_message_and_nothing_stored(w, name, data, message):
    before = stored(w)
    r = attach(w, "ta_w", name, data)
    assert r.status_code == 400, r.text
    assert message in str(r.json())
    assert stored(w) == before


def test_the_same_content_is_stored_once(w):
    location(attach(w, "ta_w", "first.pdf", PDF + b"% once\n"))
    location(attach(w, "ta_w", "second.pdf", PDF + b"% once\n"))
    blobs, rows = stored(w)
    assert len([r for r in rows if r[1] in ("first.pdf", "second.pdf")]) == 2
    assert one(w.db, "SELECT COUNT(*) FROM practice_blob WHERE size = %d" % len(PDF + b"% once\n")) == 1


def test_only_the_author_attaches(w):
    before = stored(w)
    r = attach(w, "lead_w", "x.pdf", PDF)
    assert r.status_code == 403 and "author" in r.text
    assert attach(w, "teacher_i", "x.pdf", PDF).status_code == 404
    r = w.anon.s.post(w.anon.url("/networks/%s/practice/article/%d/attachments" % (w.net, w.id)),
                      files={"file": ("x.pdf", PDF)}, headers={"Origin": w.server.url, "Accept": "application/json"},
                      allow_redirects=False)
    assert r.status_code == 401
    r = w.p["ta_w"].s.post(w.p["ta_w"].url("/networks/%s/practice/article/%d/attachments" % (w.net, w.id)),
                           data={"csrf": "wrong"}, files={"file": ("x.pdf", PDF)},
                           headers={"Origin": w.server.url, "Accept": "application/json"}, allow_redirects=False)
    assert r.status_code == 403
    assert stored(w) == before


def test_a_download_has_the_visibility_of_its_item(w):
    location(attach(w, "ta_w", "visible.pdf", PDF + b"% visibility\n"))
    url = [f for f in files(w, "ta_w") if f["filename"] == "visible.pdf"][0]["url"]
    for person in (w.p["teacher_i"], w.p["lead_v"], w.p["coord"], w.anon):
        assert person.get(url).status_code == 404
    location(w.p["ta_w"].post(w.url + "/widen"))
    location(w.p["lead_w"].post(w.url + "/approve"))
    assert w.p["teacher_i"].get(url).status_code == 200
    assert w.anon.get(url).status_code == 404
    location(w.p["coord"].post("/networks/%s/practice/article/%d/publish" % (w.net, w.id)))
    assert w.anon.get(url).status_code == 200
    page = w.anon.get("/practice/article/%d" % w.id).text
    assert "visible.pdf" in page and 'enctype="multipart/form-data"' not in page
    assert w.anon.get("/practice/attachments/999999").status_code == 404
