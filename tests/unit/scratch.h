// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * scratch.h — a unit test's scratch folder: made fresh under /tmp (a short
 * path, so the files' names fit the fixtures' buffers) for one test's files (a database, a lease), and removed with
 * everything in it afterwards. Header-only, for the tests that need one.
 */
#ifndef TANDEM_TESTS_UNIT_SCRATCH_H
#define TANDEM_TESTS_UNIT_SCRATCH_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* One entry of the folder being removed (nftw's callback; children before their folder). */
static inline int scratch_remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(path);
}

/* Make a new folder named tandem-test-<tag>-XXXXXX into buf (n bytes); buf, or NULL when it cannot be made. */
static inline char *scratch_dir(char *buf, size_t n, const char *tag)
{
	int len = snprintf(buf, n, "/tmp/tandem-test-%s-XXXXXX", tag);
	if (len < 0 || (size_t)len >= n)
		return NULL;
	return mkdtemp(buf);
}

/* Remove the folder dir and everything in it. */
static inline void scratch_remove(const char *dir)
{
	nftw(dir, scratch_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
