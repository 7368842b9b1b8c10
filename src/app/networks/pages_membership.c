// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages_membership.c — the pages of a school's consent to join a network
 * (membership.c): the request page where the lead of an asked school reads
 * what joining means and accepts or declines; the coordinators' button that
 * withdraws a request; and the administrators' list of would-be first leads
 * whose address is not at their school's domain, to approve or refuse.
 * Every page serves HTML and JSON; every change is a POST with the CSRF
 * token, ending in a 303.
 */
#include <string.h>

#include "app/app.h"
#include "app/networks/pages.h"
#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"

static const char *const answer_choices[] = {"accept", "decline", NULL};
static const char *const decision_choices[] = {"approve", "refuse", NULL};

/* POST /networks/{slug}/membership parameters. */
const struct param_spec net_membership_params[] = {
	PARAM(.name = "answer", .type = PARAM_ENUM, .flags = PARAM_REQUIRED, .choices = answer_choices, .label = "Answer"),
	PARAM_END,
};

/* POST /admin/leads/{id} parameters. */
const struct param_spec net_lead_decision_params[] = {
	PARAM(.name = "decision", .type = PARAM_ENUM, .flags = PARAM_REQUIRED, .choices = decision_choices, .label = "Decision"),
	PARAM_END,
};

/* GET /admin/leads parameters. */
const struct param_spec net_lead_list_params[] = {
	PARAM(.name = "done", .type = PARAM_ENUM, .choices = decision_choices, .label = "Done"),
	PARAM_END,
};

/*
 * GET /networks/{slug}/membership
 * For the lead of a school the network has asked to join: the network, who
 * asked and when, its coordinators, what joining means, and Accept /
 * Decline. Anyone else: the network's own pages (404 or 403 as usual).
 */
int handle_net_membership(struct request *req, struct response *res)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_USER, &pg);
	if (rc)
		return rc;
	json_t *rq = NULL;
	if ((rc = net_membership_request(pg.p.db, &pg.acc, &rq))) {
		if (pg.acc.school_member && pg.acc.role == SCHOOL_ROLE_LEAD)
			return res_error(res, 409, "Your school is already a member of this network.");
		if (rc == ERR_NOTFOUND && policy_network_read(&pg.acc))
			return res_error(res, 404, "This network has not asked your school to join.");
		return page_fail(&pg.p, rc == ERR_NOTFOUND ? net_deny(&pg.acc) : rc, NULL);
	}
	json_t *m = net_page_model(&pg, "Join the network?");
	json_object_set_new(m, "request", rq);
	res_view(res, 200, "networks/membership", m);
	return 0;
}

/*
 * POST /networks/{slug}/membership
 * `answer` accept or decline, by the lead of the asked school. Accepting
 * makes the school a member (with its consent recorded); declining closes
 * the request. The coordinators are emailed either way. 303 to the network
 * (accepted) or to /networks (declined).
 */
int handle_net_membership_answer(struct request *req, struct response *res)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_USER, &pg);
	if (rc)
		return rc;
	bool accept = str_eq(req_str(req, "answer"), "accept");
	rc = net_membership_answer(pg.p.db, pg.p.a, &pg.acc, pg.p.u, req_client_ip(req), accept);
	if (rc == ERR_CONFLICT)
		return res_error(res, 409, "Your school is already a member of this network.");
	if (rc == ERR_NOTFOUND && policy_network_see(&pg.acc))
		return res_error(res, 404, "This network has not asked your school to join, or the request was "
					   "withdrawn.");
	if (rc)
		return page_fail(&pg.p, rc, NULL);
	if (accept)
		page_redirect(&pg.p, "/networks/%s?joined=1", pg.net.slug);
	else
		page_redirect(&pg.p, "/networks?declined=1");
	return 0;
}

/*
 * POST /networks/{slug}/schools/{urn}/withdraw
 * Withdraw the network's request that school urn join, with any first-lead
 * invitation sent with it (coordinators). 404 when there is no open
 * request. 303 to the member schools page.
 */
int handle_net_school_withdraw(struct request *req, struct response *res)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_USER, &pg);
	if (rc)
		return rc;
	rc = net_school_ask_withdraw(pg.p.db, pg.p.a, &pg.acc, pg.p.u, req_client_ip(req), req_path_int(req, "urn"));
	if (rc == ERR_NOTFOUND && policy_schools_manage(&pg.acc))
		return res_error(res, 404, "There is no open request for that school to withdraw.");
	if (rc)
		return page_fail(&pg.p, rc, NULL);
	page_redirect(&pg.p, "/networks/%s/schools", pg.net.slug);
	return 0;
}

/* ---- administrators: would-be first leads --------------------------------- */

/*
 * GET /admin/leads[?done=approve|refuse]
 * People invited to be a school's first lead whose address is not at the
 * school's domain: who, which school, the two domains, who invited them,
 * with Approve and Refuse (administrators).
 */
int handle_admin_leads(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	struct net_access acc;
	net_access_none(pg.u, &acc);
	json_t *rows = NULL;
	if ((rc = net_lead_requests(pg.db, &acc, &rows)))
		return page_fail(&pg, rc, rc == ERR_FORBIDDEN ? "Only administrators confirm school leads." : NULL);
	json_t *m = json_pack("{s:s, s:o, s:b}", "title", "School leads to confirm", "requests", rows, "has_requests",
			      json_array_size(rows) > 0);
	const char *done = req_str(req, "done");
	if (done)
		json_object_set_new(m, "done", json_string(str_eq(done, "approve") ? "approved" : "refused"));
	res_view(res, 200, "admin/leads", m);
	return 0;
}

/*
 * POST /admin/leads/{id}
 * `decision` approve (the person becomes the school's lead, and the school
 * joins the network that invited them) or refuse; the person is emailed
 * either way (administrators). 409 when already decided, or the person has
 * since joined another school. 303 back to the list.
 */
int handle_admin_lead_decide(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	struct net_access acc;
	net_access_none(pg.u, &acc);
	bool approve = str_eq(req_str(req, "decision"), "approve");
	rc = net_lead_request_decide(pg.db, pg.a, &acc, pg.u, req_client_ip(req), page_site_url(&pg),
				     req_path_int(req, "id"), approve);
	switch (rc) {
	case 0:
		return page_redirect(&pg, "/admin/leads?done=%s", approve ? "approve" : "refuse");
	case ERR_FORBIDDEN:
		return page_fail(&pg, rc, "Only administrators confirm school leads.");
	case ERR_NOTFOUND:
		return page_fail(&pg, rc, "There is no such request.");
	case ERR_CONFLICT:
		return page_fail(&pg, rc, "This request was already decided, or the person has since joined another "
					  "school.");
	default:
		return page_fail(&pg, rc, NULL);
	}
}
