// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * fuzz_gias_file.c — libFuzzer target for a whole small GIAS file: the
 * input, header included, is put in a memory file and read both as a
 * register extract (gias.c) and as a links file (gias_links.c), through
 * the shared CSV source (gias_csv.c): plain or gzip (by its magic bytes),
 * Windows-1252 or UTF-8 after a byte-order mark, quoting broken anywhere.
 * Nothing may crash, leak or trip a sanitizer, and every school, link and
 * rejection must keep gias.h's promises. replay.c runs the saved corpus
 * (tests/fuzz/corpus/gias_file/) as a unit test.
 */
#include <stddef.h>
#include <stdint.h>

#include "gias_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gias_input in;
	gias_input_open(&in, "", 0, (const char *)data, size);
	gias_input_read_register(in.path);
	gias_input_read_links(in.path);
	gias_input_close(&in);
	return 0;
}
