// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * policy.h — who may do what in a network's professional-development
 * programme: one function per decision, each a pure function over the facts
 * in struct prog_access (no store, no HTTP), so the whole table is
 * unit-tested cell by cell in tests/unit/test_prog_policy.c. Every function
 * denies unless a rule allows. The table is at the top of policy.c.
 */
#ifndef TANDEM_APP_PROGRAMME_POLICY_H
#define TANDEM_APP_PROGRAMME_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "app/accounts/accounts.h"

/*
 * The facts a decision needs about the person asking, the network and (for
 * decisions about one course) the course. Filled by prog_access_load
 * (model.c); zeroed means an anonymous visitor and no network.
 */
struct prog_access {
	int64_t person_id;     /* person.id, 0 when nobody is signed in */
	int64_t school_urn;    /* the person's school, 0 when none */
	enum school_role role; /* the person's role in that school */
	bool is_admin;         /* deployment administrator */
	int64_t network_id;    /* the network, 0 when none */
	bool network_public;   /* the network shows itself (and its programme) to outsiders */
	bool school_member;    /* the person's school is a member school of the network */
	bool coordinator;      /* the person coordinates the network */
	bool steering;         /* the person is on the network's steering group */
	int64_t course_id;     /* the course asked about, 0 when none */
	bool facilitator;      /* the person is on that course's facilitation team */
	bool course_lead;      /* the person leads that course */
};

/* See the programme: courses, sessions, dates, venues, places left (no people's names for outsiders). */
bool prog_policy_programme_see(const struct prog_access *a);
/* See the programme as members do: facilitators' names and schools, how many are booked from each school. */
bool prog_policy_programme_read(const struct prog_access *a);
/* Create a course. */
bool prog_policy_course_create(const struct prog_access *a);
/* Change a course's details and its facilitation team. */
bool prog_policy_course_edit(const struct prog_access *a);
/* Add and change the course's sessions (capacity included). */
bool prog_policy_session_edit(const struct prog_access *a);
/* Book oneself a place (or join the waiting list). */
bool prog_policy_book_self(const struct prog_access *a);
/* Book a place for a colleague of school urn. */
bool prog_policy_book_colleague(const struct prog_access *a, int64_t urn);
/* Cancel the booking (or the waiting-list place) of person attendee at school urn. */
bool prog_policy_booking_cancel(const struct prog_access *a, int64_t attendee, int64_t urn);
/* See the name of attendee, a person at school urn booked or waiting for a session. */
bool prog_policy_attendee_name(const struct prog_access *a, int64_t attendee, int64_t urn);
/*
 * See the name of everyone booked or waiting for the session asked about,
 * and cancel any of their places (up to the start): its course's
 * facilitators and the network's coordinators. Whenever this is true,
 * prog_policy_attendee_name and prog_policy_booking_cancel are true for
 * every attendee, so what they are shown is the same for all of them.
 */
bool prog_policy_attendees_all(const struct prog_access *a);
/* See the joining link of an online session (has_place: the person holds a place on it). */
bool prog_policy_online_link(const struct prog_access *a, bool has_place);
/* Take the register and read the whole list of attendees. */
bool prog_policy_register(const struct prog_access *a);
/* Change the network's programme settings (how long offers hold, feedback, reminders). */
bool prog_policy_settings_edit(const struct prog_access *a);
/* Change the network's feedback questions: add, reword, reorder, retire (coordinators, the steering group). */
bool prog_policy_questions_edit(const struct prog_access *a);

#endif
