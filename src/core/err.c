// SPDX-License-Identifier: AGPL-3.0-or-later
/* err.c — descriptions of the error codes in err.h. */
#include "core/err.h"

const char *err_str(int e)
{
	static const char *const names[] = {
		"ok", "out of memory", "invalid input", "not found",
		"input/output error", "database error", "too large",
		"conflict", "forbidden", "sign-in required", "busy",
		"malformed data", "internal error", "too many requests",
	};
	if (e > 0 || e <= ERR__MIN)
		return "unknown error";
	return names[-e];
}
