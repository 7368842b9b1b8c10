// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * policy.c — every permission decision about a network's programme, in one
 * place. The model (model.c, sessions.c, booking.c) calls these before it
 * reads or changes anything, so a handler cannot forget a check; pages call
 * them only to decide which buttons to show. Each function denies unless one
 * of its rules allows: a struct prog_access left zeroed (nobody signed in,
 * no network) is refused everything.
 *
 * Who may do what (per network; "member" = a person whose school is a member
 * school of the network, with a school role; "facilitator" = on the course's
 * facilitation team, the course lead included; "own lead" = a lead of the
 * attendee's own school, itself a member):
 *
 *   action                      admin coord. steering facilitator lead      staff/gov. outsider anonymous
 *   see the programme: courses, yes   yes    yes      yes         yes       yes        if public if public
 *     sessions, places left
 *   see facilitators' names and yes   yes    yes      yes         yes       yes        no       no
 *     per-school booking counts
 *   create a course             yes   yes    yes      no          no        no         no       no
 *   edit a course and its team  yes   yes    yes      course lead no        no         no       no
 *   add and edit its sessions   yes   yes    yes      yes         no        no         no       no
 *   book oneself                no¹   no¹    no¹      no¹         yes       yes        no       no
 *   book a colleague            no    no     no       no          own       no         no       no
 *                                                                 school
 *   cancel someone's booking or yes   yes    no       yes         own       own place  no       no
 *     waiting-list place                                          school's  only
 *   see attendees' names        no²   yes    no       yes         own       own name   no       no
 *                                                                 school's  only
 *   take the register           no²   yes    no       yes         no        no         no       no
 *   see an online session's     yes   yes    no³      yes         with a place          no       no
 *     joining link
 *   change programme settings   yes   yes    no       no          no        no         no       no
 *   change feedback questions   yes   yes    yes      no          no        no         no       no
 *
 * ¹ Anyone booking a place does so as a member of staff or governor of a
 *   member school: a coordinator, steering member or facilitator books as
 *   such. An administrator or coordinator with no member school cannot book.
 * ² Attendees' names go only to the people who need them (the brief of
 *   issue 13: facilitators, coordinators, the attendee's own school lead);
 *   a deployment administrator sees counts, like everyone else.
 * ³ Unless they hold a place.
 *
 * Outsiders never learn anything about a private network's programme (the
 * pages answer 404), and of a public one they see courses, sessions, venues
 * and places left, never a person's name.
 */
#include "app/programme/policy.h"

/* Signed in and asking about a network. */
static bool in_context(const struct prog_access *a)
{
	return a && a->person_id > 0 && a->network_id > 0;
}

/* The person's school is a member of the network and they have a role there. */
static bool member(const struct prog_access *a)
{
	return in_context(a) && a->school_member && a->school_urn > 0 && a->role > SCHOOL_ROLE_NONE &&
	       a->role < SCHOOL_ROLE__MAX;
}

/* A lead of a member school, and that school is urn. */
static bool lead_of(const struct prog_access *a, int64_t urn)
{
	return member(a) && a->role == SCHOOL_ROLE_LEAD && urn > 0 && a->school_urn == urn;
}

/* A facilitator of the course asked about. */
static bool facilitates(const struct prog_access *a)
{
	return in_context(a) && a->course_id > 0 && (a->facilitator || a->course_lead);
}

bool prog_policy_programme_read(const struct prog_access *a)
{
	if (!in_context(a))
		return false;
	return a->is_admin || a->coordinator || a->steering || member(a) || facilitates(a);
}

bool prog_policy_programme_see(const struct prog_access *a)
{
	if (!a || a->network_id <= 0)
		return false;
	return a->network_public || prog_policy_programme_read(a);
}

bool prog_policy_course_create(const struct prog_access *a)
{
	return in_context(a) && (a->is_admin || a->coordinator || a->steering);
}

bool prog_policy_course_edit(const struct prog_access *a)
{
	if (prog_policy_course_create(a))
		return true;
	return in_context(a) && a->course_id > 0 && a->course_lead;
}

bool prog_policy_session_edit(const struct prog_access *a)
{
	return prog_policy_course_create(a) || facilitates(a);
}

bool prog_policy_book_self(const struct prog_access *a)
{
	return member(a);
}

bool prog_policy_book_colleague(const struct prog_access *a, int64_t urn)
{
	return lead_of(a, urn);
}

bool prog_policy_booking_cancel(const struct prog_access *a, int64_t attendee, int64_t urn)
{
	if (!in_context(a) || attendee <= 0)
		return false;
	if (attendee == a->person_id)
		return true;
	return a->is_admin || a->coordinator || facilitates(a) || lead_of(a, urn);
}

bool prog_policy_attendee_name(const struct prog_access *a, int64_t attendee, int64_t urn)
{
	if (!in_context(a) || attendee <= 0)
		return false;
	if (attendee == a->person_id)
		return true;
	return a->coordinator || facilitates(a) || lead_of(a, urn);
}

bool prog_policy_attendees_all(const struct prog_access *a)
{
	return in_context(a) && (a->coordinator || facilitates(a));
}

bool prog_policy_online_link(const struct prog_access *a, bool has_place)
{
	if (!in_context(a))
		return false;
	if (has_place && member(a))
		return true;
	return a->is_admin || a->coordinator || facilitates(a);
}

bool prog_policy_register(const struct prog_access *a)
{
	return in_context(a) && (a->coordinator || facilitates(a));
}

bool prog_policy_settings_edit(const struct prog_access *a)
{
	return in_context(a) && (a->is_admin || a->coordinator);
}

bool prog_policy_questions_edit(const struct prog_access *a)
{
	return prog_policy_course_create(a);
}
