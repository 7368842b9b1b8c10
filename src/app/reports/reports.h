// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * reports.h — the impact reports as the rest of Tandem sees them: the route
 * table (pages.c) of the network's impact page, its CSV and XLSX exports,
 * the switch that publishes it and each member school's own impact page.
 */
#ifndef TANDEM_APP_REPORTS_REPORTS_H
#define TANDEM_APP_REPORTS_REPORTS_H

#include "http/http.h"

/* Route table for /networks/{slug}/impact… and /networks/{slug}/schools/{urn}/impact. */
extern const struct route reports_routes[];

#endif
