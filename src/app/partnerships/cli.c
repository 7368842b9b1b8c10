// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * cli.c — `tandem digest [--dry-run]`: the health sweep and the weekly
 * digests once, for cron (when the server's own job is turned off with
 * TANDEM_DIGEST_INTERVAL=0) and for tests, which move the clock with
 * TANDEM_CLOCK_OFFSET. It prints each health change, each digest queued and
 * a last line such as "3 partnerships checked, 1 health change, 2 digests
 * queued". With --dry-run it prints every email in full and changes nothing:
 * the sweep and the digests run in one transaction that is rolled back.
 */
#include <stdio.h>
#include <stdlib.h>

#include "app/cli.h"
#include "app/partnerships/partnerships.h"
#include "app/partnerships/ps.h"
#include "core/clock.h"
#include "core/config.h"
#include "db/db.h"

/* The label of a status key ("On track"), or the key itself when unknown. */
static const char *label_of(const char *key)
{
	enum health_status s;
	return key && health_status_parse(key, &s) == 0 ? health_status_label(s) : key ? key : "?";
}

/* "1 thing" or "2 things". */
static const char *plural(int n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* Print what the run did (or would do). */
static void print_report(const struct ps_digest_report *rep, bool dry_run)
{
	size_t i;
	json_t *c;
	json_array_foreach(rep->changed, i, c)
	{
		printf("%s: %s \u2192 %s. %s\n", json_string_value(json_object_get(c, "title")),
		       label_of(json_string_value(json_object_get(c, "from"))),
		       label_of(json_string_value(json_object_get(c, "to"))),
		       json_string_value(json_object_get(c, "reason")));
	}
	json_array_foreach(rep->messages, i, c)
	{
		const char *to = json_string_value(json_object_get(c, "to"));
		json_int_t n = json_integer_value(json_object_get(c, "partnerships"));
		if (dry_run)
			printf("\n--- The digest %s would get ---\nTo: %s\nSubject: %s\n\n%s---\n", to, to,
			       json_string_value(json_object_get(c, "subject")),
			       json_string_value(json_object_get(c, "body")));
		else
			printf("Digest queued for %s (%lld partnership%s)\n", to, (long long)n, n == 1 ? "" : "s");
	}
	printf("%s%d %s checked, %d %s, %d %s %s\n", dry_run ? "Dry run: " : "", rep->checked,
	       plural(rep->checked, "partnership", "partnerships"), rep->changes,
	       plural(rep->changes, "health change", "health changes"), rep->digests,
	       plural(rep->digests, "digest", "digests"),
	       dry_run ? "would be queued; nothing was changed" : "queued");
}

int partnerships_cli_digest(struct cli *cli)
{
	bool dry_run = cli_flag(cli, "--dry-run");
	struct db *db;
	char err[1024];
	if (db_open(&db, cli->config->db_path, err, sizeof(err))) {
		fprintf(stderr, "tandem digest: %s\n", err);
		return 1;
	}
	char *sqldir = config_share_path(cli->config, "sql");
	int rc = db_migrate(db, sqldir, NULL, err, sizeof(err));
	free(sqldir);
	if (rc) {
		fprintf(stderr, "tandem digest: %s\n", err);
		db_close(db);
		return 1;
	}
	struct ps_digest_report rep;
	ps_digest_report_init(&rep);
	rc = ps_digest_run(db, cli->config->base_url, clock_now(), dry_run, &rep);
	if (rc)
		fprintf(stderr, "tandem digest: the run failed (%s); nothing of the failed step was kept\n",
			err_str(rc));
	else
		print_report(&rep, dry_run);
	ps_digest_report_free(&rep);
	db_close(db);
	return rc ? 1 : 0;
}
