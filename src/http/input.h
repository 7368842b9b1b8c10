// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * input.h — reading values the way people type them into forms: dates
 * ("6/12/2026", "6 Dec 2026", "Sunday 6 December 2026", "2026-12-06"), times
 * of day ("4pm", "16.00", "9:30am"), amounts ("1,500", "£500", "1.5") and
 * durations in hours ("1h30", "90 min", "1.5 hours"). Each parser takes a
 * NUL-terminated, already trimmed string, gives the value in one normal form
 * and says why it could not (so params.c can word a message). Pure functions:
 * no allocation, no locale, no clock. Internal to src/http/ and its tests.
 */
#ifndef TANDEM_HTTP_INPUT_H
#define TANDEM_HTTP_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Why a value could not be read. */
enum input_problem {
	INPUT_OK,
	INPUT_UNRECOGNISED,  /* not written in any way we read */
	INPUT_NO_SUCH_DAY,   /* a date, but its month has fewer days (30 February, 31 April) */
	INPUT_WRONG_WEEKDAY, /* a date whose day of the week does not match it */
	INPUT_TOO_PRECISE,   /* more than two decimal places */
	INPUT_TOO_LARGE,     /* more digits than we hold exactly (over 13 before the point) */
	INPUT_PROBLEM__MAX
};

/* A calendar date. */
struct input_date {
	int y; /* year, 1–9999 */
	int m; /* month, 1–12 */
	int d; /* day of the month, 1–31 */
};

/* Longest text input_decimal_text writes, with its NUL ("-9999999999999.99"). */
#define INPUT_DECIMAL_TEXT 24

/*
 * A date as people write it: ISO "2026-12-06"; day first with the same
 * separator twice, "6/12/2026", "06-12-2026", "6.12.26" (a two-digit year is
 * 20YY); or with the month's name or its abbreviation, "6 Dec 2026", "6th
 * of December 2026", "December 6, 2026", optionally after the day of the
 * week ("Sunday 6 December 2026", which must then be right). Case does not
 * matter. Fills *out only on INPUT_OK; INPUT_NO_SUCH_DAY still fills *out so
 * the message can name the month.
 */
enum input_problem input_date(const char *s, struct input_date *out);

/*
 * A time of day: "16:00", "9:30", "0930", "16.00", "4pm", "4 pm", "9:30am",
 * "4.30 p.m.", "noon", "midday", "midnight"; seconds ("16:00:00", as
 * browsers' time inputs may send) are dropped. 24-hour times run 00:00 to
 * 23:59; with am/pm the hour is 1 to 12 (12am is midnight). Sets *minutes
 * (after midnight, 0–1439) on INPUT_OK.
 */
enum input_problem input_time(const char *s, int *minutes);

/*
 * A number with at most two decimal places: "1500", "1,500" (commas only
 * between groups of three digits), "£500", "-£5", "1.5", ".5"; extra
 * trailing zeros ("1.500") are fine. Sets *hundredths on INPUT_OK.
 */
enum input_problem input_decimal(const char *s, int64_t *hundredths);

/*
 * A duration in hours: a number as input_decimal reads it (no "£"), or
 * hours and minutes: "1h30", "1h 30m", "1 hour 30 minutes", "1 hr and 30
 * mins", "1:30", "90 min", "2 hours", "1.5 hrs". Minutes are rounded to the
 * nearest hundredth of an hour (20 minutes is 0.33). Sets *hundredths on
 * INPUT_OK.
 */
enum input_problem input_hours(const char *s, int64_t *hundredths);

/* Write hundredths as the shortest decimal ("1500", "1.5", "-0.25") into out. */
void input_decimal_text(int64_t hundredths, char out[INPUT_DECIMAL_TEXT]);

/* True for leap years of the Gregorian calendar. */
bool input_leap_year(int y);
/* Days in month m (1–12) of year y. */
int input_days_in_month(int y, int m);
/* Days from 1970-01-01 to the date (negative before it), proleptic Gregorian. */
int64_t input_days_since_epoch(const struct input_date *dt);
/* The day of the week, 0 for Monday to 6 for Sunday. */
int input_weekday(const struct input_date *dt);
/* "January" … "December" for m 1–12. */
const char *input_month_name(int m);

#endif
