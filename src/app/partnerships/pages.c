// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages.c — the partnerships route table, what the page files share, and
 * the introduction pages: the list of a person's introductions, the form
 * that asks for one (or, for a coordinator, brokers one), one
 * introduction with accept and decline, and the list of a person's
 * partnerships. Handlers open what the URL names for the person asking,
 * call the model (which asks policy.c) and turn refusals into 404 or 403.
 * State-changing routes are POSTs with the CSRF token (checked by
 * accounts_before) and end in a 303.
 */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "app/networks/net.h"
#include "app/partnerships/pages.h"
#include "app/partnerships/partnerships.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/str.h"
#include "db/db.h"

DB_QUERY(Q_PG_COORDINATED,
	 "SELECT n.id, n.slug, n.name FROM network n JOIN network_role r ON r.network_id = n.id "
	 "WHERE r.person_id = ? AND r.role = 'coordinator' ORDER BY n.name");
DB_QUERY(Q_PG_MEMBERS,
	 "SELECT ns.urn, COALESCE(s.name, 'School URN ' || ns.urn) AS name FROM network_school ns "
	 "LEFT JOIN school s ON s.urn = ns.urn WHERE ns.network_id = ? ORDER BY name");

/* ---- shared by the page files -------------------------------------------- */

int ps_fail(struct request *req, struct response *res, int rc)
{
	switch (rc) {
	case ERR_NOTFOUND:
		return res_error(res, 404, "There is nothing at this address, or it is private to the partner schools.");
	case ERR_FORBIDDEN:
		return res_error(res, 403, "You do not have permission to do this in this partnership.");
	case ERR_CONFLICT:
		return res_error(res, 409, "This has already been done, or clashes with what is there.");
	case ERR_INVALID:
		return res_error(res, 400, NULL);
	case ERR_UNAUTH: {
		const struct user *u;
		return accounts_require(req, res, &u) ? ERR_UNAUTH : res_error(res, 403, NULL);
	}
	default:
		return rc < 0 ? rc : res_error(res, 500, "unexpected result from the partnerships model");
	}
}

int ps_page_begin(struct request *req, struct response *res, const struct user **u, struct db **db)
{
	int rc = accounts_require(req, res, u);
	if (rc)
		return rc;
	*db = app_db(req);
	return *db ? 0 : res_error(res, 503, "The database is not available.");
}

int ps_page_open(struct request *req, struct response *res, bool full, struct ps_page *pg)
{
	memset(pg, 0, sizeof(*pg));
	pg->a = req_arena(req);
	int rc = ps_page_begin(req, res, &pg->u, &pg->db);
	if (rc)
		return rc;
	rc = ps_open(pg->db, pg->a, pg->u, req_path_int(req, "id"), &pg->p, &pg->acc);
	if (rc)
		return ps_fail(req, res, rc);
	if (full && !policy_ps_read(&pg->acc))
		return ps_fail(req, res, ERR_NOTFOUND);
	return 0;
}

const char *ps_page_base_url(struct request *req)
{
	struct app *app = req_app(req);
	const char *b = app && app->config ? app->config->base_url : NULL;
	return b ? b : "";
}

json_t *ps_form_of(struct request *req, const char *const *names)
{
	json_t *f = json_object();
	for (size_t i = 0; names[i]; i++) {
		const char *v = req_field(req, names[i]);
		if (v)
			json_object_set_new(f, names[i], json_string(v));
	}
	return f;
}

int ps_form_fail(struct request *req, struct response *res, int rc, json_t *errors, const char *tmpl, json_t *model)
{
	if (rc != ERR_INVALID && rc != ERR_CONFLICT) {
		json_decref(errors);
		json_decref(model);
		return ps_fail(req, res, rc);
	}
	int status = rc == ERR_CONFLICT ? 409 : 400;
	const char *field;
	json_t *msg;
	if (req_wants_json(req) || !model) {
		json_object_foreach(errors, field, msg)
			res_field_error(res, field, json_string_value(msg));
		json_decref(errors);
		json_decref(model);
		return res_error(res, status, status == 409 ? "This clashes with what is already there."
							    : "Some of the values given are not valid.");
	}
	json_t *list = json_array();
	json_object_foreach(errors, field, msg)
		json_array_append_new(list, json_pack("{s:s, s:O}", "field", field, "message", msg));
	json_object_set_new(model, "field_errors", errors);
	json_object_set_new(model, "errors", list);
	json_object_set_new(model, "has_errors", json_true());
	res_view(res, status, tmpl, model);
	return 0;
}

/* ---- introductions ------------------------------------------------------- */

static const struct param_spec new_params[] = {
	{"to", PARAM_INT, PARAM_MULTI, 1, INT32_MAX, NULL, "School"},
	{NULL, 0, 0, 0, 0, NULL, NULL},
};

static const struct param_spec create_params[] = {
	{"network", PARAM_STRING, PARAM_REQUIRED, 0, NET_SLUG_MAX, NULL, "Network"},
	{"to", PARAM_INT, PARAM_MULTI | PARAM_REQUIRED, 1, INT32_MAX, NULL, "School to be introduced to"},
	{"from", PARAM_INT, 0, 1, INT32_MAX, NULL, "School asking"},
	{"message", PARAM_TEXT, 0, 0, PS_MESSAGE_MAX, NULL, "Message"},
	{NULL, 0, 0, 0, 0, NULL, NULL},
};

static const struct param_spec decline_params[] = {
	{"reason", PARAM_TEXT, 0, 0, PS_MESSAGE_MAX, NULL, "Reason"},
	{NULL, 0, 0, 0, 0, NULL, NULL},
};

/*
 * The new-introduction page's model for the n schools of to (none chosen
 * when n is 0): the schools, and the networks the person's school shares
 * with every one of them.
 */
static json_t *new_model(struct db *db, struct arena *a, const struct user *u, const int64_t *to, size_t n)
{
	json_t *m = json_pack("{s:s}", "title", n > 1 ? "Ask for introductions" : "Ask for an introduction");
	json_t *schools = json_array(), *offers = NULL;
	for (size_t i = 0; i < n && i < PS_TO_MAX; i++) {
		json_array_append_new(schools, json_pack("{s:I, s:s}", "urn", (json_int_t)to[i], "name",
							 ps_school_name(db, a, to[i])));
		json_t *o = partnerships_intro_offer(db, u, to[i]);
		if (!offers) {
			offers = o;
			continue;
		}
		/* Keep the networks shared with every school asked. */
		json_t *keep = json_array();
		size_t k, q;
		json_t *x, *y;
		json_array_foreach(offers, k, x)
			json_array_foreach(o, q, y)
				if (json_equal(json_object_get(x, "slug"), json_object_get(y, "slug")))
					json_array_append(keep, x);
		json_decref(o);
		json_decref(offers);
		offers = keep;
	}
	json_object_set_new(m, "to", schools);
	json_object_set_new(m, "offers", offers ? offers : json_array());
	json_object_set_new(m, "has_offers", json_boolean(json_array_size(json_object_get(m, "offers")) > 0));
	json_object_set_new(m, "has_many", json_boolean(n > 1));
	struct db_stmt *st = db_stmt(db, &Q_PG_COORDINATED);
	json_t *coord = st && db_bind_int(st, 1, u->id) == 0 ? db_rows_json(st) : NULL;
	/* A coordinator brokers between the member schools of a network they run: each network's schools. */
	size_t i;
	json_t *net;
	json_array_foreach(coord, i, net)
	{
		struct db_stmt *ms = db_stmt(db, &Q_PG_MEMBERS);
		json_t *members = ms && db_bind_int(ms, 1, json_integer_value(json_object_get(net, "id"))) == 0
					  ? db_rows_json(ms)
					  : NULL;
		json_object_set_new(net, "schools", members ? members : json_array());
	}
	json_object_set_new(m, "coordinated", coord ? coord : json_array());
	json_object_set_new(m, "can_broker", json_boolean(json_array_size(json_object_get(m, "coordinated")) > 0));
	return m;
}

/*
 * GET /introductions
 * The introductions the person's school asked for or was asked for (and,
 * for coordinators, those in their networks), with the ones awaiting their
 * answer marked; and their school's partnerships.
 */
static int handle_intro_index(struct request *req, struct response *res)
{
	const struct user *u;
	struct db *db;
	int rc = ps_page_begin(req, res, &u, &db);
	if (rc)
		return rc;
	json_t *list = ps_intro_list(db, u);
	json_t *m = json_pack("{s:s, s:o, s:b}", "title", "Introductions", "introductions", list, "has_introductions",
			      json_array_size(list) > 0);
	res_view(res, 200, "partnerships/introductions", m);
	return 0;
}

/*
 * GET /introductions/new[?to=URN[&to=URN…]]
 * The form that asks for introductions to one or more schools (school
 * leads, in a network their school shares with each of them) or brokers
 * one (coordinators).
 */
static int handle_intro_new(struct request *req, struct response *res)
{
	const struct user *u;
	struct db *db;
	int rc = ps_page_begin(req, res, &u, &db);
	if (rc)
		return rc;
	const char *const *tos = NULL;
	size_t n = req_multi(req, "to", &tos);
	int64_t *to = arena_calloc(req_arena(req), n + 1, sizeof(*to));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (str_to_int64(tos[i], &to[k]) == 0)
			k++;
	res_view(res, 200, "partnerships/intro_new", new_model(db, req_arena(req), u, to, k));
	return 0;
}

/*
 * POST /introductions (network, to[], from, message)
 * Ask for introductions from the person's school (or, for a coordinator,
 * from school `from`) to each school `to` in the network. 303 to the list.
 */
static int handle_intro_create(struct request *req, struct response *res)
{
	const struct user *u;
	struct db *db;
	int rc = ps_page_begin(req, res, &u, &db);
	if (rc)
		return rc;
	struct arena *a = req_arena(req);
	json_t *errors = req_errors(req) ? json_deep_copy(req_errors(req)) : json_object();
	const char *const *tos = NULL;
	size_t n = req_multi(req, "to", &tos);
	int64_t *to = arena_calloc(a, n + 1, sizeof(*to));
	for (size_t i = 0; i < n; i++)
		if (str_to_int64(tos[i], &to[i]))
			json_object_set_new(errors, "to", json_string("Choose a school by its URN."));
	struct network net;
	struct net_access nacc;
	struct ps_access acc;

	if (json_object_size(errors)) {
		rc = ERR_INVALID;
	} else if (net_open(db, a, u, req_str(req, "network"), &net, &nacc)) {
		json_object_set_new(errors, "network", json_string("Choose one of your networks."));
		rc = ERR_INVALID;
	} else if ((rc = ps_access_network(db, u, net.id, &acc)) == 0) {
		int64_t from = req_int(req, "from", 0);
		if (!from || !acc.coordinator)
			from = u->school_urn;
		rc = ps_intro_create(db, a, &acc, u, ps_page_base_url(req), net.id, from, to, n, req_str(req, "message"),
				     errors);
	}
	if (rc) {
		json_t *m = rc == ERR_INVALID || rc == ERR_CONFLICT ? new_model(db, a, u, to, n) : NULL;
		return ps_form_fail(req, res, rc, errors, "partnerships/intro_new", m);
	}
	json_decref(errors);
	res_redirect(res, 303, "/introductions");
	return 0;
}

/*
 * GET /introductions/{id}
 * One introduction: who asked whom, the message, its answer; for the lead
 * of the school asked, accept and decline.
 */
static int handle_intro_show(struct request *req, struct response *res)
{
	const struct user *u;
	struct db *db;
	int rc = ps_page_begin(req, res, &u, &db);
	if (rc)
		return rc;
	json_t *in;
	if ((rc = ps_intro_get(db, req_arena(req), u, req_path_int(req, "id"), &in)))
		return ps_fail(req, res, rc);
	json_t *m = json_pack("{s:s, s:o}", "title", "Introduction", "introduction", in);
	res_view(res, 200, "partnerships/intro_show", m);
	return 0;
}

/* Accept or decline introduction {id}; 303 to the new partnership or the introduction. */
static int intro_answer(struct request *req, struct response *res, bool accept)
{
	const struct user *u;
	struct db *db;
	int rc = ps_page_begin(req, res, &u, &db);
	if (rc)
		return rc;
	int64_t id = req_path_int(req, "id"), pid = 0;
	const char *reason = accept ? NULL : req_str(req, "reason");
	if ((rc = ps_intro_answer(db, req_arena(req), u, ps_page_base_url(req), id, accept, reason, &pid)))
		return ps_fail(req, res, rc);
	res_redirect(res, 303,
		     pid ? arena_printf(req_arena(req), "/partnerships/%lld", (long long)pid)
			 : arena_printf(req_arena(req), "/introductions/%lld", (long long)id));
	return 0;
}

/*
 * POST /introductions/{id}/accept
 * The lead of the school asked accepts: a partnership opens, forming.
 */
static int handle_intro_accept(struct request *req, struct response *res) { return intro_answer(req, res, true); }

/*
 * POST /introductions/{id}/decline (reason)
 * The lead of the school asked declines, with an optional reason.
 */
static int handle_intro_decline(struct request *req, struct response *res) { return intro_answer(req, res, false); }

/*
 * GET /partnerships
 * The partnerships of the person's school, and for coordinators the
 * networks whose partnerships they follow.
 */
static int handle_ps_index(struct request *req, struct response *res)
{
	const struct user *u;
	struct db *db;
	int rc = ps_page_begin(req, res, &u, &db);
	if (rc)
		return rc;
	json_t *list = ps_list_mine(db, u);
	json_t *m = json_pack("{s:s, s:o, s:b}", "title", "Partnerships", "partnerships", list, "has_partnerships",
			      json_array_size(list) > 0);
	/* Coordinators follow their networks' partnerships on each network's "needs attention" page. */
	struct db_stmt *st = db_stmt(db, &Q_PG_COORDINATED);
	json_t *coord = st && db_bind_int(st, 1, u->id) == 0 ? db_rows_json(st) : NULL;
	json_object_set_new(m, "coordinated", coord ? coord : json_array());
	json_object_set_new(m, "has_school", json_boolean(u->school_urn > 0));
	res_view(res, 200, "partnerships/index", m);
	return 0;
}

#define FORM ROUTE_OWN_ERRORS

const struct route partnerships_routes[] = {
	{HTTP_GET, "/introductions", handle_intro_index, NULL, 0, 0},
	{HTTP_GET, "/introductions/new", handle_intro_new, new_params, 0, 0},
	{HTTP_POST, "/introductions", handle_intro_create, create_params, FORM, 0},
	{HTTP_GET, "/introductions/{id:int}", handle_intro_show, NULL, 0, 0},
	{HTTP_POST, "/introductions/{id:int}/accept", handle_intro_accept, NULL, 0, 0},
	{HTTP_POST, "/introductions/{id:int}/decline", handle_intro_decline, decline_params, 0, 0},
	{HTTP_GET, "/partnerships", handle_ps_index, NULL, 0, 0},
	{HTTP_GET, "/partnerships/{id:int}", handle_ps_show, NULL, 0, 0},
	{HTTP_GET, "/partnerships/{id:int}/agreement", handle_ps_agreement, NULL, 0, 0},
	{HTTP_POST, "/partnerships/{id:int}/agreement", handle_ps_agreement_save, ps_agreement_params, FORM, 0},
	{HTTP_POST, "/partnerships/{id:int}/measures", handle_ps_measure_add, ps_measure_params, FORM, 0},
	{HTTP_POST, "/partnerships/{id:int}/measures/{mid:int}/delete", handle_ps_measure_delete, NULL, 0, 0},
	{HTTP_POST, "/partnerships/{id:int}/risks", handle_ps_risk_add, ps_risk_params, FORM, 0},
	{HTTP_POST, "/partnerships/{id:int}/risks/{rid:int}/delete", handle_ps_risk_delete, NULL, 0, 0},
	{HTTP_POST, "/partnerships/{id:int}/risks/{rid:int}/status", handle_ps_risk_status, ps_risk_status_params, 0, 0},
	{HTTP_POST, "/partnerships/{id:int}/sign", handle_ps_sign, ps_sign_params, 0, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
