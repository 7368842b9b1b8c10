// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * cli.c — `tandem user add --email E --name N [--admin] [--school URN
 * --role lead|staff|governor]`: creates a person from the command line (the
 * first administrator, say). The password is read from standard input when
 * it is not a terminal (one line), else asked for twice without echo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "app/accounts/accounts.h"
#include "app/accounts/password.h"
#include "app/cli.h"
#include "core/config.h"
#include "core/str.h"
#include "db/db.h"

/* Read one line from f into a malloc'd string without its line ending; NULL at end of input. */
static char *read_line(FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, f);
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

/* Ask for a password on the terminal without echoing it. NULL at end of input. */
static char *prompt_hidden(const char *prompt)
{
	fprintf(stderr, "%s", prompt);
	fflush(stderr);
	struct termios old, quiet;
	bool restore = tcgetattr(STDIN_FILENO, &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *line = read_line(stdin);
	if (restore)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	return line;
}

/* Wipe and free a password. */
static void forget(char *s)
{
	if (s) {
		memset(s, 0, strlen(s));
		free(s);
	}
}

/* The password for the new account, from stdin or the terminal; NULL (with a message) on failure. */
static char *get_password(void)
{
	if (!isatty(STDIN_FILENO)) {
		char *pw = read_line(stdin);
		if (!pw || !*pw) {
			forget(pw);
			fprintf(stderr, "tandem user: give the password on standard input (one line)\n");
			return NULL;
		}
		return pw;
	}
	char *a = prompt_hidden("Password (at least 10 characters): ");
	char *b = a ? prompt_hidden("The same password again: ") : NULL;
	if (!a || !b || !str_eq(a, b)) {
		fprintf(stderr, "tandem user: %s\n", a && b ? "the two passwords are not the same" : "no password given");
		forget(a);
		forget(b);
		return NULL;
	}
	forget(b);
	return a;
}

int accounts_cli_user(struct cli *cli)
{
	if (!str_eq(cli->argv[0], "add")) {
		fprintf(stderr, "tandem user: unknown action '%s' (try: tandem user add --email E --name N)\n",
			cli->argv[0]);
		return 2;
	}
	const char *email = cli_value(cli, "--email");
	const char *name = cli_value(cli, "--name");
	const char *school = cli_value(cli, "--school");
	const char *role_s = cli_value(cli, "--role");
	if (!email || !*email || !name || !*name) {
		fprintf(stderr, "tandem user add: --email and --name are required\n");
		return 2;
	}
	int64_t urn = 0;
	enum school_role role = SCHOOL_ROLE_NONE;
	if (school && (str_to_int64(school, &urn) || urn <= 0)) {
		fprintf(stderr, "tandem user add: --school must be a URN (a whole number), got '%s'\n", school);
		return 2;
	}
	if (role_s && (school_role_parse(role_s, &role) || role == SCHOOL_ROLE_NONE)) {
		fprintf(stderr, "tandem user add: --role must be lead, staff or governor, got '%s'\n", role_s);
		return 2;
	}
	if (role_s && !school) {
		fprintf(stderr, "tandem user add: --role needs --school URN\n");
		return 2;
	}
	if (school && !role_s)
		role = SCHOOL_ROLE_STAFF;

	char err[1024];
	if (accounts_init(cli->config, err, sizeof(err))) {
		fprintf(stderr, "tandem user add: %s\n", err);
		return 1;
	}
	int status = 1;
	struct db *db = NULL;
	char *password = NULL;
	if (db_open(&db, cli->config->db_path, err, sizeof(err))) {
		fprintf(stderr, "tandem user add: %s\n", err);
		goto out;
	}
	char *sqldir = config_share_path(cli->config, "sql");
	int rc = db_migrate(db, sqldir, NULL, err, sizeof(err));
	free(sqldir);
	if (rc) {
		fprintf(stderr, "tandem user add: %s\n", err);
		goto out;
	}
	password = get_password();
	if (!password)
		goto out;
	int64_t id;
	rc = accounts_create(db, email, name, password, urn, role, cli_flag(cli, "--admin"), &id, err,
			     sizeof(err));
	if (rc) {
		fprintf(stderr, "tandem user add: %s\n", err);
		goto out;
	}
	audit_record_about(db, NULL, id, NULL, "account_created",
			   json_pack("{s:s, s:b, s:s, s:I}", "via", "command line", "admin",
				     cli_flag(cli, "--admin"), "role", school_role_name(role), "school_urn",
				     (json_int_t)urn));
	printf("Created person #%lld (", (long long)id);
	for (const char *c = email; *c; c++)
		putchar(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
	printf(")%s\n",
	       cli_flag(cli, "--admin") ? ", an administrator" : "");
	status = 0;
out:
	forget(password);
	db_close(db);
	accounts_shutdown();
	return status;
}
