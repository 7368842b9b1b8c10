// SPDX-License-Identifier: AGPL-3.0-or-later
/* cli.c — reading a parsed command line (see cli.h; parsing is in main.c). */
#include "app/cli.h"

#include <stddef.h>

#include "core/str.h"

const char *cli_value(const struct cli *cli, const char *name)
{
	for (size_t i = 0; cli->options && cli->options[i].name; i++)
		if (str_eq(cli->options[i].name, name))
			return cli->values[i];
	return NULL;
}

bool cli_flag(const struct cli *cli, const char *name)
{
	return cli_value(cli, name) != NULL;
}
