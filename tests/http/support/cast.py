# SPDX-License-Identifier: AGPL-3.0-or-later
"""The people of the shared-practice tests and the network they meet in, written once: a store
with the demo register, the accounts of the people a module names (from CAST, plus any of its
own), a server, everyone signed in, and a network whose coordinator set its themes and whose two
member schools (Weetwood and Ireland Wood) joined with their leads' consent. Iveson stays
outside it."""
import os

from tandem_server import Server, run_cli
from support import DEMO, IRELAND_WOOD, IVESON, WEETWOOD, Person, add_user, ask_and_accept, create_network, location

# key: (email, name, school, role). A module names the keys it needs; its own people join as extra.
CAST = {
    "coord": ("coord@cast.test", "Cora Coordinator", None, None),
    "lead_w": ("lead@w.test", "Wyn Lead", WEETWOOD, "lead"),
    "lead2_w": ("lead2@w.test", "Wen Deputy", WEETWOOD, "lead"),
    "ta_w": ("ta@w.test", "Tia Assistant", WEETWOOD, "staff"),
    "gov_w": ("gov@w.test", "Gus Governor", WEETWOOD, "governor"),
    "lead_i": ("lead@i.test", "Ira Lead", IRELAND_WOOD, "lead"),
    "teacher_i": ("teacher@i.test", "Ted Teacher", IRELAND_WOOD, "staff"),
    "lead_v": ("lead@v.test", "Viv Outsider", IVESON, "lead"),
}


class World:
    """db, cast (key → (email, name, school, role)), ids (key → person id), server, p (key →
    Person signed in), anon (a Person signed out), net (the network's slug)."""

    def people(self, server):
        """Everyone signed in afresh on server (another server on the same store, say)."""
        return {k: Person(server, email) for k, (email, _, _, _) in self.cast.items()}


def practice_world(folder, keys, extra=(), network="Practice Network", themes="Reading\nOracy", env=None):
    """The world in folder: the people of CAST named by keys and the extra (key, email, name,
    school, role) rows, and the network called network with themes; the server started with env.
    Close w.server when done."""
    w = World()
    w.db = os.path.join(folder, "practice.db")
    r = run_cli("import-gias", "--db", w.db, DEMO)
    assert r.returncode == 0, r.stderr
    w.cast = {k: CAST[k] for k in keys}
    w.cast.update({k: (email, name, urn, role) for k, email, name, urn, role in extra})
    w.ids = {k: add_user(w.db, email, name, urn, role) for k, (email, name, urn, role) in w.cast.items()}
    w.server = Server(db=w.db, env=env)
    try:
        w.p = w.people(w.server)
        w.anon = Person(w.server)
        w.net = create_network(w.p["coord"], network)
        location(w.p["coord"].post("/networks/%s/themes" % w.net, {"themes": themes}))
        for urn, lead in ((WEETWOOD, "lead_w"), (IRELAND_WOOD, "lead_i")):
            ask_and_accept(w.p["coord"], w.p[lead], w.net, urn)
    except BaseException:
        w.server.close()
        raise
    return w
