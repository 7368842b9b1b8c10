// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * chart.c — SVG charts for the impact reports (see chart.h): a bar chart,
 * the give/take scatter and small multiples for partnership measures. Each
 * chart is one <svg role="img"> with <title> and <desc> it is labelled by;
 * sizes are fixed in user units and the SVG scales with its viewBox. All
 * text goes through chart_escape.
 */
#include "app/reports/chart.h"

#include <math.h>

#include "core/buf.h"

/* Okabe & Ito (2008): black, orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple. */
const char *const chart_palette[8] = {"#000000", "#E69F00", "#56B4E9", "#009E73",
				      "#F0E442", "#0072B2", "#D55E00", "#CC79A7"};

void chart_escape(struct buf *out, const char *s)
{
	if (!s)
		return;
	for (; *s; s++) {
		switch (*s) {
		case '&':
			buf_puts(out, "&amp;");
			break;
		case '<':
			buf_puts(out, "&lt;");
			break;
		case '>':
			buf_puts(out, "&gt;");
			break;
		case '"':
			buf_puts(out, "&quot;");
			break;
		case '\'':
			buf_puts(out, "&#39;");
			break;
		default:
			buf_putc(out, *s);
		}
	}
}

/* A number as people read it on a chart: whole numbers without a fraction, else one decimal. */
static void put_number(struct buf *out, double v)
{
	if (!isfinite(v))
		v = 0;
	if (fabs(v - round(v)) < 0.05)
		buf_printf(out, "%.0f", round(v));
	else
		buf_printf(out, "%.1f", v);
}

/* The opening <svg> with its title and description, w by h user units. */
static void open_svg(struct buf *out, const char *id, const char *title, const char *desc, int w, int h)
{
	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 %d %d\" ",
		   w, h);
	buf_puts(out, "aria-labelledby=\"");
	chart_escape(out, id);
	buf_puts(out, "-title ");
	chart_escape(out, id);
	buf_puts(out, "-desc\"><title id=\"");
	chart_escape(out, id);
	buf_puts(out, "-title\">");
	chart_escape(out, title);
	buf_puts(out, "</title><desc id=\"");
	chart_escape(out, id);
	buf_puts(out, "-desc\">");
	chart_escape(out, desc);
	buf_puts(out, "</desc>");
}

/* A line of text at x, y (anchor "start", "middle" or "end"). */
static void text_at(struct buf *out, double x, double y, const char *anchor, const char *s)
{
	buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"13\" fill=\"#1a1a1a\">", x, y,
		   anchor);
	chart_escape(out, s);
	buf_puts(out, "</text>");
}

/* The message of a chart with nothing to draw. */
static void nothing(struct buf *out, int w)
{
	text_at(out, w / 2.0, 40, "middle", "Nothing to show for this period.");
	buf_puts(out, "</svg>");
}

void chart_bars(struct buf *out, const char *id, const char *title, const char *desc, const struct chart_bar *bars,
		size_t n)
{
	const int w = 640, label_w = 230, bar_max = 330, row = 30;
	int h = n ? 20 + (int)n * row : 60;
	open_svg(out, id, title, desc, w, h);
	if (!n) {
		nothing(out, w);
		return;
	}
	double max = 0;
	for (size_t i = 0; i < n; i++)
		if (bars[i].value > max)
			max = bars[i].value;
	for (size_t i = 0; i < n; i++) {
		double v = bars[i].value > 0 ? bars[i].value : 0;
		double len = max > 0 ? v / max * bar_max : 0;
		double y = 10 + (double)i * row;
		text_at(out, label_w - 8, y + 16, "end", bars[i].label ? bars[i].label : "");
		buf_printf(out, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"20\" fill=\"%s\"/>", label_w, y, len,
			   chart_palette[5]);
		buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" fill=\"#1a1a1a\">", label_w + len + 6,
			   y + 16);
		put_number(out, v);
		buf_puts(out, "</text>");
	}
	buf_puts(out, "</svg>");
}

void chart_scatter(struct buf *out, const char *id, const char *title, const char *desc, const char *xlabel,
		   const char *ylabel, const struct chart_point *pts, size_t n)
{
	const int w = 640, h = 420, left = 70, right = 170, top = 20, bottom = 60;
	const double pw = w - left - right, ph = h - top - bottom;
	open_svg(out, id, title, desc, w, h);
	double mx = 1, my = 1;
	for (size_t i = 0; i < n; i++) {
		if (pts[i].x > mx)
			mx = pts[i].x;
		if (pts[i].y > my)
			my = pts[i].y;
	}
	buf_printf(out, "<g stroke=\"#1a1a1a\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
			"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/></g>",
		   left, top, left, h - bottom, left, h - bottom, w - right, h - bottom);
	text_at(out, left + pw / 2, h - 15, "middle", xlabel);
	buf_printf(out, "<text transform=\"translate(18 %.1f) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\" "
			"fill=\"#1a1a1a\">",
		   top + ph / 2);
	chart_escape(out, ylabel);
	buf_puts(out, "</text>");
	/* The scale's ends, so a reader can read positions. */
	text_at(out, left - 6, h - bottom + 4, "end", "0");
	buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"13\" fill=\"#1a1a1a\">", left - 6,
		   top + 4);
	put_number(out, my);
	buf_puts(out, "</text>");
	buf_printf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"13\" fill=\"#1a1a1a\">", left + pw,
		   h - bottom + 18);
	put_number(out, mx);
	buf_puts(out, "</text>");
	if (!n) {
		text_at(out, left + pw / 2, top + ph / 2, "middle", "Nothing to show for this period.");
		buf_puts(out, "</svg>");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		double x = left + (pts[i].x > 0 ? pts[i].x : 0) / mx * pw;
		double y = top + ph - (pts[i].y > 0 ? pts[i].y : 0) / my * ph;
		buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"%s\" fill-opacity=\"0.8\" stroke=\"%s\"/>", x,
			   y, chart_palette[1], chart_palette[0]);
		if (pts[i].label && *pts[i].label) {
			buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#1a1a1a\">", x + 9, y + 4);
			chart_escape(out, pts[i].label);
			buf_puts(out, "</text>");
		}
	}
	buf_puts(out, "</svg>");
}

/* One panel of the small multiples at (x, y). */
static void panel(struct buf *out, double x, double y, const struct chart_measure *m)
{
	const double pw = 180;
	buf_printf(out, "<g transform=\"translate(%.1f %.1f)\">", x, y);
	buf_puts(out, "<text x=\"0\" y=\"14\" font-size=\"12\" fill=\"#1a1a1a\">");
	chart_escape(out, m->label);
	buf_puts(out, "</text>");
	double lo = INFINITY, hi = -INFINITY;
	const double vals[3] = {m->baseline, m->latest, m->target};
	const bool has[3] = {m->has_baseline, m->has_latest, m->has_target};
	for (int i = 0; i < 3; i++)
		if (has[i] && isfinite(vals[i])) {
			lo = vals[i] < lo ? vals[i] : lo;
			hi = vals[i] > hi ? vals[i] : hi;
		}
	buf_printf(out, "<line x1=\"10\" y1=\"50\" x2=\"%.1f\" y2=\"50\" stroke=\"#767676\"/>", 10 + pw);
	if (lo > hi) {
		buf_puts(out, "<text x=\"10\" y=\"80\" font-size=\"12\" fill=\"#1a1a1a\">No values yet</text></g>");
		return;
	}
	if (hi - lo < 1e-9) {
		lo -= 1;
		hi += 1;
	}
	static const char *const names[3] = {"baseline", "latest", "target"};
	static const int colour[3] = {1, 5, 3};
	for (int i = 0; i < 3; i++) {
		if (!has[i] || !isfinite(vals[i]))
			continue;
		double cx = 10 + (vals[i] - lo) / (hi - lo) * pw;
		if (i == 2)
			buf_printf(out, "<rect x=\"%.1f\" y=\"42\" width=\"4\" height=\"16\" fill=\"%s\"/>", cx - 2,
				   chart_palette[colour[i]]);
		else
			buf_printf(out, "<circle cx=\"%.1f\" cy=\"50\" r=\"%d\" fill=\"%s\"/>", cx, i == 1 ? 7 : 5,
				   chart_palette[colour[i]]);
		buf_printf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\" fill=\"#1a1a1a\">", cx,
			   i == 1 ? 34 : 74 + (i == 2 ? 12 : 0));
		buf_printf(out, "%s ", names[i]);
		put_number(out, vals[i]);
		buf_puts(out, "</text>");
	}
	buf_puts(out, "</g>");
}

void chart_multiples(struct buf *out, const char *id, const char *title, const char *desc,
		     const struct chart_measure *m, size_t n)
{
	const int w = 640, cell_w = 210, cell_h = 110;
	size_t rows = (n + 2) / 3;
	int h = n ? 30 + (int)rows * cell_h : 60;
	open_svg(out, id, title, desc, w, h);
	if (!n) {
		nothing(out, w);
		return;
	}
	/* The key: the same marks in every panel. */
	buf_printf(out, "<circle cx=\"10\" cy=\"12\" r=\"5\" fill=\"%s\"/>", chart_palette[1]);
	text_at(out, 20, 16, "start", "baseline");
	buf_printf(out, "<circle cx=\"100\" cy=\"12\" r=\"7\" fill=\"%s\"/>", chart_palette[5]);
	text_at(out, 112, 16, "start", "latest");
	buf_printf(out, "<rect x=\"188\" y=\"4\" width=\"4\" height=\"16\" fill=\"%s\"/>", chart_palette[3]);
	text_at(out, 198, 16, "start", "target");
	for (size_t i = 0; i < n; i++)
		panel(out, (double)(i % 3) * cell_w, 30 + (double)(i / 3) * cell_h, &m[i]);
	buf_puts(out, "</svg>");
}
