// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * import.c — loads a GIAS extract or links file into the store. One
 * transaction per import: a fatal read error rolls back to the data as it
 * was, and a failed run record is kept to say why. Each school row is
 * hashed; an unchanged row is not written, so re-importing the same file
 * changes nothing. Rows the reader rejects are counted and recorded.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/schools/gias.h"
#include "app/schools/schools.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"

#define REJECTS_KEPT 1000 /* rejections stored per run; all are counted */
#define REJECTS_SHOWN 100 /* rejections in the report */

DB_QUERY(Q_RUN_START,
	 "INSERT INTO import_run (kind, file_name, snapshot_date, started_at) VALUES (?, ?, ?, ?)");
DB_QUERY(Q_RUN_FINISH,
	 "UPDATE import_run SET finished_at = ?, rows_read = ?, inserted = ?, updated = ?, "
	 "unchanged = ?, closed = ?, rejected = ?, ignored_columns = ?, status = 'done' WHERE id = ?");
DB_QUERY(Q_RUN_FAILED,
	 "INSERT INTO import_run (kind, file_name, snapshot_date, started_at, finished_at, rows_read, "
	 "rejected, status, message) VALUES (?, ?, ?, ?, ?, ?, ?, 'failed', ?)");
DB_QUERY(Q_REJECT_ADD,
	 "INSERT INTO import_reject (import_id, line, column_name, reason) VALUES (?, ?, ?, ?)");
DB_QUERY(Q_SCHOOL_HASHES, "SELECT urn, row_hash, status_code FROM school");
DB_QUERY(Q_SCHOOL_UPSERT,
	 "INSERT INTO school (urn, name, la_code, la_name, establishment_number, type_code, type_name, "
	 "type_group_code, type_group_name, status_code, status_name, open_date, close_date, "
	 "phase_code, phase_name, phase_group, low_age, high_age, gender_code, gender_name, "
	 "religious_code, religious_name, sixth_form_code, sixth_form_name, boarders_code, "
	 "boarders_name, admissions_code, admissions_name, capacity, pupils, fsm, fsm_pct, sen_stat, "
	 "sen_support, trust_code, trust_name, federation_code, federation_name, region_code, "
	 "region_name, district_code, district_name, urban_rural_code, urban_rural_name, street, "
	 "locality, address3, town, county, postcode, postcode_key, outcode, sector, website, "
	 "telephone, easting, northing, lat, lon, ofsted_rating, ofsted_date, row_hash, import_id, "
	 "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
	 "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
	 "ON CONFLICT (urn) DO UPDATE SET name = excluded.name, la_code = excluded.la_code, "
	 "la_name = excluded.la_name, establishment_number = excluded.establishment_number, "
	 "type_code = excluded.type_code, type_name = excluded.type_name, "
	 "type_group_code = excluded.type_group_code, type_group_name = excluded.type_group_name, "
	 "status_code = excluded.status_code, status_name = excluded.status_name, "
	 "open_date = excluded.open_date, close_date = excluded.close_date, "
	 "phase_code = excluded.phase_code, phase_name = excluded.phase_name, "
	 "phase_group = excluded.phase_group, low_age = excluded.low_age, "
	 "high_age = excluded.high_age, gender_code = excluded.gender_code, "
	 "gender_name = excluded.gender_name, religious_code = excluded.religious_code, "
	 "religious_name = excluded.religious_name, sixth_form_code = excluded.sixth_form_code, "
	 "sixth_form_name = excluded.sixth_form_name, boarders_code = excluded.boarders_code, "
	 "boarders_name = excluded.boarders_name, admissions_code = excluded.admissions_code, "
	 "admissions_name = excluded.admissions_name, capacity = excluded.capacity, "
	 "pupils = excluded.pupils, fsm = excluded.fsm, fsm_pct = excluded.fsm_pct, "
	 "sen_stat = excluded.sen_stat, sen_support = excluded.sen_support, "
	 "trust_code = excluded.trust_code, trust_name = excluded.trust_name, "
	 "federation_code = excluded.federation_code, federation_name = excluded.federation_name, "
	 "region_code = excluded.region_code, region_name = excluded.region_name, "
	 "district_code = excluded.district_code, district_name = excluded.district_name, "
	 "urban_rural_code = excluded.urban_rural_code, urban_rural_name = excluded.urban_rural_name, "
	 "street = excluded.street, locality = excluded.locality, address3 = excluded.address3, "
	 "town = excluded.town, county = excluded.county, postcode = excluded.postcode, "
	 "postcode_key = excluded.postcode_key, outcode = excluded.outcode, sector = excluded.sector, "
	 "website = excluded.website, telephone = excluded.telephone, easting = excluded.easting, "
	 "northing = excluded.northing, lat = excluded.lat, lon = excluded.lon, "
	 "ofsted_rating = excluded.ofsted_rating, ofsted_date = excluded.ofsted_date, "
	 "row_hash = excluded.row_hash, import_id = excluded.import_id, "
	 "updated_at = excluded.updated_at");
DB_QUERY_PG(Q_LINK_UPSERT,
	    "INSERT INTO school_link (urn, link_urn, link_name, link_type, link_date) VALUES (?, ?, ?, ?, ?) "
	    "ON CONFLICT (urn, link_urn, link_type) DO UPDATE SET link_name = excluded.link_name, "
	    "link_date = excluded.link_date WHERE link_name IS NOT excluded.link_name "
	    "OR link_date IS NOT excluded.link_date",
	    "INSERT INTO school_link (urn, link_urn, link_name, link_type, link_date) VALUES (?, ?, ?, ?, ?) "
	    "ON CONFLICT (urn, link_urn, link_type) DO UPDATE SET link_name = excluded.link_name, "
	    "link_date = excluded.link_date WHERE school_link.link_name IS DISTINCT FROM excluded.link_name "
	    "OR school_link.link_date IS DISTINCT FROM excluded.link_date");

/* ---- what was there before: urn → hash, status (open addressing) ------- */

struct prev_entry {
	int64_t urn;       /* 0 = empty slot */
	uint64_t hash;     /* row hash at the previous import */
	bool was_open;     /* status 1 or 3 */
};

struct prev_map {
	struct prev_entry *slots; /* power-of-two table */
	size_t mask;              /* slots - 1 */
};

static size_t prev_slot(const struct prev_map *m, int64_t urn)
{
	size_t i = ((uint64_t)urn * 0x9E3779B97F4A7C15ull) >> 20 & m->mask;
	while (m->slots[i].urn && m->slots[i].urn != urn)
		i = (i + 1) & m->mask;
	return i;
}

static int prev_load(struct db *db, struct prev_map *m)
{
	size_t cap = 1u << 17; /* room for 130,000 schools before probing gets long */
	m->slots = xcalloc(cap, sizeof(*m->slots));
	m->mask = cap - 1;
	struct db_stmt *st = db_stmt(db, &Q_SCHOOL_HASHES);
	if (!st)
		return ERR_DB;
	size_t n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (++n > cap / 2) {
			/* Grow: rehash into a table twice the size. */
			struct prev_map big = {xcalloc(cap * 2, sizeof(*m->slots)), cap * 2 - 1};
			for (size_t i = 0; i < cap; i++)
				if (m->slots[i].urn)
					big.slots[prev_slot(&big, m->slots[i].urn)] = m->slots[i];
			free(m->slots);
			*m = big;
			cap *= 2;
		}
		int64_t urn = db_col_int(st, 0);
		const char *h = db_col_text(st, 1);
		const char *status = db_col_text(st, 2);
		struct prev_entry *e = &m->slots[prev_slot(m, urn)];
		e->urn = urn;
		e->hash = h ? strtoull(h, NULL, 16) : 0;
		e->was_open = status && (strcmp(status, "1") == 0 || strcmp(status, "3") == 0);
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* ---- hashing a row ------------------------------------------------------ */

/* FNV-1a over each value with a separator, so ("ab","c") ≠ ("a","bc"). */
static void hash_str(uint64_t *h, const char *s)
{
	if (s)
		for (; *s; s++)
			*h = (*h ^ (unsigned char)*s) * 0x100000001b3ull;
	else
		*h = (*h ^ 0xFF) * 0x100000001b3ull;
	*h = (*h ^ 0x1F) * 0x100000001b3ull;
}

static void hash_num(uint64_t *h, double v)
{
	char tmp[40];
	if (isnan(v))
		hash_str(h, NULL);
	else {
		snprintf(tmp, sizeof(tmp), "%.9g", v);
		hash_str(h, tmp);
	}
}

/* ---- postcode keys ------------------------------------------------------ */

/* "sw1a 1aa" → key "SW1A1AA", outcode "SW1A", sector "SW1A 1". Empty when unknown. */
static void postcode_parts(const char *pc, char key[16], char out[8], char sector[12])
{
	key[0] = out[0] = sector[0] = '\0';
	if (!pc)
		return;
	size_t n = 0;
	for (const char *p = pc; *p && n < 15; p++)
		if (*p != ' ')
			key[n++] = (char)((*p >= 'a' && *p <= 'z') ? *p - 32 : *p);
	key[n] = '\0';
	if (n < 5 || n > 7)
		return; /* not a UK postcode shape: keep only the key */
	size_t outlen = n - 3;
	memcpy(out, key, outlen);
	out[outlen] = '\0';
	snprintf(sector, 12, "%s %c", out, key[outlen]);
}

/* ---- binding helpers: NULL / -1 / NaN mean unknown → SQL NULL ------------ */

static int bind_s(struct db_stmt *st, int *i, const char *s)
{
	return db_bind_text(st, (*i)++, s);
}

static int bind_i(struct db_stmt *st, int *i, int v)
{
	return v < 0 ? db_bind_null(st, (*i)++) : db_bind_int(st, (*i)++, v);
}

static int bind_d(struct db_stmt *st, int *i, double v)
{
	return isnan(v) ? db_bind_null(st, (*i)++) : db_bind_double(st, (*i)++, v);
}

static int bind_c(struct db_stmt *st, int *i, struct gias_coded c)
{
	int rc = db_bind_text(st, (*i)++, c.code);
	return rc ? rc : db_bind_text(st, (*i)++, c.name);
}

static uint64_t school_hash(const struct gias_school *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	const struct gias_coded *codes[] = {&s->la, &s->type, &s->type_group, &s->status, &s->phase,
		&s->gender, &s->religious_character, &s->sixth_form, &s->boarders, &s->admissions_policy,
		&s->trust, &s->federation, &s->region, &s->district, &s->urban_rural};
	const char *strs[] = {s->name, s->establishment_number, s->open_date, s->close_date, s->street,
		s->locality, s->address3, s->town, s->county, s->postcode, s->website, s->telephone,
		s->ofsted_rating, s->ofsted_date};
	const double nums[] = {s->low_age, s->high_age, s->capacity, s->pupils, s->fsm, s->percent_fsm,
		s->sen_stat, s->sen_no_stat, s->easting, s->northing};
	for (size_t i = 0; i < ARRAY_LEN(codes); i++) {
		hash_str(&h, codes[i]->code);
		hash_str(&h, codes[i]->name);
	}
	for (size_t i = 0; i < ARRAY_LEN(strs); i++)
		hash_str(&h, strs[i]);
	for (size_t i = 0; i < ARRAY_LEN(nums); i++)
		hash_num(&h, nums[i] < 0 ? NAN : nums[i]);
	return h;
}

static int school_write(struct db *db, const struct gias_school *s, uint64_t hash, int64_t run_id,
			const char *now)
{
	struct db_stmt *st = db_stmt(db, &Q_SCHOOL_UPSERT);
	if (!st)
		return ERR_DB;
	char key[16], out[8], sector[12], hex[17];
	postcode_parts(s->postcode, key, out, sector);
	snprintf(hex, sizeof(hex), "%016" PRIx64, hash);
	enum gias_phase_group g = gias_phase_group(s->type.code, s->phase.code);
	int i = 1, rc = 0;
	rc |= db_bind_int(st, i++, s->urn);
	rc |= bind_s(st, &i, s->name);
	rc |= bind_c(st, &i, s->la);
	rc |= bind_s(st, &i, s->establishment_number);
	rc |= bind_c(st, &i, s->type);
	rc |= bind_c(st, &i, s->type_group);
	rc |= bind_c(st, &i, s->status);
	rc |= bind_s(st, &i, s->open_date);
	rc |= bind_s(st, &i, s->close_date);
	rc |= bind_c(st, &i, s->phase);
	rc |= bind_s(st, &i, gias_phase_group_name(g));
	rc |= bind_i(st, &i, s->low_age);
	rc |= bind_i(st, &i, s->high_age);
	rc |= bind_c(st, &i, s->gender);
	rc |= bind_c(st, &i, s->religious_character);
	rc |= bind_c(st, &i, s->sixth_form);
	rc |= bind_c(st, &i, s->boarders);
	rc |= bind_c(st, &i, s->admissions_policy);
	rc |= bind_i(st, &i, s->capacity);
	rc |= bind_i(st, &i, s->pupils);
	rc |= bind_i(st, &i, s->fsm);
	rc |= bind_d(st, &i, s->percent_fsm);
	rc |= bind_i(st, &i, s->sen_stat);
	rc |= bind_i(st, &i, s->sen_no_stat);
	rc |= bind_c(st, &i, s->trust);
	rc |= bind_c(st, &i, s->federation);
	rc |= bind_c(st, &i, s->region);
	rc |= bind_c(st, &i, s->district);
	rc |= bind_c(st, &i, s->urban_rural);
	rc |= bind_s(st, &i, s->street);
	rc |= bind_s(st, &i, s->locality);
	rc |= bind_s(st, &i, s->address3);
	rc |= bind_s(st, &i, s->town);
	rc |= bind_s(st, &i, s->county);
	rc |= bind_s(st, &i, s->postcode);
	rc |= bind_s(st, &i, key[0] ? key : NULL);
	rc |= bind_s(st, &i, out[0] ? out : NULL);
	rc |= bind_s(st, &i, sector[0] ? sector : NULL);
	rc |= bind_s(st, &i, s->website);
	rc |= bind_s(st, &i, s->telephone);
	rc |= bind_d(st, &i, s->easting);
	rc |= bind_d(st, &i, s->northing);
	rc |= bind_d(st, &i, s->latitude);
	rc |= bind_d(st, &i, s->longitude);
	rc |= bind_s(st, &i, s->ofsted_rating);
	rc |= bind_s(st, &i, s->ofsted_date);
	rc |= bind_s(st, &i, hex);
	rc |= db_bind_int(st, i++, run_id);
	rc |= bind_s(st, &i, now);
	if (rc)
		return ERR_DB;
	rc = db_step(st);
	return rc < 0 ? rc : 0;
}

/* ---- the run record ------------------------------------------------------ */

static int run_start(struct db *db, const char *kind, const char *name, const char *snapshot,
		     const char *now, int64_t *id)
{
	struct db_stmt *st = db_stmt(db, &Q_RUN_START);
	if (!st || db_bind_text(st, 1, kind) || db_bind_text(st, 2, name) ||
	    db_bind_text(st, 3, snapshot[0] ? snapshot : NULL) || db_bind_text(st, 4, now))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	*id = db_last_id(db);
	return 0;
}

static int run_finish(struct db *db, const struct import_report *r, const char *now)
{
	struct db_stmt *st = db_stmt(db, &Q_RUN_FINISH);
	if (!st || db_bind_text(st, 1, now) || db_bind_int(st, 2, r->read) ||
	    db_bind_int(st, 3, r->inserted) || db_bind_int(st, 4, r->updated) ||
	    db_bind_int(st, 5, r->unchanged) || db_bind_int(st, 6, r->closed) ||
	    db_bind_int(st, 7, r->rejected) || db_bind_text(st, 8, r->ignored_list) ||
	    db_bind_int(st, 9, r->run_id))
		return ERR_DB;
	int rc = db_step(st);
	return rc < 0 ? rc : 0;
}

/* After a rollback: keep a record that the import failed and why. */
static void run_failed(struct db *db, const char *kind, const char *name, const char *snapshot,
		       const char *started, const struct import_report *r, const char *message)
{
	char now[32];
	clock_format_iso(clock_now(), now, sizeof(now));
	struct db_stmt *st = db_stmt(db, &Q_RUN_FAILED);
	if (!st || db_bind_text(st, 1, kind) || db_bind_text(st, 2, name) ||
	    db_bind_text(st, 3, snapshot[0] ? snapshot : NULL) || db_bind_text(st, 4, started) ||
	    db_bind_text(st, 5, now) || db_bind_int(st, 6, r->read) ||
	    db_bind_int(st, 7, r->rejected) || db_bind_text(st, 8, message) || db_step(st) < 0)
		log_warn("could not record the failed import of %s", name);
}

static int reject_add(struct db *db, struct import_report *r, const struct gias_reject *rej)
{
	r->rejected++;
	if (r->rejected <= REJECTS_SHOWN) {
		json_array_append_new(r->rejects, json_pack("{s:I, s:s, s:s}", "line", (json_int_t)rej->line,
							    "column", rej->column ? rej->column : "",
							    "reason", rej->reason ? rej->reason : ""));
	}
	if (r->rejected > REJECTS_KEPT)
		return 0;
	struct db_stmt *st = db_stmt(db, &Q_REJECT_ADD);
	if (!st || db_bind_int(st, 1, r->run_id) || db_bind_int(st, 2, rej->line) ||
	    db_bind_text(st, 3, rej->column ? rej->column : "") ||
	    db_bind_text(st, 4, rej->reason ? rej->reason : ""))
		return ERR_DB;
	int rc = db_step(st);
	return rc < 0 ? rc : 0;
}

static void list_ignored(struct import_report *r, const char *const *names, size_t n)
{
	r->ignored = n;
	size_t used = 0;
	r->ignored_list[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(r->ignored_list + used, sizeof(r->ignored_list) - used, "%s%s",
				 i ? ", " : "", names[i]);
		if (w < 0 || (size_t)w >= sizeof(r->ignored_list) - used) {
			r->ignored_list[sizeof(r->ignored_list) - 1] = '\0';
			break;
		}
		used += (size_t)w;
	}
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static void report_init(struct import_report *rep, const char *path)
{
	memset(rep, 0, sizeof(*rep));
	rep->rejects = json_array();
	if (gias_snapshot_date(path, rep->snapshot))
		rep->snapshot[0] = '\0';
}

/* One import in progress: its run record and where its error message goes. */
struct import_job {
	struct db *db;
	const char *kind;           /* "schools" or "links" (import_run.kind) */
	const char *name;           /* the file name recorded */
	char started[32];           /* ISO time the import began */
	struct import_report *rep;  /* counts so far */
	char *err;                  /* the caller's message buffer */
	size_t errsz;
};

static void job_init(struct import_job *j, struct db *db, const char *kind, const char *path,
		     const char *name, struct import_report *rep, char *err, size_t errsz)
{
	j->db = db;
	j->kind = kind;
	j->name = name ? name : base_name(path);
	j->rep = rep;
	j->err = err;
	j->errsz = errsz;
	report_init(rep, j->name);
	clock_format_iso(clock_now(), j->started, sizeof(j->started));
}

/* The file could not be opened: record a failed run with the reader's message. */
static int job_open_failed(struct import_job *j, int rc, const char *msg)
{
	snprintf(j->err, j->errsz, "%s", msg);
	run_failed(j->db, j->kind, j->name, j->rep->snapshot, j->started, j->rep, msg);
	return rc;
}

/* BEGIN IMMEDIATE and the run record. */
static int job_begin(struct import_job *j)
{
	int rc = db_begin(j->db);
	if (rc) {
		snprintf(j->err, j->errsz, "the database is busy: %s", db_errmsg(j->db));
		return rc;
	}
	rc = run_start(j->db, j->kind, j->name, j->rep->snapshot, j->started, &j->rep->run_id);
	if (rc) {
		snprintf(j->err, j->errsz, "cannot write to the database: %s", db_errmsg(j->db));
		db_rollback(j->db);
	}
	return rc;
}

/* Complete the run record and commit. */
static int job_commit(struct import_job *j)
{
	char now[32];
	clock_format_iso(clock_now(), now, sizeof(now));
	int rc = run_finish(j->db, j->rep, now);
	if (!rc) /* every app server reloads its indexes (index.c) once this commits */
		rc = db_announce(j->db, "schools");
	if (!rc)
		rc = db_commit(j->db);
	if (rc)
		snprintf(j->err, j->errsz, "cannot commit the import: %s", db_errmsg(j->db));
	return rc;
}

/* Undo everything the import wrote and keep a failed run record saying why. */
static void job_abort(struct import_job *j)
{
	db_rollback(j->db);
	run_failed(j->db, j->kind, j->name, j->rep->snapshot, j->started, j->rep, j->err);
	j->rep->inserted = j->rep->updated = j->rep->unchanged = j->rep->closed = 0;
}

/* Count one school row against what was there before and write it if it changed. */
static int school_row(struct import_job *j, struct prev_map *prev, const struct gias_school *s)
{
	struct import_report *rep = j->rep;
	uint64_t h = school_hash(s);
	struct prev_entry *e = &prev->slots[prev_slot(prev, s->urn)];
	bool open_now = s->status.code &&
			(strcmp(s->status.code, "1") == 0 || strcmp(s->status.code, "3") == 0);
	if (e->urn && e->hash == h) {
		rep->unchanged++;
		return 0;
	}
	if (e->urn) {
		rep->updated++;
		if (e->was_open && !open_now)
			rep->closed++;
	} else {
		rep->inserted++;
	}
	int rc = school_write(j->db, s, h, rep->run_id, j->started);
	/* A URN repeated within the file counts once. */
	e->urn = s->urn;
	e->hash = h;
	e->was_open = open_now;
	return rc;
}

int schools_import_gias(struct db *db, const char *path, const char *name,
			import_progress_fn progress, void *ctx, struct import_report *rep,
			char *err, size_t errsz)
{
	struct import_job job;
	struct gias_reader *r = NULL;
	struct prev_map prev = {NULL, 0};
	char msg[GIAS_MSG_SIZE];

	job_init(&job, db, "schools", path, name, rep, err, errsz);
	int rc = gias_open(path, name, &r, msg, sizeof(msg));
	if (rc)
		return job_open_failed(&job, rc, msg);
	const char *const *ignored;
	size_t nign = gias_ignored_columns(r, &ignored);
	list_ignored(rep, ignored, nign);

	if (db_bulk_mode(db, true))
		log_warn("import: could not enlarge the page cache; the import will be slower");
	rc = job_begin(&job);
	if (rc)
		goto out;
	rc = prev_load(db, &prev);
	if (rc) {
		snprintf(err, errsz, "cannot read the schools already stored: %s", db_errmsg(db));
		goto abort;
	}

	struct gias_school s;
	struct gias_reject rej;
	while ((rc = gias_next(r, &s, &rej)) > 0) {
		rep->read++;
		rc = rc == GIAS_REJECT ? reject_add(db, rep, &rej) : school_row(&job, &prev, &s);
		if (rc) {
			snprintf(err, errsz, "cannot write school data: %s", db_errmsg(db));
			goto abort;
		}
		if (progress && rep->read % 512 == 0) {
			uint64_t done, total;
			gias_progress(r, &done, &total);
			progress(ctx, done, total);
		}
	}
	if (rc < 0) {
		snprintf(err, errsz, "%s (nothing was changed)", gias_errmsg(r));
		goto abort;
	}
	if (progress) {
		uint64_t done, total;
		gias_progress(r, &done, &total);
		progress(ctx, total ? total : done, total);
	}
	rc = job_commit(&job);
	if (!rc)
		goto out;
abort:
	job_abort(&job);
out:
	if (db_bulk_mode(db, false))
		log_warn("import: could not restore the page cache size");
	free(prev.slots);
	gias_close(r);
	return rc;
}

/* Write one link; counts it as new/changed or unchanged. */
static int link_row(struct import_job *j, const struct gias_link *l)
{
	struct db_stmt *st = db_stmt(j->db, &Q_LINK_UPSERT);
	if (!st || db_bind_int(st, 1, l->urn) || db_bind_int(st, 2, l->link_urn) ||
	    db_bind_text(st, 3, l->link_name) ||
	    db_bind_text(st, 4, l->link_type ? l->link_type : "Unknown") || db_bind_text(st, 5, l->date))
		return ERR_DB;
	int rc = db_step(st);
	if (rc < 0)
		return rc;
	if (db_changes(j->db) > 0)
		j->rep->inserted++;
	else
		j->rep->unchanged++;
	return 0;
}

int schools_import_links(struct db *db, const char *path, const char *name,
			 import_progress_fn progress, void *ctx, struct import_report *rep,
			 char *err, size_t errsz)
{
	struct import_job job;
	struct gias_links_reader *r = NULL;
	char msg[GIAS_MSG_SIZE];

	job_init(&job, db, "links", path, name, rep, err, errsz);
	int rc = gias_links_open(path, name, &r, msg, sizeof(msg));
	if (rc)
		return job_open_failed(&job, rc, msg);
	const char *const *ignored;
	size_t nign = gias_links_ignored_columns(r, &ignored);
	list_ignored(rep, ignored, nign);
	rc = job_begin(&job);
	if (rc)
		goto out;
	struct gias_link l;
	struct gias_reject rej;
	while ((rc = gias_links_next(r, &l, &rej)) > 0) {
		rep->read++;
		rc = rc == GIAS_REJECT ? reject_add(db, rep, &rej) : link_row(&job, &l);
		if (rc) {
			snprintf(err, errsz, "cannot write link data: %s", db_errmsg(db));
			goto abort;
		}
		if (progress && rep->read % 512 == 0) {
			uint64_t done, total;
			gias_links_progress(r, &done, &total);
			progress(ctx, done, total);
		}
	}
	if (rc < 0) {
		snprintf(err, errsz, "%s (nothing was changed)", gias_links_errmsg(r));
		goto abort;
	}
	rc = job_commit(&job);
	if (!rc)
		goto out;
abort:
	job_abort(&job);
out:
	gias_links_close(r);
	return rc;
}

void import_report_free(struct import_report *rep)
{
	json_decref(rep->rejects);
	rep->rejects = NULL;
}
