// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages.c — the broker's pages, each one URL in HTML and JSON: the
 * coordinator's review of the proposals at /networks/{slug}/broker (run,
 * accept, reject, swap a partner) and a school lead's capacity form. No
 * SQL: the model (model.c) does the work and asks the policy.
 */
#include "app/broker/broker.h"

#include "app/broker/engine.h"
#include "app/broker/model.h"
#include "app/networks/pages.h"
#include "app/page.h"
#include "core/arena.h"

/* Open the page and the network: 0, or the answer already set (rc returned by the handler). */
static int open_network(struct request *req, struct response *res, struct page *pg, struct broker_ctx *c)
{
	int rc = page_open(req, res, PAGE_SIGNED_IN, pg);
	if (rc)
		return rc;
	if ((rc = broker_open(pg->db, pg->a, pg->u, req_path_str(req, "slug"), c)))
		return page_fail(pg, rc, NULL);
	return 0;
}

/* The review model, or NULL (the refusal already answered: *rc is what to return). */
static json_t *review_model(struct page *pg, const struct broker_ctx *c, int *rc)
{
	json_t *m = NULL;
	*rc = broker_review(pg->db, pg->a, c, &m);
	if (*rc) {
		*rc = page_fail(pg, *rc, NULL);
		return NULL;
	}
	json_object_set_new(m, "title", json_sprintf("Broker: %s", c->name));
	json_object_set_new(m, "menu", net_nav_can(&c->nacc));
	return m;
}

/*
 * GET /networks/{slug}/broker
 * The coordinator's review: the proposals with their explanation, each
 * school's gains and contributions, what was left out and why, the
 * co-creation groups and the fairness counts; or what the network must add
 * before the broker can run. Coordinators and administrators.
 */
static int handle_broker_review(struct request *req, struct response *res)
{
	struct page pg;
	struct broker_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	json_t *m = review_model(&pg, &c, &rc);
	if (!m)
		return rc;
	res_view(res, 200, "broker/review", m);
	return 0;
}

/*
 * POST /networks/{slug}/broker/run
 * Run the broker: new proposals replace those not yet decided; accepted and
 * rejected ones stay. 400 with what to add when the network lacks schools,
 * strengths or needs. Coordinators. 303 to the review.
 */
static int handle_broker_run(struct request *req, struct response *res)
{
	struct page pg;
	struct broker_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	rc = broker_run_store(pg.db, pg.a, &c, pg.u);
	if (rc == ERR_INVALID) {
		json_t *errors = json_object();
		json_t *missing = broker_missing(pg.db, &c);
		json_object_set_new(errors, "run", json_string(json_string_value(json_array_get(missing, 0))
								 ? json_string_value(json_array_get(missing, 0))
								 : "The network is not ready for the broker."));
		json_decref(missing);
		json_t *m = review_model(&pg, &c, &rc);
		if (!m) {
			json_decref(errors);
			return rc;
		}
		return page_form_fail(&pg, ERR_INVALID, errors, "broker/review", m, "b-");
	}
	if (rc)
		return page_fail(&pg, rc, NULL);
	return page_redirect(&pg, "/networks/%s/broker", c.slug);
}

/* Accept, reject or swap: what a decision handler does with the model's answer. */
static int decided(struct page *pg, const struct broker_ctx *c, int rc, json_t *errors)
{
	if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
		if (!json_object_size(errors))
			json_object_set_new(errors, "proposal", json_string(rc == ERR_CONFLICT
									     ? "This proposal was decided already."
									     : "Check the proposal and try again."));
		int mrc;
		json_t *m = review_model(pg, c, &mrc);
		if (!m) {
			json_decref(errors);
			return mrc;
		}
		return page_form_fail(pg, rc, errors, "broker/review", m, "b-");
	}
	json_decref(errors);
	if (rc)
		return page_fail(pg, rc, NULL);
	return page_redirect(pg, "/networks/%s/broker", c->slug);
}

/*
 * POST /networks/{slug}/broker/proposals/{id}/accept
 * Accept a proposal: a brokered introduction goes to both schools' leads.
 * 409 when a school has left the network or reached its capacity.
 * Coordinators. 303 to the review.
 */
static int handle_broker_accept(struct request *req, struct response *res)
{
	struct page pg;
	struct broker_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg);
	rc = broker_accept(pg.db, pg.a, &c, pg.u, page_site_url(&pg), req_path_int(req, "id"), errors);
	return decided(&pg, &c, rc, errors);
}

/*
 * POST /networks/{slug}/broker/proposals/{id}/reject
 * Reject a proposal (the pair is not proposed again this year).
 * Coordinators. 303 to the review.
 */
static int handle_broker_reject(struct request *req, struct response *res)
{
	struct page pg;
	struct broker_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	rc = broker_reject(pg.db, pg.a, &c, pg.u, req_path_int(req, "id"));
	return decided(&pg, &c, rc, json_object());
}

/* POST …/swap parameters. */
static const struct param_spec swap_params[] = {
	PARAM(.name = "keep", .type = PARAM_INT, .flags = PARAM_REQUIRED, .min = 1, .max = 99999999,
	      .label = "School to keep"),
	PARAM(.name = "partner", .type = PARAM_INT, .flags = PARAM_REQUIRED, .min = 1, .max = 99999999,
	      .label = "New partner (URN)"),
	PARAM_END,
};

/*
 * POST /networks/{slug}/broker/proposals/{id}/swap
 * Swap a partner: keep one school (`keep`, a URN) and pair it with
 * `partner` (a member school's URN), scored and explained again.
 * Coordinators. 303 to the review.
 */
static int handle_broker_swap(struct request *req, struct response *res)
{
	struct page pg;
	struct broker_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg);
	rc = json_object_size(errors) ? ERR_INVALID
				      : broker_swap(pg.db, pg.a, &c, req_path_int(req, "id"), req_int(req, "keep", 0),
						    req_int(req, "partner", 0), errors);
	return decided(&pg, &c, rc, errors);
}

/* GET …/capacity parameters. */
static const struct param_spec capacity_get_params[] = {
	PARAM(.name = "urn", .type = PARAM_INT, .min = 1, .max = 99999999, .label = "School"),
	PARAM_END,
};

/* POST …/capacity parameters. */
static const struct param_spec capacity_params[] = {
	PARAM(.name = "urn", .type = PARAM_INT, .flags = PARAM_REQUIRED, .min = 1, .max = 99999999,
	      .label = "School"),
	PARAM(.name = "capacity", .type = PARAM_INT, .flags = PARAM_REQUIRED, .min = 0, .max = BROKER_CAPACITY_MAX,
	      .label = "Partnerships this year"),
	PARAM(.name = "off", .type = PARAM_STRING, .flags = PARAM_MULTI, .max = 40,
	      .label = "Themes you are not looking for"),
	PARAM_END,
};

/*
 * GET /networks/{slug}/broker/capacity[?urn=N]
 * A school's capacity this year and the themes it is not looking for: its
 * lead's form (urn defaults to the person's own school); coordinators and
 * administrators may look.
 */
static int handle_broker_capacity(struct request *req, struct response *res)
{
	struct page pg;
	struct broker_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	int64_t urn = req_int(req, "urn", c.acc.school_urn);
	json_t *m = NULL;
	if ((rc = broker_capacity_get(pg.db, pg.a, &c, urn, &m)))
		return page_fail(&pg, rc, NULL);
	json_object_set_new(m, "title", json_sprintf("Capacity this year: %s",
						     json_string_value(json_object_get(m, "name"))));
	res_view(res, 200, "broker/capacity", m);
	return 0;
}

/*
 * POST /networks/{slug}/broker/capacity
 * Set school `urn`'s capacity this year (`capacity`, 0 to 20) and the
 * themes it is not looking for (`off`, repeated theme names). Its lead (or
 * an administrator). 303 back to the form.
 */
static int handle_broker_capacity_save(struct request *req, struct response *res)
{
	struct page pg;
	struct broker_ctx c;
	int rc = open_network(req, res, &pg, &c);
	if (rc)
		return rc;
	json_t *errors = page_errors(&pg);
	int64_t urn = req_int(req, "urn", 0);
	const char *const *off = NULL;
	size_t n_off = req_multi(req, "off", &off);
	rc = json_object_size(errors) ? ERR_INVALID
				      : broker_capacity_set(pg.db, pg.a, &c, pg.u, urn, req_int(req, "capacity", -1), off,
							    n_off, errors);
	if (rc == ERR_INVALID) {
		json_t *m = NULL;
		int mrc = broker_capacity_get(pg.db, pg.a, &c, urn > 0 ? urn : c.acc.school_urn, &m);
		if (mrc) {
			json_decref(errors);
			return page_fail(&pg, mrc, NULL);
		}
		json_object_set_new(m, "title", json_string("Capacity this year"));
		return page_form_fail(&pg, rc, errors, "broker/capacity", m, "f-");
	}
	json_decref(errors);
	if (rc)
		return page_fail(&pg, rc, NULL);
	return page_redirect(&pg, "/networks/%s/broker/capacity?urn=%lld", c.slug, (long long)urn);
}

#define FORM ROUTE_OWN_ERRORS

const struct route broker_routes[] = {
	{HTTP_GET, "/networks/{slug}/broker", handle_broker_review, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/broker/run", handle_broker_run, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/broker/proposals/{id:int}/accept", handle_broker_accept, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/broker/proposals/{id:int}/reject", handle_broker_reject, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/broker/proposals/{id:int}/swap", handle_broker_swap, swap_params, FORM, 0},
	{HTTP_GET, "/networks/{slug}/broker/capacity", handle_broker_capacity, capacity_get_params, 0, 0},
	{HTTP_POST, "/networks/{slug}/broker/capacity", handle_broker_capacity_save, capacity_params, FORM, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
