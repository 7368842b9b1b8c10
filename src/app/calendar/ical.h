// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * ical.h — an iCalendar (RFC 5545) writer for the private calendar feeds
 * (calendar.h): timed events (a partnership meeting, a course session) and
 * all-day due dates (an action's), written into a struct buf. Plain structs
 * in, text out: no store, no HTTP (the feed handler looks up the token, the
 * capabilities fill the structs, and the handler serves the text as
 * text/calendar).
 *
 * What it writes: one VCALENDAR (VERSION:2.0, PRODID, CALSCALE:GREGORIAN,
 * X-WR-CALNAME, and a one-hour refresh hint); a VEVENT per event with UID,
 * DTSTAMP, DTSTART/DTEND in UTC ("20250303T160000Z"), SUMMARY, LOCATION,
 * DESCRIPTION, URL and STATUS; a VEVENT per due date with DTSTART;VALUE=DATE
 * and DTEND;VALUE=DATE the next day (RFC 5545 3.6.1: the end is exclusive)
 * and TRANSP:TRANSPARENT, so it shows on the day without blocking time. Due
 * dates are all-day VEVENTs rather than VTODOs because the calendars people
 * subscribe with (Google, Outlook, Apple) show events from a feed and mostly
 * ignore to-dos.
 *
 * Text is escaped (3.3.11: backslash, semicolon, comma; any line break
 * becomes \n; other control characters are dropped), every line ends in
 * CRLF, and lines longer than 75 octets are folded (3.1) without splitting a
 * UTF-8 character.
 */
#ifndef TANDEM_APP_CALENDAR_ICAL_H
#define TANDEM_APP_CALENDAR_ICAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct buf;

/* Longest content line, in octets, before folding (RFC 5545 3.1). */
#define ICAL_LINE_MAX 75
/* Room for a UTC date-time "YYYYMMDDTHHMMSSZ" and its NUL. */
#define ICAL_UTC_SIZE 17

/* A timed event (a meeting). Strings are UTF-8 and borrowed; optional ones may be NULL. */
struct ical_event {
	const char *uid;         /* stable and unique, "meeting-42@tandem" (required) */
	const char *title;       /* SUMMARY */
	int64_t start;           /* Unix time (UTC), 0 .. year 9999 */
	int64_t end;             /* after start */
	const char *location;    /* LOCATION, optional */
	const char *description; /* DESCRIPTION, optional, may hold line breaks */
	const char *url;         /* URL, optional: an absolute URL, no spaces or control characters */
	int64_t stamp;           /* DTSTAMP, when it last changed; 0 uses the calendar's stamp */
	bool cancelled;          /* STATUS:CANCELLED (kept in the feed so calendars remove it) */
};

/* A due date (an action's), shown as an all-day event. */
struct ical_due {
	const char *uid;         /* stable and unique, "action-17@tandem" (required) */
	const char *title;       /* SUMMARY */
	int64_t due;             /* any time on the day it is due; the UTC date is used */
	const char *description; /* optional */
	const char *url;         /* optional, as for events */
	int64_t stamp;           /* DTSTAMP; 0 uses the calendar's stamp */
};

/* The whole feed. */
struct ical_calendar {
	const char *name;              /* X-WR-CALNAME, shown as the calendar's name; optional */
	const char *method;            /* METHOD ("PUBLISH" for a file sent by email), optional: NULL for feeds */
	int64_t stamp;                 /* when the feed was made (> 0): the DTSTAMP by default */
	const struct ical_event *events;
	size_t n_events;
	const struct ical_due *dues;
	size_t n_dues;
};

/*
 * Append the calendar to out. Returns 0, or ERR_INVALID when an input is
 * unusable (a missing UID, an end not after its start, a time out of range,
 * text that is not UTF-8, a URL with spaces or control characters, no
 * stamp); then out is left as it was.
 */
int ical_write(struct buf *out, const struct ical_calendar *cal) WUR;

/* Append s escaped as an iCalendar TEXT value (3.3.11). NULL appends nothing. */
void ical_put_text(struct buf *out, const char *s);

/* Append one content line of len octets, folded at ICAL_LINE_MAX octets on a UTF-8 boundary, ending in CRLF. */
void ical_put_line(struct buf *out, const char *line, size_t len);

/* t as "YYYYMMDDTHHMMSSZ" into out (ICAL_UTC_SIZE bytes). */
void ical_format_utc(int64_t t, char out[ICAL_UTC_SIZE]);

#endif
