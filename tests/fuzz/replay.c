// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * replay.c — runs every saved fuzz input in a folder (argv[1]) through the
 * target's LLVMFuzzerTestOneInput, as an ordinary cmocka test, so inputs
 * that once crashed keep being checked by `make test`.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *corpus_dir;

static void every_saved_input_replays_without_a_crash(void **state)
{
	DIR *d = opendir(corpus_dir);
	assert_non_null(d);
	struct dirent *e;
	int count = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", corpus_dir, e->d_name);
		char *data;
		size_t len;
		if (file_read_all(path, 16u << 20, &data, &len))
			continue;
		LLVMFuzzerTestOneInput((const uint8_t *)data, len);
		free(data);
		count++;
	}
	closedir(d);
	assert_true(count > 0);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	corpus_dir = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_saved_input_replays_without_a_crash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
