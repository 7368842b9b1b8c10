// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * programme.h — the network's professional-development programme as the
 * rest of Tandem sees it: the route table (the annual programme, courses,
 * sessions, booking, the waiting list's offers, registers, my learning;
 * pages*.c), the job that passes on lapsed offers and sends reminders
 * (jobs.c), the calendar source and the data-export part (calendar.c).
 */
#ifndef TANDEM_APP_PROGRAMME_PROGRAMME_H
#define TANDEM_APP_PROGRAMME_PROGRAMME_H

#include <stdint.h>

#include <jansson.h>

#include "http/http.h"

struct arena;
struct calendar_feed;
struct db;
struct net_access;
struct network;
struct job;
struct user;

/* Route table for /networks/{slug}/programme/… and /offers/…. */
extern const struct route programme_routes[];

/*
 * The programme job of `tandem serve` (app_jobs lists it): at start and
 * every minute, an offer of a place that has run out passes to the next
 * person in line, and the reminders that are due are queued.
 */
extern const struct job programme_offers_job;

/*
 * The programme's part of the calendar feed (a calendar_sources entry):
 * the sessions u has a place on and those of the courses u facilitates.
 * 0 or ERR_DB.
 */
int prog_calendar_add(struct db *db, struct calendar_feed *f);
/* How many sessions feed u's calendar: 0 or ERR_DB. */
int prog_calendar_count(struct db *db, const struct user *u, int64_t *n);

/*
 * A person's part of "download my data" (an accounts_export_parts entry):
 * their bookings with attendance, the facilitation teams they are on and
 * the courses they created. New reference; NULL on a store error.
 */
json_t *programme_export_person(struct db *db, int64_t person_id);

/*
 * Release what drawing certificates keeps for the whole process (cairo's
 * and fontconfig's caches). app_close calls it, after the server stopped.
 */
void programme_shutdown(void);

/*
 * `tandem demo`'s programme for network net (networks/demo.c calls it, as
 * the administrator admin): courses, sessions, bookings, a waiting list and
 * a past session with its register. Does nothing when the network has
 * courses. 0 or a negative error.
 */
int programme_demo(struct db *db, struct arena *a, const struct network *net, const struct net_access *admin);

#endif
