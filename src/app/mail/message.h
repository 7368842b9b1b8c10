// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * message.h — building an email as RFC 5322 text for SMTP: the headers
 * (Date, From, To, Subject with RFC 2047 encoded-words when it is not plain
 * ASCII, Message-ID, MIME-Version, Content-Type text/plain; charset=utf-8,
 * Content-Transfer-Encoding quoted-printable) and the body encoded
 * quoted-printable with CRLF line ends. A message with an attachment is
 * multipart/mixed: the text part as above, then the file in base64 with
 * its type and name. Pure functions, unit-tested in tests/unit/test_mail.c.
 */
#ifndef TANDEM_APP_MAIL_MESSAGE_H
#define TANDEM_APP_MAIL_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

/* One message to build. All strings UTF-8; none may hold CR or LF except body. */
struct mail_message {
	const char *from;       /* TANDEM_SMTP_FROM: "addr" or "Name <addr>" */
	const char *to;         /* one address */
	const char *subject;    /* one line */
	const char *body;       /* plain text, lines ending in \n (or \r\n) */
	const char *message_id; /* unique left part; the domain is the sender's */
	int64_t date;           /* Unix time for the Date header */
	const char *attachment_name; /* a file sent with it ("session.ics"), NULL for none: ASCII, no quotes */
	const char *attachment_type; /* its MIME type ("text/calendar; charset=utf-8; method=PUBLISH") */
	const char *attachment;      /* its content */
};

/* The bare address of a From setting ("Name <a@b>" → "a@b") into out. False if it does not fit. */
bool mail_address_of(const char *from, char *out, size_t size);
/* Append s as it is when plain printable ASCII, else as RFC 2047 "=?UTF-8?B?…?=" words folded with CRLF SP. */
void mail_encode_header(struct buf *out, const char *s);
/* Append body quoted-printable (RFC 2045): lines at most 76 characters, CRLF line ends. */
void mail_encode_qp(struct buf *out, const char *body);
/* Append data base64-encoded (RFC 2045) in lines of 76 characters, CRLF line ends. */
void mail_encode_base64(struct buf *out, const char *data, size_t len);
/* Append the whole message (headers, blank line, encoded body) to out. */
void mail_build(struct buf *out, const struct mail_message *m);

#endif
