// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * model.c — the partnerships model's common ground: the access facts of the
 * person asking (ps_access_network, ps_open), a partnership as JSON, the
 * list of a person's partnerships, school names, mail to a school's leads
 * and the time formats the store uses. The other model files build on it.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/mail/mail.h"
#include "app/networks/net.h"
#include "app/partnerships/closing.h"
#include "app/partnerships/ps.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "db/db.h"

DB_QUERY(Q_PS_IS_COORD,
	 "SELECT 1 FROM network_role WHERE network_id = ? AND person_id = ? AND role = 'coordinator'");
DB_QUERY(Q_PS_GET,
	 "SELECT p.id, p.network_id, n.slug, n.name, p.title, p.state, p.activated_at, p.closed_at, "
	 "p.closing_reflection FROM partnership p JOIN network n ON n.id = p.network_id WHERE p.id = ?");
DB_QUERY(Q_PS_IS_PARTNER, "SELECT 1 FROM partnership_school WHERE partnership_id = ? AND urn = ?");
DB_QUERY(Q_PS_SCHOOL_NAME, "SELECT name FROM school WHERE urn = ?");
DB_QUERY(Q_PS_LEADS, "SELECT email FROM person WHERE school_urn = ? AND school_role = 'lead' ORDER BY id");
/*
 * What a partnership's health is worked out from, as columns of partnership
 * p at time ?2: its state, cadence and activation, its last meeting, and
 * the last action, decision, time log, evidence value and reflection
 * written (the last activity is the latest of the six). HEALTH_FACT_COLS
 * of them.
 */
#define HEALTH_FACTS                                                                                      \
	"p.state, p.cadence_weeks, p.activated_at, "                                                      \
	"(SELECT MAX(held_at) FROM meeting WHERE partnership_id = p.id AND held_at <= ?2), "              \
	"(SELECT MAX(created_at) FROM action WHERE partnership_id = p.id AND created_at <= ?2), "         \
	"(SELECT MAX(created_at) FROM decision WHERE partnership_id = p.id AND created_at <= ?2), "       \
	"(SELECT MAX(created_at) FROM time_log WHERE partnership_id = p.id AND created_at <= ?2), "       \
	"(SELECT MAX(e.created_at) FROM evidence_value e JOIN partnership_measure m ON m.id = e.measure_id " \
	"WHERE m.partnership_id = p.id AND e.created_at <= ?2), "                                         \
	"(SELECT MAX(created_at) FROM reflection WHERE partnership_id = p.id AND created_at <= ?2)"
#define HEALTH_FACT_COLS 9
DB_QUERY(Q_PS_HEALTH_FACTS, "SELECT " HEALTH_FACTS " FROM partnership p WHERE p.id = ?1");
DB_QUERY(Q_PS_HEALTH_HOURS,
	 "SELECT COALESCE(ps.hours_per_term, 0), COALESCE((SELECT SUM(hours) FROM time_log t WHERE "
	 "t.partnership_id = ps.partnership_id AND t.urn = ps.urn AND t.worked_on >= ? AND t.worked_on <= ?), 0) "
	 "FROM partnership_school ps WHERE ps.partnership_id = ?");
DB_QUERY(Q_PS_HEALTH_RISKS,
	 "SELECT risk, likelihood, impact FROM partnership_risk WHERE partnership_id = ? AND status = 'open'");
/* A network's open partnerships (as Q_PS_GET), the last recorded change of health, then HEALTH_FACTS. */
DB_QUERY(Q_PS_NET_HEALTH,
	 "SELECT p.id, p.network_id, n.slug, n.name, p.title, p.state, p.activated_at, p.closed_at, "
	 "p.closing_reflection, h.to_status, h.changed_at, " HEALTH_FACTS " FROM partnership p "
	 "JOIN network n ON n.id = p.network_id "
	 "LEFT JOIN health_change h ON h.id = (SELECT id FROM health_change WHERE partnership_id = p.id "
	 "ORDER BY changed_at DESC, id DESC LIMIT 1) "
	 "WHERE p.network_id = ?1 AND p.state <> 'closed' ORDER BY p.id");
DB_QUERY(Q_PS_NET_HOURS,
	 "SELECT ps.partnership_id, COALESCE(ps.hours_per_term, 0), COALESCE((SELECT SUM(hours) FROM time_log t WHERE "
	 "t.partnership_id = ps.partnership_id AND t.urn = ps.urn AND t.worked_on >= ?2 AND t.worked_on <= ?3), 0) "
	 "FROM partnership_school ps JOIN partnership p ON p.id = ps.partnership_id "
	 "WHERE p.network_id = ?1 AND p.state <> 'closed' ORDER BY ps.partnership_id");
DB_QUERY(Q_PS_NET_RISKS,
	 "SELECT r.partnership_id, r.risk, r.likelihood, r.impact FROM partnership_risk r "
	 "JOIN partnership p ON p.id = r.partnership_id "
	 "WHERE p.network_id = ?1 AND p.state <> 'closed' AND r.status = 'open' ORDER BY r.partnership_id");
DB_QUERY(Q_PS_COORDINATED,
	 "SELECT n.id, n.slug, n.name FROM network n JOIN network_role r ON r.network_id = n.id "
	 "WHERE r.person_id = ? AND r.role = 'coordinator' ORDER BY n.name");
DB_QUERY(Q_PS_COORDINATED_SCHOOLS,
	 "SELECT ns.network_id, ns.urn, COALESCE(s.name, 'School URN ' || ns.urn) AS name FROM network_school ns "
	 "JOIN network_role r ON r.network_id = ns.network_id LEFT JOIN school s ON s.urn = ns.urn "
	 "WHERE r.person_id = ? AND r.role = 'coordinator' ORDER BY ns.network_id, name");
DB_QUERY(Q_PS_CLOSE,
	 "UPDATE partnership SET state = 'closed', closed_at = ?, closing_reflection = ?, updated_at = ? "
	 "WHERE id = ? AND state <> 'closed'");
DB_QUERY(Q_PS_MINE,
	 "SELECT p.id, p.network_id, n.slug, n.name, p.title, p.state, p.activated_at, p.closed_at, "
	 "p.closing_reflection FROM partnership p JOIN network n ON n.id = p.network_id "
	 "WHERE p.id IN (SELECT partnership_id FROM partnership_school WHERE urn = ?) ORDER BY p.id DESC");

int ps_access_network(struct db *db, const struct user *u, int64_t network_id, struct ps_access *acc)
{
	memset(acc, 0, sizeof(*acc));
	if (!u)
		return 0;
	acc->person_id = u->id;
	acc->school_urn = u->school_urn;
	acc->role = u->role;
	acc->is_admin = u->is_admin;
	acc->network_id = network_id;
	if (network_id <= 0)
		return 0;
	acc->school_member = u->school_urn > 0 && net_has_school(db, network_id, u->school_urn);
	struct db_stmt *st = db_stmt(db, &Q_PS_IS_COORD);
	if (!st || db_bind_int(st, 1, network_id) || db_bind_int(st, 2, u->id))
		return ERR_DB;
	int rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return rc;
	acc->coordinator = rc == DB_ROW;
	return 0;
}

/* Fill p from the current row of a Q_PS_GET-shaped statement. */
static void row_to_partnership(struct db_stmt *st, struct arena *a, struct partnership *p)
{
	p->id = db_col_int(st, 0);
	p->network_id = db_col_int(st, 1);
	p->network_slug = arena_strdup(a, db_col_text(st, 2));
	p->network_name = arena_strdup(a, db_col_text(st, 3));
	p->title = arena_strdup(a, db_col_text(st, 4));
	p->state = arena_strdup(a, db_col_text(st, 5));
	p->activated_at = ps_parse_time(db_col_text(st, 6));
	p->closed_at = ps_parse_time(db_col_text(st, 7));
	p->closing_reflection = arena_strdup(a, db_col_text(st, 8) ? db_col_text(st, 8) : "");
}

int ps_open(struct db *db, struct arena *a, const struct user *u, int64_t id, struct partnership *p,
	    struct ps_access *acc)
{
	memset(p, 0, sizeof(*p));
	memset(acc, 0, sizeof(*acc));
	struct db_stmt *st = db_stmt(db, &Q_PS_GET);
	if (!st || db_bind_int(st, 1, id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE)
		return ERR_NOTFOUND;
	row_to_partnership(st, a, p);
	db_reset(st);
	if ((rc = ps_access_network(db, u, p->network_id, acc)))
		return rc;
	acc->closed = str_eq(p->state, "closed");
	if (u && u->school_urn > 0) {
		st = db_stmt(db, &Q_PS_IS_PARTNER);
		if (!st || db_bind_int(st, 1, p->id) || db_bind_int(st, 2, u->school_urn))
			return ERR_DB;
		rc = db_step(st);
		db_reset(st);
		if (rc < 0)
			return rc;
		acc->partner = rc == DB_ROW;
	}
	return policy_ps_summary(acc) ? 0 : ERR_NOTFOUND;
}

int ps_deny(const struct ps_access *acc)
{
	return policy_ps_read(acc) ? ERR_FORBIDDEN : ERR_NOTFOUND;
}

json_t *ps_json(const struct partnership *p)
{
	char act[32] = "", clo[32] = "";
	if (p->activated_at)
		clock_format_iso(p->activated_at, act, sizeof(act));
	if (p->closed_at)
		clock_format_iso(p->closed_at, clo, sizeof(clo));
	json_t *j = json_pack("{s:I, s:s, s:s, s:{s:s, s:s, s:s+}, s:s?, s:s?, s:b, s:b, s:b}", "id",
			      (json_int_t)p->id, "title", p->title, "state", p->state, "network", "slug",
			      p->network_slug, "name", p->network_name, "url", "/networks/", p->network_slug,
			      "activated_at", act[0] ? act : NULL, "closed_at", clo[0] ? clo : NULL, "is_forming",
			      str_eq(p->state, "forming"), "is_active", str_eq(p->state, "active"), "is_closed",
			      str_eq(p->state, "closed"));
	json_object_set_new(j, "url", json_sprintf("/partnerships/%lld", (long long)p->id));
	/* The dates as people read them. */
	if (p->activated_at) {
		clock_format_uk(p->activated_at, 0, act, sizeof(act));
		json_object_set_new(j, "activated_on", json_string(act));
	}
	if (p->closed_at) {
		clock_format_uk(p->closed_at, 0, clo, sizeof(clo));
		json_object_set_new(j, "closed_on", json_string(clo));
	}
	return j;
}

const char *ps_school_name(struct db *db, struct arena *a, int64_t urn)
{
	struct db_stmt *st = db_stmt(db, &Q_PS_SCHOOL_NAME);
	const char *name = NULL;
	if (st && db_bind_int(st, 1, urn) == 0 && db_step(st) == DB_ROW && db_col_text(st, 0))
		name = arena_strdup(a, db_col_text(st, 0));
	if (st)
		db_reset(st);
	return name ? name : arena_printf(a, "School URN %lld", (long long)urn);
}

void ps_mail_leads(struct db *db, int64_t urn, const char *subject, const char *body)
{
	struct db_stmt *st = db_stmt(db, &Q_PS_LEADS);
	if (!st || db_bind_int(st, 1, urn))
		return;
	json_t *emails = db_rows_json(st);
	size_t i;
	json_t *row;
	json_array_foreach(emails, i, row)
	{
		const char *to = json_string_value(json_object_get(row, "email"));
		if (to && mail_queue(db, to, subject, body))
			log_warn("partnerships: could not queue mail to a lead of %lld", (long long)urn);
	}
	json_decref(emails);
}

void ps_add_date_label(json_t *o, const char *iso_key, const char *label_key, bool with_time)
{
	int64_t t = ps_parse_time(json_string_value(json_object_get(o, iso_key)));
	if (!t)
		return;
	char label[48];
	clock_format_uk(t, with_time, label, sizeof(label));
	json_object_set_new(o, label_key, json_string(label));
}

const char *ps_iso(struct arena *a, int64_t t)
{
	char s[32];
	clock_format_iso(t, s, sizeof(s));
	return arena_strdup(a, s);
}

int64_t ps_parse_time(const char *s)
{
	int64_t t;
	return clock_parse_iso(s, &t) ? 0 : t;
}

int64_t ps_parse_day(const char *s)
{
	int64_t t;
	return clock_parse_day(s, &t, NULL) ? 0 : t;
}

json_t *ps_list_mine(struct db *db, const struct user *u)
{
	json_t *out = json_array();
	if (!u || u->school_urn <= 0)
		return out;
	struct db_stmt *st = db_stmt(db, &Q_PS_MINE);
	if (!st || db_bind_int(st, 1, u->school_urn))
		return out;
	struct arena *a = arena_new();
	while (db_step(st) == DB_ROW) {
		struct partnership p;
		row_to_partnership(st, a, &p);
		json_array_append_new(out, ps_json(&p));
	}
	db_reset(st);
	arena_free(a);
	return out;
}

/* Fill in from HEALTH_FACTS read at column col of st (the lists are the caller's). */
static void health_facts(struct db_stmt *st, int col, struct health_input *in)
{
	memset(in, 0, sizeof(*in));
	in->active = str_eq(db_col_text(st, col), "active");
	in->cadence_weeks = db_col_is_null(st, col + 1) ? 0 : (int)db_col_int(st, col + 1);
	in->activated_at = ps_parse_time(db_col_text(st, col + 2));
	in->last_meeting_at = ps_parse_time(db_col_text(st, col + 3));
	in->last_activity_at = in->last_meeting_at;
	for (int i = col + 4; i < col + HEALTH_FACT_COLS; i++) {
		int64_t t = ps_parse_time(db_col_text(st, i));
		if (t > in->last_activity_at)
			in->last_activity_at = t;
	}
	if (in->active && (in->cadence_weeks < 1 || in->activated_at <= 0))
		in->active = false; /* cannot happen through the pages; never crash on odd data */
}

/*
 * The partner schools' hours and the open risks of a set of partnerships,
 * grouped: hours rows (partnership id, committed, logged) and risk rows
 * (partnership id, risk, likelihood, impact) as the statements give them,
 * in order of partnership id. Lists live in arena a.
 */
struct health_lists {
	int64_t *school_of;             /* the partnership of each school row */
	struct health_school *schools;  /* n_schools of them */
	size_t n_schools;
	int64_t *risk_of;               /* the partnership of each risk row */
	struct health_risk *risks;      /* n_risks of them */
	size_t n_risks;
};

/* Read the rows of hours (id column first when with_id) and risks into l. 0 or ERR_DB. */
static int health_lists_read(struct arena *a, struct db_stmt *hours, struct db_stmt *risks, bool with_id,
			     struct health_lists *l)
{
	memset(l, 0, sizeof(*l));
	size_t cap = 0, cap_of = 0;
	int c = with_id ? 1 : 0, rc;
	while ((rc = db_step(hours)) == DB_ROW) {
		l->schools = arena_grow(a, l->schools, l->n_schools, &cap, sizeof(*l->schools));
		l->school_of = arena_grow(a, l->school_of, l->n_schools, &cap_of, sizeof(*l->school_of));
		l->school_of[l->n_schools] = with_id ? db_col_int(hours, 0) : 0;
		l->schools[l->n_schools].hours_per_term = (int)db_col_int(hours, c);
		l->schools[l->n_schools].hours_logged = db_col_double(hours, c + 1);
		l->n_schools++;
	}
	db_reset(hours);
	if (rc < 0)
		return rc;
	cap = cap_of = 0;
	while ((rc = db_step(risks)) == DB_ROW) {
		l->risks = arena_grow(a, l->risks, l->n_risks, &cap, sizeof(*l->risks));
		l->risk_of = arena_grow(a, l->risk_of, l->n_risks, &cap_of, sizeof(*l->risk_of));
		l->risk_of[l->n_risks] = with_id ? db_col_int(risks, 0) : 0;
		l->risks[l->n_risks].risk = arena_strdup(a, db_col_text(risks, c));
		l->risks[l->n_risks].likelihood = (int)db_col_int(risks, c + 1);
		l->risks[l->n_risks].impact = (int)db_col_int(risks, c + 2);
		l->n_risks++;
	}
	db_reset(risks);
	return rc < 0 ? rc : 0;
}

/* Point in's lists at partnership id's rows of l (rows are in order of partnership id). */
static void health_lists_of(const struct health_lists *l, int64_t id, struct health_input *in)
{
	size_t i = 0;
	while (i < l->n_schools && l->school_of[i] != id)
		i++;
	in->schools = l->schools + i;
	for (in->n_schools = 0; i + in->n_schools < l->n_schools && l->school_of[i + in->n_schools] == id;)
		in->n_schools++;
	i = 0;
	while (i < l->n_risks && l->risk_of[i] != id)
		i++;
	in->open_risks = l->risks + i;
	for (in->n_open_risks = 0; i + in->n_open_risks < l->n_risks && l->risk_of[i + in->n_open_risks] == id;)
		in->n_open_risks++;
}

/* This term's first day and now's day as "YYYY-MM-DD", for the hours logged this term. */
static void term_days(int64_t now, char from[16], char to[16])
{
	int64_t ts, te;
	health_term(now, &ts, &te);
	clock_format_date(ts, from, 16);
	clock_format_date(now, to, 16);
}

int ps_health(struct db *db, const struct partnership *p, int64_t now, struct health_result *out)
{
	memset(out, 0, sizeof(*out));
	char nows[32], from[16], to[16];
	clock_format_iso(now, nows, sizeof(nows));
	term_days(now, from, to);
	struct db_stmt *st = db_stmt(db, &Q_PS_HEALTH_FACTS);
	if (!st || db_bind_int(st, 1, p->id) || db_bind_text(st, 2, nows))
		return ERR_DB;
	int rc = db_step(st);
	if (rc != DB_ROW)
		return rc < 0 ? rc : ERR_NOTFOUND;
	struct health_input in;
	health_facts(st, 0, &in);
	db_reset(st);
	/* Every partner school and every open risk counts: the lists grow in the arena. */
	struct arena *a = arena_new();
	struct db_stmt *hours = db_stmt(db, &Q_PS_HEALTH_HOURS);
	if (!hours || db_bind_text(hours, 1, from) || db_bind_text(hours, 2, to) || db_bind_int(hours, 3, p->id)) {
		arena_free(a);
		return ERR_DB;
	}
	struct db_stmt *risks = db_stmt(db, &Q_PS_HEALTH_RISKS);
	if (!risks || db_bind_int(risks, 1, p->id)) {
		db_reset(hours);
		arena_free(a);
		return ERR_DB;
	}
	struct health_lists l;
	if ((rc = health_lists_read(a, hours, risks, false, &l)) == 0) {
		in.schools = l.schools;
		in.n_schools = l.n_schools;
		in.open_risks = l.risks;
		in.n_open_risks = l.n_risks;
		rc = health_compute(&in, now, out);
	}
	arena_free(a);
	return rc < 0 ? rc : 0;
}

int ps_attention(struct db *db, struct arena *a, const struct ps_access *acc, int64_t now, json_t **attention,
		 json_t **others)
{
	*attention = *others = NULL;
	if (!policy_ps_attention(acc))
		return ERR_FORBIDDEN;
	char nows[32], from[16], to[16];
	clock_format_iso(now, nows, sizeof(nows));
	term_days(now, from, to);
	/* The hours and risks of every open partnership of the network first, then one row a partnership. */
	struct db_stmt *hours = db_stmt(db, &Q_PS_NET_HOURS), *risks = db_stmt(db, &Q_PS_NET_RISKS);
	if (!hours || db_bind_int(hours, 1, acc->network_id) || db_bind_text(hours, 2, from) ||
	    db_bind_text(hours, 3, to) || !risks || db_bind_int(risks, 1, acc->network_id)) {
		if (hours)
			db_reset(hours);
		return ERR_DB;
	}
	struct health_lists l;
	int rc = health_lists_read(a, hours, risks, true, &l);
	struct db_stmt *st = rc ? NULL : db_stmt(db, &Q_PS_NET_HEALTH);
	if (rc || !st || db_bind_int(st, 1, acc->network_id) || db_bind_text(st, 2, nows))
		return rc ? rc : ERR_DB;
	json_t *need = json_array(), *fine = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		struct partnership p;
		row_to_partnership(st, a, &p);
		const char *last_to = db_col_text(st, 9), *last_at = db_col_text(st, 10);
		struct health_input in;
		struct health_result h;
		health_facts(st, 11, &in);
		health_lists_of(&l, p.id, &in);
		if (health_compute(&in, now, &h))
			continue; /* facts that make no sense: the sweep logs them */
		json_t *item = ps_json(&p), *hj = ps_health_json(a, &h);
		ps_health_set_since(hj, last_to, last_at, now);
		bool needs = json_is_true(json_object_get(hj, "needs_attention"));
		json_object_set_new(item, "health", hj);
		json_array_append_new(needs ? need : fine, item);
	}
	db_reset(st);
	if (rc < 0) {
		json_decref(need);
		json_decref(fine);
		return rc;
	}
	*attention = need;
	*others = fine;
	return 0;
}

json_t *ps_coordinated(struct db *db, const struct user *u, bool with_schools)
{
	struct db_stmt *st = db_stmt(db, &Q_PS_COORDINATED);
	json_t *nets = st && db_bind_int(st, 1, u->id) == 0 ? db_rows_json(st) : NULL;
	if (!nets || !with_schools)
		return nets ? nets : json_array();
	st = db_stmt(db, &Q_PS_COORDINATED_SCHOOLS);
	json_t *schools = st && db_bind_int(st, 1, u->id) == 0 ? db_rows_json(st) : NULL;
	size_t i, k;
	json_t *net, *s;
	json_array_foreach(nets, i, net)
	{
		json_t *mine = json_array();
		json_int_t id = json_integer_value(json_object_get(net, "id"));
		json_array_foreach(schools, k, s)
			if (json_integer_value(json_object_get(s, "network_id")) == id)
				json_array_append_new(mine, json_pack("{s:O, s:O}", "urn", json_object_get(s, "urn"),
								      "name", json_object_get(s, "name")));
		json_object_set_new(net, "schools", mine);
	}
	json_decref(schools);
	return nets;
}

int ps_close(struct db *db, struct arena *a, const struct ps_access *acc, const struct partnership *p,
	     const struct ps_close_in *in, json_t *errors)
{
	if (!policy_ps_close(acc))
		return acc->closed && policy_ps_read(acc) ? ERR_CONFLICT : ps_deny(acc);
	const char *refl;
	if (!in->worked && !in->did_not_work && in->reflection) {
		/* One text, from a script. */
		refl = str_trim(a, in->reflection);
		if (!*refl)
			json_object_set_new(errors, "reflection",
					    json_string("Write a closing reflection: what the partnership achieved, what did "
							"not work and what you would do differently."));
	} else {
		const char *worked = in->worked ? str_trim(a, in->worked) : "";
		const char *not = in->did_not_work ? str_trim(a, in->did_not_work) : "";
		if (!*worked)
			json_object_set_new(errors, "worked",
					    json_string("Say what worked: what the partnership achieved for pupils and staff."));
		if (!*not)
			json_object_set_new(errors, "did_not_work",
					    json_string("Say what did not work, and what you would do differently: it is "
							"as useful to the next partnership as what worked."));
		if (!in->confirmed)
			json_object_set_new(errors, "confirm",
					    json_string("Tick the box to confirm that closing cannot be undone."));
		refl = ps_closing_join(a, worked, not);
	}
	if (!json_object_size(errors) && utf8_len(refl, strlen(refl)) > PS_NOTES_MAX)
		json_object_set_new(errors, in->worked || in->did_not_work ? "worked" : "reflection",
				    json_string("Keep the closing reflection to 10000 characters."));
	if (json_object_size(errors))
		return ERR_INVALID;
	const char *now = ps_iso(a, clock_now());
	struct db_stmt *st = db_stmt(db, &Q_PS_CLOSE);
	if (!st || db_bind_text(st, 1, now) || db_bind_text(st, 2, refl) || db_bind_text(st, 3, now) ||
	    db_bind_int(st, 4, p->id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	return db_changes(db) == 1 ? 0 : ERR_CONFLICT;
}

json_t *ps_health_json(struct arena *a, const struct health_result *h)
{
	json_t *reasons = json_array();
	for (size_t i = 0; i < h->n_reasons; i++)
		json_array_append_new(reasons, json_pack("{s:s, s:s}", "status", health_status_key(h->reasons[i].status),
							 "text", h->reasons[i].text));
	char due[16] = "";
	if (h->next_meeting_due)
		clock_format_date(h->next_meeting_due, due, sizeof(due));
	/* The reasons after the headline one, for the page (the headline is `reason`). */
	json_t *more = json_array();
	for (size_t i = 1; i < h->n_reasons; i++)
		json_array_append_new(more, json_string(h->reasons[i].text));
	char due_on[48] = "";
	if (h->next_meeting_due)
		clock_format_uk(h->next_meeting_due, 0, due_on, sizeof(due_on));
	json_t *j = json_pack("{s:s, s:s, s:s, s:o, s:s, s:f, s:f, s:f, s:b}", "status", health_status_key(h->status),
			      "label", health_status_label(h->status), "reason", h->reason, "reasons", reasons,
			      "next_meeting_due", arena_strdup(a, due), "hours_committed", h->hours_committed, "hours_due",
			      h->hours_due, "hours_logged", h->hours_logged, "needs_attention",
			      h->status == HEALTH_OVERDUE || h->status == HEALTH_FADING || h->status == HEALTH_AT_RISK);
	json_object_set_new(j, "other_reasons", more);
	json_object_set_new(j, "next_meeting_due_on", json_string(due_on));
	return j;
}
