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
#include "app/partnerships/ps.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "db/db.h"

DB_QUERY(Q_PS_IS_COORD,
	 "SELECT 1 FROM network_role WHERE network_id = ? AND person_id = ? AND role = 'coordinator'");
DB_QUERY(Q_PS_HAS_SCHOOL, "SELECT 1 FROM network_school WHERE network_id = ? AND urn = ?");
DB_QUERY(Q_PS_GET,
	 "SELECT p.id, p.network_id, n.slug, n.name, p.title, p.state, p.activated_at, p.closed_at, "
	 "p.closing_reflection FROM partnership p JOIN network n ON n.id = p.network_id WHERE p.id = ?");
DB_QUERY(Q_PS_IS_PARTNER, "SELECT 1 FROM partnership_school WHERE partnership_id = ? AND urn = ?");
DB_QUERY(Q_PS_SCHOOL_NAME, "SELECT name FROM school WHERE urn = ?");
DB_QUERY(Q_PS_LEADS, "SELECT email FROM person WHERE school_urn = ? AND school_role = 'lead' ORDER BY id");
DB_QUERY(Q_PS_HEALTH_FACTS,
	 "SELECT state, cadence_weeks, activated_at, "
	 "(SELECT MAX(held_at) FROM meeting WHERE partnership_id = ?1 AND held_at <= ?2), "
	 "(SELECT MAX(t) FROM (SELECT MAX(held_at) AS t FROM meeting WHERE partnership_id = ?1 AND held_at <= ?2 "
	 " UNION ALL SELECT MAX(created_at) FROM action WHERE partnership_id = ?1 AND created_at <= ?2 "
	 " UNION ALL SELECT MAX(created_at) FROM decision WHERE partnership_id = ?1 AND created_at <= ?2 "
	 " UNION ALL SELECT MAX(created_at) FROM time_log WHERE partnership_id = ?1 AND created_at <= ?2 "
	 " UNION ALL SELECT MAX(e.created_at) FROM evidence_value e JOIN partnership_measure m ON m.id = e.measure_id "
	 "   WHERE m.partnership_id = ?1 AND e.created_at <= ?2 "
	 " UNION ALL SELECT MAX(created_at) FROM reflection WHERE partnership_id = ?1 AND created_at <= ?2) AS latest) "
	 "FROM partnership WHERE id = ?1");
DB_QUERY(Q_PS_HEALTH_HOURS,
	 "SELECT COALESCE(ps.hours_per_term, 0), COALESCE((SELECT SUM(hours) FROM time_log t WHERE "
	 "t.partnership_id = ps.partnership_id AND t.urn = ps.urn AND t.worked_on >= ? AND t.worked_on <= ?), 0) "
	 "FROM partnership_school ps WHERE ps.partnership_id = ?");
DB_QUERY(Q_PS_HEALTH_RISKS,
	 "SELECT risk, likelihood, impact FROM partnership_risk WHERE partnership_id = ? AND status = 'open'");
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
	acc->school_member = u->school_urn > 0 && ps_network_has_school(db, network_id, u->school_urn);
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

bool ps_network_has_school(struct db *db, int64_t network_id, int64_t urn)
{
	struct db_stmt *st = db_stmt(db, &Q_PS_HAS_SCHOOL);
	if (!st || db_bind_int(st, 1, network_id) || db_bind_int(st, 2, urn))
		return false;
	bool yes = db_step(st) == DB_ROW;
	db_reset(st);
	return yes;
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
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	if (!s)
		return 0;
	const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return 0;
	return (int64_t)timegm(&tm);
}

int64_t ps_parse_day(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	if (!s || strlen(s) != 10)
		return 0;
	const char *end = strptime(s, "%Y-%m-%d", &tm);
	if (!end || *end)
		return 0;
	return (int64_t)timegm(&tm);
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

int ps_health(struct db *db, const struct partnership *p, int64_t now, struct health_result *out)
{
	memset(out, 0, sizeof(*out));
	char nows[32];
	clock_format_iso(now, nows, sizeof(nows));
	struct db_stmt *st = db_stmt(db, &Q_PS_HEALTH_FACTS);
	if (!st || db_bind_int(st, 1, p->id) || db_bind_text(st, 2, nows))
		return ERR_DB;
	int rc = db_step(st);
	if (rc != DB_ROW)
		return rc < 0 ? rc : ERR_NOTFOUND;
	struct health_input in;
	memset(&in, 0, sizeof(in));
	in.active = str_eq(db_col_text(st, 0), "active");
	in.cadence_weeks = db_col_is_null(st, 1) ? 0 : (int)db_col_int(st, 1);
	in.activated_at = ps_parse_time(db_col_text(st, 2));
	in.last_meeting_at = ps_parse_time(db_col_text(st, 3));
	in.last_activity_at = ps_parse_time(db_col_text(st, 4));
	db_reset(st);
	if (in.active && (in.cadence_weeks < 1 || in.activated_at <= 0))
		in.active = false; /* cannot happen through the pages; never crash on odd data */
	int64_t ts, te;
	health_term(now, &ts, &te);
	char from[16], to[16];
	clock_format_date(ts, from, sizeof(from));
	clock_format_date(now, to, sizeof(to));
	struct health_school schools[32];
	struct health_risk risks[64];
	st = db_stmt(db, &Q_PS_HEALTH_HOURS);
	if (!st || db_bind_text(st, 1, from) || db_bind_text(st, 2, to) || db_bind_int(st, 3, p->id))
		return ERR_DB;
	while ((rc = db_step(st)) == DB_ROW && in.n_schools < 32) {
		schools[in.n_schools].hours_per_term = (int)db_col_int(st, 0);
		schools[in.n_schools].hours_logged = db_col_double(st, 1);
		in.n_schools++;
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	struct arena *a = arena_new();
	st = db_stmt(db, &Q_PS_HEALTH_RISKS);
	if (!st || db_bind_int(st, 1, p->id)) {
		arena_free(a);
		return ERR_DB;
	}
	while ((rc = db_step(st)) == DB_ROW && in.n_open_risks < 64) {
		risks[in.n_open_risks].risk = arena_strdup(a, db_col_text(st, 0));
		risks[in.n_open_risks].likelihood = (int)db_col_int(st, 1);
		risks[in.n_open_risks].impact = (int)db_col_int(st, 2);
		in.n_open_risks++;
	}
	db_reset(st);
	in.schools = schools;
	in.open_risks = risks;
	if (rc >= 0)
		rc = health_compute(&in, now, out);
	arena_free(a);
	return rc < 0 ? rc : 0;
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
