// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages_people.c — the people of a network's member schools and how they
 * join: the people page (everyone per school, with the role and remove
 * controls a coordinator or a school's lead may use, the invitation form and
 * pending invitations), sending and withdrawing invitations, and the
 * invitation link itself (/invitations/{token}): a page where a new person
 * gives their name and a password, which creates their account and signs
 * them in, or where someone who already has an account signs in and accepts.
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
	PARAM(.name = "email", .type = PARAM_EMAIL, .flags = PARAM_REQUIRED, .label = "Email"),
	PARAM(.name = "urn", .type = PARAM_INT, .min = 1, .max = 99999999, .label = "School"),
	PARAM(.name = "role", .type = PARAM_ENUM, .flags = PARAM_REQUIRED, .choices = school_role_choices, .label = "Role"),
	PARAM_END,
};

const struct param_spec net_people_params[] = {
	PARAM(.name = "sent", .type = PARAM_BOOL, .label = "Sent"),
	PARAM_END,
};

const struct param_spec net_role_params[] = {
	PARAM(.name = "role", .type = PARAM_ENUM, .flags = PARAM_REQUIRED, .choices = school_role_choices, .label = "Role"),
	PARAM_END,
};

const struct param_spec net_accept_params[] = {
	PARAM(.name = "name", .type = PARAM_STRING, .min = 0, .max = NET_NAME_MAX, .label = "Your name"),
	PARAM(.name = "password", .type = PARAM_STRING, .min = 0, .max = 1000, .label = "Password"),
	PARAM_END,
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
	if ((rc = net_people(pg->p.db, &pg->acc, &schools)) || (rc = net_invitations(pg->p.db, &pg->acc, &invitations))) {
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
	bool only_leads = true; /* a coordinator invites only first leads */
	json_array_foreach(schools, i, s)
	{
		int64_t urn = json_integer_value(json_object_get(s, "urn"));
		json_t *name = json_object_get(s, "name");
		struct net_school_facts f;
		net_school_facts_load(pg->p.db, pg->acc.network_id, urn, &f);
		if (policy_invite(&pg->acc, &f, SCHOOL_ROLE_LEAD))
			json_array_append_new(invite_to, json_pack("{s:I, s:O, s:b}", "urn", (json_int_t)urn, "name", name,
								   "selected", urn == chosen_urn));
		if (policy_invite(&pg->acc, &f, SCHOOL_ROLE_STAFF))
			only_leads = false;
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
	/* Schools asked to join that nobody leads on Tandem: a coordinator may invite their first lead. */
	json_t *asked = NULL;
	if (policy_schools_manage(&pg->acc) && net_schools_asked(pg->p.db, &pg->acc, &asked) == 0) {
		json_array_foreach(asked, i, s)
		{
			struct net_school_facts f;
			net_school_facts_load(pg->p.db, pg->acc.network_id, json_integer_value(json_object_get(s, "urn")), &f);
			if (policy_invite(&pg->acc, &f, SCHOOL_ROLE_LEAD))
				json_array_append_new(invite_to,
						      json_pack("{s:I, s:O, s:b}", "urn", (json_int_t)f.urn, "name",
								json_object_get(s, "name"), "selected", f.urn == chosen_urn));
		}
	}
	json_decref(asked);
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
	json_object_set_new(f, "roles", only_leads ? json_pack("[{s:s, s:s, s:b}]", "value", "lead", "label",
							       "School lead (its first)", "selected", 1)
						   : role_options(role ? role : "staff"));
	json_object_set_new(m, "first_leads_only", json_boolean(only_leads));
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
		return page_fail(&pg.p, rc, NULL);
	json_object_set_new(m, "sent", json_boolean(req_bool(req, "sent")));
	res_view(res, 200, "networks/people", m);
	return 0;
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
	/* Nobody outside the network learns anything from the form's checks; staff are refused outright. */
	if (!policy_network_read(&pg.acc))
		return page_fail(&pg.p, net_deny(&pg.acc), NULL);
	if (!pg.acc.is_admin && !pg.acc.coordinator && pg.acc.role != SCHOOL_ROLE_LEAD)
		return page_fail(&pg.p, ERR_FORBIDDEN, NULL);
	json_t *errors = page_errors(&pg.p);
	rc = json_object_size(errors) ? ERR_INVALID
				      : net_invite(pg.p.db, pg.p.a, &pg.acc, &pg.net, pg.p.u, req_client_ip(req), page_site_url(&pg.p),
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
		return page_form_fail(&pg.p, rc, errors, "networks/people", m, "invite-");
	}
	json_decref(errors);
	page_redirect(&pg.p, "/networks/%s/people?sent=1", pg.net.slug);
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
	if ((rc = net_invitation_revoke(pg.p.db, &pg.acc, req_path_int(req, "id"))))
		return page_fail(&pg.p, rc, NULL);
	page_redirect(&pg.p, "/networks/%s/people", pg.net.slug);
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
	if ((rc = net_person_set_role(pg.p.db, &pg.acc, pg.p.u, req_client_ip(req), req_path_int(req, "person"), role)))
		return page_fail(&pg.p, rc, NULL);
	page_redirect(&pg.p, "/networks/%s/people", pg.net.slug);
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
	if ((rc = net_person_remove(pg.p.db, &pg.acc, pg.p.u, req_client_ip(req), req_path_int(req, "person"))))
		return page_fail(&pg.p, rc, NULL);
	page_redirect(&pg.p, "/networks/%s/people", pg.net.slug);
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

/* The accept page's model; u is the signed-in person (NULL when nobody). */
static json_t *invitation_model(const struct net_invitation *inv, const struct user *u, json_t *form)
{
	json_t *m = json_pack("{s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b}}", "title",
			      "Accept your invitation", "invitation", "email", inv->email, "network_name",
			      inv->network_name, "network_slug", inv->network_slug, "role", inv->role, "role_label",
			      role_label(inv->role), "role_phrase", net_role_phrase(inv->role), "expires_text",
			      inv->expires_text, "has_account", inv->has_account, "network_role", inv->school_urn <= 0,
			      "first_lead", str_eq(inv->authority, "coordinator"));
	json_t *i = json_object_get(m, "invitation");
	if (inv->school_urn > 0) {
		json_object_set_new(i, "school_urn", json_integer((json_int_t)inv->school_urn));
		json_object_set_new(i, "school_name", json_string(inv->school_name));
	}
	if (inv->inviter_name)
		json_object_set_new(i, "inviter", json_string(inv->inviter_name));
	bool signed_in_as = u && u->email && str_eq(u->email, inv->email);
	json_object_set_new(m, "signed_in_as_invitee", json_boolean(signed_in_as));
	json_object_set_new(m, "signed_in_as_other", json_boolean(u && !signed_in_as));
	json_object_set_new(m, "sign_in_first", json_boolean(inv->has_account && !signed_in_as));
	json_object_set_new(m, "form", form ? json_incref(form) : json_object());
	return m;
}

/*
 * GET /invitations/{token}
 * The page an invitation link opens: who invited whom to which school or
 * network role. Someone new gives their name and a password; someone with
 * an account signs in as themselves and accepts. A used, expired or
 * withdrawn link is a 410 page saying which; an unknown one a 404.
 */
int handle_invitation_show(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_ANYONE, &pg);
	if (rc)
		return rc;
	struct net_invitation inv;
	rc = net_invitation_find(pg.db, pg.a, req_path_str(req, "token"), &inv);
	if (rc == ERR_NOTFOUND)
		return invitation_gone(res, NULL);
	if (rc)
		return rc;
	if (!str_eq(inv.state, "pending"))
		return invitation_gone(res, &inv);
	json_t *m = invitation_model(&inv, pg.u, NULL);
	json_object_set_new(m, "token", json_string(req_path_str(req, "token")));
	res_view(res, 200, "networks/invitation", m);
	return 0;
}

/*
 * POST /invitations/{token}
 * Accept. Someone new: `name` and `password` create the account with the
 * invitation's email, and sign them in. Someone with an account: they must
 * be signed in as that account (else 401 with the page saying so, or 403
 * when signed in as someone else). The link is spent and the role given in
 * one transaction; a would-be first lead whose address is not at the
 * school's domain waits for an administrator. 303 to the network (or to
 * /networks when the role waits). Anyone holding the link may use it (the
 * token is the secret); the form still carries the CSRF token like every
 * other.
 */
int handle_invitation_accept(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_ANYONE, &pg);
	if (rc)
		return rc;
	const char *token = req_path_str(req, "token");
	const struct user *u = pg.u;
	struct net_invitation inv;
	struct net_acceptance done;
	json_t *errors = page_errors(&pg);
	rc = net_invitation_find(pg.db, pg.a, token, &inv);
	if (rc == 0 && !str_eq(inv.state, "pending"))
		rc = ERR_CONFLICT;
	if (rc == 0 && json_object_size(errors) && !inv.has_account)
		rc = ERR_INVALID;
	if (rc == 0) {
		json_object_clear(errors);
		rc = net_invitation_accept(pg.db, pg.a, token, u, req_str(req, "name"), req_str(req, "password"),
					   req_client_ip(req), &inv, &done, errors);
	}
	if (rc == ERR_NOTFOUND || rc == ERR_CONFLICT) {
		json_decref(errors);
		return invitation_gone(res, rc == ERR_NOTFOUND ? NULL : &inv);
	}
	if (rc == ERR_INVALID || rc == ERR_UNAUTH || rc == ERR_FORBIDDEN) {
		static const char *const typed[] = {"name", NULL};
		json_t *form = page_values(&pg, typed); /* never the password */
		json_t *m = invitation_model(&inv, u, form);
		json_object_set_new(m, "token", json_string(token));
		json_decref(form);
		if (rc == ERR_INVALID)
			return page_form_fail(&pg, rc, errors, "networks/invitation", m, "accept-");
		json_decref(errors);
		int status = rc == ERR_UNAUTH ? 401 : 403;
		const char *why = rc == ERR_UNAUTH ? "This address already has a Tandem account: sign in with it, then accept."
						   : "You are signed in as someone else: sign out, then open the link again.";
		if (req_wants_json(req))
			return res_error(res, status, why);
		json_object_set_new(m, "notice", json_string(why));
		res_view(res, status, "networks/invitation", m);
		return 0;
	}
	json_decref(errors);
	if (rc)
		return rc;
	if (!u || u->id != done.person_id) {
		if (accounts_start_session(req, res, done.person_id) != 0) {
			/* The account exists; signing in by hand still works. */
			return page_redirect(&pg, "/sign-in?next=/networks/%s", inv.network_slug);
		}
	}
	if (done.outcome == NET_ACCEPTED_WAITING)
		return page_redirect(&pg, "/networks?waiting=1");
	if (done.domain)
		return page_redirect(&pg, "/networks/%s?lead_domain=%s", inv.network_slug, done.domain);
	return page_redirect(&pg, "/networks/%s", inv.network_slug);
	return 0;
}
