// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * copy.c — db_copy: every row of one database into another, across stores
 * (SQLite to PostgreSQL when a deployment outgrows one machine, or back).
 * Both databases must be at the same schema version (the caller migrates
 * them first), so they have the same tables and columns.
 *
 * What it copies: the ordinary tables the two databases share, except
 * schema_version. Search indexes are not data: an FTS5 table (and its shadow
 * tables) in SQLite and a tsvector table in PostgreSQL exist on one side
 * only, so they drop out, and the caller rebuilds them on the destination.
 * Parents go before children (the destination's foreign keys decide the
 * order), identity sequences are moved past the copied ids, and each table's
 * count is compared at the end. The destination is written in one
 * transaction (a failure leaves it as it was); the source is read inside
 * db_begin, so a running server's writes wait and the copy is consistent.
 *
 * This is the one place besides the migrations runner where the store runs
 * SQL that is not written out in the catalogue: each statement is built
 * from table and column names the databases themselves report (quoted as
 * identifiers), never from input, and lives only for the copy.
 */
#include "db/db.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db_internal.h"

DB_QUERY_PG(q_copy_tables,
	    "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite!_%' ESCAPE '!' "
	    "AND m.name <> 'schema_version' AND m.sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND NOT EXISTS ("
	    "SELECT 1 FROM sqlite_master v WHERE v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL TABLE%' "
	    "AND substr(m.name, 1, length(v.name) + 1) = v.name || '_') ORDER BY m.name",
	    "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
	    "AND tablename <> 'schema_version' ORDER BY tablename");
DB_QUERY_PG(q_copy_columns, "SELECT name FROM pragma_table_info(?) ORDER BY cid",
	    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
	    "AND table_name = ? ORDER BY ordinal_position");
DB_QUERY_PG(q_copy_parents,
	    "SELECT DISTINCT f.\"table\" FROM pragma_foreign_key_list(?) f",
	    "SELECT DISTINCT c.confrelid::regclass::text FROM pg_catalog.pg_constraint c "
	    "WHERE c.contype = 'f' AND c.conrelid = CAST(? AS text)::regclass");
DB_QUERY_PG(q_copy_identity, "SELECT name FROM pragma_table_info(?) WHERE 0",
	    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
	    "AND table_name = ? AND is_identity = 'YES'");

/* One table to copy. */
struct copy_table {
	char *name;       /* owned */
	char **cols;      /* the destination's columns, owned */
	size_t ncols;     /* how many */
	bool done;        /* placed in the copy order */
	int64_t rows;     /* rows copied */
};

/* A statement built for the copy: kept until the end, then dropped from both caches. */
struct copy_query {
	struct db_query q;        /* name and text (owned) */
	struct copy_query *next;  /* the previous one built */
};

/* Everything db_copy holds, freed in one place. */
struct copy {
	struct db *from, *to;
	struct copy_table *tables; /* owned */
	size_t ntables;
	struct copy_query *queries; /* owned */
	char *err;
	size_t errsz;
};

/* s as a quoted SQL identifier, appended to b. */
static void put_ident(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* A statement of the copy from b's text (b is emptied). */
static const struct db_query *query_from(struct copy *c, const char *name, struct buf *b)
{
	struct copy_query *cq = xcalloc(1, sizeof(*cq));
	cq->q.name = name;
	cq->q.sql = buf_detach(b, NULL);
	cq->next = c->queries;
	c->queries = cq;
	return &cq->q;
}

/* Every text value of the first column of q (bound to arg when not NULL), into a new list. */
static int list_of(struct db *db, const struct db_query *q, const char *arg, char ***out, size_t *n)
{
	struct db_stmt *st = db_stmt(db, q);
	int rc;
	*out = NULL;
	*n = 0;
	if (!st || (arg && db_bind_text(st, 1, arg)))
		return ERR_DB;
	size_t cap = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *v = db_col_text(st, 0);
		if (!v)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		(*out)[(*n)++] = xstrdup(v);
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

static void list_free(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

static bool list_has(char **l, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(l[i], s) == 0)
			return true;
	return false;
}

/* One integer from a statement with no parameters. */
static int one_int(struct db *db, const struct db_query *q, int64_t *out)
{
	struct db_stmt *st = db_stmt(db, q);
	int rc = st ? db_step(st) : ERR_DB;
	if (rc == DB_ROW)
		*out = db_col_int(st, 0);
	db_reset(st);
	return rc < 0 ? rc : rc == DB_ROW ? 0 : ERR_DB;
}

/*
 * The tables both databases have, with the destination's columns (each must
 * exist in the source too), ordered parents first.
 */
static int plan(struct copy *c)
{
	char **src = NULL, **dst = NULL;
	size_t nsrc = 0, ndst = 0;
	int rc = list_of(c->from, &q_copy_tables, NULL, &src, &nsrc);
	if (rc == 0)
		rc = list_of(c->to, &q_copy_tables, NULL, &dst, &ndst);
	if (rc) {
		dbi_set_err(c->err, c->errsz, "cannot list the tables: %s", db_errmsg(c->from));
		goto out;
	}
	struct copy_table *all = xcalloc(ndst ? ndst : 1, sizeof(*all));
	size_t n = 0;
	for (size_t i = 0; i < ndst; i++) {
		if (!list_has(src, nsrc, dst[i]))
			continue; /* a search index of the destination's store */
		struct copy_table *t = &all[n++];
		t->name = xstrdup(dst[i]);
		char **scols = NULL;
		size_t nscols = 0;
		rc = list_of(c->to, &q_copy_columns, t->name, &t->cols, &t->ncols);
		if (rc == 0)
			rc = list_of(c->from, &q_copy_columns, t->name, &scols, &nscols);
		for (size_t k = 0; rc == 0 && k < t->ncols; k++) {
			if (!list_has(scols, nscols, t->cols[k])) {
				dbi_set_err(c->err, c->errsz,
					    "table %s has a column %s that the source lacks: migrate both to "
					    "the same version first", t->name, t->cols[k]);
				rc = ERR_INVALID;
			}
		}
		list_free(scols, nscols);
		if (rc)
			break;
	}
	/* Parents first: repeatedly take a table whose parents are all placed. */
	size_t *order = xcalloc(n ? n : 1, sizeof(*order));
	for (size_t placed = 0; rc == 0 && placed < n;) {
		size_t before = placed;
		for (size_t i = 0; rc == 0 && i < n; i++) {
			if (all[i].done)
				continue;
			char **parents = NULL;
			size_t np = 0;
			rc = list_of(c->to, &q_copy_parents, all[i].name, &parents, &np);
			bool ready = true;
			for (size_t p = 0; p < np && ready; p++) {
				if (strcmp(parents[p], all[i].name) == 0)
					continue;
				for (size_t j = 0; j < n; j++)
					if (!all[j].done && strcmp(all[j].name, parents[p]) == 0)
						ready = false;
			}
			list_free(parents, np);
			if (rc == 0 && ready) {
				all[i].done = true;
				order[placed++] = i;
			}
		}
		if (rc == 0 && placed == before) {
			dbi_set_err(c->err, c->errsz, "the tables' foreign keys form a cycle");
			rc = ERR_INVALID;
		}
	}
	if (rc == 0) {
		c->tables = xcalloc(n ? n : 1, sizeof(*c->tables));
		for (size_t k = 0; k < n; k++)
			c->tables[k] = all[order[k]];
		c->ntables = n;
	} else {
		for (size_t i = 0; i < n; i++) {
			free(all[i].name);
			list_free(all[i].cols, all[i].ncols);
		}
	}
	free(order);
	free(all);
out:
	list_free(src, nsrc);
	list_free(dst, ndst);
	return rc;
}

/* SELECT count(*) FROM t on db. */
static int count_rows(struct copy *c, struct db *db, const char *table, int64_t *n)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "SELECT count(*) FROM ");
	put_ident(&b, table);
	return one_int(db, query_from(c, "copy count", &b), n);
}

/* Copy one table's rows. */
static int copy_table(struct copy *c, struct copy_table *t)
{
	struct buf sel = BUF_INIT, ins = BUF_INIT;
	buf_puts(&sel, "SELECT ");
	buf_puts(&ins, "INSERT INTO ");
	put_ident(&ins, t->name);
	buf_puts(&ins, " (");
	for (size_t k = 0; k < t->ncols; k++) {
		if (k) {
			buf_puts(&sel, ", ");
			buf_puts(&ins, ", ");
		}
		put_ident(&sel, t->cols[k]);
		put_ident(&ins, t->cols[k]);
	}
	buf_puts(&sel, " FROM ");
	put_ident(&sel, t->name);
	buf_puts(&ins, ") VALUES (");
	for (size_t k = 0; k < t->ncols; k++)
		buf_puts(&ins, k ? ", ?" : "?");
	buf_putc(&ins, ')');
	const struct db_query *qs = query_from(c, "copy select", &sel);
	const struct db_query *qi = query_from(c, "copy insert", &ins);

	struct db_stmt *src = db_stmt(c->from, qs);
	int rc = src ? 0 : ERR_DB;
	while (rc == 0 && (rc = db_step(src)) == DB_ROW) {
		struct db_stmt *dst = db_stmt(c->to, qi);
		rc = dst ? 0 : ERR_DB;
		for (int k = 0; rc == 0 && k < (int)t->ncols; k++) {
			size_t len = 0;
			const void *p;
			switch (db_col_type(src, k)) {
			case DB_TYPE_INTEGER:
				rc = db_bind_int(dst, k + 1, db_col_int(src, k));
				break;
			case DB_TYPE_FLOAT:
				rc = db_bind_double(dst, k + 1, db_col_double(src, k));
				break;
			case DB_TYPE_TEXT:
				rc = db_bind_text(dst, k + 1, db_col_text(src, k));
				break;
			case DB_TYPE_BLOB:
				p = db_col_blob(src, k, &len);
				rc = db_bind_blob(dst, k + 1, p ? p : "", len);
				break;
			default:
				rc = db_bind_null(dst, k + 1);
			}
		}
		if (rc == 0 && (rc = db_step(dst)) >= 0)
			rc = 0;
		if (rc)
			dbi_set_err(c->err, c->errsz, "cannot copy a row of %s: %s", t->name,
				    db_errmsg(c->to));
		else
			t->rows++;
	}
	db_reset(src);
	if (rc < 0 && !*c->err)
		dbi_set_err(c->err, c->errsz, "cannot read %s: %s", t->name, db_errmsg(c->from));
	return rc < 0 ? rc : 0;
}

/* Move each identity column's sequence past the largest id copied (PostgreSQL). */
static int move_sequences(struct copy *c, struct copy_table *t)
{
	char **cols = NULL;
	size_t n = 0;
	int rc = list_of(c->to, &q_copy_identity, t->name, &cols, &n);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct buf b = BUF_INIT;
		buf_puts(&b, "SELECT setval(pg_get_serial_sequence(?, ?), coalesce((SELECT max(");
		put_ident(&b, cols[i]);
		buf_puts(&b, ") FROM ");
		put_ident(&b, t->name);
		buf_puts(&b, "), 0) + 1, false)");
		struct buf qt = BUF_INIT;
		put_ident(&qt, t->name);
		struct db_stmt *st = db_stmt(c->to, query_from(c, "copy sequence", &b));
		rc = st ? db_bind_text(st, 1, buf_str(&qt)) : ERR_DB;
		if (rc == 0)
			rc = db_bind_text(st, 2, cols[i]);
		if (rc == 0 && (rc = db_step(st)) > 0)
			rc = 0;
		db_reset(st);
		buf_free(&qt);
		if (rc)
			dbi_set_err(c->err, c->errsz, "cannot move the ids of %s on: %s", t->name,
				    db_errmsg(c->to));
	}
	list_free(cols, n);
	return rc;
}

/* The destination must hold no rows but those migrations add (meta); those go. */
static int check_empty(struct copy *c)
{
	for (size_t i = 0; i < c->ntables; i++) {
		struct copy_table *t = &c->tables[i];
		int64_t n = 0;
		int rc = count_rows(c, c->to, t->name, &n);
		if (rc) {
			dbi_set_err(c->err, c->errsz, "cannot count %s: %s", t->name, db_errmsg(c->to));
			return rc;
		}
		if (n > 0 && strcmp(t->name, "meta") != 0) {
			dbi_set_err(c->err, c->errsz,
				    "the destination already holds data (%lld rows in %s): copy-db only "
				    "fills a new database", (long long)n, t->name);
			return ERR_CONFLICT;
		}
		if (n > 0) {
			struct buf b = BUF_INIT;
			buf_puts(&b, "DELETE FROM ");
			put_ident(&b, t->name);
			rc = db_exec(c->to, query_from(c, "copy clear", &b));
			if (rc) {
				dbi_set_err(c->err, c->errsz, "cannot clear %s: %s", t->name,
					    db_errmsg(c->to));
				return rc;
			}
		}
	}
	return 0;
}

int db_copy(struct db *from, struct db *to, int *tables, int64_t *rows, char *err, size_t errsz)
{
	struct copy c = {from, to, NULL, 0, NULL, err, errsz};
	int rc;

	*tables = 0;
	*rows = 0;
	if (err && errsz)
		*err = '\0';
	rc = plan(&c);
	if (rc)
		goto out;
	if ((rc = db_begin(from)) != 0) {
		dbi_set_err(err, errsz, "cannot start reading the source: %s", db_errmsg(from));
		goto out;
	}
	if ((rc = db_begin(to)) != 0) {
		dbi_set_err(err, errsz, "cannot start writing the destination: %s", db_errmsg(to));
		goto out;
	}
	if (db_bulk_mode(to, true))
		log_warn("copy-db: could not tune the destination for a bulk write");
	rc = check_empty(&c);
	for (size_t i = 0; rc == 0 && i < c.ntables; i++) {
		rc = copy_table(&c, &c.tables[i]);
		if (rc == 0 && db_is_postgres(to))
			rc = move_sequences(&c, &c.tables[i]);
	}
	for (size_t i = 0; rc == 0 && i < c.ntables; i++) {
		int64_t a = -1, b = -2;
		rc = count_rows(&c, from, c.tables[i].name, &a);
		if (rc == 0)
			rc = count_rows(&c, to, c.tables[i].name, &b);
		if (rc == 0 && a != b) {
			dbi_set_err(err, errsz, "%s: %lld rows in the source but %lld copied",
				    c.tables[i].name, (long long)a, (long long)b);
			rc = ERR_INTERNAL;
		}
	}
	if (rc == 0 && (rc = db_commit(to)) != 0)
		dbi_set_err(err, errsz, "cannot commit the copy: %s", db_errmsg(to));
	if (rc == 0) {
		*tables = (int)c.ntables;
		for (size_t i = 0; i < c.ntables; i++)
			*rows += c.tables[i].rows;
	}
out:
	db_rollback(to);
	db_rollback(from); /* the source was only read */
	if (db_bulk_mode(to, false))
		log_warn("copy-db: could not restore the destination's settings");
	for (size_t i = 0; i < c.ntables; i++) {
		free(c.tables[i].name);
		list_free(c.tables[i].cols, c.tables[i].ncols);
	}
	free(c.tables);
	for (struct copy_query *q = c.queries, *next; q; q = next) {
		next = q->next;
		dbi_stmt_forget(from, &q->q);
		dbi_stmt_forget(to, &q->q);
		free((char *)q->q.sql);
		free(q);
	}
	return rc;
}
