// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * model.c — the broker's rules over the store and all its SQL: the facts the
 * engine needs (member schools, their strengths and needs, capacity, themes
 * they are not looking for, pairs never proposed), storing a run, the
 * coordinator's review and a school's capacity. Every function asks
 * policy.c before it reads or writes. Accepting a proposal sends a brokered
 * introduction through the partnerships' own function (ps_intro_create), so
 * both leads get the same email and the same introduction page as any other.
 */
#include "app/broker/model.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/broker/engine.h"
#include "app/networks/net.h"
#include "app/partnerships/ps.h"
#include "app/schools/schools.h"
#include "app/schools/similar.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

DB_QUERY(Q_NET_BY_SLUG, "SELECT id, slug, name FROM network WHERE slug = ?");
DB_QUERY(Q_THEMES, "SELECT id, name FROM network_theme WHERE network_id = ? ORDER BY position, id");
DB_QUERY(Q_SCHOOLS,
	 "SELECT ns.urn, s.name, s.lat, s.lon, COALESCE(c.capacity, 2), "
	 "(SELECT count(*) FROM partnership_school ps JOIN partnership p ON p.id = ps.partnership_id "
	 " WHERE ps.urn = ns.urn AND p.state <> 'closed') + "
	 "(SELECT count(*) FROM introduction i WHERE (i.from_urn = ns.urn OR i.to_urn = ns.urn) "
	 " AND i.state = 'pending') "
	 "FROM network_school ns LEFT JOIN school s ON s.urn = ns.urn "
	 "LEFT JOIN broker_capacity c ON c.urn = ns.urn AND c.year = ?2 "
	 "WHERE ns.network_id = ?1 ORDER BY ns.urn");
DB_QUERY(Q_STRENGTHS, "SELECT urn, theme_id, evidence <> '' AS has_evidence FROM strength WHERE network_id = ? ORDER BY id");
DB_QUERY(Q_NEEDS, "SELECT urn, theme_id, priority FROM need WHERE network_id = ? ORDER BY id");
DB_QUERY(Q_OFF, "SELECT urn, theme_id FROM broker_theme_off WHERE network_id = ?");
DB_QUERY(Q_BAR_PARTNERS,
	 "SELECT a.urn, b.urn FROM partnership_school a "
	 "JOIN partnership_school b ON b.partnership_id = a.partnership_id AND b.urn > a.urn "
	 "JOIN partnership p ON p.id = a.partnership_id "
	 "JOIN network_school na ON na.network_id = ?1 AND na.urn = a.urn "
	 "JOIN network_school nb ON nb.network_id = ?1 AND nb.urn = b.urn WHERE p.state <> 'closed'");
DB_QUERY(Q_BAR_INTROS,
	 "SELECT i.from_urn, i.to_urn, i.state FROM introduction i "
	 "JOIN network_school na ON na.network_id = ?1 AND na.urn = i.from_urn "
	 "JOIN network_school nb ON nb.network_id = ?1 AND nb.urn = i.to_urn "
	 "WHERE i.state = 'pending' OR (i.state = 'declined' AND i.answered_at >= ?2)");
DB_QUERY(Q_BAR_REJECTED,
	 "SELECT urn_a, urn_b FROM broker_proposal WHERE network_id = ? AND year = ? AND state = 'rejected'");
DB_QUERY(Q_COVERED,
	 "SELECT bp.urn_a, bp.urn_b FROM broker_proposal bp LEFT JOIN introduction i ON i.id = bp.introduction_id "
	 "WHERE bp.network_id = ? AND bp.year = ? AND bp.state = 'accepted' AND COALESCE(i.state, '') <> 'declined'");
DB_QUERY(Q_COUNT_FACTS,
	 "SELECT (SELECT count(*) FROM network_school WHERE network_id = ?1), "
	 "(SELECT count(*) FROM strength WHERE network_id = ?1), (SELECT count(*) FROM need WHERE network_id = ?1)");
DB_QUERY(Q_PROPOSALS_CLEAR, "DELETE FROM broker_proposal WHERE network_id = ? AND state = 'proposed'");
DB_QUERY(Q_RUN_INSERT, "INSERT INTO broker_run (network_id, run_by, run_at, report) VALUES (?, ?, ?, ?)");
DB_QUERY(Q_PROPOSAL_INSERT,
	 "INSERT INTO broker_proposal (network_id, run_id, year, urn_a, urn_b, gain_a, gain_b, reciprocal, score, "
	 "explanation, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_RUN_LAST,
	 "SELECT r.id, r.run_at, r.report, p.name FROM broker_run r LEFT JOIN person p ON p.id = r.run_by "
	 "WHERE r.network_id = ? ORDER BY r.id DESC LIMIT 1");
DB_QUERY(Q_PROPOSALS,
	 "SELECT bp.id, bp.urn_a, sa.name, bp.urn_b, sb.name, bp.gain_a, bp.gain_b, bp.reciprocal, bp.score, "
	 "bp.explanation, bp.state, bp.swapped, bp.introduction_id FROM broker_proposal bp "
	 "LEFT JOIN school sa ON sa.urn = bp.urn_a LEFT JOIN school sb ON sb.urn = bp.urn_b "
	 "WHERE bp.network_id = ? AND (bp.state = 'proposed' OR bp.year = ?) ORDER BY bp.state <> 'accepted', "
	 "bp.state = 'rejected', bp.score DESC, bp.id");
DB_QUERY(Q_PROPOSAL_GET,
	 "SELECT id, urn_a, urn_b, state FROM broker_proposal WHERE id = ? AND network_id = ?");
DB_QUERY(Q_PROPOSAL_DECIDE,
	 "UPDATE broker_proposal SET state = ?, introduction_id = ?, decided_by = ?, decided_at = ? "
	 "WHERE id = ? AND state = 'proposed'");
DB_QUERY(Q_PROPOSAL_SWAP,
	 "UPDATE broker_proposal SET urn_a = ?, urn_b = ?, gain_a = ?, gain_b = ?, reciprocal = ?, score = ?, "
	 "explanation = ?, swapped = 1 WHERE id = ? AND state = 'proposed'");
DB_QUERY(Q_INTRO_FOUND,
	 "SELECT id FROM introduction WHERE network_id = ? AND from_urn = ? AND to_urn = ? AND state = 'pending' "
	 "AND brokered = 1 ORDER BY id DESC LIMIT 1");
DB_QUERY(Q_CAPACITY_UPSERT,
	 "INSERT INTO broker_capacity (urn, year, capacity, updated_by, updated_at) VALUES (?, ?, ?, ?, ?) "
	 "ON CONFLICT (urn, year) DO UPDATE SET capacity = excluded.capacity, updated_by = excluded.updated_by, "
	 "updated_at = excluded.updated_at");
DB_QUERY(Q_OFF_CLEAR, "DELETE FROM broker_theme_off WHERE network_id = ? AND urn = ?");
DB_QUERY(Q_OFF_INSERT, "INSERT INTO broker_theme_off (network_id, urn, theme_id) VALUES (?, ?, ?)");

int broker_year_of(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	return tm.tm_year + 1900 - (tm.tm_mon < 8 ? 1 : 0);
}

/* Fill c from a network and its networks access facts. */
static void ctx_fill(struct broker_ctx *c, const struct network *net, const struct net_access *na)
{
	c->network_id = net->id;
	c->slug = net->slug;
	c->name = net->name;
	c->acc = (struct broker_access){.person_id = na->person_id, .school_urn = na->school_urn, .role = na->role,
					.is_admin = na->is_admin, .network_id = net->id,
					.school_member = na->school_member, .coordinator = na->coordinator};
	c->nacc = *na;
	c->year = broker_year_of(clock_now());
}

int broker_open(struct db *db, struct arena *a, const struct user *u, const char *slug, struct broker_ctx *c)
{
	memset(c, 0, sizeof(*c));
	struct network net;
	struct net_access na;
	int rc = net_open(db, a, u, slug, &net, &na);
	if (rc)
		return rc;
	if (!policy_network_see(&na))
		return ERR_NOTFOUND;
	ctx_fill(c, &net, &na);
	return 0;
}

int broker_open_cli(struct db *db, struct arena *a, const char *slug, struct broker_ctx *c)
{
	memset(c, 0, sizeof(*c));
	struct db_stmt *st = db_stmt(db, &Q_NET_BY_SLUG);
	if (!st || db_bind_text(st, 1, slug))
		return ERR_DB;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc < 0 ? rc : ERR_NOTFOUND;
	}
	struct network net = {.id = db_col_int(st, 0), .slug = arena_strdup(a, db_col_text(st, 1)),
			      .name = arena_strdup(a, db_col_text(st, 2))};
	db_reset(st);
	struct net_access na = {0};
	ctx_fill(c, &net, &na);
	/* The operator at the machine reads as a coordinator would; no person row has this id. */
	c->acc.person_id = INT64_MAX;
	c->acc.coordinator = true;
	return 0;
}

/* The error a refused action gives. */
static int deny(const struct broker_ctx *c)
{
	return policy_broker_review(&c->acc) || c->acc.school_member ? ERR_FORBIDDEN : ERR_NOTFOUND;
}

json_t *broker_missing(struct db *db, const struct broker_ctx *c)
{
	json_t *out = json_array();
	struct db_stmt *st = db_stmt(db, &Q_COUNT_FACTS);
	if (!st || db_bind_int(st, 1, c->network_id) || db_step(st) != DB_ROW) {
		if (st)
			db_reset(st);
		json_array_append_new(out, json_string("The network's schools could not be read; try again."));
		return out;
	}
	int64_t schools = db_col_int(st, 0), strengths = db_col_int(st, 1), needs = db_col_int(st, 2);
	db_reset(st);
	if (schools < 2)
		json_array_append_new(out, json_sprintf("The network has %lld member school%s: add at least two schools "
							"(Schools, then \"Ask a school to join\").",
							(long long)schools, schools == 1 ? "" : "s"));
	if (strengths == 0)
		json_array_append_new(out, json_string("No school has written a strength yet: ask school leads to add "
						       "what they can offer, by theme, on their school's page."));
	if (needs == 0)
		json_array_append_new(out, json_string("No school has written a need yet: ask school leads to add what "
						       "they need help with, by theme and priority, on their school's page."));
	return out;
}

/* ---- loading the facts --------------------------------------------------- */

/* The engine's input, built in the arena. */
struct facts {
	struct broker_net net;
	struct broker_school *schools;
	int64_t *theme_ids;
	const char **theme_names;
	struct similar_index *ix; /* a reference, or NULL */
};

static int find_urn(const struct facts *f, int64_t urn)
{
	size_t lo = 0, hi = f->net.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (f->schools[mid].urn == urn)
			return (int)mid;
		if (f->schools[mid].urn < urn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int find_theme(const struct facts *f, int64_t id)
{
	for (size_t t = 0; t < f->net.n_themes; t++)
		if (f->theme_ids[t] == id)
			return (int)t;
	return -1;
}

/* The similar-schools score of two schools under the default method, or −1. */
static double similar_of(void *ctx, int64_t a, int64_t b)
{
	const struct similar_index *ix = ctx;
	if (!ix)
		return -1.0;
	struct similar_options opt;
	similar_options_default(&opt);
	struct similar_result r;
	if (similar_explain(ix, (int)a, (int)b, &opt, &r, NULL))
		return -1.0;
	return r.score;
}

/* Load everything the engine needs about the network into f (arena; f->ix a reference: facts_free). */
static int load_facts(struct db *db, struct arena *a, const struct broker_ctx *c, struct facts *f)
{
	memset(f, 0, sizeof(*f));
	/* Themes. */
	json_t *rows;
	struct db_stmt *st = db_stmt(db, &Q_THEMES);
	if (!st || db_bind_int(st, 1, c->network_id) || !(rows = db_rows_json(st)))
		return ERR_DB;
	size_t nt = json_array_size(rows);
	f->theme_ids = arena_calloc(a, nt + 1, sizeof(*f->theme_ids));
	f->theme_names = arena_calloc(a, nt + 1, sizeof(*f->theme_names));
	for (size_t t = 0; t < nt; t++) {
		json_t *r = json_array_get(rows, t);
		f->theme_ids[t] = json_integer_value(json_object_get(r, "id"));
		f->theme_names[t] = arena_strdup(a, json_string_value(json_object_get(r, "name")));
	}
	json_decref(rows);
	f->net.themes = f->theme_names;
	f->net.n_themes = nt;

	/* Schools, capacity, what is taken. */
	st = db_stmt(db, &Q_SCHOOLS);
	if (!st || db_bind_int(st, 1, c->network_id) || db_bind_int(st, 2, c->year))
		return ERR_DB;
	size_t cap = 16, n = 0;
	f->schools = arena_calloc(a, cap, sizeof(*f->schools));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			struct broker_school *bigger = arena_calloc(a, cap * 2, sizeof(*bigger));
			memcpy(bigger, f->schools, n * sizeof(*bigger));
			f->schools = bigger;
			cap *= 2;
		}
		struct broker_school *s = &f->schools[n++];
		s->urn = db_col_int(st, 0);
		s->name = db_col_text(st, 1) ? arena_strdup(a, db_col_text(st, 1))
					     : arena_printf(a, "School URN %lld", (long long)s->urn);
		s->has_location = !db_col_is_null(st, 2) && !db_col_is_null(st, 3);
		s->lat = s->has_location ? db_col_double(st, 2) : 0;
		s->lon = s->has_location ? db_col_double(st, 3) : 0;
		s->capacity = (int)db_col_int(st, 4);
		s->used = (int)db_col_int(st, 5);
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	f->net.schools = f->schools;
	f->net.n = n;

	/* Strengths, needs and themes not looked for: each school's share of one arena array. */
	struct item {
		int school, theme, value;
	};
	const struct db_query *qs[3] = {&Q_STRENGTHS, &Q_NEEDS, &Q_OFF};
	for (int q = 0; q < 3; q++) {
		st = db_stmt(db, qs[q]);
		if (!st || db_bind_int(st, 1, c->network_id) || !(rows = db_rows_json(st)))
			return ERR_DB;
		size_t m = json_array_size(rows);
		int *count = arena_calloc(a, n + 1, sizeof(*count));
		struct item *items = arena_calloc(a, m + 1, sizeof(*items));
		size_t k = 0;
		for (size_t i = 0; i < m; i++) {
			json_t *r = json_array_get(rows, i);
			int s = find_urn(f, json_integer_value(json_object_get(r, "urn")));
			int t = find_theme(f, json_integer_value(json_object_get(r, "theme_id")));
			if (s < 0 || t < 0)
				continue;
			int value = 0;
			if (q == 0) {
				value = json_integer_value(json_object_get(r, "has_evidence")) != 0;
			} else if (q == 1) {
				const char *p = json_string_value(json_object_get(r, "priority"));
				value = str_eq(p, "high") ? BROKER_PRIORITY_HIGH
					: str_eq(p, "low") ? BROKER_PRIORITY_LOW
							   : BROKER_PRIORITY_MEDIUM;
			}
			items[k++] = (struct item){s, t, value};
			count[s]++;
		}
		json_decref(rows);
		for (size_t s = 0; s < n; s++) {
			struct broker_school *sc = &f->schools[s];
			if (q == 0)
				sc->strengths = arena_calloc(a, (size_t)count[s] + 1, sizeof(struct broker_strength));
			else if (q == 1)
				sc->needs = arena_calloc(a, (size_t)count[s] + 1, sizeof(struct broker_need));
			else
				sc->off = arena_calloc(a, (size_t)count[s] + 1, sizeof(int));
		}
		for (size_t i = 0; i < k; i++) {
			struct broker_school *sc = &f->schools[items[i].school];
			if (q == 0)
				((struct broker_strength *)sc->strengths)[sc->n_strengths++] =
					(struct broker_strength){items[i].theme, items[i].value != 0};
			else if (q == 1)
				((struct broker_need *)sc->needs)[sc->n_needs++] =
					(struct broker_need){items[i].theme, (enum broker_priority)items[i].value};
			else
				((int *)sc->off)[sc->n_off++] = items[i].theme;
		}
	}

	/* Pairs never proposed, and schools with an accepted proposal this year. */
	size_t bcap = 16, nb = 0;
	struct broker_bar_pair *bars = arena_calloc(a, bcap, sizeof(*bars));
	const char *year_ago = net_now_iso(a, clock_now() - 365 * 24 * 3600);
	const struct db_query *bq[4] = {&Q_BAR_PARTNERS, &Q_BAR_INTROS, &Q_BAR_REJECTED, &Q_COVERED};
	for (int q = 0; q < 4; q++) {
		st = db_stmt(db, bq[q]);
		if (!st || db_bind_int(st, 1, c->network_id) ||
		    (q == 1 && db_bind_text(st, 2, year_ago)) || (q >= 2 && db_bind_int(st, 2, c->year)))
			return ERR_DB;
		while ((rc = db_step(st)) == DB_ROW) {
			int x = find_urn(f, db_col_int(st, 0)), y = find_urn(f, db_col_int(st, 1));
			if (x < 0 || y < 0 || x == y)
				continue;
			if (q == 3) {
				f->schools[x].covered = f->schools[y].covered = true;
				continue;
			}
			enum broker_bar why = q == 0 ? BROKER_BAR_PARTNERS
					      : q == 2 ? BROKER_BAR_REJECTED
					      : str_eq(db_col_text(st, 2), "pending") ? BROKER_BAR_PENDING
										 : BROKER_BAR_DECLINED;
			if (nb == bcap) {
				struct broker_bar_pair *bigger = arena_calloc(a, bcap * 2, sizeof(*bigger));
				memcpy(bigger, bars, nb * sizeof(*bars));
				bars = bigger;
				bcap *= 2;
			}
			bars[nb++] = (struct broker_bar_pair){x, y, why};
		}
		db_reset(st);
		if (rc < 0)
			return rc;
	}
	f->net.bars = bars;
	f->net.n_bars = nb;
	f->ix = schools_index(db);
	f->net.similar = similar_of;
	f->net.similar_ctx = f->ix;
	return 0;
}

static void facts_free(struct facts *f)
{
	similar_index_unref(f->ix);
	f->ix = NULL;
}

/* ---- a run as JSON -------------------------------------------------------- */

static json_t *school_ref(const struct broker_school *s, int gain)
{
	return json_pack("{s:I, s:s, s:i}", "urn", (json_int_t)s->urn, "name", s->name, "gain", gain);
}

/* What was left out and why, the groups and the lone themes: the report stored with a run. */
static json_t *report_json(const struct facts *f, const struct broker_result *r)
{
	json_t *left = json_array();
	for (size_t i = 0; i < f->net.n; i++)
		if (r->left[i] != BROKER_LEFT_NONE)
			json_array_append_new(left, json_pack("{s:I, s:s, s:s}", "urn", (json_int_t)f->schools[i].urn,
							      "name", f->schools[i].name, "reason",
							      broker_left_text(r->left[i])));
	json_t *groups = json_array();
	for (size_t g = 0; g < r->n_groups; g++) {
		json_t *members = json_array();
		for (int k = 0; k < r->groups[g].n; k++) {
			const struct broker_school *s = &f->schools[r->groups[g].members[k]];
			json_array_append_new(members, json_pack("{s:I, s:s}", "urn", (json_int_t)s->urn, "name", s->name));
		}
		json_array_append_new(groups, json_pack("{s:s, s:o, s:i}", "theme", f->theme_names[r->groups[g].theme],
							"schools", members, "size", r->groups[g].n));
	}
	json_t *lone = json_array();
	for (size_t t = 0; t < r->n_lone_themes; t++)
		json_array_append_new(lone, json_string(f->theme_names[r->lone_themes[t]]));
	return json_pack("{s:o, s:o, s:o, s:i, s:i}", "left_out", left, "groups", groups, "lone_themes", lone,
			 "could_have", r->could_have, "candidates", (int)r->n_candidates);
}

static json_t *proposal_json(const struct facts *f, const struct broker_pair *p)
{
	const struct broker_school *a = &f->schools[p->a], *b = &f->schools[p->b];
	return json_pack("{s:o, s:o, s:b, s:I, s:o}", "a", school_ref(a, p->gain_ab), "b", school_ref(b, p->gain_ba),
			 "reciprocal", p->reciprocal, "score", (json_int_t)p->score, "explanation",
			 broker_explain(&f->net, p));
}

/* The pair's sentences as stored: one a line (arena). */
static const char *explanation_text(struct arena *a, const struct broker_net *net, const struct broker_pair *p)
{
	json_t *ex = broker_explain(net, p);
	const char *lines = "";
	size_t i;
	json_t *v;
	json_array_foreach(ex, i, v)
	{
		lines = i ? arena_printf(a, "%s\n%s", lines, json_string_value(v)) : arena_strdup(a, json_string_value(v));
	}
	json_decref(ex);
	return lines;
}

/* Load the facts and run the engine. ERR_INVALID when the network lacks what it needs. */
static int compute(struct db *db, struct arena *a, const struct broker_ctx *c, struct facts *f,
		   struct broker_result *r)
{
	json_t *missing = broker_missing(db, c);
	size_t lacks = json_array_size(missing);
	json_decref(missing);
	if (lacks)
		return ERR_INVALID;
	int rc = load_facts(db, a, c, f);
	if (rc) {
		facts_free(f);
		return rc;
	}
	rc = broker_run(&f->net, r);
	if (rc)
		facts_free(f);
	return rc;
}

int broker_compute(struct db *db, struct arena *a, const struct broker_ctx *c, json_t **out)
{
	*out = NULL;
	if (!policy_broker_review(&c->acc))
		return deny(c);
	struct facts f;
	struct broker_result r;
	int rc = compute(db, a, c, &f, &r);
	if (rc)
		return rc;
	json_t *props = json_array();
	for (size_t k = 0; k < r.n_proposals; k++)
		json_array_append_new(props, proposal_json(&f, &r.proposals[k]));
	json_t *j = report_json(&f, &r);
	json_object_set_new(j, "network", json_pack("{s:s, s:s}", "slug", c->slug, "name", c->name));
	json_object_set_new(j, "proposals", props);
	json_object_set_new(j, "fairness",
			    json_pack("{s:i, s:i, s:i, s:i, s:i, s:I}", "schools_with_proposal", r.with_proposal,
				      "schools_possible", r.could_have, "proposals", (int)r.n_proposals, "reciprocal",
				      r.reciprocal, "over_capacity", r.over_capacity, "total_score",
				      (json_int_t)r.total));
	broker_result_free(&r);
	facts_free(&f);
	*out = j;
	return 0;
}

int broker_demo(struct db *db, struct arena *a, const char *slug, int64_t coordinator_id)
{
	struct broker_ctx c;
	int rc = broker_open_cli(db, a, slug, &c);
	if (rc)
		return rc;
	struct db_stmt *st = db_stmt(db, &Q_RUN_LAST);
	if (!st || db_bind_int(st, 1, c.network_id))
		return ERR_DB;
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return rc == DB_ROW ? 0 : rc;
	struct user coordinator = {.id = coordinator_id, .name = "the coordinator"};
	return broker_run_store(db, a, &c, &coordinator);
}

int broker_run_store(struct db *db, struct arena *a, const struct broker_ctx *c, const struct user *u)
{
	if (!policy_broker_run(&c->acc))
		return deny(c);
	struct facts f;
	struct broker_result r;
	int rc = compute(db, a, c, &f, &r);
	if (rc)
		return rc;
	json_t *report = report_json(&f, &r);
	char *text = json_dumps(report, JSON_COMPACT);
	json_decref(report);
	const char *now = net_now_iso(a, clock_now());
	if ((rc = db_begin(db)))
		goto done;
	struct db_stmt *st = db_stmt(db, &Q_PROPOSALS_CLEAR);
	if (!st || db_bind_int(st, 1, c->network_id) || (rc = net_run(st)))
		goto fail;
	st = db_stmt(db, &Q_RUN_INSERT);
	if (!st || db_bind_int(st, 1, c->network_id) || (u ? db_bind_int(st, 2, u->id) : db_bind_null(st, 2)) ||
	    db_bind_text(st, 3, now) || db_bind_text(st, 4, text ? text : "{}") || (rc = net_run(st)))
		goto fail;
	int64_t run_id = db_last_id(db);
	for (size_t k = 0; k < r.n_proposals; k++) {
		const struct broker_pair *p = &r.proposals[k];
		const char *lines = explanation_text(a, &f.net, p);
		st = db_stmt(db, &Q_PROPOSAL_INSERT);
		if (!st || db_bind_int(st, 1, c->network_id) || db_bind_int(st, 2, run_id) ||
		    db_bind_int(st, 3, c->year) || db_bind_int(st, 4, f.schools[p->a].urn) ||
		    db_bind_int(st, 5, f.schools[p->b].urn) || db_bind_int(st, 6, p->gain_ab) ||
		    db_bind_int(st, 7, p->gain_ba) || db_bind_int(st, 8, p->reciprocal) || db_bind_int(st, 9, p->score) ||
		    db_bind_text(st, 10, lines) || db_bind_text(st, 11, now) || (rc = net_run(st)))
			goto fail;
	}
	rc = net_finish(db, 0);
	goto done;
fail:
	rc = net_finish(db, rc ? rc : ERR_DB);
done:
	free(text);
	broker_result_free(&r);
	facts_free(&f);
	return rc;
}

/* ---- the review -------------------------------------------------------------- */

DB_QUERY(Q_SCHOOL_ROOM,
	 "SELECT COALESCE((SELECT capacity FROM broker_capacity WHERE urn = ?1 AND year = ?2), 2), "
	 "(SELECT count(*) FROM partnership_school ps JOIN partnership p ON p.id = ps.partnership_id "
	 " WHERE ps.urn = ?1 AND p.state <> 'closed') + "
	 "(SELECT count(*) FROM introduction i WHERE (i.from_urn = ?1 OR i.to_urn = ?1) AND i.state = 'pending'), "
	 "(SELECT name FROM school WHERE urn = ?1), "
	 "(SELECT count(*) FROM broker_capacity WHERE urn = ?1 AND year = ?2)");

/* "2026-27". */
static const char *year_label(struct arena *a, int year)
{
	return arena_printf(a, "%d-%02d", year, (year + 1) % 100);
}

/* School urn's capacity this year, what is taken, its name (arena) and whether its lead set the capacity. */
static int school_room(struct db *db, struct arena *a, int64_t urn, int year, int *capacity, int *used,
		       const char **name, bool *set)
{
	struct db_stmt *st = db_stmt(db, &Q_SCHOOL_ROOM);
	if (!st || db_bind_int(st, 1, urn) || db_bind_int(st, 2, year))
		return ERR_DB;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc < 0 ? rc : ERR_DB;
	}
	*capacity = (int)db_col_int(st, 0);
	*used = (int)db_col_int(st, 1);
	*name = db_col_text(st, 2) ? arena_strdup(a, db_col_text(st, 2)) : arena_printf(a, "School URN %lld",
											 (long long)urn);
	if (set)
		*set = db_col_int(st, 3) > 0;
	db_reset(st);
	return 0;
}

/* A stored explanation (one sentence a line) as an array of strings. */
static json_t *lines_json(const char *text)
{
	json_t *out = json_array();
	const char *p = text ? text : "";
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len)
			json_array_append_new(out, json_stringn(p, len));
		p += len + (nl ? 1 : 0);
	}
	return out;
}

/* Per member school: its gains and contributions in the proposals shown. */
struct tally {
	int64_t urn;
	const char *name;
	int capacity, used, proposed, accepted, gains, gives;
	json_t *partners;
};

static struct tally *tally_find(struct tally *t, size_t n, int64_t urn)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].urn == urn)
			return &t[i];
	return NULL;
}

int broker_review(struct db *db, struct arena *a, const struct broker_ctx *c, json_t **out)
{
	*out = NULL;
	if (!policy_broker_review(&c->acc))
		return deny(c);
	json_t *j = json_pack("{s:{s:s, s:s, s:s+}, s:s, s:b, s:b, s:o}", "network", "slug", c->slug, "name", c->name,
			      "url", "/networks/", c->slug, "year_label", year_label(a, c->year), "can_run",
			      policy_broker_run(&c->acc), "can_decide", policy_broker_decide(&c->acc), "missing",
			      broker_missing(db, c));
	json_object_set_new(j, "ready", json_boolean(json_array_size(json_object_get(j, "missing")) == 0));

	/* Member schools, for the tallies (in URN order: never ranked). */
	struct db_stmt *st = db_stmt(db, &Q_SCHOOLS);
	if (!st || db_bind_int(st, 1, c->network_id) || db_bind_int(st, 2, c->year))
		goto fail;
	size_t cap = 16, n = 0;
	struct tally *t = arena_calloc(a, cap, sizeof(*t));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			struct tally *bigger = arena_calloc(a, cap * 2, sizeof(*bigger));
			memcpy(bigger, t, n * sizeof(*t));
			t = bigger;
			cap *= 2;
		}
		t[n] = (struct tally){.urn = db_col_int(st, 0),
				      .name = db_col_text(st, 1) ? arena_strdup(a, db_col_text(st, 1))
								 : arena_printf(a, "School URN %lld",
										(long long)db_col_int(st, 0)),
				      .capacity = (int)db_col_int(st, 4),
				      .used = (int)db_col_int(st, 5)};
		n++;
	}
	db_reset(st);
	if (rc < 0)
		goto fail;

	/* The proposals: accepted first, then those to decide, then rejected ones. */
	st = db_stmt(db, &Q_PROPOSALS);
	if (!st || db_bind_int(st, 1, c->network_id) || db_bind_int(st, 2, c->year))
		goto fail;
	json_t *props = json_array();
	json_object_set_new(j, "proposals", props);
	int shown = 0, reciprocal = 0, to_decide = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0), ua = db_col_int(st, 1), ub = db_col_int(st, 3);
		const char *state = db_col_text(st, 10);
		struct tally *ta = tally_find(t, n, ua), *tb = tally_find(t, n, ub);
		const char *na = ta ? ta->name : db_col_text(st, 2) ? db_col_text(st, 2) : "A school that left";
		const char *nb = tb ? tb->name : db_col_text(st, 4) ? db_col_text(st, 4) : "A school that left";
		int ga = (int)db_col_int(st, 5), gb = (int)db_col_int(st, 6);
		bool recip = db_col_int(st, 7) != 0;
		json_t *p = json_pack("{s:I, s:{s:I, s:s, s:i, s:b}, s:{s:I, s:s, s:i, s:b}, s:b, s:I, s:o, s:s, s:b, "
				      "s:b, s:b, s:b, s:s+}",
				      "id", (json_int_t)id, "a", "urn", (json_int_t)ua, "name", na, "gain", ga, "member",
				      ta != NULL, "b", "urn", (json_int_t)ub, "name", nb, "gain", gb, "member", tb != NULL,
				      "reciprocal", recip, "score", (json_int_t)db_col_int(st, 8), "explanation",
				      lines_json(db_col_text(st, 9)), "state", state, "is_proposed",
				      str_eq(state, "proposed"), "is_accepted", str_eq(state, "accepted"), "is_rejected",
				      str_eq(state, "rejected"), "swapped", db_col_int(st, 11) != 0, "url",
				      arena_printf(a, "/networks/%s/broker/proposals/", c->slug),
				      arena_printf(a, "%lld", (long long)id));
		if (!db_col_is_null(st, 12))
			json_object_set_new(p, "introduction_url",
					    json_sprintf("/introductions/%lld", (long long)db_col_int(st, 12)));
		json_array_append_new(props, p);
		if (str_eq(state, "rejected"))
			continue;
		shown++;
		reciprocal += recip;
		to_decide += str_eq(state, "proposed");
		struct tally *both[2] = {ta, tb};
		for (int s = 0; s < 2; s++) {
			struct tally *x = both[s];
			if (!x)
				continue;
			x->gains += s == 0 ? ga : gb;
			x->gives += s == 0 ? gb : ga;
			if (str_eq(state, "proposed"))
				x->proposed++;
			else
				x->accepted++;
			if (!x->partners)
				x->partners = json_array();
			json_array_append_new(x->partners, json_string(s == 0 ? nb : na));
		}
	}
	db_reset(st);
	if (rc < 0)
		goto fail;

	json_t *schools = json_array();
	int with = 0, over = 0;
	for (size_t i = 0; i < n; i++) {
		/* Accepted proposals are already in used (their introductions are pending). */
		bool is_over = t[i].proposed > t[i].capacity - t[i].used;
		over += is_over;
		with += (t[i].proposed + t[i].accepted) > 0;
		json_array_append_new(schools,
				      json_pack("{s:I, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:o, s:b}", "urn",
						(json_int_t)t[i].urn, "name", t[i].name, "capacity", t[i].capacity, "taken",
						t[i].used, "proposed", t[i].proposed, "accepted", t[i].accepted, "gains",
						t[i].gains, "contributes", t[i].gives, "partners",
						t[i].partners ? t[i].partners : json_array(), "over_capacity", is_over));
	}
	json_object_set_new(j, "schools", schools);
	json_object_set_new(j, "fairness",
			    json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:b}", "schools_with_proposal", with, "schools",
				      (int)n, "proposals", shown, "reciprocal", reciprocal, "to_decide", to_decide,
				      "over_capacity", over, "none_over_capacity", over == 0));

	/* The last run's report: what was left out and why, the co-creation groups. */
	st = db_stmt(db, &Q_RUN_LAST);
	if (!st || db_bind_int(st, 1, c->network_id))
		goto fail;
	rc = db_step(st);
	if (rc == DB_ROW) {
		json_t *report = json_loads(db_col_text(st, 2) ? db_col_text(st, 2) : "{}", 0, NULL);
		json_t *run = json_pack("{s:s, s:s}", "run_at", db_col_text(st, 1), "by",
					db_col_text(st, 3) ? db_col_text(st, 3) : "");
		ps_add_date_label(run, "run_at", "run_on", true);
		json_object_set_new(j, "run", run);
		const char *keys[3] = {"left_out", "groups", "lone_themes"};
		for (int k = 0; k < 3; k++) {
			json_t *v = report ? json_object_get(report, keys[k]) : NULL;
			json_object_set(j, keys[k], v ? v : json_array());
		}
		json_decref(report);
	} else {
		json_object_set_new(j, "run", json_null());
		json_object_set_new(j, "left_out", json_array());
		json_object_set_new(j, "groups", json_array());
		json_object_set_new(j, "lone_themes", json_array());
	}
	db_reset(st);
	if (rc < 0)
		goto fail;
	json_object_set_new(j, "has_left_out", json_boolean(json_array_size(json_object_get(j, "left_out")) > 0));
	json_object_set_new(j, "has_lone_themes",
			    json_boolean(json_array_size(json_object_get(j, "lone_themes")) > 0));
	json_object_set_new(j, "has_groups", json_boolean(json_array_size(json_object_get(j, "groups")) > 0));
	json_object_set_new(j, "has_proposals", json_boolean(json_array_size(json_object_get(j, "proposals")) > 0));
	*out = j;
	return 0;
fail:
	json_decref(j);
	return ERR_DB;
}

/* ---- deciding --------------------------------------------------------------- */

/* A stored proposal. */
struct proposal {
	int64_t id, urn_a, urn_b;
	const char *state;
};

static int proposal_load(struct db *db, struct arena *a, const struct broker_ctx *c, int64_t id, struct proposal *p)
{
	struct db_stmt *st = db_stmt(db, &Q_PROPOSAL_GET);
	if (!st || db_bind_int(st, 1, id) || db_bind_int(st, 2, c->network_id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		p->id = db_col_int(st, 0);
		p->urn_a = db_col_int(st, 1);
		p->urn_b = db_col_int(st, 2);
		p->state = arena_strdup(a, db_col_text(st, 3));
	}
	db_reset(st);
	return rc < 0 ? rc : rc == DB_DONE ? ERR_NOTFOUND : 0;
}

/* ERR_CONFLICT with a sentence when the proposal was decided already. */
static int still_open(const struct proposal *p, json_t *errors)
{
	if (str_eq(p->state, "proposed"))
		return 0;
	if (errors)
		json_object_set_new(errors, "proposal", json_sprintf("This proposal was %s already.", p->state));
	return ERR_CONFLICT;
}

static int decide(struct db *db, struct arena *a, const struct user *u, int64_t id, const char *state,
		  int64_t intro_id)
{
	struct db_stmt *st = db_stmt(db, &Q_PROPOSAL_DECIDE);
	if (!st || db_bind_text(st, 1, state) || (intro_id ? db_bind_int(st, 2, intro_id) : db_bind_null(st, 2)) ||
	    (u ? db_bind_int(st, 3, u->id) : db_bind_null(st, 3)) || db_bind_text(st, 4, net_now_iso(a, clock_now())) ||
	    db_bind_int(st, 5, id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	return db_changes(db) == 1 ? 0 : ERR_CONFLICT;
}

int broker_accept(struct db *db, struct arena *a, const struct broker_ctx *c, const struct user *u,
		  const char *base_url, int64_t id, json_t *errors)
{
	if (!policy_broker_decide(&c->acc))
		return deny(c);
	struct proposal p;
	int rc = proposal_load(db, a, c, id, &p);
	if (rc || (rc = still_open(&p, errors)))
		return rc;
	int64_t urns[2] = {p.urn_a, p.urn_b};
	for (int s = 0; s < 2; s++) {
		int capacity, used;
		const char *name;
		if ((rc = school_room(db, a, urns[s], c->year, &capacity, &used, &name, NULL)))
			return rc;
		if (!net_has_school(db, c->network_id, urns[s])) {
			json_object_set_new(errors, "proposal",
					    json_sprintf("%s has left the network since the broker ran: run it again, or "
							 "swap in another partner.", name));
			return ERR_CONFLICT;
		}
		if (used >= capacity) {
			json_object_set_new(errors, "proposal",
					    json_sprintf("%s has reached its capacity this year (%d of %d taken by "
							 "partnerships and introductions): reject this proposal or swap "
							 "in another partner.", name, used, capacity));
			return ERR_CONFLICT;
		}
	}
	struct ps_access pacc;
	if ((rc = ps_access_network(db, u, c->network_id, &pacc)))
		return rc;
	const char *message = "The network's coordinator suggests you work together: each of you has something the "
			      "other needs. The reasons are on the broker's review page.";
	/* A coordinator who leads one of the two schools asks from the other, so the introduction is a
	 * brokered one (ps_intro_create counts a lead asking for their own school as not brokered). */
	int64_t from = p.urn_a, to = p.urn_b;
	if (pacc.school_urn == from && pacc.role == SCHOOL_ROLE_LEAD) {
		from = p.urn_b;
		to = p.urn_a;
	}
	if ((rc = ps_intro_create(db, a, &pacc, u, base_url, c->network_id, from, &to, 1, message, errors)))
		return rc;
	int64_t intro_id = 0;
	struct db_stmt *st = db_stmt(db, &Q_INTRO_FOUND);
	if (st && db_bind_int(st, 1, c->network_id) == 0 && db_bind_int(st, 2, from) == 0 &&
	    db_bind_int(st, 3, to) == 0 && db_step(st) == DB_ROW)
		intro_id = db_col_int(st, 0);
	if (st)
		db_reset(st);
	if ((rc = db_begin(db)))
		return rc;
	rc = decide(db, a, u, id, "accepted", intro_id);
	return net_finish(db, rc);
}

int broker_reject(struct db *db, struct arena *a, const struct broker_ctx *c, const struct user *u, int64_t id)
{
	if (!policy_broker_decide(&c->acc))
		return deny(c);
	struct proposal p;
	int rc = proposal_load(db, a, c, id, &p);
	if (rc || (rc = still_open(&p, NULL)))
		return rc;
	if ((rc = db_begin(db)))
		return rc;
	rc = decide(db, a, u, id, "rejected", 0);
	return net_finish(db, rc);
}

int broker_swap(struct db *db, struct arena *a, const struct broker_ctx *c, int64_t id, int64_t keep,
		int64_t partner, json_t *errors)
{
	if (!policy_broker_decide(&c->acc))
		return deny(c);
	struct proposal p;
	int rc = proposal_load(db, a, c, id, &p);
	if (rc || (rc = still_open(&p, errors)))
		return rc;
	if (keep != p.urn_a && keep != p.urn_b) {
		json_object_set_new(errors, "keep", json_string("Choose one of the proposal's two schools to keep."));
		return ERR_INVALID;
	}
	if (partner == keep || partner == p.urn_a || partner == p.urn_b) {
		json_object_set_new(errors, "partner", json_string("Choose a different school as the new partner."));
		return ERR_INVALID;
	}
	struct facts f;
	if ((rc = load_facts(db, a, c, &f))) {
		facts_free(&f);
		return rc;
	}
	int x = find_urn(&f, keep), y = find_urn(&f, partner);
	if (x < 0) {
		facts_free(&f);
		json_object_set_new(errors, "keep",
				    json_sprintf("URN %lld has left the network: reject this proposal instead.", (long long)keep));
		return ERR_CONFLICT;
	}
	if (y < 0) {
		facts_free(&f);
		json_object_set_new(errors, "partner",
				    json_sprintf("URN %lld is not a member school of this network.", (long long)partner));
		return ERR_INVALID;
	}
	for (size_t k = 0; k < f.net.n_bars; k++) {
		const struct broker_bar_pair *b = &f.net.bars[k];
		if ((b->a == x && b->b == y) || (b->a == y && b->b == x)) {
			json_object_set_new(errors, "partner",
					    json_sprintf("%s and %s are never proposed: %s.", f.schools[x].name,
							 f.schools[y].name, broker_bar_text(b->why)));
			facts_free(&f);
			return ERR_INVALID;
		}
	}
	struct broker_pair pr;
	broker_pair_score(&f.net, x, y, &pr);
	const char *lines = explanation_text(a, &f.net, &pr);
	facts_free(&f);
	if ((rc = db_begin(db)))
		return rc;
	struct db_stmt *st = db_stmt(db, &Q_PROPOSAL_SWAP);
	if (!st || db_bind_int(st, 1, f.schools[pr.a].urn) || db_bind_int(st, 2, f.schools[pr.b].urn) ||
	    db_bind_int(st, 3, pr.gain_ab) || db_bind_int(st, 4, pr.gain_ba) || db_bind_int(st, 5, pr.reciprocal) ||
	    db_bind_int(st, 6, pr.score) || db_bind_text(st, 7, lines) || db_bind_int(st, 8, id))
		rc = ERR_DB;
	else if ((rc = db_step(st)) >= 0)
		rc = db_changes(db) == 1 ? 0 : ERR_CONFLICT;
	return net_finish(db, rc);
}

/* ---- capacity ------------------------------------------------------------------ */

int broker_capacity_get(struct db *db, struct arena *a, const struct broker_ctx *c, int64_t urn, json_t **out)
{
	*out = NULL;
	if (!policy_broker_capacity_see(&c->acc, urn))
		return deny(c);
	if (!net_has_school(db, c->network_id, urn))
		return ERR_NOTFOUND;
	int capacity, used;
	const char *name;
	bool set;
	int rc = school_room(db, a, urn, c->year, &capacity, &used, &name, &set);
	if (rc)
		return rc;
	struct facts f;
	if ((rc = load_facts(db, a, c, &f))) {
		facts_free(&f);
		return rc;
	}
	int i = find_urn(&f, urn);
	json_t *themes = json_array();
	for (size_t t = 0; t < f.net.n_themes; t++)
		json_array_append_new(themes, json_pack("{s:s, s:b}", "name", f.theme_names[t], "off",
							i >= 0 && broker_theme_off(&f.schools[i], (int)t)));
	facts_free(&f);
	*out = json_pack("{s:{s:s, s:s, s:s+}, s:I, s:s, s:i, s:b, s:i, s:s, s:o, s:b, s:s+}", "network", "slug",
			 c->slug, "name", c->name, "url", "/networks/", c->slug, "urn", (json_int_t)urn, "name", name,
			 "capacity", capacity, "capacity_set", set, "taken", used, "year_label", year_label(a, c->year),
			 "themes", themes, "can_edit", policy_broker_capacity_set(&c->acc, urn), "action", "/networks/",
			 arena_printf(a, "%s/broker/capacity", c->slug));
	return 0;
}

int broker_capacity_set(struct db *db, struct arena *a, const struct broker_ctx *c, const struct user *u,
			int64_t urn, int64_t capacity, const char *const *off, size_t n_off, json_t *errors)
{
	if (!policy_broker_capacity_set(&c->acc, urn))
		return deny(c);
	if (!net_has_school(db, c->network_id, urn))
		return ERR_NOTFOUND;
	if (capacity < 0 || capacity > BROKER_CAPACITY_MAX) {
		json_object_set_new(errors, "capacity",
				    json_sprintf("Say how many partnerships the school can take part in this year: a "
						 "whole number from 0 to %d.", BROKER_CAPACITY_MAX));
		return ERR_INVALID;
	}
	int64_t *ids = arena_calloc(a, n_off + 1, sizeof(*ids));
	for (size_t i = 0; i < n_off; i++) {
		if (net_theme_find(db, c->network_id, off[i], &ids[i])) {
			json_object_set_new(errors, "off",
					    json_sprintf("\"%s\" is not one of the network's themes.", off[i]));
			return ERR_INVALID;
		}
	}
	int rc = db_begin(db);
	if (rc)
		return rc;
	struct db_stmt *st = db_stmt(db, &Q_CAPACITY_UPSERT);
	if (!st || db_bind_int(st, 1, urn) || db_bind_int(st, 2, c->year) || db_bind_int(st, 3, capacity) ||
	    (u ? db_bind_int(st, 4, u->id) : db_bind_null(st, 4)) ||
	    db_bind_text(st, 5, net_now_iso(a, clock_now())) || (rc = net_run(st)))
		goto out;
	st = db_stmt(db, &Q_OFF_CLEAR);
	if (!st || db_bind_int(st, 1, c->network_id) || db_bind_int(st, 2, urn) || (rc = net_run(st)))
		goto out;
	for (size_t i = 0; i < n_off; i++) {
		bool dup = false;
		for (size_t k = 0; k < i; k++)
			dup = dup || ids[k] == ids[i];
		if (dup)
			continue;
		st = db_stmt(db, &Q_OFF_INSERT);
		if (!st || db_bind_int(st, 1, c->network_id) || db_bind_int(st, 2, urn) || db_bind_int(st, 3, ids[i]) ||
		    (rc = net_run(st)))
			goto out;
	}
out:
	if (!rc && !st)
		rc = ERR_DB;
	return net_finish(db, rc);
}
