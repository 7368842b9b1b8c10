// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * broker.h — the broker capability as the rest of Tandem sees it: the route
 * table (the coordinator's review at /networks/{slug}/broker and a school
 * lead's capacity form, pages.c) and `tandem broker` (cli.c).
 */
#ifndef TANDEM_APP_BROKER_BROKER_H
#define TANDEM_APP_BROKER_BROKER_H

#include "http/http.h"

struct cli;

/* Route table for /networks/{slug}/broker…. */
extern const struct route broker_routes[];

/* `tandem broker --network SLUG [--json]`: the proposals a run would make, printed (exit status). */
int broker_cli(struct cli *cli);

#endif
