// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * teachmeet.c — presenters at TeachMeets and learning lunches: people sign
 * up to present with a title and a slot (at a TeachMeet a nano of 2
 * minutes, a micro of 7 or a soapbox of 15; at a learning lunch an input of
 * 5), apart from the audience's bookings. The organiser sets how many
 * minutes of presenting the session holds (its length unless they say);
 * a slot that does not fit the time left is refused, and the page warns
 * when sign-ups exceed the time (the organiser lowered it later). At the
 * event the draw picks the next presenter at random (libsodium) from those
 * not yet drawn, and keeps the running order.
 */
#include "app/programme/prog.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

/* The kinds of slot, their minutes and the format they belong to. */
static const struct {
	const char *kind, *label, *format;
	int minutes;
} kinds[] = {
	{"nano", "Nano (2 minutes)", "teachmeet", 2},
	{"micro", "Micro (7 minutes)", "teachmeet", 7},
	{"soapbox", "Soapbox (15 minutes)", "teachmeet", 15},
	{"input", "Input (5 minutes)", "learning_lunch", 5},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

DB_QUERY(Q_TM_SLOTS,
	 "SELECT t.id, t.person_id, p.name, COALESCE(sc.name, 'URN ' || p.school_urn) AS school_name, t.title, t.kind, "
	 "t.minutes, t.draw_order FROM teachmeet_slot t JOIN person p ON p.id = t.person_id "
	 "LEFT JOIN school sc ON sc.urn = p.school_urn WHERE t.session_id = ? AND t.withdrawn_at IS NULL "
	 "ORDER BY t.draw_order IS NULL, t.draw_order, t.id");
DB_QUERY(Q_TM_CAP, "SELECT presenter_minutes FROM course_session WHERE id = ?");
DB_QUERY(Q_TM_USED,
	 "SELECT COALESCE(SUM(minutes), 0) FROM teachmeet_slot WHERE session_id = ? AND withdrawn_at IS NULL");
DB_QUERY(Q_TM_MINE,
	 "SELECT 1 FROM teachmeet_slot WHERE session_id = ? AND person_id = ? AND withdrawn_at IS NULL");
DB_QUERY(Q_TM_INSERT,
	 "INSERT INTO teachmeet_slot (session_id, person_id, title, kind, minutes, created_at) "
	 "VALUES (?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_TM_SLOT, "SELECT person_id, draw_order FROM teachmeet_slot WHERE id = ? AND session_id = ? "
		    "AND withdrawn_at IS NULL");
DB_QUERY(Q_TM_WITHDRAW, "UPDATE teachmeet_slot SET withdrawn_at = ? WHERE id = ? AND draw_order IS NULL");
DB_QUERY(Q_TM_UNDRAWN,
	 "SELECT COUNT(*) FROM teachmeet_slot WHERE session_id = ? AND withdrawn_at IS NULL AND draw_order IS NULL");
DB_QUERY(Q_TM_PICK,
	 "SELECT id FROM teachmeet_slot WHERE session_id = ? AND withdrawn_at IS NULL AND draw_order IS NULL "
	 "ORDER BY id LIMIT 1 OFFSET ?");
DB_QUERY(Q_TM_DRAW,
	 "UPDATE teachmeet_slot SET draw_order = (SELECT COALESCE(MAX(draw_order), 0) + 1 FROM teachmeet_slot "
	 "WHERE session_id = ?1), drawn_at = ?2 WHERE id = ?3");

/* Whether course c takes presenters. */
static bool takes_presenters(const struct prog_course *c)
{
	return str_eq(c->format, "teachmeet") || str_eq(c->format, "learning_lunch");
}

/* The minutes of presenting session s holds: its own setting, else its length. */
static int64_t cap_of(struct db *db, const struct prog_session *s)
{
	int64_t cap = 0;
	struct db_stmt *st = db_stmt(db, &Q_TM_CAP);
	if (st && db_bind_int(st, 1, s->id) == 0 && db_step(st) == DB_ROW)
		cap = db_col_int(st, 0);
	if (st)
		db_reset(st);
	return cap > 0 ? cap : (s->ends - s->starts) / 60;
}

/* A one-number query bound with session id (and a second id when b > 0). */
static int64_t number(struct db *db, const struct db_query *q, int64_t a, int64_t b)
{
	int64_t n = 0;
	struct db_stmt *st = db_stmt(db, q);
	if (st && db_bind_int(st, 1, a) == 0 && (b <= 0 || db_bind_int(st, 2, b) == 0) && db_step(st) == DB_ROW)
		n = db_col_int(st, 0);
	if (st)
		db_reset(st);
	return n;
}

int prog_teachmeet_json(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_course *c,
			const struct prog_session *s, int64_t now, json_t **out)
{
	*out = NULL;
	if (!prog_policy_programme_see(acc) || !takes_presenters(c))
		return ERR_NOTFOUND;
	bool names = prog_policy_programme_read(acc);
	struct db_stmt *st = db_stmt(db, &Q_TM_SLOTS);
	if (!st || db_bind_int(st, 1, s->id))
		return ERR_DB;
	json_t *slots = json_array(), *order = json_array(), *current = NULL;
	int64_t used = 0, waiting = 0;
	bool mine = false;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t pid = db_col_int(st, 1);
		used += db_col_int(st, 6);
		json_t *r = json_pack("{s:I, s:s, s:s, s:I, s:b, s:b}", "id", (json_int_t)db_col_int(st, 0), "title",
				      db_col_text(st, 4), "kind", db_col_text(st, 5), "minutes", (json_int_t)db_col_int(st, 6),
				      "drawn", !db_col_is_null(st, 7), "mine", pid == acc->person_id);
		if (names)
			json_object_set_new(r, "name",
					    json_sprintf("%s (%s)", db_col_text(st, 2), db_col_text(st, 3)));
		mine = mine || pid == acc->person_id;
		if (db_col_is_null(st, 7)) {
			waiting++;
			json_object_set_new(r, "can_withdraw",
					    json_boolean(pid == acc->person_id || prog_policy_register(acc)));
			json_array_append_new(slots, r);
		} else {
			json_object_set_new(r, "order", json_integer(db_col_int(st, 7)));
			json_decref(current);
			current = json_incref(r);
			json_array_append_new(order, r);
		}
	}
	db_reset(st);
	if (rc < 0) {
		json_decref(slots);
		json_decref(order);
		json_decref(current);
		return rc;
	}
	int64_t cap = cap_of(db, s);
	json_t *opts = json_array();
	for (size_t i = 0; i < NKINDS; i++)
		if (str_eq(kinds[i].format, c->format))
			json_array_append_new(opts, json_pack("{s:s, s:s}", "value", kinds[i].kind, "label", kinds[i].label));
	*out = json_pack("{s:o, s:o, s:I, s:I, s:I, s:b, s:I, s:o, s:b, s:b, s:o}", "slots", slots, "running_order",
			 order, "minutes_cap", (json_int_t)cap, "minutes_used", (json_int_t)used, "minutes_left",
			 (json_int_t)(cap > used ? cap - used : 0), "over", used > cap, "to_draw", (json_int_t)waiting,
			 "current", current ? current : json_null(), "can_sign_up",
			 prog_policy_book_self(acc) && !mine && now < s->ends, "can_draw", prog_policy_register(acc),
			 "kinds", opts);
	(void)a;
	return 0;
}

int prog_teachmeet_signup(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_course *c,
			  const struct prog_session *s, const char *title, const char *kind, int64_t now, json_t *errors)
{
	if (!prog_policy_programme_see(acc) || !takes_presenters(c))
		return ERR_NOTFOUND;
	if (!prog_policy_book_self(acc))
		return ERR_FORBIDDEN;
	title = prog_clean(a, title, PROG_TITLE_MAX, true, "title", "title of your slot", errors);
	int minutes = 0;
	for (size_t i = 0; i < NKINDS; i++)
		if (str_eq(kinds[i].kind, kind) && str_eq(kinds[i].format, c->format))
			minutes = kinds[i].minutes;
	if (!minutes)
		json_object_set_new(errors, "kind",
				    json_string(str_eq(c->format, "teachmeet")
							? "Choose a nano (2 minutes), micro (7) or soapbox (15) slot"
							: "A learning lunch takes inputs of 5 minutes"));
	if (json_object_size(errors))
		return ERR_INVALID;
	if (now >= s->ends) {
		json_object_set_new(errors, "kind", json_string("The session has ended"));
		return ERR_CONFLICT;
	}
	int rc = db_begin(db);
	if (rc)
		return rc;
	int64_t left = cap_of(db, s) - number(db, &Q_TM_USED, s->id, 0);
	if (number(db, &Q_TM_MINE, s->id, acc->person_id)) {
		json_object_set_new(errors, "kind", json_string("You are already presenting at this session"));
		rc = ERR_CONFLICT;
	} else if (minutes > left) {
		json_object_set_new(errors, "kind",
				    json_sprintf("A %d-minute slot does not fit: %lld minute%s of presenting %s left",
						 minutes, (long long)(left > 0 ? left : 0), left == 1 ? "" : "s",
						 left == 1 ? "is" : "are"));
		rc = ERR_CONFLICT;
	}
	struct db_stmt *st = db_stmt(db, &Q_TM_INSERT);
	if (rc == 0 && (!st || db_bind_int(st, 1, s->id) || db_bind_int(st, 2, acc->person_id) ||
			db_bind_text(st, 3, title) || db_bind_text(st, 4, kind) || db_bind_int(st, 5, minutes) ||
			db_bind_text(st, 6, prog_iso(a, now))))
		rc = ERR_DB;
	else if (rc == 0)
		rc = prog_run(st);
	return prog_finish(db, rc);
}

int prog_teachmeet_withdraw(struct db *db, struct arena *a, const struct prog_access *acc,
			    const struct prog_session *s, int64_t slot, int64_t now)
{
	struct db_stmt *st = db_stmt(db, &Q_TM_SLOT);
	if (!st || db_bind_int(st, 1, slot) || db_bind_int(st, 2, s->id))
		return ERR_DB;
	int rc = db_step(st);
	int64_t owner = rc == DB_ROW ? db_col_int(st, 0) : 0;
	bool drawn = rc == DB_ROW && !db_col_is_null(st, 1);
	db_reset(st);
	if (rc < 0)
		return rc;
	if (!owner || !prog_policy_programme_read(acc))
		return ERR_NOTFOUND;
	if (owner != acc->person_id && !prog_policy_register(acc))
		return ERR_FORBIDDEN;
	if (drawn)
		return ERR_CONFLICT;
	st = db_stmt(db, &Q_TM_WITHDRAW);
	if (!st || db_bind_text(st, 1, prog_iso(a, now)) || db_bind_int(st, 2, slot))
		return ERR_DB;
	return prog_run(st);
}

int prog_teachmeet_draw(struct db *db, struct arena *a, const struct prog_access *acc, const struct prog_course *c,
			const struct prog_session *s, int64_t now, json_t *errors)
{
	if (!prog_policy_programme_see(acc) || !takes_presenters(c))
		return ERR_NOTFOUND;
	if (!prog_policy_register(acc))
		return prog_policy_programme_read(acc) ? ERR_FORBIDDEN : ERR_NOTFOUND;
	int rc = db_begin(db);
	if (rc)
		return rc;
	int64_t n = number(db, &Q_TM_UNDRAWN, s->id, 0);
	if (n <= 0) {
		json_object_set_new(errors, "draw", json_string("Everyone who signed up has been drawn"));
		db_rollback(db);
		return ERR_CONFLICT;
	}
	/* Uniform among those not yet drawn: libsodium's randombytes_uniform has no modulo bias. */
	int64_t k = (int64_t)randombytes_uniform((uint32_t)n), id = 0;
	struct db_stmt *st = db_stmt(db, &Q_TM_PICK);
	if (st && db_bind_int(st, 1, s->id) == 0 && db_bind_int(st, 2, k) == 0 && db_step(st) == DB_ROW)
		id = db_col_int(st, 0);
	if (st)
		db_reset(st);
	st = db_stmt(db, &Q_TM_DRAW);
	if (!id || !st || db_bind_int(st, 1, s->id) || db_bind_text(st, 2, prog_iso(a, now)) || db_bind_int(st, 3, id))
		rc = ERR_DB;
	else
		rc = prog_run(st);
	return prog_finish(db, rc);
}
