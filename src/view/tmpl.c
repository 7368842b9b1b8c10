// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * tmpl.c — template sets and rendering. A set keeps compiled templates
 * (tmpl_compile.c) sorted by name; loading a directory compiles every
 * *.mustache file below it. Rendering walks a template's node tree against
 * a stack of jansson values, writing into a struct buf.
 *
 * All render state lives in a struct render on the caller's stack (plus the
 * heap memory it owns), and the set is only read, so one set serves many
 * threads at once. Runaway templates are bounded three ways: expansions
 * nest at most TMPL_MAX_DEPTH deep (deeper ones render as nothing), the
 * render's C recursion is capped, and the set's step and output limits stop
 * a render that would never finish (ERR_TOOBIG).
 */
#include "view/tmpl.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/str.h"
#include "core/util.h"
#include "view/tmpl_int.h"

/* Deepest C recursion of render_nodes (sections within expansions). */
#define RENDER_MAX_NEST 512
/* Largest template file tmpl_set_load_dir reads. */
#define LOAD_MAX_FILE ((size_t)1 << 20)
/* Deepest directory nesting tmpl_set_load_dir follows. */
#define LOAD_MAX_DEPTH 32

struct tmpl_set {
	struct tmpl **v;   /* compiled templates, sorted by name */
	size_t n;          /* templates in v */
	size_t cap;        /* slots allocated in v */
	size_t max_steps;  /* per render: node visits before ERR_TOOBIG */
	size_t max_output; /* per render: bytes appended before ERR_TOOBIG */
};

struct tmpl_set *tmpl_set_new(void)
{
	struct tmpl_set *set = xcalloc(1, sizeof(*set));
	set->max_steps = TMPL_MAX_STEPS_DEFAULT;
	set->max_output = TMPL_MAX_OUTPUT_DEFAULT;
	return set;
}

void tmpl_set_free(struct tmpl_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		tmpl_destroy(set->v[i]);
	free(set->v);
	free(set);
}

void tmpl_set_limits(struct tmpl_set *set, size_t max_steps, size_t max_output)
{
	set->max_steps = max_steps ? max_steps : TMPL_MAX_STEPS_DEFAULT;
	set->max_output = max_output ? max_output : TMPL_MAX_OUTPUT_DEFAULT;
}

/* Index of name in set->v, or where it would go (*found false). */
static size_t set_search(const struct tmpl_set *set, const char *name, bool *found)
{
	size_t lo = 0, hi = set->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(name, set->v[mid]->name);
		if (cmp == 0) {
			*found = true;
			return mid;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*found = false;
	return lo;
}

static const struct tmpl *set_find(const struct tmpl_set *set, const char *name)
{
	bool found;
	size_t i = set_search(set, name, &found);
	return found ? set->v[i] : NULL;
}

/* Take ownership of t, replacing any template of the same name. */
static void set_put(struct tmpl_set *set, struct tmpl *t)
{
	bool found;
	size_t i = set_search(set, t->name, &found);
	if (found) {
		tmpl_destroy(set->v[i]);
		set->v[i] = t;
		return;
	}
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		set->v = xrealloc(set->v, set->cap * sizeof(*set->v));
	}
	memmove(&set->v[i + 1], &set->v[i], (set->n - i) * sizeof(*set->v));
	set->v[i] = t;
	set->n++;
}

static int add_labelled(struct tmpl_set *set, const char *name, const char *label,
			const char *source, size_t len, char *err, size_t errsz)
{
	struct tmpl *t;
	int rc = tmpl_compile(name, label, source, len, &t, err, errsz);
	if (rc)
		return rc;
	set_put(set, t);
	return 0;
}

int tmpl_set_add(struct tmpl_set *set, const char *name, const char *source, size_t len,
		 char *err, size_t errsz)
{
	if (!set || !name || (!source && len)) {
		if (err && errsz)
			snprintf(err, errsz, "tmpl_set_add: bad arguments");
		return ERR_INVALID;
	}
	return add_labelled(set, name, name, source, len, err, errsz);
}

bool tmpl_exists(const struct tmpl_set *set, const char *name)
{
	return set && name && set_find(set, name);
}

/* --- loading a directory ------------------------------------------------ */

/* Load one file: path->data is its full path, rel the offset of its name. */
static int load_file(struct tmpl_set *set, const struct buf *path, size_t rel, char *err,
		     size_t errsz)
{
	char *data;
	size_t len;
	int rc = file_read_all(path->data, LOAD_MAX_FILE, &data, &len);
	if (rc) {
		if (err && errsz)
			snprintf(err, errsz, "%s: %s", path->data,
				 rc == ERR_TOOBIG ? "template file too large" : strerror(errno));
		return ERR_IO;
	}
	size_t namelen = path->len - rel - strlen(".mustache");
	char *name = xstrndup(path->data + rel, namelen);
	rc = add_labelled(set, name, path->data, data, len, err, errsz);
	free(name);
	free(data);
	return rc;
}

/* Walk the directory path (a buf we extend and restore) to depth levels. */
static int load_walk(struct tmpl_set *set, struct buf *path, size_t rel, int depth, char *err,
		     size_t errsz)
{
	DIR *d = opendir(path->data);
	if (!d) {
		if (err && errsz)
			snprintf(err, errsz, "%s: %s", path->data, strerror(errno));
		return ERR_IO;
	}
	int rc = 0;
	size_t base = path->len;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue; /* ".", ".." and hidden files */
		buf_putc(path, '/');
		buf_puts(path, e->d_name);
		struct stat st;
		if (stat(path->data, &st) != 0) {
			if (err && errsz)
				snprintf(err, errsz, "%s: %s", path->data, strerror(errno));
			rc = ERR_IO;
		} else if (S_ISDIR(st.st_mode)) {
			if (depth >= LOAD_MAX_DEPTH) {
				if (err && errsz)
					snprintf(err, errsz, "%s: directories nested too deep",
						 path->data);
				rc = ERR_IO;
			} else {
				rc = load_walk(set, path, rel, depth + 1, err, errsz);
			}
		} else if (S_ISREG(st.st_mode) && str_ends_with(e->d_name, ".mustache") &&
			   strlen(e->d_name) > strlen(".mustache")) {
			rc = load_file(set, path, rel, err, errsz);
		}
		path->len = base;
		path->data[base] = '\0';
	}
	closedir(d);
	return rc;
}

int tmpl_set_load_dir(struct tmpl_set *set, const char *dir, char *err, size_t errsz)
{
	if (err && errsz)
		err[0] = '\0';
	struct buf path = BUF_INIT;
	buf_puts(&path, dir);
	while (path.len > 1 && path.data[path.len - 1] == '/')
		path.data[--path.len] = '\0';
	int rc = load_walk(set, &path, path.len + 1, 0, err, errsz);
	buf_free(&path);
	return rc;
}

/* --- rendering ---------------------------------------------------------- */

/* A parent being expanded: its argument blocks override blocks below it. */
struct frame {
	const struct tmpl_node *parent; /* the TN_PARENT node */
	const struct frame *outer;      /* the frame of the enclosing expansion */
};

/* Everything one render changes. */
struct render {
	const struct tmpl_set *set; /* templates for partials and parents */
	struct buf *out;            /* output */
	size_t out_start;           /* out->len when the render began */
	json_t **stack;             /* context stack, bottom first (entries may be NULL) */
	size_t nstack;              /* entries in stack */
	size_t capstack;            /* slots allocated in stack */
	struct buf indent;          /* indentation of the current expansion */
	bool bol;                   /* at the start of an output line (indent pending) */
	unsigned depth;             /* nested expansions (partials, parents, overrides) */
	unsigned nest;              /* nested render_nodes calls */
	size_t steps;               /* nodes visited so far */
	bool over;                  /* a limit was hit: render nothing more */
	const struct frame *frames; /* innermost parent expansion, or NULL */
};

void html_escape(struct buf *out, const char *s, size_t n)
{
	size_t run = 0;
	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		const char *ent;
		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: continue;
		}
		buf_append(out, s + run, i - run);
		buf_puts(out, ent);
		run = i + 1;
	}
	buf_append(out, s + run, n - run);
}

void tmpl_pick(struct buf *out, const char *html, size_t n, bool (*pick)(void *arg, const char *tag, size_t taglen),
	       void *arg)
{
	static const char open[] = "<!--pick:", close[] = "-->", or[] = "<!--or-->", end[] = "<!--end-->";
	const char *p = html, *stop = html + n;
	for (;;) {
		const char *at = memmem(p, (size_t)(stop - p), open, sizeof(open) - 1);
		const char *tag = at ? at + sizeof(open) - 1 : NULL;
		const char *tag_end = tag ? memmem(tag, (size_t)(stop - tag), close, sizeof(close) - 1) : NULL;
		const char *a = tag_end ? tag_end + sizeof(close) - 1 : NULL;
		const char *mid = a ? memmem(a, (size_t)(stop - a), or, sizeof(or) - 1) : NULL;
		const char *b = mid ? mid + sizeof(or) - 1 : NULL;
		const char *fin = b ? memmem(b, (size_t)(stop - b), end, sizeof(end) - 1) : NULL;
		if (!fin) {
			buf_append(out, p, (size_t)(stop - p));
			return;
		}
		buf_append(out, p, (size_t)(at - p));
		if (pick(arg, tag, (size_t)(tag_end - tag)))
			buf_append(out, a, (size_t)(mid - a));
		else
			buf_append(out, b, (size_t)(fin - b));
		p = fin + sizeof(end) - 1;
	}
}

static void put_indent(struct render *r)
{
	if (r->bol && r->indent.len)
		buf_append(r->out, r->indent.data, r->indent.len);
	r->bol = false;
}

/* Template text: each non-empty line starts with the current indentation. */
static void emit_text(struct render *r, const char *s, size_t n)
{
	while (n) {
		if (r->bol && s[0] != '\n' && !(s[0] == '\r' && n > 1 && s[1] == '\n'))
			put_indent(r);
		const char *nl = memchr(s, '\n', n);
		size_t chunk = nl ? (size_t)(nl - s) + 1 : n;
		buf_append(r->out, s, chunk);
		r->bol = nl != NULL;
		s += chunk;
		n -= chunk;
	}
}

/*
 * The shortest decimal form of a finite double that reads back the same,
 * without an exponent for magnitudes from 1e-6 to below 1e21.
 */
static void format_real(double d, char *out, size_t outsz)
{
	char e[40];
	int prec = 1;
	if (!isfinite(d)) {
		snprintf(out, outsz, "%s", isnan(d) ? "NaN" : d < 0 ? "-Infinity" : "Infinity");
		return;
	}
	for (; prec < 17; prec++) {
		snprintf(e, sizeof(e), "%.*e", prec - 1, d);
		if (strtod(e, NULL) == d)
			break;
	}
	snprintf(e, sizeof(e), "%.*e", prec - 1, d);
	/* e is "[-]D[.DDD]e±X": collect the digits and the exponent. */
	const char *p = e;
	bool neg = *p == '-';
	if (neg)
		p++;
	char digits[24];
	int nd = 0;
	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9' && nd < (int)sizeof(digits) - 1)
			digits[nd++] = *p;
	digits[nd] = '\0';
	int x = *p == 'e' ? atoi(p + 1) : 0;
	while (nd > 1 && digits[nd - 1] == '0')
		digits[--nd] = '\0';

	struct buf b = BUF_INIT;
	if (neg)
		buf_putc(&b, '-');
	if (x >= 21 || x < -6) {
		buf_putc(&b, digits[0]);
		if (nd > 1) {
			buf_putc(&b, '.');
			buf_puts(&b, digits + 1);
		}
		buf_printf(&b, "e%+d", x);
	} else if (x < 0) {
		buf_puts(&b, "0.");
		for (int i = 0; i < -x - 1; i++)
			buf_putc(&b, '0');
		buf_puts(&b, digits);
	} else if (x + 1 >= nd) {
		buf_puts(&b, digits);
		for (int i = 0; i < x + 1 - nd; i++)
			buf_putc(&b, '0');
	} else {
		buf_append(&b, digits, (size_t)x + 1);
		buf_putc(&b, '.');
		buf_puts(&b, digits + x + 1);
	}
	snprintf(out, outsz, "%s", buf_str(&b));
	buf_free(&b);
}

/* Interpolate v (NULL when the name did not resolve). */
static void emit_value(struct render *r, const json_t *v, bool escape)
{
	char num[64];
	const char *s = NULL;
	size_t n = 0;

	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		s = json_string_value(v);
		n = json_string_length(v);
		break;
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		s = num;
		n = strlen(num);
		break;
	case JSON_REAL:
		format_real(json_real_value(v), num, sizeof(num));
		s = num;
		n = strlen(num);
		break;
	case JSON_TRUE:
		s = "true";
		n = 4;
		break;
	case JSON_FALSE:
		s = "false";
		n = 5;
		break;
	default:
		break;
	}
	if (n == 0)
		return;
	put_indent(r);
	if (escape)
		html_escape(r->out, s, n);
	else
		buf_append(r->out, s, n);
}

/* Resolve a node's name against the context stack (spec rules); NULL if missing. */
static json_t *lookup(const struct render *r, const struct tmpl_node *node)
{
	if (r->nstack == 0)
		return NULL;
	if (node->npath == 0)
		return r->stack[r->nstack - 1];
	json_t *v = NULL;
	for (size_t i = r->nstack; i-- > 0;) {
		if (json_is_object(r->stack[i])) {
			v = json_object_get(r->stack[i], node->path[0]);
			if (v)
				break;
		}
	}
	for (size_t k = 1; v && k < node->npath; k++)
		v = json_is_object(v) ? json_object_get(v, node->path[k]) : NULL;
	return v;
}

static bool truthy(const json_t *v)
{
	if (!v)
		return false;
	switch (json_typeof(v)) {
	case JSON_NULL:
	case JSON_FALSE:
		return false;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) != 0.0;
	default:
		return true;
	}
}

static void push(struct render *r, json_t *v)
{
	if (r->nstack == r->capstack) {
		r->capstack = r->capstack ? r->capstack * 2 : 16;
		r->stack = xrealloc(r->stack, r->capstack * sizeof(*r->stack));
	}
	r->stack[r->nstack++] = v;
}

static void pop(struct render *r)
{
	if (ALWAYS(r->nstack > 0))
		r->nstack--;
}

/* Count one unit of work; false once the render is over its limits. */
static bool step(struct render *r)
{
	if (r->over)
		return false;
	if (++r->steps > r->set->max_steps || r->out->len - r->out_start > r->set->max_output) {
		r->over = true;
		return false;
	}
	return true;
}

static void render_node(struct render *r, const struct tmpl_node *node);

static void render_nodes(struct render *r, const struct tmpl_node *nodes, size_t n)
{
	if (r->nest >= RENDER_MAX_NEST)
		return;
	r->nest++;
	for (size_t i = 0; i < n && step(r); i++)
		render_node(r, &nodes[i]);
	r->nest--;
}

/* Render nodes with extra indentation, one expansion deeper. */
static void render_expansion(struct render *r, const struct tmpl_node *nodes, size_t n,
			     const char *indent, size_t indent_len)
{
	if (r->depth >= TMPL_MAX_DEPTH)
		return;
	size_t saved = r->indent.len;
	buf_append(&r->indent, indent, indent_len);
	r->depth++;
	render_nodes(r, nodes, n);
	r->depth--;
	r->indent.len = saved;
}

/* The argument overriding block name: the outermost parent's wins. */
static const struct tmpl_node *find_override(const struct render *r, const char *name)
{
	const struct tmpl_node *found = NULL;
	for (const struct frame *f = r->frames; f; f = f->outer) {
		for (size_t i = 0; i < f->parent->nkids; i++) {
			if (strcmp(f->parent->kids[i].text, name) == 0) {
				found = &f->parent->kids[i];
				break;
			}
		}
	}
	return found;
}

static void render_section(struct render *r, const struct tmpl_node *node)
{
	json_t *v = lookup(r, node);
	if (!truthy(v))
		return;
	if (json_is_array(v)) {
		size_t n = json_array_size(v);
		for (size_t i = 0; i < n && step(r); i++) {
			push(r, json_array_get(v, i));
			render_nodes(r, node->kids, node->nkids);
			pop(r);
		}
		return;
	}
	push(r, v);
	render_nodes(r, node->kids, node->nkids);
	pop(r);
}

static void render_node(struct render *r, const struct tmpl_node *node)
{
	const struct tmpl *t;
	const struct tmpl_node *arg;

	switch (node->kind) {
	case TN_TEXT:
		emit_text(r, node->text, node->len);
		break;
	case TN_VAR:
	case TN_RAW:
		emit_value(r, lookup(r, node), node->kind == TN_VAR);
		break;
	case TN_SECTION:
		render_section(r, node);
		break;
	case TN_INVERTED:
		if (!truthy(lookup(r, node)))
			render_nodes(r, node->kids, node->nkids);
		break;
	case TN_PARTIAL:
		t = set_find(r->set, node->text);
		if (t)
			render_expansion(r, t->nodes, t->nnodes, node->indent, node->indent_len);
		break;
	case TN_PARENT: {
		t = set_find(r->set, node->text);
		if (!t)
			break;
		struct frame f = {node, r->frames};
		r->frames = &f;
		render_expansion(r, t->nodes, t->nnodes, node->indent, node->indent_len);
		r->frames = f.outer;
		break;
	}
	case TN_BLOCK:
		arg = find_override(r, node->text);
		if (arg)
			render_expansion(r, arg->kids, arg->nkids, node->indent, node->indent_len);
		else
			render_expansion(r, node->kids, node->nkids, node->dindent,
					 node->dindent_len);
		break;
	default:
		assert(!"unknown node kind");
		break;
	}
}

int tmpl_render(const struct tmpl_set *set, const char *name, json_t *ctx, struct buf *out)
{
	const struct tmpl *t = set && name ? set_find(set, name) : NULL;
	if (!t)
		return ERR_NOTFOUND;
	struct render r = {
		.set = set, .out = out, .out_start = out->len, .bol = true,
	};
	buf_init(&r.indent);
	push(&r, ctx);
	render_nodes(&r, t->nodes, t->nnodes);
	free(r.stack);
	buf_free(&r.indent);
	return r.over ? ERR_TOOBIG : 0;
}

/* --- walking ------------------------------------------------------------ */

static void walk_raw(const struct tmpl_node *nodes, size_t n,
		     void (*fn)(void *arg, const char *key, unsigned line), void *arg)
{
	for (size_t i = 0; i < n; i++) {
		if (nodes[i].kind == TN_RAW)
			fn(arg, nodes[i].text, nodes[i].line);
		walk_raw(nodes[i].kids, nodes[i].nkids, fn, arg);
	}
}

int tmpl_walk_raw(const struct tmpl_set *set, const char *name,
		  void (*fn)(void *arg, const char *key, unsigned line), void *arg)
{
	const struct tmpl *t = set && name ? set_find(set, name) : NULL;
	if (!t)
		return ERR_NOTFOUND;
	walk_raw(t->nodes, t->nnodes, fn, arg);
	return 0;
}
