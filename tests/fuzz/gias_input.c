// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * gias_input.c — the shared half of the GIAS fuzz targets (see
 * gias_input.h): memory files, and the promises of gias.h checked on every
 * school, link and rejection read back. A broken promise aborts, so the
 * fuzzer records the input.
 */
#include "gias_input.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <proj.h>

#include "app/schools/gias.h"
#include "app/schools/gias_csv.h"
#include "core/str.h"
#include "http/params.h"

static void check(int ok)
{
	if (!ok)
		abort();
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		check(w > 0);
		p += w;
		n -= (size_t)w;
	}
}

void gias_input_open(struct gias_input *in, const char *head, size_t hlen, const char *body,
		     size_t blen)
{
	in->fd = memfd_create("gias-fuzz", MFD_CLOEXEC);
	check(in->fd >= 0);
	write_all(in->fd, head, hlen);
	write_all(in->fd, body, blen);
	snprintf(in->path, sizeof(in->path), "/proc/self/fd/%d", in->fd);
}

void gias_input_close(struct gias_input *in)
{
	if (in->fd >= 0)
		close(in->fd);
	in->fd = -1;
}

/* NULL, or non-empty UTF-8 text. */
static bool text_or_null(const char *s)
{
	return !s || (*s && utf8_valid(s, strlen(s)));
}

/* NULL, or a real date written YYYY-MM-DD. */
static bool date_or_null(const char *s)
{
	return !s || param_date_valid(s);
}

static void check_coded(struct gias_coded c)
{
	check(text_or_null(c.code) && text_or_null(c.name));
}

static void check_reject(const struct gias_reject *rej)
{
	check(rej->line >= 2);
	check(rej->column && utf8_valid(rej->column, strlen(rej->column)));
	check(rej->reason && *rej->reason && utf8_valid(rej->reason, strlen(rej->reason)));
}

static void check_names(const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check(names[i] && utf8_valid(names[i], strlen(names[i])));
}

static void check_school(const struct gias_school *s)
{
	check(s->urn > 0 && s->urn <= 999999999);
	check(s->name && text_or_null(s->name));
	const struct gias_coded coded[] = {
		s->la,		    s->type,	 s->type_group, s->status,   s->phase,
		s->gender,	    s->religious_character,	s->sixth_form, s->boarders,
		s->admissions_policy, s->trust,  s->federation, s->region,   s->district,
		s->urban_rural,
	};
	for (size_t i = 0; i < sizeof(coded) / sizeof(coded[0]); i++)
		check_coded(coded[i]);
	const char *texts[] = {s->establishment_number, s->street, s->locality, s->address3,
			       s->town, s->county, s->postcode, s->website, s->telephone,
			       s->ofsted_rating};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		check(text_or_null(texts[i]));
	check(date_or_null(s->open_date) && date_or_null(s->close_date) &&
	      date_or_null(s->ofsted_date));
	const int counts[] = {s->low_age, s->high_age, s->capacity, s->pupils,
			      s->fsm,	  s->sen_stat, s->sen_no_stat};
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		check(counts[i] >= -1);
	check(isnan(s->percent_fsm) || (s->percent_fsm >= 0 && s->percent_fsm <= 100));
	check(isnan(s->easting) || s->easting > 0);
	check(isnan(s->northing) || s->northing > 0);
	check(isnan(s->latitude) == isnan(s->longitude));
	check(isnan(s->latitude) || (s->latitude >= -90 && s->latitude <= 90));
}

void gias_input_read_register(const char *path)
{
	char msg[GIAS_MSG_SIZE];
	struct gias_reader *r;
	int rc = gias_open(path, NULL, &r, msg, sizeof(msg));
	if (rc) {
		check(r == NULL && rc < 0 && msg[0] && utf8_valid(msg, strlen(msg)));
		return;
	}
	const char *const *names;
	size_t n = gias_ignored_columns(r, &names);
	check_names(names, n);
	n = gias_missing_columns(r, &names);
	check_names(names, n);
	for (;;) {
		struct gias_school s;
		struct gias_reject rej;
		rc = gias_next(r, &s, &rej);
		if (rc == GIAS_ROW)
			check_school(&s);
		else if (rc == GIAS_REJECT)
			check_reject(&rej);
		else
			break;
	}
	if (rc < 0)
		check(gias_errmsg(r)[0] != '\0');
	uint64_t done, total;
	gias_progress(r, &done, &total);
	check(done <= total);
	gias_close(r);
}

void gias_input_read_links(const char *path)
{
	char msg[GIAS_MSG_SIZE];
	struct gias_links_reader *r;
	int rc = gias_links_open(path, NULL, &r, msg, sizeof(msg));
	if (rc) {
		check(r == NULL && rc < 0 && msg[0] && utf8_valid(msg, strlen(msg)));
		return;
	}
	const char *const *names;
	size_t n = gias_links_ignored_columns(r, &names);
	check_names(names, n);
	for (;;) {
		struct gias_link l;
		struct gias_reject rej;
		rc = gias_links_next(r, &l, &rej);
		if (rc == GIAS_ROW) {
			check(l.urn > 0 && l.link_urn > 0);
			check(text_or_null(l.link_name) && text_or_null(l.link_type));
			check(date_or_null(l.date));
		} else if (rc == GIAS_REJECT) {
			check_reject(&rej);
		} else {
			break;
		}
	}
	if (rc < 0)
		check(gias_links_errmsg(r)[0] != '\0');
	gias_links_close(r);
}

void gias_input_values(const char *s)
{
	char iso[11];
	bool known;
	const char *why = NULL;
	if (gias_csv_date(s, iso, &known, &why) == 0)
		check(known ? param_date_valid(iso) : iso[0] == '\0');
	else
		check(why && *why);
	int64_t v;
	why = NULL;
	if (gias_csv_count(s, 1000000, &v, &why) == 0)
		check(v >= -1 && v <= 1000000);
	else
		check(why && *why);
	if (gias_snapshot_date(s, iso) == 0)
		check(param_date_valid(iso));
	else
		check(iso[0] == '\0');
}

/*
 * One PROJ context and one transformation for the whole run. Building the
 * reader's EPSG:27700 to EPSG:4326 transformation reads PROJ's database
 * (tens of milliseconds under the sanitizers: nearly all of an iteration,
 * and none of it depends on the input). The targets are linked with --wrap
 * for the PROJ functions gias.c calls to set up and tear down, so those
 * calls land here and the first reader's context and transformation serve
 * every later one; everything else gias.c asks of PROJ is real. They are
 * freed at exit, so the leak checker still sees everything else.
 */
PJ_CONTEXT *__real_proj_context_create(void);
PJ_CONTEXT *__real_proj_context_destroy(PJ_CONTEXT *ctx);
PJ *__real_proj_create_crs_to_crs(PJ_CONTEXT *ctx, const char *src, const char *dst, PJ_AREA *area);
PJ *__real_proj_normalize_for_visualization(PJ_CONTEXT *ctx, const PJ *obj);
PJ *__real_proj_destroy(PJ *p);
PJ_CONTEXT *__wrap_proj_context_create(void);
PJ_CONTEXT *__wrap_proj_context_destroy(PJ_CONTEXT *ctx);
PJ *__wrap_proj_create_crs_to_crs(PJ_CONTEXT *ctx, const char *src, const char *dst, PJ_AREA *area);
PJ *__wrap_proj_normalize_for_visualization(PJ_CONTEXT *ctx, const PJ *obj);
PJ *__wrap_proj_destroy(PJ *p);

static PJ_CONTEXT *shared_ctx;
static PJ *shared_crs, *shared_norm;

static void shared_free(void)
{
	__real_proj_destroy(shared_norm);
	__real_proj_destroy(shared_crs);
	__real_proj_context_destroy(shared_ctx);
}

PJ_CONTEXT *__wrap_proj_context_create(void)
{
	if (!shared_ctx) {
		shared_ctx = __real_proj_context_create();
		atexit(shared_free);
	}
	return shared_ctx;
}

PJ_CONTEXT *__wrap_proj_context_destroy(PJ_CONTEXT *ctx)
{
	return ctx == shared_ctx ? NULL : __real_proj_context_destroy(ctx);
}

PJ *__wrap_proj_create_crs_to_crs(PJ_CONTEXT *ctx, const char *src, const char *dst, PJ_AREA *area)
{
	if (ctx != shared_ctx || area || strcmp(src, "EPSG:27700") != 0 ||
	    strcmp(dst, "EPSG:4326") != 0)
		return __real_proj_create_crs_to_crs(ctx, src, dst, area);
	if (!shared_crs)
		shared_crs = __real_proj_create_crs_to_crs(ctx, src, dst, area);
	return shared_crs;
}

PJ *__wrap_proj_normalize_for_visualization(PJ_CONTEXT *ctx, const PJ *obj)
{
	if (!obj || obj != shared_crs)
		return __real_proj_normalize_for_visualization(ctx, obj);
	if (!shared_norm)
		shared_norm = __real_proj_normalize_for_visualization(ctx, obj);
	return shared_norm;
}

PJ *__wrap_proj_destroy(PJ *p)
{
	return p && (p == shared_crs || p == shared_norm) ? NULL : __real_proj_destroy(p);
}
