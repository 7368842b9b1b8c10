// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * input.c — reading dates, times of day, amounts and durations as people
 * type them (see input.h).
 *
 * Dates are split into tokens (numbers, words, separators) and matched
 * against the few shapes people use; times, amounts and durations are read
 * left to right with a cursor. Everything is ASCII and locale-free: "Dec"
 * and "dec" are the same month, and nothing depends on the server's locale.
 */
#include "http/input.h"

#include "core/clock.h"

#include <string.h>
#include <strings.h>

static const char *const month_names[12] = {
	"January", "February", "March",	    "April",   "May",	   "June",
	"July",	   "August",   "September", "October", "November", "December",
};

static const char *const weekday_names[7] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
};

const char *input_month_name(int m)
{
	return m >= 1 && m <= 12 ? month_names[m - 1] : "";
}

bool input_leap_year(int y)
{
	return clock_days_in_month(y, 2) == 29;
}

int input_days_in_month(int y, int m)
{
	return clock_days_in_month(y, m); /* core/clock is the one calendar */
}

/* Days from 0001-01-01 (a Monday in the proleptic Gregorian calendar). */
static int64_t days_since_year_one(const struct input_date *dt)
{
	static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
	int64_t p = dt->y - 1;
	int64_t n = p * 365 + p / 4 - p / 100 + p / 400 + before[dt->m - 1] + dt->d - 1;
	if (dt->m > 2 && input_leap_year(dt->y))
		n++;
	return n;
}

int64_t input_days_since_epoch(const struct input_date *dt)
{
	static const struct input_date epoch = {1970, 1, 1};
	return days_since_year_one(dt) - days_since_year_one(&epoch);
}

int input_weekday(const struct input_date *dt)
{
	return (int)(days_since_year_one(dt) % 7);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* ---- Dates ---------------------------------------------------------------- */

/* Kinds of date token. */
enum tok_kind { TOK_NUM, TOK_WORD, TOK_SEP };

/* One token of a date. */
struct tok {
	enum tok_kind kind; /* what it is */
	int num;            /* TOK_NUM: its value */
	int digits;         /* TOK_NUM: how many digits were written */
	char word[12];      /* TOK_WORD: lower-cased, NUL-terminated */
	char sep;           /* TOK_SEP: '/', '-', '.' or ',' */
};

#define MAX_TOKS 12

/* Split s into toks; returns the count, or -1 for anything we never read. */
static int tokenise(const char *s, struct tok *toks)
{
	int n = 0;
	while (*s) {
		if (is_blank(*s)) {
			s++;
			continue;
		}
		if (n == MAX_TOKS)
			return -1;
		struct tok *t = &toks[n++];
		memset(t, 0, sizeof(*t));
		if (is_digit(*s)) {
			t->kind = TOK_NUM;
			while (is_digit(*s)) {
				if (t->digits == 4)
					return -1;
				t->num = t->num * 10 + (*s++ - '0');
				t->digits++;
			}
		} else if (is_alpha(*s)) {
			t->kind = TOK_WORD;
			size_t k = 0;
			while (is_alpha(*s)) {
				if (k + 1 == sizeof(t->word))
					return -1;
				char c = *s++;
				t->word[k++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
			}
		} else if (strchr("/-.,", *s)) {
			t->kind = TOK_SEP;
			t->sep = *s++;
		} else {
			return -1;
		}
	}
	return n;
}

/* The month a word names (full name, three letters, or "sept"), or 0. */
static int month_of(const char *w)
{
	size_t n = strlen(w);
	for (int m = 1; m <= 12; m++) {
		const char *full = month_names[m - 1];
		if (strcasecmp(w, full) == 0 || (n == 3 && strncasecmp(w, full, 3) == 0))
			return m;
	}
	return strcmp(w, "sept") == 0 ? 9 : 0;
}

/* The weekday a word names (full name or its usual abbreviations, 0 = Monday), or -1. */
static int weekday_of(const char *w)
{
	static const char *const shorter[] = {"tues", "weds", "thur", "thurs"};
	static const int shorter_day[] = {1, 2, 3, 3};
	size_t n = strlen(w);
	for (int d = 0; d < 7; d++)
		if (strcmp(w, weekday_names[d]) == 0 ||
		    (n == 3 && strncmp(w, weekday_names[d], 3) == 0))
			return d;
	for (size_t i = 0; i < sizeof(shorter) / sizeof(*shorter); i++)
		if (strcmp(w, shorter[i]) == 0)
			return shorter_day[i];
	return -1;
}

static bool is_ordinal(const struct tok *t)
{
	return t->kind == TOK_WORD && (strcmp(t->word, "st") == 0 || strcmp(t->word, "nd") == 0 ||
				       strcmp(t->word, "rd") == 0 || strcmp(t->word, "th") == 0);
}

static bool is_sep(const struct tok *t, char c)
{
	return t->kind == TOK_SEP && t->sep == c;
}

/* Numbers only: 2026-12-06, 2026/12/06, 6/12/2026, 6-12-26, 6.12.2026. */
static bool numeric_date(const struct tok *t, int n, struct input_date *out)
{
	if (n != 5 || t[0].kind != TOK_NUM || t[2].kind != TOK_NUM || t[4].kind != TOK_NUM ||
	    t[1].kind != TOK_SEP || t[3].kind != TOK_SEP || t[1].sep != t[3].sep || t[1].sep == ',')
		return false;
	if (t[0].digits == 4 && t[1].sep != '.' && t[2].digits <= 2 && t[4].digits <= 2) {
		*out = (struct input_date){t[0].num, t[2].num, t[4].num};
		return true;
	}
	if (t[0].digits <= 2 && t[2].digits <= 2 && (t[4].digits == 4 || t[4].digits == 2)) {
		int y = t[4].digits == 2 ? 2000 + t[4].num : t[4].num;
		*out = (struct input_date){y, t[2].num, t[0].num};
		return true;
	}
	return false;
}

/*
 * With the month's name: [weekday[,]] D[th] [of] Month[.][,] YYYY or
 * [weekday[,]] Month[.] D[th][,] YYYY. *weekday is -1 when none was given.
 */
static bool named_date(const struct tok *t, int n, struct input_date *out, int *weekday)
{
	int i = 0, day = 0, month = 0;
	*weekday = -1;
	if (i < n && t[i].kind == TOK_WORD && (*weekday = weekday_of(t[i].word)) >= 0) {
		i++;
		if (i < n && is_sep(&t[i], ','))
			i++;
	}
	if (i < n && t[i].kind == TOK_NUM && t[i].digits <= 2) {
		day = t[i++].num;
		if (i < n && is_ordinal(&t[i]))
			i++;
		if (i < n && t[i].kind == TOK_WORD && strcmp(t[i].word, "of") == 0)
			i++;
		if (i >= n || t[i].kind != TOK_WORD || !(month = month_of(t[i].word)))
			return false;
		i++;
		if (i < n && is_sep(&t[i], '.'))
			i++;
	} else if (i < n && t[i].kind == TOK_WORD && (month = month_of(t[i].word))) {
		i++;
		if (i < n && is_sep(&t[i], '.'))
			i++;
		if (i >= n || t[i].kind != TOK_NUM || t[i].digits > 2)
			return false;
		day = t[i++].num;
		if (i < n && is_ordinal(&t[i]))
			i++;
	} else {
		return false;
	}
	if (i < n && is_sep(&t[i], ','))
		i++;
	if (i + 1 != n || t[i].kind != TOK_NUM || t[i].digits != 4)
		return false;
	*out = (struct input_date){t[i].num, month, day};
	return true;
}

enum input_problem input_date(const char *s, struct input_date *out)
{
	struct tok toks[MAX_TOKS];
	int n = tokenise(s, toks), weekday = -1;
	struct input_date dt;
	if (n <= 0 || !(numeric_date(toks, n, &dt) || named_date(toks, n, &dt, &weekday)))
		return INPUT_UNRECOGNISED;
	if (dt.y < 1 || dt.m < 1 || dt.m > 12 || dt.d < 1)
		return INPUT_UNRECOGNISED;
	*out = dt;
	if (dt.d > input_days_in_month(dt.y, dt.m))
		return INPUT_NO_SUCH_DAY;
	if (weekday >= 0 && weekday != input_weekday(&dt))
		return INPUT_WRONG_WEEKDAY;
	return INPUT_OK;
}

/* ---- Times of day ----------------------------------------------------------- */

/* Read exactly two digits at *p into *v. */
static bool two_digits(const char **p, int *v)
{
	if (!is_digit((*p)[0]) || !is_digit((*p)[1]) || is_digit((*p)[2]))
		return false;
	*v = ((*p)[0] - '0') * 10 + ((*p)[1] - '0');
	*p += 2;
	return true;
}

/* The rest of a time after the digits: "", "am" or "pm", ignoring blanks and dots. */
static bool meridiem(const char *p, int *which)
{
	char w[3];
	size_t k = 0;
	for (; *p; p++) {
		if (is_blank(*p) || *p == '.')
			continue;
		if (k == 2 || !is_alpha(*p))
			return false;
		w[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	}
	w[k] = '\0';
	if (k == 0)
		*which = 0;
	else if (strcmp(w, "am") == 0)
		*which = 1;
	else if (strcmp(w, "pm") == 0)
		*which = 2;
	else
		return false;
	return true;
}

enum input_problem input_time(const char *s, int *minutes)
{
	if (strcasecmp(s, "noon") == 0 || strcasecmp(s, "midday") == 0) {
		*minutes = 12 * 60;
		return INPUT_OK;
	}
	if (strcasecmp(s, "midnight") == 0) {
		*minutes = 0;
		return INPUT_OK;
	}
	const char *p = s;
	int digits = 0, v = 0, h, m = 0, ampm;
	while (is_digit(*p) && digits < 5) {
		v = v * 10 + (*p++ - '0');
		digits++;
	}
	if (digits == 1 || digits == 2) {
		h = v;
		if (*p == ':' || *p == '.') {
			char sep = *p++;
			if (!two_digits(&p, &m))
				return INPUT_UNRECOGNISED;
			int sec;
			if (sep == ':' && *p == ':') {
				p++;
				if (!two_digits(&p, &sec) || sec > 59)
					return INPUT_UNRECOGNISED;
				if (*p == '.') /* fractions of a second */
					for (p++; is_digit(*p); p++)
						;
			}
		}
	} else if (digits == 3 || digits == 4) {
		h = v / 100;
		m = v % 100;
	} else {
		return INPUT_UNRECOGNISED;
	}
	if (!meridiem(p, &ampm) || m > 59)
		return INPUT_UNRECOGNISED;
	if (ampm) {
		if (h < 1 || h > 12)
			return INPUT_UNRECOGNISED;
		h = h % 12 + (ampm == 2 ? 12 : 0);
	} else if (h > 23) {
		return INPUT_UNRECOGNISED;
	}
	*minutes = h * 60 + m;
	return INPUT_OK;
}

/* ---- Amounts and durations ----------------------------------------------------- */

/* Most digits before the decimal point: keeps hundredths exact in a double too. */
#define MAX_WHOLE_DIGITS 13

/*
 * Read an unsigned decimal at *p: digits (with commas between groups of
 * three when allow_commas), then optionally '.' and digits. Stops at the
 * first character that cannot continue it.
 */
static enum input_problem read_decimal(const char **p, bool allow_commas, int64_t *hundredths)
{
	const char *q = *p;
	int64_t whole = 0;
	int whole_digits = 0, group = 0;
	bool commas = false, any = false;
	for (;;) {
		if (is_digit(*q)) {
			if (whole_digits == MAX_WHOLE_DIGITS)
				return INPUT_TOO_LARGE;
			whole = whole * 10 + (*q++ - '0');
			whole_digits += whole != 0 || whole_digits > 0;
			group++;
			any = true;
		} else if (*q == ',' && allow_commas && any && is_digit(q[1])) {
			/* The first group has 1–3 digits, every later one exactly 3. */
			if ((commas && group != 3) || (!commas && group > 3))
				return INPUT_UNRECOGNISED;
			commas = true;
			group = 0;
			q++;
		} else {
			break;
		}
	}
	if (commas && group != 3)
		return INPUT_UNRECOGNISED;
	int64_t frac = 0;
	if (*q == '.' && (any || is_digit(q[1]))) {
		q++;
		for (int k = 0; is_digit(*q); k++, q++) {
			if (k < 2)
				frac = frac * 10 + (*q - '0');
			else if (*q != '0')
				return INPUT_TOO_PRECISE;
			any = true;
			if (k == 0 && !is_digit(q[1]))
				frac *= 10;
		}
	}
	if (!any)
		return INPUT_UNRECOGNISED;
	*hundredths = whole * 100 + frac;
	*p = q;
	return INPUT_OK;
}

/* The pound sign in UTF-8. */
static bool pound_at(const char *p)
{
	return (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA3;
}

static const char *skip_blanks(const char *p)
{
	while (is_blank(*p))
		p++;
	return p;
}

enum input_problem input_decimal(const char *s, int64_t *hundredths)
{
	const char *p = s;
	bool neg = false;
	if (*p == '-') {
		neg = true;
		p = skip_blanks(p + 1);
	}
	if (pound_at(p))
		p = skip_blanks(p + 2);
	if (!neg && *p == '-') {
		neg = true;
		p++;
	}
	int64_t v;
	enum input_problem why = read_decimal(&p, true, &v);
	if (why != INPUT_OK)
		return why;
	if (*p)
		return INPUT_UNRECOGNISED;
	*hundredths = neg ? -v : v;
	return INPUT_OK;
}

/* Which unit a word is: 1 for hours, 2 for minutes, 0 for neither. */
static int unit_of(const char *w, size_t n)
{
	static const char *const hours[] = {"h", "hr", "hrs", "hour", "hours"};
	static const char *const mins[] = {"m", "min", "mins", "minute", "minutes"};
	for (size_t i = 0; i < 5; i++) {
		if (strlen(hours[i]) == n && strncasecmp(w, hours[i], n) == 0)
			return 1;
		if (strlen(mins[i]) == n && strncasecmp(w, mins[i], n) == 0)
			return 2;
	}
	return 0;
}

/* Read a word at *p (letters), returning its length; *p moves past it. */
static size_t read_word(const char **p, const char **word)
{
	*word = *p;
	while (is_alpha(**p))
		(*p)++;
	return (size_t)(*p - *word);
}

/* Minutes as hundredths of an hour, to the nearest. */
static int64_t minutes_to_hundredths(int64_t minutes)
{
	return (minutes * 100 + 30) / 60;
}

enum input_problem input_hours(const char *s, int64_t *hundredths)
{
	const char *p = s;
	int64_t h, m;
	/* A plain number of hours. */
	enum input_problem why = read_decimal(&p, true, &h);
	if (why != INPUT_OK && why != INPUT_UNRECOGNISED)
		return why;
	if (why == INPUT_OK && *p == '\0') {
		*hundredths = h;
		return INPUT_OK;
	}
	/* H:MM. */
	p = s;
	if (is_digit(*p)) {
		int64_t hh = 0;
		int k = 0;
		while (is_digit(*p) && k < 6) {
			hh = hh * 10 + (*p++ - '0');
			k++;
		}
		int mm;
		if (*p == ':') {
			p++;
			if (!two_digits(&p, &mm) || *p || mm > 59)
				return INPUT_UNRECOGNISED;
			*hundredths = hh * 100 + minutes_to_hundredths(mm);
			return INPUT_OK;
		}
	}
	/* Hours and/or minutes with their units: 1h30, 1 hour 30 minutes, 90 min. */
	p = s;
	const char *w;
	if (read_decimal(&p, false, &h) != INPUT_OK)
		return INPUT_UNRECOGNISED;
	p = skip_blanks(p);
	size_t wn = read_word(&p, &w);
	int unit = unit_of(w, wn);
	p = skip_blanks(p);
	if (unit == 2) {
		/* Minutes alone: a whole number of them. */
		if (h % 100 != 0 || *p)
			return INPUT_UNRECOGNISED;
		*hundredths = minutes_to_hundredths(h / 100);
		return INPUT_OK;
	}
	if (unit != 1)
		return INPUT_UNRECOGNISED;
	if (*p == '\0') {
		*hundredths = h;
		return INPUT_OK;
	}
	const char *save = p;
	wn = read_word(&p, &w);
	if (wn == 3 && strncasecmp(w, "and", 3) == 0)
		p = skip_blanks(p);
	else
		p = save;
	/* Minutes after whole hours: 0–59, the unit optional. */
	if (h % 100 != 0 || read_decimal(&p, false, &m) != INPUT_OK || m % 100 != 0 ||
	    m / 100 > 59)
		return INPUT_UNRECOGNISED;
	p = skip_blanks(p);
	wn = read_word(&p, &w);
	if ((wn && unit_of(w, wn) != 2) || *skip_blanks(p))
		return INPUT_UNRECOGNISED;
	*hundredths = h + minutes_to_hundredths(m / 100);
	return INPUT_OK;
}

void input_decimal_text(int64_t hundredths, char out[INPUT_DECIMAL_TEXT])
{
	char tmp[INPUT_DECIMAL_TEXT];
	size_t k = 0;
	bool neg = hundredths < 0;
	uint64_t v = neg ? (uint64_t)0 - (uint64_t)hundredths : (uint64_t)hundredths;
	uint64_t whole = v / 100, frac = v % 100;
	if (frac) {
		if (frac % 10) {
			tmp[k++] = (char)('0' + frac % 10);
			tmp[k++] = (char)('0' + frac / 10);
		} else {
			tmp[k++] = (char)('0' + frac / 10);
		}
		tmp[k++] = '.';
	}
	do {
		tmp[k++] = (char)('0' + whole % 10);
		whole /= 10;
	} while (whole && k < sizeof(tmp) - 2);
	if (neg)
		tmp[k++] = '-';
	for (size_t i = 0; i < k; i++)
		out[i] = tmp[k - 1 - i];
	out[k] = '\0';
}
