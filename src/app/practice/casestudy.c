// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * casestudy.c — case studies' rules and all their SQL: writing one (with
 * the school's context copied from the register and several measures of
 * impact on pupils), reading one and the list, changing one (its author;
 * a draft becomes finished), widening to the network with the school
 * lead's approval and narrowing again, and making a draft from a closed
 * partnership. Every read of a case study goes through load_case and
 * practice_can_see (policy.c), like ideas and articles, so the list, the
 * page and its JSON cannot disagree.
 */
#include "app/practice/casestudy.h"
#include "app/practice/search.h"

#include <stdio.h>
#include <string.h>

#include "app/networks/net.h"
#include "app/partnerships/closing.h"
#include "app/partnerships/policy.h"
#include "app/partnerships/ps.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

#define CASE_COLUMNS                                                                                         \
	"SELECT c.id, c.urn, COALESCE(c.author_id, 0), c.title, c.visibility, COALESCE(c.requested, ''), "   \
	"c.created_at, c.draft, COALESCE(p.name, 'A former member'), COALESCE(s.name, ''), c.phase, "        \
	"c.pupils, c.fsm_pct, c.challenge, c.what_we_did, c.did_not_work, c.differently, c.time_cost, "      \
	"c.contact, c.themes, c.licence, COALESCE(c.partnership_id, 0) "                                     \
	"FROM practice_case c LEFT JOIN person p ON p.id = c.author_id LEFT JOIN school s ON s.urn = c.urn "

DB_QUERY(Q_CASES, CASE_COLUMNS "WHERE c.network_id = ? ORDER BY c.created_at DESC, c.id DESC");
DB_QUERY(Q_CASE, CASE_COLUMNS "WHERE c.network_id = ? AND c.id = ?");
DB_QUERY(Q_CASE_MEASURES, "SELECT position, name, baseline, result, method FROM practice_case_measure "
			  "WHERE case_id = ? ORDER BY position");
DB_QUERY(Q_CASE_ADD,
	 "INSERT INTO practice_case (network_id, urn, author_id, partnership_id, title, phase, pupils, fsm_pct, "
	 "challenge, what_we_did, did_not_work, differently, time_cost, contact, themes, licence, draft, "
	 "visibility, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'school', ?, ?)");
DB_QUERY(Q_CASE_UPDATE,
	 "UPDATE practice_case SET title = ?, challenge = ?, what_we_did = ?, did_not_work = ?, differently = ?, "
	 "time_cost = ?, contact = ?, themes = ?, licence = ?, draft = 0, updated_at = ? WHERE id = ? AND network_id = ?");
DB_QUERY(Q_CASE_MEASURES_DEL, "DELETE FROM practice_case_measure WHERE case_id = ?");
DB_QUERY(Q_CASE_MEASURE_ADD, "INSERT INTO practice_case_measure (case_id, position, name, baseline, result, method) "
			     "VALUES (?, ?, ?, ?, ?, ?)");
DB_QUERY(Q_CASE_SET_VIS,
	 "UPDATE practice_case SET visibility = ?, requested = NULLIF(?, '') WHERE id = ? AND network_id = ?");
DB_QUERY(Q_CASE_CONTEXT, "SELECT COALESCE(phase_name, ''), pupils, fsm_pct FROM school WHERE urn = ?");
DB_QUERY(Q_CASE_PS_PURPOSE,
	 "SELECT title, type, challenge, outcomes, themes, licence, COALESCE(starts_on, ''), COALESCE(ends_on, ''), "
	 "closing_reflection FROM partnership WHERE id = ?");
DB_QUERY(Q_CASE_PS_MEASURES,
	 "SELECT m.name, m.unit, m.baseline, m.target, m.method, "
	 "(SELECT v.value FROM evidence_value v WHERE v.measure_id = m.id ORDER BY v.measured_on DESC, v.id DESC LIMIT 1) "
	 "FROM partnership_measure m WHERE m.partnership_id = ? ORDER BY m.id");
DB_QUERY(Q_CASE_PS_REFLECTIONS,
	 "SELECT worked, did_not_work FROM reflection WHERE partnership_id = ? ORDER BY created_at, id");
DB_QUERY(Q_CASE_EXPORT,
	 "SELECT c.id, n.slug AS network, c.title, c.challenge, c.what_we_did, c.did_not_work, c.differently, "
	 "c.time_cost, c.contact, c.themes, c.licence, c.draft, c.visibility, c.created_at, c.updated_at "
	 "FROM practice_case c JOIN network n ON n.id = c.network_id WHERE c.author_id = ? ORDER BY c.id");
DB_QUERY(Q_CASE_EXPORT_MEASURES,
	 "SELECT m.case_id, m.position, m.name, m.baseline, m.result, m.method FROM practice_case_measure m "
	 "JOIN practice_case c ON c.id = m.case_id WHERE c.author_id = ? ORDER BY m.case_id, m.position");
DB_QUERY(Q_CASE_PS_SCHOOLS,
	 "SELECT COALESCE(s.name, '') FROM partnership_school x LEFT JOIN school s ON s.urn = x.urn "
	 "WHERE x.partnership_id = ? ORDER BY s.name");

const char *const practice_licences[] = {"cc_by", "cc_by_nc_sa", "members", NULL};
/* What each licence is called, in the order of practice_licences. */
static const char *const licence_labels[] = {"CC BY 4.0", "CC BY-NC-SA 4.0", "Members of the network only"};

/* The label of licence l ("cc_by" …). */
static const char *licence_label(const char *l)
{
	for (int i = 0; practice_licences[i]; i++)
		if (l && strcmp(l, practice_licences[i]) == 0)
			return licence_labels[i];
	return licence_labels[0];
}

/* One case study as read: its facts for the policy, its JSON, whether it is a draft. */
struct case_row {
	int64_t id;                /* practice_case.id */
	struct practice_item item; /* the facts for policy.c */
	bool draft;                /* made from a partnership and not yet checked by its author */
	json_t *json;              /* the case study as pages show it (owned) */
};

/* The school's context as JSON {phase, pupils, fsm} from the columns at col (phase, pupils, fsm_pct). */
static json_t *context_json(struct db_stmt *st, int col)
{
	json_t *ctx = json_pack("{ss}", "phase", db_col_text(st, col));
	if (!db_col_is_null(st, col + 1))
		json_object_set_new(ctx, "pupils", json_integer(db_col_int(st, col + 1)));
	if (!db_col_is_null(st, col + 2)) {
		char pct[32];
		snprintf(pct, sizeof(pct), "%.1f%%", db_col_double(st, col + 2));
		json_object_set_new(ctx, "fsm", json_string(pct));
	}
	return ctx;
}

/* The theme lines of text as a JSON array of strings. */
static json_t *theme_list(const char *text)
{
	json_t *list = json_array();
	const char *p = text ? text : "";
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n)
			json_array_append_new(list, json_stringn(p, n));
		p += n + (e ? 1 : 0);
	}
	return list;
}

/* Read the case study row st is on into r. */
static void case_read(struct db_stmt *st, struct arena *a, const struct practice_ctx *c, struct case_row *r)
{
	r->id = db_col_int(st, 0);
	r->draft = db_col_int(st, 7) != 0;
	r->item = practice_item_of(db_col_int(st, 2), db_col_int(st, 1), db_col_text(st, 4), db_col_text(st, 5), false,
				   r->draft);
	enum practice_vis vis = r->item.vis;
	int64_t t = 0;
	char day[40] = "";
	if (clock_parse_iso(db_col_text(st, 6), &t) == 0)
		clock_format_day(t, true, day, sizeof(day));
	bool editable = practice_can_edit(&c->acc, &r->item);
	r->json = json_pack("{sI sI ss ss ss ss ss ss sb sb sb}", "id", (json_int_t)r->id, "urn", (json_int_t)r->item.urn,
			    "title", db_col_text(st, 3), "author", db_col_text(st, 8), "school", db_col_text(st, 9),
			    "visibility", practice_vis_name(vis), "posted", day, "posted_at", arena_strdup(a, db_col_text(st, 6)),
			    "draft", r->draft, "widening_requested", practice_widening_asked(&r->item), "is_network",
			    vis == PRACTICE_VIS_NETWORK);
	json_object_set_new(r->json, "context", context_json(st, 10));
	json_object_set_new(r->json, "challenge", json_string(db_col_text(st, 13)));
	json_object_set_new(r->json, "what_we_did", json_string(db_col_text(st, 14)));
	json_object_set_new(r->json, "did_not_work", json_string(db_col_text(st, 15)));
	json_object_set_new(r->json, "differently", json_string(db_col_text(st, 16)));
	json_object_set_new(r->json, "time_cost", json_string(db_col_text(st, 17)));
	json_object_set_new(r->json, "contact", json_string(db_col_text(st, 18)));
	json_t *themes = theme_list(db_col_text(st, 19));
	json_object_set_new(r->json, "has_themes", json_boolean(json_array_size(themes) > 0));
	json_object_set_new(r->json, "themes", themes);
	json_object_set_new(r->json, "licence", json_string(db_col_text(st, 20)));
	json_object_set_new(r->json, "licence_label", json_string(licence_label(db_col_text(st, 20))));
	json_object_set_new(r->json, "members_only", json_boolean(strcmp(db_col_text(st, 20), "members") == 0));
	json_object_set_new(r->json, "partnership_id", json_integer(db_col_int(st, 21)));
	json_object_set_new(r->json, "can_edit", json_boolean(editable));
	json_object_set_new(r->json, "can_widen",
			    json_boolean(practice_can_request_widening(&c->acc, &r->item, PRACTICE_VIS_NETWORK)));
	json_object_set_new(r->json, "can_narrow",
			    json_boolean(practice_can_narrow(&c->acc, &r->item, PRACTICE_VIS_SCHOOL)));
	json_object_set_new(r->json, "can_decide", json_boolean(practice_can_decide_widening(&c->acc, &r->item)));
	json_object_set_new(r->json, "can_try", json_boolean(practice_can_try(&c->acc, &r->item)));
	practice_vis_json(r->json, &c->acc, &r->item);
	json_object_set_new(r->json, "kind", json_string("case"));
	json_object_set_new(r->json, "url", json_sprintf("/networks/%s/cases/%lld", c->slug, (long long)r->id));
}

/* The measures of case study id as a JSON array (new reference in *out). */
static int case_measures(struct db *db, int64_t id, json_t **out)
{
	*out = json_array();
	struct db_stmt *st = db_stmt(db, &Q_CASE_MEASURES);
	if (!st || db_bind_int(st, 1, id))
		return ERR_DB;
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(*out, json_pack("{sI ss ss ss ss}", "row", (json_int_t)db_col_int(st, 0), "name",
						      db_col_text(st, 1), "baseline", db_col_text(st, 2), "result",
						      db_col_text(st, 3), "method", db_col_text(st, 4)));
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Load case study id of the network: ERR_NOTFOUND when there is none or the person may not see it. */
static int load_case(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t id, struct case_row *r)
{
	memset(r, 0, sizeof(*r));
	struct db_stmt *st = db_stmt(db, &Q_CASE);
	if (!st || db_bind_int(st, 1, c->network_id) || db_bind_int(st, 2, id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc < 0 ? rc : ERR_NOTFOUND;
	}
	case_read(st, a, c, r);
	db_reset(st);
	if (!practice_can_see(&c->acc, &r->item)) {
		json_decref(r->json);
		r->json = NULL;
		return ERR_NOTFOUND;
	}
	return 0;
}

/* The context of school urn from the register: {phase, pupils, fsm} (new reference; empty when unknown). */
static json_t *school_context(struct db *db, int64_t urn)
{
	struct db_stmt *st = db_stmt(db, &Q_CASE_CONTEXT);
	json_t *ctx = NULL;
	if (st && db_bind_int(st, 1, urn) == 0 && db_step(st) == DB_ROW)
		ctx = context_json(st, 0);
	if (st)
		db_reset(st);
	return ctx ? ctx : json_pack("{ss}", "phase", "");
}

int practice_cases(struct db *db, struct arena *a, const struct practice_ctx *c, json_t **out)
{
	*out = NULL;
	struct db_stmt *st = db_stmt(db, &Q_CASES);
	if (!st || db_bind_int(st, 1, c->network_id))
		return ERR_DB;
	json_t *list = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct case_row r;
		case_read(st, a, c, &r);
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
	json_t *licences = json_array();
	for (int i = 0; practice_licences[i]; i++)
		json_array_append_new(licences, json_pack("{ss ss}", "value", practice_licences[i], "label", licence_labels[i]));
	*out = json_pack("{sO so so so sb sb sI sI}", "network", c->network, "cases", list, "themes",
			 net_theme_names(db, c->network_id), "licences", licences, "can_post", practice_can_post(&c->acc),
			 "empty", json_array_size(list) == 0, "max", (json_int_t)PRACTICE_CASE_TEXT_MAX, "title_max",
			 (json_int_t)PRACTICE_TITLE_MAX);
	json_object_set_new(*out, "context", school_context(db, c->acc.school_urn));
	return 0;
}

int practice_case_waiting(struct db *db, struct arena *a, const struct practice_ctx *c, json_t *out)
{
	struct db_stmt *st = db_stmt(db, &Q_CASES);
	if (!st || db_bind_int(st, 1, c->network_id))
		return ERR_DB;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct case_row r;
		case_read(st, a, c, &r);
		if (practice_can_see(&c->acc, &r.item) && practice_can_decide_widening(&c->acc, &r.item))
			json_array_append_new(out, r.json);
		else
			json_decref(r.json);
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int practice_case(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t id, json_t **out)
{
	*out = NULL;
	struct case_row r;
	int rc = load_case(db, a, c, id, &r);
	if (rc)
		return rc;
	json_t *measures = NULL;
	if ((rc = case_measures(db, id, &measures))) {
		json_decref(measures);
		json_decref(r.json);
		return rc;
	}
	json_object_set_new(r.json, "measures", measures);
	json_object_set_new(r.json, "has_measures", json_boolean(json_array_size(measures) > 0));
	*out = json_pack("{sO so}", "network", c->network, "case", r.json);
	return 0;
}

/* The message that refuses a Unique Pupil Number. */
#define NO_UPN "Remove the Unique Pupil Number (a letter and 12 digits): Tandem holds no pupil's personal data."

/* Check one text field: required (message when empty), at most max characters, no UPN. */
static void check_text(json_t *errors, const char *field, const char *label, const char *s, size_t max,
		       const char *required)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0) {
		if (required)
			json_object_set_new(errors, field, json_string(required));
	} else if (utf8_len(s, n) > max) {
		json_object_set_new(errors, field, json_sprintf("Shorten %s to %zu characters or fewer.", label, max));
	} else if (practice_text_has_upn(s)) {
		json_object_set_new(errors, field, json_string(NO_UPN));
	}
}

/* A field that is NULL reads as "". */
static const char *nz(const char *s)
{
	return s ? s : "";
}

/*
 * Check what was typed (the rules of a finished case study) and join the
 * themes into lines (*themes, arena): ERR_INVALID when errors has messages.
 */
static int check_case(struct db *db, struct arena *a, const struct practice_ctx *c, const struct practice_case_in *in,
		      json_t *errors, const char **themes)
{
	check_text(errors, "title", "the title", in->title, PRACTICE_TITLE_MAX, "Give the case study a title.");
	check_text(errors, "challenge", "the challenge", in->challenge, PRACTICE_CASE_TEXT_MAX,
		   "Say what the challenge was.");
	check_text(errors, "what_we_did", "what you did", in->what_we_did, PRACTICE_CASE_TEXT_MAX, "Say what you did.");
	check_text(errors, "did_not_work", "what did not work", in->did_not_work, PRACTICE_CASE_TEXT_MAX,
		   "Say what did not work: it is as useful to other schools as what did.");
	check_text(errors, "differently", "what you would do differently", in->differently, PRACTICE_CASE_TEXT_MAX, NULL);
	check_text(errors, "time_cost", "time and cost", in->time_cost, PRACTICE_CASE_TEXT_MAX, NULL);
	check_text(errors, "contact", "the contact", in->contact, PRACTICE_CASE_SHORT_MAX, NULL);
	if (!in->licence || !*in->licence)
		json_object_set_new(errors, "licence", json_string("Choose a licence."));
	size_t used = 0;
	for (size_t i = 0; i < in->n_measures; i++) {
		const struct practice_measure_in *m = &in->measures[i];
		const char *f[4] = {m->name, m->baseline, m->result, m->method};
		static const char *const names[4] = {"name", "baseline", "result", "method"};
		static const char *const labels[4] = {"the measure", "the baseline", "the result", "how it was measured"};
		bool any = false;
		for (int k = 0; k < 4; k++)
			any = any || (f[k] && *f[k]);
		if (!any)
			continue;
		used++;
		for (int k = 0; k < 4; k++)
			check_text(errors, arena_printf(a, "m_%s_%lld", names[k], (long long)m->row), labels[k], f[k],
				   k == 3 ? PRACTICE_CASE_SHORT_MAX * 2 : PRACTICE_CASE_SHORT_MAX,
				   k == 0 ? "Say what this measure is, or clear its row." : NULL);
	}
	if (used == 0)
		json_object_set_new(errors, "measures", json_string("Add at least one measure of impact on pupils: what "
								    "you measured, before, after and how."));
	else if (used > PRACTICE_CASE_MEASURES_MAX)
		json_object_set_new(errors, "measures",
				    json_sprintf("Keep to %d measures: choose the ones that show the impact best.",
						 PRACTICE_CASE_MEASURES_MAX));
	struct buf b;
	buf_init(&b);
	int rc = 0;
	for (size_t i = 0; i < in->n_themes; i++) {
		int64_t theme_id;
		int frc = net_theme_find(db, c->network_id, in->themes[i], &theme_id);
		if (frc == ERR_NOTFOUND) {
			json_object_set_new(errors, "themes", json_string("Choose themes from the network's themes."));
			continue;
		}
		if (frc) {
			rc = frc;
			break;
		}
		if (b.len)
			buf_putc(&b, '\n');
		buf_puts(&b, in->themes[i]);
	}
	if (!rc && in->n_themes == 0)
		json_object_set_new(errors, "themes", json_string("Choose at least one theme."));
	*themes = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	if (rc)
		return rc;
	return json_object_size(errors) ? ERR_INVALID : 0;
}

/* Store the measures of case study id (replacing any), rows left wholly empty skipped. */
static int store_measures(struct db *db, int64_t id, const struct practice_measure_in *ms, size_t n)
{
	struct db_stmt *st = db_stmt(db, &Q_CASE_MEASURES_DEL);
	if (!st || db_bind_int(st, 1, id))
		return ERR_DB;
	int rc = db_step(st);
	db_reset(st);
	int64_t pos = 0;
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		const struct practice_measure_in *m = &ms[i];
		if (!(m->name && *m->name) && !(m->baseline && *m->baseline) && !(m->result && *m->result) &&
		    !(m->method && *m->method))
			continue;
		st = db_stmt(db, &Q_CASE_MEASURE_ADD);
		if (!st || db_bind_int(st, 1, id) || db_bind_int(st, 2, ++pos) || db_bind_text(st, 3, nz(m->name)) ||
		    db_bind_text(st, 4, nz(m->baseline)) || db_bind_text(st, 5, nz(m->result)) ||
		    db_bind_text(st, 6, nz(m->method)))
			return ERR_DB;
		rc = db_step(st);
		db_reset(st);
	}
	return rc < 0 ? rc : 0;
}

/* Insert a case study of the person's school (draft or not) with its measures; *id. In a transaction. */
static int insert_case(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t partnership_id,
		       const struct practice_case_in *in, const char *themes, bool draft, int64_t *id)
{
	const char *now = net_now_iso(a, clock_now());
	int rc = db_begin(db);
	if (rc)
		return rc;
	struct db_stmt *ctx = db_stmt(db, &Q_CASE_CONTEXT);
	const char *phase = "";
	bool has_pupils = false, has_fsm = false;
	int64_t pupils = 0;
	double fsm = 0;
	if (!ctx || db_bind_int(ctx, 1, c->acc.school_urn)) {
		rc = ERR_DB;
	} else {
		int src = db_step(ctx);
		if (src == DB_ROW) {
			phase = arena_strdup(a, db_col_text(ctx, 0));
			has_pupils = !db_col_is_null(ctx, 1);
			pupils = db_col_int(ctx, 1);
			has_fsm = !db_col_is_null(ctx, 2);
			fsm = db_col_double(ctx, 2);
		} else if (src < 0) {
			rc = src;
		}
		db_reset(ctx);
	}
	struct db_stmt *st = rc ? NULL : db_stmt(db, &Q_CASE_ADD);
	if (!rc && (!st || db_bind_int(st, 1, c->network_id) || db_bind_int(st, 2, c->acc.school_urn) ||
		    db_bind_int(st, 3, c->acc.person_id) ||
		    (partnership_id > 0 ? db_bind_int(st, 4, partnership_id) : db_bind_null(st, 4)) ||
		    db_bind_text(st, 5, nz(in->title)) || db_bind_text(st, 6, phase) ||
		    (has_pupils ? db_bind_int(st, 7, pupils) : db_bind_null(st, 7)) ||
		    (has_fsm ? db_bind_double(st, 8, fsm) : db_bind_null(st, 8)) || db_bind_text(st, 9, nz(in->challenge)) ||
		    db_bind_text(st, 10, nz(in->what_we_did)) || db_bind_text(st, 11, nz(in->did_not_work)) ||
		    db_bind_text(st, 12, nz(in->differently)) || db_bind_text(st, 13, nz(in->time_cost)) ||
		    db_bind_text(st, 14, nz(in->contact)) || db_bind_text(st, 15, themes) ||
		    db_bind_text(st, 16, in->licence && *in->licence ? in->licence : "cc_by") ||
		    db_bind_int(st, 17, draft ? 1 : 0) || db_bind_text(st, 18, now) || db_bind_text(st, 19, now)))
		rc = ERR_DB;
	if (!rc) {
		rc = db_step(st);
		db_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	if (!rc) {
		*id = db_last_id(db);
		rc = store_measures(db, *id, in->measures, in->n_measures);
	}
	/* A draft is its author's alone: it joins the search index when they finish it. */
	if (!rc && !draft)
		rc = practice_index_put(db, &(struct practice_doc_in){
			.kind = "case", .item_id = *id, .network_id = c->network_id, .urn = c->acc.school_urn,
			.author_id = c->acc.person_id, .themes = themes, .title = nz(in->title),
			.body = arena_printf(a, "%s\n\n%s\n\n%s", nz(in->challenge), nz(in->what_we_did),
					     nz(in->did_not_work)),
			.created_at = now});
	if (!rc)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

int practice_case_add(struct db *db, struct arena *a, const struct practice_ctx *c, const struct practice_case_in *in,
		      json_t *errors, int64_t *id)
{
	if (!practice_can_post(&c->acc))
		return ERR_FORBIDDEN;
	const char *themes = "";
	int rc = check_case(db, a, c, in, errors, &themes);
	if (rc)
		return rc;
	return insert_case(db, a, c, 0, in, themes, false, id);
}

int practice_case_update(struct db *db, struct arena *a, const struct practice_ctx *c, int64_t id,
			 const struct practice_case_in *in, json_t *errors)
{
	struct case_row r;
	int rc = load_case(db, a, c, id, &r);
	if (rc)
		return rc;
	json_decref(r.json);
	if (!practice_can_edit(&c->acc, &r.item))
		return ERR_FORBIDDEN;
	const char *themes = "";
	if ((rc = check_case(db, a, c, in, errors, &themes)))
		return rc;
	if ((rc = db_begin(db)))
		return rc;
	struct db_stmt *st = db_stmt(db, &Q_CASE_UPDATE);
	if (!st || db_bind_text(st, 1, in->title) || db_bind_text(st, 2, in->challenge) ||
	    db_bind_text(st, 3, in->what_we_did) || db_bind_text(st, 4, in->did_not_work) ||
	    db_bind_text(st, 5, nz(in->differently)) || db_bind_text(st, 6, nz(in->time_cost)) ||
	    db_bind_text(st, 7, nz(in->contact)) || db_bind_text(st, 8, themes) || db_bind_text(st, 9, in->licence) ||
	    db_bind_text(st, 10, net_now_iso(a, clock_now())) || db_bind_int(st, 11, id) ||
	    db_bind_int(st, 12, c->network_id)) {
		rc = ERR_DB;
	} else {
		rc = db_step(st);
		db_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	if (!rc)
		rc = store_measures(db, id, in->measures, in->n_measures);
	if (!rc)
		rc = practice_index_put(db, &(struct practice_doc_in){
			.kind = "case", .item_id = id, .network_id = c->network_id, .urn = r.item.urn,
			.author_id = r.item.author_id, .themes = themes, .title = in->title,
			.body = arena_printf(a, "%s\n\n%s\n\n%s", nz(in->challenge), nz(in->what_we_did),
					     nz(in->did_not_work)),
			.created_at = net_now_iso(a, clock_now())});
	if (!rc)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

/* Store visibility vis and the level requested (vis itself: none) of case study id. */
static int case_set_vis(struct db *db, const struct practice_ctx *c, int64_t id, enum practice_vis vis,
			enum practice_vis asked)
{
	const char *requested = asked > vis ? practice_vis_name(asked) : NULL;
	struct db_stmt *st = db_stmt(db, &Q_CASE_SET_VIS);
	if (!st || db_bind_text(st, 1, practice_vis_name(vis)) || db_bind_text(st, 2, requested ? requested : "") ||
	    db_bind_int(st, 3, id) || db_bind_int(st, 4, c->network_id))
		return ERR_DB;
	int rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return rc;
	return practice_index_vis(db, "case", id, practice_vis_name(vis), requested);
}

/* Load case study id's facts for a change (ERR_NOTFOUND when the person may not see it). */
static int case_facts(struct db *db, const struct practice_ctx *c, int64_t id, struct practice_item *item)
{
	struct arena *a = arena_new();
	struct case_row r;
	int rc = load_case(db, a, c, id, &r);
	if (!rc) {
		*item = r.item;
		json_decref(r.json);
	}
	arena_free(a);
	return rc;
}

int practice_case_widen(struct db *db, const struct practice_ctx *c, int64_t id, enum practice_vis to)
{
	struct practice_item item;
	int rc = case_facts(db, c, id, &item);
	if (rc)
		return rc;
	if (!practice_can_request_widening(&c->acc, &item, to))
		return practice_widen_refusal(&c->acc, &item, to);
	return case_set_vis(db, c, id, item.vis, to);
}

int practice_case_decide(struct db *db, const struct practice_ctx *c, int64_t id, bool approve)
{
	struct practice_item item;
	int rc = case_facts(db, c, id, &item);
	if (rc)
		return rc;
	if (!practice_can_decide_widening(&c->acc, &item))
		return ERR_FORBIDDEN;
	enum practice_vis vis = approve ? item.requested : item.vis;
	return case_set_vis(db, c, id, vis, vis);
}

int practice_case_narrow(struct db *db, const struct practice_ctx *c, int64_t id, enum practice_vis to)
{
	struct practice_item item;
	int rc = case_facts(db, c, id, &item);
	if (rc)
		return rc;
	if (!practice_can_narrow(&c->acc, &item, to))
		return item.author_id == c->acc.person_id && to >= item.vis ? ERR_CONFLICT : ERR_FORBIDDEN;
	return case_set_vis(db, c, id, to, to);
}

/* A number from the store without trailing zeros ("42", "3.5"), or "" for NULL (arena). */
static const char *num_text(struct arena *a, struct db_stmt *st, int col)
{
	if (db_col_is_null(st, col))
		return "";
	return arena_printf(a, "%g", db_col_double(st, col));
}

/*
 * The partnership's purpose, reflections (the closing one too) and measures as a case study's
 * fields (in, arena), and its theme lines as it holds them (*theme_lines).
 */
static int from_partnership(struct db *db, struct arena *a, int64_t pid, struct practice_case_in *in,
			    const char **theme_lines)
{
	struct db_stmt *st = db_stmt(db, &Q_CASE_PS_PURPOSE);
	if (!st || db_bind_int(st, 1, pid))
		return ERR_DB;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc < 0 ? rc : ERR_NOTFOUND;
	}
	static const char *const types[][2] = {{"one_way", "one school supporting another"},
					       {"mutual", "mutual support"},
					       {"co_creation", "creating something together"}};
	const char *type = "";
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(db_col_text(st, 1), types[i][0]) == 0)
			type = types[i][1];
	in->title = arena_strdup(a, db_col_text(st, 0));
	in->challenge = arena_strdup(a, db_col_text(st, 2));
	struct buf did;
	buf_init(&did);
	buf_printf(&did, "A partnership of schools (%s)", *type ? type : "in the network");
	if (*db_col_text(st, 6) && *db_col_text(st, 7))
		buf_printf(&did, ", from %s to %s", db_col_text(st, 6), db_col_text(st, 7));
	buf_puts(&did, ".");
	if (*db_col_text(st, 3))
		buf_printf(&did, "\n\nWhat we set out to achieve: %s", db_col_text(st, 3));
	*theme_lines = arena_strdup(a, db_col_text(st, 4));
	const char *licence = db_col_text(st, 5);
	in->licence = strcmp(licence, "cc_by_nc_sa") == 0 ? "cc_by_nc_sa" : strcmp(licence, "partners_only") == 0 ? "members"
														  : "cc_by";
	/*
	 * The closing reflection, as the close form writes it, splits into what
	 * worked and what did not (added to the reflections' below); written as
	 * one text (from a script), it is what the schools would do differently.
	 */
	const char *closing_worked = NULL, *closing_not = NULL;
	if (!ps_closing_split(a, db_col_text(st, 8), &closing_worked, &closing_not))
		in->differently = arena_strdup(a, db_col_text(st, 8));
	else
		in->differently = "";
	db_reset(st);

	st = db_stmt(db, &Q_CASE_PS_SCHOOLS);
	if (!st || db_bind_int(st, 1, pid)) {
		buf_free(&did);
		return ERR_DB;
	}
	bool first = true;
	while ((rc = db_step(st)) == DB_ROW) {
		buf_puts(&did, first ? "\n\nThe schools: " : ", ");
		buf_puts(&did, db_col_text(st, 0));
		first = false;
	}
	db_reset(st);
	if (!first)
		buf_puts(&did, ".");

	struct buf worked, notw;
	buf_init(&worked);
	buf_init(&notw);
	st = db_stmt(db, &Q_CASE_PS_REFLECTIONS);
	if (rc >= 0 && (!st || db_bind_int(st, 1, pid)))
		rc = ERR_DB;
	while (rc >= 0 && (rc = db_step(st)) == DB_ROW) {
		if (*db_col_text(st, 0))
			buf_printf(&worked, "%s%s", worked.len ? "\n\n" : "", db_col_text(st, 0));
		if (*db_col_text(st, 1))
			buf_printf(&notw, "%s%s", notw.len ? "\n\n" : "", db_col_text(st, 1));
	}
	if (st)
		db_reset(st);
	if (closing_worked)
		buf_printf(&worked, "%s%s", worked.len ? "\n\n" : "", closing_worked);
	if (closing_not)
		buf_printf(&notw, "%s%s", notw.len ? "\n\n" : "", closing_not);
	if (worked.len)
		buf_printf(&did, "\n\nWhat worked: %s", buf_str(&worked));
	in->what_we_did = arena_strdup(a, buf_str(&did));
	in->did_not_work = arena_strdup(a, buf_str(&notw));
	buf_free(&did);
	buf_free(&worked);
	buf_free(&notw);
	if (rc < 0)
		return rc;

	size_t cap = PRACTICE_CASE_MEASURES_MAX, n = 0; /* the first ones, as many as a case study holds */
	struct practice_measure_in *ms = arena_calloc(a, cap, sizeof(*ms));
	st = db_stmt(db, &Q_CASE_PS_MEASURES);
	if (!st || db_bind_int(st, 1, pid))
		return ERR_DB;
	while ((rc = db_step(st)) == DB_ROW && n < cap) {
		const char *unit = db_col_text(st, 1);
		const char *sp = *unit ? " " : "";
		const char *base = num_text(a, st, 2), *target = num_text(a, st, 3), *latest = num_text(a, st, 5);
		const char *tgt = *target ? arena_printf(a, "target %s%s%s", target, sp, unit) : "";
		const char *res = *latest ? arena_printf(a, "%s%s%s", latest, sp, unit) : "not measured yet";
		ms[n] = (struct practice_measure_in){
			.name = arena_strdup(a, db_col_text(st, 0)),
			.baseline = *base ? arena_printf(a, "%s%s%s", base, sp, unit) : "",
			.result = *tgt ? arena_printf(a, "%s (%s)", res, tgt) : *latest ? res : "",
			.method = arena_strdup(a, db_col_text(st, 4)),
			.row = (int64_t)n + 1};
		n++;
	}
	db_reset(st);
	in->measures = ms;
	in->n_measures = n;
	in->title = *in->title ? in->title : "A partnership";
	return rc < 0 ? rc : 0;
}

int practice_case_from_partnership(struct db *db, struct arena *a, const struct user *u, int64_t partnership_id,
				   const char **slug, int64_t *id)
{
	struct partnership p;
	struct ps_access pa;
	int rc = ps_open(db, a, u, partnership_id, &p, &pa);
	if (rc)
		return rc;
	if (!pa.partner || pa.role != SCHOOL_ROLE_LEAD)
		return ps_deny(&pa);
	if (strcmp(p.state, "closed") != 0)
		return ERR_CONFLICT;
	struct practice_ctx c;
	if ((rc = practice_open(db, a, u, p.network_slug, &c)))
		return rc;
	if (!practice_can_post(&c.acc)) {
		practice_close(&c);
		return ERR_FORBIDDEN;
	}
	struct practice_case_in in;
	memset(&in, 0, sizeof(in));
	const char *lines = "";
	rc = from_partnership(db, a, partnership_id, &in, &lines);
	in.contact = u->name;
	struct buf themes;
	buf_init(&themes);
	const char *s = lines ? lines : "";
	while (!rc && *s) {
		const char *e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		const char *name = str_trim(a, arena_strndup(a, s, n));
		int64_t theme_id;
		if (*name && net_theme_find(db, c.network_id, name, &theme_id) == 0)
			buf_printf(&themes, "%s%s", themes.len ? "\n" : "", name);
		s += n + (e ? 1 : 0);
	}
	if (!rc)
		rc = insert_case(db, a, &c, partnership_id, &in, buf_str(&themes), true, id);
	buf_free(&themes);
	*slug = c.slug;
	practice_close(&c);
	return rc;
}

json_t *practice_case_export_person(struct db *db, int64_t person_id)
{
	json_t *out = json_object();
	struct db_stmt *st = db_stmt(db, &Q_CASE_EXPORT);
	if (st && db_bind_int(st, 1, person_id) == 0)
		json_object_set_new(out, "case_studies", db_rows_json(st));
	st = db_stmt(db, &Q_CASE_EXPORT_MEASURES);
	if (st && db_bind_int(st, 1, person_id) == 0)
		json_object_set_new(out, "case_study_measures", db_rows_json(st));
	json_object_set_new(out, "tried", practice_tried_export(db, person_id));
	return out;
}
