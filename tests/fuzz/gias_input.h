// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * gias_input.h — what the two GIAS fuzz targets (fuzz_gias_row.c,
 * fuzz_gias_file.c) share: putting bytes in a memory-backed file the
 * readers can open by path (they take paths, and no fuzz input touches the
 * disk), and the checks every school, link and rejection the readers hand
 * back must pass, whatever the input.
 */
#ifndef TANDEM_TESTS_FUZZ_GIAS_INPUT_H
#define TANDEM_TESTS_FUZZ_GIAS_INPUT_H

#include <stddef.h>

/* An open in-memory file holding some bytes, and the path that opens it. */
struct gias_input {
	int fd;         /* the memfd, or -1 */
	char path[64];  /* "/proc/self/fd/N" */
};

/* Make a memory file holding head (hlen bytes, may be 0) then body. Aborts on failure. */
void gias_input_open(struct gias_input *in, const char *head, size_t hlen, const char *body,
		     size_t blen);
/* Close it. */
void gias_input_close(struct gias_input *in);
/* Read the whole file as a register extract, checking everything the reader returns. */
void gias_input_read_register(const char *path);
/* Read the whole file as a links file, likewise. */
void gias_input_read_links(const char *path);
/* Check the value parsers (dates, counts, a file name's snapshot date) on one string. */
void gias_input_values(const char *s);

#endif
