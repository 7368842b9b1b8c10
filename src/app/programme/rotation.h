// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * rotation.h — planning a speed-learning event: hosts sit at tables and
 * each shares one idea; the attendees move between tables for a number of
 * rounds. rotation_plan works out who sits where each round so that each
 * attendee visits a different table every round, the tables of a round
 * differ in size by at most one, nobody visits a host from their own
 * school, and people from the same school are spread apart. Pure: no store,
 * no HTTP (unit-tested in tests/unit/test_rotation.c).
 */
#ifndef TANDEM_APP_PROGRAMME_ROTATION_H
#define TANDEM_APP_PROGRAMME_ROTATION_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* The most hosts, attendees and rounds one plan takes. */
#define ROTATION_MAX_HOSTS 100
#define ROTATION_MAX_PEOPLE 1000
#define ROTATION_MAX_ROUNDS 20

/* A host or an attendee: who, and their school (0 for none). */
struct rot_person {
	int64_t id;  /* person.id */
	int64_t urn; /* their school */
};

/*
 * Plan rounds rounds for na attendees at the tables of nh hosts: on success
 * table[i * rounds + r] is the host index attendee i sits with in round r.
 * seed makes the plan repeatable (the same inputs and seed give the same
 * plan). ERR_INVALID with a sentence in why (no hosts, more hosts than
 * attendees, rounds out of 1..nh, someone whose own school hosts too many
 * tables to visit a different one each round, over the limits), or
 * ERR_CONFLICT when no plan keeps every rule (why says so).
 */
int rotation_plan(const struct rot_person *hosts, size_t nh, const struct rot_person *att, size_t na, int rounds,
		  uint64_t seed, int *table, char *why, size_t whysz) WUR;

#endif
