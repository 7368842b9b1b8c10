# SPDX-License-Identifier: AGPL-3.0-or-later
"""The partnership agreement as people fill it in, black-box: one form in
which nothing typed is lost (the agreement's fields, every new measure and
risk row; "add another" keeps everything and shows one more empty row; a
refused form comes back with every value and each message by its field),
signing where the agreement is read (the other leads are told it is their
turn; a second click says it is already signed), the actions of each state
(no closing while forming; closing asks what worked and what did not and a
confirmation), and who may read the agreement (staff and governors of the
partner schools read it, without the buttons; outsiders do not)."""
import html
import re

import pytest

from support import (DEMO, Person, Server, add_user, agreement_form, ask_and_accept, create_network,
                     location, one, query, run_cli)
from support import IRELAND_WOOD, IVESON, LAWNSWOOD, WEETWOOD


class World:
    """Filled in by the fixture: db, server, people (p), ids, the partnership (pid)."""


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("agreement") / "a.db")
    r = run_cli("import-gias", "--db", db, DEMO)
    assert r.returncode == 0, r.stderr
    w = World()
    w.db, w.similar = db, IRELAND_WOOD
    w.ids = {
        "coord": add_user(db, "coord@a.test", "Cora Coordinator"),
        "lead_w": add_user(db, "lead@w.test", "Wyn Lead", WEETWOOD, "lead"),
        "staff_w": add_user(db, "staff@w.test", "Sid Staff", WEETWOOD, "staff"),
        "gov_w": add_user(db, "gov@w.test", "Gil Governor", WEETWOOD, "governor"),
        "lead_i": add_user(db, "lead@i.test", "Ira Lead", IRELAND_WOOD, "lead"),
        "gov_i": add_user(db, "gov@i.test", "Gwen Governor", IRELAND_WOOD, "governor"),
        "lead_l": add_user(db, "lead@l.test", "Lyn Lead", LAWNSWOOD, "lead"),
        "staff_l": add_user(db, "staff@l.test", "Stan Staff", LAWNSWOOD, "staff"),
        "lead_b": add_user(db, "lead@b.test", "Bo Lead", IVESON, "lead"),
    }
    w.server = Server(db=db)
    try:
        w.p = {k: Person(w.server, e) for k, e in [
            ("coord", "coord@a.test"), ("lead_w", "lead@w.test"), ("staff_w", "staff@w.test"),
            ("gov_w", "gov@w.test"), ("lead_i", "lead@i.test"), ("gov_i", "gov@i.test"),
            ("lead_l", "lead@l.test"), ("staff_l", "staff@l.test"), ("lead_b", "lead@b.test")]}
        w.net = create_network(w.p["coord"], "Agreement Network")
        for urn, lead in ((WEETWOOD, "lead_w"), (IRELAND_WOOD, "lead_i"), (LAWNSWOOD, "lead_l")):
            ask_and_accept(w.p["coord"], w.p[lead], w.net, urn)
        w.pid = accept(w, "lead_w", IRELAND_WOOD, "lead_i")
    except BaseException:
        w.server.close()
        raise
    yield w
    assert w.server.close() == 0, "".join(w.server.log[-40:])


def accept(w, asker, to, answerer):
    """asker's school asks to be introduced to school `to`; answerer accepts: the partnership id."""
    location(w.p[asker].post("/introductions", {"network": w.net, "to": to, "message": "Shall we?"}))
    iid = one(w.db, "SELECT id FROM introduction WHERE to_urn = ? ORDER BY id DESC", to)
    loc = location(w.p[answerer].post("/introductions/%d/accept" % iid))
    return int(re.fullmatch(r"/partnerships/(\d+)", loc).group(1))


def url(pid, path=""):
    return "/partnerships/%d%s" % (pid, path)


def page(r):
    """The page's text with entities decoded, for looking for what people read."""
    return html.unescape(r.text)


def value_of(text, name):
    """The value a form field named `name` shows (input value or textarea text), or None."""
    m = re.search(r'<input[^>]*name="%s"[^>]*value="([^"]*)"' % re.escape(name), text)
    if m:
        return html.unescape(m.group(1))
    m = re.search(r'<textarea[^>]*name="%s"[^>]*>(.*?)</textarea>' % re.escape(name), text, re.S)
    return html.unescape(m.group(1)) if m else None


def snapshot(w, pid):
    return (query(w.db, "SELECT * FROM partnership WHERE id = ?", pid),
            query(w.db, "SELECT * FROM partnership_school WHERE partnership_id = ? ORDER BY urn", pid),
            query(w.db, "SELECT * FROM partnership_measure WHERE partnership_id = ? ORDER BY id", pid),
            query(w.db, "SELECT * FROM partnership_risk WHERE partnership_id = ? ORDER BY id", pid))


def form(w, extra=None):
    """The agreement's main fields, as a lead types them, for Weetwood and Ireland Wood."""
    data = agreement_form(w)
    data.update(extra or {})
    return data


MEASURE_ROW = {"m_name_1": "Year 5 fractions", "m_unit_1": "%", "m_pupil_group_1": "Year 5 pupils",
               "m_baseline_1": "41", "m_target_1": "60", "m_method_1": "A fractions quiz",
               "m_when_1": "each half term", "m_baseline_on_1": "15/9/2025", "m_target_by_1": "30 Jun 2026"}
RISK_ROW = {"r_risk_1": "The hall is double-booked", "r_likelihood_1": "2", "r_impact_1": "2",
            "r_mitigation_1": "Book a term ahead", "r_owner_1": "Both business managers"}


# ---- one form: nothing typed is lost ----------------------------------------------------------------

def test_a_refused_form_comes_back_with_every_value_and_each_message_by_its_field(w):
    before = snapshot(w, w.pid)
    typed = form(w, {"challenge": "Fractions in Year 5, both schools.", "cadence_weeks": "3"})
    typed.update(MEASURE_ROW, m_baseline_1="about forty")  # not a number
    typed.update(RISK_ROW)
    r = w.p["lead_w"].post(url(w.pid, "/agreement"), typed)
    assert r.status_code == 400, r.text[:500]
    text = r.text
    assert "There is a problem" in text
    # The message is next to its field, and the summary links to it.
    assert 'id="agreement-m_baseline_1-error"' in text and 'href="#agreement-m_baseline_1"' in text
    assert 'aria-describedby="agreement-m_baseline_1-error"' in text
    # Every typed value comes back: the main fields, the measure row (even the bad value) and the risk row.
    assert value_of(text, "challenge") == "Fractions in Year 5, both schools."
    assert value_of(text, "cadence_weeks") == "3"
    assert value_of(text, "hours_%d" % WEETWOOD) == "20"
    for k, v in list(MEASURE_ROW.items()) + list(RISK_ROW.items()):
        want = "about forty" if k == "m_baseline_1" else v
        assert value_of(text, k) == want, (k, value_of(text, k))
    assert snapshot(w, w.pid) == before  # nothing kept


def test_a_refused_form_answers_json_clients_with_each_fields_message(w):
    before = snapshot(w, w.pid)
    typed = form(w)
    typed.update(RISK_ROW, r_likelihood_1="7")
    r = w.p["lead_w"].post(url(w.pid, "/agreement"), typed, json=True)
    assert r.status_code == 400 and "r_likelihood_1" in r.json()["errors"]
    assert snapshot(w, w.pid) == before


def test_adding_a_row_keeps_everything_typed_and_shows_one_more_empty_row(w):
    pid = accept(w, "lead_w", LAWNSWOOD, "lead_l")
    typed = {"challenge": "Phonics catch-up in Year 2.", "cadence_weeks": "6", "add": "measure"}
    typed.update(MEASURE_ROW)
    typed.update({"m_name_2": "", "r_risk_1": ""})  # an empty row is ignored
    loc = location(w.p["lead_w"].post(url(pid, "/agreement"), typed))
    assert loc.startswith(url(pid, "/agreement?")) and "measures=2" in loc
    assert one(w.db, "SELECT challenge FROM partnership WHERE id = ?", pid) == "Phonics catch-up in Year 2."
    assert query(w.db, "SELECT name, baseline, baseline_on, target_by FROM partnership_measure "
                       "WHERE partnership_id = ?", pid) == [("Year 5 fractions", 41, "2025-09-15", "2026-06-30")]
    text = w.p["lead_w"].get(loc.split("#")[0]).text
    assert value_of(text, "challenge") == "Phonics catch-up in Year 2."
    assert "Year 5 fractions" in text  # the saved measure
    assert value_of(text, "m_name_1") == "" and value_of(text, "m_name_2") == ""  # two empty rows now
    assert value_of(text, "m_name_3") is None
    # Adding a risk row while a bad value is typed: refused, everything back, and the extra row is there.
    typed = {"challenge": "Phonics catch-up in Year 2 and 3.", "add": "risk", "r_risk_1": "Staff illness",
             "r_likelihood_1": "9", "r_impact_1": "2"}
    r = w.p["lead_w"].post(url(pid, "/agreement"), typed)
    assert r.status_code == 400
    assert value_of(r.text, "challenge") == "Phonics catch-up in Year 2 and 3."
    assert value_of(r.text, "r_risk_1") == "Staff illness" and value_of(r.text, "r_likelihood_1") == "9"
    assert value_of(r.text, "r_risk_2") == ""
    assert 'id="agreement-r_likelihood_1-error"' in r.text


def test_saving_the_one_form_keeps_the_agreement_its_measures_and_risks_together(w):
    pid = w.pid
    typed = form(w)
    typed.update(MEASURE_ROW)
    typed.update(RISK_ROW)
    typed.update({"m_name_2": "Year 6 reasoning", "m_baseline_2": "50", "m_target_2": "65"})
    loc = location(w.p["lead_w"].post(url(pid, "/agreement"), typed))
    assert loc == url(pid, "/agreement?saved=1")
    assert sorted(n for n, in query(w.db, "SELECT name FROM partnership_measure WHERE partnership_id = ?", pid)) \
        == ["Year 5 fractions", "Year 6 reasoning"]
    assert query(w.db, "SELECT risk FROM partnership_risk WHERE partnership_id = ?", pid) == \
        [("The hall is double-booked",)]
    assert "Saved" in w.p["lead_w"].get(loc.split("#")[0]).text
    # A delete button in the same form keeps what was typed alongside it.
    mid = one(w.db, "SELECT id FROM partnership_measure WHERE partnership_id = ? AND name = ?", pid,
              "Year 6 reasoning")
    location(w.p["lead_w"].post(url(pid, "/agreement"),
                                form(w, {"delete_measure": str(mid), "outcomes": "Better fractions."})))
    assert one(w.db, "SELECT COUNT(*) FROM partnership_measure WHERE id = ?", mid) == 0
    assert one(w.db, "SELECT outcomes FROM partnership WHERE id = ?", pid) == "Better fractions."
    location(w.p["lead_w"].post(url(pid, "/agreement"), form(w)))


def test_a_button_naming_another_partnerships_measure_changes_nothing(w):
    other = one(w.db, "SELECT MIN(id) FROM partnership WHERE id <> ?", w.pid)
    location(w.p["lead_w"].post(url(other, "/agreement"), {"challenge": "x", **MEASURE_ROW}))
    mid = one(w.db, "SELECT MAX(id) FROM partnership_measure WHERE partnership_id = ?", other)
    before = snapshot(w, w.pid)
    r = w.p["lead_w"].post(url(w.pid, "/agreement"), form(w, {"delete_measure": str(mid)}))
    assert r.status_code == 404
    assert snapshot(w, w.pid) == before
    assert one(w.db, "SELECT COUNT(*) FROM partnership_measure WHERE id = ?", mid) == 1


# ---- signing where the agreement is read ------------------------------------------------------------

def outbox_to(w, email):
    return query(w.db, "SELECT subject, body FROM outbox WHERE to_addr = ? ORDER BY id", email)


SIGN_BUTTON = "Sign the agreement for your school"


def test_signing_is_where_the_agreement_is_read_and_tells_the_others_it_is_their_turn(w):
    pid = w.pid
    lead_w, lead_i = w.p["lead_w"], w.p["lead_i"]
    location(lead_w.post(url(pid, "/agreement"), form(w)))
    text = page(lead_w.get(url(pid, "/agreement")))
    assert "The agreement you sign" in text
    assert SIGN_BUTTON in text and 'action="%s"' % url(pid, "/sign") in text
    assert "1 September 2025" in text and "2025-09-01" not in text.split("<main")[1].split('name="starts_on"')[0]
    mails = len(outbox_to(w, "lead@i.test"))
    loc = location(lead_w.post(url(pid, "/sign")))
    assert loc == url(pid, "/agreement?signed=now#signatures")
    turn = outbox_to(w, "lead@i.test")[mails:]
    assert len(turn) == 1 and turn[0][0].startswith("Your turn to sign")
    assert url(pid, "/agreement") in turn[0][1] and "Wyn Lead" in turn[0][1]
    text = page(lead_w.get(loc.split("#")[0]))
    assert "You have signed this version" in text and SIGN_BUTTON not in text
    assert re.search(r"Weetwood Primary School signed this version on \d{1,2} \w+ \d{4}, \d\d:\d\d UK time", text)
    # A second click is the agreement page saying it is already signed, not a "Conflict" page.
    r = lead_w.post(url(pid, "/sign"))
    assert location(r) == url(pid, "/agreement?signed=already#signatures")
    text = page(lead_w.get(url(pid, "/agreement?signed=already")))
    assert "already signed this version" in text and "Conflict" not in text
    assert lead_w.post(url(pid, "/sign"), json=True).status_code == 409  # the API says so plainly
    assert one(w.db, "SELECT COUNT(*) FROM partnership_signature WHERE partnership_id = ?", pid) == 1
    # The other lead signs there too: every lead has signed, it is active, and nobody is asked again.
    assert SIGN_BUTTON in lead_i.get(url(pid, "/agreement")).text
    mails_w = len(outbox_to(w, "lead@w.test"))
    location(lead_i.post(url(pid, "/sign")))
    assert one(w.db, "SELECT state FROM partnership WHERE id = ?", pid) == "active"
    assert not [s for s, _ in outbox_to(w, "lead@w.test")[mails_w:] if s.startswith("Your turn")]
    assert SIGN_BUTTON not in lead_i.get(url(pid, "/agreement")).text


# ---- who reads the agreement ------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["staff_w", "gov_w", "gov_i"])
def test_staff_and_governors_of_partner_schools_read_the_agreement_without_its_buttons(w, who):
    p = w.p[who]
    before = snapshot(w, w.pid)
    r = p.get(url(w.pid, "/agreement"))
    assert r.status_code == 200
    text = page(r)
    assert "The agreement" in text and "Reasoning in upper key stage 2 maths." in text
    assert "1 September 2025" in text and "20 July 2026" in text and "maths, reasoning" in text
    assert not re.search(r">[^<]*\d{4}-\d\d-\d\d[^<]*<", text)  # no ISO date where people read
    for button in ("Save the agreement", SIGN_BUTTON, "Add another measure", "Delete", "Mark closed"):
        assert button not in text, (who, button)
    assert 'action="%s' % url(w.pid) not in text  # no form that changes it
    body = p.get(url(w.pid, "/agreement"), json=True).json()
    assert body["can"]["read"] is True and body["can"]["edit"] is False and body["can"]["sign"] is False
    assert body["agreement"]["challenge"] == "Reasoning in upper key stage 2 maths."
    assert p.get(url(w.pid)).status_code == 200
    # Reading is all: changing or signing is refused and changes nothing.
    assert p.post(url(w.pid, "/agreement"), form(w, {"challenge": "Ours now"}), json=True).status_code == 403
    assert p.post(url(w.pid, "/sign"), json=True).status_code == 403
    assert snapshot(w, w.pid) == before


@pytest.mark.parametrize("who", ["lead_l", "staff_l", "lead_b", "coord"])
def test_outsiders_cannot_read_the_agreement(w, who):
    p = w.p[who]
    for js in (False, True):
        r = p.get(url(w.pid, "/agreement"), json=js)
        assert r.status_code == 404, (who, r.status_code)
        assert "Reasoning in upper" not in r.text
    assert Person(w.server).get(url(w.pid, "/agreement"), json=True).status_code == 401


# ---- the actions of each state ----------------------------------------------------------------------

def test_a_forming_partnership_offers_the_agreement_and_no_closing(w):
    pid = accept(w, "lead_i", LAWNSWOOD, "lead_l")
    text = page(w.p["lead_i"].get(url(pid)))
    assert "This partnership is forming" in text
    assert "Close the partnership" not in text and url(pid, "/close") not in text
    assert "Review: outcomes against targets" not in text
    assert 'href="%s"' % url(pid, "/agreement") in text


def test_closing_asks_what_worked_and_what_did_not_and_a_confirmation(w):
    pid, lead = w.pid, w.p["lead_w"]
    assert one(w.db, "SELECT state FROM partnership WHERE id = ?", pid) == "active"
    text = page(lead.get(url(pid)))
    assert 'action="%s"' % url(pid, "/close") in text and "Closing cannot be undone." in text
    assert 'class="button--danger">Close the partnership' in text
    assert 'name="confirm"' in text and 'name="worked"' in text and 'name="did_not_work"' in text
    # Staff and governors see no closing.
    assert url(pid, "/close") not in w.p["staff_w"].get(url(pid)).text
    before = snapshot(w, pid)
    r = lead.post(url(pid, "/close"), {"worked": "Paired planning on fractions.", "did_not_work": " "})
    assert r.status_code == 400
    text = r.text
    assert value_of(text, "worked") == "Paired planning on fractions."
    assert 'id="close-did_not_work-error"' in text and 'id="close-confirm-error"' in text
    assert 'href="#close-confirm"' in text
    r = lead.post(url(pid, "/close"), {"worked": "Paired planning.", "did_not_work": "Twilight sessions."},
                  json=True)
    assert r.status_code == 400 and list(r.json()["errors"]) == ["confirm"]
    assert snapshot(w, pid) == before
    location(lead.post(url(pid, "/close"), {"worked": "Paired planning on fractions.",
                                            "did_not_work": "Twilight sessions: people were tired.",
                                            "confirm": "yes"}))
    assert one(w.db, "SELECT state FROM partnership WHERE id = ?", pid) == "closed"
    refl = one(w.db, "SELECT closing_reflection FROM partnership WHERE id = ?", pid)
    assert "Paired planning on fractions." in refl and "Twilight sessions" in refl
    text = page(lead.get(url(pid)))
    assert "This partnership is closed" in text and url(pid, "/close") not in text
    assert "Twilight sessions" in text
    assert lead.post(url(pid, "/close"), {"worked": "a", "did_not_work": "b", "confirm": "yes"},
                     json=True).status_code == 409



def test_the_same_form_sent_twice_adds_its_measure_and_risk_once(w):
    # Weetwood and Lawnswood's partnership, still forming; lead_w leads Weetwood in it.
    pid = one(w.db, "SELECT a.partnership_id FROM partnership_school a JOIN partnership_school b "
                    "ON b.partnership_id = a.partnership_id WHERE a.urn = ? AND b.urn = ?", WEETWOOD, LAWNSWOOD)
    typed = {"challenge": "Phonics catch-up in Year 2.", "m_name_1": "Year 2 phonics check", "m_baseline_1": "70",
             "r_risk_1": "Supply cover falls through", "r_likelihood_1": "3", "r_impact_1": "2"}
    count = lambda t: one(w.db, "SELECT COUNT(*) FROM %s WHERE partnership_id = ?" % t, pid)  # noqa: E731
    before = (count("partnership_measure"), count("partnership_risk"))
    for _ in range(2):
        location(w.p["lead_w"].post(url(pid, "/agreement"), typed))
    assert (count("partnership_measure"), count("partnership_risk")) == (before[0] + 1, before[1] + 1)
