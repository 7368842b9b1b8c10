// SPDX-License-Identifier: AGPL-3.0-or-later
/* log.c — timestamped, levelled, thread-safe log lines on stderr. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "core/str.h"

static enum log_level log_min = LOG_INFO;
static const char *const log_names[LOG__MAX] = {"debug", "info", "warn", "error"};

void log_set_level(enum log_level level)
{
	log_min = level;
}

int log_level_parse(const char *s, enum log_level *out)
{
	for (int i = 0; i < LOG__MAX; i++) {
		if (str_case_eq(s, log_names[i])) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return ERR_INVALID;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	if (level < log_min || level >= LOG__MAX)
		return;
	char line[2048];
	struct timeval tv;
	struct tm tm;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	int n = snprintf(line, sizeof(line), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %-5s ",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			 tm.tm_sec, (long)(tv.tv_usec / 1000), log_names[level]);
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	flockfile(stderr);
	fwrite(line, 1, len, stderr);
	fflush(stderr);
	funlockfile(stderr);
}
