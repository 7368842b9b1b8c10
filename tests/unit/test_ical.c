// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_ical.c — the iCalendar writer (src/app/calendar/ical.c): the
 * calendar's frame, meetings in UTC, due dates as all-day events, TEXT
 * escaping (RFC 5545 3.3.11), CRLF everywhere, folding at 75 octets without
 * splitting a UTF-8 character (3.1), and the inputs it refuses. The same
 * output is parsed by python3-icalendar in tests/http/test_ical_parse.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/calendar/ical.h"
#include "core/buf.h"
#include "core/str.h"

#define STAMP INT64_C(1740000000)    /* 2025-02-19T21:20:00Z */
#define MEETING INT64_C(1741017600)  /* 2025-03-03T16:00:00Z */
#define DUE INT64_C(1743379200)      /* 2025-03-31T00:00:00Z */

static const struct ical_event meeting = {
	.uid = "meeting-42@tandem",
	.title = "Reading partnership meeting",
	.start = MEETING,
	.end = MEETING + 3600,
	.location = "Leeds City Academy, Room 4",
	.description = "Agenda: reading data; next steps",
	.url = "https://tandem.example/partnerships/7/meetings/42",
};

static const struct ical_due action = {
	.uid = "action-17@tandem",
	.title = "Send the reading data",
	.due = DUE + 15 * 3600,
	.url = "https://tandem.example/partnerships/7/actions/17",
};

/* The calendar written into a fresh string (caller frees). */
static char *written(const struct ical_calendar *cal)
{
	struct buf b = BUF_INIT;
	assert_int_equal(ical_write(&b, cal), 0);
	return buf_detach(&b, NULL);
}

/* s with every fold (CRLF followed by a space) removed. */
static char *unfolded(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	while (*s) {
		if (s[0] == '\r' && s[1] == '\n' && s[2] == ' ')
			s += 3;
		else
			*o++ = *s++;
	}
	*o = '\0';
	return out;
}

/* Every physical line of s ends in CRLF, is at most 75 octets and is whole UTF-8. */
static void assert_lines_well_formed(const char *s)
{
	size_t n = strlen(s);
	assert_true(n >= 2);
	assert_memory_equal(s + n - 2, "\r\n", 2);
	const char *line = s;
	while (*line) {
		const char *crlf = strstr(line, "\r\n");
		assert_non_null(crlf);
		size_t len = (size_t)(crlf - line);
		if (len > ICAL_LINE_MAX) {
			print_message("line of %zu octets: %.*s\n", len, (int)len, line);
			fail();
		}
		assert_null(memchr(line, '\n', len));
		assert_null(memchr(line, '\r', len));
		assert_true(utf8_valid(line, len));
		line = crlf + 2;
	}
}

static void an_empty_calendar_has_its_frame_and_nothing_else(void **state)
{
	(void)state;
	struct ical_calendar cal = {.name = "Tandem: my partnerships", .stamp = STAMP};
	char *s = written(&cal);
	assert_string_equal(s, "BEGIN:VCALENDAR\r\n"
			       "VERSION:2.0\r\n"
			       "PRODID:-//Tandem//Partnerships//EN\r\n"
			       "CALSCALE:GREGORIAN\r\n"
			       "X-WR-CALNAME:Tandem: my partnerships\r\n"
			       "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"
			       "X-PUBLISHED-TTL:PT1H\r\n"
			       "END:VCALENDAR\r\n");
	free(s);
}

static void a_meeting_is_an_event_with_utc_times(void **state)
{
	(void)state;
	struct ical_calendar cal = {.stamp = STAMP, .events = &meeting, .n_events = 1};
	char *s = written(&cal);
	assert_non_null(strstr(s, "BEGIN:VEVENT\r\n"
				  "UID:meeting-42@tandem\r\n"
				  "DTSTAMP:20250219T212000Z\r\n"
				  "DTSTART:20250303T160000Z\r\n"
				  "DTEND:20250303T170000Z\r\n"
				  "SUMMARY:Reading partnership meeting\r\n"
				  "LOCATION:Leeds City Academy\\, Room 4\r\n"
				  "DESCRIPTION:Agenda: reading data\\; next steps\r\n"
				  "URL:https://tandem.example/partnerships/7/meetings/42\r\n"
				  "STATUS:CONFIRMED\r\n"
				  "END:VEVENT\r\n"));
	free(s);
}

static void an_events_own_stamp_wins_over_the_calendars(void **state)
{
	(void)state;
	struct ical_event e = meeting;
	e.stamp = MEETING - 86400;
	struct ical_calendar cal = {.stamp = STAMP, .events = &e, .n_events = 1};
	char *s = written(&cal);
	assert_non_null(strstr(s, "DTSTAMP:20250302T160000Z\r\n"));
	free(s);
}

static void a_due_date_is_an_all_day_event_ending_the_next_day(void **state)
{
	(void)state;
	struct ical_calendar cal = {.stamp = STAMP, .dues = &action, .n_dues = 1};
	char *s = written(&cal);
	assert_non_null(strstr(s, "BEGIN:VEVENT\r\n"
				  "UID:action-17@tandem\r\n"
				  "DTSTAMP:20250219T212000Z\r\n"
				  "DTSTART;VALUE=DATE:20250331\r\n"
				  "DTEND;VALUE=DATE:20250401\r\n"
				  "SUMMARY:Send the reading data\r\n"
				  "URL:https://tandem.example/partnerships/7/actions/17\r\n"
				  "TRANSP:TRANSPARENT\r\n"
				  "END:VEVENT\r\n"));
	free(s);
}

static void a_due_date_on_the_last_day_of_a_year_ends_on_new_years_day(void **state)
{
	(void)state;
	struct ical_due d = action;
	d.due = INT64_C(1767139200); /* 2025-12-31T00:00:00Z */
	struct ical_calendar cal = {.stamp = STAMP, .dues = &d, .n_dues = 1};
	char *s = written(&cal);
	assert_non_null(strstr(s, "DTSTART;VALUE=DATE:20251231\r\nDTEND;VALUE=DATE:20260101\r\n"));
	free(s);
}

static void a_cancelled_meeting_stays_in_the_feed_marked_cancelled(void **state)
{
	(void)state;
	struct ical_event e = meeting;
	e.cancelled = true;
	struct ical_calendar cal = {.stamp = STAMP, .events = &e, .n_events = 1};
	char *s = written(&cal);
	assert_non_null(strstr(s, "STATUS:CANCELLED\r\n"));
	free(s);
}

static void optional_fields_that_are_null_are_left_out(void **state)
{
	(void)state;
	struct ical_event e = {.uid = "meeting-1@tandem", .start = MEETING, .end = MEETING + 60};
	struct ical_calendar cal = {.stamp = STAMP, .events = &e, .n_events = 1};
	char *s = written(&cal);
	assert_null(strstr(s, "SUMMARY"));
	assert_null(strstr(s, "LOCATION"));
	assert_null(strstr(s, "DESCRIPTION"));
	assert_null(strstr(s, "URL"));
	assert_null(strstr(s, "X-WR-CALNAME"));
	free(s);
}

static void text_escapes_backslash_semicolon_comma_and_line_breaks(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	ical_put_text(&b, "a\\b;c,d\ne\r\nf\rg");
	assert_string_equal(buf_str(&b), "a\\\\b\\;c\\,d\\ne\\nf\\ng");
	buf_free(&b);
}

static void text_keeps_colons_quotes_and_tabs(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	ical_put_text(&b, "Time: 4pm \"sharp\"\tok");
	assert_string_equal(buf_str(&b), "Time: 4pm \"sharp\"\tok");
	buf_free(&b);
}

static void control_characters_other_than_tab_are_dropped(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	ical_put_text(&b, "a\x01" "b\x1f" "c\x7f" "d");
	assert_string_equal(buf_str(&b), "abcd");
	buf_free(&b);
}

static void every_line_ends_in_crlf(void **state)
{
	(void)state;
	struct ical_event e = meeting;
	e.description = "Line one\nLine two\r\nLine three\rLine four";
	struct ical_calendar cal = {.name = "Mine", .stamp = STAMP, .events = &e, .n_events = 1, .dues = &action,
				    .n_dues = 1};
	char *s = written(&cal);
	assert_lines_well_formed(s);
	for (const char *p = s; *p; p++) {
		if (*p == '\n')
			assert_true(p > s && p[-1] == '\r');
		if (*p == '\r')
			assert_true(p[1] == '\n');
	}
	assert_non_null(strstr(s, "DESCRIPTION:Line one\\nLine two\\nLine three\\nLine four\r\n"));
	free(s);
}

static void a_long_line_is_folded_at_75_octets_and_unfolds_to_the_original(void **state)
{
	(void)state;
	char text[301];
	for (int i = 0; i < 300; i++)
		text[i] = (char)('a' + i % 26);
	text[300] = '\0';
	struct ical_event e = meeting;
	e.description = text;
	struct ical_calendar cal = {.stamp = STAMP, .events = &e, .n_events = 1};
	char *s = written(&cal);
	assert_lines_well_formed(s);
	/* "DESCRIPTION:" and the first 63 letters fill the first line exactly. */
	char first[200];
	snprintf(first, sizeof first, "\r\nDESCRIPTION:%.63s\r\n %.74s\r\n ", text, text + 63);
	assert_non_null(strstr(s, first));
	char *u = unfolded(s);
	char want[400];
	snprintf(want, sizeof want, "\r\nDESCRIPTION:%s\r\n", text);
	assert_non_null(strstr(u, want));
	free(u);
	free(s);
}

static void folding_moves_a_two_byte_character_that_would_straddle_the_fold(void **state)
{
	(void)state;
	/* 74 octets, then "é" (2 octets) at octets 75 and 76: the fold goes before it. */
	char line[200];
	snprintf(line, sizeof line, "DESCRIPTION:%s\u00e9t\u00e9",
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"); /* 12 + 62 = 74 */
	struct buf b = BUF_INIT;
	ical_put_line(&b, line, strlen(line));
	const char *s = buf_str(&b);
	assert_lines_well_formed(s);
	assert_int_equal(strstr(s, "\r\n") - s, 74);
	assert_string_equal(strstr(s, "\r\n"), "\r\n \u00e9t\u00e9\r\n");
	buf_free(&b);
}

static void folding_never_splits_three_or_four_byte_characters(void **state)
{
	(void)state;
	/* Every offset of a 3-byte "€" and a 4-byte emoji against the fold, over several lines. */
	for (int pad = 0; pad < 8; pad++) {
		struct buf text = BUF_INIT;
		for (int i = 0; i < pad; i++)
			buf_putc(&text, 'x');
		for (int i = 0; i < 40; i++)
			buf_puts(&text, i % 2 ? "\u20ac" : "\U0001F4DA");
		struct ical_event e = meeting;
		e.title = buf_str(&text);
		struct ical_calendar cal = {.stamp = STAMP, .events = &e, .n_events = 1};
		char *s = written(&cal);
		assert_lines_well_formed(s);
		char *u = unfolded(s);
		struct buf want = BUF_INIT;
		buf_printf(&want, "\r\nSUMMARY:%s\r\n", buf_str(&text));
		assert_non_null(strstr(u, buf_str(&want)));
		buf_free(&want);
		free(u);
		free(s);
		buf_free(&text);
	}
}

static void a_line_of_exactly_75_octets_is_not_folded(void **state)
{
	(void)state;
	char line[76];
	memset(line, 'a', 75);
	line[75] = '\0';
	struct buf b = BUF_INIT;
	ical_put_line(&b, line, 75);
	assert_int_equal(b.len, 77);
	buf_reset(&b);
	char longer[77];
	memset(longer, 'a', 76);
	longer[76] = '\0';
	ical_put_line(&b, longer, 76);
	assert_string_equal(buf_str(&b) + 75, "\r\n a\r\n");
	buf_free(&b);
}

static void the_url_is_written_as_it_is(void **state)
{
	(void)state;
	struct ical_event e = meeting;
	e.url = "https://tandem.example/search?q=a,b;c";
	struct ical_calendar cal = {.stamp = STAMP, .events = &e, .n_events = 1};
	char *s = written(&cal);
	assert_non_null(strstr(s, "URL:https://tandem.example/search?q=a,b;c\r\n"));
	free(s);
}

static void utc_times_are_formatted_with_a_z(void **state)
{
	(void)state;
	char t[ICAL_UTC_SIZE];
	ical_format_utc(0, t);
	assert_string_equal(t, "19700101T000000Z");
	ical_format_utc(MEETING + 59, t);
	assert_string_equal(t, "20250303T160059Z");
}

/* ical_write refuses cal and leaves the buffer as it was. */
static void assert_refused(const struct ical_calendar *cal)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "before");
	assert_int_equal(ical_write(&b, cal), ERR_INVALID);
	assert_string_equal(buf_str(&b), "before");
	buf_free(&b);
}

static void a_meeting_without_a_uid_is_refused(void **state)
{
	(void)state;
	struct ical_event e = meeting;
	e.uid = "";
	assert_refused(&(struct ical_calendar){.stamp = STAMP, .events = &e, .n_events = 1});
	e.uid = NULL;
	assert_refused(&(struct ical_calendar){.stamp = STAMP, .events = &e, .n_events = 1});
	e.uid = "meeting-1\r\nX-EVIL:1@tandem";
	assert_refused(&(struct ical_calendar){.stamp = STAMP, .events = &e, .n_events = 1});
}

static void a_meeting_that_ends_before_it_starts_is_refused(void **state)
{
	(void)state;
	struct ical_event e = meeting;
	e.end = e.start;
	assert_refused(&(struct ical_calendar){.stamp = STAMP, .events = &e, .n_events = 1});
	e.end = e.start - 60;
	assert_refused(&(struct ical_calendar){.stamp = STAMP, .events = &e, .n_events = 1});
}

static void times_outside_years_1970_to_9999_are_refused(void **state)
{
	(void)state;
	struct ical_event e = meeting;
	e.start = -1;
	assert_refused(&(struct ical_calendar){.stamp = STAMP, .events = &e, .n_events = 1});
	e = meeting;
	e.end = INT64_C(253402300800);
	assert_refused(&(struct ical_calendar){.stamp = STAMP, .events = &e, .n_events = 1});
}

static void a_url_with_spaces_or_line_breaks_is_refused(void **state)
{
	(void)state;
	struct ical_event e = meeting;
	e.url = "https://tandem.example/a b";
	assert_refused(&(struct ical_calendar){.stamp = STAMP, .events = &e, .n_events = 1});
	struct ical_due d = action;
	d.url = "https://tandem.example/\r\nX-EVIL:1";
	assert_refused(&(struct ical_calendar){.stamp = STAMP, .dues = &d, .n_dues = 1});
}

static void text_that_is_not_utf8_is_refused(void **state)
{
	(void)state;
	struct ical_event e = meeting;
	e.location = "Caf\xe9";
	assert_refused(&(struct ical_calendar){.stamp = STAMP, .events = &e, .n_events = 1});
	assert_refused(&(struct ical_calendar){.name = "\xff", .stamp = STAMP});
}

static void a_calendar_without_a_stamp_is_refused(void **state)
{
	(void)state;
	assert_refused(&(struct ical_calendar){.name = "Mine"});
	assert_refused(NULL);
	assert_refused(&(struct ical_calendar){.stamp = STAMP, .n_events = 2});
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_empty_calendar_has_its_frame_and_nothing_else),
		cmocka_unit_test(a_meeting_is_an_event_with_utc_times),
		cmocka_unit_test(an_events_own_stamp_wins_over_the_calendars),
		cmocka_unit_test(a_due_date_is_an_all_day_event_ending_the_next_day),
		cmocka_unit_test(a_due_date_on_the_last_day_of_a_year_ends_on_new_years_day),
		cmocka_unit_test(a_cancelled_meeting_stays_in_the_feed_marked_cancelled),
		cmocka_unit_test(optional_fields_that_are_null_are_left_out),
		cmocka_unit_test(text_escapes_backslash_semicolon_comma_and_line_breaks),
		cmocka_unit_test(text_keeps_colons_quotes_and_tabs),
		cmocka_unit_test(control_characters_other_than_tab_are_dropped),
		cmocka_unit_test(every_line_ends_in_crlf),
		cmocka_unit_test(a_long_line_is_folded_at_75_octets_and_unfolds_to_the_original),
		cmocka_unit_test(folding_moves_a_two_byte_character_that_would_straddle_the_fold),
		cmocka_unit_test(folding_never_splits_three_or_four_byte_characters),
		cmocka_unit_test(a_line_of_exactly_75_octets_is_not_folded),
		cmocka_unit_test(the_url_is_written_as_it_is),
		cmocka_unit_test(utc_times_are_formatted_with_a_z),
		cmocka_unit_test(a_meeting_without_a_uid_is_refused),
		cmocka_unit_test(a_meeting_that_ends_before_it_starts_is_refused),
		cmocka_unit_test(times_outside_years_1970_to_9999_are_refused),
		cmocka_unit_test(a_url_with_spaces_or_line_breaks_is_refused),
		cmocka_unit_test(text_that_is_not_utf8_is_refused),
		cmocka_unit_test(a_calendar_without_a_stamp_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
