// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * log.h — one-line log messages to stderr with a UTC timestamp and a level.
 * Thread-safe: each message is written with a single locked write.
 */
#ifndef TANDEM_CORE_LOG_H
#define TANDEM_CORE_LOG_H

#include "core/err.h"

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG__MAX };

/* Messages below this level are dropped (default LOG_INFO). */
void log_set_level(enum log_level level);
/* Parse "debug", "info", "warn", "error"; returns 0 or ERR_INVALID. */
int log_level_parse(const char *s, enum log_level *out) WUR;
void log_msg(enum log_level level, const char *fmt, ...) FMT(2, 3);

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
