// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * closing.h — a partnership's closing reflection as one stored text, and
 * back. The close form asks for what worked and what did not (ps_close);
 * they are stored as one text that reads well on its own ("What worked:" and
 * "What did not work:", each followed by what was written). A case study
 * made from the closed partnership (practice/casestudy.c) splits it again,
 * so that what did not work lands under "what did not work". A reflection
 * written as one text (from a script) does not split and stays whole.
 * Pure: no store, no HTTP; strings live in the caller's arena.
 */
#ifndef TANDEM_APP_PARTNERSHIPS_CLOSING_H
#define TANDEM_APP_PARTNERSHIPS_CLOSING_H

#include <stdbool.h>

struct arena;

/* The stored text of a closing reflection from its two parts (arena). */
const char *ps_closing_join(struct arena *a, const char *worked, const char *did_not_work);
/*
 * The two parts of a closing reflection stored by ps_closing_join: true
 * with *worked and *did_not_work (arena copies, each non-empty); false,
 * with both NULL, for any other text (NULL too).
 */
bool ps_closing_split(struct arena *a, const char *text, const char **worked, const char **did_not_work);

#endif
