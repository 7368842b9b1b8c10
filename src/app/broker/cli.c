// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * cli.c — `tandem broker --network SLUG [--json]`: the proposals a run of
 * the broker would make now for the network (the same computation as the
 * review page's "Run the broker", with accepted proposals kept fixed), the
 * schools left out and why, the co-creation groups and the fairness counts.
 * It changes nothing: the coordinator decides on the page. With --json:
 * {proposals [{a{urn,name,gain}, b{…}, reciprocal, score, explanation[]}],
 * left_out, groups, lone_themes, fairness}.
 */
#include "app/broker/broker.h"

#include <stdio.h>
#include <stdlib.h>

#include "app/broker/model.h"
#include "app/cli.h"
#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"

/* Print the run for people. */
static void print_text(json_t *j)
{
	json_t *f = json_object_get(j, "fairness");
	size_t i, k;
	json_t *p, *v;
	printf("Broker for %s\n\n", json_string_value(json_object_get(json_object_get(j, "network"), "name")));
	json_array_foreach(json_object_get(j, "proposals"), i, p)
	{
		json_t *a = json_object_get(p, "a"), *b = json_object_get(p, "b");
		printf("%zu. %s (URN %lld) and %s (URN %lld): %s, score %lld\n", i + 1,
		       json_string_value(json_object_get(a, "name")), (long long)json_integer_value(json_object_get(a, "urn")),
		       json_string_value(json_object_get(b, "name")), (long long)json_integer_value(json_object_get(b, "urn")),
		       json_is_true(json_object_get(p, "reciprocal")) ? "two-way" : "one-way",
		       (long long)json_integer_value(json_object_get(p, "score")));
		json_array_foreach(json_object_get(p, "explanation"), k, v) printf("   %s\n", json_string_value(v));
	}
	json_array_foreach(json_object_get(j, "left_out"), i, p)
	{
		if (i == 0)
			printf("\nLeft out:\n");
		printf("- %s (URN %lld): %s\n", json_string_value(json_object_get(p, "name")),
		       (long long)json_integer_value(json_object_get(p, "urn")),
		       json_string_value(json_object_get(p, "reason")));
	}
	json_array_foreach(json_object_get(j, "groups"), i, p)
	{
		if (i == 0)
			printf("\nCo-creation groups (a shared need nobody in the network is strong in):\n");
		printf("- %s:", json_string_value(json_object_get(p, "theme")));
		json_array_foreach(json_object_get(p, "schools"), k, v)
			printf("%s %s", k ? "," : "", json_string_value(json_object_get(v, "name")));
		printf("\n");
	}
	printf("\n%lld of %lld schools that could have a partner have a proposal; %lld of %lld proposals are "
	       "two-way; %s.\n",
	       (long long)json_integer_value(json_object_get(f, "schools_with_proposal")),
	       (long long)json_integer_value(json_object_get(f, "schools_possible")),
	       (long long)json_integer_value(json_object_get(f, "reciprocal")),
	       (long long)json_integer_value(json_object_get(f, "proposals")),
	       json_integer_value(json_object_get(f, "over_capacity")) == 0 ? "no school is over its capacity"
									  : "some schools are over capacity");
}

int broker_cli(struct cli *cli)
{
	const char *slug = cli_value(cli, "--network");
	bool as_json = cli_flag(cli, "--json");
	if (!slug || !*slug) {
		fprintf(stderr, "tandem broker: say which network: --network SLUG\n");
		return 2;
	}
	struct db *db;
	char err[1024];
	if (db_open(&db, cli->config->db_path, err, sizeof(err))) {
		fprintf(stderr, "tandem broker: %s\n", err);
		return 1;
	}
	char *sqldir = config_share_path(cli->config, "sql");
	int rc = db_migrate(db, sqldir, NULL, err, sizeof(err));
	free(sqldir);
	if (rc) {
		fprintf(stderr, "tandem broker: %s\n", err);
		db_close(db);
		return 1;
	}
	struct arena *a = arena_new();
	struct broker_ctx c;
	json_t *j = NULL;
	int status = 0;
	if ((rc = broker_open_cli(db, a, slug, &c))) {
		fprintf(stderr, "tandem broker: there is no network \"%s\"\n", slug);
		status = 1;
	} else if ((rc = broker_compute(db, a, &c, &j)) == ERR_INVALID) {
		json_t *missing = broker_missing(db, &c);
		size_t i;
		json_t *v;
		fprintf(stderr, "tandem broker: the network is not ready for the broker:\n");
		json_array_foreach(missing, i, v) fprintf(stderr, "- %s\n", json_string_value(v));
		json_decref(missing);
		status = 1;
	} else if (rc) {
		fprintf(stderr, "tandem broker: the run failed (%s)\n", err_str(rc));
		status = 1;
	} else if (as_json) {
		char *text = json_dumps(j, JSON_INDENT(2));
		printf("%s\n", text ? text : "{}");
		free(text);
	} else {
		print_text(j);
	}
	json_decref(j);
	arena_free(a);
	db_close(db);
	return status;
}
