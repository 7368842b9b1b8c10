// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages_school.c — a member school's page in a network (its people, the
 * strengths it offers and the needs it has, with the forms its lead uses to
 * keep them), editing and deleting one strength or need, and the search
 * across the network: "who is strong in reading?", "who needs help with
 * attendance?". Strengths and needs share their handlers; the thin
 * handle_net_strength_* and handle_net_need_* wrappers say which.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "app/app.h"
#include "app/networks/pages.h"
#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"

static const char *const priority_choices[] = {"high", "medium", "low", NULL};
static const char *const priority_labels[] = {"High", "Medium", "Low"};

const struct param_spec net_strength_params[] = {
	PARAM(.name = "theme", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .min = 0, .max = NET_THEME_MAX, .label = "Theme"),
	PARAM(.name = "summary", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .min = 0, .max = NET_SENTENCE_MAX, .label = "Strength"),
	PARAM(.name = "evidence", .type = PARAM_TEXT, .min = 0, .max = NET_EVIDENCE_MAX, .label = "Evidence of impact"),
	PARAM(.name = "contact_id", .type = PARAM_INT, .min = 0, .max = INT32_MAX, .label = "Contact"),
	PARAM_END,
};

const struct param_spec net_need_params[] = {
	PARAM(.name = "theme", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .min = 0, .max = NET_THEME_MAX, .label = "Theme"),
	PARAM(.name = "summary", .type = PARAM_STRING, .flags = PARAM_REQUIRED, .min = 0, .max = NET_SENTENCE_MAX, .label = "Need"),
	PARAM(.name = "priority", .type = PARAM_ENUM, .choices = priority_choices, .label = "Priority"),
	PARAM_END,
};

const struct param_spec net_search_params[] = {
	PARAM(.name = "theme", .type = PARAM_STRING, .min = 0, .max = NET_THEME_MAX, .label = "Theme"),
	PARAM(.name = "q", .type = PARAM_STRING, .min = 0, .max = 100, .label = "Words"),
	PARAM_END,
};

static const char *const strength_fields[] = {"theme", "summary", "evidence", "contact_id", NULL};
static const char *const need_fields[] = {"theme", "summary", "priority", NULL};

/* [{name, selected}] of the network's themes. */
static json_t *theme_options(struct db *db, int64_t network_id, const char *selected)
{
	json_t *names = net_theme_names(db, network_id), *opts = json_array();
	size_t i;
	json_t *n;
	json_array_foreach(names, i, n)
	{
		const char *name = json_string_value(n);
		json_array_append_new(opts, json_pack("{s:s, s:b}", "name", name, "selected",
						      selected && strcasecmp(selected, name) == 0));
	}
	json_decref(names);
	return opts;
}

/* [{id, name, selected}] of the school's people, for a strength's contact. */
static json_t *contact_options(json_t *people, int64_t selected)
{
	json_t *opts = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(people, i, p)
	{
		json_int_t id = json_integer_value(json_object_get(p, "id"));
		json_array_append_new(opts, json_pack("{s:I, s:O, s:b}", "id", id, "name", json_object_get(p, "name"),
						      "selected", id == selected));
	}
	return opts;
}

/* [{value, label, selected}] of the priorities. */
static json_t *priority_options(const char *selected)
{
	json_t *opts = json_array();
	for (size_t i = 0; priority_choices[i]; i++)
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", priority_choices[i], "label",
						      priority_labels[i], "selected",
						      str_eq(priority_choices[i], selected ? selected : "medium")));
	return opts;
}

/* The int value of a form field, or dflt. */
static int64_t field_int(json_t *form, const char *name, int64_t dflt)
{
	int64_t v;
	const char *s = json_string_value(json_object_get(form, name));
	if (json_is_integer(json_object_get(form, name)))
		return json_integer_value(json_object_get(form, name));
	return s && str_to_int64(s, &v) == 0 ? v : dflt;
}

/* The submitted values of the named fields. */
static json_t *form_of(struct request *req, const char *const *names)
{
	json_t *f = json_object();
	for (size_t i = 0; names[i]; i++) {
		const char *v = req_field(req, names[i]);
		if (v)
			json_object_set_new(f, names[i], json_string(v));
	}
	return f;
}

/* The options of a strength form (strength) or a need form (need) filled from form. */
static json_t *item_form(const struct net_page *pg, json_t *people, bool is_need, json_t *form)
{
	const char *theme = json_string_value(json_object_get(form, "theme"));
	json_t *f = json_deep_copy(form);
	json_object_set_new(f, "themes", theme_options(pg->p.db, pg->net.id, theme));
	if (is_need)
		json_object_set_new(f, "priorities",
				    priority_options(json_string_value(json_object_get(form, "priority"))));
	else
		json_object_set_new(f, "contacts", contact_options(people, field_int(form, "contact_id", 0)));
	return f;
}

/*
 * The school page's model. strength_form / need_form: values to fill the
 * forms with (NULL: empty). Borrowed.
 */
static int school_model(const struct net_page *pg, int64_t urn, json_t *strength_form, json_t *need_form,
			json_t **out)
{
	*out = NULL;
	json_t *school = NULL, *people = NULL, *profile = NULL;
	int rc;
	if ((rc = net_school(pg->p.db, &pg->acc, urn, &school)) ||
	    (rc = net_school_people(pg->p.db, &pg->acc, urn, &people)) ||
	    (rc = net_profile(pg->p.db, &pg->acc, urn, &profile))) {
		json_decref(school);
		json_decref(people);
		return rc;
	}
	json_t *m = net_page_model(pg, json_string_value(json_object_get(school, "name")));
	json_object_set_new(m, "school", school);
	json_object_set_new(m, "has_people", json_boolean(json_array_size(people) > 0));
	json_object_set_new(m, "strengths", json_incref(json_object_get(profile, "strengths")));
	json_object_set_new(m, "needs", json_incref(json_object_get(profile, "needs")));
	json_object_set_new(m, "has_strengths", json_boolean(json_array_size(json_object_get(profile, "strengths")) > 0));
	json_object_set_new(m, "has_needs", json_boolean(json_array_size(json_object_get(profile, "needs")) > 0));
	json_decref(profile);
	bool can_edit = net_profile_check_edit(pg->p.db, &pg->acc, urn) == 0;
	json_object_set_new(m, "can_edit_profile", json_boolean(can_edit));
	if (can_edit) {
		json_t *empty = json_object();
		json_object_set_new(m, "strength_form", item_form(pg, people, false, strength_form ? strength_form : empty));
		json_object_set_new(m, "need_form", item_form(pg, people, true, need_form ? need_form : empty));
		json_decref(empty);
	}
	json_object_set_new(m, "people", people);
	*out = m;
	return 0;
}

/*
 * GET /networks/{slug}/schools/{urn}
 * A member school's page in the network: key facts with a map link, its
 * people, its strengths and needs; for its lead, the forms to add them.
 */
int handle_net_school(struct request *req, struct response *res)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_READ, &pg);
	if (rc)
		return rc;
	json_t *m;
	if ((rc = school_model(&pg, req_path_int(req, "urn"), NULL, NULL, &m)))
		return page_fail(&pg.p, rc, NULL);
	res_view(res, 200, "networks/school", m);
	return 0;
}

/* Fill a net_item from the request. */
static void item_from_request(struct request *req, bool is_need, struct net_item *it)
{
	memset(it, 0, sizeof(*it));
	it->theme = req_str(req, "theme");
	it->summary = req_str(req, "summary");
	if (is_need) {
		it->priority = req_str(req, "priority");
	} else {
		it->evidence = req_str(req, "evidence");
		it->contact_id = req_int(req, "contact_id", 0);
	}
}

/*
 * POST /networks/{slug}/schools/{urn}/strengths (theme, summary, evidence, contact_id)
 * POST /networks/{slug}/schools/{urn}/needs (theme, summary, priority)
 * Add a strength or a need (the school's lead). 303 to the school's page.
 */
static int item_add(struct request *req, struct response *res, bool is_need)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_USER, &pg);
	if (rc)
		return rc;
	int64_t urn = req_path_int(req, "urn");
	if ((rc = net_profile_check_edit(pg.p.db, &pg.acc, urn)))
		return page_fail(&pg.p, rc, NULL);
	json_t *errors = page_errors(&pg.p);
	struct net_item it;
	item_from_request(req, is_need, &it);
	rc = json_object_size(errors) ? ERR_INVALID
				      : net_item_save(pg.p.db, pg.p.a, &pg.acc, urn, is_need, 0, &it, errors, NULL);
	if (rc) {
		json_t *form = form_of(req, is_need ? need_fields : strength_fields), *m = NULL;
		if (rc == ERR_INVALID && school_model(&pg, urn, is_need ? NULL : form, is_need ? form : NULL, &m) == 0)
			json_object_set_new(m, is_need ? "focus_need" : "focus_strength", json_true());
		json_decref(form);
		return page_form_fail(&pg.p, rc, errors, "networks/school", m, is_need ? "need-" : "strength-");
	}
	json_decref(errors);
	page_redirect(&pg.p, "/networks/%s/schools/%lld#%s", pg.net.slug, (long long)urn,
		     is_need ? "needs" : "strengths");
	return 0;
}

/* The edit page's model for one strength or need, its form filled from form (or the item). */
static int item_model(const struct net_page *pg, int64_t urn, bool is_need, int64_t id, json_t *form, json_t **out)
{
	*out = NULL;
	json_t *item = NULL, *school = NULL, *people = NULL;
	int rc;
	if ((rc = net_item_get(pg->p.db, &pg->acc, urn, is_need, id, &item)) ||
	    (rc = net_school(pg->p.db, &pg->acc, urn, &school)) ||
	    (rc = net_school_people(pg->p.db, &pg->acc, urn, &people))) {
		json_decref(item);
		json_decref(school);
		return rc;
	}
	json_t *m = net_page_model(pg, is_need ? "Change a need" : "Change a strength");
	json_t *values = form ? json_incref(form)
			      : json_pack("{s:O, s:O, s:O, s:O, s:O}", "theme", json_object_get(item, "theme"),
					  "summary", json_object_get(item, "summary"), "evidence",
					  json_object_get(item, "evidence") ? json_object_get(item, "evidence") : json_null(),
					  "contact_id",
					  json_object_get(item, "contact_id") ? json_object_get(item, "contact_id") : json_null(),
					  "priority",
					  json_object_get(item, "priority") ? json_object_get(item, "priority") : json_null());
	json_object_set_new(m, "form", item_form(pg, people, is_need, values));
	json_decref(values);
	json_decref(people);
	json_object_set_new(m, "item", item);
	json_object_set_new(m, "school", school);
	json_object_set_new(m, "is_need", json_boolean(is_need));
	json_object_set_new(m, "kind", json_string(is_need ? "needs" : "strengths"));
	*out = m;
	return 0;
}

/*
 * GET /networks/{slug}/schools/{urn}/strengths/{id}
 * GET /networks/{slug}/schools/{urn}/needs/{id}
 * The form that changes (or deletes) one strength or need (the school's lead).
 */
static int item_edit(struct request *req, struct response *res, bool is_need)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_READ, &pg);
	if (rc)
		return rc;
	int64_t urn = req_path_int(req, "urn");
	if ((rc = net_profile_check_edit(pg.p.db, &pg.acc, urn)))
		return page_fail(&pg.p, rc, NULL);
	json_t *m;
	if ((rc = item_model(&pg, urn, is_need, req_path_int(req, "id"), NULL, &m)))
		return page_fail(&pg.p, rc, NULL);
	res_view(res, 200, "networks/item", m);
	return 0;
}

/*
 * POST /networks/{slug}/schools/{urn}/strengths/{id} (theme, summary, evidence, contact_id)
 * POST /networks/{slug}/schools/{urn}/needs/{id} (theme, summary, priority)
 * Save a changed strength or need (the school's lead). 303 to the school's page.
 */
static int item_update(struct request *req, struct response *res, bool is_need)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_USER, &pg);
	if (rc)
		return rc;
	int64_t urn = req_path_int(req, "urn"), id = req_path_int(req, "id");
	if ((rc = net_profile_check_edit(pg.p.db, &pg.acc, urn)))
		return page_fail(&pg.p, rc, NULL);
	json_t *errors = page_errors(&pg.p);
	struct net_item it;
	item_from_request(req, is_need, &it);
	rc = json_object_size(errors) ? ERR_INVALID
				      : net_item_save(pg.p.db, pg.p.a, &pg.acc, urn, is_need, id, &it, errors, NULL);
	if (rc) {
		json_t *form = form_of(req, is_need ? need_fields : strength_fields), *m = NULL;
		if (rc == ERR_INVALID)
			(void)item_model(&pg, urn, is_need, id, form, &m);
		json_decref(form);
		return page_form_fail(&pg.p, rc, errors, "networks/item", m, "item-");
	}
	json_decref(errors);
	page_redirect(&pg.p, "/networks/%s/schools/%lld#%s", pg.net.slug, (long long)urn,
		     is_need ? "needs" : "strengths");
	return 0;
}

/*
 * POST /networks/{slug}/schools/{urn}/strengths/{id}/delete
 * POST /networks/{slug}/schools/{urn}/needs/{id}/delete
 * Delete a strength or need (the school's lead). 303 to the school's page.
 */
static int item_delete(struct request *req, struct response *res, bool is_need)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_USER, &pg);
	if (rc)
		return rc;
	int64_t urn = req_path_int(req, "urn");
	if ((rc = net_item_delete(pg.p.db, &pg.acc, urn, is_need, req_path_int(req, "id"))))
		return page_fail(&pg.p, rc, NULL);
	page_redirect(&pg.p, "/networks/%s/schools/%lld#%s", pg.net.slug, (long long)urn,
		     is_need ? "needs" : "strengths");
	return 0;
}

/*
 * GET /networks/{slug}/strengths[?theme=NAME][&q=WORDS]
 * GET /networks/{slug}/needs[?theme=NAME][&q=WORDS]
 * Every member school's strengths (or needs) in a theme and/or containing
 * the words: "who is strong in reading?".
 */
static int item_search(struct request *req, struct response *res, bool is_need)
{
	struct net_page pg;
	int rc = net_page_open(req, res, NET_NEED_READ, &pg);
	if (rc)
		return rc;
	const char *theme = req_str(req, "theme"), *q = req_str(req, "q");
	json_t *results;
	if ((rc = net_item_search(pg.p.db, pg.p.a, &pg.acc, is_need, theme, q, &results)))
		return page_fail(&pg.p, rc, NULL);
	int64_t theme_id;
	bool known = !theme || net_theme_find(pg.p.db, pg.net.id, theme, &theme_id) == 0;
	const char *title;
	if (is_need)
		title = theme ? arena_printf(pg.p.a, "Who needs help with %s", theme) : "Needs across the network";
	else
		title = theme ? arena_printf(pg.p.a, "Who is strong in %s", theme) : "Strengths across the network";
	/* A lead of a member school may ask the other schools found for an introduction. */
	if (pg.p.u && pg.p.u->role == SCHOOL_ROLE_LEAD && pg.p.u->school_urn > 0 &&
	    net_has_school(pg.p.db, pg.net.id, pg.p.u->school_urn)) {
		size_t i;
		json_t *r;
		json_array_foreach(results, i, r)
		{
			int64_t urn = json_integer_value(json_object_get(r, "urn"));
			if (urn > 0 && urn != pg.p.u->school_urn)
				json_object_set_new(r, "ask_url", json_sprintf("/introductions/new?to=%lld", (long long)urn));
		}
	}
	json_t *m = net_page_model(&pg, title);
	json_object_set_new(m, "results", results);
	json_object_set_new(m, "count", json_integer((json_int_t)json_array_size(results)));
	json_object_set_new(m, "has_results", json_boolean(json_array_size(results) > 0));
	json_object_set_new(m, "is_need", json_boolean(is_need));
	json_object_set_new(m, "kind", json_string(is_need ? "needs" : "strengths"));
	json_object_set_new(m, "query", json_pack("{s:s, s:s}", "theme", theme ? theme : "", "q", q ? q : ""));
	json_object_set_new(m, "themes", theme_options(pg.p.db, pg.net.id, theme));
	json_object_set_new(m, "theme_known", json_boolean(known));
	res_view(res, 200, "networks/search", m);
	return 0;
}

/* The route table's entry points (pages.c): each URL and its parameters are listed above. */
int handle_net_strength_add(struct request *req, struct response *res) { return item_add(req, res, false); }
int handle_net_need_add(struct request *req, struct response *res) { return item_add(req, res, true); }
int handle_net_strength_edit(struct request *req, struct response *res) { return item_edit(req, res, false); }
int handle_net_need_edit(struct request *req, struct response *res) { return item_edit(req, res, true); }
int handle_net_strength_update(struct request *req, struct response *res) { return item_update(req, res, false); }
int handle_net_need_update(struct request *req, struct response *res) { return item_update(req, res, true); }
int handle_net_strength_delete(struct request *req, struct response *res) { return item_delete(req, res, false); }
int handle_net_need_delete(struct request *req, struct response *res) { return item_delete(req, res, true); }
int handle_net_strengths(struct request *req, struct response *res) { return item_search(req, res, false); }
int handle_net_needs(struct request *req, struct response *res) { return item_search(req, res, true); }
