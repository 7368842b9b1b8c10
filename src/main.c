// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * main.c — the `tandem` command: parses the command line against each
 * command's declared options, loads the configuration (defaults, TANDEM_*
 * environment, then options) and runs the command. `serve` runs the web
 * server until SIGTERM or SIGINT, then shuts down gracefully.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/accounts/accounts.h"
#include "app/app.h"
#include "app/broker/broker.h"
#include "app/cli.h"
#include "app/jobs.h"
#include "app/networks/networks.h"
#include "app/partnerships/partnerships.h"
#include "app/practice/practice.h"
#include "app/schools/schools.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "core/str.h"
#include "core/util.h"
#include "db/db.h"

/* Options every command accepts. */
static const struct cli_option global_options[] = {
	{"--db", "PATH", "the database: an SQLite file, or postgres://… (TANDEM_DB, default var/tandem.db)"},
	{"--share", "DIR", "folder with templates/, static/ and sql/ (TANDEM_SHARE)"},
	{NULL, NULL, NULL},
};

static int cmd_serve(struct cli *cli);
static int cmd_migrate(struct cli *cli);
static int cmd_version(struct cli *cli);
static int cmd_copy_db(struct cli *cli);
static int cmd_help(struct cli *cli);

static const struct cli_option serve_options[] = {
	{"--listen", "ADDR:PORT", "where to listen (TANDEM_LISTEN, default 127.0.0.1:8080; port 0 = any free port)"},
	{"--threads", "N", "worker threads (TANDEM_THREADS, default: number of cores)"},
	{NULL, NULL, NULL},
};

static const struct cli_option import_options[] = {
	{"--links", NULL, "FILE is a links file (predecessor/successor URNs), not the register"},
	{NULL, NULL, NULL},
};

static const struct cli_option similar_options[] = {
	{"--k", "N", "how many schools (1 to 100, default 30)"},
	{"--within-km", "D", "only schools at most D km away"},
	{"--independent", NULL, "include independent schools in the comparison"},
	{"--json", NULL, "print JSON instead of a list"},
	{NULL, NULL, NULL},
};

static const struct cli_option user_options[] = {
	{"--email", "E", "the person's email address (their sign-in name)"},
	{"--name", "N", "the person's name as others see it"},
	{"--admin", NULL, "make them a deployment administrator"},
	{"--school", "URN", "their school, by URN (must be in the register)"},
	{"--role", "R", "their role in that school: lead, staff (the default) or governor"},
	{NULL, NULL, NULL},
};

static const struct cli_option copy_options[] = {
	{"--from", "DB", "the database to copy (default: --db or TANDEM_DB)"},
	{"--to", "DB", "the new database: an SQLite file or postgres://… (required)"},
	{NULL, NULL, NULL},
};

static const struct cli_option broker_options[] = {
	{"--network", "SLUG", "the network (its slug, as in /networks/SLUG)"},
	{"--json", NULL, "print JSON: {proposals [{a, b, reciprocal, score, explanation}], left_out, groups, fairness}"},
	{NULL, NULL, NULL},
};

static const struct cli_option digest_options[] = {
	{"--dry-run", NULL, "print what would be recorded and sent, and change nothing"},
	{NULL, NULL, NULL},
};

static const struct cli_option demo_options[] = {
	{"--history", NULL, "also a year of history for the impact reports (past sessions with feedback, "
			    "partnerships with measures, ideas tried in other schools)"},
	{NULL, NULL, NULL},
};

static const struct cli_command commands[] = {
	{"serve", "", 0, 0, "run the web server",
	 "Serves Tandem over HTTP until stopped with Ctrl-C or SIGTERM, then finishes the\n"
	 "requests in flight (up to TANDEM_SHUTDOWN_GRACE seconds) and exits. Pending\n"
	 "database migrations are applied first.",
	 serve_options, cmd_serve},
	{"migrate", "", 0, 0, "create or upgrade the database",
	 "Applies the numbered migrations in sql/ (sql/postgres/ for PostgreSQL) that the database "
	 "has not seen yet, then checks that every SQL statement of the program prepares.", NULL,
	 cmd_migrate},
	{"copy-db", "", 0, 0, "copy all the data into a new database (SQLite to PostgreSQL, or back)",
	 "Copies every table of --from into --to, both brought to the current schema first, in one\n"
	 "transaction; --to must not hold data yet. Counts are compared table by table and the\n"
	 "shared practice's search index is rebuilt on --to (the directory's is kept in memory). The source is read in\n"
	 "a transaction that makes a running server's writes wait until the copy is done. Example:\n"
	 "  tandem copy-db --from var/tandem.db --to postgres://tandem@db.example/tandem",
	 copy_options, cmd_copy_db},
	{"import-gias", "FILE", 1, 1, "import the DfE register of schools (or its links file)",
	 "Imports a Get Information About Schools extract (edubasealldataYYYYMMDD.csv or .csv.gz,\n"
	 "as downloaded from the DfE) in one transaction: a damaged file leaves the data as it was.\n"
	 "Rows that cannot be read are reported and skipped. Importing the same file again\n"
	 "changes nothing. With --links, FILE is links_edubasealldataYYYYMMDD.csv[.gz].",
	 import_options, schools_cli_import},
	{"similar", "URN", 1, 1, "list the schools with the most in common with one school",
	 "Prints the schools most like URN within its phase group (pupils, % free school meals,\n"
	 "% with an EHC plan, as the DfE's comparator sets), with the reasons.",
	 similar_options, schools_cli_similar},
	{"demo", "", 0, 0, "create the demo network and demo accounts",
	 "Creates the Aire Valley Learning Partnership: thirteen schools from the demo data\n"
	 "(import data/demo/edubasealldata20250502-demo.csv.gz first), their strengths and\n"
	 "needs, and an account for each role, then prints how to sign in. Running it again\n"
	 "changes nothing. With --history, the network also gets the weeks of history its impact\n"
	 "page reports on (make demo asks for it).",
	 demo_options, networks_cli_demo},
	{"user", "add", 1, 1, "add a person who can sign in",
	 "Creates an account: tandem user add --email E --name N [--admin] [--school URN --role R].\n"
	 "The password is read from standard input when it is not a terminal (one line), else\n"
	 "asked for twice without echo. It needs at least 10 characters and must not be a\n"
	 "common password, the email address or the name.",
	 user_options, accounts_cli_user},
	{"digest", "", 0, 0, "check partnership health and queue the weekly digests",
	 "Works out the health of every open partnership now, records each change of health\n"
	 "(shown on the partnership's page), then queues the weekly email digest for each\n"
	 "partner school's lead and each partnership's named keeper who is due one (at most\n"
	 "once a week) and has news: overdue actions or changes of health. Prints what it did.\n"
	 "`tandem serve` does the same every TANDEM_DIGEST_INTERVAL seconds; run this from\n"
	 "cron when that is 0. With --dry-run it prints each email instead and changes nothing.",
	 digest_options, partnerships_cli_digest},
	{"broker", "", 0, 0, "print the partnerships the broker would propose for a network",
	 "Scores every pair of member schools (what each gains from the other's strengths, two-way\n"
	 "pairs first), chooses the proposals within each school's capacity so that every school\n"
	 "that can have a partner gets one, and prints them with their reasons, the schools left\n"
	 "out and why, and the co-creation groups. Accepted proposals stay fixed. Changes nothing:\n"
	 "the coordinator runs and decides on /networks/SLUG/broker.",
	 broker_options, broker_cli},
	{"version", "", 0, 0, "print the version", "Prints the version of this tandem binary.", NULL,
	 cmd_version},
	{"help", "[COMMAND]", 0, 1, "show help for tandem or one command",
	 "Without a command, lists the commands; with one, explains it and its options.", NULL,
	 cmd_help},
};

static const struct cli_command *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		if (str_eq(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void print_usage(FILE *f)
{
	fprintf(f, "usage: tandem COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun 'tandem help COMMAND' for a command's options.\n");
}

static void print_options(FILE *f, const struct cli_option *o)
{
	for (; o && o->name; o++) {
		char left[64];
		snprintf(left, sizeof(left), "%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  %-22s %s\n", left, o->help);
	}
}

static void print_command_help(FILE *f, const struct cli_command *c)
{
	fprintf(f, "usage: tandem %s [OPTIONS]%s%s\n\n%s\n\noptions:\n", c->name, *c->args ? " " : "",
		c->args, c->help);
	print_options(f, c->options);
	print_options(f, global_options);
}

static const struct cli_option *match_option(const struct cli_option *opts, const char *name, size_t n)
{
	for (size_t i = 0; opts && opts[i].name; i++)
		if (strlen(opts[i].name) == n && strncmp(opts[i].name, name, n) == 0)
			return &opts[i];
	return NULL;
}

/*
 * Parse argv[first..] for command c into cli, applying global options to the
 * config. Returns 0, or 2 after printing what was wrong and the usage.
 */
static int parse_args(const struct cli_command *c, int argc, char **argv, struct cli *cli)
{
	size_t nopts = 0;
	while (c->options && c->options[nopts].name)
		nopts++;
	cli->options = c->options;
	cli->values = xcalloc(nopts + 1, sizeof(*cli->values));
	cli->argv = xcalloc((size_t)argc + 1, sizeof(char *));
	cli->argc = 0;
	bool only_args = false;
	for (int i = 0; i < argc; i++) {
		char *a = argv[i];
		if (only_args || a[0] != '-' || str_eq(a, "-")) {
			cli->argv[cli->argc++] = a;
			continue;
		}
		if (str_eq(a, "--")) {
			only_args = true;
			continue;
		}
		const char *eq = strchr(a, '=');
		size_t n = eq ? (size_t)(eq - a) : strlen(a);
		const struct cli_option *o = match_option(c->options, a, n);
		const struct cli_option *g = o ? NULL : match_option(global_options, a, n);
		if (!o && !g) {
			fprintf(stderr, "tandem %s: unknown option '%.*s'\n\n", c->name, (int)n, a);
			print_command_help(stderr, c);
			return 2;
		}
		const struct cli_option *opt = o ? o : g;
		const char *value = "";
		if (opt->arg) {
			if (eq)
				value = eq + 1;
			else if (i + 1 < argc)
				value = argv[++i];
			else {
				fprintf(stderr, "tandem %s: option %s needs a value (%s)\n\n", c->name,
					opt->name, opt->arg);
				print_command_help(stderr, c);
				return 2;
			}
		} else if (eq) {
			fprintf(stderr, "tandem %s: option %s takes no value\n", c->name, opt->name);
			return 2;
		}
		if (o) {
			cli->values[o - c->options] = value;
		} else if (str_eq(g->name, "--db")) {
			config_set_str(&cli->config->db_path, value);
		} else if (str_eq(g->name, "--share")) {
			config_set_str(&cli->config->share_dir, value);
		}
	}
	if (cli->argc < c->min_args || cli->argc > c->max_args) {
		fprintf(stderr, "tandem %s: expected %s%s\n\n", c->name,
			c->max_args ? "arguments: " : "no arguments", c->args);
		print_command_help(stderr, c);
		return 2;
	}
	return 0;
}

static int cmd_serve(struct cli *cli)
{
	struct config *cfg = cli->config;
	const char *v;
	if ((v = cli_value(cli, "--listen")) && config_set_listen(cfg, v)) {
		fprintf(stderr, "tandem serve: --listen must be ADDR:PORT, got '%s'\n", v);
		return 2;
	}
	if ((v = cli_value(cli, "--threads"))) {
		int64_t n;
		if (str_to_int64(v, &n) || n < 1 || n > 256) {
			fprintf(stderr, "tandem serve: --threads must be a number from 1 to 256, got '%s'\n", v);
			return 2;
		}
		cfg->threads = (int)n;
	}

	/* Block the stop signals before any thread starts, so only sigwait sees them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct app app;
	char err[1024];
	if (app_open(&app, cfg, err, sizeof(err))) {
		fprintf(stderr, "tandem serve: %s\n", err);
		return 1;
	}
	if (jobs_start(app.db, cfg, app_jobs, err, sizeof(err))) {
		fprintf(stderr, "tandem serve: %s\n", err);
		app_close(&app);
		return 1;
	}
	char *static_dir = config_share_path(cfg, "static");
	struct http_server_opts opts = {
		.addr = cfg->listen_addr,
		.port = cfg->port,
		.threads = cfg->threads,
		.max_body = cfg->max_body,
		.static_dir = static_dir,
		.shutdown_grace = cfg->shutdown_grace,
		.https = cfg->https,
		.max_uploads = cfg->max_uploads,
	};
	struct http_hooks hooks = app_hooks(&app);
	struct http_server *srv;
	int rc = http_server_start(&srv, &opts, app_routes, &hooks, err, sizeof(err));
	free(static_dir);
	if (rc) {
		fprintf(stderr, "tandem serve: %s\n", err);
		jobs_stop();
		app_close(&app);
		return 1;
	}
	int port = http_server_port(srv);
	const char *host = cfg->listen_addr;
	bool v6 = strchr(host, ':') != NULL;
	char shown[512];
	db_display_name(cfg->db_path, shown, sizeof(shown));
	printf("Tandem %s is serving http://%s%s%s:%d/ (database %s; Ctrl-C stops it)\n", TANDEM_VERSION,
	       v6 ? "[" : "", host, v6 ? "]" : "", port, shown);
	fflush(stdout);

	int sig = 0;
	sigwait(&stop, &sig);
	log_info("received %s: finishing requests in flight and stopping",
		 sig == SIGTERM ? "SIGTERM" : "SIGINT");
	http_server_stop(srv);
	jobs_stop();
	app_close(&app);
	log_info("stopped");
	return 0;
}

static int cmd_migrate(struct cli *cli)
{
	struct db *db;
	char err[1024];
	if (db_open(&db, cli->config->db_path, err, sizeof(err))) {
		fprintf(stderr, "tandem migrate: %s\n", err);
		return 1;
	}
	char *sqldir = config_share_path(cli->config, "sql");
	int applied = 0, version = 0;
	int rc = db_migrate(db, sqldir, &applied, err, sizeof(err));
	free(sqldir);
	if (rc) {
		fprintf(stderr, "tandem migrate: %s\n", err);
		db_close(db);
		return 1;
	}
	if (db_schema_version(db, &version))
		version = -1;
	char shown[512];
	db_display_name(cli->config->db_path, shown, sizeof(shown));
	printf("%s: applied %d migration%s; schema version %d\n", shown, applied,
	       applied == 1 ? "" : "s", version);
	/* Every statement of the program must prepare against the schema it now has. */
	int bad = db_check_catalogue(db, err, sizeof(err));
	db_close(db);
	if (bad) {
		fprintf(stderr, "tandem migrate: %d statement%s of the catalogue do%s not prepare; %s\n",
			bad, bad == 1 ? "" : "s", bad == 1 ? "es" : "", err);
		return 1;
	}
	return 0;
}

/* Open and migrate one database of copy-db; prints why not and returns nonzero. */
static int copy_open(struct cli *cli, const char *name, struct db **db)
{
	char err[1024], shown[512];
	db_display_name(name, shown, sizeof(shown));
	if (db_open(db, name, err, sizeof(err))) {
		fprintf(stderr, "tandem copy-db: %s\n", err);
		return 1;
	}
	char *sqldir = config_share_path(cli->config, "sql");
	int applied = 0;
	int rc = db_migrate(*db, sqldir, &applied, err, sizeof(err));
	free(sqldir);
	if (rc) {
		fprintf(stderr, "tandem copy-db: %s: %s\n", shown, err);
		db_close(*db);
		*db = NULL;
		return 1;
	}
	return 0;
}

static int cmd_copy_db(struct cli *cli)
{
	const char *from_name = cli_value(cli, "--from");
	const char *to_name = cli_value(cli, "--to");
	struct db *from = NULL, *to = NULL;
	char err[1024], from_shown[512], to_shown[512];
	int status = 1;

	if (!from_name || !*from_name)
		from_name = cli->config->db_path;
	if (!to_name || !*to_name) {
		fprintf(stderr, "tandem copy-db: say where to copy to with --to (an SQLite file or postgres://…)\n");
		return 2;
	}
	if (strcmp(from_name, to_name) == 0) {
		fprintf(stderr, "tandem copy-db: --from and --to name the same database\n");
		return 2;
	}
	db_display_name(from_name, from_shown, sizeof(from_shown));
	db_display_name(to_name, to_shown, sizeof(to_shown));
	if (copy_open(cli, from_name, &from) || copy_open(cli, to_name, &to))
		goto out;
	int tables = 0;
	int64_t rows = 0;
	if (db_copy(from, to, &tables, &rows, err, sizeof(err))) {
		fprintf(stderr, "tandem copy-db: nothing was copied: %s\n", err);
		goto out;
	}
	if (practice_search_rebuild_index(to)) {
		fprintf(stderr, "tandem copy-db: the data was copied but the practice search index could not be "
				"rebuilt: %s\n", db_errmsg(to));
		goto out;
	}
	printf("Copied %lld rows in %d tables from %s to %s (every table's count checked); the "
	       "practice search index was rebuilt.\n", (long long)rows, tables, from_shown, to_shown);
	status = 0;
out:
	db_close(from);
	db_close(to);
	return status;
}

static int cmd_version(struct cli *cli)
{
	printf("tandem %s\n", TANDEM_VERSION);
	return 0;
}

static int cmd_help(struct cli *cli)
{
	if (cli->argc == 0) {
		print_usage(stdout);
		return 0;
	}
	const struct cli_command *c = find_command(cli->argv[0]);
	if (!c) {
		fprintf(stderr, "tandem help: no command named '%s'\n\n", cli->argv[0]);
		print_usage(stderr);
		return 2;
	}
	print_command_help(stdout, c);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		print_usage(stderr);
		return 2;
	}
	if (str_eq(argv[1], "--help") || str_eq(argv[1], "-h"))
		argv[1] = "help";
	if (str_eq(argv[1], "--version"))
		argv[1] = "version";
	const struct cli_command *c = find_command(argv[1]);
	if (!c) {
		fprintf(stderr, "tandem: unknown command '%s'\n\n", argv[1]);
		print_usage(stderr);
		return 2;
	}

	struct config cfg;
	char err[512];
	if (config_load(&cfg, err, sizeof(err))) {
		fprintf(stderr, "tandem: %s\n", err);
		config_free(&cfg);
		return 2;
	}
	if (clock_init_from_env()) {
		fprintf(stderr, "tandem: TANDEM_NOW and TANDEM_CLOCK_OFFSET must be whole numbers of seconds\n");
		config_free(&cfg);
		return 2;
	}
	enum log_level level;
	if (log_level_parse(cfg.log_level, &level) == 0)
		log_set_level(level);
	/* Commands other than serve print their own results: keep the log to warnings unless asked. */
	if (!str_eq(c->name, "serve") && !getenv("TANDEM_LOG_LEVEL"))
		log_set_level(LOG_WARN);

	struct cli cli = {.config = &cfg};
	int rc = parse_args(c, argc - 2, argv + 2, &cli);
	if (rc == 0)
		rc = c->run(&cli);
	free(cli.values);
	free(cli.argv);
	config_free(&cfg);
	return rc;
}
