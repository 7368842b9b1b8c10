// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * reports.h — the impact reports as the rest of Tandem sees them: the route
 * table (pages.c) of the network's impact page, its CSV and XLSX exports,
 * the switch that publishes it and each member school's own impact page.
 */
#ifndef TANDEM_APP_REPORTS_REPORTS_H
#define TANDEM_APP_REPORTS_REPORTS_H

#include <stdint.h>

#include "http/http.h"

struct db;

/* Route table for /networks/{slug}/impact… and /networks/{slug}/schools/{urn}/impact. */
extern const struct route reports_routes[];

/*
 * `tandem demo --history`'s impact part for network network_id (networks/
 * demo.c calls it after the programme's; make demo asks for it): past sessions with attendance and feedback,
 * partnerships with measures, ideas tried in other schools, so every chart
 * of the impact page shows something. Does nothing when it ran before.
 * 0 or a negative error (nothing written).
 */
int reports_demo(struct db *db, int64_t network_id);

/* Forget the reports this process keeps (pages.c), at shutdown. */
void reports_shutdown(void);

#endif
