// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * gias_csv.c — the record source under the GIAS readers: file and gzip
 * input, line splitting, libcsv parsing, Windows-1252 to UTF-8 conversion,
 * header mapping and row-level rejections. See gias_csv.h for the contract.
 *
 * The file is read in chunks with zlib (which reads plain files as they
 * are) and cut into physical lines at LF. Each line, without its CR, is
 * given to libcsv followed by a single "\n", the only character we let
 * libcsv treat as a record terminator. Working a line at a time is what
 * gives exact line numbers and cheap recovery: after a strict-mode parse
 * error the parser is reset and the next line starts a fresh record. When
 * the broken record had started on an earlier line (an unterminated quote
 * that swallowed line breaks), the lines after its first are parsed a
 * second time on their own, so only the broken row is lost.
 */
#include "app/schools/gias_csv.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/buf.h"
#include "core/str.h"
#include "core/util.h"

#define CHUNK_SIZE (256u * 1024u)     /* bytes asked of gzread at a time */
#define LINE_MAX_BYTES (1u << 20)     /* a longer physical line is rejected */
#define RECORD_MAX_LINES 64           /* a record spanning more lines has a stray quote */
#define REASON_SIZE 256               /* room for one rejection reason */
#define NO_OFFSET ((size_t)-1)        /* a cell that was not seen */
#define CSV_OPTIONS (CSV_STRICT | CSV_STRICT_FINI)

/* What the last step produced (at most one thing per physical line). */
enum gias_csv_out { OUT_NONE, OUT_RECORD, OUT_REJECT };

struct gias_csv {
	/* Input. */
	gzFile gz;           /* the open file (plain or gzip) */
	uint64_t file_size;  /* bytes on disk, for progress */
	bool is_gzip;        /* the file starts with the gzip magic bytes */
	bool utf8;           /* a UTF-8 byte-order mark was seen: cells are UTF-8 already */
	bool started;        /* the first chunk has been read (BOM check done) */
	iconv_t cd;          /* WINDOWS-1252 to UTF-8 */
	unsigned char *chunk; /* CHUNK_SIZE bytes of input */
	size_t chunk_len;    /* bytes in chunk */
	size_t chunk_pos;    /* bytes of chunk consumed */
	bool input_done;     /* gzread reported the end of the file */
	bool finished;       /* input ended and every line is parsed: only EOF from now on */
	struct buf line;     /* a physical line assembled across chunks */
	bool skip_line;      /* drop input up to the next LF (the line was too long) */
	struct buf again;    /* lines to parse again before reading on, each ending in LF */
	size_t again_pos;    /* bytes of again already parsed */
	struct buf held;     /* lines of the open record so far, each ending in LF */
	long line_no;        /* physical lines completely consumed so far */
	char *path;          /* the file's name for people, prefixed to fatal messages (malloc'd) */

	/* Parser and header. */
	struct csv_parser parser; /* libcsv state */
	bool in_header;           /* the record being parsed is the header */
	char **names;             /* header names, UTF-8, malloc'd */
	size_t ncols;             /* number of header names */
	int *map;                 /* map[column] = wanted slot, or -1 */
	const char *const *wanted; /* caller's wanted names (borrowed for the source's life) */
	size_t nwanted;           /* number of wanted names */
	size_t *col_of_slot;      /* header column of each slot, NO_OFFSET when absent */
	const char **ignored;     /* header names no slot uses (point into names) */
	size_t nignored;          /* length of ignored */

	/* The record being parsed. */
	bool in_record;      /* a record has started and not ended */
	long rec_line;       /* physical line where it started */
	size_t nfields;      /* cells seen so far in this record */
	struct buf cells;    /* converted cells, each followed by a NUL */
	size_t *off;         /* per slot (per column in the header): offset in cells */
	size_t off_cap;      /* entries allocated in off */
	bool rec_bad;        /* a cell could not be converted */
	size_t bad_col;      /* its column */
	const char *bad_why; /* and why (static string) */
	const char **values; /* per slot, handed to the caller */

	/* Output of the last step. */
	enum gias_csv_out out; /* what is waiting to be returned */
	long out_line;         /* its line */
	const char *out_col;   /* rejected column name or "" */
	char reason[REASON_SIZE]; /* rejection reason */

	int fatal;                   /* a sticky fatal error, 0 when none */
	char errmsg[GIAS_MSG_SIZE];  /* its message */
};

static int is_lf(unsigned char ch)
{
	return ch == '\n';
}

static void parser_reset(struct gias_csv *c)
{
	csv_free(&c->parser);
	csv_init(&c->parser, CSV_OPTIONS);
	csv_set_term_func(&c->parser, is_lf);
	csv_set_realloc_func(&c->parser, xrealloc);
}

static void set_reject(struct gias_csv *c, long line, const char *col, const char *fmt, ...)
	FMT(4, 5);
static void set_reject(struct gias_csv *c, long line, const char *col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof c->reason, fmt, ap);
	va_end(ap);
	c->out = OUT_REJECT;
	c->out_line = line;
	c->out_col = col ? col : "";
}

static int set_fatal(struct gias_csv *c, int err, const char *fmt, ...) FMT(3, 4);
static int set_fatal(struct gias_csv *c, int err, const char *fmt, ...)
{
	int n = snprintf(c->errmsg, sizeof c->errmsg, "%s: ", c->path);
	if (n < 0 || (size_t)n >= sizeof c->errmsg)
		n = 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->errmsg + n, sizeof c->errmsg - (size_t)n, fmt, ap);
	va_end(ap);
	c->fatal = err;
	return err;
}

/* Column name for messages: the header name, or "" while reading the header. */
static const char *col_name(const struct gias_csv *c, size_t col)
{
	return col < c->ncols ? c->names[col] : "";
}

static void off_reserve(struct gias_csv *c, size_t n)
{
	if (n <= c->off_cap)
		return;
	size_t cap = c->off_cap ? c->off_cap * 2 : 64;
	while (cap < n)
		cap *= 2;
	c->off = xrealloc(c->off, cap * sizeof *c->off);
	c->off_cap = cap;
}

/* Start a record at line `line`: forget the previous record's cells. */
static void record_start(struct gias_csv *c, long line)
{
	c->in_record = true;
	c->rec_line = line;
	c->nfields = 0;
	c->rec_bad = false;
	buf_reset(&c->cells);
	size_t n = c->in_header ? c->off_cap : c->nwanted;
	for (size_t i = 0; i < n; i++)
		c->off[i] = NO_OFFSET;
}

/*
 * Append one cell, trimmed of spaces and tabs, to c->cells as UTF-8 plus a
 * NUL; return its offset. A cell that cannot be converted is stored empty
 * and marks the record bad.
 */
static size_t cell_convert(struct gias_csv *c, const unsigned char *p, size_t n, size_t col)
{
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	size_t off = c->cells.len;
	const char *why = NULL;
	bool ascii = true;
	for (size_t i = 0; i < n; i++) {
		if (p[i] >= 0x80 || p[i] == 0) {
			ascii = false;
			break;
		}
	}
	if (ascii) {
		buf_append(&c->cells, p, n);
	} else if (memchr(p, 0, n)) {
		why = "the cell holds a NUL byte";
	} else if (c->utf8) {
		if (utf8_valid((const char *)p, n))
			buf_append(&c->cells, p, n);
		else
			why = "the cell is not valid UTF-8";
	} else {
		/* Windows-1252: at most 3 UTF-8 bytes per byte, U+FFFD included. */
		buf_reserve(&c->cells, 3 * n + 1);
		char *in = (char *)p;
		size_t inleft = n;
		char *o = c->cells.data + c->cells.len;
		size_t oleft = c->cells.cap - c->cells.len - 1;
		while (inleft) {
			if (iconv(c->cd, &in, &inleft, &o, &oleft) != (size_t)-1)
				break;
			if ((errno != EILSEQ && errno != EINVAL) || oleft < 3) {
				why = "the cell cannot be converted from Windows-1252";
				break;
			}
			/* One of the five bytes Windows-1252 leaves undefined. */
			memcpy(o, "\xEF\xBF\xBD", 3);
			o += 3, oleft -= 3;
			in++, inleft--;
		}
		if (why)
			o = c->cells.data + off;
		c->cells.len = (size_t)(o - c->cells.data);
	}
	if (why && !c->rec_bad) {
		c->rec_bad = true;
		c->bad_col = col;
		c->bad_why = why;
	}
	buf_append(&c->cells, "", 1); /* the cell's NUL, part of the contents */
	return off;
}

/* libcsv: one cell ended. */
static void cb_cell(void *data, size_t len, void *arg)
{
	struct gias_csv *c = arg;
	size_t col = c->nfields++;
	if (c->in_header) {
		off_reserve(c, col + 1);
		c->off[col] = cell_convert(c, data, len, col);
		return;
	}
	if (col >= c->ncols || c->map[col] < 0)
		return; /* not a wanted column: never converted, never kept */
	c->off[c->map[col]] = cell_convert(c, data, len, col);
}

/* libcsv: one record ended. Decide what the step produced. */
static void cb_record(int term, void *arg)
{
	struct gias_csv *c = arg;
	(void)term;
	c->in_record = false;
	if (c->rec_bad)
		set_reject(c, c->rec_line, col_name(c, c->bad_col), "%s", c->bad_why);
	else if (!c->in_header && c->nfields != c->ncols)
		set_reject(c, c->rec_line, "", "the row has %zu fields but the header has %zu",
			   c->nfields, c->ncols);
	else {
		c->out = OUT_RECORD;
		c->out_line = c->rec_line;
	}
}

static bool blank(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return false;
	return true;
}

/*
 * Give up on the open record: the lines after its first (held) and, when
 * extra is not NULL, the current line p[0..n) go back in front of the
 * queue to be parsed again on their own, and the line count goes back to
 * the record's first line, so a broken row costs that row only.
 */
static void requeue(struct gias_csv *c, const unsigned char *extra, size_t n)
{
	struct buf q = BUF_INIT;
	const char *first_end = c->held.len ? memchr(c->held.data, '\n', c->held.len) : NULL;
	if (first_end) {
		size_t skip = (size_t)(first_end + 1 - c->held.data);
		buf_append(&q, c->held.data + skip, c->held.len - skip);
	}
	if (extra) {
		buf_append(&q, extra, n);
		buf_putc(&q, '\n');
	}
	if (c->again_pos < c->again.len)
		buf_append(&q, c->again.data + c->again_pos, c->again.len - c->again_pos);
	buf_free(&c->again);
	c->again = q;
	c->again_pos = 0;
	buf_reset(&c->held);
	parser_reset(c);
	c->in_record = false;
	c->line_no = c->rec_line;
}

/* A strict-mode parse error on line `line` (bytes p[0..n)). */
static void parse_error(struct gias_csv *c, long line, const unsigned char *p, size_t n)
{
	const char *col = col_name(c, c->nfields);
	if (c->rec_line < line) {
		/* An earlier line opened a quote that swallowed this line's break. */
		set_reject(c, c->rec_line, "",
			   "unterminated quoted field (the row runs on to line %ld)", line);
		requeue(c, p, n);
		return;
	}
	parser_reset(c);
	c->in_record = false;
	buf_reset(&c->held);
	set_reject(c, line, col,
		   "misplaced quote: a quote inside an unquoted field, or text after a closing quote");
	c->line_no++;
}

/* Parse one complete physical line p[0..n) (no LF). */
static void feed_line(struct gias_csv *c, const unsigned char *p, size_t n)
{
	long line = c->line_no + 1;
	if (n && p[n - 1] == '\r')
		n--;
	if (!c->in_record) {
		if (blank(p, n)) {
			c->line_no++;
			return;
		}
		record_start(c, line);
	}
	size_t used = csv_parse(&c->parser, p, n, cb_cell, cb_record, c);
	if (used == n)
		used += csv_parse(&c->parser, "\n", 1, cb_cell, cb_record, c);
	if (used != n + 1) {
		parse_error(c, line, p, n);
		return;
	}
	c->line_no++;
	if (!c->in_record) {
		buf_reset(&c->held);
		return;
	}
	/* The record goes on: keep the line in case the record turns out broken. */
	buf_append(&c->held, p, n);
	buf_putc(&c->held, '\n');
	if (line - c->rec_line + 1 >= RECORD_MAX_LINES) {
		set_reject(c, c->rec_line, "",
			   "a quoted field runs on over %d lines (a missing or stray quote?)",
			   RECORD_MAX_LINES);
		requeue(c, NULL, 0);
	}
}

/*
 * Line `line` is longer than LINE_MAX_BYTES. Reject it (or the record it
 * continues); complete says whether its LF has been read already.
 */
static void too_long(struct gias_csv *c, long line, bool complete)
{
	if (c->in_record) {
		set_reject(c, c->rec_line, "",
			   "unterminated quoted field (the row runs on to line %ld, which is longer "
			   "than %u bytes)",
			   line, LINE_MAX_BYTES);
		/* A complete long line goes back as a blank one, so the count stays right. */
		requeue(c, complete ? (const unsigned char *)"" : NULL, 0);
	} else {
		set_reject(c, line, "", "the line is longer than %u bytes", LINE_MAX_BYTES);
		if (complete)
			c->line_no++;
	}
}

/* Read the next chunk. 0 or a fatal error. */
static int fill(struct gias_csv *c)
{
	int n = gzread(c->gz, c->chunk, CHUNK_SIZE);
	int zerr = Z_OK;
	const char *zmsg = n <= 0 ? gzerror(c->gz, &zerr) : "";
	if (n < 0 || zerr != Z_OK) {
		if (zerr == Z_ERRNO)
			return set_fatal(c, ERR_IO, "cannot read the file: %s", strerror(errno));
		return set_fatal(c, ERR_PARSE, "%s after line %ld (zlib: %s)",
				 c->is_gzip ? "the compressed data is truncated or corrupt"
					    : "the file cannot be read",
				 c->line_no, zmsg);
	}
	c->chunk_len = (size_t)n;
	c->chunk_pos = 0;
	if (n == 0)
		c->input_done = true;
	if (!c->started) {
		c->started = true;
		if (n >= 3 && memcmp(c->chunk, "\xEF\xBB\xBF", 3) == 0) {
			c->utf8 = true;
			c->chunk_pos = 3;
		} else if (n >= 2 && (memcmp(c->chunk, "\xFF\xFE", 2) == 0 ||
				      memcmp(c->chunk, "\xFE\xFF", 2) == 0)) {
			return set_fatal(c, ERR_INVALID,
					 "the file is UTF-16; save it as CSV (Windows-1252 or UTF-8)");
		}
	}
	return 0;
}

/* End of input: let libcsv finish; an open quote rejects its record. */
static void finish(struct gias_csv *c)
{
	if (!c->in_record) {
		c->finished = true;
		return;
	}
	long line = c->rec_line;
	if (csv_fini(&c->parser, cb_cell, cb_record, c) != 0 || c->in_record) {
		set_reject(c, line, "",
			   "unterminated quoted field (never closed before the end of the file)");
		requeue(c, NULL, 0);
	}
	c->finished = c->again_pos == c->again.len;
}

/*
 * Consume input until one physical line has been parsed (which may or may
 * not produce an output) or the input ends. 0 or a fatal error.
 */
static int step(struct gias_csv *c)
{
	if (c->again_pos < c->again.len) {
		const char *p = c->again.data + c->again_pos;
		const char *nl = memchr(p, '\n', c->again.len - c->again_pos);
		size_t n = (size_t)(nl - p); /* every queued line ends with LF */
		c->again_pos += n + 1;
		feed_line(c, (const unsigned char *)p, n);
		if (c->again_pos == c->again.len) {
			buf_reset(&c->again);
			c->again_pos = 0;
		}
		return 0;
	}
	for (;;) {
		if (c->chunk_pos == c->chunk_len) {
			if (c->input_done) {
				if (c->line.len && !c->skip_line) {
					/* The last line has no LF. */
					feed_line(c, (const unsigned char *)c->line.data, c->line.len);
					buf_reset(&c->line);
					return 0;
				}
				finish(c);
				return 0;
			}
			int rc = fill(c);
			if (rc)
				return rc;
			continue;
		}
		const unsigned char *s = c->chunk + c->chunk_pos;
		size_t avail = c->chunk_len - c->chunk_pos;
		const unsigned char *nl = memchr(s, '\n', avail);
		if (!nl) {
			c->chunk_pos = c->chunk_len;
			if (c->skip_line)
				continue;
			buf_append(&c->line, s, avail);
			if (c->line.len > LINE_MAX_BYTES) {
				buf_reset(&c->line);
				c->skip_line = true;
				too_long(c, c->line_no + 1, false);
				return 0;
			}
			continue;
		}
		size_t n = (size_t)(nl - s);
		c->chunk_pos += n + 1;
		if (c->skip_line) {
			c->skip_line = false;
			c->line_no++;
			continue;
		}
		if (c->line.len) {
			buf_append(&c->line, s, n);
			if (c->line.len > LINE_MAX_BYTES)
				too_long(c, c->line_no + 1, true);
			else
				feed_line(c, (const unsigned char *)c->line.data, c->line.len);
			buf_reset(&c->line);
		} else {
			feed_line(c, s, n);
		}
		return 0;
	}
}

/* Wait for the next output. 0 (c->out set, or c->finished) or a fatal error. */
static int advance(struct gias_csv *c)
{
	while (c->out == OUT_NONE && !c->finished) {
		int rc = step(c);
		if (rc)
			return rc;
	}
	return 0;
}

/* Open the file and detect its kind. 0 or a fatal error with c->errmsg set. */
static int open_file(struct gias_csv *c, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return set_fatal(c, ERR_IO, "cannot open the file: %s", strerror(errno));
	struct stat st;
	unsigned char magic[4] = {0};
	int e = 0;
	if (fstat(fd, &st) != 0)
		e = errno;
	else if (S_ISDIR(st.st_mode))
		e = EISDIR;
	else if (pread(fd, magic, sizeof magic, 0) < 0)
		e = errno;
	if (e) {
		close(fd);
		return set_fatal(c, ERR_IO, "cannot read the file: %s", strerror(e));
	}
	c->file_size = (uint64_t)st.st_size;
	c->is_gzip = magic[0] == 0x1f && magic[1] == 0x8b;
	if (magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
		close(fd);
		return set_fatal(c, ERR_INVALID,
				 "this is a ZIP or Excel file, not CSV: download the CSV extract");
	}
	c->gz = gzdopen(fd, "rb");
	if (!c->gz) {
		close(fd);
		return set_fatal(c, ERR_IO, "zlib cannot open the file (out of memory)");
	}
	gzbuffer(c->gz, CHUNK_SIZE);
	return 0;
}

/* Map the header columns to the wanted slots. */
static void map_header(struct gias_csv *c)
{
	c->names = xcalloc(c->ncols ? c->ncols : 1, sizeof *c->names);
	c->map = xcalloc(c->ncols ? c->ncols : 1, sizeof *c->map);
	c->ignored = xcalloc(c->ncols ? c->ncols : 1, sizeof *c->ignored);
	c->col_of_slot = xcalloc(c->nwanted ? c->nwanted : 1, sizeof *c->col_of_slot);
	c->values = xcalloc(c->nwanted ? c->nwanted : 1, sizeof *c->values);
	for (size_t s = 0; s < c->nwanted; s++)
		c->col_of_slot[s] = NO_OFFSET;
	for (size_t i = 0; i < c->ncols; i++) {
		c->names[i] = xstrdup(c->cells.data + c->off[i]);
		c->map[i] = -1;
		for (size_t s = 0; s < c->nwanted; s++) {
			if (c->col_of_slot[s] == NO_OFFSET && str_case_eq(c->names[i], c->wanted[s])) {
				c->map[i] = (int)s;
				c->col_of_slot[s] = i;
				break;
			}
		}
		if (c->map[i] < 0)
			c->ignored[c->nignored++] = c->names[i];
	}
	off_reserve(c, c->nwanted);
}

/* Read and check the header. 0 or an error with c->errmsg set. */
static int read_header(struct gias_csv *c, const char *what, size_t nrequired)
{
	c->in_header = true;
	int rc = advance(c);
	if (rc)
		return rc;
	if (c->out == OUT_NONE)
		return set_fatal(c, ERR_INVALID, "the file is empty: no header row");
	if (c->out == OUT_REJECT)
		return set_fatal(c, ERR_INVALID, "line %ld is not a CSV header: %s", c->out_line,
				 c->reason);
	c->out = OUT_NONE;
	c->ncols = c->nfields;
	c->in_header = false;
	map_header(c);
	for (size_t s = 0; s < nrequired && s < c->nwanted; s++) {
		if (c->col_of_slot[s] != NO_OFFSET)
			continue;
		const char *first = c->ncols ? c->names[0] : "";
		return set_fatal(c, ERR_INVALID,
				 "not a %s: the header (line %ld) has no \"%s\" column; it starts "
				 "\"%.*s\"",
				 what, c->out_line, c->wanted[s], gias_csv_cut(first, 60), first);
	}
	return 0;
}

int gias_csv_open(struct gias_csv **out, const char *path, const char *name, const char *what,
		  const char *const *wanted, size_t nwanted, size_t nrequired, char *msg,
		  size_t msg_size)
{
	*out = NULL;
	struct gias_csv *c = xcalloc(1, sizeof *c);
	c->cd = (iconv_t)-1;
	c->wanted = wanted;
	c->nwanted = nwanted;
	c->path = xstrdup(name ? name : path);
	buf_init(&c->line);
	buf_init(&c->cells);
	buf_init(&c->again);
	buf_init(&c->held);
	csv_init(&c->parser, CSV_OPTIONS);
	parser_reset(c);
	c->chunk = xmalloc(CHUNK_SIZE);
	off_reserve(c, 64);
	int rc = open_file(c, path);
	if (rc)
		goto fail;
	c->cd = iconv_open("UTF-8", "WINDOWS-1252");
	if (c->cd == (iconv_t)-1) {
		rc = set_fatal(c, ERR_INTERNAL, "iconv cannot convert from WINDOWS-1252: %s",
			       strerror(errno));
		goto fail;
	}
	rc = read_header(c, what, nrequired);
	if (rc)
		goto fail;
	*out = c;
	return 0;
fail:
	if (msg && msg_size)
		snprintf(msg, msg_size, "%s", c->errmsg);
	gias_csv_close(c);
	return rc;
}

int gias_csv_next(struct gias_csv *c, struct gias_csv_record *rec)
{
	if (c->fatal)
		return c->fatal;
	int rc = advance(c);
	if (rc)
		return rc;
	enum gias_csv_out what = c->out;
	c->out = OUT_NONE;
	if (what == OUT_REJECT) {
		rec->values = c->values;
		rec->line = c->out_line;
		rec->reject.line = c->out_line;
		rec->reject.column = c->out_col;
		rec->reject.reason = c->reason;
		return GIAS_CSV_REJECT;
	}
	if (what == OUT_NONE)
		return GIAS_CSV_EOF;
	for (size_t s = 0; s < c->nwanted; s++) {
		if (c->col_of_slot[s] == NO_OFFSET)
			c->values[s] = NULL;
		else if (c->off[s] == NO_OFFSET)
			c->values[s] = "";
		else
			c->values[s] = c->cells.data + c->off[s];
	}
	rec->values = c->values;
	rec->line = c->out_line;
	rec->reject.line = 0;
	rec->reject.column = "";
	rec->reject.reason = "";
	return GIAS_CSV_RECORD;
}

const char *gias_csv_errmsg(const struct gias_csv *c)
{
	return c->errmsg;
}

void gias_csv_progress(const struct gias_csv *c, uint64_t *done, uint64_t *total)
{
	z_off_t off = c->gz ? gzoffset(c->gz) : 0;
	uint64_t d = off > 0 ? (uint64_t)off : 0;
	if (c->finished || d > c->file_size)
		d = c->file_size;
	*done = d;
	*total = c->file_size;
}

size_t gias_csv_ignored(const struct gias_csv *c, const char *const **names)
{
	*names = c->ignored;
	return c->nignored;
}

bool gias_csv_has(const struct gias_csv *c, size_t slot)
{
	return slot < c->nwanted && c->col_of_slot[slot] != NO_OFFSET;
}

void gias_csv_close(struct gias_csv *c)
{
	if (!c)
		return;
	if (c->gz)
		gzclose(c->gz);
	if (c->cd != (iconv_t)-1)
		iconv_close(c->cd);
	csv_free(&c->parser);
	for (size_t i = 0; c->names && i < c->ncols; i++)
		free(c->names[i]);
	free(c->names);
	free(c->map);
	free(c->ignored);
	free(c->col_of_slot);
	free(c->values);
	free(c->off);
	free(c->chunk);
	buf_free(&c->line);
	buf_free(&c->cells);
	buf_free(&c->again);
	buf_free(&c->held);
	free(c->path);
	free(c);
}

/* Days in month m (1..12) of year y, Gregorian. */
static int month_days(int m, int y)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* The number in s[0..n) if all are digits, else -1. */
static int digits(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int gias_csv_date(const char *s, char iso[11], bool *known, const char **why)
{
	iso[0] = '\0';
	*known = false;
	if (!s || !*s)
		return 0;
	int d = -1, m = -1, y = -1;
	if (strlen(s) == 10 && (s[2] == '-' || s[2] == '/') && s[5] == s[2]) {
		d = digits(s, 2);
		m = digits(s + 3, 2);
		y = digits(s + 6, 4);
	} else if (strlen(s) == 10 && s[4] == '-' && s[7] == '-') {
		y = digits(s, 4);
		m = digits(s + 5, 2);
		d = digits(s + 8, 2);
	}
	if (d < 0 || m < 0 || y < 0) {
		*why = "not a date (expected dd-mm-yyyy)";
		return ERR_INVALID;
	}
	if (d == 1 && m == 1 && y == 1900)
		return 0; /* the GIAS placeholder */
	if (y < 1000 || m < 1 || m > 12 || d < 1 || d > month_days(m, y)) {
		*why = "no such date";
		return ERR_INVALID;
	}
	const int parts[3] = {y, m, d};
	const int widths[3] = {4, 2, 2};
	char *p = iso;
	for (int i = 0; i < 3; i++) {
		if (i)
			*p++ = '-';
		for (int k = widths[i] - 1, v = parts[i]; k >= 0; k--, v /= 10)
			p[k] = (char)('0' + v % 10);
		p += widths[i];
	}
	*p = '\0';
	*known = true;
	return 0;
}

int gias_csv_count(const char *s, int64_t max, int64_t *out, const char **why)
{
	*out = -1;
	if (!s || !*s)
		return 0;
	int64_t v;
	if (str_to_int64(s, &v) != 0) {
		*why = "not a whole number";
		return ERR_INVALID;
	}
	if (v < 0 || s[0] == '-') {
		*why = "a negative number";
		return ERR_INVALID;
	}
	if (v > max) {
		*why = "too large";
		return ERR_INVALID;
	}
	*out = v;
	return 0;
}

int gias_csv_cut(const char *s, int max)
{
	size_t n = strnlen(s, (size_t)max);
	/* When s goes on past max bytes, back off over a character cut in half. */
	if (n == (size_t)max)
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	return (int)n;
}
