# SPDX-License-Identifier: AGPL-3.0-or-later
"""The demo network with something on every kind of page, for the browser
tests that visit every page type as every demo role (accessibility, phones).

build() loads the demo data (scripts/load-demo) on a fixed clock, starts the
server and, over HTTP as the demo people would, makes: an active partnership
between Weetwood and Adel with a measure, a risk, a meeting, a decision, an
action, time, evidence and a reflection; a forming partnership between
Lawnswood and Adel; shared practice with an article at the partnership
level (seen by Weetwood and Adel) and an idea waiting for the partner
schools; an introduction from Weetwood to Lawnswood still waiting
for an answer; a pending network invitation; an API token and a calendar
link. pages(world, role) lists the pages each role is shown."""
import os
import re
import sqlite3
import subprocess

import requests

from tandem_server import BIN, ROOT, Server

PASSWORD = "aire-valley-demo"
SLUG = "aire-valley-learning-partnership"
NET = "/networks/" + SLUG
WEETWOOD, ADEL, LAWNSWOOD = 107897, 107892, 108055
T0 = 1759309200  # 1 October 2025, 09:00 UTC: a Wednesday in the autumn term
DAY = 24 * 3600

# The demo accounts (src/app/networks/demo.c), by role.
ROLES = {
    "admin": "admin@tandem.example",
    "coordinator": "coordinator@tandem.example",
    "lead": "lead.weetwood@tandem.example",
    "lead_adel": "lead.adel@tandem.example",
    "lead_lawnswood": "lead.lawnswood@tandem.example",
    "staff": "staff.weetwood@tandem.example",
    "governor": "governor.weetwood@tandem.example",
}


class Client:
    """A requests session signed in as one demo person."""

    def __init__(self, server, email):
        self.server = server
        self.s = requests.Session()
        r = self.s.get(server.url + "/sign-in", headers={"Accept": "text/html"})
        r = self.s.post(server.url + "/sign-in", data={"email": email, "password": PASSWORD,
                                                       "csrf": _csrf(r.text)},
                        headers={"Accept": "text/html"}, allow_redirects=False)
        assert r.status_code == 303, (email, r.status_code, r.text[:500])
        self.csrf = _csrf(self.s.get(server.url + "/account", headers={"Accept": "text/html"}).text)

    def post(self, path, data=None, expect=303):
        """POST a form; returns where it redirected to (or, when expect is not 303, the page)."""
        body = dict(data or {})
        body["csrf"] = self.csrf
        r = self.s.post(self.server.url + path, data=body, headers={"Accept": "text/html"},
                        allow_redirects=False)
        assert r.status_code == expect, (path, r.status_code, r.text[:1500])
        return r.headers["Location"] if expect == 303 else r.text


def _csrf(html):
    m = re.search(r'name="csrf" value="([^"]*)"', html)
    assert m, html[:1000]
    return m.group(1)


def one(db, sql, *args):
    with sqlite3.connect(db) as c:
        row = c.execute(sql, args).fetchone()
    return row[0] if row else None


class World:
    """The server (.server), its database (.db) and the ids the pages need."""


def _partnership(asker, answerer, to):
    asker.post("/introductions", {"network": SLUG, "to": to,
                                  "message": "Your strengths are what we need; ours may help you."})
    iid = one(answerer.db, "SELECT MAX(id) FROM introduction WHERE to_urn = ?", to)
    return int(answerer.post("/introductions/%d/accept" % iid).rsplit("/", 1)[1])


def build(folder):
    """Load the demo into folder/demo.db, start a server on it, fill it; a World."""
    db = os.path.join(folder, "demo.db")
    env = dict(os.environ, TANDEM_SHARE=ROOT, TANDEM_NOW=str(T0 - DAY))
    subprocess.run(["sh", os.path.join(ROOT, "scripts", "load-demo"), BIN, db], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    w = World()
    w.db = db
    w.server = Server(db=db, env={"TANDEM_NOW": str(T0)})
    try:
        _fill(w)
    except BaseException:
        w.server.close()
        raise
    return w


def _fill(w):
    c = {role: Client(w.server, email) for role, email in ROLES.items()}
    for client in c.values():
        client.db = w.db
    ids = {role: one(w.db, "SELECT id FROM person WHERE email = ?", email) for role, email in ROLES.items()}

    # Weetwood and Adel: an active partnership with something of every kind recorded.
    w.active = _partnership(c["lead"], c["lead_adel"], ADEL)
    base = "/partnerships/%d" % w.active
    form = {"type": "mutual", "challenge": "Reasoning in upper Key Stage 2 maths.",
            "outcomes": "A shared reasoning scheme; more Year 6 pupils reasoning at greater depth.",
            "themes": "maths\nreading", "licence": "cc_by", "starts_on": "2025-10-01",
            "ends_on": "2026-07-17", "decision": "consensus", "cadence_weeks": "4",
            "keeper_person_id": str(ids["lead_adel"])}
    for urn in (WEETWOOD, ADEL):
        form.update({"hours_%d" % urn: "20", "budget_%d" % urn: "500", "objectives_%d" % urn: "yes"})
    c["lead_adel"].post(base + "/agreement", form)
    c["lead_adel"].post(base + "/measures", {
        "name": "Year 6 reasoning at greater depth", "unit": "%", "pupil_group": "Year 6 pupils",
        "baseline": "18", "target": "30", "method": "Termly reasoning paper", "when": "Each term",
        "baseline_on": "2025-09-15", "target_by": "2026-06-30"})
    c["lead_adel"].post(base + "/risks", {"risk": "Staff turnover", "likelihood": "2", "impact": "3",
                                          "mitigation": "Two people from each school",
                                          "owner": "Both heads", "status": "open"})
    c["lead_adel"].post(base + "/sign")
    c["lead"].post(base + "/sign")
    c["lead"].post(base + "/meetings", {
        "held_on": "2025-10-01", "held_at": "08:00", "location": "Weetwood staffroom",
        "attendees": "Lee, Ade", "notes": "Agreed the outline of the reasoning scheme.",
        "decision": "One reasoning paper for both schools", "agreed_%d" % WEETWOOD: "yes",
        "agreed_%d" % ADEL: "yes", "action": "Draft the reasoning paper",
        "action_owner": str(ids["lead_adel"]), "action_due": "2025-10-20"})
    c["staff"].post(base + "/time", {"worked_on": "2025-10-01", "hours": "6", "note": "Planning"})
    mid = one(w.db, "SELECT id FROM partnership_measure WHERE partnership_id = ?", w.active)
    c["lead"].post(base + "/evidence", {"measure_id": mid, "measured_on": "2025-09-20", "value": "19"})
    c["lead"].post(base + "/evidence", {"measure_id": mid, "measured_on": "2025-10-01", "value": "21"})
    c["staff"].post(base + "/reflections", {"worked": "Paired planning",
                                            "did_not_work": "After-school sessions in winter"})

    # Lawnswood and Adel: a partnership still forming (its agreement is empty).
    w.forming = _partnership(c["lead_lawnswood"], c["lead_adel"], ADEL)
    # Weetwood asks Lawnswood: waiting for Lawnswood's answer.
    c["lead"].post("/introductions", {"network": SLUG, "to": LAWNSWOOD,
                                      "message": "We would like to learn from your maths department."})
    w.waiting = one(w.db, "SELECT MAX(id) FROM introduction WHERE to_urn = ?", LAWNSWOOD)

    # The coordinator invites a school's lead; the lead has an API token; staff a calendar link.
    c["coordinator"].post(NET + "/invitations", {"email": "head@iveson.example", "urn": "107886",
                                                 "role": "lead"})
    c["lead"].post("/account/tokens", {"name": "Spreadsheet"}, expect=201)
    c["staff"].post("/calendar", expect=201)
    w.strength = one(w.db, "SELECT MIN(id) FROM strength WHERE urn = ?", WEETWOOD)
    w.need = one(w.db, "SELECT MIN(id) FROM need WHERE urn = ?", WEETWOOD)
    w.import_run = one(w.db, "SELECT MAX(id) FROM import_run")

    # Shared practice: an idea and an article from Weetwood (widened to the network, waiting
    # for the lead), so the board, an item, the articles and the moderation queue have content.
    w.idea = int(c["staff"].post(NET + "/ideas", {"text": "Two-minute retrieval quizzes at the start of "
                                                   "every maths lesson.", "theme": "maths"}).rsplit("/", 1)[1])
    w.article = int(c["staff"].post(NET + "/articles", {
        "title": "Talk partners", "theme": "maths",
        "body": "## The classroom action\n\nPupils explain an answer to a partner for **two minutes**."}
    ).split("?")[0].rsplit("/", 1)[1])
    c["staff"].post(NET + "/ideas/%d/widen" % w.idea)
    # The partnership step: the article shared with Weetwood's partner schools (Adel, in the active
    # partnership above; the lead approved), and a second idea waiting for the lead to share it with them.
    c["staff"].post(NET + "/articles/%d/widen" % w.article, {"to": "partnership"})
    c["lead"].post(NET + "/articles/%d/approve" % w.article)
    w.partner_idea = int(c["staff"].post(NET + "/ideas", {"text": "Reading buddies with our partner school's "
                                                           "Year 6.", "theme": "maths"}).rsplit("/", 1)[1])
    c["staff"].post(NET + "/ideas/%d/widen" % w.partner_idea, {"to": "partnership"})
    # Thinking Thursday: a question to the network, with an answer from another school.
    w.question = int(c["staff"].post(NET + "/questions", {
        "question": "How do you keep retrieval quizzes short?", "details": "", "audience": "network"}
    ).split("?")[0].split("#")[0].rsplit("/", 1)[1])

    # The programme (loaded by `tandem demo`): a course, a session, a TeachMeet and a certificate.
    w.course = one(w.db, "SELECT MIN(id) FROM course")
    w.session = one(w.db, "SELECT MIN(id) FROM course_session")
    w.teachmeet = one(w.db, "SELECT MIN(s.id) FROM course_session s JOIN course c ON c.id = s.course_id "
                            "WHERE c.format = 'teachmeet'")
    w.certificate = one(w.db, "SELECT MIN(certificate_code) FROM booking WHERE certificate_code IS NOT NULL")


def pages(w, role):
    """The pages to visit as role ("anonymous" or a key of ROLES): every page
    type, including the ones the role is refused (their error pages)."""
    p = ["/", "/accessibility", "/schools", "/schools?q=leeds", "/schools?near=LS16+5NW&km=3", "/schools?per_page=5",
         "/schools/%d" % WEETWOOD, "/schools/%d/similar" % WEETWOOD, "/schools/999999",
         "/no-such-page", "/networks", NET, NET + "/schools", NET + "/schools/%d" % WEETWOOD,
         NET + "/people", NET + "/steering", NET + "/themes", NET + "/edit",
         NET + "/strengths", NET + "/strengths?theme=reading", NET + "/needs", NET + "/attention",
         NET + "/schools/%d/strengths/%d" % (WEETWOOD, w.strength),
         NET + "/schools/%d/needs/%d" % (WEETWOOD, w.need),
         "/partnerships", "/introductions", "/introductions/new", "/introductions/%d" % w.waiting,
         "/partnerships/%d" % w.active, "/partnerships/%d/agreement" % w.active,
         "/partnerships/%d/running" % w.active, "/partnerships/%d" % w.forming,
         "/partnerships/%d/agreement" % w.forming, "/calendar",
         "/admin", "/admin/audit", "/admin/outbox", "/admin/imports", "/admin/imports/%d" % w.import_run,
         "/admin/leads", NET + "/membership", NET + "/broker", NET + "/broker/capacity",
         NET + "/ideas", NET + "/ideas/%d" % w.idea, NET + "/ideas/%d" % w.partner_idea,
         NET + "/ideas/moderation",
         NET + "/articles", NET + "/articles/%d" % w.article,
         NET + "/programme", NET + "/programme/courses/new", NET + "/programme/settings",
         "/me/learning", "/certificates/not-a-real-code"]
    if w.course:
        p += [NET + "/programme/courses/%d" % w.course, NET + "/programme/courses/%d/feedback" % w.course]
    if w.session:
        s = NET + "/programme/sessions/%d" % w.session
        p += [s, s + "/register", s + "/feedback", s + "/feedback/results"]
    if w.teachmeet:
        p += [NET + "/programme/sessions/%d/teachmeet" % w.teachmeet,
              NET + "/programme/sessions/%d/teachmeet/draw" % w.teachmeet]
    if w.certificate:
        p.append("/certificates/" + w.certificate)
    p += [NET + "/cases", NET + "/cases/1", NET + "/cases/1/edit", NET + "/cases/1/travelled", NET + "/tried",
          NET + "/ideas/%d/travelled" % w.idea, NET + "/questions", NET + "/questions/%d" % w.question,
          NET + "/practice/publishing", "/practice/search", "/practice/search?q=retrieval&kind=idea",
          "/practice/digest", "/schools/%d/scrapbook" % WEETWOOD]
    p += [NET + "/impact", NET + "/impact?year=2012", NET + "/impact?from=2026-03-01&to=2026-01-31",
          NET + "/schools/%d/impact" % WEETWOOD]
    if role == "anonymous":
        p += ["/sign-in", "/password-reset", "/password-reset/not-a-real-token",
              "/invitations/not-a-real-token"]
    else:
        p += ["/account", "/account/password", "/account/delete"]
    return p
