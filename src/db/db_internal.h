// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * db_internal.h — what the files of the SQLite backend share with each other
 * and with nobody else: the layout of a connection and of a cached statement,
 * and the helper that turns an SQLite result code into an enum err. Only
 * files in src/db/ include this header (it pulls in sqlite3.h); feature code
 * sees nothing but db.h.
 */
#ifndef TANDEM_DB_DB_INTERNAL_H
#define TANDEM_DB_DB_INTERNAL_H

#include <stddef.h>

#include <sqlite3.h>

#include "core/err.h"
#include "db/db.h"

/* One prepared statement in a connection's cache. */
struct db_stmt {
	const struct db_query *query; /* the catalogue entry: cache key, and its name for logs */
	sqlite3_stmt *stmt;           /* prepared once (SQLITE_PREPARE_PERSISTENT); owned */
	struct db *db;                /* the connection the statement belongs to */
};

/* One connection, used by one thread at a time. */
struct db {
	sqlite3 *conn;          /* the SQLite handle; owned, closed by db_close */
	char *path;             /* the file name given to db_open, for messages; owned */
	struct db_stmt **slots; /* statement cache: open addressing on the query pointer, NULL = free */
	size_t nslots;          /* size of slots, a power of two */
	size_t nused;           /* occupied slots, kept at most half of nslots */
};

/*
 * Map an SQLite result code (after a failed step or statement) to an enum
 * err and log it once with the query name: constraint violations become
 * ERR_CONFLICT (logged at debug level, they are often expected), busy/locked
 * ERR_BUSY (warn), anything else ERR_DB (error).
 */
int dbi_error(struct db *db, int rc, const char *query_name);

/* Format a message into err (which may be NULL or errsz 0: then nothing is written). */
void dbi_set_err(char *err, size_t errsz, const char *fmt, ...) FMT(3, 4);

#endif
