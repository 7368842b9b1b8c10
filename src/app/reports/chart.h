// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * chart.h — the impact reports' charts, written by the product as SVG (no
 * JavaScript, no library): a bar chart, the give/take scatter (two axes,
 * one point a school, never an order) and small multiples for the measures
 * partners chose (baseline, latest, target). Every chart carries <title>
 * and <desc> (role="img", aria-labelledby), and the page puts the same
 * numbers in a table beside it. Colours come from the Okabe–Ito palette,
 * which colour-blind readers can tell apart; text is escaped for XML. Pure
 * functions over C arrays: tests/unit/test_chart.c tests them.
 */
#ifndef TANDEM_APP_REPORTS_CHART_H
#define TANDEM_APP_REPORTS_CHART_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/* The Okabe–Ito colours, in the order charts use them. */
extern const char *const chart_palette[8];

/* One bar: its label (any text; escaped) and its value (negative values count as 0). */
struct chart_bar {
	const char *label; /* what the bar is of */
	double value;      /* its length */
};

/* One school (or anything) on the two-axis chart. */
struct chart_point {
	const char *label; /* shown beside the point (escaped); NULL or "" for none */
	double x;          /* across: what it received */
	double y;          /* up: what it gave */
};

/* One measure of the small multiples. */
struct chart_measure {
	const char *label;  /* the measure's name (escaped) */
	double baseline;    /* where it started */
	double latest;      /* the latest value recorded */
	double target;      /* where the partners aimed */
	bool has_baseline;  /* baseline is known */
	bool has_latest;    /* latest is known */
	bool has_target;    /* target is known */
};

/*
 * Append to out a horizontal bar chart of the n bars, in the order given,
 * with title and desc (escaped; id makes the element ids unique on a page).
 * With no bars, a chart that says there is nothing to show.
 */
void chart_bars(struct buf *out, const char *id, const char *title, const char *desc, const struct chart_bar *bars,
		size_t n);
/*
 * Append to out the two-axis chart of n points: x what each received, y
 * what it gave, axes named xlabel and ylabel. Points are drawn in the order
 * given; nothing is ranked or sorted.
 */
void chart_scatter(struct buf *out, const char *id, const char *title, const char *desc, const char *xlabel,
		   const char *ylabel, const struct chart_point *pts, size_t n);
/*
 * Append to out one small panel per measure (baseline, latest and target as
 * three marks on the measure's own scale), side by side, wrapping at three.
 */
void chart_multiples(struct buf *out, const char *id, const char *title, const char *desc,
		     const struct chart_measure *m, size_t n);
/* Append s to out escaped for XML text and attributes (& < > " '). NULL appends nothing. */
void chart_escape(struct buf *out, const char *s);

#endif
