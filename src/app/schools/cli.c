// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * cli.c — the schools commands: `tandem import-gias [--links] FILE` (with a
 * progress bar on a terminal and a report at the end) and `tandem similar
 * URN [--k N] [--within-km D] [--json]`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/schools/model.h"
#include "app/schools/schools.h"
#include "app/schools/similar.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/str.h"
#include "db/db.h"

/* Open the command's database and bring its schema up to date. */
static struct db *open_db(struct cli *cli, const char *cmd)
{
	struct db *db;
	char err[1024];
	if (db_open(&db, cli->config->db_path, err, sizeof(err))) {
		fprintf(stderr, "tandem %s: %s\n", cmd, err);
		return NULL;
	}
	char *sqldir = config_share_path(cli->config, "sql");
	int rc = db_migrate(db, sqldir, NULL, err, sizeof(err));
	free(sqldir);
	if (rc) {
		fprintf(stderr, "tandem %s: %s\n", cmd, err);
		db_close(db);
		return NULL;
	}
	return db;
}

/* A one-line progress bar on stderr, redrawn in place. */
static void progress_bar(void *ctx, uint64_t done, uint64_t total)
{
	int *last = ctx;
	int pct = total ? (int)(done * 100 / total) : 0;
	if (pct > 100)
		pct = 100;
	if (pct == *last)
		return;
	*last = pct;
	char bar[41];
	int fill = pct * 40 / 100;
	for (int i = 0; i < 40; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[40] = '\0';
	fprintf(stderr, "\r  [%s] %3d%%", bar, pct);
	fflush(stderr);
}

int schools_cli_import(struct cli *cli)
{
	const char *path = cli->argv[0];
	bool links = cli_flag(cli, "--links");
	struct db *db = open_db(cli, "import-gias");
	if (!db)
		return 1;
	struct import_report rep;
	char err[1024];
	int last = -1;
	bool tty = isatty(STDERR_FILENO);
	int64_t t0 = clock_mono_us();
	if (tty)
		fprintf(stderr, "Importing %s\n", path);
	int rc = links ? schools_import_links(db, path, NULL, tty ? progress_bar : NULL, &last, &rep,
					      err, sizeof(err))
		       : schools_import_gias(db, path, NULL, tty ? progress_bar : NULL, &last, &rep, err,
					     sizeof(err));
	if (tty)
		fputc('\n', stderr);
	double secs = (double)(clock_mono_us() - t0) / 1e6;
	if (rc) {
		fprintf(stderr, "tandem import-gias: %s\n", err);
		import_report_free(&rep);
		db_close(db);
		return 1;
	}
	printf("Imported %s%s%s in %.1f s (run %lld)\n", path, rep.snapshot[0] ? ", snapshot " : "",
	       rep.snapshot, secs, (long long)rep.run_id);
	if (links)
		printf("  rows read %ld · links new or changed %ld · unchanged %ld · rejected %ld\n",
		       rep.read, rep.inserted, rep.unchanged, rep.rejected);
	else
		printf("  rows read %ld · inserted %ld · updated %ld · unchanged %ld · closed since last "
		       "time %ld · rejected %ld\n",
		       rep.read, rep.inserted, rep.updated, rep.unchanged, rep.closed, rep.rejected);
	if (rep.ignored)
		printf("  ignored %zu column%s: %s\n", rep.ignored, rep.ignored == 1 ? "" : "s",
		       rep.ignored_list);
	size_t i;
	json_t *r;
	json_array_foreach(rep.rejects, i, r)
	{
		if (i >= 20) {
			printf("  … and %ld more rejected rows (see the import record)\n", rep.rejected - 20);
			break;
		}
		const char *col = json_string_value(json_object_get(r, "column"));
		printf("  rejected line %lld%s%s: %s\n",
		       (long long)json_integer_value(json_object_get(r, "line")), col && *col ? ", column " : "",
		       col ? col : "", json_string_value(json_object_get(r, "reason")));
	}
	import_report_free(&rep);
	db_close(db);
	return 0;
}

int schools_cli_similar(struct cli *cli)
{
	int64_t urn, k = SIMILAR_K_DEFAULT;
	double km = 0;
	const char *v;
	if (str_to_int64(cli->argv[0], &urn) || urn <= 0) {
		fprintf(stderr, "tandem similar: URN must be a whole number, got '%s'\n", cli->argv[0]);
		return 2;
	}
	if ((v = cli_value(cli, "--k")) && (str_to_int64(v, &k) || k < 1 || k > SIMILAR_K_MAX)) {
		fprintf(stderr, "tandem similar: --k must be a whole number from 1 to %d, got '%s'\n",
			SIMILAR_K_MAX, v);
		return 2;
	}
	if ((v = cli_value(cli, "--within-km")) && (str_to_double(v, &km) || km <= 0 || km > 1000)) {
		fprintf(stderr, "tandem similar: --within-km must be a number of kilometres above 0 "
				"and at most 1000, got '%s'\n", v);
		return 2;
	}
	struct db *db = open_db(cli, "similar");
	if (!db)
		return 1;
	struct similar_options opt;
	similar_options_default(&opt);
	opt.k = (int)k;
	opt.within_km = km;
	opt.include_independent = cli_flag(cli, "--independent");
	json_t *model;
	const char *reason;
	int rc = schools_similar(db, urn, &opt, &model, &reason);
	if (rc) {
		if (rc == ERR_NOTFOUND)
			fprintf(stderr, "tandem similar: no school with URN %lld in %s (import the register "
					"with 'tandem import-gias FILE')\n", (long long)urn, cli->config->db_path);
		else
			fprintf(stderr, "tandem similar: %s\n", reason ? reason : err_str(rc));
		db_close(db);
		return 1;
	}
	if (cli_flag(cli, "--json")) {
		char *s = json_dumps(model, JSON_INDENT(2));
		puts(s);
		free(s);
	} else {
		json_t *me = json_object_get(model, "school");
		printf("Schools with the most in common with %s (URN %lld, %s)\n",
		       json_string_value(json_object_get(me, "name")), (long long)urn,
		       json_string_value(json_object_get(json_object_get(model, "meta"), "group")));
		size_t i;
		json_t *r;
		json_array_foreach(json_object_get(model, "results"), i, r)
		{
			printf("%3zu. %5.1f  %-7lld %s, %s\n       %s\n", i + 1,
			       json_real_value(json_object_get(r, "score")),
			       (long long)json_integer_value(json_object_get(r, "urn")),
			       json_string_value(json_object_get(r, "name")),
			       json_string_value(json_object_get(r, "town")) ? json_string_value(json_object_get(r, "town")) : "",
			       json_string_value(json_object_get(r, "explanation")));
		}
		if (json_array_size(json_object_get(model, "results")) == 0)
			printf("No school in the comparison group matches these options.\n");
	}
	json_decref(model);
	db_close(db);
	return 0;
}
