// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * feed.c — shared practice leaving Tandem: the Atom feed of a network's
 * public practice (written here from the model practice_feed gives, every
 * value escaped), and the weekly email of new practice for people who
 * switch it on, with its SQL. The email job runs with the partnership
 * digest's interval (TANDEM_DIGEST_INTERVAL); a person is due seven days
 * after Tandem last looked for them, so running it often never sends twice
 * in a week. Each item in an email has passed practice_can_see with that
 * person's facts in the item's network, as every other read does.
 */
#include "app/practice/feed.h"

#include <string.h>

#include "app/mail/mail.h"
#include "app/practice/search.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "core/str.h"
#include "db/db.h"
#include "view/tmpl.h"

DB_QUERY(Q_DIGEST_GET, "SELECT 1 FROM practice_digest WHERE person_id = ?");
DB_QUERY(Q_DIGEST_ON, "INSERT INTO practice_digest (person_id, created_at) VALUES (?, ?) "
		      "ON CONFLICT (person_id) DO NOTHING");
DB_QUERY(Q_DIGEST_OFF, "DELETE FROM practice_digest WHERE person_id = ?");
DB_QUERY(Q_DIGEST_DUE,
	 "SELECT o.person_id, p.email, p.name, COALESCE(p.school_urn, 0), p.school_role, p.is_admin, "
	 "COALESCE(o.last_sent_at, '') FROM practice_digest o JOIN person p ON p.id = o.person_id "
	 "WHERE o.last_sent_at IS NULL OR o.last_sent_at <= ? ORDER BY o.person_id");
DB_QUERY(Q_DIGEST_NETWORKS,
	 "SELECT o.person_id, ns.network_id, 1 FROM practice_digest o JOIN person p ON p.id = o.person_id "
	 "JOIN network_school ns ON ns.urn = p.school_urn "
	 "UNION ALL SELECT o.person_id, r.network_id, CASE WHEN r.role = 'coordinator' THEN 2 ELSE 0 END "
	 "FROM practice_digest o JOIN network_role r ON r.person_id = o.person_id");
DB_QUERY(Q_DIGEST_PARTNERS,
	 "SELECT DISTINCT o.person_id, ps.network_id, y.urn FROM practice_digest o JOIN person p ON p.id = o.person_id "
	 "JOIN partnership_school x ON x.urn = p.school_urn JOIN partnership ps ON ps.id = x.partnership_id "
	 "JOIN partnership_school y ON y.partnership_id = ps.id AND y.urn <> x.urn "
	 "WHERE ps.state IN ('forming', 'active') ORDER BY o.person_id, ps.network_id, y.urn");
DB_QUERY(Q_DIGEST_SENT, "UPDATE practice_digest SET last_sent_at = ? WHERE person_id = ?");

/* The most items one email lists. */
#define DIGEST_MAX 500
#define WEEK (7 * 86400)

/* Append the escaped value of key in o. */
static void put_esc(struct buf *out, const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	if (s)
		html_escape(out, s, strlen(s));
}

/* Append "<tag>escaped text</tag>". */
static void element(struct buf *out, const char *tag, const char *text)
{
	buf_printf(out, "<%s>", tag);
	html_escape(out, text ? text : "", text ? strlen(text) : 0);
	buf_printf(out, "</%s>\n", tag);
}

void practice_atom(const json_t *feed, const char *base_url, struct buf *out)
{
	const char *slug = json_string_value(json_object_get(feed, "slug"));
	struct buf self;
	buf_init(&self);
	buf_printf(&self, "%s/networks/%s/practice.atom", base_url, slug);
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
	buf_puts(out, "<title>");
	put_esc(out, feed, "name");
	buf_puts(out, ": shared practice</title>\n<id>");
	html_escape(out, buf_str(&self), self.len);
	buf_puts(out, "</id>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	html_escape(out, buf_str(&self), self.len);
	buf_puts(out, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	html_escape(out, base_url, strlen(base_url));
	buf_puts(out, "/practice/search\"/>\n");
	element(out, "updated", json_string_value(json_object_get(feed, "updated")));
	buf_puts(out, "<author><name>");
	put_esc(out, feed, "name");
	buf_puts(out, "</name></author>\n");
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(feed, "entries"), i, e)
	{
		struct buf link;
		buf_init(&link);
		buf_printf(&link, "%s%s", base_url, json_string_value(json_object_get(e, "public_url")));
		buf_puts(out, "<entry>\n<title>");
		put_esc(out, e, "title");
		buf_puts(out, "</title>\n<id>");
		html_escape(out, buf_str(&link), link.len);
		buf_puts(out, "</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
		html_escape(out, buf_str(&link), link.len);
		buf_puts(out, "\"/>\n");
		element(out, "updated", json_string_value(json_object_get(e, "published_at")));
		element(out, "published", json_string_value(json_object_get(e, "posted_at")));
		buf_puts(out, "<author><name>");
		put_esc(out, e, "school");
		buf_puts(out, "</name></author>\n");
		size_t k;
		json_t *t;
		json_array_foreach(json_object_get(e, "themes"), k, t)
		{
			buf_puts(out, "<category term=\"");
			html_escape(out, json_string_value(t), strlen(json_string_value(t)));
			buf_puts(out, "\"/>\n");
		}
		buf_puts(out, "<summary type=\"text\">");
		put_esc(out, e, "summary");
		buf_puts(out, "</summary>\n</entry>\n");
		buf_free(&link);
	}
	buf_puts(out, "</feed>\n");
	buf_free(&self);
}

int practice_digest_get(struct db *db, int64_t person_id, bool *on)
{
	*on = false;
	struct db_stmt *st = db_stmt(db, &Q_DIGEST_GET);
	if (!st || db_bind_int(st, 1, person_id))
		return ERR_DB;
	int rc = db_step(st);
	db_reset(st);
	*on = rc == DB_ROW;
	return rc < 0 ? rc : 0;
}

int practice_digest_set(struct db *db, int64_t person_id, bool on)
{
	struct db_stmt *st = db_stmt(db, on ? &Q_DIGEST_ON : &Q_DIGEST_OFF);
	char now[32];
	clock_format_iso(clock_now(), now, sizeof(now));
	if (!st || db_bind_int(st, 1, person_id) || (on && db_bind_text(st, 2, now)))
		return ERR_DB;
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* One person due an email. */
struct reader {
	int64_t id;              /* person.id */
	const char *email;       /* their address (arena) */
	const char *name;        /* their name (arena) */
	const char *since;       /* new practice is what was posted at or after this (arena) */
	struct user u;           /* their facts, as a signed-in user */
};

/* One network of a reader: {person, network, member, coordinator}. */
struct reader_net {
	int64_t person_id;  /* person.id */
	int64_t network_id; /* network.id */
	int what;           /* 1 their school is a member, 2 they coordinate, 0 neither */
};

/* Every reader's partner schools, network by network: runs of urns (the facts of practice_access). */
struct reader_partners {
	size_t n;      /* runs below */
	struct partner_run {
		int64_t person_id;  /* person.id */
		int64_t network_id; /* network.id */
		size_t start, len;  /* their partner schools: urns[start … start + len) */
	} *runs;               /* arena */
	int64_t *urns;         /* arena */
};

/* Read who is due at now into *rs (arena array of *n). */
static int readers_due(struct db *db, struct arena *a, int64_t now, struct reader **rs, size_t *n)
{
	*rs = NULL;
	*n = 0;
	char week_ago[32];
	clock_format_iso(now - WEEK, week_ago, sizeof(week_ago));
	struct db_stmt *st = db_stmt(db, &Q_DIGEST_DUE);
	if (!st || db_bind_text(st, 1, week_ago))
		return ERR_DB;
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		*rs = arena_grow(a, *rs, *n, &cap, sizeof(**rs));
		struct reader *r = &(*rs)[(*n)++];
		memset(r, 0, sizeof(*r));
		r->id = db_col_int(st, 0);
		r->email = arena_strdup(a, db_col_text(st, 1));
		r->name = arena_strdup(a, db_col_text(st, 2));
		const char *last = db_col_text(st, 6);
		r->since = arena_strdup(a, last && *last ? last : week_ago);
		enum school_role role = SCHOOL_ROLE_NONE;
		if (school_role_parse(db_col_text(st, 4), &role))
			role = SCHOOL_ROLE_NONE;
		r->u = (struct user){.id = r->id, .email = r->email, .name = r->name, .school_urn = db_col_int(st, 3),
				     .role = role, .is_admin = db_col_int(st, 5) != 0};
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Every reader's networks, once for all (arena array of *n). */
static int reader_networks(struct db *db, struct arena *a, struct reader_net **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_stmt(db, &Q_DIGEST_NETWORKS);
	if (!st)
		return ERR_DB;
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = arena_grow(a, *out, *n, &cap, sizeof(**out));
		(*out)[(*n)++] = (struct reader_net){.person_id = db_col_int(st, 0), .network_id = db_col_int(st, 1),
						     .what = (int)db_col_int(st, 2)};
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Every reader's partner schools in each network, once for all (forming or active partnerships). */
static int reader_partners(struct db *db, struct arena *a, struct reader_partners *out)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *st = db_stmt(db, &Q_DIGEST_PARTNERS);
	if (!st)
		return ERR_DB;
	size_t cap = 0, ucap = 0, nu = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t person = db_col_int(st, 0), network = db_col_int(st, 1);
		struct partner_run *last = out->n ? &out->runs[out->n - 1] : NULL;
		if (!last || last->person_id != person || last->network_id != network) {
			out->runs = arena_grow(a, out->runs, out->n, &cap, sizeof(*out->runs));
			out->runs[out->n++] = (struct partner_run){.person_id = person, .network_id = network, .start = nu};
			last = &out->runs[out->n - 1];
		}
		out->urns = arena_grow(a, out->urns, nu, &ucap, sizeof(*out->urns));
		out->urns[nu++] = db_col_int(st, 2);
		last->len++;
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* The facts of reader r in network_id, from the networks and partner schools of every reader. */
static struct practice_access reader_access(const struct reader *r, const struct reader_net *nets, size_t n,
					    const struct reader_partners *ps, int64_t network_id)
{
	struct practice_access acc = {.person_id = r->id, .school_urn = r->u.school_urn, .role = r->u.role,
				      .is_admin = r->u.is_admin};
	for (size_t i = 0; i < ps->n; i++) {
		if (ps->runs[i].person_id == r->id && ps->runs[i].network_id == network_id) {
			acc.partner_urns = ps->urns + ps->runs[i].start;
			acc.n_partners = ps->runs[i].len;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (nets[i].person_id != r->id || nets[i].network_id != network_id)
			continue;
		if (nets[i].what == 1)
			acc.school_member = true;
		else if (nets[i].what == 2)
			acc.coordinator = true;
	}
	return acc;
}

/* Write reader r's email of items into body; the number of items listed. */
static int compose(const struct reader *r, const struct practice_listed *items, size_t n, const struct reader_net *nets,
		   size_t nn, const struct reader_partners *ps, const char *base_url, struct buf *body)
{
	int listed = 0;
	int64_t t = 0;
	char day[40] = "";
	if (clock_parse_iso(r->since, &t) == 0)
		clock_format_day(t, true, day, sizeof(day));
	buf_printf(body, "Hello %s,\n\nNew shared practice you can see, posted since %s:\n\n", r->name, day);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(items[i].created_at, r->since) < 0)
			continue;
		struct practice_access acc = reader_access(r, nets, nn, ps, items[i].network_id);
		if (!practice_can_see(&acc, &items[i].item))
			continue;
		const json_t *j = items[i].json;
		bool in_network = acc.is_admin || acc.coordinator || acc.school_member;
		buf_printf(body, "- %s: %s\n  %s, %s, %s\n  %s%s\n\n",
			   json_string_value(json_object_get(j, "kind_label")),
			   json_string_value(json_object_get(j, "title")), json_string_value(json_object_get(j, "school")),
			   json_string_value(json_object_get(json_object_get(j, "network"), "name")),
			   json_string_value(json_object_get(j, "posted")), base_url,
			   json_string_value(json_object_get(j, in_network ? "network_item_url" : "public_url")));
		listed++;
	}
	buf_printf(body, "You get this email because you switched on the weekly email of new practice. "
			 "Switch it off at %s/practice/digest\n", base_url);
	return listed;
}

int practice_digest_run(struct db *db, const char *base_url, int64_t now, int *sent)
{
	*sent = 0;
	struct arena *a = arena_new();
	struct reader *rs = NULL;
	struct reader_net *nets = NULL;
	struct practice_listed *items = NULL;
	size_t n = 0, nn = 0, ni = 0;
	int rc = db_begin(db);
	if (rc)
		goto out;
	if ((rc = readers_due(db, a, now, &rs, &n)) || n == 0)
		goto out;
	const char *since = rs[0].since;
	for (size_t i = 1; i < n; i++)
		if (strcmp(rs[i].since, since) < 0)
			since = rs[i].since;
	struct reader_partners ps;
	if ((rc = reader_networks(db, a, &nets, &nn)) || (rc = reader_partners(db, a, &ps)) ||
	    (rc = practice_list_since(db, a, since, DIGEST_MAX, &items, &ni)))
		goto out;
	char now_iso[32];
	clock_format_iso(now, now_iso, sizeof(now_iso));
	for (size_t i = 0; i < n && !rc; i++) {
		struct buf body;
		buf_init(&body);
		if (compose(&rs[i], items, ni, nets, nn, &ps, base_url ? base_url : "", &body) > 0) {
			rc = mail_queue(db, rs[i].email, "New shared practice this week", buf_str(&body));
			if (!rc)
				(*sent)++;
		}
		buf_free(&body);
		struct db_stmt *st = rc ? NULL : db_stmt(db, &Q_DIGEST_SENT);
		if (!rc && (!st || db_bind_text(st, 1, now_iso) || db_bind_int(st, 2, rs[i].id)))
			rc = ERR_DB;
		if (!rc) {
			rc = db_step(st);
			db_reset(st);
			rc = rc < 0 ? rc : 0;
		}
	}
out:
	practice_list_free(items, ni);
	if (db_in_transaction(db)) {
		if (rc)
			db_rollback(db);
		else
			rc = db_commit(db);
	}
	arena_free(a);
	return rc;
}

/* Off when TANDEM_DIGEST_INTERVAL is 0 (as the partnership digest). */
static int digest_start(const struct config *config, int *interval, char *err, size_t errsz)
{
	(void)err, (void)errsz;
	*interval = config->digest_interval;
	if (*interval <= 0)
		log_info("practice: TANDEM_DIGEST_INTERVAL is 0, so no weekly email of new practice is sent");
	return 0;
}

/* One run, logged when it queued anything. */
static int digest_run(struct db *db, const struct config *config, int64_t now)
{
	int sent = 0;
	int rc = practice_digest_run(db, config->base_url, now, &sent);
	if (!rc && sent)
		log_info("practice: %d weekly email%s of new practice queued", sent, sent == 1 ? "" : "s");
	return rc;
}

const struct job practice_digest_job = {
	.name = "weekly email of new practice",
	.start = digest_start,
	.run = digest_run,
};
