// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * questions.c — each network's feedback questions (issue 13, item 7). A
 * network that has changed nothing asks the five default questions, which
 * follow Guskey's levels of evaluating professional development (numbers 0
 * to 4); the first change a coordinator or steering member makes writes
 * those five down as rows (migration 015) and then applies the change, in
 * one transaction. A question is a 1-5 scale or free text, evaluates one of
 * Guskey's five levels, and has a number that answers point at
 * (feedback_answer.question) and that is never reused: the network's own
 * questions are numbered from 10. Questions are reordered, reworded and
 * retired, never deleted, so answers already given keep their question and
 * the results show them; a question people have answered keeps its kind.
 */
#include "app/programme/prog.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

/* The first number of a network's own questions (the defaults are 0 to 4). */
#define QUESTION_FIRST_OWN 10

const struct prog_question prog_default_questions[] = {
	{0, "useful", true, 1, "How useful was the session for your work? (1 not at all, 5 very)", false},
	{1, "learnt", false, 2, "What did you learn?", false},
	{2, "try", false, 4, "What will you try in your classroom or school?", false},
	{3, "confidence", true, 4, "How confident are you to put it into practice? (1 not at all, 5 very)", false},
	{4, "support", false, 3, "What support will you need back at school to make it stick?", false},
	{0, NULL, false, 0, NULL, false},
};

const char *const prog_question_kinds[] = {"scale", "text", NULL};

/* Guskey's five levels, 1 to 5. */
static const char *const level_labels[] = {
	"",
	"1. Reactions: what people thought of it",
	"2. Learning: what people learnt",
	"3. Organisational support and change",
	"4. Use of new knowledge and skills",
	"5. Pupils' learning outcomes",
};

DB_QUERY(Q_FQ_LIST,
	 "SELECT number, kind, level, text, retired_at FROM feedback_question WHERE network_id = ? "
	 "ORDER BY position, number");
DB_QUERY(Q_FQ_COUNT, "SELECT COUNT(*) FROM feedback_question WHERE network_id = ?");
DB_QUERY(Q_FQ_INSERT,
	 "INSERT INTO feedback_question (network_id, number, position, kind, level, text, created_at, updated_at) "
	 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)");
DB_QUERY(Q_FQ_NEXT,
	 "SELECT COALESCE(MAX(number), 0) + 1, COALESCE(MAX(position), 0) + 1 FROM feedback_question "
	 "WHERE network_id = ?");
DB_QUERY(Q_FQ_UPDATE,
	 "UPDATE feedback_question SET kind = ?3, level = ?4, text = ?5, updated_at = ?6 "
	 "WHERE network_id = ?1 AND number = ?2");
DB_QUERY(Q_FQ_RETIRE,
	 "UPDATE feedback_question SET retired_at = ?3, updated_at = ?4 WHERE network_id = ?1 AND number = ?2");
DB_QUERY(Q_FQ_POSITION,
	 "UPDATE feedback_question SET position = ?3, updated_at = ?4 WHERE network_id = ?1 AND number = ?2");
DB_QUERY(Q_FQ_ANSWERED,
	 "SELECT a.question, COUNT(*) FROM feedback_answer a JOIN feedback_response r ON r.id = a.response_id "
	 "JOIN course_session s ON s.id = r.session_id JOIN course c ON c.id = s.course_id "
	 "WHERE c.network_id = ? GROUP BY a.question");

const char *prog_question_level_label(int64_t level)
{
	return level >= 1 && level <= 5 ? level_labels[level] : "";
}

int prog_questions_load(struct db *db, struct arena *a, int64_t network_id, bool retired_too,
			struct prog_question **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_stmt(db, &Q_FQ_LIST);
	if (!st || db_bind_int(st, 1, network_id))
		return ERR_DB;
	json_t *rows = db_rows_json(st);
	if (!rows)
		return ERR_DB;
	size_t cap = json_array_size(rows) ? json_array_size(rows) : sizeof(prog_default_questions) /
										      sizeof(prog_default_questions[0]);
	struct prog_question *qs = arena_calloc(a, cap, sizeof(*qs));
	if (!json_array_size(rows)) {
		for (const struct prog_question *d = prog_default_questions; d->key; d++)
			qs[(*n)++] = *d;
	}
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		bool retired = json_is_string(json_object_get(r, "retired_at"));
		if (retired && !retired_too)
			continue;
		struct prog_question *q = &qs[(*n)++];
		q->number = json_integer_value(json_object_get(r, "number"));
		q->key = q->number < QUESTION_FIRST_OWN && q->number >= 0 && q->number < 5
				 ? prog_default_questions[q->number].key
				 : arena_printf(a, "%lld", (long long)q->number);
		q->scale = str_eq(json_string_value(json_object_get(r, "kind")), "scale");
		q->level = (int)json_integer_value(json_object_get(r, "level"));
		q->text = arena_strdup(a, json_string_value(json_object_get(r, "text")));
		q->retired = retired;
	}
	json_decref(rows);
	*out = qs;
	return 0;
}

/* How many answers each question number of the network has: a new object {"<number>": count}, or NULL. */
static json_t *answered(struct db *db, int64_t network_id)
{
	struct db_stmt *st = db_stmt(db, &Q_FQ_ANSWERED);
	if (!st || db_bind_int(st, 1, network_id))
		return NULL;
	json_t *counts = json_object();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		char key[24];
		snprintf(key, sizeof(key), "%lld", (long long)db_col_int(st, 0));
		json_object_set_new(counts, key, json_integer(db_col_int(st, 1)));
	}
	db_reset(st);
	if (rc < 0) {
		json_decref(counts);
		return NULL;
	}
	return counts;
}

/* The number of answers question number has in counts. */
static int64_t count_of(json_t *counts, int64_t number)
{
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)number);
	return json_integer_value(json_object_get(counts, key));
}

int prog_questions_json(struct db *db, struct arena *a, const struct prog_access *acc, json_t **out)
{
	*out = NULL;
	if (!prog_policy_questions_edit(acc))
		return prog_policy_programme_read(acc) ? ERR_FORBIDDEN : ERR_NOTFOUND;
	struct prog_question *qs;
	size_t n;
	int rc = prog_questions_load(db, a, acc->network_id, true, &qs, &n);
	if (rc)
		return rc;
	json_t *counts = answered(db, acc->network_id);
	if (!counts)
		return ERR_DB;
	size_t active = 0, seen = 0;
	for (size_t i = 0; i < n; i++)
		active += !qs[i].retired;
	json_t *list = json_array(), *retired = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct prog_question *q = &qs[i];
		json_t *j = json_pack("{s:I, s:s, s:s, s:b, s:i, s:s, s:s, s:b, s:I}", "number", (json_int_t)q->number,
				      "key", q->key, "kind", q->scale ? "scale" : "text", "scale", q->scale, "level",
				      q->level, "level_label", prog_question_level_label(q->level), "text", q->text,
				      "retired", q->retired, "answers", (json_int_t)count_of(counts, q->number));
		json_object_set_new(j, "answers_one", json_boolean(count_of(counts, q->number) == 1));
		if (q->retired) {
			json_array_append_new(retired, j);
			continue;
		}
		json_object_set_new(j, "first", json_boolean(seen == 0));
		json_object_set_new(j, "last", json_boolean(seen + 1 == active));
		json_object_set_new(j, "only", json_boolean(active == 1));
		seen++;
		json_array_append_new(list, j);
	}
	json_decref(counts);
	json_t *levels = json_array();
	for (int l = 1; l <= 5; l++)
		json_array_append_new(levels, json_pack("{s:i, s:s}", "value", l, "label", level_labels[l]));
	*out = json_pack("{s:o, s:o, s:o, s:i, s:b}", "questions", list, "retired", retired, "levels", levels, "most",
			 PROG_QUESTIONS_MAX, "full", active >= PROG_QUESTIONS_MAX);
	return 0;
}

/* Write the defaults down as rows when the network has none yet (inside a transaction). */
static int materialise(struct db *db, struct arena *a, int64_t network_id, const char *now)
{
	struct db_stmt *st = db_stmt(db, &Q_FQ_COUNT);
	if (!st || db_bind_int(st, 1, network_id))
		return ERR_DB;
	int rc = db_step(st);
	int64_t have = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	if (rc < 0)
		return rc;
	(void)a;
	for (const struct prog_question *d = prog_default_questions; have == 0 && d->key; d++) {
		st = db_stmt(db, &Q_FQ_INSERT);
		if (!st || db_bind_int(st, 1, network_id) || db_bind_int(st, 2, d->number) ||
		    db_bind_int(st, 3, d->number) || db_bind_text(st, 4, d->scale ? "scale" : "text") ||
		    db_bind_int(st, 5, d->level) || db_bind_text(st, 6, d->text) || db_bind_text(st, 7, now))
			return ERR_DB;
		if ((rc = prog_run(st)))
			return rc;
	}
	return 0;
}

/* Check what is typed into the question form; the cleaned text or NULL with errors. */
static const char *check_in(struct arena *a, const struct prog_question_in *in, json_t *errors)
{
	const char *text = prog_clean(a, in->text, PROG_QUESTION_MAX, true, "text", "question", errors);
	if (text && utf8_len(text, strlen(text)) < 3)
		json_object_set_new(errors, "text", json_string("Write the question in 3 characters or more"));
	if (!in->kind || (!str_eq(in->kind, "scale") && !str_eq(in->kind, "text")))
		json_object_set_new(errors, "kind", json_string("Choose a 1 to 5 scale or free text"));
	if (in->level < 1 || in->level > 5)
		json_object_set_new(errors, "level", json_string("Choose the level, from 1 to 5, the question evaluates"));
	return json_object_size(errors) ? NULL : text;
}

/* The network's questions, retired too, into *qs and *n; the index of number in *at (-1 when none). */
static int find(struct db *db, struct arena *a, int64_t network_id, int64_t number, struct prog_question **qs,
		size_t *n, long *at)
{
	int rc = prog_questions_load(db, a, network_id, true, qs, n);
	*at = -1;
	for (size_t i = 0; rc == 0 && i < *n; i++)
		if ((*qs)[i].number == number)
			*at = (long)i;
	return rc;
}

/* How many of the n questions are still asked. */
static size_t active_count(const struct prog_question *qs, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += !qs[i].retired;
	return k;
}

int prog_question_add(struct db *db, struct arena *a, const struct prog_access *acc,
		      const struct prog_question_in *in, int64_t now, json_t *errors)
{
	if (!prog_policy_questions_edit(acc))
		return prog_policy_programme_read(acc) ? ERR_FORBIDDEN : ERR_NOTFOUND;
	const char *text = check_in(a, in, errors);
	if (!text)
		return ERR_INVALID;
	const char *when = prog_iso(a, now);
	int rc = db_begin(db);
	if (rc)
		return rc;
	struct prog_question *qs;
	size_t n;
	if ((rc = materialise(db, a, acc->network_id, when)) == 0 &&
	    (rc = prog_questions_load(db, a, acc->network_id, false, &qs, &n)) == 0 && n >= PROG_QUESTIONS_MAX) {
		json_object_set_new(errors, "text",
				    json_sprintf("A survey asks at most %d questions: retire one before adding another",
						 PROG_QUESTIONS_MAX));
		rc = ERR_CONFLICT;
	}
	int64_t number = 0, position = 0;
	struct db_stmt *st = rc ? NULL : db_stmt(db, &Q_FQ_NEXT);
	if (rc == 0 && (!st || db_bind_int(st, 1, acc->network_id)))
		rc = ERR_DB;
	else if (rc == 0) {
		int s = db_step(st);
		if (s == DB_ROW) {
			number = db_col_int(st, 0);
			position = db_col_int(st, 1);
		}
		db_reset(st);
		rc = s == DB_ROW ? 0 : s < 0 ? s : ERR_DB;
	}
	if (number < QUESTION_FIRST_OWN)
		number = QUESTION_FIRST_OWN;
	st = rc ? NULL : db_stmt(db, &Q_FQ_INSERT);
	if (rc == 0 && (!st || db_bind_int(st, 1, acc->network_id) || db_bind_int(st, 2, number) ||
			db_bind_int(st, 3, position) || db_bind_text(st, 4, in->kind) || db_bind_int(st, 5, in->level) ||
			db_bind_text(st, 6, text) || db_bind_text(st, 7, when)))
		rc = ERR_DB;
	else if (rc == 0)
		rc = prog_run(st);
	return prog_finish(db, rc);
}

int prog_question_edit(struct db *db, struct arena *a, const struct prog_access *acc, int64_t number,
		       const struct prog_question_in *in, int64_t now, json_t *errors)
{
	if (!prog_policy_questions_edit(acc))
		return prog_policy_programme_read(acc) ? ERR_FORBIDDEN : ERR_NOTFOUND;
	struct prog_question *qs;
	size_t n;
	long at;
	int rc = find(db, a, acc->network_id, number, &qs, &n, &at);
	if (rc)
		return rc;
	if (at < 0)
		return ERR_NOTFOUND;
	const char *text = check_in(a, in, errors);
	if (!text)
		return ERR_INVALID;
	if (qs[at].scale != str_eq(in->kind, "scale")) {
		json_t *counts = answered(db, acc->network_id);
		if (!counts)
			return ERR_DB;
		int64_t k = count_of(counts, number);
		json_decref(counts);
		if (k > 0) {
			json_object_set_new(errors, "kind",
					    json_sprintf("People have already answered this question as %s (%lld "
							 "answers), so its kind stays: retire it and add a new question "
							 "instead",
							 qs[at].scale ? "a 1 to 5 scale" : "free text", (long long)k));
			return ERR_CONFLICT;
		}
	}
	const char *when = prog_iso(a, now);
	if ((rc = db_begin(db)))
		return rc;
	rc = materialise(db, a, acc->network_id, when);
	struct db_stmt *st = rc ? NULL : db_stmt(db, &Q_FQ_UPDATE);
	if (rc == 0 && (!st || db_bind_int(st, 1, acc->network_id) || db_bind_int(st, 2, number) ||
			db_bind_text(st, 3, in->kind) || db_bind_int(st, 4, in->level) || db_bind_text(st, 5, text) ||
			db_bind_text(st, 6, when)))
		rc = ERR_DB;
	else if (rc == 0)
		rc = prog_run(st);
	return prog_finish(db, rc);
}

int prog_question_retire(struct db *db, struct arena *a, const struct prog_access *acc, int64_t number, bool retire,
			 int64_t now, json_t *errors)
{
	if (!prog_policy_questions_edit(acc))
		return prog_policy_programme_read(acc) ? ERR_FORBIDDEN : ERR_NOTFOUND;
	struct prog_question *qs;
	size_t n;
	long at;
	int rc = find(db, a, acc->network_id, number, &qs, &n, &at);
	if (rc)
		return rc;
	if (at < 0)
		return ERR_NOTFOUND;
	size_t active = active_count(qs, n);
	if (retire && !qs[at].retired && active <= 1) {
		json_object_set_new(errors, "question",
				    json_string("This is the survey's only question: add another before retiring it"));
		return ERR_CONFLICT;
	}
	if (!retire && qs[at].retired && active >= PROG_QUESTIONS_MAX) {
		json_object_set_new(errors, "question",
				    json_sprintf("A survey asks at most %d questions: retire one before bringing this "
						 "one back",
						 PROG_QUESTIONS_MAX));
		return ERR_CONFLICT;
	}
	if (qs[at].retired == retire)
		return 0;
	const char *when = prog_iso(a, now);
	if ((rc = db_begin(db)))
		return rc;
	rc = materialise(db, a, acc->network_id, when);
	struct db_stmt *st = rc ? NULL : db_stmt(db, &Q_FQ_RETIRE);
	if (rc == 0 && (!st || db_bind_int(st, 1, acc->network_id) || db_bind_int(st, 2, number) ||
			(retire ? db_bind_text(st, 3, when) : db_bind_null(st, 3)) || db_bind_text(st, 4, when)))
		rc = ERR_DB;
	else if (rc == 0)
		rc = prog_run(st);
	return prog_finish(db, rc);
}

/* Set question number's position (inside a transaction). */
static int place_at(struct db *db, int64_t network_id, int64_t number, int64_t position, const char *when)
{
	struct db_stmt *st = db_stmt(db, &Q_FQ_POSITION);
	if (!st || db_bind_int(st, 1, network_id) || db_bind_int(st, 2, number) || db_bind_int(st, 3, position) ||
	    db_bind_text(st, 4, when))
		return ERR_DB;
	return prog_run(st);
}

int prog_question_move(struct db *db, struct arena *a, const struct prog_access *acc, int64_t number, bool up,
		       int64_t now, json_t *errors)
{
	if (!prog_policy_questions_edit(acc))
		return prog_policy_programme_read(acc) ? ERR_FORBIDDEN : ERR_NOTFOUND;
	struct prog_question *all;
	size_t n;
	long at;
	int rc = find(db, a, acc->network_id, number, &all, &n, &at);
	if (rc)
		return rc;
	if (at < 0)
		return ERR_NOTFOUND;
	if (all[at].retired) {
		json_object_set_new(errors, "question",
				    json_string("This question is retired: bring it back before moving it"));
		return ERR_CONFLICT;
	}
	/* The asked questions in order, and the neighbour to swap with. */
	long other = -1;
	if (up) {
		for (long i = at - 1; i >= 0 && other < 0; i--)
			if (!all[i].retired)
				other = i;
	} else {
		for (long i = at + 1; i < (long)n && other < 0; i++)
			if (!all[i].retired)
				other = i;
	}
	if (other < 0)
		return 0; /* already first (or last): nothing to change */
	const char *when = prog_iso(a, now);
	if ((rc = db_begin(db)))
		return rc;
	rc = materialise(db, a, acc->network_id, when);
	/* Renumber positions in the new order, so equal or old positions cannot tie. */
	for (long i = 0; rc == 0 && i < (long)n; i++) {
		long pick = i == at ? other : i == other ? at : i;
		rc = place_at(db, acc->network_id, all[pick].number, i, when);
	}
	return prog_finish(db, rc);
}
