// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * demo_casestudy.c — the case studies and "we tried this" part of `tandem
 * demo` (called by networks/demo.c): two case studies in the Aire Valley
 * network by Weetwood Primary's member of staff, one of them (reading
 * volunteers) with what did not work as the heart of it, each shared with
 * the network by Weetwood's lead; and "we tried this" records from Adel
 * Primary and Lawnswood School, some already answered. It acts as the demo
 * people through the same model functions as the pages, so the demo
 * exercises the real rules, and adds no account. Once the network has a
 * case study it does nothing, so running the demo again changes nothing.
 */
#include "app/practice/casestudy.h"

#include <stdio.h>
#include <string.h>

#include "app/networks/net.h"
#include "core/arena.h"
#include "db/db.h"

DB_QUERY(Q_DEMO_CASE_COUNT, "SELECT COUNT(*) FROM practice_case WHERE network_id = ?");
DB_QUERY(Q_DEMO_CASE_PERSON, "SELECT id, name, COALESCE(school_urn, 0), school_role FROM person WHERE email = ?");

/* The demo people who write, approve and try. */
#define WEETWOOD_STAFF "staff.weetwood@tandem.example"
#define WEETWOOD_LEAD "lead.weetwood@tandem.example"
#define ADEL_LEAD "lead.adel@tandem.example"
#define LAWNSWOOD_LEAD "lead.lawnswood@tandem.example"

/* The demo person with email as a signed-in user (strings in the arena): 0, or ERR_NOTFOUND. */
static int demo_user(struct db *db, struct arena *a, const char *email, struct user *u)
{
	memset(u, 0, sizeof(*u));
	struct db_stmt *st = db_stmt(db, &Q_DEMO_CASE_PERSON);
	if (!st || db_bind_text(st, 1, email))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		u->id = db_col_int(st, 0);
		u->email = arena_strdup(a, email);
		u->name = arena_strdup(a, db_col_text(st, 1));
		u->school_urn = db_col_int(st, 2);
		if (school_role_parse(db_col_text(st, 3), &u->role))
			u->role = SCHOOL_ROLE_NONE;
	}
	db_reset(st);
	return rc == DB_ROW ? 0 : rc < 0 ? rc : ERR_NOTFOUND;
}

/* Open the network as the demo person with email into c. */
static int as(struct db *db, struct arena *a, const char *slug, const char *email, struct practice_ctx *c)
{
	struct user u;
	int rc = demo_user(db, a, email, &u);
	if (rc)
		return rc;
	return practice_open(db, a, &u, slug, c);
}

/* Write case study in as author, then have lead share it with the network: *id. */
static int demo_case(struct db *db, struct arena *a, const char *slug, const char *author, const char *lead,
		     const struct practice_case_in *in, int64_t *id)
{
	struct practice_ctx c;
	int rc = as(db, a, slug, author, &c);
	if (rc)
		return rc;
	json_t *errors = json_object();
	rc = practice_case_add(db, a, &c, in, errors, id);
	if (rc == ERR_INVALID)
		fprintf(stderr, "tandem demo: a case study was refused: %s\n",
			json_string_value(json_object_iter_value(json_object_iter(errors))));
	json_decref(errors);
	if (!rc)
		rc = practice_case_widen(db, &c, *id, PRACTICE_VIS_NETWORK);
	practice_close(&c);
	if (rc || (rc = as(db, a, slug, lead, &c)))
		return rc;
	rc = practice_case_decide(db, &c, *id, true);
	practice_close(&c);
	return rc;
}

/* The demo person with email tries case study id; with outcome (NULL: still trying) and note. */
static int demo_try(struct db *db, struct arena *a, const char *slug, const char *email, int64_t id,
		    const char *outcome, const char *note)
{
	struct practice_ctx c;
	int rc = as(db, a, slug, email, &c);
	if (rc)
		return rc;
	json_t *errors = json_object();
	rc = practice_tried_add(db, a, &c, "case", id, errors);
	json_t *mine = NULL;
	if (!rc && outcome && (rc = practice_tried_list(db, a, &c, &mine)) == 0) {
		json_t *first = json_array_get(json_object_get(mine, "tries"), 0);
		rc = practice_tried_answer(db, a, &c, json_integer_value(json_object_get(first, "id")), outcome, note,
					   errors);
	}
	json_decref(mine);
	json_decref(errors);
	practice_close(&c);
	return rc;
}

/* Weetwood's case study: talk partners. */
static const struct practice_measure_in weetwood_measures[] = {
	{"Pupils answering in full sentences in observed lessons", "31%", "64%",
	 "Three observed lessons a week in Years 3 and 4, same observers", 1},
	{"Pupils who say they like speaking in class", "42%", "59%", "Pupil voice survey, autumn and summer", 2},
};

/* The second case study: a reading volunteer scheme, with what did not work to the fore. */
static const struct practice_measure_in volunteer_measures[] = {
	{"Year 2 pupils reading at the expected standard", "58%", "61%", "Teacher assessment, end of each term", 1},
	{"Reading sessions that happened as planned", "—", "46%", "Volunteer sign-in sheets", 2},
};

int practice_case_demo(struct db *db, struct arena *a, int64_t network_id, const char *slug)
{
	struct db_stmt *st = db_stmt(db, &Q_DEMO_CASE_COUNT);
	if (!st || db_bind_int(st, 1, network_id))
		return ERR_DB;
	int rc = db_step(st);
	int64_t n = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	if (rc < 0)
		return rc;
	if (n > 0)
		return 0;
	static const char *const curriculum[] = {"curriculum"};
	static const char *const reading[] = {"reading"};
	struct practice_case_in weetwood = {
		.title = "Talk partners in Years 3 and 4",
		.challenge = "Pupils rarely answered in full sentences, and a few voices did most of the talking.",
		.what_we_did = "Two-minute talk partners at the start of every lesson, with sentence stems on the "
			       "table and a 'no hands up' rule for the first answer.",
		.did_not_work = "Changing partners every week: pupils spent the two minutes settling in rather than "
				"talking. Stems on the board at the front were ignored; on the table they were used.",
		.differently = "Keep partners for a half term, and train teaching assistants in the stems first.",
		.time_cost = "Two staff meetings and laminated stems (about £40).",
		.contact = "Sam Staff, Weetwood Primary",
		.licence = "cc_by",
		.themes = curriculum,
		.n_themes = 1,
		.measures = weetwood_measures,
		.n_measures = 2,
	};
	struct practice_case_in volunteers = {
		.title = "Reading volunteers: what we learnt when it did not go to plan",
		.challenge = "Too few Year 2 pupils were reading at the expected standard, and few read at home.",
		.what_we_did = "Parents and local volunteers heard readers three mornings a week.",
		.did_not_work = "Fewer than half the sessions happened: volunteers could not come every week, and "
				"morning sessions clashed with phonics. Pupils were taken out of the lesson they most "
				"needed. The small rise in the standard is within the usual year-to-year change, so we "
				"cannot say the scheme caused it.",
		.differently = "Fewer, trained volunteers at a fixed time after lunch, and a check after six weeks "
			       "rather than at the end of the year.",
		.time_cost = "Half a day a week of a teaching assistant's time to organise; DBS checks.",
		.contact = "Sam Staff, Weetwood Primary",
		.licence = "cc_by_nc_sa",
		.themes = reading,
		.n_themes = 1,
		.measures = volunteer_measures,
		.n_measures = 2,
	};
	int64_t wid = 0, vid = 0;
	if ((rc = demo_case(db, a, slug, WEETWOOD_STAFF, WEETWOOD_LEAD, &weetwood, &wid)) ||
	    (rc = demo_case(db, a, slug, WEETWOOD_STAFF, WEETWOOD_LEAD, &volunteers, &vid)))
		return rc;
	if ((rc = demo_try(db, a, slug, ADEL_LEAD, wid, "worked",
			   "Our Year 4 took to it at once; we kept partners for a half term as you suggest.")) ||
	    (rc = demo_try(db, a, slug, LAWNSWOOD_LEAD, wid, "partly",
			   "Worked in Year 7 English; harder in practical subjects.")) ||
	    (rc = demo_try(db, a, slug, ADEL_LEAD, vid, NULL, NULL)) ||
	    (rc = demo_try(db, a, slug, LAWNSWOOD_LEAD, vid, "not",
			   "Our volunteers could not come regularly either: we stopped after a term.")))
		return rc;
	printf("Case studies: 2, with 4 \"we tried this\" records from Adel and Lawnswood\n");
	return 0;
}
