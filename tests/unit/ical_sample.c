// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * ical_sample.c — prints one representative partnerships calendar (two
 * meetings, one of them cancelled, and an action's due date) on stdout, for
 * tests/http/test_ical_parse.py to parse with python3-icalendar. Not a test
 * itself: the text below holds everything the writer must get right (commas,
 * semicolons, backslashes, line breaks, and lines long enough to fold with
 * two-, three- and four-byte characters at the folds). Keep the values in
 * step with the Python test.
 */
#include <stdio.h>

#include "app/calendar/ical.h"
#include "core/buf.h"

int main(void)
{
	static const struct ical_event meetings[] = {
		{
			.uid = "meeting-42@tandem",
			.title = "Reading partnership, meeting 3; data \\ review",
			.start = INT64_C(1741017600), /* 2025-03-03T16:00:00Z */
			.end = INT64_C(1741022100),   /* 2025-03-03T17:15:00Z */
			.location = "Leeds City Academy, Room 4",
			.description = "Agenda:\n1. Reading data \u2014 Year 6; Zo\u00eb's notes\n"
				       "2. Next steps, owners, dates\n"
				       "Long line: caf\u00e9 cr\u00e8me br\u00fbl\u00e9e \u20ac12 \U0001F4DA "
				       "na\u00efve fa\u00e7ade \u00fcber \u00e9l\u00e8ve \u20ac \u20ac \u20ac "
				       "\U0001F4DA\U0001F4DA\U0001F4DA \u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9 end.\n"
				       /* 25 three-byte euro signs, then 20 four-byte books: folds inside both. */
				       "\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac"
				       "\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac"
				       "\u20ac\u20ac\u20ac\u20ac\u20ac"
				       "\U0001F4DA\U0001F4DA\U0001F4DA\U0001F4DA\U0001F4DA"
				       "\U0001F4DA\U0001F4DA\U0001F4DA\U0001F4DA\U0001F4DA"
				       "\U0001F4DA\U0001F4DA\U0001F4DA\U0001F4DA\U0001F4DA"
				       "\U0001F4DA\U0001F4DA\U0001F4DA\U0001F4DA\U0001F4DA",
			.url = "https://tandem.example/partnerships/7/meetings/42",
		},
		{
			.uid = "meeting-43@tandem",
			.title = "Reading partnership, meeting 4",
			.start = INT64_C(1743436800), /* 2025-03-31T16:00:00Z */
			.end = INT64_C(1743440400),   /* 2025-03-31T17:00:00Z */
			.cancelled = true,
		},
	};
	static const struct ical_due dues[] = {
		{
			.uid = "action-17@tandem",
			.title = "Send the reading data, both schools",
			.due = INT64_C(1743379200) + 15 * 3600, /* 2025-03-31, 15:00 */
			.description = "Owner: Zo\u00eb; see the shared folder",
			.url = "https://tandem.example/partnerships/7/actions/17",
		},
	};
	const struct ical_calendar cal = {
		.name = "Tandem: Zo\u00eb's partnerships, 2025",
		.stamp = INT64_C(1740000000), /* 2025-02-19T21:20:00Z */
		.events = meetings,
		.n_events = sizeof meetings / sizeof meetings[0],
		.dues = dues,
		.n_dues = sizeof dues / sizeof dues[0],
	};
	struct buf b = BUF_INIT;
	if (ical_write(&b, &cal) != 0) {
		fputs("ical_sample: ical_write refused the sample\n", stderr);
		return 1;
	}
	fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
	return 0;
}
