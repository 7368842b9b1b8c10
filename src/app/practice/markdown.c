// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * markdown.c — the safe Markdown of one-page articles (see markdown.h). The
 * check walks the text with md4c's parser and looks at every link and image
 * destination and every piece of raw HTML; rendering runs the check again
 * (so stored text that somehow slipped past is never rendered) and then
 * md4c-html with raw HTML off.
 */
#include "app/practice/markdown.h"

#include <ctype.h>
#include <string.h>

#include <md4c-html.h>
#include <md4c.h>

#include "core/buf.h"

/* CommonMark with tables and strikethrough; raw HTML blocks and spans are not HTML. */
#define MD_FLAGS (MD_FLAG_NOHTML | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH)

bool practice_url_allowed(const char *url, size_t n)
{
	/*
	 * As a browser reads it: leading spaces and controls dropped, tabs and
	 * newlines ignored, and a scheme only when letters, digits, '+', '-'
	 * and '.' (starting with a letter) run up to a ':'; anything else is a
	 * relative address.
	 */
	char scheme[16];
	size_t len = 0, i = 0;
	bool too_long = false;
	while (i < n && (unsigned char)url[i] <= 0x20)
		i++;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == ':') {
			scheme[len] = '\0';
			return !too_long && len > 0 &&
			       (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 || strcmp(scheme, "mailto") == 0);
		}
		if (!(isalnum(c) || c == '+' || c == '-' || c == '.') || (len == 0 && !too_long && !isalpha(c)))
			return true; /* not a scheme: a relative address */
		if (len + 1 < sizeof(scheme))
			scheme[len++] = (char)tolower(c);
		else
			too_long = true;
	}
	return true; /* no ':' at all: a relative address */
}

/* What the walk found. */
struct walk {
	const char *why; /* the first problem, NULL while none */
};

/* Whether attribute at is a plain, allowed destination (no entities that could hide a scheme). */
static bool attr_ok(const MD_ATTRIBUTE *at)
{
	for (int i = 0; at->substr_offsets && at->substr_offsets[i] < at->size; i++) {
		if (at->substr_types[i] != MD_TEXT_NORMAL)
			return false;
	}
	return practice_url_allowed(at->text, at->size);
}

/* md4c callbacks: only spans and raw HTML text matter. */
static int enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	(void)detail;
	struct walk *w = ud;
	if (type == MD_BLOCK_HTML && !w->why)
		w->why = "Remove the HTML: articles are written in Markdown only.";
	return 0;
}

/* Leaving a block: nothing to check. */
static int leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	(void)type;
	(void)detail;
	(void)ud;
	return 0;
}

/* Entering a span: links and images have their destination checked. */
static int enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
	struct walk *w = ud;
	if (w->why)
		return 0;
	if (type == MD_SPAN_A && !attr_ok(&((MD_SPAN_A_DETAIL *)detail)->href))
		w->why = "Change the link: links may only go to pages on this site or to http, https or mailto "
			 "addresses.";
	else if (type == MD_SPAN_IMG && !attr_ok(&((MD_SPAN_IMG_DETAIL *)detail)->src))
		w->why = "Change the image: images may only come from this site or from http or https addresses.";
	return 0;
}

/* Leaving a span: nothing to check. */
static int leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
	(void)type;
	(void)detail;
	(void)ud;
	return 0;
}

/* Text: raw HTML spans are refused. */
static int text(MD_TEXTTYPE type, const MD_CHAR *t, MD_SIZE size, void *ud)
{
	(void)t;
	(void)size;
	struct walk *w = ud;
	if (type == MD_TEXT_HTML && !w->why)
		w->why = "Remove the HTML: articles are written in Markdown only.";
	return 0;
}

int practice_md_check(const char *md, const char **why)
{
	*why = NULL;
	if (!md)
		return 0;
	/* Parsed with raw HTML recognised, so that it can be found and refused. */
	MD_PARSER p = {0};
	p.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH;
	p.enter_block = enter_block;
	p.leave_block = leave_block;
	p.enter_span = enter_span;
	p.leave_span = leave_span;
	p.text = text;
	struct walk w = {0};
	if (md_parse(md, (MD_SIZE)strlen(md), &p, &w) != 0) {
		*why = "The article could not be read as Markdown; check it and try again.";
		return -1;
	}
	if (!w.why) {
		/* And as it will be rendered (raw HTML off): the links that remain are checked again. */
		p.flags = MD_FLAGS;
		if (md_parse(md, (MD_SIZE)strlen(md), &p, &w) != 0)
			w.why = "The article could not be read as Markdown; check it and try again.";
	}
	*why = w.why;
	return w.why ? -1 : 0;
}

/* md4c-html's output callback: append to the buffer. */
static void put(const MD_CHAR *t, MD_SIZE size, void *ud)
{
	buf_append(ud, t, size);
}

int practice_md_html(const char *md, struct buf *out)
{
	const char *why;
	if (practice_md_check(md, &why))
		return -1;
	struct buf tmp;
	buf_init(&tmp);
	int rc = md ? md_html(md, (MD_SIZE)strlen(md), put, &tmp, MD_FLAGS, 0) : 0;
	if (rc == 0)
		buf_append(out, buf_str(&tmp), strlen(buf_str(&tmp)));
	buf_free(&tmp);
	return rc == 0 ? 0 : -1;
}
