// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages_people.c — the people of a network's member schools and how they
 * join: the people page (everyone per school, with the role and remove
 * controls a coordinator or a school's lead may use, the invitation form and
 * pending invitations), sending and withdrawing invitations, and the
 * invitation link itself (/invitations/{token}): a page where the invited
 * person gives their name and a password, which creates their account and
 * signs them in.
 */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "app/networks/pages.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/str.h"
#include "db/db.h"

static const char *const school_role_choices[] = {"lead", "staff", "governor", NULL};
static const char *const school_role_labels[] = {"School lead", "Staff", "Governor"};

const struct param_spec net_invite_params[] = {
	{"email", PARAM_EMAIL, PARAM_REQUIRED, 0, 0, NULL, "Email"},
	{"urn", PARAM_INT, 0, 1, 99999999, NULL, "School"},
	{"role", PARAM_ENUM, PARAM_REQUIRED, 0, 0, school_role_choices, "Role"},
	{NULL, 0, 0, 0, 0, NULL, NULL},
};

const struct param_spec net_people_params[] = {
	{"sent", PARAM_BOOL, 0, 0, 0, NULL, "Sent"},
	{NULL, 0, 0, 0, 0, NULL, NULL},
};

const struct param_spec net_role_params[] = {
	{"role", PARAM_ENUM, PARAM_REQUIRED, 0, 0, school_role_choices, "Role"},
	{NULL, 0, 0, 0, 0, NULL, NULL},
};

const struct param_spec net_accept_params[] = {
	{"name", PARAM_STRING, PARAM_REQUIRED, 0, NET_NAME_MAX, NULL, "Your name"},
	{"password", PARAM_STRING, PARAM_REQUIRED, 0, 1000, NULL, "Password"},
	{NULL, 0, 0, 0, 0, NULL, NULL},
};

/* "School lead", "Staff", "Governor" for a stored role name. */
static const char *role_label(const char *role)
{
	for (size_t i = 0; school_role_choices[i]; i++)
		if (str_eq(school_role_choices[i], role))
			return school_role_labels[i];
	return role ? role : "";
}

/* [{value, label, selected}] of the school roles. */
static json_t *role_options(const char *selected)
{
	json_t *opts = json_array();
	for (size_t i = 0; school_role_choices[i]; i++)
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", school_role_choices[i], "label",
						      school_role_labels[i], "selected",
						      str_eq(school_role_choices[i], selected)));
	return opts;
}

/*
 * The people page's model: everyone at the member schools (with, per person,
 * what the viewer may do), the schools nobody has joined from yet, the
 * schools the viewer may invite to, and the pending
 * invitations they manage. form: values for the invitation form (borrowed, may be NULL).
 */
static int people_model(const struct net_page *pg, json_t *form, json_t **out)
{
	*out = NULL;
	json_t *schools = NULL, *invitations = NULL;
	int rc;
	if ((rc = net_people(pg->db, &pg->acc, &schools)) || (rc = net_invitations(pg->db, &pg->acc, &invitations))) {
		json_decref(schools);
		return rc;
	}
	json_t *invite_to = json_array(), *people = json_array(), *empty = json_array();
	int64_t chosen_urn = 0;
	const char *chosen = json_string_value(json_object_get(form, "urn"));
	if (!chosen || str_to_int64(chosen, &chosen_urn))
		chosen_urn = pg->acc.school_urn;
	size_t i, j;
	json_t *s, *p;
	json_array_foreach(schools, i, s)
	{
		int64_t urn = json_integer_value(json_object_get(s, "urn"));
		json_t *name = json_object_get(s, "name");
		if (policy_invite(&pg->acc, urn, true, SCHOOL_ROLE_STAFF))
			json_array_append_new(invite_to, json_pack("{s:I, s:O, s:b}", "urn", (json_int_t)urn, "name", name,
								   "selected", urn == chosen_urn));
		if (json_array_size(json_object_get(s, "people")) == 0)
			json_array_append_new(empty, json_pack("{s:I, s:O}", "urn", (json_int_t)urn, "name", name));
		json_array_foreach(json_object_get(s, "people"), j, p)
		{
			const char *role = json_string_value(json_object_get(p, "role"));
			struct net_person t = {.person_id = json_integer_value(json_object_get(p, "id")),
					       .school_urn = urn, .school_member = true};
			if (school_role_parse(role, &t.role))
				t.role = SCHOOL_ROLE_NONE;
			json_object_set(p, "school_name", name);
			json_object_set_new(p, "role_label", json_string(role_label(role)));
			json_object_set_new(p, "can_remove", json_boolean(policy_person_remove(&pg->acc, &t)));
			json_object_set_new(p, "can_change_role",
					    json_boolean(policy_person_set_role(&pg->acc, &t, SCHOOL_ROLE_STAFF)));
			json_object_set_new(p, "roles", role_options(role));
			json_array_append(people, p);
		}
	}
	json_decref(schools);
	json_array_foreach(invitations, i, p)
		json_object_set_new(p, "role_label", json_string(role_label(json_string_value(json_object_get(p, "role")))));
	json_t *m = net_page_model(pg, "People");
	bool can_invite = json_array_size(invite_to) > 0;
	json_object_set_new(m, "people", people);
	json_object_set_new(m, "has_people", json_boolean(json_array_size(people) > 0));
	json_object_set_new(m, "schools_without_people", empty);
	json_object_set_new(m, "invite_to", invite_to);
	json_object_set_new(m, "can_invite", json_boolean(can_invite));
	json_object_set_new(m, "invitations", invitations);
	json_object_set_new(m, "has_invitations", json_boolean(json_array_size(invitations) > 0));
	const char *role = json_string_value(json_object_get(form, "role"));
	json_t *f = form ? json_deep_copy(form) : json_object();
	json_object_set_new(f, "roles", role_options(role ? role : pg->acc.coordinator ? "lead" : "staff"));
	json_object_set_new(m, "form", f);
	*out = m;
	return 0;
}

/*
 * GET /networks/{slug}/people[?sent=1]
 * The people of every member school with their roles; for coordinators and
 * leads, controls to change roles and remove people, the invitation form
 * and the pending invitations they sent.
 */
int handle_net_people(struct request *req, struct response *res)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_READ, &pg);
	if (rc)
		return rc;
	json_t *m;
	if ((rc = people_model(&pg, NULL, &m)))
		return net_page_fail(req, res, rc);
	json_object_set_new(m, "sent", json_boolean(req_bool(req, "sent")));
	res_view(res, 200, "networks/people", m);
	return 0;
}

/* Where invitation links point: TANDEM_BASE_URL, else this request's host. */
static const char *base_url(struct request *req)
{
	struct app *app = req_app(req);
	const char *b = app && app->config ? app->config->base_url : NULL;
	if (b && *b) {
		size_t n = strlen(b);
		return n && b[n - 1] == '/' ? arena_strndup(req_arena(req), b, n - 1) : b;
	}
	const char *host = req_header(req, "Host");
	return arena_printf(req_arena(req), "http://%s", host && *host ? host : "127.0.0.1:8080");
}

/*
 * POST /networks/{slug}/invitations
 * Invite `email` to a member school (`urn`; a lead's own school when absent)
 * as `role` (lead, staff or governor). Coordinators invite to any member
 * school; a lead to their own. The link goes by email. 303 to the people page.
 */
int handle_net_invite(struct request *req, struct response *res)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_USER, &pg);
	if (rc)
		return rc;
	int64_t urn = req_int(req, "urn", pg.acc.school_urn);
	enum school_role role = SCHOOL_ROLE_STAFF;
	if (req_has(req, "role") && school_role_parse(req_str(req, "role"), &role))
		role = SCHOOL_ROLE_STAFF;
	/* Nobody who cannot invite at all learns anything from the form's checks. */
	if (!policy_invite(&pg.acc, urn, true, SCHOOL_ROLE_STAFF) && !policy_invite(&pg.acc, urn, true, role))
		return net_page_fail(req, res, policy_network_read(&pg.acc) ? ERR_FORBIDDEN : net_deny(&pg.acc));
	json_t *errors = net_param_errors(req);
	rc = json_object_size(errors) ? ERR_INVALID
				      : net_invite(pg.db, pg.a, &pg.acc, &pg.net, pg.u, req_client_ip(req), base_url(req),
						   req_str(req, "email"), urn, role, errors);
	if (rc) {
		static const char *const fields[] = {"email", "urn", "role", NULL};
		json_t *form = json_object(), *m = NULL;
		for (size_t i = 0; fields[i]; i++)
			if (req_field(req, fields[i]))
				json_object_set_new(form, fields[i], json_string(req_field(req, fields[i])));
		if (rc == ERR_INVALID || rc == ERR_CONFLICT)
			(void)people_model(&pg, form, &m);
		json_decref(form);
		return net_form_fail(req, res, rc, errors, "networks/people", m, "invite-");
	}
	json_decref(errors);
	net_redirect(res, pg.a, "/networks/%s/people?sent=1", pg.net.slug);
	return 0;
}

/*
 * POST /networks/{slug}/invitations/{id}/revoke
 * Withdraw a pending invitation (who may send it may withdraw it). 303 back.
 */
int handle_net_invitation_revoke(struct request *req, struct response *res)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_USER, &pg);
	if (rc)
		return rc;
	if ((rc = net_invitation_revoke(pg.db, &pg.acc, req_path_int(req, "id"))))
		return net_page_fail(req, res, rc);
	net_redirect(res, pg.a, "/networks/%s/people", pg.net.slug);
	return 0;
}

/*
 * POST /networks/{slug}/people/{person}/role
 * Give person the school `role` lead, staff or governor (a coordinator, or
 * their school's lead; nobody changes their own role). 303 back.
 */
int handle_net_person_role(struct request *req, struct response *res)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_USER, &pg);
	if (rc)
		return rc;
	enum school_role role;
	if (school_role_parse(req_str(req, "role"), &role))
		return res_error(res, 400, "Choose lead, staff or governor.");
	if ((rc = net_person_set_role(pg.db, &pg.acc, pg.u, req_client_ip(req), req_path_int(req, "person"), role)))
		return net_page_fail(req, res, rc);
	net_redirect(res, pg.a, "/networks/%s/people", pg.net.slug);
	return 0;
}

/*
 * POST /networks/{slug}/people/{person}/remove
 * Remove person from their school (a coordinator, or their school's lead;
 * not oneself). They keep an account without a school. 303 back.
 */
int handle_net_person_remove(struct request *req, struct response *res)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_USER, &pg);
	if (rc)
		return rc;
	if ((rc = net_person_remove(pg.db, &pg.acc, pg.u, req_client_ip(req), req_path_int(req, "person"))))
		return net_page_fail(req, res, rc);
	net_redirect(res, pg.a, "/networks/%s/people", pg.net.slug);
	return 0;
}

/* ---- the invitation link ------------------------------------------------- */

/* A page for a link that no longer works: 410 (used, expired, withdrawn) or 404 (unknown). */
static int invitation_gone(struct response *res, const struct net_invitation *inv)
{
	const char *why;
	int status = 410;
	if (!inv || !inv->state) {
		status = 404;
		why = "This invitation link is not valid. Check that you copied all of it, or ask whoever "
		      "invited you to send a new one.";
	} else if (str_eq(inv->state, "accepted")) {
		why = "This invitation has already been used: each link works once. If it was you, sign in "
		      "with your email and password.";
	} else if (str_eq(inv->state, "expired")) {
		why = "This invitation has expired. Ask whoever invited you to send a new one.";
	} else {
		why = "This invitation was withdrawn. Ask whoever invited you if you think that is a mistake.";
	}
	json_t *m = json_pack("{s:s, s:s, s:s, s:i}", "title", "This invitation cannot be used", "detail", why,
			      "state", inv && inv->state ? inv->state : "unknown", "status", status);
	res_view(res, status, "networks/invitation_gone", m);
	return 0;
}

/* The accept page's model. */
static json_t *invitation_model(const struct net_invitation *inv, json_t *form)
{
	json_t *m = json_pack("{s:s, s:{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s}}", "title", "Accept your invitation",
			      "invitation", "email", inv->email, "network_name", inv->network_name, "network_slug",
			      inv->network_slug, "school_urn", (json_int_t)inv->school_urn, "school_name",
			      inv->school_name, "role", school_role_name(inv->role), "role_label",
			      role_label(school_role_name(inv->role)), "expires_at", inv->expires_at);
	json_t *i = json_object_get(m, "invitation");
	if (inv->inviter_name)
		json_object_set_new(i, "inviter", json_string(inv->inviter_name));
	json_object_set_new(i, "role_phrase", json_string(inv->role == SCHOOL_ROLE_LEAD ? "a school lead"
							  : inv->role == SCHOOL_ROLE_GOVERNOR ? "a governor"
											       : "a member of staff"));
	/* "2026-11-29T15:12:13Z" → "2026-11-29 at 15:12 UTC" */
	if (inv->expires_at && strlen(inv->expires_at) >= 16)
		json_object_set_new(i, "expires_text", json_sprintf("%.10s at %.5s UTC", inv->expires_at, inv->expires_at + 11));
	json_object_set_new(m, "form", form ? json_incref(form) : json_object());
	return m;
}

/*
 * GET /invitations/{token}
 * The page an invitation link opens: who invited whom to which school and
 * network, and a form for the person's name and a password. A used, expired
 * or withdrawn link is a 410 page saying which; an unknown one a 404.
 */
int handle_invitation_show(struct request *req, struct response *res)
{
	struct db *db = app_db(req);
	if (!db)
		return ERR_DB;
	struct net_invitation inv;
	int rc = net_invitation_find(db, req_arena(req), req_path_str(req, "token"), &inv);
	if (rc == ERR_NOTFOUND)
		return invitation_gone(res, NULL);
	if (rc)
		return rc;
	if (!str_eq(inv.state, "pending"))
		return invitation_gone(res, &inv);
	res_view(res, 200, "networks/invitation", invitation_model(&inv, NULL));
	return 0;
}

/*
 * POST /invitations/{token}
 * Accept: `name` and `password` create the account with the invitation's
 * email, school and role, spend the link and sign the person in. 303 to the
 * network. Anyone holding the link may use it (the token is the secret); the
 * form still carries the CSRF token like every other.
 */
int handle_invitation_accept(struct request *req, struct response *res)
{
	struct db *db = app_db(req);
	if (!db)
		return ERR_DB;
	struct arena *a = req_arena(req);
	const char *token = req_path_str(req, "token");
	struct net_invitation inv;
	json_t *errors = net_param_errors(req);
	int64_t person = 0;
	int rc;
	if (json_object_size(errors)) {
		rc = net_invitation_find(db, a, token, &inv);
		if (rc == 0)
			rc = str_eq(inv.state, "pending") ? ERR_INVALID : ERR_CONFLICT;
	} else {
		rc = net_invitation_accept(db, a, token, req_str(req, "name"), req_str(req, "password"),
					   req_client_ip(req), &inv, &person, errors);
	}
	if (rc == ERR_NOTFOUND || rc == ERR_CONFLICT) {
		json_decref(errors);
		return invitation_gone(res, rc == ERR_NOTFOUND ? NULL : &inv);
	}
	if (rc == ERR_INVALID) {
		json_t *form = json_object();
		if (req_field(req, "name"))
			json_object_set_new(form, "name", json_string(req_field(req, "name")));
		json_t *m = invitation_model(&inv, form);
		json_decref(form);
		return net_form_fail(req, res, rc, errors, "networks/invitation", m, "accept-");
	}
	json_decref(errors);
	if (rc)
		return rc;
	if (accounts_start_session(req, res, person) != 0) {
		/* The account exists; signing in by hand still works. */
		net_redirect(res, a, "/sign-in?next=/networks/%s", inv.network_slug);
		return 0;
	}
	net_redirect(res, a, "/networks/%s", inv.network_slug);
	return 0;
}
