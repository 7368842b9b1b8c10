// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_mail.c — building an email's text: the Date header (written by core/clock),
 * RFC 2047 subjects, quoted-printable bodies with short lines, and the
 * headers every message carries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <sodium.h>

#include "app/mail/message.h"
#include "core/buf.h"

static void the_address_is_taken_out_of_a_display_name(void **state)
{
	char a[64];
	assert_true(mail_address_of("Tandem <noreply@tandem.example.org>", a, sizeof(a)));
	assert_string_equal(a, "noreply@tandem.example.org");
	assert_true(mail_address_of("tandem@localhost", a, sizeof(a)));
	assert_string_equal(a, "tandem@localhost");
	assert_false(mail_address_of("", a, sizeof(a)));
}

static void ascii_subjects_are_left_alone(void **state)
{
	struct buf b = BUF_INIT;
	mail_encode_header(&b, "Reset your Tandem password");
	assert_string_equal(buf_str(&b), "Reset your Tandem password");
	buf_free(&b);
}

static void non_ascii_subjects_become_encoded_words(void **state)
{
	struct buf b = BUF_INIT;
	mail_encode_header(&b, "Café meeting");
	assert_string_equal(buf_str(&b), "=?UTF-8?B?Q2Fmw6kgbWVldGluZw==?=");
	buf_free(&b);
}

static void long_encoded_subjects_fold_between_whole_characters(void **state)
{
	struct buf b = BUF_INIT;
	/* 40 two-byte letters: more than one 45-byte word, and 45 is odd. */
	char s[81];
	for (int i = 0; i < 40; i++)
		memcpy(s + 2 * i, "é", 2);
	s[80] = '\0';
	mail_encode_header(&b, s);
	const char *fold = strstr(buf_str(&b), "?=\r\n =?UTF-8?B?");
	assert_non_null(fold);
	/* The first word carries 44 bytes (22 letters), never half a letter. */
	char first[128];
	size_t n = (size_t)(fold - buf_str(&b)) - strlen("=?UTF-8?B?");
	memcpy(first, buf_str(&b) + strlen("=?UTF-8?B?"), n);
	first[n] = '\0';
	unsigned char raw[64];
	size_t len;
	assert_int_equal(sodium_base642bin(raw, sizeof(raw), first, n, NULL, &len, NULL,
					   sodium_base64_VARIANT_ORIGINAL), 0);
	assert_int_equal(len, 44);
	for (const char *p = buf_str(&b); (p = strstr(p, "=?UTF-8?B?")); p++)
		assert_true(strcspn(p, "\r") <= 75);
	buf_free(&b);
}

static void quoted_printable_escapes_and_keeps_lines_short(void **state)
{
	struct buf b = BUF_INIT;
	char body[300];
	memset(body, 'a', 200);
	strcpy(body + 200, "\nx=y café \nend\n");
	mail_encode_qp(&b, body);
	const char *s = buf_str(&b);
	for (const char *line = s; *line;) {
		size_t n = strcspn(line, "\r");
		assert_true(n <= 76);
		line += n;
		if (*line == '\r')
			line += 2;
	}
	assert_non_null(strstr(s, "=\r\n"));
	assert_non_null(strstr(s, "x=3Dy caf=C3=A9=20\r\n"));
	assert_non_null(strstr(s, "\r\nend\r\n"));
	buf_free(&b);
}

static void a_message_has_the_headers_mail_servers_expect(void **state)
{
	struct mail_message m = {
		.from = "tandem@school.example.org",
		.to = "jane@school.example.org",
		.subject = "Hello",
		.body = "Line one\nLine two\n",
		.message_id = "abc123",
		.date = 1800000000,
	};
	struct buf b = BUF_INIT;
	mail_build(&b, &m);
	const char *s = buf_str(&b);
	assert_non_null(strstr(s, "Date: Fri, 15 Jan 2027 08:00:00 +0000\r\n"));
	assert_non_null(strstr(s, "From: Tandem <tandem@school.example.org>\r\n"));
	assert_non_null(strstr(s, "To: jane@school.example.org\r\n"));
	assert_non_null(strstr(s, "Subject: Hello\r\n"));
	assert_non_null(strstr(s, "Message-ID: <abc123@school.example.org>\r\n"));
	assert_non_null(strstr(s, "MIME-Version: 1.0\r\n"));
	assert_non_null(strstr(s, "Content-Type: text/plain; charset=utf-8\r\n"));
	assert_non_null(strstr(s, "Content-Transfer-Encoding: quoted-printable\r\n"));
	assert_non_null(strstr(s, "\r\n\r\nLine one\r\nLine two\r\n"));
	buf_free(&b);
}

static void a_message_with_an_attachment_is_multipart_with_the_file_in_base64(void **state)
{
	(void)state;
	struct mail_message m = {
		.from = "tandem@school.example.org",
		.to = "jane@school.example.org",
		.subject = "Your place",
		.body = "See you there\n",
		.message_id = "abc123",
		.date = 1800000000,
		.attachment_name = "session.ics",
		.attachment_type = "text/calendar; charset=utf-8; method=PUBLISH",
		.attachment = "BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n",
	};
	struct buf b = BUF_INIT;
	mail_build(&b, &m);
	const char *s = buf_str(&b);
	assert_non_null(strstr(s, "Content-Type: multipart/mixed; boundary=\"=_tandem_abc123\"\r\n"));
	assert_null(strstr(s, "MIME-Version: 1.0\r\nContent-Type: text/plain"));
	const char *text = strstr(s, "\r\n--=_tandem_abc123\r\nContent-Type: text/plain; charset=utf-8\r\n");
	const char *file = strstr(s, "\r\n--=_tandem_abc123\r\nContent-Type: text/calendar; charset=utf-8; "
				     "method=PUBLISH; name=\"session.ics\"\r\n"
				     "Content-Disposition: attachment; filename=\"session.ics\"\r\n"
				     "Content-Transfer-Encoding: base64\r\n\r\n");
	assert_non_null(text);
	assert_non_null(file);
	assert_true(text < file);
	assert_non_null(strstr(text, "\r\n\r\nSee you there\r\n"));
	/* base64 of the calendar, and the closing boundary last. */
	assert_non_null(strstr(file, "QkVHSU46VkNBTEVOREFSDQpNRVRIT0Q6UFVCTElTSA0KRU5EOlZDQUxFTkRBUg0K\r\n"
				     "--=_tandem_abc123--\r\n"));
	assert_int_equal(strlen(strstr(s, "--=_tandem_abc123--\r\n")), strlen("--=_tandem_abc123--\r\n"));
	buf_free(&b);
}

static void base64_lines_are_at_most_76_characters(void **state)
{
	(void)state;
	char data[200];
	memset(data, 'x', sizeof(data) - 1);
	data[sizeof(data) - 1] = '\0';
	struct buf b = BUF_INIT;
	mail_encode_base64(&b, data, strlen(data));
	const char *s = buf_str(&b);
	size_t lines = 0;
	for (const char *p = s; *p; lines++) {
		size_t n = strcspn(p, "\r");
		assert_true(n <= 76);
		assert_memory_equal(p + n, "\r\n", 2);
		p += n + 2;
	}
	assert_int_equal(lines, 4); /* 199 bytes: 57 + 57 + 57 + 28 */
	buf_free(&b);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_address_is_taken_out_of_a_display_name),
		cmocka_unit_test(ascii_subjects_are_left_alone),
		cmocka_unit_test(non_ascii_subjects_become_encoded_words),
		cmocka_unit_test(long_encoded_subjects_fold_between_whole_characters),
		cmocka_unit_test(quoted_printable_escapes_and_keeps_lines_short),
		cmocka_unit_test(a_message_has_the_headers_mail_servers_expect),
		cmocka_unit_test(a_message_with_an_attachment_is_multipart_with_the_file_in_base64),
		cmocka_unit_test(base64_lines_are_at_most_76_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
