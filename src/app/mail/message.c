// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * message.c — an email's text for SMTP (see message.h).
 */
#include "app/mail/message.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/clock.h"

bool mail_address_of(const char *from, char *out, size_t size)
{
	const char *lt = strrchr(from, '<');
	const char *gt = lt ? strchr(lt, '>') : NULL;
	const char *start = lt && gt ? lt + 1 : from;
	size_t n = lt && gt ? (size_t)(gt - start) : strlen(from);
	while (n && start[0] == ' ') {
		start++;
		n--;
	}
	while (n && start[n - 1] == ' ')
		n--;
	if (n == 0 || n >= size)
		return false;
	memcpy(out, start, n);
	out[n] = '\0';
	return true;
}

static bool plain_ascii(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return false;
	/* "=?" could be read as the start of an encoded-word. */
	return strstr(s, "=?") == NULL;
}

void mail_encode_header(struct buf *out, const char *s)
{
	if (plain_ascii(s)) {
		buf_puts(out, s);
		return;
	}
	/* At most 45 bytes a word: 60 characters of base64, 72 with the wrapper (limit 75). */
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	bool first = true;
	while (len) {
		size_t n = len < 45 ? len : 45;
		/* Never split a UTF-8 sequence: back off over continuation bytes. */
		while (n < len && n > 0 && (p[n] & 0xC0) == 0x80)
			n--;
		if (n == 0)
			n = len < 45 ? len : 45;
		char b64[sodium_base64_ENCODED_LEN(45, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(b64, sizeof(b64), p, n, sodium_base64_VARIANT_ORIGINAL);
		buf_printf(out, "%s=?UTF-8?B?%s?=", first ? "" : "\r\n ", b64);
		first = false;
		p += n;
		len -= n;
	}
}

void mail_encode_qp(struct buf *out, const char *body)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)body;
	while (*p) {
		/* One input line, without its line end. */
		size_t n = strcspn((const char *)p, "\n");
		size_t end = n;
		if (end && p[end - 1] == '\r')
			end--;
		size_t col = 0;
		for (size_t i = 0; i < end; i++) {
			unsigned char c = p[i];
			char enc[4];
			size_t w;
			bool last = i + 1 == end;
			if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last)) {
				enc[0] = (char)c;
				w = 1;
			} else {
				enc[0] = '=';
				enc[1] = hex[c >> 4];
				enc[2] = hex[c & 15];
				w = 3;
			}
			/* Keep room for a soft break "=" within 76 characters. */
			if (col + w > 75) {
				buf_puts(out, "=\r\n");
				col = 0;
			}
			buf_append(out, enc, w);
			col += w;
		}
		buf_puts(out, "\r\n");
		p += n;
		if (*p == '\n')
			p++;
	}
}

void mail_encode_base64(struct buf *out, const char *data, size_t len)
{
	/* 57 bytes make 76 characters of base64. */
	const unsigned char *p = (const unsigned char *)data;
	while (len) {
		size_t n = len < 57 ? len : 57;
		char b64[sodium_base64_ENCODED_LEN(57, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(b64, sizeof(b64), p, n, sodium_base64_VARIANT_ORIGINAL);
		buf_puts(out, b64);
		buf_puts(out, "\r\n");
		p += n;
		len -= n;
	}
}

void mail_build(struct buf *out, const struct mail_message *m)
{
	char date[40], addr[320];
	clock_format_rfc5322(m->date, date, sizeof(date));
	if (!mail_address_of(m->from, addr, sizeof(addr)))
		snprintf(addr, sizeof(addr), "tandem@localhost");
	const char *domain = strrchr(addr, '@');
	domain = domain ? domain + 1 : "localhost";
	buf_printf(out, "Date: %s\r\n", date);
	if (strchr(m->from, '<'))
		buf_printf(out, "From: %s\r\n", m->from);
	else
		buf_printf(out, "From: Tandem <%s>\r\n", addr);
	buf_printf(out, "To: %s\r\n", m->to);
	buf_puts(out, "Subject: ");
	mail_encode_header(out, m->subject);
	buf_puts(out, "\r\n");
	buf_printf(out, "Message-ID: <%s@%s>\r\n", m->message_id, domain);
	buf_puts(out, "MIME-Version: 1.0\r\n");
	if (!m->attachment) {
		buf_puts(out, "Content-Type: text/plain; charset=utf-8\r\n"
			      "Content-Transfer-Encoding: quoted-printable\r\n"
			      "Auto-Submitted: auto-generated\r\n"
			      "\r\n");
		mail_encode_qp(out, m->body);
		return;
	}
	/* "=_" never occurs in quoted-printable or base64 text, so the boundary cannot clash with a part. */
	buf_printf(out,
		   "Content-Type: multipart/mixed; boundary=\"=_tandem_%s\"\r\n"
		   "Auto-Submitted: auto-generated\r\n"
		   "\r\n"
		   "--=_tandem_%s\r\n"
		   "Content-Type: text/plain; charset=utf-8\r\n"
		   "Content-Transfer-Encoding: quoted-printable\r\n"
		   "\r\n",
		   m->message_id, m->message_id);
	mail_encode_qp(out, m->body);
	buf_printf(out,
		   "--=_tandem_%s\r\n"
		   "Content-Type: %s; name=\"%s\"\r\n"
		   "Content-Disposition: attachment; filename=\"%s\"\r\n"
		   "Content-Transfer-Encoding: base64\r\n"
		   "\r\n",
		   m->message_id, m->attachment_type ? m->attachment_type : "application/octet-stream",
		   m->attachment_name ? m->attachment_name : "attachment", m->attachment_name ? m->attachment_name : "attachment");
	mail_encode_base64(out, m->attachment, strlen(m->attachment));
	buf_printf(out, "--=_tandem_%s--\r\n", m->message_id);
}
