// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages.c — the networks pages and their JSON (one handler serves both):
 * the list of networks with the form that creates one, a network's home
 * page, its details, themes, member schools and steering group; plus what
 * every networks page shares (pages.h) and the route table of the whole
 * capability. The school pages, strengths and needs are in
 * pages_school.c; people and invitations in pages_people.c.
 *
 * Handlers decide nothing about permissions: they open the network for the
 * person asking (net_page_open), call the model, which asks policy.c, and
 * turn its refusal into a 404 or 403. State-changing routes are POSTs with
 * the CSRF token (checked by accounts_before) and end in a 303.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "app/keep.h"
#include "app/networks/networks.h"
#include "app/networks/pages.h"
#include "app/practice/practice.h"
#include "app/reports/policy.h"
#include "app/schools/model.h"
#include "app/schools/search.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/str.h"
#include "db/db.h"

/* ---- shared by the page files -------------------------------------------- */

/* Send an anonymous visitor to sign in (the response is set either way). */
static int sign_in_first(struct request *req, struct response *res)
{
	const struct user *u;
	if (accounts_require(req, res, &u) == 0)
		return res_error(res, 404, NULL);
	return ERR_UNAUTH;
}

int net_page_open(struct request *req, struct response *res, enum net_need need, struct net_page *pg)
{
	memset(pg, 0, sizeof(*pg));
	int rc = page_open(req, res, need == NET_NEED_USER ? PAGE_SIGNED_IN : PAGE_ANYONE, &pg->p);
	if (rc)
		return rc;
	rc = net_open(pg->p.db, pg->p.a, pg->p.u, req_path_str(req, "slug"), &pg->net, &pg->acc);
	if (rc == ERR_NOTFOUND) {
		if (!pg->p.u)
			return sign_in_first(req, res);
		return res_error(res, 404, "There is no network at this address, or it is private to its members.");
	}
	if (rc)
		return page_fail(&pg->p, rc, NULL);
	if (need == NET_NEED_READ && !policy_network_read(&pg->acc)) {
		if (!pg->p.u)
			return sign_in_first(req, res);
		return res_error(res, 403, "Only the network's members can see this page.");
	}
	return 0;
}

json_t *net_nav_can(const struct net_access *acc)
{
	/* The impact report's own policy decides whether its link is shown (reports/policy.c). */
	const struct rep_access rep = {.person_id = acc->person_id, .school_urn = acc->school_urn, .role = acc->role,
				       .is_admin = acc->is_admin, .network_id = acc->network_id,
				       .network_public = acc->network_public, .school_member = acc->school_member,
				       .coordinator = acc->coordinator, .steering = acc->steering};
	json_t *can = json_pack("{s:b, s:b, s:b, s:b, s:b, s:b, s:b}", "read", policy_network_read(acc), "edit",
				policy_network_edit(acc), "themes", policy_themes_edit(acc), "schools",
				policy_schools_manage(acc), "steering", policy_steering_manage(acc), "profile",
				policy_profile_edit(acc, acc->school_urn, acc->school_member), "impact",
				acc->person_id && rep_policy_network_view(&rep) != REP_VIEW_NONE);
	return can;
}

json_t *net_page_model(const struct net_page *pg, const char *title)
{
	const struct net_access *acc = &pg->acc;
	json_t *can = net_nav_can(acc); /* the page's own buttons and the menu read the same facts */
	json_t *m = json_pack("{s:s, s:o, s:O, s:o}", "title", title ? title : pg->net.name, "network",
			      net_json(&pg->net), "can", can, "menu", can);
	if (pg->p.u)
		json_object_set_new(m, "me", json_pack("{s:I, s:s, s:I, s:s, s:b, s:b}", "id", (json_int_t)pg->p.u->id,
						       "name", pg->p.u->name ? pg->p.u->name : "", "school_urn",
						       (json_int_t)acc->school_urn, "role", school_role_name(acc->role),
						       "coordinator", acc->coordinator, "steering", acc->steering));
	return m;
}

/* ---- /networks --------------------------------------------------------- */

/* POST /networks and POST /networks/{slug}/edit parameters. */
static const struct param_spec details_params[] = {
	PARAM(.name = "name", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .min = 0, .max = NET_NAME_MAX, .label = "Name"),
	PARAM(.name = "description", .type = PARAM_TEXT, .min = 0, .max = NET_DESCRIPTION_MAX, .label = "Description"),
	PARAM(.name = "region", .type = PARAM_STRING, .min = 0, .max = NET_REGION_MAX, .label = "Region"),
	PARAM(.name = "is_public", .type = PARAM_BOOL, .label = "Public"),
	PARAM_END,
};
static const char *const details_fields[] = {"name", "description", "region", NULL};

/* The details form as submitted (is_public as a boolean). */
static json_t *details_form(const struct page *pg)
{
	json_t *f = page_values(pg, details_fields);
	json_object_set_new(f, "is_public", json_boolean(req_bool(pg->req, "is_public")));
	return f;
}

/* GET /networks parameters: notices after answering a request or accepting an invitation. */
static const struct param_spec index_params[] = {
	PARAM(.name = "waiting", .type = PARAM_BOOL, .label = "Waiting"),
	PARAM(.name = "declined", .type = PARAM_BOOL, .label = "Declined"),
	PARAM_END,
};

/* GET /networks/{slug} parameters: notices after joining. */
static const struct param_spec home_params[] = {
	PARAM(.name = "joined", .type = PARAM_BOOL, .label = "Joined"),
	PARAM(.name = "lead_domain", .type = PARAM_STRING, .min = 0, .max = 253, .label = "Domain"),
	PARAM_END,
};

/* The model of /networks for the person asking. */
static json_t *index_model(struct db *db, const struct user *u)
{
	struct net_access acc;
	net_access_none(u, &acc);
	json_t *mine = net_list_mine(db, &acc);
	json_t *m = json_pack("{s:s, s:o, s:o, s:b, s:b, s:b, s:o}", "title", "Networks", "mine", mine,
			      "public", net_list_public(db), "signed_in", u != NULL, "can_create",
			      policy_network_create(&acc), "has_mine", json_array_size(mine) > 0, "form",
			      json_object());
	if (u) {
		/* A lead sees the networks that ask their school to join; anyone, their own waiting lead requests. */
		json_t *asked = acc.role == SCHOOL_ROLE_LEAD ? net_asked_of_school(db, acc.school_urn) : json_array();
		json_t *waiting = net_lead_requests_of(db, u->id);
		json_object_set_new(m, "has_asked", json_boolean(json_array_size(asked) > 0));
		json_object_set_new(m, "has_lead_requests", json_boolean(json_array_size(waiting) > 0));
		json_object_set_new(m, "asked", asked);
		json_object_set_new(m, "lead_requests", waiting);
	}
	return m;
}

/*
 * GET /networks
 * The networks the person is in (every network, for an administrator), the
 * public networks, and the form that creates a network.
 */
static int handle_networks_index(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_ANYONE, &pg);
	if (rc)
		return rc;
	json_t *m = index_model(pg.db, pg.u);
	json_object_set_new(m, "waiting", json_boolean(req_bool(req, "waiting")));
	json_object_set_new(m, "declined", json_boolean(req_bool(req, "declined")));
	res_view(res, 200, "networks/index", m);
	return 0;
}

/*
 * POST /networks
 * Create a network: name (required), description, region, is_public. The
 * creator becomes its first coordinator. 303 to the new network.
 */
static int handle_networks_create(struct request *req, struct response *res)
{
	struct page pg;
	int rc = page_open(req, res, PAGE_SIGNED_IN, &pg);
	if (rc)
		return rc;
	struct net_access acc;
	net_access_none(pg.u, &acc);
	if (!policy_network_create(&acc))
		return page_fail(&pg, ERR_FORBIDDEN, NULL);
	json_t *errors = page_errors(&pg);
	const char *slug = NULL;
	rc = json_object_size(errors) ? ERR_INVALID
				      : net_create(pg.db, pg.a, &acc, req_str(req, "name"), req_str(req, "description"),
						   req_str(req, "region"), req_bool(req, "is_public"), errors, &slug);
	if (rc) {
		json_t *m = index_model(pg.db, pg.u);
		json_object_set_new(m, "form", details_form(&pg));
		return page_form_fail(&pg, rc, errors, "networks/index", m, "network-");
	}
	json_decref(errors);
	audit_record(pg.db, pg.u, req_client_ip(req), "network_created", json_pack("{s:s}", "network", slug));
	return page_redirect(&pg, "/networks/%s", slug);
}

/* ---- a network's home page ---------------------------------------------- */

/*
 * What the home shows of the network is kept (keep.h) for HOME_KEEP_TTL_US at
 * most, and only while nothing has changed since (db_data_generation: any
 * write by this process, any commit heard from another process or server),
 * so a write shows on the next page at once on the server that made it; a
 * change made through another app server shows within the time to live.
 */
#define HOME_KEEP_TTL_US 5000000
/* The network homes asked for lately, one per network and kind of viewer. */
static struct keep home_kept = KEEP_INIT("network homes", 64, HOME_KEEP_TTL_US);

void networks_shutdown(void)
{
	keep_clear(&home_kept);
}

/* The home's parts that come from the store: schools with their people, roles, themes, what's new, the question. */
static int home_parts(struct net_page *pg, json_t **out)
{
	*out = NULL;
	json_t *schools = NULL, *roles = NULL, *themes = NULL, *news = NULL;
	int rc;
	if ((rc = net_people(pg->p.db, &pg->acc, &schools)) || (rc = net_roles(pg->p.db, &pg->acc, &roles)) ||
	    (rc = net_themes(pg->p.db, &pg->acc, &themes)) || (rc = net_whats_new(pg->p.db, &pg->acc, 12, &news))) {
		json_decref(schools);
		json_decref(roles);
		json_decref(themes);
		json_decref(news);
		return rc;
	}
	json_t *m = json_object();
	json_object_set_new(m, "has_schools", json_boolean(json_array_size(schools) > 0));
	json_object_set_new(m, "school_count", json_integer((json_int_t)json_array_size(schools)));
	json_object_set_new(m, "schools", schools);
	json_object_set_new(m, "coordinators", json_incref(json_object_get(roles, "coordinators")));
	json_object_set_new(m, "steering", json_incref(json_object_get(roles, "steering")));
	json_decref(roles);
	size_t i;
	json_t *t;
	json_array_foreach(themes, i, t)
	{
		struct buf b = BUF_INIT;
		buf_printf(&b, "/networks/%s/strengths?theme=", pg->net.slug);
		buf_put_urlencoded(&b, json_string_value(json_object_get(t, "name")));
		json_object_set_new(t, "strengths_url", json_string(buf_str(&b)));
		buf_free(&b);
	}
	json_object_set_new(m, "themes", themes);
	json_object_set_new(m, "whats_new", news);
	json_t *question = practice_current_question(pg->p.db, pg->p.u, pg->net.id, pg->net.slug);
	if (question)
		json_object_set_new(m, "current_question", question);
	*out = m;
	return 0;
}

/*
 * The home's parts for this viewer, from the kept homes or read and kept
 * now. The key holds everything they depend on: the network, and every fact
 * about the viewer that decides what they may see (the person, whose own
 * email shows and whose practice visibility is theirs; their school and
 * role in it; administrator; member, invited, coordinator, steering), so
 * one viewer's home is never shown to another who may see more or less.
 */
static int kept_home(struct net_page *pg, json_t **out)
{
	const struct net_access *acc = &pg->acc;
	const char *key = arena_printf(pg->p.a, "%lld|%s|%lld|%lld|%d|%d|%d|%d|%d|%d|%d", (long long)pg->net.id,
				       pg->net.slug, (long long)acc->person_id, (long long)acc->school_urn, (int)acc->role,
				       acc->is_admin, acc->network_public, acc->school_member, acc->school_invited,
				       acc->coordinator, acc->steering);
	uint64_t gen = db_data_generation(pg->p.db); /* before reading: a change while we do shows next time */
	if ((*out = keep_get_json(&home_kept, key, gen)))
		return 0;
	int rc = home_parts(pg, out);
	if (rc == 0)
		keep_put_json(&home_kept, key, gen, *out);
	return rc;
}

/*
 * GET /networks/{slug}
 * The network's home: details, coordinators and steering group, themes,
 * member schools (a table with a map link for each) with their people, and
 * what's new. Outsiders see a public network's name and description only; a
 * private one is a 404.
 */
static int handle_network_home(struct request *req, struct response *res)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_SEE, &pg);
	if (rc)
		return rc;
	if (!policy_network_read(&pg.acc)) {
		json_t *m = json_pack("{s:s, s:{s:s, s:s, s:s, s:s+}, s:b, s:b}", "title", pg.net.name, "network",
				      "slug", pg.net.slug, "name", pg.net.name, "description", pg.net.description, "url",
				      "/networks/", pg.net.slug, "signed_in", pg.p.u != NULL, "asked_to_join",
				      policy_membership_answer(&pg.acc));
		res_view(res, 200, "networks/public", m);
		return 0;
	}
	json_t *parts = NULL;
	if ((rc = kept_home(&pg, &parts)))
		return page_fail(&pg.p, rc, NULL);
	json_t *m = net_page_model(&pg, NULL);
	json_object_update(m, parts);
	json_decref(parts);
	json_object_set_new(m, "joined", json_boolean(req_bool(req, "joined")));
	if (req_str(req, "lead_domain"))
		json_object_set_new(m, "lead_domain", json_string(req_str(req, "lead_domain")));
	res_view(res, 200, "networks/home", m);
	return 0;
}

/* ---- details ------------------------------------------------------------- */

/* The edit form's model with the network's current values. */
static json_t *edit_model(const struct net_page *pg)
{
	json_t *m = net_page_model(pg, "Edit the network's details");
	json_object_set_new(m, "form", json_pack("{s:s, s:s, s:s, s:b}", "name", pg->net.name, "description",
						 pg->net.description, "region", pg->net.region, "is_public",
						 pg->net.is_public));
	return m;
}

/*
 * GET /networks/{slug}/edit
 * The form for the network's name, description, region and public flag (coordinators).
 */
static int handle_network_edit(struct request *req, struct response *res)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_READ, &pg);
	if (rc)
		return rc;
	if (!policy_network_edit(&pg.acc))
		return page_fail(&pg.p, net_deny(&pg.acc), NULL);
	res_view(res, 200, "networks/edit", edit_model(&pg));
	return 0;
}

/*
 * POST /networks/{slug}/edit
 * Save the details: name (required), description, region, is_public. 303 to the network.
 */
static int handle_network_update(struct request *req, struct response *res)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_USER, &pg);
	if (rc)
		return rc;
	if (!policy_network_edit(&pg.acc))
		return page_fail(&pg.p, net_deny(&pg.acc), NULL);
	json_t *errors = page_errors(&pg.p);
	rc = json_object_size(errors) ? ERR_INVALID
				      : net_update(pg.p.db, pg.p.a, &pg.acc, req_str(req, "name"),
						   req_str(req, "description"), req_str(req, "region"),
						   req_bool(req, "is_public"), errors);
	if (rc) {
		json_t *m = edit_model(&pg);
		json_object_set_new(m, "form", details_form(&pg.p));
		return page_form_fail(&pg.p, rc, errors, "networks/edit", m, "network-");
	}
	json_decref(errors);
	page_redirect(&pg.p, "/networks/%s", pg.net.slug);
	return 0;
}

/* ---- themes -------------------------------------------------------------- */

/* POST /networks/{slug}/themes parameters. */
static const struct param_spec themes_params[] = {
	PARAM(.name = "themes", .type = PARAM_TEXT, .flags = PARAM_REQUIRED, .min = 0, .max = 4000, .label = "Themes"),
	PARAM_END,
};

/* The themes form's model: the current themes, one a line. */
static json_t *themes_model(const struct net_page *pg)
{
	json_t *m = net_page_model(pg, "Themes");
	json_t *names = net_theme_names(pg->p.db, pg->net.id);
	struct buf b = BUF_INIT;
	size_t i;
	json_t *n;
	json_array_foreach(names, i, n)
		buf_printf(&b, "%s\n", json_string_value(n));
	json_object_set_new(m, "themes", names);
	json_object_set_new(m, "form", json_pack("{s:s}", "themes", buf_str(&b)));
	buf_free(&b);
	return m;
}

/*
 * GET /networks/{slug}/themes
 * The network's themes as an editable list, one a line (coordinators).
 */
static int handle_network_themes(struct request *req, struct response *res)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_READ, &pg);
	if (rc)
		return rc;
	if (!policy_themes_edit(&pg.acc))
		return page_fail(&pg.p, net_deny(&pg.acc), NULL);
	res_view(res, 200, "networks/themes", themes_model(&pg));
	return 0;
}

/*
 * POST /networks/{slug}/themes
 * Replace the themes: `themes`, one a line. A theme a strength or need uses
 * cannot be removed (400 naming it). 303 to the network.
 */
static int handle_network_themes_save(struct request *req, struct response *res)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_USER, &pg);
	if (rc)
		return rc;
	if (!policy_themes_edit(&pg.acc))
		return page_fail(&pg.p, net_deny(&pg.acc), NULL);
	json_t *errors = page_errors(&pg.p);
	rc = json_object_size(errors) ? ERR_INVALID
				      : net_themes_set(pg.p.db, pg.p.a, &pg.acc, req_str(req, "themes"), errors);
	if (rc) {
		json_t *m = themes_model(&pg);
		static const char *const fields[] = {"themes", NULL};
		json_object_set_new(m, "form", page_values(&pg.p, fields));
		return page_form_fail(&pg.p, rc, errors, "networks/themes", m, "themes-");
	}
	json_decref(errors);
	page_redirect(&pg.p, "/networks/%s", pg.net.slug);
	return 0;
}

/* ---- member schools ---------------------------------------------------- */

/* GET /networks/{slug}/schools parameters. */
static const struct param_spec schools_params[] = {
	PARAM(.name = "q", .type = PARAM_STRING, .min = 0, .max = 100, .label = "School name, town or URN"),
	PARAM(.name = "added", .type = PARAM_INT, .min = 1, .max = 99999999, .label = "Added"),
	PARAM(.name = "asked", .type = PARAM_INT, .min = 1, .max = 99999999, .label = "Asked"),
	PARAM_END,
};

/* POST /networks/{slug}/schools parameters. */
static const struct param_spec school_add_params[] = {
	PARAM(.name = "urn", .type = PARAM_INT, .flags = PARAM_REQUIRED, .min = 1, .max = 99999999, .label = "URN"),
	PARAM(.name = "email", .type = PARAM_EMAIL, .label = "Email of its first lead"),
	PARAM_END,
};

/* Mark each directory result that is already a member, or asked, and whether someone leads it on Tandem. */
static void mark_members(struct db *db, int64_t network_id, json_t *results)
{
	size_t i;
	json_t *r;
	json_array_foreach(results, i, r)
	{
		struct net_school_facts f;
		net_school_facts_load(db, network_id, json_integer_value(json_object_get(r, "urn")), &f);
		json_object_set_new(r, "member", json_boolean(f.member));
		json_object_set_new(r, "asked", json_boolean(f.invited));
		json_object_set_new(r, "has_lead", json_boolean(f.has_lead));
	}
}

/* The member-schools page: the members, and directory results for q. */
static int schools_model(struct request *req, const struct net_page *pg, const char *q, json_t **out)
{
	*out = NULL;
	json_t *members;
	int rc = net_schools(pg->p.db, &pg->acc, &members);
	if (rc)
		return rc;
	json_t *asked = NULL;
	if ((rc = net_schools_asked(pg->p.db, &pg->acc, &asked))) {
		json_decref(members);
		return rc;
	}
	json_t *m = net_page_model(pg, "Member schools");
	size_t i;
	json_t *r;
	json_array_foreach(members, i, r)
	{
		const char *consent = json_string_value(json_object_get(r, "consent"));
		json_object_set_new(r, "consent_label",
				    json_string(str_eq(consent, "lead")	     ? "agreed by its lead"
						: str_eq(consent, "first_lead") ? "agreed by its first lead"
						: str_eq(consent, "admin")      ? "added by an administrator"
										 : "joined before schools were asked"));
	}
	json_object_set_new(m, "members", members);
	json_object_set_new(m, "has_members", json_boolean(json_array_size(members) > 0));
	json_object_set_new(m, "asked", asked);
	json_object_set_new(m, "has_asked", json_boolean(json_array_size(asked) > 0));
	json_object_set_new(m, "add_direct", json_boolean(policy_school_add_direct(&pg->acc)));
	json_object_set_new(m, "query", json_pack("{s:s}", "q", q ? q : ""));
	json_t *results = NULL;
	int64_t urn;
	if (q && str_to_int64(str_trim(pg->p.a, q), &urn) == 0) {
		json_t *s;
		results = json_array();
		if (urn > 0 && schools_profile(pg->p.db, urn, &s) == 0) {
			json_array_append_new(results, json_pack("{s:O, s:O, s:O?, s:O?, s:O?}", "urn",
								 json_object_get(s, "urn"), "name", json_object_get(s, "name"),
								 "town", json_object_get(s, "town"), "phase_name",
								 json_object_get(s, "phase_name"), "status_name",
								 json_object_get(s, "status_name")));
			json_decref(s);
		}
	} else if (q) {
		struct search_query sq = {.status = "open", .pupils_min = -1, .pupils_max = -1, .fsm_min = NAN,
					  .fsm_max = NAN, .page = 1, .per_page = 20};
		int64_t total = 0;
		if (search_fts_query(pg->p.a, q, &sq.fts) == 0 && search_run(pg->p.db, &sq, &results, &total) != 0)
			results = NULL;
	}
	if (q) {
		if (!results)
			results = json_array();
		mark_members(pg->p.db, pg->net.id, results);
		json_object_set_new(m, "searched", json_true());
		json_object_set_new(m, "has_results", json_boolean(json_array_size(results) > 0));
		json_object_set_new(m, "results", results);
	}
	*out = m;
	return 0;
}

/*
 * GET /networks/{slug}/schools[?q=TEXT][&added=URN]
 * Manage the member schools (coordinators): the members with a remove
 * button, and a search of the directory by name, town or URN with an add
 * button for each result.
 */
static int handle_network_schools(struct request *req, struct response *res)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_READ, &pg);
	if (rc)
		return rc;
	if (!policy_schools_manage(&pg.acc))
		return page_fail(&pg.p, net_deny(&pg.acc), NULL);
	json_t *m;
	if ((rc = schools_model(req, &pg, req_str(req, "q"), &m)))
		return page_fail(&pg.p, rc, NULL);
	int64_t added = req_int(req, "added", 0);
	if (added) {
		json_t *s;
		if (net_school(pg.p.db, &pg.acc, added, &s) == 0)
			json_object_set_new(m, "added", s);
	}
	int64_t asked = req_int(req, "asked", 0);
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(m, "asked"), i, r)
		if (asked && json_integer_value(json_object_get(r, "urn")) == asked)
			json_object_set(m, "just_asked", r);
	res_view(res, 200, "networks/schools", m);
	return 0;
}

/*
 * POST /networks/{slug}/schools
 * Ask the school with `urn` from the register to join (coordinators): its
 * leads on Tandem are emailed to accept or decline; a school with nobody on
 * Tandem needs `email`, the address of the person who will be its first
 * lead. An administrator's request makes it a member at once. A URN not in
 * the register, a closed school, or no email for a school without a lead is
 * a 400 saying so; one already a member or asked a 409. 303 back to the
 * member schools page.
 */
static int handle_network_school_add(struct request *req, struct response *res)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_USER, &pg);
	if (rc)
		return rc;
	if (!policy_schools_manage(&pg.acc))
		return page_fail(&pg.p, net_deny(&pg.acc), NULL);
	json_t *errors = page_errors(&pg.p);
	int64_t urn = req_int(req, "urn", 0);
	struct net_join_request rq = {.urn = urn, .first_lead_email = req_str(req, "email"), .net = &pg.net,
				      .actor = pg.p.u, .ip = req_client_ip(req), .base_url = page_site_url(&pg.p)};
	enum net_join how = NET_JOIN_MEMBER;
	rc = json_object_size(errors) ? ERR_INVALID : net_school_add(pg.p.db, pg.p.a, &pg.acc, &rq, errors, &how);
	if (rc) {
		json_t *m = NULL;
		if ((rc == ERR_INVALID || rc == ERR_CONFLICT) && schools_model(req, &pg, NULL, &m) == 0) {
			static const char *const fields[] = {"urn", "email", NULL};
			json_object_set_new(m, "form", page_values(&pg.p, fields));
			/* A school without a lead: show the email field with the school named. */
			if (json_object_get(errors, "email") && !req_has(req, "email"))
				json_object_set_new(m, "needs_first_lead", json_true());
		}
		return page_form_fail(&pg.p, rc, errors, "networks/schools", m, "school-");
	}
	json_decref(errors);
	if (how == NET_JOIN_MEMBER)
		page_redirect(&pg.p, "/networks/%s/schools?added=%lld", pg.net.slug, (long long)urn);
	else
		page_redirect(&pg.p, "/networks/%s/schools?asked=%lld", pg.net.slug, (long long)urn);
	return 0;
}

/*
 * POST /networks/{slug}/schools/{urn}/remove
 * Remove a member school (coordinators); its strengths and needs in this
 * network go with it and its pending invitations are withdrawn. 303 back.
 */
static int handle_network_school_remove(struct request *req, struct response *res)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_USER, &pg);
	if (rc)
		return rc;
	int64_t urn = req_path_int(req, "urn");
	if ((rc = net_school_remove(pg.p.db, &pg.acc, urn)))
		return page_fail(&pg.p, rc, NULL);
	audit_record(pg.p.db, pg.p.u, req_client_ip(req), "network_school_removed",
		     json_pack("{s:s, s:I}", "network", pg.net.slug, "school", (json_int_t)urn));
	page_redirect(&pg.p, "/networks/%s/schools", pg.net.slug);
	return 0;
}

/* ---- coordinators and steering group ------------------------------------ */

static const char *const network_role_choices[] = {"coordinator", "steering", NULL};

/* POST /networks/{slug}/steering parameters. */
static const struct param_spec steering_add_params[] = {
	PARAM(.name = "email", .type = PARAM_EMAIL, .flags = PARAM_REQUIRED, .label = "Email"),
	PARAM(.name = "role", .type = PARAM_ENUM, .flags = PARAM_REQUIRED, .choices = network_role_choices, .label = "Role"),
	PARAM_END,
};

/* GET /networks/{slug}/steering parameters. */
static const struct param_spec steering_params[] = {
	PARAM(.name = "sent", .type = PARAM_BOOL, .label = "Sent"),
	PARAM_END,
};

/* POST /networks/{slug}/steering/{person}/remove parameters. */
static const struct param_spec steering_remove_params[] = {
	PARAM(.name = "role", .type = PARAM_ENUM, .flags = PARAM_REQUIRED, .choices = network_role_choices, .label = "Role"),
	PARAM_END,
};

static int steering_model(const struct net_page *pg, json_t **out)
{
	json_t *roles;
	int rc = net_roles(pg->p.db, &pg->acc, &roles);
	if (rc)
		return rc;
	json_t *m = net_page_model(pg, "Coordinators and steering group");
	json_object_set_new(m, "coordinators", json_incref(json_object_get(roles, "coordinators")));
	json_object_set_new(m, "steering", json_incref(json_object_get(roles, "steering")));
	json_object_set_new(m, "form", json_pack("{s:s}", "role", "steering"));
	json_decref(roles);
	*out = m;
	return 0;
}

/*
 * GET /networks/{slug}/steering[?sent=1]
 * The coordinators and the steering group, with a form to invite someone by
 * email and buttons to take a role away (coordinators).
 */
static int handle_network_steering(struct request *req, struct response *res)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_READ, &pg);
	if (rc)
		return rc;
	if (!policy_steering_manage(&pg.acc))
		return page_fail(&pg.p, net_deny(&pg.acc), NULL);
	json_t *m;
	if ((rc = steering_model(&pg, &m)))
		return page_fail(&pg.p, rc, NULL);
	json_object_set_new(m, "sent", json_boolean(req_bool(req, "sent")));
	res_view(res, 200, "networks/steering", m);
	return 0;
}

/*
 * POST /networks/{slug}/steering
 * Invite `email` to the network `role` coordinator or steering
 * (coordinators): the role is theirs when they accept. The answer is the
 * same whether or not the address has an account. 303 back.
 */
static int handle_network_steering_add(struct request *req, struct response *res)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_USER, &pg);
	if (rc)
		return rc;
	if (!policy_steering_manage(&pg.acc))
		return page_fail(&pg.p, net_deny(&pg.acc), NULL);
	json_t *errors = page_errors(&pg.p);
	rc = json_object_size(errors) ? ERR_INVALID
				      : net_role_invite(pg.p.db, pg.p.a, &pg.acc, &pg.net, pg.p.u, req_client_ip(req),
							page_site_url(&pg.p), req_str(req, "email"), req_str(req, "role"), errors);
	if (rc) {
		json_t *m = NULL;
		if ((rc == ERR_INVALID || rc == ERR_CONFLICT) && steering_model(&pg, &m) == 0) {
			static const char *const fields[] = {"email", "role", NULL};
			json_t *f = page_values(&pg.p, fields);
			json_object_set_new(f, str_eq(req_field(req, "role"), "coordinator") ? "role_coordinator"
											      : "role_steering",
					    json_true());
			json_object_set_new(m, "form", f);
		}
		return page_form_fail(&pg.p, rc, errors, "networks/steering", m, "steering-");
	}
	json_decref(errors);
	page_redirect(&pg.p, "/networks/%s/steering?sent=1", pg.net.slug);
	return 0;
}

/*
 * POST /networks/{slug}/steering/{person}/remove
 * Take the network `role` (coordinator or steering) from person
 * (coordinators). The last coordinator cannot go (409). 303 back.
 */
static int handle_network_steering_remove(struct request *req, struct response *res)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_USER, &pg);
	if (rc)
		return rc;
	if (!policy_steering_manage(&pg.acc))
		return page_fail(&pg.p, net_deny(&pg.acc), NULL);
	if (!req_has(req, "role"))
		return res_error(res, 400, "Say which role to take away: coordinator or steering.");
	int64_t person = req_path_int(req, "person");
	rc = net_role_remove(pg.p.db, &pg.acc, person, req_str(req, "role"));
	if (rc == ERR_CONFLICT)
		return res_error(res, 409, "A network needs at least one coordinator: add another before "
					   "this one steps down.");
	if (rc)
		return page_fail(&pg.p, rc, NULL);
	audit_record_about(pg.p.db, pg.p.u, person, req_client_ip(req), "network_role_removed",
			   json_pack("{s:s, s:s}", "network", pg.net.slug, "role", req_str(req, "role")));
	page_redirect(&pg.p, "/networks/%s/steering", pg.net.slug);
	return 0;
}

/* ---- the route table ----------------------------------------------------- */

/* Form routes take ROUTE_OWN_ERRORS: the handler checks permission first, then re-shows the form. */
#define FORM ROUTE_OWN_ERRORS

const struct route networks_routes[] = {
	{HTTP_GET, "/networks", handle_networks_index, index_params, 0, 0},
	{HTTP_POST, "/networks", handle_networks_create, details_params, FORM, 0},
	{HTTP_GET, "/networks/{slug}", handle_network_home, home_params, 0, 0},
	{HTTP_GET, "/networks/{slug}/edit", handle_network_edit, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/edit", handle_network_update, details_params, FORM, 0},
	{HTTP_GET, "/networks/{slug}/themes", handle_network_themes, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/themes", handle_network_themes_save, themes_params, FORM, 0},
	{HTTP_GET, "/networks/{slug}/schools", handle_network_schools, schools_params, 0, 0},
	{HTTP_POST, "/networks/{slug}/schools", handle_network_school_add, school_add_params, FORM, 0},
	{HTTP_POST, "/networks/{slug}/schools/{urn:int}/remove", handle_network_school_remove, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/schools/{urn:int}/withdraw", handle_net_school_withdraw, NULL, 0, 0},
	{HTTP_GET, "/networks/{slug}/membership", handle_net_membership, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/membership", handle_net_membership_answer, net_membership_params, 0, 0},
	{HTTP_GET, "/networks/{slug}/schools/{urn:int}", handle_net_school, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/schools/{urn:int}/strengths", handle_net_strength_add, net_strength_params,
	 FORM, 0},
	{HTTP_GET, "/networks/{slug}/schools/{urn:int}/strengths/{id:int}", handle_net_strength_edit, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/schools/{urn:int}/strengths/{id:int}", handle_net_strength_update,
	 net_strength_params, FORM, 0},
	{HTTP_POST, "/networks/{slug}/schools/{urn:int}/strengths/{id:int}/delete", handle_net_strength_delete, NULL,
	 0, 0},
	{HTTP_POST, "/networks/{slug}/schools/{urn:int}/needs", handle_net_need_add, net_need_params, FORM, 0},
	{HTTP_GET, "/networks/{slug}/schools/{urn:int}/needs/{id:int}", handle_net_need_edit, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/schools/{urn:int}/needs/{id:int}", handle_net_need_update, net_need_params,
	 FORM, 0},
	{HTTP_POST, "/networks/{slug}/schools/{urn:int}/needs/{id:int}/delete", handle_net_need_delete, NULL, 0, 0},
	{HTTP_GET, "/networks/{slug}/strengths", handle_net_strengths, net_search_params, 0, 0},
	{HTTP_GET, "/networks/{slug}/needs", handle_net_needs, net_search_params, 0, 0},
	{HTTP_GET, "/networks/{slug}/people", handle_net_people, net_people_params, 0, 0},
	{HTTP_POST, "/networks/{slug}/invitations", handle_net_invite, net_invite_params, FORM, 0},
	{HTTP_POST, "/networks/{slug}/invitations/{id:int}/revoke", handle_net_invitation_revoke, NULL, 0, 0},
	{HTTP_POST, "/networks/{slug}/people/{person:int}/role", handle_net_person_role, net_role_params, 0, 0},
	{HTTP_POST, "/networks/{slug}/people/{person:int}/remove", handle_net_person_remove, NULL, 0, 0},
	{HTTP_GET, "/networks/{slug}/steering", handle_network_steering, steering_params, 0, 0},
	{HTTP_POST, "/networks/{slug}/steering", handle_network_steering_add, steering_add_params, FORM, 0},
	{HTTP_POST, "/networks/{slug}/steering/{person:int}/remove", handle_network_steering_remove,
	 steering_remove_params, FORM, 0},
	{HTTP_GET, "/admin/leads", handle_admin_leads, net_lead_list_params, 0, 0},
	{HTTP_POST, "/admin/leads/{id:int}", handle_admin_lead_decide, net_lead_decision_params, 0, 0},
	{HTTP_GET, "/invitations/{token}", handle_invitation_show, NULL, ROUTE_SECRET_PATH, 0},
	{HTTP_POST, "/invitations/{token}", handle_invitation_accept, net_accept_params, FORM | ROUTE_SECRET_PATH, 0},
	{0, NULL, NULL, NULL, 0, 0},
};
