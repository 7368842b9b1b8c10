// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages.h — what the networks page files (pages.c, pages_school.c,
 * pages_people.c) share: opening the network a URL names for the person
 * asking, the common parts of a page model, the way a refused or invalid
 * form is answered, and the handlers the route table in pages.c lists.
 */
#ifndef TANDEM_APP_NETWORKS_PAGES_H
#define TANDEM_APP_NETWORKS_PAGES_H

#include <stdbool.h>

#include <jansson.h>

#include "app/networks/net.h"
#include "app/page.h"
#include "http/http.h"

struct arena;
struct db;

/* One network page's context: the page kit's, and the network with what the person may do there. */
struct net_page {
	struct page p;         /* the request, arena, database and person (app/page.h) */
	struct network net;    /* the network of {slug} */
	struct net_access acc; /* what the person may do there */
};

/* How much a page needs of the network before its handler runs. */
enum net_need {
	NET_NEED_SEE,  /* knowing it exists (public networks show outsiders their summary) */
	NET_NEED_READ, /* everything members see */
	NET_NEED_USER, /* a signed-in person (state-changing routes) who can see it */
};

/*
 * Open the page kit and the network of the request's {slug}. Returns 0, or
 * a negative error with the response set: anonymous visitors to anything
 * not public are sent to sign in; a network hidden from the person is a
 * 404; a public network's private pages are a 403 to outsiders.
 */
int net_page_open(struct request *req, struct response *res, enum net_need need, struct net_page *pg) WUR;
/*
 * What the network's menu (templates/networks/_nav) shows the person with
 * these facts: {read, edit, themes, schools, steering, profile, impact}
 * (new reference). Every page with the menu sets it as `menu`, so the menu
 * is the same on every one of them (the network's own pages have it as
 * `can` too, for their own buttons).
 */
json_t *net_nav_can(const struct net_access *acc);
/* A page model with {title, network, can{…}, menu{…}} for pg (new reference). */
json_t *net_page_model(const struct net_page *pg, const char *title);

/* pages_school.c */
int handle_net_school(struct request *req, struct response *res);
int handle_net_strength_add(struct request *req, struct response *res);
int handle_net_strength_edit(struct request *req, struct response *res);
int handle_net_strength_update(struct request *req, struct response *res);
int handle_net_strength_delete(struct request *req, struct response *res);
int handle_net_strengths(struct request *req, struct response *res);
int handle_net_need_add(struct request *req, struct response *res);
int handle_net_need_edit(struct request *req, struct response *res);
int handle_net_need_update(struct request *req, struct response *res);
int handle_net_need_delete(struct request *req, struct response *res);
int handle_net_needs(struct request *req, struct response *res);
extern const struct param_spec net_strength_params[];
extern const struct param_spec net_need_params[];
extern const struct param_spec net_search_params[];

/* pages_people.c */
int handle_net_people(struct request *req, struct response *res);
int handle_net_invite(struct request *req, struct response *res);
int handle_net_invitation_revoke(struct request *req, struct response *res);
int handle_net_person_role(struct request *req, struct response *res);
int handle_net_person_remove(struct request *req, struct response *res);
int handle_invitation_show(struct request *req, struct response *res);
int handle_invitation_accept(struct request *req, struct response *res);

/* pages_membership.c */
int handle_net_membership(struct request *req, struct response *res);
int handle_net_membership_answer(struct request *req, struct response *res);
int handle_net_school_withdraw(struct request *req, struct response *res);
int handle_admin_leads(struct request *req, struct response *res);
int handle_admin_lead_decide(struct request *req, struct response *res);
extern const struct param_spec net_membership_params[];
extern const struct param_spec net_lead_decision_params[];
extern const struct param_spec net_lead_list_params[];
extern const struct param_spec net_invite_params[];
extern const struct param_spec net_people_params[];
extern const struct param_spec net_role_params[];
extern const struct param_spec net_accept_params[];

#endif
