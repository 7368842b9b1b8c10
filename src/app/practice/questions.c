// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * questions.c — "Thinking Thursday": questions asked of a school or a
 * network, their answers and the asker's "this helped", with all their SQL
 * (read questions.h for the rules). Every read of a question loads its
 * facts and asks practice_can_see before anything is shown or changed; the
 * list reads the network's questions once and keeps those the person may
 * see. A question also goes into the search index (search.c), kind
 * "question", with its audience as its visibility.
 */
#include "app/practice/questions.h"
#include "app/practice/practice.h"

#include <string.h>

#include "app/networks/net.h"
#include "app/practice/search.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

#define QUESTION_COLUMNS                                                                                   \
	"SELECT q.id, q.urn, COALESCE(q.author_id, 0), q.audience, q.question, q.details, q.created_at, "  \
	"COALESCE(p.name, 'A former member'), COALESCE(s.name, ''), "                                      \
	"(SELECT COUNT(*) FROM practice_answer x WHERE x.question_id = q.id), "                              \
	"(SELECT COUNT(*) FROM practice_answer x WHERE x.question_id = q.id AND x.helpful = 1) "            \
	"FROM practice_question q LEFT JOIN person p ON p.id = q.author_id LEFT JOIN school s ON s.urn = q.urn "

DB_QUERY(Q_QUESTIONS, QUESTION_COLUMNS "WHERE q.network_id = ? ORDER BY q.created_at DESC, q.id DESC");
DB_QUERY(Q_QUESTION, QUESTION_COLUMNS "WHERE q.network_id = ? AND q.id = ?");
DB_QUERY(Q_QUESTION_CURRENT, QUESTION_COLUMNS "WHERE q.network_id = ? AND q.audience = 'network' "
					      "AND q.created_at >= ? ORDER BY q.created_at DESC, q.id DESC");
DB_QUERY(Q_QUESTION_ADD, "INSERT INTO practice_question (network_id, urn, author_id, audience, question, details, "
			 "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_ANSWERS,
	 "SELECT a.id, COALESCE(a.author_id, 0), a.body, a.helpful, a.created_at, COALESCE(p.name, 'A former member'), "
	 "COALESCE(s.name, '') FROM practice_answer a LEFT JOIN person p ON p.id = a.author_id "
	 "LEFT JOIN school s ON s.urn = a.urn WHERE a.question_id = ? ORDER BY a.created_at, a.id");
DB_QUERY(Q_ANSWER_ADD, "INSERT INTO practice_answer (question_id, urn, author_id, body, created_at) "
		       "VALUES (?, ?, ?, ?, ?)");
DB_QUERY(Q_ANSWER_ONE, "SELECT COALESCE(author_id, 0), helpful FROM practice_answer WHERE id = ? AND question_id = ?");
DB_QUERY(Q_ANSWER_HELPFUL, "UPDATE practice_answer SET helpful = 1 WHERE id = ? AND question_id = ?");
DB_QUERY(Q_EXPORT_QUESTIONS,
	 "SELECT q.id, n.slug AS network, q.audience, q.question, q.details, q.created_at FROM practice_question q "
	 "JOIN network n ON n.id = q.network_id WHERE q.author_id = ? ORDER BY q.id");
DB_QUERY(Q_EXPORT_ANSWERS, "SELECT id, question_id, body, helpful, created_at FROM practice_answer "
			   "WHERE author_id = ? ORDER BY id");

/* One question as read: its facts for the policy and its JSON. */
struct question_row {
	int64_t id;                /* practice_question.id */
	struct practice_item item; /* the facts for policy.c */
	json_t *json;              /* {id, question, details, audience, …} (owned) */
};

/* A stored time as a day for people ("6 December 2026"), in buf. */
static const char *day_of(const char *iso, char *buf, size_t size)
{
	int64_t t = 0;
	buf[0] = '\0';
	if (clock_parse_iso(iso, &t) == 0)
		clock_format_day(t, true, buf, size);
	return buf;
}

/* Read the question row st is on into r. */
static void row_read(struct db_stmt *st, const struct practice_ctx *c, struct question_row *r)
{
	r->id = db_col_int(st, 0);
	bool network = str_eq(db_col_text(st, 3), "network");
	r->item = (struct practice_item){.author_id = db_col_int(st, 2), .urn = db_col_int(st, 1),
					 .vis = network ? PRACTICE_VIS_NETWORK : PRACTICE_VIS_SCHOOL};
	char day[40];
	r->json = json_pack("{sI ss ss ss sb ss ss ss sI sI sb}", "id", (json_int_t)r->id, "question",
			    db_col_text(st, 4), "details", db_col_text(st, 5), "audience", db_col_text(st, 3),
			    "is_network", network, "author", db_col_text(st, 7), "school", db_col_text(st, 8),
			    "posted", day_of(db_col_text(st, 6), day, sizeof(day)), "answers",
			    (json_int_t)db_col_int(st, 9), "helpful", (json_int_t)db_col_int(st, 10), "can_answer",
			    practice_can_answer(&c->acc, &r->item));
	json_object_set_new(r->json, "url", json_sprintf("/networks/%s/questions/%lld", c->slug, (long long)r->id));
	json_object_set_new(r->json, "answers_one", json_boolean(db_col_int(st, 9) == 1)); /* "1 answer", "2 answers" */
}

/* Load question id: 0, ERR_NOTFOUND when there is none or the person may not see it. */
static int load(struct db *db, const struct practice_ctx *c, int64_t id, struct question_row *r)
{
	memset(r, 0, sizeof(*r));
	struct db_stmt *st = db_stmt(db, &Q_QUESTION);
	if (!st || db_bind_int(st, 1, c->network_id) || db_bind_int(st, 2, id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc < 0 ? rc : ERR_NOTFOUND;
	}
	row_read(st, c, r);
	db_reset(st);
	if (!practice_can_see(&c->acc, &r->item)) {
		json_decref(r->json);
		r->json = NULL;
		return ERR_NOTFOUND;
	}
	return 0;
}

int practice_questions(struct db *db, struct arena *a, const struct practice_ctx *c, json_t **out)
{
	(void)a;
	*out = NULL;
	struct db_stmt *st = db_stmt(db, &Q_QUESTIONS);
	if (!st || db_bind_int(st, 1, c->network_id))
		return ERR_DB;
	json_t *list = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct question_row r;
		row_read(st, c, &r);
		if (practice_can_see(&c->acc, &r.item))
			json_array_append_new(list, r.json);
		else
			json_decref(r.json);
	}
	db_reset(st);
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = json_pack("{sO so sb sb sI sI}", "network", c->network, "questions", list, "empty",
			 json_array_size(list) == 0, "can_ask", practice_can_post(&c->acc), "max",
			 (json_int_t)PRACTICE_QUESTION_MAX, "details_max", (json_int_t)PRACTICE_DETAILS_MAX);
	return 0;
}

int practice_question(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t id, json_t **out)
{
	(void)a;
	*out = NULL;
	struct question_row r;
	int rc = load(db, c, id, &r);
	if (rc)
		return rc;
	bool asker = practice_can_mark_helpful(&c->acc, &r.item);
	struct db_stmt *st = db_stmt(db, &Q_ANSWERS);
	if (!st || db_bind_int(st, 1, id)) {
		json_decref(r.json);
		return ERR_DB;
	}
	json_t *answers = json_array();
	char day[40];
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t author = db_col_int(st, 1);
		bool helpful = db_col_int(st, 3) != 0;
		json_array_append_new(answers, json_pack("{sI ss sb ss ss ss sb}", "id", (json_int_t)db_col_int(st, 0),
							 "text", db_col_text(st, 2), "helpful", helpful, "author",
							 db_col_text(st, 5), "school", db_col_text(st, 6), "posted",
							 day_of(db_col_text(st, 4), day, sizeof(day)), "can_mark",
							 asker && !helpful && author != c->acc.person_id));
	}
	db_reset(st);
	if (rc < 0) {
		json_decref(answers);
		json_decref(r.json);
		return rc;
	}
	json_object_set_new(r.json, "answer_list", answers);
	json_object_set_new(r.json, "is_asker", json_boolean(asker));
	*out = json_pack("{sO so sI}", "network", c->network, "question", r.json, "max", (json_int_t)PRACTICE_ANSWER_MAX);
	return 0;
}

/* Check text (required or not, up to max characters, no Unique Pupil Number) into errors[field]. */
static void check_text(const char *text, bool required, size_t max, const char *field, const char *missing,
		       const char *what, json_t *errors)
{
	size_t n = text ? strlen(text) : 0;
	if (n == 0 && required)
		json_object_set_new(errors, field, json_string(missing));
	else if (n && utf8_len(text, n) > max)
		json_object_set_new(errors, field, json_sprintf("Shorten %s to %zu characters or fewer.", what, max));
	else if (n && practice_text_has_upn(text))
		json_object_set_new(errors, field, json_string("Remove the Unique Pupil Number (a letter and 12 digits): "
							       "Tandem holds no pupil's personal data."));
}

int practice_question_add(struct db *db, struct arena *a, const struct practice_ctx *c, const char *question,
			  const char *details, const char *audience, json_t *errors, int64_t *id)
{
	if (!practice_can_post(&c->acc))
		return ERR_FORBIDDEN;
	check_text(question, true, PRACTICE_QUESTION_MAX, "question", "Write your question.", "the question", errors);
	check_text(details, false, PRACTICE_DETAILS_MAX, "details", "", "the details", errors);
	if (!str_eq(audience, "school") && !str_eq(audience, "network"))
		json_object_set_new(errors, "audience", json_string("Choose whom to ask: your school or the network."));
	if (json_object_size(errors))
		return ERR_INVALID;
	const char *now = net_now_iso(a, clock_now());
	struct db_stmt *st = db_stmt(db, &Q_QUESTION_ADD);
	if (!st || db_bind_int(st, 1, c->network_id) || db_bind_int(st, 2, c->acc.school_urn) ||
	    db_bind_int(st, 3, c->acc.person_id) || db_bind_text(st, 4, audience) || db_bind_text(st, 5, question) ||
	    db_bind_text(st, 6, details ? details : "") || db_bind_text(st, 7, now))
		return ERR_DB;
	int rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return rc;
	*id = db_last_id(db);
	rc = practice_index_put(db, &(struct practice_doc_in){.kind = "question", .item_id = *id,
							      .network_id = c->network_id, .urn = c->acc.school_urn,
							      .author_id = c->acc.person_id, .themes = "",
							      .title = question, .body = details ? details : "",
							      .created_at = now});
	return rc ? rc : practice_index_vis(db, "question", *id, audience, NULL);
}

int practice_answer_add(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t id, const char *text,
			json_t *errors)
{
	struct question_row r;
	int rc = load(db, c, id, &r);
	if (rc)
		return rc;
	json_decref(r.json);
	if (!practice_can_answer(&c->acc, &r.item))
		return ERR_FORBIDDEN;
	check_text(text, true, PRACTICE_ANSWER_MAX, "text", "Write your answer.", "your answer", errors);
	if (json_object_size(errors))
		return ERR_INVALID;
	struct db_stmt *st = db_stmt(db, &Q_ANSWER_ADD);
	if (!st || db_bind_int(st, 1, id) || db_bind_int(st, 2, c->acc.school_urn) ||
	    db_bind_int(st, 3, c->acc.person_id) || db_bind_text(st, 4, text) ||
	    db_bind_text(st, 5, net_now_iso(a, clock_now())))
		return ERR_DB;
	rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int practice_answer_helpful(struct db *db, const struct practice_ctx *c, int64_t id, int64_t answer_id)
{
	struct question_row r;
	int rc = load(db, c, id, &r);
	if (rc)
		return rc;
	json_decref(r.json);
	struct db_stmt *st = db_stmt(db, &Q_ANSWER_ONE);
	if (!st || db_bind_int(st, 1, answer_id) || db_bind_int(st, 2, id))
		return ERR_DB;
	rc = db_step(st);
	int64_t author = rc == DB_ROW ? db_col_int(st, 0) : 0;
	bool helpful = rc == DB_ROW && db_col_int(st, 1) != 0;
	db_reset(st);
	if (rc != DB_ROW)
		return rc < 0 ? rc : ERR_NOTFOUND;
	if (!practice_can_mark_helpful(&c->acc, &r.item) || author == c->acc.person_id)
		return ERR_FORBIDDEN;
	if (helpful)
		return ERR_CONFLICT;
	st = db_stmt(db, &Q_ANSWER_HELPFUL);
	if (!st || db_bind_int(st, 1, answer_id) || db_bind_int(st, 2, id))
		return ERR_DB;
	rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

json_t *practice_current_question(struct db *db, const struct user *u, int64_t network_id, const char *slug)
{
	struct practice_access acc;
	struct arena *a = arena_new();
	if (practice_viewer_access(db, a, u, network_id, &acc)) {
		arena_free(a);
		return NULL;
	}
	struct practice_ctx c = {.network_id = network_id, .slug = slug, .acc = acc};
	struct db_stmt *st = db_stmt(db, &Q_QUESTION_CURRENT);
	json_t *out = NULL;
	if (st && db_bind_int(st, 1, network_id) == 0 &&
	    db_bind_text(st, 2, net_now_iso(a, clock_now() - 7 * 86400)) == 0) {
		int rc;
		while (!out && (rc = db_step(st)) == DB_ROW) {
			struct question_row r;
			row_read(st, &c, &r);
			if (practice_can_see(&acc, &r.item))
				out = r.json;
			else
				json_decref(r.json);
		}
		db_reset(st);
	}
	arena_free(a);
	return out;
}

json_t *practice_questions_export(struct db *db, int64_t person_id)
{
	json_t *out = json_object();
	struct db_stmt *st = db_stmt(db, &Q_EXPORT_QUESTIONS);
	if (st && db_bind_int(st, 1, person_id) == 0)
		json_object_set_new(out, "questions", db_rows_json(st));
	st = db_stmt(db, &Q_EXPORT_ANSWERS);
	if (st && db_bind_int(st, 1, person_id) == 0)
		json_object_set_new(out, "answers", db_rows_json(st));
	return out;
}
