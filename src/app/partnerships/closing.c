// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * closing.c — a closing reflection's two parts joined into the one stored
 * text and split back (closing.h).
 */
#include "app/partnerships/closing.h"

#include <string.h>

#include "core/arena.h"

/* How the stored text begins, and what comes between the two parts. */
#define WORKED_HEAD "What worked:\n"
#define NOT_HEAD "\n\nWhat did not work:\n"

const char *ps_closing_join(struct arena *a, const char *worked, const char *did_not_work)
{
	return arena_printf(a, WORKED_HEAD "%s" NOT_HEAD "%s", worked, did_not_work);
}

bool ps_closing_split(struct arena *a, const char *text, const char **worked, const char **did_not_work)
{
	*worked = *did_not_work = NULL;
	size_t head = strlen(WORKED_HEAD), sep = strlen(NOT_HEAD);
	if (!text || strncmp(text, WORKED_HEAD, head) != 0)
		return false;
	/* The last separator: what worked may hold the words, what did not work is the end. */
	const char *at = NULL;
	for (const char *p = strstr(text + head, NOT_HEAD); p; p = strstr(p + 1, NOT_HEAD))
		at = p;
	if (!at || at == text + head || at[sep] == '\0')
		return false;
	*worked = arena_strndup(a, text + head, (size_t)(at - (text + head)));
	*did_not_work = arena_strdup(a, at + sep);
	return true;
}
