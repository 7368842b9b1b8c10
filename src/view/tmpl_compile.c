// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * tmpl_compile.c — turns Mustache source into the node tree of tmpl_int.h.
 *
 * Compilation runs in passes over a flat token list:
 *   1. lex: text and tags, following set-delimiter tags as they come; text
 *      is cut at every '\n' so each token lies on one output line ("row");
 *   2. pair: match every section, inverted, parent and block tag with its
 *      closing tag (syntax errors are found here);
 *   3. clearance: note which tags have only white space before them or
 *      after them on their row;
 *   4. outdent: strip a block's intrinsic indentation from its content;
 *   5. whitespace: choose the indentation of partials, parents and blocks,
 *      then blank the white space that standalone tags and elements own;
 *   6. build: the node tree, in the template's arena.
 * The whitespace rules are the Mustache spec's, including those for
 * template inheritance (see the spec's ~inheritance tests).
 */
#include "view/tmpl_int.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/util.h"

enum tok_kind {
	TK_TEXT,     /* literal text, at most one line */
	TK_VAR,      /* {{x}} */
	TK_RAW,      /* {{{x}}} or {{&x}} */
	TK_SECTION,  /* {{#x}} */
	TK_INVERTED, /* {{^x}} */
	TK_CLOSE,    /* {{/x}} */
	TK_COMMENT,  /* {{! … }} */
	TK_DELIM,    /* {{=a b=}} */
	TK_PARTIAL,  /* {{>x}} */
	TK_PARENT,   /* {{<x}} */
	TK_BLOCK,    /* {{$x}} */
	TK__MAX
};

/* One lexed token. Slices (off, len) point into the source text. */
struct tok {
	enum tok_kind kind; /* text or which tag */
	size_t off;         /* TK_TEXT: start of the text; tags: start of the name */
	size_t len;         /* bytes of text or name (text may be blanked to 0 later) */
	unsigned line;      /* source line where the token starts (for messages) */
	size_t row;         /* output line: tokens with equal row share a line */
	bool eol;           /* TK_TEXT: ends with '\n', so ends its row */
	size_t partner;     /* open and close tags: index of the matching tag */
	bool argument;      /* TK_BLOCK: a direct child of a parent (an argument) */
	bool left_clear;    /* tag: nothing but spaces and tabs before it on its row */
	bool right_clear;   /* tag: nothing but spaces, tabs and the line end after it */
	size_t ind_off;     /* PARTIAL/PARENT/BLOCK: indentation to add (source slice) */
	size_t ind_len;     /* bytes of that indentation */
	size_t dind_off;    /* BLOCK: indentation for the default content */
	size_t dind_len;    /* bytes of that indentation */
	size_t intr_off;    /* BLOCK: intrinsic indentation removed from its content */
	size_t intr_len;    /* bytes of the intrinsic indentation */
};

/* State of one compilation. */
struct compiler {
	const char *src;   /* source text (not NUL-terminated necessarily) */
	size_t len;        /* bytes of source */
	const char *label; /* prefix for error messages */
	char *err;         /* message buffer (may be NULL) */
	size_t errsz;      /* bytes in err */
	struct tok *toks;  /* token list */
	size_t ntoks;      /* tokens used */
	size_t cap;        /* tokens allocated */
	size_t *rows;      /* rows[r]: index of row r's first token; rows[nrows] == ntoks */
	size_t nrows;      /* number of rows */
	struct arena *arena; /* the template's arena, during build */
};

static const char sigils[TK__MAX] = {
	[TK_SECTION] = '#', [TK_INVERTED] = '^', [TK_CLOSE] = '/', [TK_PARTIAL] = '>',
	[TK_PARENT] = '<', [TK_BLOCK] = '$',
};

/* Longest tag name quoted in an error message. */
#define NAME_IN_MSG 60

static int fail(struct compiler *c, unsigned line, const char *fmt, ...) FMT(3, 4);

static int fail(struct compiler *c, unsigned line, const char *fmt, ...)
{
	if (c->err && c->errsz) {
		int n = snprintf(c->err, c->errsz, "%s:%u: ", c->label, line);
		if (n >= 0 && (size_t)n < c->errsz) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(c->err + n, c->errsz - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return ERR_PARSE;
}

static struct tok *tok_push(struct compiler *c, enum tok_kind kind, size_t off, size_t len,
			    unsigned line, size_t row)
{
	if (c->ntoks == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->toks = xrealloc(c->toks, c->cap * sizeof(*c->toks));
	}
	struct tok *t = &c->toks[c->ntoks++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->off = off;
	t->len = len;
	t->line = line;
	t->row = row;
	return t;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* Add src[from..to) as text tokens, one per line, advancing line and row. */
static void lex_text(struct compiler *c, size_t from, size_t to, unsigned *line, size_t *row)
{
	while (from < to) {
		const char *nl = memchr(c->src + from, '\n', to - from);
		if (!nl) {
			tok_push(c, TK_TEXT, from, to - from, *line, *row);
			return;
		}
		size_t end = (size_t)(nl - c->src) + 1;
		tok_push(c, TK_TEXT, from, end - from, *line, *row)->eol = true;
		from = end;
		(*line)++;
		(*row)++;
	}
}

/*
 * Find the end of a tag whose content starts at from: the closing delimiter
 * cd, preceded by the character pre when pre is not '\0' (for {{{x}}} and
 * {{=a b=}}). Returns the offset of the closing delimiter, or len.
 */
static size_t find_close(const struct compiler *c, size_t from, const char *cd, size_t clen,
			 char pre)
{
	size_t s = from;
	for (;;) {
		const char *q = memmem(c->src + s, c->len - s, cd, clen);
		if (!q)
			return c->len;
		size_t at = (size_t)(q - c->src);
		if (!pre || (at > from && c->src[at - 1] == pre))
			return at;
		s = at + 1;
	}
}

/* A name is any run of visible characters; dotted names have no empty part. */
static int check_name(struct compiler *c, enum tok_kind kind, size_t off, size_t len,
		      unsigned line)
{
	const char *s = c->src + off;
	if (len == 0)
		return fail(c, line, "empty tag");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return fail(c, line, "bad character in tag name");
	bool dotted = kind == TK_VAR || kind == TK_RAW || kind == TK_SECTION ||
		      kind == TK_INVERTED || kind == TK_CLOSE;
	if (!dotted || (len == 1 && s[0] == '.'))
		return 0;
	if (s[0] == '.' || s[len - 1] == '.' || memmem(s, len, "..", 2))
		return fail(c, line, "bad name '%.*s'", (int)(len < NAME_IN_MSG ? len : NAME_IN_MSG),
			    s);
	return 0;
}

/* Pass 1: the token list. Set-delimiter tags change the delimiters as we go. */
static int lex(struct compiler *c)
{
	const char *od = "{{", *cd = "}}";
	size_t olen = 2, clen = 2;
	size_t pos = 0, row = 0;
	unsigned line = 1;

	while (pos < c->len) {
		const char *hit = memmem(c->src + pos, c->len - pos, od, olen);
		size_t start = hit ? (size_t)(hit - c->src) : c->len;
		lex_text(c, pos, start, &line, &row);
		if (!hit)
			break;

		size_t p = start + olen;
		char sigil = p < c->len ? c->src[p] : '\0';
		enum tok_kind kind = TK_VAR;
		char pre = '\0';
		switch (sigil) {
		case '{': kind = TK_RAW; pre = '}'; break;
		case '&': kind = TK_RAW; break;
		case '#': kind = TK_SECTION; break;
		case '^': kind = TK_INVERTED; break;
		case '/': kind = TK_CLOSE; break;
		case '!': kind = TK_COMMENT; break;
		case '>': kind = TK_PARTIAL; break;
		case '<': kind = TK_PARENT; break;
		case '$': kind = TK_BLOCK; break;
		case '=': kind = TK_DELIM; pre = '='; break;
		default: break;
		}
		if (kind != TK_VAR)
			p++;
		size_t at = find_close(c, p, cd, clen, pre);
		if (at == c->len && kind == TK_DELIM && find_close(c, p, cd, clen, '\0') < c->len)
			return fail(c, line, "bad delimiter tag");
		if (at == c->len)
			return fail(c, line, "unclosed tag");
		size_t cend = pre ? at - 1 : at; /* content is src[p..cend) */
		size_t next = at + clen;
		unsigned tline = line;
		for (size_t i = start; i < next; i++)
			if (c->src[i] == '\n')
				line++;

		/* Trim the content. */
		while (p < cend && is_space(c->src[p]))
			p++;
		while (cend > p && is_space(c->src[cend - 1]))
			cend--;

		if (kind == TK_COMMENT) {
			tok_push(c, kind, p, 0, tline, row);
		} else if (kind == TK_DELIM) {
			/* Two runs of visible characters, neither containing '='. */
			size_t a = p, ae = a;
			while (ae < cend && !is_space(c->src[ae]))
				ae++;
			size_t b = ae;
			while (b < cend && is_space(c->src[b]))
				b++;
			size_t be = b;
			while (be < cend && !is_space(c->src[be]))
				be++;
			if (ae == a || b == ae || be == b || be != cend ||
			    memchr(c->src + a, '=', ae - a) || memchr(c->src + b, '=', be - b) ||
			    memchr(c->src + a, '\0', ae - a) || memchr(c->src + b, '\0', be - b))
				return fail(c, tline, "bad delimiter tag");
			od = c->src + a;
			olen = ae - a;
			cd = c->src + b;
			clen = be - b;
			tok_push(c, kind, p, 0, tline, row);
		} else {
			int rc = check_name(c, kind, p, cend - p, tline);
			if (rc)
				return rc;
			tok_push(c, kind, p, cend - p, tline, row);
		}
		pos = next;
	}

	/* Row index. */
	c->nrows = row + 1;
	c->rows = xcalloc(c->nrows + 1, sizeof(*c->rows));
	size_t r = 0;
	c->rows[0] = 0;
	for (size_t i = 0; i < c->ntoks; i++)
		if (c->toks[i].eol)
			c->rows[++r] = i + 1;
	c->rows[c->nrows] = c->ntoks;
	return 0;
}

static bool is_open(enum tok_kind k)
{
	return k == TK_SECTION || k == TK_INVERTED || k == TK_PARENT || k == TK_BLOCK;
}

static int name_msg_len(const struct tok *t)
{
	return (int)(t->len < NAME_IN_MSG ? t->len : NAME_IN_MSG);
}

/* Pass 2: match opening and closing tags. */
static int pair(struct compiler *c)
{
	size_t stack[TMPL_MAX_NESTING];
	size_t sp = 0;

	for (size_t i = 0; i < c->ntoks; i++) {
		struct tok *t = &c->toks[i];
		if (is_open(t->kind)) {
			if (sp == TMPL_MAX_NESTING)
				return fail(c, t->line, "sections nested more than %d deep",
					    TMPL_MAX_NESTING);
			if (t->kind == TK_BLOCK && sp > 0 && c->toks[stack[sp - 1]].kind == TK_PARENT)
				t->argument = true;
			stack[sp++] = i;
		} else if (t->kind == TK_CLOSE) {
			if (sp == 0)
				return fail(c, t->line, "closing tag {{/%.*s}} without an opening tag",
					    name_msg_len(t), c->src + t->off);
			struct tok *o = &c->toks[stack[--sp]];
			if (o->len != t->len || memcmp(c->src + o->off, c->src + t->off, t->len) != 0)
				return fail(c, t->line,
					    "closing tag {{/%.*s}} does not match {{%c%.*s}} of line %u",
					    name_msg_len(t), c->src + t->off, sigils[o->kind],
					    name_msg_len(o), c->src + o->off, o->line);
			o->partner = i;
			t->partner = stack[sp];
		}
	}
	if (sp > 0) {
		const struct tok *o = &c->toks[stack[sp - 1]];
		return fail(c, o->line, "unclosed section {{%c%.*s}}", sigils[o->kind],
			    name_msg_len(o), c->src + o->off);
	}
	return 0;
}

/* Text made only of spaces and tabs, with an optional "\n" or "\r\n" at its end. */
static bool ws_text(const struct compiler *c, const struct tok *t)
{
	if (t->kind != TK_TEXT)
		return false;
	size_t n = t->len;
	const char *s = c->src + t->off;
	if (t->eol) {
		n--;
		if (n > 0 && s[n - 1] == '\r')
			n--;
	}
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/* Pass 3: which tags have only white space before or after them on their row. */
static void clearance(struct compiler *c)
{
	for (size_t r = 0; r < c->nrows; r++) {
		size_t from = c->rows[r], to = c->rows[r + 1];
		size_t first = to, last = to;
		for (size_t i = from; i < to; i++) {
			if (!ws_text(c, &c->toks[i])) {
				if (first == to)
					first = i;
				last = i;
			}
		}
		if (first == to)
			continue;
		if (c->toks[first].kind != TK_TEXT)
			c->toks[first].left_clear = true;
		if (c->toks[last].kind != TK_TEXT)
			c->toks[last].right_clear = true;
	}
}

/* Leading white space of the row before tag i (empty unless it is left-clear). */
static void lead_ws(const struct compiler *c, size_t i, size_t *off, size_t *len)
{
	const struct tok *t = &c->toks[i];
	size_t first = c->rows[t->row];
	*off = 0;
	*len = 0;
	if (t->left_clear && first < i && c->toks[first].kind == TK_TEXT) {
		*off = c->toks[first].off;
		*len = c->toks[first].len;
	}
}

/*
 * Pass 4: a block whose opening tag ends its line, and which is an argument
 * or a standalone element, has intrinsic indentation: the white space that
 * starts the next line. It is removed from the start of every line of the
 * content. Outer blocks come first, so inner ones measure what is left.
 */
static void outdent(struct compiler *c)
{
	for (size_t i = 0; i < c->ntoks; i++) {
		struct tok *t = &c->toks[i];
		if (t->kind != TK_BLOCK || !t->right_clear)
			continue;
		const struct tok *close = &c->toks[t->partner];
		if (!t->argument && !(t->left_clear && close->right_clear))
			continue;
		size_t r = t->row + 1;
		if (r >= c->nrows || c->rows[r] >= c->rows[r + 1])
			continue;
		const struct tok *next = &c->toks[c->rows[r]];
		if (next->kind != TK_TEXT)
			continue;
		size_t n = 0;
		while (n < next->len && (c->src[next->off + n] == ' ' || c->src[next->off + n] == '\t'))
			n++;
		t->intr_off = next->off;
		t->intr_len = n;
		if (n == 0)
			continue;
		for (size_t rr = r; rr <= close->row && rr < c->nrows; rr++) {
			if (c->rows[rr] >= c->rows[rr + 1])
				continue;
			struct tok *x = &c->toks[c->rows[rr]];
			if (x->kind == TK_TEXT && x->len >= n &&
			    memcmp(c->src + x->off, c->src + t->intr_off, n) == 0) {
				x->off += n;
				x->len -= n;
			}
		}
	}
}

/* Blank every text token in the token range [from, to). */
static void blank(struct compiler *c, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (c->toks[i].kind == TK_TEXT)
			c->toks[i].len = 0;
}

/* Pass 5: indentation of partials, parents and blocks, then standalone blanking. */
static void whitespace(struct compiler *c)
{
	for (size_t i = 0; i < c->ntoks; i++) {
		struct tok *t = &c->toks[i];
		bool pair_alone = is_open(t->kind) && t->left_clear && c->toks[t->partner].right_clear;
		switch (t->kind) {
		case TK_PARTIAL:
			if (t->left_clear && t->right_clear)
				lead_ws(c, i, &t->ind_off, &t->ind_len);
			break;
		case TK_PARENT:
			if (pair_alone)
				lead_ws(c, i, &t->ind_off, &t->ind_len);
			break;
		case TK_BLOCK:
			if (t->argument || !pair_alone)
				break;
			if (t->right_clear) {
				t->ind_off = t->dind_off = t->intr_off;
				t->ind_len = t->dind_len = t->intr_len;
			} else {
				lead_ws(c, i, &t->ind_off, &t->ind_len);
			}
			break;
		default:
			break;
		}
	}

	for (size_t i = 0; i < c->ntoks; i++) {
		struct tok *t = &c->toks[i];
		if (t->kind == TK_TEXT)
			continue;
		size_t from = c->rows[t->row], to = c->rows[t->row + 1];
		if (t->kind != TK_VAR && t->kind != TK_RAW && t->left_clear && t->right_clear)
			blank(c, from, to);
		if (t->kind == TK_PARENT && t->left_clear && c->toks[t->partner].right_clear) {
			const struct tok *close = &c->toks[t->partner];
			blank(c, from, i);
			blank(c, t->partner + 1, c->rows[close->row + 1]);
		}
		if (t->kind == TK_BLOCK && t->argument) {
			/* The line end after an argument's opening tag, and the
			 * indentation before its closing tag, belong to the tags. */
			const struct tok *close = &c->toks[t->partner];
			if (t->right_clear)
				blank(c, i + 1, to);
			if (close->left_clear)
				blank(c, c->rows[close->row], t->partner);
		}
	}
}

/* Growable node list used while building one level of the tree. */
struct nodes {
	struct tmpl_node *v; /* nodes (heap) */
	size_t n;            /* used */
	size_t cap;          /* allocated */
};

static struct tmpl_node *nodes_push(struct nodes *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	struct tmpl_node *n = &l->v[l->n++];
	memset(n, 0, sizeof(*n));
	return n;
}

static void flush_text(struct compiler *c, struct nodes *l, struct buf *run, unsigned line)
{
	if (run->len == 0)
		return;
	struct tmpl_node *n = nodes_push(l);
	n->kind = TN_TEXT;
	n->line = line;
	n->text = arena_strndup(c->arena, run->data, run->len);
	n->len = run->len;
	buf_reset(run);
}

/* Split a dotted name into parts in the arena ("." has none). */
static void split_path(struct compiler *c, struct tmpl_node *n)
{
	if (n->len == 1 && n->text[0] == '.')
		return;
	size_t parts = 1;
	for (size_t i = 0; i < n->len; i++)
		parts += n->text[i] == '.';
	n->path = arena_calloc(c->arena, parts, sizeof(*n->path));
	n->npath = parts;
	const char *s = n->text;
	for (size_t k = 0; k < parts; k++) {
		const char *dot = strchr(s, '.');
		size_t len = dot ? (size_t)(dot - s) : strlen(s);
		n->path[k] = arena_strndup(c->arena, s, len);
		s += len + 1;
	}
}

static const char *slice(struct compiler *c, size_t off, size_t len)
{
	return arena_strndup(c->arena, c->src + off, len);
}

static void build(struct compiler *c, size_t from, size_t to, struct tmpl_node **out,
		  size_t *nout);

/* Inside a parent only argument blocks count; everything else is ignored. */
static void build_args(struct compiler *c, size_t from, size_t to, struct tmpl_node **out,
		       size_t *nout)
{
	struct nodes l = {NULL, 0, 0};
	for (size_t i = from; i < to; i++) {
		const struct tok *t = &c->toks[i];
		if (t->kind == TK_BLOCK && t->argument) {
			struct tmpl_node *n = nodes_push(&l);
			n->kind = TN_BLOCK;
			n->line = t->line;
			n->text = slice(c, t->off, t->len);
			n->len = t->len;
			n->indent = n->dindent = "";
			build(c, i + 1, t->partner, &n->kids, &n->nkids);
		}
		if (is_open(t->kind))
			i = t->partner;
	}
	*out = l.n ? arena_memdup(c->arena, l.v, l.n * sizeof(*l.v)) : NULL;
	*nout = l.n;
	free(l.v);
}

/* Pass 6: the nodes for tokens [from, to), which are balanced. */
static void build(struct compiler *c, size_t from, size_t to, struct tmpl_node **out,
		  size_t *nout)
{
	struct nodes l = {NULL, 0, 0};
	struct buf run = BUF_INIT;
	unsigned run_line = 0;

	for (size_t i = from; i < to; i++) {
		const struct tok *t = &c->toks[i];
		if (t->kind == TK_TEXT) {
			if (t->len && run.len == 0)
				run_line = t->line;
			buf_append(&run, c->src + t->off, t->len);
			continue;
		}
		if (t->kind == TK_COMMENT || t->kind == TK_DELIM)
			continue;
		if (NEVER(t->kind == TK_CLOSE))
			continue;
		flush_text(c, &l, &run, run_line);

		struct tmpl_node node = {0};
		node.line = t->line;
		node.text = slice(c, t->off, t->len);
		node.len = t->len;
		node.indent = node.dindent = "";
		switch (t->kind) {
		case TK_VAR:
		case TK_RAW:
			node.kind = t->kind == TK_VAR ? TN_VAR : TN_RAW;
			split_path(c, &node);
			break;
		case TK_SECTION:
		case TK_INVERTED:
			node.kind = t->kind == TK_SECTION ? TN_SECTION : TN_INVERTED;
			split_path(c, &node);
			build(c, i + 1, t->partner, &node.kids, &node.nkids);
			break;
		case TK_PARTIAL:
			node.kind = TN_PARTIAL;
			node.indent = slice(c, t->ind_off, t->ind_len);
			node.indent_len = t->ind_len;
			break;
		case TK_PARENT:
			node.kind = TN_PARENT;
			node.indent = slice(c, t->ind_off, t->ind_len);
			node.indent_len = t->ind_len;
			build_args(c, i + 1, t->partner, &node.kids, &node.nkids);
			break;
		case TK_BLOCK:
			node.kind = TN_BLOCK;
			node.indent = slice(c, t->ind_off, t->ind_len);
			node.indent_len = t->ind_len;
			node.dindent = slice(c, t->dind_off, t->dind_len);
			node.dindent_len = t->dind_len;
			build(c, i + 1, t->partner, &node.kids, &node.nkids);
			break;
		default:
			break;
		}
		if (is_open(t->kind))
			i = t->partner;
		*nodes_push(&l) = node;
	}
	flush_text(c, &l, &run, run_line);
	buf_free(&run);
	*out = l.n ? arena_memdup(c->arena, l.v, l.n * sizeof(*l.v)) : NULL;
	*nout = l.n;
	free(l.v);
}

int tmpl_compile(const char *name, const char *label, const char *src, size_t len,
		 struct tmpl **out, char *err, size_t errsz)
{
	struct compiler c = {
		.src = src ? src : "", .len = src ? len : 0, .label = label, .err = err, .errsz = errsz,
	};
	int rc;

	*out = NULL;
	if (err && errsz)
		err[0] = '\0';
	rc = lex(&c);
	if (rc)
		goto out;
	rc = pair(&c);
	if (rc)
		goto out;
	clearance(&c);
	outdent(&c);
	whitespace(&c);

	struct tmpl *t = xcalloc(1, sizeof(*t));
	t->arena = arena_new();
	c.arena = t->arena;
	t->name = arena_strdup(t->arena, name);
	build(&c, 0, c.ntoks, &t->nodes, &t->nnodes);
	*out = t;
out:
	free(c.toks);
	free(c.rows);
	return rc;
}

void tmpl_destroy(struct tmpl *t)
{
	if (!t)
		return;
	arena_free(t->arena);
	free(t);
}
