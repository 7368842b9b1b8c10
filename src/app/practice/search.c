// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * search.c — shared practice's search index, its search and the public
 * step of visibility, with all their SQL (read search.h for the shape).
 *
 * The index is practice_doc (the same on both stores) and practice_fts: an
 * FTS5 table in SQLite (unicode61, diacritics removed), a tsvector table in
 * PostgreSQL (the practice_words configuration: unaccent, then 'simple').
 * A search's words are letters and digits only, each matched as a prefix and
 * all required: `{title body} : "word"*` for FTS5, `word:*` joined by `&` for to_tsquery,
 * so both stores find the same items (words in title and body only: FTS5's
 * third column, tags, holds the kind, school and themes as words, "kidea
 * u100007 tEarly tReading", and a search's kind, school and theme filters are
 * added to its FTS5 query as tags so the walk steps over what they leave
 * out; the filters are checked in SQL all the same, on both stores; FTS5's
 * prefix indexes read a prefix like one word, newest first, see
 * sql/021_practice_search_speed.sql). Results come newest first (not by a
 * relevance score, which the two stores compute differently): in index
 * order, the order items were written, which FTS5 walks backwards without
 * sorting, so a search stops once it has its page and has counted
 * PRACTICE_SEARCH_COUNT visible results ("200 or more"). The filters run
 * in SQL, and every row then passes practice_can_see with the viewer's
 * facts in its network before it is counted or quoted. Snippets carry the
 * matched words between \x01 and \x02 (FTS5 snippet(), ts_headline) and
 * leave here as [{text, mark}] parts that the template escapes.
 */
#include "app/practice/search.h"

#include <string.h>

#include "app/practice/attachments.h"
#include "app/practice/markdown.h"
#include "app/practice/practice.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/str.h"
#include "db/db.h"

DB_QUERY(Q_DOC_PUT,
	 "INSERT INTO practice_doc (kind, item_id, network_id, urn, author_id, themes, title, body, created_at) "
	 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (kind, item_id) DO UPDATE SET "
	 "network_id = excluded.network_id, urn = excluded.urn, themes = excluded.themes, title = excluded.title, "
	 "body = excluded.body");
DB_QUERY(Q_DOC_ID, "SELECT id FROM practice_doc WHERE kind = ? AND item_id = ?");
DB_QUERY_PG(Q_FTS_DEL, "DELETE FROM practice_fts WHERE rowid = ?", "DELETE FROM practice_fts WHERE doc_id = ?");
/* The tags column of practice_fts: the item's kind, school and themes as words (sql/021_practice_search_speed.sql). */
#define FTS_TAGS "'k' || kind || ' u' || urn || replace(replace(themes, ' ', ' t'), char(10), ' t')"
DB_QUERY_PG(Q_FTS_ADD,
	    "INSERT INTO practice_fts (rowid, title, body, tags) SELECT ?1, ?2, ?3, " FTS_TAGS
	    " FROM practice_doc WHERE id = ?1",
	    "INSERT INTO practice_fts (doc_id, words) VALUES (?1, to_tsvector('practice_words', "
	    "CAST(?2 AS text) || ' ' || CAST(?3 AS text)))");
DB_QUERY(Q_FTS_CLEAR, "DELETE FROM practice_fts");
DB_QUERY_PG(Q_FTS_ALL, "INSERT INTO practice_fts (rowid, title, body, tags) SELECT id, title, body, " FTS_TAGS
		       " FROM practice_doc",
	    "INSERT INTO practice_fts (doc_id, words) SELECT id, to_tsvector('practice_words', title || ' ' || body) "
	    "FROM practice_doc");
DB_QUERY(Q_DOC_VIS, "UPDATE practice_doc SET visibility = ?1, requested = ?2 WHERE kind = ?3 AND item_id = ?4");
DB_QUERY(Q_PUBLIC_DEL, "DELETE FROM practice_public WHERE kind = ? AND item_id = ?");
DB_QUERY(Q_PUBLIC_ADD, "INSERT INTO practice_public (kind, item_id, network_id, published_by, published_at) "
		       "VALUES (?, ?, ?, ?, ?)");
DB_QUERY(Q_MY_NETWORKS,
	 "SELECT network_id, 1 FROM network_school WHERE urn = ?1 "
	 "UNION ALL SELECT network_id, CASE WHEN role = 'coordinator' THEN 2 ELSE 0 END FROM network_role "
	 "WHERE person_id = ?2");
/* The schools in a forming or active partnership with school ?1, in network ?2 (0: every network). */
DB_QUERY(Q_MY_PARTNERS,
	 "SELECT DISTINCT p.network_id, y.urn FROM partnership_school x JOIN partnership p ON p.id = x.partnership_id "
	 "JOIN partnership_school y ON y.partnership_id = p.id AND y.urn <> x.urn "
	 "WHERE x.urn = ?1 AND p.state IN ('forming', 'active') AND (CAST(?2 AS BIGINT) = 0 OR p.network_id = ?2) "
	 "ORDER BY p.network_id, y.urn");

/* The columns every read of the index gives, in this order (see struct hit), then one text column. */
#define DOC_COLS                                                                                           \
	"SELECT d.id, d.kind, d.item_id, d.network_id, d.urn, COALESCE(d.author_id, 0), d.visibility, "   \
	"d.requested, CASE WHEN p.item_id IS NULL THEN 0 ELSE 1 END, d.themes, d.title, d.created_at, "    \
	"n.slug, n.name, COALESCE(s.name, ''), substr(d.body, 1, 240), "
#define DOC_JOINS                                                                                          \
	"JOIN network n ON n.id = d.network_id LEFT JOIN school s ON s.urn = d.urn "                      \
	"LEFT JOIN practice_public p ON p.kind = d.kind AND p.item_id = d.item_id "
/* The filters ?2 … ?7 (the school's phase is looked up only when asked for). */
#define FILTERS_SQLITE                                                                                     \
	"AND (?2 = '' OR d.kind = ?2) AND (?3 = '' OR instr(d.themes, ?3) > 0) "                          \
	"AND (?4 = '' OR EXISTS (SELECT 1 FROM school s WHERE s.urn = d.urn AND s.phase_group = ?4)) "     \
	"AND (?5 = 0 OR d.urn = ?5) AND (?6 = '' OR d.created_at >= ?6) AND (?7 = '' OR d.created_at <= ?7) "
#define FILTERS_PG                                                                                         \
	"AND (CAST(?2 AS text) = '' OR d.kind = ?2) AND (CAST(?3 AS text) = '' OR strpos(d.themes, ?3) > 0) " \
	"AND (CAST(?4 AS text) = '' OR EXISTS (SELECT 1 FROM school s WHERE s.urn = d.urn AND "            \
	"s.phase_group = ?4)) AND (CAST(?5 AS bigint) = 0 OR d.urn = ?5) "                                   \
	"AND (CAST(?6 AS text) = '' OR d.created_at >= ?6) AND (CAST(?7 AS text) = '' OR d.created_at <= ?7) "

/* The facts of every match, for the check and the count (no text, no joins: cheap per row). */
#define FACT_COLS                                                                                          \
	"SELECT d.id, d.network_id, d.urn, COALESCE(d.author_id, 0), d.visibility, d.requested, "          \
	"CASE WHEN EXISTS (SELECT 1 FROM practice_public p WHERE p.kind = d.kind AND p.item_id = d.item_id) " \
	"THEN 1 ELSE 0 END "
/*
 * Matches of ?1, newest first. In SQLite ?1 is an FTS5 query that also
 * holds the kind, school and theme filters as tags (the walk steps over
 * what they leave out); the filters are checked again here all the same.
 */
DB_QUERY_PG(Q_SEARCH_WORDS,
	    FACT_COLS "FROM practice_fts JOIN practice_doc d ON d.id = practice_fts.rowid "
		      "WHERE practice_fts MATCH ?1 " FILTERS_SQLITE "ORDER BY practice_fts.rowid DESC",
	    FACT_COLS "FROM practice_fts f JOIN practice_doc d ON d.id = f.doc_id "
		      "WHERE f.words @@ to_tsquery('practice_words', ?1) " FILTERS_PG "ORDER BY d.id DESC");
/* No words, one school: its items by practice_doc_by_school, newest first. */
DB_QUERY_PG(Q_SEARCH_SCHOOL,
	    FACT_COLS "FROM practice_doc d WHERE d.urn = ?5 AND ?1 = '' " FILTERS_SQLITE "ORDER BY d.id DESC",
	    FACT_COLS "FROM practice_doc d WHERE d.urn = ?5 AND CAST(?1 AS text) = '' " FILTERS_PG
		      "ORDER BY d.id DESC");
/* No words: every item, newest first. */
DB_QUERY_PG(Q_SEARCH_ALL,
	    FACT_COLS "FROM practice_doc d WHERE ?1 = '' " FILTERS_SQLITE "ORDER BY d.id DESC",
	    FACT_COLS "FROM practice_doc d WHERE CAST(?1 AS text) = '' " FILTERS_PG "ORDER BY d.id DESC");
/* The page: the documents ?2 (a JSON array of ids) with their snippets, newest first. */
DB_QUERY_PG(Q_PAGE_WORDS,
	    DOC_COLS "snippet(practice_fts, 1, char(1), char(2), '…', 24) "
		     "FROM practice_fts JOIN practice_doc d ON d.id = practice_fts.rowid " DOC_JOINS
		     "WHERE practice_fts MATCH ?1 AND practice_fts.rowid BETWEEN ?3 AND ?4 "
		     "AND +practice_fts.rowid IN (SELECT value FROM json_each(?2)) "
		     "ORDER BY practice_fts.rowid DESC",
	    DOC_COLS "ts_headline('practice_words', d.body, to_tsquery('practice_words', ?1), "
		     "'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=24, MinWords=10') "
		     "FROM practice_doc d " DOC_JOINS
		     "WHERE d.id BETWEEN ?3 AND ?4 "
		     "AND d.id IN (SELECT CAST(x AS bigint) FROM jsonb_array_elements_text(CAST(?2 AS jsonb)) x) "
		     "ORDER BY d.id DESC");
DB_QUERY_PG(Q_PAGE_ALL,
	    DOC_COLS "substr(d.body, 1, 240) FROM practice_doc d " DOC_JOINS
		     "WHERE ?1 = '' AND d.id BETWEEN ?3 AND ?4 AND d.id IN (SELECT value FROM json_each(?2)) "
		     "ORDER BY d.id DESC",
	    DOC_COLS "substr(d.body, 1, 240) FROM practice_doc d " DOC_JOINS
		     "WHERE CAST(?1 AS text) = '' AND d.id BETWEEN ?3 AND ?4 AND d.id IN (SELECT CAST(x AS bigint) FROM "
		     "jsonb_array_elements_text(CAST(?2 AS jsonb)) x) ORDER BY d.id DESC");
DB_QUERY(Q_DOC_ONE, DOC_COLS "d.body FROM practice_doc d " DOC_JOINS "WHERE d.kind = ? AND d.item_id = ?");
DB_QUERY(Q_DOC_SINCE, DOC_COLS "substr(d.body, 1, 240) FROM practice_doc d " DOC_JOINS
		       "WHERE d.created_at >= ? ORDER BY d.created_at DESC, d.id DESC LIMIT ?");
DB_QUERY(Q_DOC_FEED, DOC_COLS "substr(d.body, 1, 400), p.published_at FROM practice_doc d " DOC_JOINS
		      "WHERE d.network_id = ? AND p.item_id IS NOT NULL ORDER BY p.published_at DESC, d.id DESC LIMIT 50");
DB_QUERY(Q_NETWORK_BY_SLUG, "SELECT id, name FROM network WHERE slug = ?");
DB_QUERY(Q_DOC_NETWORK, DOC_COLS "substr(d.body, 1, 240) FROM practice_doc d " DOC_JOINS
			 "WHERE d.network_id = ? AND d.visibility = 'network' ORDER BY d.created_at DESC, d.id DESC");

/* The kinds the index holds, their labels and where their network pages are. */
static const struct {
	const char *kind, *label, *path;
} kinds[] = {
	{"idea", "Idea", "ideas"},
	{"article", "Article", "articles"},
	{"question", "Question", "questions"},
	{"case", "Case study", "cases"},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* Bind text s (NULL as "") at idx. */
static int bind_str(struct db_stmt *st, int idx, const char *s)
{
	return db_bind_text(st, idx, s ? s : "");
}

/* Run st to its end (one statement that returns no rows): 0 or the error. */
static int run(struct db_stmt *st)
{
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Themes as the index keeps them: each name between newlines (arena). */
static const char *themes_key(struct arena *a, const char *themes)
{
	struct buf b;
	buf_init(&b);
	buf_putc(&b, '\n');
	for (const char *p = themes ? themes : ""; *p; p++) {
		if (*p == '\r')
			continue;
		if (*p != '\n' || b.len == 0 || buf_str(&b)[b.len - 1] != '\n')
			buf_putc(&b, *p);
	}
	if (buf_str(&b)[b.len - 1] != '\n')
		buf_putc(&b, '\n');
	char *out = arena_strdup(a, b.len > 1 ? buf_str(&b) : "");
	buf_free(&b);
	return out;
}

int practice_index_put(struct db *db, const struct practice_doc_in *d)
{
	struct arena *a = arena_new();
	bool own = !db_in_transaction(db);
	int rc = own ? db_begin(db) : 0;
	if (rc)
		goto out;
	struct db_stmt *st = db_stmt(db, &Q_DOC_PUT);
	rc = ERR_DB;
	if (!st || bind_str(st, 1, d->kind) || db_bind_int(st, 2, d->item_id) || db_bind_int(st, 3, d->network_id) ||
	    db_bind_int(st, 4, d->urn) ||
	    (d->author_id > 0 ? db_bind_int(st, 5, d->author_id) : db_bind_null(st, 5)) ||
	    bind_str(st, 6, themes_key(a, d->themes)) || bind_str(st, 7, d->title) || bind_str(st, 8, d->body) ||
	    bind_str(st, 9, d->created_at))
		goto out;
	if ((rc = run(st)))
		goto out;
	st = db_stmt(db, &Q_DOC_ID);
	if (!st || bind_str(st, 1, d->kind) || db_bind_int(st, 2, d->item_id)) {
		rc = ERR_DB;
		goto out;
	}
	rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	if (rc != DB_ROW) {
		rc = rc < 0 ? rc : ERR_DB;
		goto out;
	}
	st = db_stmt(db, &Q_FTS_DEL);
	if (!st || db_bind_int(st, 1, id) || (rc = run(st))) {
		rc = rc ? rc : ERR_DB;
		goto out;
	}
	st = db_stmt(db, &Q_FTS_ADD);
	if (!st || db_bind_int(st, 1, id) || bind_str(st, 2, d->title) || bind_str(st, 3, d->body)) {
		rc = ERR_DB;
		goto out;
	}
	rc = run(st);
out:
	if (own && db_in_transaction(db)) {
		if (rc)
			db_rollback(db);
		else
			rc = db_commit(db);
	}
	arena_free(a);
	return rc;
}

int practice_index_vis(struct db *db, const char *kind, int64_t item_id, const char *vis, const char *requested)
{
	struct db_stmt *st = db_stmt(db, &Q_DOC_VIS);
	if (!st || bind_str(st, 1, vis) || bind_str(st, 2, requested) || bind_str(st, 3, kind) ||
	    db_bind_int(st, 4, item_id))
		return ERR_DB;
	int rc = run(st);
	if (rc || str_eq(vis, "network"))
		return rc;
	st = db_stmt(db, &Q_PUBLIC_DEL);
	if (!st || bind_str(st, 1, kind) || db_bind_int(st, 2, item_id))
		return ERR_DB;
	return run(st);
}

int practice_search_rebuild_index(struct db *db)
{
	int rc = db_exec(db, &Q_FTS_CLEAR);
	return rc ? rc : db_exec(db, &Q_FTS_ALL);
}

int practice_search_words(struct arena *a, const char *text, const char **words)
{
	int n = 0;
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	while (*p && n < PRACTICE_SEARCH_WORDS) {
		while (*p && *p < 0x80 && !((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			p++;
		const unsigned char *s = p;
		while (*p && (*p >= 0x80 || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			p++;
		if (p > s && p - s <= 64)
			words[n++] = arena_strndup(a, (const char *)s, (size_t)(p - s));
	}
	return n;
}

json_t *practice_snippet_parts(const char *s)
{
	json_t *parts = json_array();
	struct buf b;
	buf_init(&b);
	bool mark = false;
	for (const char *p = s ? s : "";; p++) {
		if (*p == '\x01' || *p == '\x02' || *p == '\0') {
			if (b.len)
				json_array_append_new(parts, json_pack("{ss sb}", "text", buf_str(&b), "mark", mark));
			buf_reset(&b);
			if (!*p)
				break;
			mark = *p == '\x01';
			continue;
		}
		buf_putc(&b, *p);
	}
	buf_free(&b);
	return parts;
}

/* The viewer's networks: for each, whether their school is a member and whether they coordinate it. */
struct practice_viewer {
	const struct user *u; /* NULL when anonymous */
	size_t n;             /* networks below */
	struct viewer_net {
		int64_t id;       /* network.id */
		bool member;      /* the person's school is a member school */
		bool coordinator; /* the person coordinates it */
		int64_t *partners; /* the schools in an open partnership with the person's school here (arena) */
		size_t n_partners; /* how many partners holds */
	} *nets;              /* arena */
};

/* Append urn to the partners of network id in v (the network added when new). */
static void viewer_partner(struct arena *a, struct practice_viewer *v, size_t *cap, int64_t id, int64_t urn)
{
	size_t k = 0;
	while (k < v->n && v->nets[k].id != id)
		k++;
	if (k == v->n) {
		v->nets = arena_grow(a, v->nets, v->n, cap, sizeof(*v->nets));
		v->nets[v->n++] = (struct viewer_net){.id = id};
	}
	struct viewer_net *n = &v->nets[k];
	int64_t *more = arena_alloc(a, (n->n_partners + 1) * sizeof(*more));
	if (n->n_partners)
		memcpy(more, n->partners, n->n_partners * sizeof(*more));
	more[n->n_partners++] = urn;
	n->partners = more;
}

int practice_partners_in(struct db *db, struct arena *a, int64_t urn, int64_t network_id, struct practice_access *acc)
{
	acc->partner_urns = NULL;
	acc->n_partners = 0;
	if (urn <= 0 || network_id <= 0)
		return 0;
	struct db_stmt *st = db_stmt(db, &Q_MY_PARTNERS);
	if (!st || db_bind_int(st, 1, urn) || db_bind_int(st, 2, network_id))
		return ERR_DB;
	int64_t *urns = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		urns = arena_grow(a, urns, n, &cap, sizeof(*urns));
		urns[n++] = db_col_int(st, 1);
	}
	db_reset(st);
	acc->partner_urns = urns;
	acc->n_partners = n;
	return rc < 0 ? rc : 0;
}

/* Load the viewer's networks (nothing for anonymous visitors). */
static int viewer_load(struct db *db, struct arena *a, const struct user *u, struct practice_viewer *v)
{
	memset(v, 0, sizeof(*v));
	v->u = u;
	if (!u || u->id <= 0)
		return 0;
	struct db_stmt *st = db_stmt(db, &Q_MY_NETWORKS);
	if (!st || db_bind_int(st, 1, u->school_urn > 0 ? u->school_urn : -1) || db_bind_int(st, 2, u->id))
		return ERR_DB;
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0), what = db_col_int(st, 1);
		size_t k = 0;
		while (k < v->n && v->nets[k].id != id)
			k++;
		if (k == v->n) {
			v->nets = arena_grow(a, v->nets, v->n, &cap, sizeof(*v->nets));
			v->nets[v->n++] = (struct viewer_net){.id = id};
		}
		if (what == 1)
			v->nets[k].member = true;
		else if (what == 2)
			v->nets[k].coordinator = true;
	}
	db_reset(st);
	if (rc < 0 || u->school_urn <= 0)
		return rc < 0 ? rc : 0;
	st = db_stmt(db, &Q_MY_PARTNERS);
	if (!st || db_bind_int(st, 1, u->school_urn) || db_bind_int(st, 2, 0))
		return ERR_DB;
	while ((rc = db_step(st)) == DB_ROW)
		viewer_partner(a, v, &cap, db_col_int(st, 0), db_col_int(st, 1));
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* The viewer's facts in network id. */
static struct practice_access viewer_access(const struct practice_viewer *v, int64_t network_id)
{
	struct practice_access acc = {0};
	if (!v->u || v->u->id <= 0)
		return acc;
	acc = (struct practice_access){.person_id = v->u->id, .school_urn = v->u->school_urn, .role = v->u->role,
				       .is_admin = v->u->is_admin};
	for (size_t k = 0; k < v->n; k++) {
		if (v->nets[k].id == network_id) {
			acc.school_member = v->nets[k].member;
			acc.coordinator = v->nets[k].coordinator;
			acc.partner_urns = v->nets[k].partners;
			acc.n_partners = v->nets[k].n_partners;
		}
	}
	return acc;
}

int practice_viewer_open(struct db *db, struct arena *a, const struct user *u, struct practice_viewer **out)
{
	*out = arena_zalloc(a, sizeof(**out));
	return viewer_load(db, a, u, *out);
}

struct practice_access practice_viewer_in(const struct practice_viewer *v, int64_t network_id)
{
	return viewer_access(v, network_id);
}

int practice_viewer_access(struct db *db, struct arena *a, const struct user *u, int64_t network_id,
			   struct practice_access *out)
{
	struct practice_viewer v;
	int rc = viewer_load(db, a, u, &v);
	*out = viewer_access(&v, network_id);
	return rc;
}

/* One row of the index as read (strings in the arena). */
struct hit {
	int64_t item_id;           /* the item's id in its own table */
	int64_t network_id;        /* network.id */
	const char *kind;          /* "idea", … */
	struct practice_item item; /* the facts for policy.c */
	const char *themes;        /* "\nA\nB\n" */
	const char *title;         /* "" for ideas */
	const char *created_at;    /* UTC text */
	const char *slug, *network, *school; /* the network's slug and name, the school's name */
	const char *lead;          /* the body's first 240 characters */
	const char *text;          /* the last column: a snippet, or the body */
};

/* Read the row st is on. */
static void hit_read(struct db_stmt *st, struct arena *a, struct hit *h)
{
	h->item_id = db_col_int(st, 2);
	h->network_id = db_col_int(st, 3);
	h->kind = arena_strdup(a, db_col_text(st, 1));
	h->item = practice_item_of(db_col_int(st, 5), db_col_int(st, 4), db_col_text(st, 6), db_col_text(st, 7),
				   db_col_int(st, 8) != 0, false);
	h->themes = arena_strdup(a, db_col_text(st, 9));
	h->title = arena_strdup(a, db_col_text(st, 10));
	h->created_at = arena_strdup(a, db_col_text(st, 11));
	h->slug = arena_strdup(a, db_col_text(st, 12));
	h->network = arena_strdup(a, db_col_text(st, 13));
	h->school = arena_strdup(a, db_col_text(st, 14));
	h->lead = arena_strdup(a, db_col_text(st, 15));
	const char *t = db_col_text(st, 16);
	h->text = arena_strdup(a, t ? t : "");
}

/* The kind's index in kinds[], or -1. */
static int kind_find(const char *kind)
{
	for (size_t k = 0; k < NKINDS; k++)
		if (str_eq(kind, kinds[k].kind))
			return (int)k;
	return -1;
}

/* The first words of text, at most max bytes cut at a space, with "…" when cut (arena). */
static const char *shorten(struct arena *a, const char *text, size_t max)
{
	size_t n = strlen(text);
	if (n <= max)
		return text;
	size_t cut = max;
	while (cut > max / 2 && text[cut] != ' ')
		cut--;
	while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
		cut--;
	return arena_printf(a, "%.*s…", (int)cut, text);
}

/* The JSON of hit h as the viewer with facts acc sees it (new reference). */
static json_t *hit_json(struct arena *a, const struct hit *h, const struct practice_access *acc)
{
	int k = kind_find(h->kind);
	json_t *themes = json_array();
	for (const char *p = h->themes; *p;) {
		const char *e = strchr(p, '\n');
		if (!e)
			e = p + strlen(p);
		if (e > p)
			json_array_append_new(themes, json_stringn(p, (size_t)(e - p)));
		p = *e ? e + 1 : e;
	}
	int64_t t = 0;
	char day[40] = "";
	if (clock_parse_iso(h->created_at, &t) == 0)
		clock_format_day(t, true, day, sizeof(day));
	bool in_network = acc->person_id > 0 && (acc->is_admin || acc->coordinator || acc->school_member);
	const char *public_url = arena_printf(a, "/practice/%s/%lld", h->kind, (long long)h->item_id);
	const char *url = in_network && k >= 0 ? arena_printf(a, "/networks/%s/%s/%lld", h->slug, kinds[k].path,
							      (long long)h->item_id)
					       : public_url;
	const char *title = *h->title ? h->title : shorten(a, h->lead, 80);
	const char *network_url = k >= 0 ? arena_printf(a, "/networks/%s/%s/%lld", h->slug, kinds[k].path,
						       (long long)h->item_id)
					 : public_url;
	return json_pack("{ss sI ss ss ss ss ss s{ss ss ss} ss so ss ss ss sb}", "network_item_url", network_url, "id", (json_int_t)h->item_id, "kind", h->kind, "kind_label",
			 k >= 0 ? kinds[k].label : h->kind, "title", title, "url", url, "public_url", public_url,
			 "network", "slug", h->slug, "name", h->network, "url", arena_printf(a, "/networks/%s", h->slug),
			 "school", h->school, "themes", themes, "posted", day, "posted_at", h->created_at,
			 "visibility", practice_vis_name(h->item.vis), "is_public", h->item.vis == PRACTICE_VIS_PUBLIC);
}

/*
 * Append to b (an FTS5 query) the phrase of tag s in column tags, after
 * prefix: the same words as FTS_TAGS makes of it (a theme: a 't' before each
 * of its words), with '"' doubled.
 */
static void fts_tag(struct buf *b, const char *prefix, const char *s, bool theme)
{
	buf_printf(b, "%stags : \"%s", b->len ? " AND " : "", prefix);
	for (; *s; s++) {
		if (*s == '"')
			buf_puts(b, "\"\"");
		else if (theme && (*s == ' ' || *s == '\n'))
			buf_puts(b, " t");
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* Bind the filters ?2 … ?7 of a search. */
static int bind_filters(struct db_stmt *st, struct arena *a, const struct practice_search_query *q)
{
	return bind_str(st, 2, q->kind) ||
	       bind_str(st, 3, q->theme && *q->theme ? arena_printf(a, "\n%s\n", q->theme) : "") ||
	       bind_str(st, 4, q->phase) || db_bind_int(st, 5, q->urn > 0 ? q->urn : 0) ||
	       bind_str(st, 6, q->from && *q->from ? arena_printf(a, "%sT00:00:00Z", q->from) : "") ||
	       bind_str(st, 7, q->to && *q->to ? arena_printf(a, "%sT23:59:59Z", q->to) : "")
		       ? ERR_DB
		       : 0;
}

int practice_search(struct db *db, struct arena *a, const struct user *u, const struct practice_search_query *q,
		    json_t *errors, json_t **out)
{
	*out = NULL;
	const char *words[PRACTICE_SEARCH_WORDS];
	int nw = practice_search_words(a, q->text, words);
	bool has_text = q->text && *q->text;
	if (has_text && nw == 0)
		json_object_set_new(errors, "q", json_string("Search for words: letters or numbers."));
	if (q->from && *q->from && q->to && *q->to && strcmp(q->from, q->to) > 0)
		json_object_set_new(errors, "to", json_string("Choose a last day on or after the first day."));
	if (json_object_size(errors))
		return ERR_INVALID;
	struct practice_viewer v;
	int rc = viewer_load(db, a, u, &v);
	if (rc)
		return rc;
	/* match: the words (the page's snippets); walk: what finds the matches (SQLite: with the filters as tags). */
	struct buf match, walk;
	buf_init(&match);
	buf_init(&walk);
	bool pg = db_is_postgres(db);
	for (int i = 0; i < nw; i++) {
		if (pg)
			buf_printf(&match, "%s%s:*", i ? " & " : "", words[i]);
		else
			buf_printf(&match, "%s{title body} : \"%s\"*", i ? " AND " : "", words[i]);
	}
	buf_puts(&walk, buf_str(&match));
	bool has_urn = q->urn > 0;
	if (!pg && (nw || !has_urn)) {
		if (q->kind && *q->kind)
			fts_tag(&walk, "k", q->kind, false);
		if (q->theme && *q->theme)
			fts_tag(&walk, "t", q->theme, true);
		if (has_urn)
			fts_tag(&walk, "u", arena_printf(a, "%lld", (long long)q->urn), false);
	}
	const struct db_query *query = nw ? &Q_SEARCH_WORDS : has_urn ? &Q_SEARCH_SCHOOL
						 : walk.len ? &Q_SEARCH_WORDS : &Q_SEARCH_ALL;
	struct db_stmt *st = db_stmt(db, query);
	if (!st || bind_str(st, 1, query == &Q_SEARCH_WORDS ? buf_str(&walk) : "") || bind_filters(st, a, q)) {
		buf_free(&walk);
		buf_free(&match);
		return ERR_DB;
	}
	buf_free(&walk);
	int page = q->page > 0 ? q->page : 1;
	int64_t first = (int64_t)(page - 1) * PRACTICE_SEARCH_PAGE, total = 0;
	int64_t cap = first + PRACTICE_SEARCH_PAGE > PRACTICE_SEARCH_COUNT ? first + PRACTICE_SEARCH_PAGE
									 : PRACTICE_SEARCH_COUNT;
	bool more = false;
	int64_t lo = 0, hi = 0; /* the page's smallest and largest ids: a range FTS5 walks in one pass */
	struct buf ids;
	buf_init(&ids);
	buf_putc(&ids, '[');
	/* First the facts of every match, newest first: the check, the count and the page's ids. */
	while ((rc = db_step(st)) == DB_ROW) {
		struct practice_item item = practice_item_of(db_col_int(st, 3), db_col_int(st, 2), db_col_text(st, 4),
							     db_col_text(st, 5), db_col_int(st, 6) != 0, false);
		struct practice_access acc = viewer_access(&v, db_col_int(st, 1));
		if (!practice_can_see(&acc, &item))
			continue;
		if (total == cap) {
			more = true;
			break;
		}
		if (total >= first && total < first + PRACTICE_SEARCH_PAGE) {
			int64_t id = db_col_int(st, 0);
			buf_printf(&ids, "%s%lld", ids.len > 1 ? "," : "", (long long)id);
			lo = lo == 0 || id < lo ? id : lo;
			hi = id > hi ? id : hi;
		}
		total++;
	}
	db_reset(st);
	buf_putc(&ids, ']');
	json_t *results = json_array();
	/* Then the page's text and snippets, for those ids only. */
	if (rc >= 0 && ids.len > 2) {
		st = db_stmt(db, nw ? &Q_PAGE_WORDS : &Q_PAGE_ALL);
		if (!st || bind_str(st, 1, nw ? buf_str(&match) : "") || bind_str(st, 2, buf_str(&ids)) ||
		    db_bind_int(st, 3, lo) || db_bind_int(st, 4, hi)) {
			rc = ERR_DB;
		} else {
			while ((rc = db_step(st)) == DB_ROW) {
				struct hit h;
				hit_read(st, a, &h);
				struct practice_access acc = viewer_access(&v, h.network_id);
				if (!practice_can_see(&acc, &h.item))
					continue;
				json_t *r = hit_json(a, &h, &acc);
				const char *snip = nw ? h.text : shorten(a, h.text, 200);
				json_object_set_new(r, "snippet", practice_snippet_parts(snip));
				json_array_append_new(results, r);
			}
			db_reset(st);
		}
	}
	buf_free(&ids);
	buf_free(&match);
	if (rc < 0) {
		json_decref(results);
		return rc;
	}
	rc = 0;
	int64_t pages = (total + PRACTICE_SEARCH_PAGE - 1) / PRACTICE_SEARCH_PAGE;
	*out = json_pack("{so sI sI sI sb sb}", "results", results, "total", (json_int_t)total, "page", (json_int_t)page,
			 "pages", (json_int_t)pages, "empty", total == 0, "more", more);
	return 0;
}

/* Read the one row of Q_DOC_ONE for (kind, item_id) into h: 0, ERR_NOTFOUND. */
static int doc_one(struct db *db, struct arena *a, const char *kind, int64_t item_id, struct hit *h)
{
	if (kind_find(kind) < 0)
		return ERR_NOTFOUND;
	struct db_stmt *st = db_stmt(db, &Q_DOC_ONE);
	if (!st || bind_str(st, 1, kind) || db_bind_int(st, 2, item_id))
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW)
		hit_read(st, a, h);
	db_reset(st);
	return rc == DB_ROW ? 0 : rc < 0 ? rc : ERR_NOTFOUND;
}

int practice_item_facts(struct db *db, struct arena *a, const char *kind, int64_t item_id, int64_t *network_id,
			struct practice_item *item)
{
	struct hit h;
	int rc = doc_one(db, a, kind, item_id, &h);
	if (rc)
		return rc;
	*network_id = h.network_id;
	*item = h.item;
	return 0;
}

int practice_public_item(struct db *db, struct arena *a, const struct user *u, const char *kind, int64_t item_id,
			 json_t **out)
{
	*out = NULL;
	struct hit h;
	int rc = doc_one(db, a, kind, item_id, &h);
	if (rc)
		return rc;
	struct practice_viewer v;
	if ((rc = viewer_load(db, a, u, &v)))
		return rc;
	struct practice_access acc = viewer_access(&v, h.network_id);
	if (!practice_can_see(&acc, &h.item))
		return ERR_NOTFOUND;
	json_t *item = hit_json(a, &h, &acc);
	if (str_eq(kind, "article")) {
		struct buf html;
		buf_init(&html);
		if (practice_md_html(h.text, &html))
			buf_puts(&html, "<p>This article cannot be shown: its author needs to change a link or remove "
					"HTML.</p>");
		json_object_set_new(item, "body_html", json_string(buf_str(&html)));
		buf_free(&html);
	} else {
		json_object_set_new(item, "text", json_string(h.text));
	}
	json_object_set_new(item, "can_unpublish", json_boolean(practice_can_unpublish(&acc, &h.item)));
	json_object_set_new(item, "can_attach", json_boolean(practice_can_attach(&acc, &h.item)));
	json_t *files = practice_attachments_of(db, kind, item_id);
	json_object_set_new(item, "has_attachments", json_boolean(json_array_size(files) > 0));
	json_object_set_new(item, "attachments", files);
	*out = json_pack("{so}", "item", item);
	return 0;
}

int practice_publishing(struct db *db, struct arena *a, const struct user *u, int64_t network_id, json_t **out)
{
	*out = NULL;
	struct practice_access acc;
	int rc = practice_viewer_access(db, a, u, network_id, &acc);
	if (rc)
		return rc;
	if (!acc.coordinator)
		return ERR_FORBIDDEN;
	struct db_stmt *st = db_stmt(db, &Q_DOC_NETWORK);
	if (!st || db_bind_int(st, 1, network_id))
		return ERR_DB;
	json_t *published = json_array(), *ready = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		struct hit h;
		hit_read(st, a, &h);
		if (!practice_can_see(&acc, &h.item))
			continue;
		json_t *r = hit_json(a, &h, &acc);
		json_object_set_new(r, "can_publish", json_boolean(practice_can_publish(&acc, &h.item)));
		json_object_set_new(r, "can_unpublish", json_boolean(practice_can_unpublish(&acc, &h.item)));
		json_array_append_new(h.item.vis == PRACTICE_VIS_PUBLIC ? published : ready, r);
	}
	db_reset(st);
	if (rc < 0) {
		json_decref(published);
		json_decref(ready);
		return rc;
	}
	*out = json_pack("{so so sb sb}", "published", published, "ready", ready, "none_published",
			 json_array_size(published) == 0, "none_ready", json_array_size(ready) == 0);
	return 0;
}

/* Load item (kind, item_id) of network_id and the viewer's facts for a change. */
static int change_open(struct db *db, struct arena *a, const struct user *u, int64_t network_id, const char *kind,
		       int64_t item_id, struct hit *h, struct practice_access *acc)
{
	int rc = doc_one(db, a, kind, item_id, h);
	if (rc)
		return rc;
	if (h->network_id != network_id)
		return ERR_NOTFOUND;
	if ((rc = practice_viewer_access(db, a, u, network_id, acc)))
		return rc;
	return practice_can_see(acc, &h->item) ? 0 : ERR_NOTFOUND;
}

int practice_publish(struct db *db, struct arena *a, const struct user *u, int64_t network_id, const char *kind,
		     int64_t item_id)
{
	struct hit h;
	struct practice_access acc;
	int rc = change_open(db, a, u, network_id, kind, item_id, &h, &acc);
	if (rc)
		return rc;
	if (h.item.vis == PRACTICE_VIS_PUBLIC)
		return ERR_CONFLICT;
	if (!practice_can_publish(&acc, &h.item))
		return ERR_FORBIDDEN;
	char now[32];
	clock_format_iso(clock_now(), now, sizeof(now));
	struct db_stmt *st = db_stmt(db, &Q_PUBLIC_ADD);
	if (!st || bind_str(st, 1, kind) || db_bind_int(st, 2, item_id) || db_bind_int(st, 3, network_id) ||
	    db_bind_int(st, 4, u->id) || bind_str(st, 5, now))
		return ERR_DB;
	return run(st);
}

int practice_unpublish(struct db *db, struct arena *a, const struct user *u, int64_t network_id, const char *kind,
		       int64_t item_id)
{
	struct hit h;
	struct practice_access acc;
	int rc = change_open(db, a, u, network_id, kind, item_id, &h, &acc);
	if (rc)
		return rc;
	if (!practice_can_unpublish(&acc, &h.item))
		return h.item.vis == PRACTICE_VIS_PUBLIC ? ERR_FORBIDDEN : ERR_CONFLICT;
	struct db_stmt *st = db_stmt(db, &Q_PUBLIC_DEL);
	if (!st || bind_str(st, 1, kind) || db_bind_int(st, 2, item_id))
		return ERR_DB;
	return run(st);
}

int practice_list_since(struct db *db, struct arena *a, const char *since, int max, struct practice_listed **out,
			size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_stmt(db, &Q_DOC_SINCE);
	if (!st || bind_str(st, 1, since) || db_bind_int(st, 2, max))
		return ERR_DB;
	size_t cap = 0;
	int rc;
	struct practice_access anon = {0};
	while ((rc = db_step(st)) == DB_ROW) {
		struct hit h;
		hit_read(st, a, &h);
		*out = arena_grow(a, *out, *n, &cap, sizeof(**out));
		(*out)[(*n)++] = (struct practice_listed){.network_id = h.network_id, .item = h.item,
							  .created_at = h.created_at, .json = hit_json(a, &h, &anon)};
		json_object_set_new((*out)[*n - 1].json, "summary", json_string(shorten(a, h.text, 200)));
	}
	db_reset(st);
	if (rc < 0) {
		practice_list_free(*out, *n);
		*n = 0;
	}
	return rc < 0 ? rc : 0;
}

void practice_list_free(struct practice_listed *l, size_t n)
{
	for (size_t i = 0; l && i < n; i++)
		json_decref(l[i].json);
}

int practice_feed(struct db *db, struct arena *a, const char *slug, json_t **out)
{
	*out = NULL;
	struct db_stmt *st = db_stmt(db, &Q_NETWORK_BY_SLUG);
	if (!st || bind_str(st, 1, slug))
		return ERR_DB;
	int rc = db_step(st);
	int64_t network_id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	const char *name = rc == DB_ROW ? arena_strdup(a, db_col_text(st, 1)) : NULL;
	db_reset(st);
	if (rc != DB_ROW)
		return rc < 0 ? rc : ERR_NOTFOUND;
	st = db_stmt(db, &Q_DOC_FEED);
	if (!st || db_bind_int(st, 1, network_id))
		return ERR_DB;
	struct practice_access anon = {0};
	json_t *entries = json_array();
	const char *updated = NULL;
	while ((rc = db_step(st)) == DB_ROW) {
		struct hit h;
		hit_read(st, a, &h);
		if (!practice_can_see(&anon, &h.item))
			continue;
		const char *published = arena_strdup(a, db_col_text(st, 17));
		if (!updated)
			updated = published;
		json_t *e = hit_json(a, &h, &anon);
		json_object_set_new(e, "summary", json_string(shorten(a, h.text, 400)));
		json_object_set_new(e, "published_at", json_string(published));
		json_array_append_new(entries, e);
	}
	db_reset(st);
	if (rc < 0) {
		json_decref(entries);
		return rc;
	}
	*out = json_pack("{ss ss ss so}", "slug", slug, "name", name, "updated", updated ? updated : "1970-01-01T00:00:00Z",
			 "entries", entries);
	return 0;
}
