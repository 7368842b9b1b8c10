// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * tmpl_int.h — the compiled form of a template, shared by the compiler
 * (tmpl_compile.c, source text to node tree) and the renderer (tmpl.c, node
 * tree plus JSON to output). Not part of the view layer's public interface.
 *
 * A compiled template is a tree of nodes allocated in the template's own
 * arena. Whitespace rules (standalone lines, partial and block indentation)
 * are settled at compile time: text nodes hold exactly the text to emit, and
 * partial, parent and block nodes carry the indentation to add at render.
 * Nothing in the tree changes after compilation, so renders on several
 * threads may share it.
 */
#ifndef TANDEM_VIEW_TMPL_INT_H
#define TANDEM_VIEW_TMPL_INT_H

#include <stddef.h>

#include "core/err.h"

struct arena;

/* Most sections, blocks and parents one template may nest (parse error beyond). */
#define TMPL_MAX_NESTING 100

enum tmpl_node_kind {
	TN_TEXT,     /* literal template text */
	TN_VAR,      /* {{x}}: interpolation, HTML-escaped */
	TN_RAW,      /* {{{x}}} or {{&x}}: interpolation, not escaped */
	TN_SECTION,  /* {{#x}}…{{/x}} */
	TN_INVERTED, /* {{^x}}…{{/x}} */
	TN_PARTIAL,  /* {{>name}} */
	TN_PARENT,   /* {{<name}}…{{/name}}: kids are its argument blocks */
	TN_BLOCK,    /* {{$name}}…{{/name}}: kids are the default (or argument) content */
	TN__MAX
};

/* One node of a compiled template. */
struct tmpl_node {
	enum tmpl_node_kind kind; /* what the node does */
	unsigned line;            /* source line of the tag (of the text start for TN_TEXT) */
	const char *text;         /* TN_TEXT: the text; others: the tag's name ("a.b", "."), NUL-terminated */
	size_t len;               /* bytes in text */
	const char **path;        /* TN_VAR/TN_RAW/TN_SECTION/TN_INVERTED: name split on '.'; NULL for "." */
	size_t npath;             /* parts in path; 0 means the implicit iterator "." */
	const char *indent;       /* PARTIAL/PARENT: added to each line of the expansion;
				     BLOCK: added to each line of an overriding argument */
	size_t indent_len;        /* bytes in indent */
	const char *dindent;      /* BLOCK: added to each line of the default content */
	size_t dindent_len;       /* bytes in dindent */
	struct tmpl_node *kids;   /* children (sections, blocks) or argument blocks (parents) */
	size_t nkids;             /* entries in kids */
};

/* A compiled template: owns its arena, which holds the name and every node. */
struct tmpl {
	struct arena *arena;     /* all memory of this template */
	const char *name;        /* name in its set, NUL-terminated */
	struct tmpl_node *nodes; /* top-level nodes */
	size_t nnodes;           /* entries in nodes */
};

/*
 * Compile src[0..len) as a template called name. On success *out is a new
 * template (free with tmpl_destroy) and 0 is returned. On a syntax error
 * returns ERR_PARSE, *out is NULL and err holds "label:line: message"
 * (label names the source for messages, usually the name or the file path).
 */
int tmpl_compile(const char *name, const char *label, const char *src, size_t len,
		 struct tmpl **out, char *err, size_t errsz) WUR;
/* Free a compiled template. NULL is a no-op. */
void tmpl_destroy(struct tmpl *t);

#endif
