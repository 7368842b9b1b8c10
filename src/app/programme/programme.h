// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * programme.h — the network's professional-development programme as the
 * rest of Tandem sees it: the route table (the annual programme, courses,
 * sessions, booking, the waiting list's offers; pages*.c) and the job that
 * passes on offers nobody answered in time (jobs.c).
 */
#ifndef TANDEM_APP_PROGRAMME_PROGRAMME_H
#define TANDEM_APP_PROGRAMME_PROGRAMME_H

#include "http/http.h"

struct job;

/* Route table for /networks/{slug}/programme/… and /offers/…. */
extern const struct route programme_routes[];

/*
 * The offers job of `tandem serve` (app_jobs lists it): at start and every
 * minute, an offer of a place that has run out passes to the next person in
 * line.
 */
extern const struct job programme_offers_job;

#endif
