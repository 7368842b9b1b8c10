// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * cli.h — the `tandem` command line: each command declares its options and
 * a run function; main.c parses argv against the declaration (unknown
 * options give usage and exit status 2) and hands the command a struct cli.
 * Features add their commands to cli_commands[] in main.c.
 */
#ifndef TANDEM_APP_CLI_H
#define TANDEM_APP_CLI_H

#include <stdbool.h>

struct config;

/* One declared option. */
struct cli_option {
	const char *name; /* "--within-km" */
	const char *arg;  /* "D" when it takes a value, NULL for a flag */
	const char *help; /* one line for `tandem help COMMAND` */
};

/* What a command's run function gets. */
struct cli {
	struct config *config;  /* defaults + environment + --db etc. */
	int argc;               /* positional arguments after the command */
	char **argv;
	const struct cli_option *options; /* the command's declaration */
	const char **values;    /* per declared option: its value, "" for a set flag, NULL if absent */
};

struct cli_command {
	const char *name;
	const char *args;    /* positional usage, e.g. "FILE" */
	int min_args, max_args;
	const char *summary; /* one line for `tandem help` */
	const char *help;    /* a paragraph for `tandem help COMMAND` */
	const struct cli_option *options; /* NULL-terminated by name, may be NULL */
	int (*run)(struct cli *cli);      /* exit status */
};

/* The value of a declared option, or NULL when absent ("" for a set flag). */
const char *cli_value(const struct cli *cli, const char *name);
bool cli_flag(const struct cli *cli, const char *name);

#endif
