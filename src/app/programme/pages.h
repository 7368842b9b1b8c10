// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pages.h — what the programme's page files (pages.c: the annual programme
 * and courses; pages_sessions.c: sessions, booking and offers) share:
 * opening the network a URL names with the programme facts of the person
 * asking, the options of the forms, and the handlers the route table in
 * pages.c lists.
 */
#ifndef TANDEM_APP_PROGRAMME_PAGES_H
#define TANDEM_APP_PROGRAMME_PAGES_H

#include <jansson.h>

#include "app/networks/pages.h"
#include "app/programme/prog.h"
#include "http/http.h"

/* One programme page's context. */
struct prog_page {
	struct net_page n;      /* the page kit, the network and the networks facts (n.p is the page kit's) */
	struct prog_access acc; /* the programme facts of the person asking */
	struct prog_course course;   /* the course of the URL, when it names one */
	struct prog_session session; /* the session of the URL, when it names one */
};

/*
 * Open the network of {slug} for the person asking (signed_in: the route
 * changes something), and the programme facts. Anonymous visitors to a
 * private network are sent to sign in; people who may not see the
 * programme get a 404. Returns 0 or the error with the response set.
 */
int prog_page_open(struct request *req, struct response *res, bool signed_in, struct prog_page *pg) WUR;
/* The same, and the course of {id}: 404 when it is not the network's. */
int prog_page_open_course(struct request *req, struct response *res, bool signed_in, struct prog_page *pg) WUR;
/* The same, and the session of {id} with its course. */
int prog_page_open_session(struct request *req, struct response *res, bool signed_in, struct prog_page *pg) WUR;
/* A page model {title, network, programme_url, signed_in} for pg (new reference). */
json_t *prog_page_model(const struct prog_page *pg, const char *title);
/* The page's base URL for links in emails. */
const char *prog_page_base(const struct prog_page *pg);

/* pages_sessions.c */
int handle_prog_session(struct request *req, struct response *res);
int handle_prog_session_update(struct request *req, struct response *res);
int handle_prog_book(struct request *req, struct response *res);
int handle_prog_cancel(struct request *req, struct response *res);
int handle_prog_leave(struct request *req, struct response *res);
int handle_prog_offer(struct request *req, struct response *res);
int handle_prog_offer_answer(struct request *req, struct response *res);
/* The session form's parameters (pages_sessions.c), and reading them into a struct. */
extern const struct param_spec prog_session_params[];
void prog_session_in_read(struct request *req, struct prog_session_in *in);
extern const struct param_spec prog_book_params[];
extern const struct param_spec prog_cancel_params[];
extern const struct param_spec prog_offer_params[];
extern const struct param_spec prog_offer_answer_params[];
/* pages_attendance.c */
int handle_prog_register(struct request *req, struct response *res);
int handle_prog_register_save(struct request *req, struct response *res);
int handle_prog_register_csv(struct request *req, struct response *res);
int handle_prog_register_xlsx(struct request *req, struct response *res);
int handle_prog_checkin(struct request *req, struct response *res);
int handle_prog_learning(struct request *req, struct response *res);
int handle_prog_learning_csv(struct request *req, struct response *res);
extern const struct param_spec prog_register_params[];
extern const struct param_spec prog_checkin_params[];
/* pages_feedback.c */
int handle_prog_feedback(struct request *req, struct response *res);
int handle_prog_feedback_submit(struct request *req, struct response *res);
int handle_prog_feedback_results(struct request *req, struct response *res);
int handle_prog_course_feedback(struct request *req, struct response *res);
int handle_prog_certificate(struct request *req, struct response *res);
int handle_prog_certificates(struct request *req, struct response *res);
int handle_certificate_check(struct request *req, struct response *res);
int handle_prog_settings(struct request *req, struct response *res);
int handle_prog_settings_save(struct request *req, struct response *res);
extern const struct param_spec prog_feedback_params[];
extern const struct param_spec prog_certificate_params[];
extern const struct param_spec prog_settings_params[];
/* pages_questions.c */
int handle_prog_questions(struct request *req, struct response *res);
int handle_prog_question_add(struct request *req, struct response *res);
int handle_prog_question(struct request *req, struct response *res);
int handle_prog_question_edit(struct request *req, struct response *res);
int handle_prog_question_move(struct request *req, struct response *res);
int handle_prog_question_retire(struct request *req, struct response *res);
int handle_prog_question_restore(struct request *req, struct response *res);
extern const struct param_spec prog_question_params[];
extern const struct param_spec prog_question_move_params[];
/* pages_teachmeet.c */
int handle_prog_teachmeet(struct request *req, struct response *res);
int handle_prog_teachmeet_screen(struct request *req, struct response *res);
int handle_prog_teachmeet_signup(struct request *req, struct response *res);
int handle_prog_teachmeet_withdraw(struct request *req, struct response *res);
int handle_prog_teachmeet_draw(struct request *req, struct response *res);
int handle_prog_rotation(struct request *req, struct response *res);
extern const struct param_spec prog_teachmeet_params[];
extern const struct param_spec prog_rotation_params[];
/* The venues a session may be at: the network's member schools [{urn, name, selected}] (new array). */
json_t *prog_venue_options(struct db *db, const struct prog_page *pg, int64_t selected);

#endif
