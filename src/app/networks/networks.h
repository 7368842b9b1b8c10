// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * networks.h — the networks capability as the rest of Tandem sees it: the
 * route table (networks, member schools, people, invitations, strengths and
 * needs; see pages*.c) and the `tandem demo` command (demo.c).
 */
#ifndef TANDEM_APP_NETWORKS_NETWORKS_H
#define TANDEM_APP_NETWORKS_NETWORKS_H

#include <stdint.h>

#include <jansson.h>

#include "http/http.h"

struct cli;
struct db;

/* Route table for /networks/… and /invitations/…. */
extern const struct route networks_routes[];

/*
 * A person's part of "download my data" (an accounts_export_parts entry):
 * their network roles, the networks they created, the strengths and needs
 * they wrote, the strengths naming them as contact and the invitations they
 * sent (without the invitee's address) or accepted. New reference; NULL on a
 * store error.
 */
json_t *networks_export_person(struct db *db, int64_t person_id);

/* Forget the network homes kept in memory (at shutdown). */
void networks_shutdown(void);

/* `tandem demo`: the demo network, its strengths and needs and demo accounts (exit status). */
int networks_cli_demo(struct cli *cli);

#endif
