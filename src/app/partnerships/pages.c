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

#include "app/networks/net.h"
#include "app/partnerships/pages.h"
#include "app/partnerships/partnerships.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"
#include "http/params.h"

/* ---- shared by the page files -------------------------------------------- */

int ps_page_open(struct request *req, struct response *res, bool full, struct ps_page *pg)
{
	memset(pg, 0, sizeof(*pg));
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg->p);
	if (rc)
		return rc;
	rc = ps_open(pg->p.db, pg->p.a, pg->p.u, req_path_int(req, "id"), &pg->ps, &pg->acc);
	if (!rc && full && !policy_ps_read(&pg->acc))
		rc = ERR_NOTFOUND;
	return rc ? page_fail(&pg->p, rc, NULL) : 0;
}

json_t *ps_page_errors(const struct page *pg, const struct param_spec *specs)
{
	json_t *errors = page_errors(pg);
	const char *field;
	json_t *msg;
	void *tmp;
	json_object_foreach_safe(errors, tmp, field, msg)
	{
		for (const struct param_spec *s = specs; s && s->name; s++) {
			int64_t key;
			if (s->type != PARAM_DATE || (!str_eq(s->name, field) && !param_pattern_match(s->name, field, &key)))
				continue;
			int64_t t;
			char why[CLOCK_WHY_SIZE];
			if (clock_parse_day(req_field(pg->req, field), &t, why) == ERR_INVALID)
				json_object_set_new(errors, field, json_sprintf("%s is not a real date: %s.", s->label, why));
			break;
		}
	}
	return errors;
}

int64_t ps_page_day(const struct page *pg, const char *name)
{
	return ps_parse_day(req_str(pg->req, name));
}

/* ---- introductions ------------------------------------------------------- */

static const struct param_spec new_params[] = {
	PARAM(.name = "to", .type = PARAM_INT, .flags = PARAM_MULTI, .min = 1, .max = INT32_MAX, .label = "School"),
	PARAM_END,
};

static const struct param_spec create_params[] = {
	PARAM(.name = "network", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .max = NET_SLUG_MAX, .label = "Network"),
	PARAM(.name = "to", .type = PARAM_INT, .flags = PARAM_MULTI | PARAM_REQUIRED, .min = 1, .max = INT32_MAX,
	      .label = "School to be introduced to"),
	PARAM(.name = "from", .type = PARAM_INT, .min = 1, .max = INT32_MAX, .label = "School asking"),
	PARAM(.name = "message", .type = PARAM_TEXT, .max = PS_MESSAGE_MAX, .label = "Message"),
	PARAM_END,
};

static const struct param_spec decline_params[] = {
	PARAM(.name = "reason", .type = PARAM_TEXT, .max = PS_MESSAGE_MAX, .label = "Reason"),
	PARAM_END,
};

/* The schools of the request's valid `to` (arena array; *n of them). */
static int64_t *schools_to(const struct page *pg, size_t *n)
{
	const char *const *tos = NULL;
	size_t k = req_multi(pg->req, "to", &tos);
	int64_t *to = arena_calloc(pg->a, k + 1, sizeof(*to));
	*n = 0;
	for (size_t i = 0; i < k; i++)
		if (str_to_int64(tos[i], &to[*n]) == 0)
			(*n)++;
	return to;
}

/*
 * The new-introduction page's model for the n schools of to (none chosen
 * when n is 0): the schools, and the networks the person's school shares
 * with every one of them.
 */
static json_t *new_model(const struct page *pg, const int64_t *to, size_t n)
{
	json_t *m = json_pack("{s:s}", "title", n > 1 ? "Ask for introductions" : "Ask for an introduction");
	json_t *schools = json_array(), *offers = NULL;
	for (size_t i = 0; i < n && i < PS_TO_MAX; i++) {
		json_array_append_new(schools, json_pack("{s:I, s:s}", "urn", (json_int_t)to[i], "name",
							 ps_school_name(pg->db, pg->a, to[i])));
		json_t *o = partnerships_intro_offer(pg->db, pg->u, to[i]);
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
	/* A coordinator brokers between the member schools of a network they run. */
	json_t *coord = ps_coordinated(pg->db, pg->u, true);
	json_object_set_new(m, "can_broker", json_boolean(json_array_size(coord) > 0));
	json_object_set_new(m, "coordinated", coord);
	ps_intro_new_facts(pg->db, pg->a, pg->u, m); /* asked already, or nobody there to answer */
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
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	json_t *list = ps_intro_list(pg.db, pg.u);
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
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	size_t n;
	const int64_t *to = schools_to(&pg, &n);
	res_view(res, 200, "partnerships/intro_new", new_model(&pg, to, n));
	return 0;
}

/*
 * POST /introductions (network, to[], from, message)
 * Ask for introductions from the person's school (or, for a coordinator,
 * from school `from`) to each school `to` in the network. 303 to the list;
 * the form again with the messages (anchors "ask-", or "broker-" with
 * `from`) when refused.
 */
static int handle_intro_create(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg);
	size_t n;
	const int64_t *to = schools_to(&pg, &n);
	struct network net;
	struct net_access nacc;
	struct ps_access acc;
	if (json_object_size(errors)) {
		rc = ERR_INVALID;
	} else if (net_open(pg.db, pg.a, pg.u, req_str(req, "network"), &net, &nacc)) {
		json_object_set_new(errors, "network", json_string("Choose one of your networks."));
		rc = ERR_INVALID;
	} else if ((rc = ps_access_network(pg.db, pg.u, net.id, &acc)) == 0) {
		int64_t from = req_int(req, "from", 0);
		if (!from || !acc.coordinator)
			from = pg.u->school_urn;
		rc = ps_intro_create(pg.db, pg.a, &acc, pg.u, page_site_url(&pg), net.id, from, to, n,
				     req_str(req, "message"), errors);
	}
	if (rc) {
		bool broker = req_has(req, "from");
		json_t *m = rc == ERR_INVALID || rc == ERR_CONFLICT ? new_model(&pg, to, n) : NULL;
		if (m) {
			json_object_set_new(m, broker ? "focus_broker" : "focus_ask", json_true());
			ps_intro_mark_typed(m, req_str(req, "network"), req_int(req, "from", 0), n ? to[0] : 0);
		}
		return page_form_fail(&pg, rc, errors, "partnerships/intro_new", m, broker ? "broker-" : "ask-");
	}
	json_decref(errors);
	return page_redirect(&pg, "/introductions");
}

/*
 * GET /introductions/{id}
 * One introduction: who asked whom, the message, its answer; for the lead
 * of the school asked, accept and decline.
 */
static int handle_intro_show(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	json_t *in;
	if ((rc = ps_intro_get(pg.db, pg.a, pg.u, req_path_int(req, "id"), &in)))
		return page_fail(&pg, rc, NULL);
	json_t *m = json_pack("{s:s, s:o}", "title", "Introduction", "introduction", in);
	res_view(res, 200, "partnerships/intro_show", m);
	return 0;
}

/* Accept or decline introduction {id}; 303 to the new partnership or the introduction. */
static int intro_answer(struct request *req, struct response *res, bool accept)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	int64_t id = req_path_int(req, "id"), pid = 0;
	const char *reason = accept ? NULL : req_str(req, "reason");
	if ((rc = ps_intro_answer(pg.db, pg.a, pg.u, page_site_url(&pg), id, accept, reason, &pid)))
		return page_fail(&pg, rc, rc == ERR_CONFLICT ? "This introduction has already been answered." : NULL);
	if (pid)
		return page_redirect(&pg, "/partnerships/%lld", (long long)pid);
	return page_redirect(&pg, "/introductions/%lld", (long long)id);
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
 * The introductions waiting for the person's answer or asked by their
 * school, the partnerships of the person's school, and for coordinators
 * the networks whose partnerships they follow.
 */
static int handle_ps_index(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	json_t *list = ps_list_mine(pg.db, pg.u);
	json_t *m = json_pack("{s:s, s:o, s:b}", "title", "Partnerships", "partnerships", list, "has_partnerships",
			      json_array_size(list) > 0);
	/* Coordinators follow their networks' partnerships on each network's "needs attention" page. */
	json_object_set_new(m, "coordinated", ps_coordinated(pg.db, pg.u, false));
	json_object_set_new(m, "has_school", json_boolean(pg.u->school_urn > 0));
	json_object_set_new(m, "waiting", partnerships_waiting(pg.db, pg.u, clock_now())); /* introductions */
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
	{HTTP_GET, "/partnerships/{id:int}/agreement", handle_ps_agreement, ps_agreement_view_params, 0, 0},
	{HTTP_POST, "/partnerships/{id:int}/agreement", handle_ps_agreement_save, ps_agreement_params, FORM, 0},
	{HTTP_POST, "/partnerships/{id:int}/measures", handle_ps_measure_add, ps_measure_params, FORM, 0},
	{HTTP_POST, "/partnerships/{id:int}/measures/{mid:int}/delete", handle_ps_measure_delete, NULL, 0, 0},
	{HTTP_POST, "/partnerships/{id:int}/risks", handle_ps_risk_add, ps_risk_params, FORM, 0},
	{HTTP_POST, "/partnerships/{id:int}/risks/{rid:int}/delete", handle_ps_risk_delete, NULL, 0, 0},
	{HTTP_POST, "/partnerships/{id:int}/risks/{rid:int}/status", handle_ps_risk_status, ps_risk_status_params, 0, 0},
	{HTTP_POST, "/partnerships/{id:int}/sign", handle_ps_sign, ps_sign_params, 0, 0},
	{HTTP_POST, "/partnerships/{id:int}/close", handle_ps_close, ps_close_params, FORM, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
