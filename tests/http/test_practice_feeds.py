# SPDX-License-Identifier: AGPL-3.0-or-later
"""Shared practice leaving Tandem (issue 14, item 9), black-box: a network's
Atom feed is valid Atom, lists only its public items and escapes what they
say; the weekly email of new practice goes only to people who switched it
on, lists for each only what the visibility check lets them see, and is
not sent twice in a week; the switch refuses a value it does not know."""
import time
import xml.etree.ElementTree as ET

import pytest

from tandem_server import Server
from support import location, one, query
from support.cast import practice_world

ATOM = "{http://www.w3.org/2005/Atom}"
SUBJECT = "New shared practice this week"
QUIET = {"TANDEM_DIGEST_INTERVAL": "0"}  # the main server leaves the email job to the tests


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    w = practice_world(str(tmp_path_factory.mktemp("practice_feeds")),
                       ["coord", "lead_w", "ta_w", "lead_i", "teacher_i", "lead_v"],
                       network="Feed Network", themes="Reading & Writing\nOracy", env=QUIET)
    try:
        w.school_only = "Staffroom secret: biscuits on Fridays."
        location(w.p["ta_w"].post("/networks/%s/ideas" % w.net, {"text": w.school_only, "theme": "Oracy"}))
        w.network_only = "Talk tokens: each pupil spends three in a discussion."
        url = location(w.p["ta_w"].post("/networks/%s/ideas" % w.net, {"text": w.network_only, "theme": "Oracy"}))
        location(w.p["ta_w"].post(url + "/widen"))
        location(w.p["lead_w"].post(url + "/approve"))
        w.public_title = "Tom & Jerry <reading> week"
        url = location(w.p["ta_w"].post("/networks/%s/articles" % w.net, {
            "title": w.public_title, "body": "Cartoons as **prompts** for \"writing\".", "theme": "Reading & Writing"}))
        location(w.p["ta_w"].post(url + "/widen"))
        location(w.p["lead_w"].post(url + "/approve"))
        w.public_id = int(url.rsplit("/", 1)[1])
        location(w.p["coord"].post("/networks/%s/practice/article/%d/publish" % (w.net, w.public_id)))
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def test_the_atom_feed_is_valid_atom_with_only_public_items_escaped(w):
    r = w.anon.get("/networks/%s/practice.atom" % w.net)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/atom+xml")
    assert "Tom &amp; Jerry &lt;reading&gt; week" in r.text
    feed = ET.fromstring(r.content)
    assert feed.tag == ATOM + "feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(ATOM + required) is not None, required
    entries = feed.findall(ATOM + "entry")
    assert [e.find(ATOM + "title").text for e in entries] == [w.public_title]
    e = entries[0]
    for required in ("id", "updated", "published", "summary"):
        assert e.find(ATOM + required) is not None, required
    assert e.find(ATOM + "link").get("href").endswith("/practice/article/%d" % w.public_id)
    assert [c.get("term") for c in e.findall(ATOM + "category")] == ["Reading & Writing"]
    assert w.school_only not in r.text and w.network_only not in r.text
    # Signed in as a member changes nothing: the feed is the public's.
    assert w.network_only not in w.p["teacher_i"].get("/networks/%s/practice.atom" % w.net).text
    assert w.anon.get("/networks/no-such-network/practice.atom").status_code == 404


def digest_rows(w):
    return query(w.db, "SELECT to_addr, body FROM outbox WHERE subject = ? ORDER BY to_addr", SUBJECT)


def run_job(w):
    """A second server on the same store runs the email job once as it starts; wait for its answer."""
    s = Server(db=w.db)
    try:
        deadline = time.time() + 30
        while one(w.db, "SELECT COUNT(*) FROM practice_digest WHERE last_sent_at IS NULL") and time.time() < deadline:
            time.sleep(0.2)
    finally:
        assert s.close() == 0, "".join(s.log[-40:])


def test_the_weekly_email_lists_for_each_reader_only_what_they_may_see_and_only_once_a_week(w):
    for who in ("ta_w", "teacher_i", "lead_v"):
        location(w.p[who].post("/practice/digest", {"on": "true"}))
    assert "is <strong>on</strong>" in w.p["ta_w"].get("/practice/digest").text
    assert digest_rows(w) == []
    run_job(w)
    mails = dict(digest_rows(w))
    assert sorted(mails) == ["lead@v.test", "ta@w.test", "teacher@i.test"]
    assert w.school_only in mails["ta@w.test"] and w.network_only in mails["ta@w.test"]
    assert w.network_only in mails["teacher@i.test"] and w.school_only not in mails["teacher@i.test"]
    assert w.public_title in mails["lead@v.test"]
    assert w.network_only not in mails["lead@v.test"] and w.school_only not in mails["lead@v.test"]
    assert "/practice/article/%d" % w.public_id in mails["lead@v.test"]
    assert "/networks/%s/ideas/" % w.net in mails["teacher@i.test"]
    assert "Switch it off" in mails["ta@w.test"]
    # Nobody who did not switch it on gets one, and a second run in the same week sends nothing.
    assert "lead@w.test" not in mails
    run_job(w)
    assert len(digest_rows(w)) == 3


def test_the_switch_turns_the_email_off_and_refuses_what_it_does_not_know(w):
    location(w.p["lead_i"].post("/practice/digest", {"on": "true"}))
    assert one(w.db, "SELECT COUNT(*) FROM practice_digest WHERE person_id = "
                     "(SELECT id FROM person WHERE email = 'lead@i.test')") == 1
    location(w.p["lead_i"].post("/practice/digest", {"on": "false"}))
    assert "is <strong>off</strong>" in w.p["lead_i"].get("/practice/digest").text
    before = query(w.db, "SELECT * FROM practice_digest ORDER BY 1")
    r = w.p["lead_i"].post("/practice/digest", {"on": "maybe"}, json=True)
    assert r.status_code == 400 and "on" in str(r.json())
    assert w.p["lead_i"].post("/practice/digest", {}, json=True).status_code == 400
    assert query(w.db, "SELECT * FROM practice_digest ORDER BY 1") == before
    assert w.anon.get("/practice/digest").status_code in (302, 303)
