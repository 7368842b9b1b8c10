// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * ical.c — the RFC 5545 writer (see ical.h). Everything is checked before
 * anything is written, so a bad input leaves the caller's buffer untouched.
 * Each property is first built whole in a scratch buffer (name, parameters,
 * ':' and the escaped value) and then written out folded, because folding
 * counts octets of the whole line, name included.
 */
#include "app/calendar/ical.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/str.h"

/* The last second of 9999-12-31: DATE-TIME has four-digit years. */
#define ICAL_TIME_MAX INT64_C(253402300799)

void ical_format_utc(int64_t t, char out[ICAL_UTC_SIZE])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(out, ICAL_UTC_SIZE, "%Y%m%dT%H%M%SZ", &tm))
		snprintf(out, ICAL_UTC_SIZE, "19700101T000000Z");
}

/* t's UTC date as "YYYYMMDD", and the next day's. */
static void format_days(int64_t t, char day[9], char next[9])
{
	time_t a = (time_t)t, b = (time_t)(t + 86400);
	struct tm ta, tb;
	if (!gmtime_r(&a, &ta) || !gmtime_r(&b, &tb) || !strftime(day, 9, "%Y%m%d", &ta) ||
	    !strftime(next, 9, "%Y%m%d", &tb)) {
		snprintf(day, 9, "19700101");
		snprintf(next, 9, "19700102");
	}
}

void ical_put_text(struct buf *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '\\': buf_puts(out, "\\\\"); break;
		case ';': buf_puts(out, "\\;"); break;
		case ',': buf_puts(out, "\\,"); break;
		case '\r':
			if (s[1] == '\n')
				s++;
			buf_puts(out, "\\n");
			break;
		case '\n': buf_puts(out, "\\n"); break;
		case '\t': buf_putc(out, '\t'); break;
		default:
			if (c >= 0x20 && c != 0x7f) /* other control characters are not allowed in TEXT */
				buf_putc(out, (char)c);
			break;
		}
	}
}

void ical_put_line(struct buf *out, const char *line, size_t len)
{
	size_t pos = 0;
	bool first = true;
	do {
		/* A continuation line starts with a space, which counts towards its 75 octets. */
		size_t limit = first ? ICAL_LINE_MAX : ICAL_LINE_MAX - 1, take = len - pos;
		if (take > limit) {
			take = limit;
			/* Back off to the start of a UTF-8 character (continuation bytes are 10xxxxxx). */
			while (take > 0 && ((unsigned char)line[pos + take] & 0xC0) == 0x80)
				take--;
			if (take == 0) /* not UTF-8 after all: cut anywhere rather than loop */
				take = limit;
		}
		if (!first)
			buf_putc(out, ' ');
		buf_append(out, line + pos, take);
		buf_puts(out, "\r\n");
		pos += take;
		first = false;
	} while (pos < len);
}

/* Optional UTF-8 text. */
static bool text_ok(const char *s)
{
	return !s || utf8_valid(s, strlen(s));
}

/* A required identifier: non-empty UTF-8 without control characters. */
static bool uid_ok(const char *s)
{
	if (!s || !*s || !utf8_valid(s, strlen(s)))
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* An optional URI: printable ASCII without spaces (a URL is percent-encoded already). */
static bool url_ok(const char *s)
{
	if (!s)
		return true;
	if (!*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

static bool time_ok(int64_t t)
{
	return t >= 0 && t <= ICAL_TIME_MAX;
}

static bool calendar_ok(const struct ical_calendar *cal)
{
	if (!cal || cal->stamp <= 0 || !time_ok(cal->stamp) || !text_ok(cal->name))
		return false;
	if ((cal->n_events && !cal->events) || (cal->n_dues && !cal->dues))
		return false;
	for (size_t i = 0; i < cal->n_events; i++) {
		const struct ical_event *e = &cal->events[i];
		if (!uid_ok(e->uid) || !text_ok(e->title) || !text_ok(e->location) || !text_ok(e->description) ||
		    !url_ok(e->url) || !time_ok(e->start) || !time_ok(e->end) || e->end <= e->start ||
		    e->stamp < 0 || !time_ok(e->stamp))
			return false;
	}
	for (size_t i = 0; i < cal->n_dues; i++) {
		const struct ical_due *d = &cal->dues[i];
		if (!uid_ok(d->uid) || !text_ok(d->title) || !text_ok(d->description) || !url_ok(d->url) ||
		    !time_ok(d->due) || d->due > ICAL_TIME_MAX - 86400 || d->stamp < 0 || !time_ok(d->stamp))
			return false;
	}
	return true;
}

/* NAME:value with value written as-is (no escaping). */
static void prop_raw(struct buf *out, struct buf *line, const char *name, const char *value)
{
	buf_reset(line);
	buf_puts(line, name);
	buf_putc(line, ':');
	buf_puts(line, value);
	ical_put_line(out, line->data, line->len);
}

/* NAME:value with value escaped as TEXT; nothing when value is NULL. */
static void prop_text(struct buf *out, struct buf *line, const char *name, const char *value)
{
	if (!value)
		return;
	buf_reset(line);
	buf_puts(line, name);
	buf_putc(line, ':');
	ical_put_text(line, value);
	ical_put_line(out, line->data, line->len);
}

static void prop_time(struct buf *out, struct buf *line, const char *name, int64_t t)
{
	char v[ICAL_UTC_SIZE];
	ical_format_utc(t, v);
	prop_raw(out, line, name, v);
}

static void write_event(struct buf *out, struct buf *line, const struct ical_event *e, int64_t stamp)
{
	prop_raw(out, line, "BEGIN", "VEVENT");
	prop_text(out, line, "UID", e->uid);
	prop_time(out, line, "DTSTAMP", e->stamp ? e->stamp : stamp);
	prop_time(out, line, "DTSTART", e->start);
	prop_time(out, line, "DTEND", e->end);
	prop_text(out, line, "SUMMARY", e->title);
	prop_text(out, line, "LOCATION", e->location);
	prop_text(out, line, "DESCRIPTION", e->description);
	if (e->url)
		prop_raw(out, line, "URL", e->url);
	prop_raw(out, line, "STATUS", e->cancelled ? "CANCELLED" : "CONFIRMED");
	prop_raw(out, line, "END", "VEVENT");
}

static void write_due(struct buf *out, struct buf *line, const struct ical_due *d, int64_t stamp)
{
	char day[9], next[9];
	format_days(d->due, day, next);
	prop_raw(out, line, "BEGIN", "VEVENT");
	prop_text(out, line, "UID", d->uid);
	prop_time(out, line, "DTSTAMP", d->stamp ? d->stamp : stamp);
	prop_raw(out, line, "DTSTART;VALUE=DATE", day);
	prop_raw(out, line, "DTEND;VALUE=DATE", next);
	prop_text(out, line, "SUMMARY", d->title);
	prop_text(out, line, "DESCRIPTION", d->description);
	if (d->url)
		prop_raw(out, line, "URL", d->url);
	prop_raw(out, line, "TRANSP", "TRANSPARENT");
	prop_raw(out, line, "END", "VEVENT");
}

int ical_write(struct buf *out, const struct ical_calendar *cal)
{
	if (!out || !calendar_ok(cal))
		return ERR_INVALID;
	struct buf line = BUF_INIT;
	prop_raw(out, &line, "BEGIN", "VCALENDAR");
	prop_raw(out, &line, "VERSION", "2.0");
	prop_raw(out, &line, "PRODID", "-//Tandem//Partnerships//EN");
	prop_raw(out, &line, "CALSCALE", "GREGORIAN");
	if (cal->method)
		prop_raw(out, &line, "METHOD", cal->method);
	prop_text(out, &line, "X-WR-CALNAME", cal->name);
	/* How often subscribers should fetch again: RFC 7986, and the older name many clients read. */
	prop_raw(out, &line, "REFRESH-INTERVAL;VALUE=DURATION", "PT1H");
	prop_raw(out, &line, "X-PUBLISHED-TTL", "PT1H");
	for (size_t i = 0; i < cal->n_events; i++)
		write_event(out, &line, &cal->events[i], cal->stamp);
	for (size_t i = 0; i < cal->n_dues; i++)
		write_due(out, &line, &cal->dues[i], cal->stamp);
	prop_raw(out, &line, "END", "VCALENDAR");
	buf_free(&line);
	return 0;
}
