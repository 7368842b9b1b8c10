// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * test_server.c — starts the real HTTP server (src/http/) on a free
 * loopback port with a small route table, a trivial render hook and a
 * static folder, and talks to it over plain sockets as a client would:
 * negotiation, errors, limits, malformed input, bodies arriving in pieces,
 * static files, security headers and a graceful stop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "http/http.h"

/* ---- The application under test ---------------------------------------- */

static atomic_int slow_started;  /* the slow handler has begun */
static atomic_int slow_finished; /* the slow handler has returned */

static int page_home(struct request *req, struct response *res)
{
	(void)req;
	res_view(res, 200, "home", json_pack("{s:s}", "hello", "world"));
	return 0;
}

static int page_school(struct request *req, struct response *res)
{
	res_view(res, 200, "school", json_pack("{s:I}", "id", (json_int_t)req_path_int(req, "id")));
	return 0;
}

static const struct param_spec form_params[] = {
	{"name", PARAM_STRING, PARAM_REQUIRED, 0, 50, NULL, "Name"},
	{"pupils", PARAM_INT, 0, 0, 5000, NULL, "Number of pupils"},
	{NULL, PARAM_STRING, 0, 0, 0, NULL, NULL},
};

static int api_form(struct request *req, struct response *res)
{
	res_json(res, 200, json_pack("{s:s, s:I}", "name", req_str(req, "name"), "pupils",
				     (json_int_t)req_int(req, "pupils", -1)));
	return 0;
}

static const struct param_spec search_params[] = {
	{"q", PARAM_STRING, 0, 0, 0, NULL, "Search"},
	{"page", PARAM_INT, 0, 1, 100, NULL, "Page"},
	{NULL, PARAM_STRING, 0, 0, 0, NULL, NULL},
};

static int api_search(struct request *req, struct response *res)
{
	const char *q = req_str(req, "q");
	res_json(res, 200, json_pack("{s:s, s:I}", "q", q ? q : "", "page",
				     (json_int_t)req_int(req, "page", 1)));
	return 0;
}

static int page_own_errors(struct request *req, struct response *res)
{
	json_t *errors = req_errors(req);
	res_json(res, 200, json_pack("{s:b}", "had_errors", errors != NULL));
	return 0;
}

static int page_slow(struct request *req, struct response *res)
{
	(void)req;
	atomic_store(&slow_started, 1);
	struct timespec ts = {0, 800 * 1000 * 1000};
	nanosleep(&ts, NULL);
	res_body(res, 200, "text/plain; charset=utf-8", "done", 4);
	atomic_store(&slow_finished, 1);
	return 0;
}

static int page_missing(struct request *req, struct response *res)
{
	(void)req;
	(void)res;
	return ERR_NOTFOUND;
}

static int page_broken(struct request *req, struct response *res)
{
	(void)req;
	(void)res;
	return ERR_DB;
}

static int page_leaky(struct request *req, struct response *res)
{
	(void)req;
	return res_error(res, 500, "sqlite: database disk image is malformed");
}

static int page_bad_template(struct request *req, struct response *res)
{
	(void)req;
	res_view(res, 200, "broken", json_object());
	return 0;
}

static int api_upload(struct request *req, struct response *res)
{
	size_t len;
	const char *path = req_body_file(req, &len);
	struct stat st;
	bool exists = path && stat(path, &st) == 0 && (size_t)st.st_size == len;
	res_json(res, 200, json_pack("{s:I, s:b}", "len", (json_int_t)len, "file", exists));
	return 0;
}

static atomic_int gated_handled; /* the gated upload's handler has run */

static int api_gated_upload(struct request *req, struct response *res)
{
	atomic_fetch_add(&gated_handled, 1);
	return api_upload(req, res);
}

/* The gated upload's gate: only a request with X-Let-In may send its body; X-Silent refuses without a response. */
static int gate_upload(struct request *req, struct response *res)
{
	if (req_header(req, "X-Silent"))
		return ERR_FORBIDDEN;
	if (!req_header(req, "X-Let-In"))
		return res_error(res, 401, "Sign in before uploading.");
	return 0;
}

static int page_cookie(struct request *req, struct response *res)
{
	const char *seen = req_cookie(req, "sid");
	res_cookie(res, "sid", "abc123", 3600, COOKIE_HTTPONLY | COOKIE_LAX);
	res_cookie(res, "bad", "x\r\ny", 10, 0); /* refused, never sent */
	res_json(res, 200, json_pack("{s:s}", "seen", seen ? seen : ""));
	return 0;
}

static int page_redirect(struct request *req, struct response *res)
{
	(void)req;
	res_redirect(res, 303, "/");
	return 0;
}

static int page_cached(struct request *req, struct response *res)
{
	(void)req;
	res_header(res, "Cache-Control", "private, max-age=60");
	res_body(res, 200, "text/plain", "ok", 2);
	return 0;
}

static int page_whoami(struct request *req, struct response *res)
{
	res_json(res, 200, json_pack("{s:s, s:s, s:s, s:s}", "ip", req_client_ip(req), "app",
				     (const char *)req_app(req), "user", (const char *)req_user(req),
				     "path", req_path(req)));
	return 0;
}

static int api_custom_400(struct request *req, struct response *res)
{
	(void)req;
	res_field_error(res, "start", "Start must be before the end");
	return res_error(res, 400, "Check the dates.");
}

static int api_exempt(struct request *req, struct response *res)
{
	(void)req;
	res_body(res, 200, "text/plain", "exempt", 6);
	return 0;
}

static const struct param_spec typed_params[] = {
	PARAM(.name = "hours_{urn}", .type = PARAM_HOURS, .min = 0, .max = 500, .label = "Hours a term"),
	PARAM(.name = "starts_at", .type = PARAM_TIME, .label = "Start time"),
	PARAM(.name = "held_on", .type = PARAM_DATE, .label = "Date"),
	PARAM(.name = "budget", .type = PARAM_DECIMAL, .min = 0, .max = 100000, .label = "Budget"),
	PARAM(.name = "owner_person_id", .type = PARAM_INT, .min = 1, .max = 1000, .label = "Owner"),
	PARAM(.name = "tag", .type = PARAM_STRING, .flags = PARAM_MULTI, .label = "Tag"),
	PARAM_END,
};

/* Everything the typed accessors read, and what was typed. */
static int api_typed(struct request *req, struct response *res)
{
	json_t *each = json_array();
	const char *field;
	int64_t urn;
	for (size_t i = 0; (field = req_each(req, "hours_{urn}", i, &urn)); i++)
		json_array_append_new(each, json_pack("{s:s, s:I, s:b, s:I, s:f}", "field", field, "urn",
						      (json_int_t)urn, "given", req_has(req, field),
						      "hundredths",
						      (json_int_t)req_hundredths(req, field, -1),
						      "hours", req_num(req, field, -1)));
	const char *start = req_str(req, "starts_at"), *day = req_str(req, "held_on");
	res_json(res, 200,
		 json_pack("{s:o, s:s, s:s, s:I, s:I, s:b, s:o}", "each", each, "starts_at",
			   start ? start : "", "held_on", day ? day : "", "budget",
			   (json_int_t)req_hundredths(req, "budget", -1), "owner",
			   (json_int_t)req_int(req, "owner_person_id", -1), "errors",
			   req_errors(req) != NULL, "typed", req_form_values(req)));
	return 0;
}

/* A route that declares nothing and reads a field as hooks do. */
static int api_undeclared(struct request *req, struct response *res)
{
	const char *hours = req_field(req, "hours");
	res_json(res, 200, json_pack("{s:s?}", "hours", hours));
	return 0;
}

static const struct route routes[] = {
	{HTTP_GET, "/", page_home, NULL, 0, 0},
	{HTTP_GET, "/schools/{id:int}", page_school, NULL, 0, 0},
	{HTTP_POST, "/form", api_form, form_params, 0, 0},
	{HTTP_GET, "/search", api_search, search_params, 0, 0},
	{HTTP_POST, "/own", page_own_errors, form_params, ROUTE_OWN_ERRORS, 0},
	{HTTP_GET, "/slow", page_slow, NULL, 0, 0},
	{HTTP_GET, "/missing", page_missing, NULL, 0, 0},
	{HTTP_GET, "/broken", page_broken, NULL, 0, 0},
	{HTTP_GET, "/leaky", page_leaky, NULL, 0, 0},
	{HTTP_GET, "/bad-template", page_bad_template, NULL, 0, 0},
	{HTTP_POST, "/upload", api_upload, NULL, ROUTE_RAW_BODY, 4u << 20},
	{HTTP_POST, "/gated-upload", api_gated_upload, NULL, ROUTE_RAW_BODY, 64u << 20},
	{HTTP_GET, "/cookie", page_cookie, NULL, 0, 0},
	{HTTP_GET, "/go", page_redirect, NULL, 0, 0},
	{HTTP_GET, "/cached", page_cached, NULL, 0, 0},
	{HTTP_GET, "/who/{name}", page_whoami, NULL, 0, 0},
	{HTTP_POST, "/custom-400", api_custom_400, NULL, 0, 0},
	{HTTP_POST, "/exempt", api_exempt, form_params, ROUTE_NO_CSRF, 0},
	{HTTP_POST, "/typed", api_typed, typed_params, 0, 0},
	{HTTP_POST, "/typed-own", api_typed, typed_params, ROUTE_OWN_ERRORS, 0},
	{HTTP_POST, "/undeclared", api_undeclared, NULL, 0, 0},
	{HTTP_GET, "/undeclared", api_undeclared, NULL, 0, 0},
	{HTTP_GET, NULL, NULL, NULL, 0, 0},
};
static const struct route *const tables[] = {routes, NULL};

/* Writes "<p>tmpl:NAME</p>"; the error page also shows its status; "broken" fails. */
static int render(struct request *req, const char *tmpl, json_t *model, struct buf *out)
{
	(void)req;
	if (!tmpl || strcmp(tmpl, "broken") == 0)
		return ERR_NOTFOUND;
	buf_printf(out, "<p>tmpl:%s</p>", tmpl);
	if (strcmp(tmpl, "error") == 0)
		buf_printf(out, "<p>status:%d</p><p>%s</p>",
			   (int)json_integer_value(json_object_get(model, "status")),
			   json_string_value(json_object_get(model, "detail")));
	return 0;
}

/*
 * A before hook in the style of a CSRF check, active only when a test sends
 * X-Csrf-Test; X-Deny makes it refuse without setting a response. It also
 * sets the user slot for every request.
 */
static int before(struct request *req, struct response *res)
{
	req_set_user(req, "user-1");
	if (req_header(req, "X-Deny"))
		return ERR_UNAUTH;
	if (req_header(req, "X-Csrf-Test") && req_method(req) == HTTP_POST &&
	    !(req_route_flags(req) & ROUTE_NO_CSRF)) {
		const char *token = req_field(req, "csrf");
		if (!token || strcmp(token, "ok") != 0)
			return res_error(res, 403, "The form has expired. Reload the page and try again.");
	}
	return 0;
}

static const struct route_gate gates[] = {
	{HTTP_POST, "/gated-upload", gate_upload},
	{HTTP_GET, NULL, NULL},
};
static const struct route_gate *const gate_tables[] = {gates, NULL};

static const struct http_hooks hooks = {.before = before, .render = render, .ctx = "app-ctx", .gates = gate_tables};

/* ---- Fixture: a server and a static folder ------------------------------ */

static struct http_server *server;
static int port;
static char static_dir[64];

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int start(struct http_server **out, const char *dir)
{
	struct http_server_opts opts = {
		.addr = "127.0.0.1",
		.port = 0,
		.threads = 2,
		.max_body = 1024 * 1024,
		.static_dir = dir,
		.shutdown_grace = 5,
		.https = false,
	};
	char err[256];
	int rc = http_server_start(out, &opts, tables, &hooks, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "start: %s\n", err);
	return rc;
}

static int group_setup(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN);
	log_set_level(LOG_WARN);
	snprintf(static_dir, sizeof(static_dir), "/tmp/tandem-static-XXXXXX");
	if (!mkdtemp(static_dir))
		return -1;
	char sub[128];
	snprintf(sub, sizeof(sub), "%s/css", static_dir);
	mkdir(sub, 0755);
	write_file(static_dir, "css/site.css", "body { color: #123; }\n");
	write_file(static_dir, "robots.txt", "User-agent: *\n");
	write_file(static_dir, ".secret", "hidden\n");
	if (start(&server, static_dir) < 0)
		return -1;
	port = http_server_port(server);
	return port > 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	http_server_stop(server);
	char path[256];
	const char *files[] = {"css/site.css", "robots.txt", ".secret", "css", ""};
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", static_dir, files[i]);
		remove(path);
	}
	return 0;
}

/* ---- A tiny HTTP client ------------------------------------------------- */

static int connect_to(int p)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)p)};
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* Send everything; false when the server has closed on us. */
static bool send_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		s += w;
		n -= (size_t)w;
	}
	return true;
}

/* Read until the server closes (or 10 s pass). Caller frees. */
static char *read_all(int fd)
{
	struct buf b = BUF_INIT;
	char chunk[8192];
	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		if (poll(&pfd, 1, 10000) <= 0)
			break;
		ssize_t r = recv(fd, chunk, sizeof(chunk), 0);
		if (r <= 0)
			break;
		buf_append(&b, chunk, (size_t)r);
	}
	size_t len;
	return buf_detach(&b, &len);
}

/* Send a whole request and return the whole response. Caller frees. */
static char *exchange(const char *req, size_t len)
{
	int fd = connect_to(port);
	send_all(fd, req, len);
	char *resp = read_all(fd);
	close(fd);
	return resp;
}

/* GET path with extra header lines (each ending in \r\n). Caller frees. */
static char *get(const char *path, const char *headers)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n%s\r\n", path,
		   headers ? headers : "");
	char *resp = exchange(b.data, b.len);
	buf_free(&b);
	return resp;
}

/* POST body with a content type. Caller frees. */
static char *post(const char *path, const char *type, const char *body, const char *headers)
{
	struct buf b = BUF_INIT;
	buf_printf(&b,
		   "POST %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
		   "Content-Type: %s\r\nContent-Length: %zu\r\n%s\r\n%s",
		   path, type, strlen(body), headers ? headers : "", body);
	char *resp = exchange(b.data, b.len);
	buf_free(&b);
	return resp;
}

static int status_of(const char *resp)
{
	int status = 0;
	if (sscanf(resp, "HTTP/1.%*d %d", &status) != 1)
		return 0;
	return status;
}

/* The value of a response header (case-insensitive name) in a static buffer, or NULL. */
static const char *header_of(const char *resp, const char *name)
{
	static char value[1024];
	size_t n = strlen(name);
	const char *end = strstr(resp, "\r\n\r\n");
	for (const char *p = strstr(resp, "\r\n"); p && (!end || p < end); p = strstr(p + 2, "\r\n")) {
		const char *line = p + 2;
		if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
			const char *v = line + n + 1;
			while (*v == ' ')
				v++;
			size_t len = strcspn(v, "\r\n");
			if (len >= sizeof(value))
				len = sizeof(value) - 1;
			memcpy(value, v, len);
			value[len] = '\0';
			return value;
		}
	}
	return NULL;
}

static const char *body_of(const char *resp)
{
	const char *p = strstr(resp, "\r\n\r\n");
	return p ? p + 4 : "";
}

static void assert_security_headers(const char *resp)
{
	const char *csp = header_of(resp, "Content-Security-Policy");
	assert_non_null(csp);
	assert_non_null(strstr(csp, "default-src 'self'"));
	assert_non_null(strstr(csp, "frame-ancestors 'none'"));
	assert_string_equal(header_of(resp, "X-Content-Type-Options"), "nosniff");
	assert_string_equal(header_of(resp, "Referrer-Policy"), "strict-origin-when-cross-origin");
	assert_string_equal(header_of(resp, "X-Frame-Options"), "DENY");
}

/* Parse the body as JSON (caller decrefs). */
static json_t *json_of(const char *resp)
{
	json_t *v = json_loads(body_of(resp), 0, NULL);
	assert_non_null(v);
	return v;
}

static const char *ACCEPT_JSON = "Accept: application/json\r\n";

/* ---- Tests -------------------------------------------------------------- */

static void a_page_is_html_by_default(void **state)
{
	(void)state;
	char *r = get("/", NULL);
	assert_int_equal(status_of(r), 200);
	assert_string_equal(header_of(r, "Content-Type"), "text/html; charset=utf-8");
	assert_string_equal(header_of(r, "Vary"), "Accept");
	assert_string_equal(header_of(r, "Cache-Control"), "no-store");
	assert_string_equal(body_of(r), "<p>tmpl:home</p>");
	assert_security_headers(r);
	free(r);
}

static void a_page_is_json_when_the_client_prefers_it(void **state)
{
	(void)state;
	char *r = get("/", "Accept: application/json, text/html;q=0.9\r\n");
	assert_int_equal(status_of(r), 200);
	assert_string_equal(header_of(r, "Content-Type"), "application/json; charset=utf-8");
	assert_string_equal(body_of(r), "{\"hello\":\"world\"}");
	free(r);
}

static void a_browser_accept_header_gets_html(void **state)
{
	(void)state;
	char *r = get("/", "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n");
	assert_string_equal(body_of(r), "<p>tmpl:home</p>");
	free(r);
}

static void an_int_capture_reaches_the_handler(void **state)
{
	(void)state;
	char *r = get("/schools/100000", ACCEPT_JSON);
	assert_int_equal(status_of(r), 200);
	assert_string_equal(body_of(r), "{\"id\":100000}");
	free(r);
}

static void head_gets_the_headers_without_a_body(void **state)
{
	(void)state;
	char *r = exchange("HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 48);
	assert_int_equal(status_of(r), 200);
	assert_string_equal(body_of(r), "");
	assert_string_equal(header_of(r, "Content-Type"), "text/html; charset=utf-8");
	free(r);
}

static void an_unknown_path_is_a_404_problem(void **state)
{
	(void)state;
	char *r = get("/nowhere", ACCEPT_JSON);
	assert_int_equal(status_of(r), 404);
	assert_string_equal(header_of(r, "Content-Type"), "application/problem+json");
	json_t *p = json_of(r);
	assert_string_equal(json_string_value(json_object_get(p, "type")), "about:blank");
	assert_string_equal(json_string_value(json_object_get(p, "title")), "Not Found");
	assert_int_equal(json_integer_value(json_object_get(p, "status")), 404);
	assert_non_null(json_string_value(json_object_get(p, "detail")));
	assert_null(json_object_get(p, "errors"));
	json_decref(p);
	assert_security_headers(r);
	free(r);
}

static void an_unknown_path_is_an_error_page_in_html(void **state)
{
	(void)state;
	char *r = get("/nowhere", NULL);
	assert_int_equal(status_of(r), 404);
	assert_string_equal(header_of(r, "Content-Type"), "text/html; charset=utf-8");
	assert_non_null(strstr(body_of(r), "<p>tmpl:error</p><p>status:404</p>"));
	assert_security_headers(r);
	free(r);
}

static void a_wrong_method_is_a_405_with_allow(void **state)
{
	(void)state;
	char *r = post("/", "application/x-www-form-urlencoded", "a=1", ACCEPT_JSON);
	assert_int_equal(status_of(r), 405);
	assert_string_equal(header_of(r, "Allow"), "GET, HEAD");
	free(r);
}

static void a_non_numeric_int_capture_is_a_400(void **state)
{
	(void)state;
	char *r = get("/schools/abc", ACCEPT_JSON);
	assert_int_equal(status_of(r), 400);
	json_t *p = json_of(r);
	assert_string_equal(json_string_value(json_object_get(p, "detail")),
			    "'abc' is not a valid id: it must be a whole number");
	json_decref(p);
	free(r);
}

static void a_trailing_slash_redirects_with_308(void **state)
{
	(void)state;
	char *r = get("/search/?q=x", NULL);
	assert_int_equal(status_of(r), 308);
	assert_string_equal(header_of(r, "Location"), "/search?q=x");
	free(r);
}

static void invalid_form_fields_are_a_400_with_field_errors(void **state)
{
	(void)state;
	char *r = post("/form", "application/x-www-form-urlencoded", "pupils=9999", ACCEPT_JSON);
	assert_int_equal(status_of(r), 400);
	assert_string_equal(header_of(r, "Content-Type"), "application/problem+json");
	json_t *p = json_of(r);
	json_t *errors = json_object_get(p, "errors");
	assert_string_equal(json_string_value(json_object_get(errors, "name")), "Name is required");
	assert_string_equal(json_string_value(json_object_get(errors, "pupils")),
			    "Number of pupils must be a whole number between 0 and 5000");
	json_decref(p);
	free(r);
}

static void field_errors_are_listed_on_the_html_error_page(void **state)
{
	(void)state;
	char *r = post("/form", "application/x-www-form-urlencoded", "pupils=x", NULL);
	assert_int_equal(status_of(r), 400);
	assert_non_null(strstr(body_of(r), "tmpl:error"));
	free(r);
}

static void a_valid_form_reaches_the_handler(void **state)
{
	(void)state;
	char *r = post("/form", "application/x-www-form-urlencoded; charset=UTF-8",
		       "name=Ysgol+M%C3%B4n&pupils=420&ignored=1", ACCEPT_JSON);
	assert_int_equal(status_of(r), 200);
	assert_string_equal(body_of(r), "{\"name\":\"Ysgol M\xc3\xb4n\",\"pupils\":420}");
	free(r);
}

static void a_json_body_is_validated_like_a_form(void **state)
{
	(void)state;
	char *r = post("/form", "application/json", "{\"name\":\"Ann\",\"pupils\":12}", ACCEPT_JSON);
	assert_int_equal(status_of(r), 200);
	assert_string_equal(body_of(r), "{\"name\":\"Ann\",\"pupils\":12}");
	free(r);
}

static void a_json_body_that_is_not_an_object_is_a_400(void **state)
{
	(void)state;
	char *r = post("/form", "application/json", "[1,2]", ACCEPT_JSON);
	assert_int_equal(status_of(r), 400);
	json_t *p = json_of(r);
	assert_non_null(strstr(json_string_value(json_object_get(p, "detail")), "must be an object"));
	json_decref(p);
	free(r);
}

static void malformed_json_is_a_400(void **state)
{
	(void)state;
	char *r = post("/form", "application/json", "{\"name\": ", ACCEPT_JSON);
	assert_int_equal(status_of(r), 400);
	free(r);
	r = post("/form", "application/json", "{\"name\":\"a\",\"name\":\"b\"}", ACCEPT_JSON);
	assert_int_equal(status_of(r), 400); /* duplicate keys */
	free(r);
}

static void an_unsupported_body_type_is_a_415(void **state)
{
	(void)state;
	char *r = post("/form", "text/plain", "name=Ann", ACCEPT_JSON);
	assert_int_equal(status_of(r), 415);
	json_t *p = json_of(r);
	assert_non_null(strstr(json_string_value(json_object_get(p, "detail")),
			       "application/x-www-form-urlencoded"));
	json_decref(p);
	free(r);
}

static void typed_values_reach_the_handler_in_normal_form(void **state)
{
	(void)state;
	char *r = post("/typed", "application/x-www-form-urlencoded",
		       "hours_107897=1h30&hours_100000=6&hours_5=&starts_at=4pm&held_on=6+Dec+2026&"
		       "budget=%C2%A31%2C500.50",
		       ACCEPT_JSON);
	assert_int_equal(status_of(r), 200);
	json_t *b = json_of(r);
	json_t *each = json_object_get(b, "each");
	assert_int_equal(json_array_size(each), 3);
	json_t *first = json_array_get(each, 0), *last = json_array_get(each, 2);
	assert_string_equal(json_string_value(json_object_get(first, "field")), "hours_5");
	assert_false(json_is_true(json_object_get(first, "given")));
	assert_int_equal(json_integer_value(json_object_get(last, "urn")), 107897);
	assert_int_equal(json_integer_value(json_object_get(last, "hundredths")), 150);
	assert_true(json_real_value(json_object_get(last, "hours")) == 1.5);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(each, 1), "hundredths")), 600);
	assert_string_equal(json_string_value(json_object_get(b, "starts_at")), "16:00");
	assert_string_equal(json_string_value(json_object_get(b, "held_on")), "2026-12-06");
	assert_int_equal(json_integer_value(json_object_get(b, "budget")), 150050);
	json_decref(b);
	free(r);
}

static void a_json_body_carries_numbers_to_declared_and_undeclared_fields(void **state)
{
	(void)state;
	char *r = post("/typed", "application/json",
		       "{\"owner_person_id\": 3, \"hours_7\": 6, \"budget\": 12.5, \"tag\": [\"a\", 1]}",
		       ACCEPT_JSON);
	assert_int_equal(status_of(r), 200);
	json_t *b = json_of(r);
	assert_int_equal(json_integer_value(json_object_get(b, "owner")), 3);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(b, "each"), 0),
							    "hundredths")),
			 600);
	assert_int_equal(json_integer_value(json_object_get(b, "budget")), 1250);
	json_decref(b);
	free(r);
	r = post("/undeclared", "application/json", "{\"hours\": 6}", ACCEPT_JSON);
	assert_int_equal(status_of(r), 200);
	assert_string_equal(body_of(r), "{\"hours\":\"6\"}");
	free(r);
	r = post("/undeclared", "application/json", "{\"hours\": [6]}", ACCEPT_JSON);
	assert_string_equal(body_of(r), "{\"hours\":null}");
	free(r);
}

static void invalid_pattern_fields_are_a_400_naming_each_field(void **state)
{
	(void)state;
	char *r = post("/typed", "application/x-www-form-urlencoded", "hours_1=2&hours_2=lots",
		       ACCEPT_JSON);
	assert_int_equal(status_of(r), 400);
	json_t *p = json_of(r);
	assert_string_equal(json_string_value(json_object_get(json_object_get(p, "errors"), "hours_2")),
			    "Hours a term must be a number of hours between 0 and 500, like 1.5 or 1h30");
	assert_null(json_object_get(json_object_get(p, "errors"), "hours_1"));
	json_decref(p);
	free(r);
}

static void a_refused_form_can_be_refilled_with_what_was_typed(void **state)
{
	(void)state;
	char *r = post("/typed-own", "application/x-www-form-urlencoded",
		       "hours_2=lots&starts_at=+teatime&tag=a&tag=&held_on=6%2F12%2F2026&other=x",
		       ACCEPT_JSON);
	assert_int_equal(status_of(r), 200);
	json_t *b = json_of(r);
	assert_true(json_is_true(json_object_get(b, "errors")));
	json_t *typed = json_object_get(b, "typed");
	assert_string_equal(json_string_value(json_object_get(typed, "hours_2")), "lots");
	assert_string_equal(json_string_value(json_object_get(typed, "starts_at")), " teatime");
	assert_string_equal(json_string_value(json_object_get(typed, "held_on")), "6/12/2026");
	assert_int_equal(json_array_size(json_object_get(typed, "tag")), 2);
	assert_null(json_object_get(typed, "other")); /* not declared */
	assert_null(json_object_get(typed, "budget")); /* not given */
	json_decref(b);
	free(r);
}

static void a_field_given_twice_is_a_400_naming_it_on_every_route(void **state)
{
	(void)state;
	const char *cases[][2] = {
		{"/own", "name=Ann&name=Bob"},          /* the route handles its own errors */
		{"/undeclared", "hours=1&hours=1000000"}, /* declares nothing */
		{"/typed", "hours_3=1&hours_3=1000000"}, /* a name pattern */
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *r = post(cases[i][0], "application/x-www-form-urlencoded", cases[i][1], ACCEPT_JSON);
		assert_int_equal(status_of(r), 400);
		json_t *p = json_of(r);
		const char *field = strchr(cases[i][1], '=');
		char name[32];
		snprintf(name, sizeof(name), "%.*s", (int)(field - cases[i][1]), cases[i][1]);
		assert_non_null(json_object_get(json_object_get(p, "errors"), name));
		assert_non_null(strstr(json_string_value(json_object_get(p, "detail")), name));
		json_decref(p);
		free(r);
	}
	char *r = get("/undeclared?x=1&x=2", ACCEPT_JSON);
	assert_int_equal(status_of(r), 400);
	free(r);
	char q[256];
	char name[101];
	memset(name, 'n', 100);
	name[100] = '\0';
	snprintf(q, sizeof(q), "/undeclared?%s=1&%s=2", name, name);
	r = get(q, ACCEPT_JSON);
	assert_int_equal(status_of(r), 400);
	json_t *p = json_of(r);
	assert_string_equal(json_string_value(json_object_get(p, "detail")),
			    "A field was given more than once; send each once.");
	json_decref(p);
	free(r);
	r = post("/typed", "application/x-www-form-urlencoded", "tag=a&tag=b", ACCEPT_JSON);
	assert_int_equal(status_of(r), 200); /* PARAM_MULTI */
	free(r);
}

static void a_body_of_another_type_is_a_415_on_any_route_that_reads_one(void **state)
{
	(void)state;
	char *r = post("/undeclared", "text/plain; charset=utf-8", "hours=6", ACCEPT_JSON);
	assert_int_equal(status_of(r), 415);
	assert_string_equal(header_of(r, "Accept-Post"),
			    "application/x-www-form-urlencoded, application/json");
	json_t *p = json_of(r);
	assert_string_equal(json_string_value(json_object_get(p, "detail")),
			    "Send the data as a form (application/x-www-form-urlencoded) or as JSON "
			    "(application/json); this request sent text/plain.");
	json_decref(p);
	free(r);
	const char *bare = "POST /typed HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
			   "Accept: application/json\r\nContent-Length: 9\r\n\r\nhours_1=6";
	r = exchange(bare, strlen(bare));
	assert_int_equal(status_of(r), 415);
	p = json_of(r);
	assert_non_null(strstr(json_string_value(json_object_get(p, "detail")),
			       "did not say what it sent (no Content-Type header)"));
	json_decref(p);
	free(r);
	r = post("/undeclared", "application/x-www-form-urlencoded", "", ACCEPT_JSON);
	assert_int_equal(status_of(r), 200); /* no body, nothing to refuse */
	free(r);
}

static void own_errors_routes_see_the_errors_themselves(void **state)
{
	(void)state;
	char *r = post("/own", "application/x-www-form-urlencoded", "pupils=x", ACCEPT_JSON);
	assert_int_equal(status_of(r), 200);
	assert_string_equal(body_of(r), "{\"had_errors\":true}");
	free(r);
}

static void query_parameters_are_validated_for_get(void **state)
{
	(void)state;
	char *r = get("/search?q=caf%C3%A9+bar&page=3", ACCEPT_JSON);
	assert_int_equal(status_of(r), 200);
	assert_string_equal(body_of(r), "{\"q\":\"caf\xc3\xa9 bar\",\"page\":3}");
	free(r);
	r = get("/search?page=0", ACCEPT_JSON);
	assert_int_equal(status_of(r), 400);
	free(r);
}

static void a_form_body_arriving_in_pieces_is_parsed_whole(void **state)
{
	(void)state;
	const char *pieces[] = {"na", "me=A%C", "3%B4n&pu", "pils", "=4", "2"};
	size_t total = 0;
	for (size_t i = 0; i < ARRAY_LEN(pieces); i++)
		total += strlen(pieces[i]);
	int fd = connect_to(port);
	char head[512];
	int n = snprintf(head, sizeof(head),
			 "POST /form HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAccept: application/json\r\n"
			 "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n",
			 total);
	assert_true(send_all(fd, head, (size_t)n));
	for (size_t i = 0; i < ARRAY_LEN(pieces); i++) {
		struct timespec ts = {0, 60 * 1000 * 1000};
		nanosleep(&ts, NULL);
		assert_true(send_all(fd, pieces[i], strlen(pieces[i])));
	}
	char *r = read_all(fd);
	close(fd);
	assert_int_equal(status_of(r), 200);
	assert_string_equal(body_of(r), "{\"name\":\"A\xc3\xb4n\",\"pupils\":42}");
	free(r);
}

static void a_chunked_form_body_is_parsed(void **state)
{
	(void)state;
	const char *req = "POST /form HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
			  "Accept: application/json\r\nTransfer-Encoding: chunked\r\n"
			  "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
			  "5\r\nname=\r\n3\r\nBob\r\n0\r\n\r\n";
	char *r = exchange(req, strlen(req));
	assert_int_equal(status_of(r), 200);
	assert_string_equal(body_of(r), "{\"name\":\"Bob\",\"pupils\":-1}");
	free(r);
}

static void a_body_declared_over_the_limit_is_a_413_before_reading(void **state)
{
	(void)state;
	int fd = connect_to(port);
	const char *head = "POST /form HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAccept: application/json\r\n"
			   "Content-Type: application/x-www-form-urlencoded\r\n"
			   "Content-Length: 2097152\r\n\r\n";
	assert_true(send_all(fd, head, strlen(head)));
	/* No body sent: the answer must come from the headers alone. */
	char *r = read_all(fd);
	close(fd);
	assert_int_equal(status_of(r), 413);
	json_t *p = json_of(r);
	assert_non_null(strstr(json_string_value(json_object_get(p, "detail")), "1 MiB"));
	json_decref(p);
	free(r);
}

static void a_chunked_body_over_the_limit_is_a_413(void **state)
{
	(void)state;
	int fd = connect_to(port);
	const char *head = "POST /form HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAccept: application/json\r\n"
			   "Content-Type: application/x-www-form-urlencoded\r\n"
			   "Transfer-Encoding: chunked\r\n\r\n";
	assert_true(send_all(fd, head, strlen(head)));
	static char chunk[65536 + 16];
	int n = snprintf(chunk, sizeof(chunk), "10000\r\n");
	memset(chunk + n, 'a', 65536);
	memcpy(chunk + n + 65536, "\r\n", 2);
	size_t clen = (size_t)n + 65536 + 2;
	for (int i = 0; i < 32; i++) /* 2 MiB */
		if (!send_all(fd, chunk, clen))
			break;
	send_all(fd, "0\r\n\r\n", 5);
	char *r = read_all(fd);
	close(fd);
	assert_int_equal(status_of(r), 413);
	free(r);
}

static void a_raw_body_route_gets_its_upload_in_a_file(void **state)
{
	(void)state;
	size_t n = 2u << 20; /* over the default limit, within the route's 4 MiB */
	struct buf b = BUF_INIT;
	buf_printf(&b, "POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
		       "Content-Type: application/octet-stream\r\nContent-Length: %zu\r\n\r\n", n);
	size_t head = b.len;
	buf_reserve(&b, n);
	memset(b.data + head, 'z', n);
	b.len += n;
	char *r = exchange(b.data, b.len);
	buf_free(&b);
	assert_int_equal(status_of(r), 200);
	assert_string_equal(body_of(r), "{\"len\":2097152,\"file\":true}");
	free(r);
}

/* Send the headers of an upload with Expect: 100-continue and read the server's first answer into resp. */
static int upload_head(const char *path, size_t len, const char *headers, char *resp, size_t size)
{
	int fd = connect_to(port);
	char head[512];
	snprintf(head, sizeof(head),
		 "POST %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAccept: application/json\r\n"
		 "Content-Type: application/octet-stream\r\nContent-Length: %zu\r\nExpect: 100-continue\r\n%s\r\n",
		 path, len, headers ? headers : "");
	assert_true(send_all(fd, head, strlen(head)));
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	assert_int_equal(poll(&pfd, 1, 10000), 1);
	ssize_t r = recv(fd, resp, size - 1, 0);
	assert_true(r > 0);
	resp[r] = '\0';
	return fd;
}

static void a_gate_refuses_an_upload_before_its_body_is_read(void **state)
{
	(void)state;
	atomic_store(&gated_handled, 0);
	char resp[4096];
	/* 60 MiB declared, not a byte of it sent: the answer comes from the headers alone. */
	int fd = upload_head("/gated-upload", 60u << 20, NULL, resp, sizeof(resp));
	char *rest = read_all(fd);
	close(fd);
	struct buf all = BUF_INIT;
	buf_puts(&all, resp);
	buf_puts(&all, rest);
	free(rest);
	assert_int_equal(status_of(all.data), 401);
	json_t *p = json_of(all.data);
	assert_string_equal(json_string_value(json_object_get(p, "detail")), "Sign in before uploading.");
	json_decref(p);
	buf_free(&all);
	assert_int_equal(atomic_load(&gated_handled), 0);
}

static void a_gate_refusing_without_a_response_gives_its_status(void **state)
{
	(void)state;
	char resp[4096];
	int fd = upload_head("/gated-upload", 60u << 20, "X-Silent: 1\r\n", resp, sizeof(resp));
	close(fd);
	assert_int_equal(status_of(resp), 403);
}

static void a_gate_that_lets_in_leads_to_the_handler_with_the_body(void **state)
{
	(void)state;
	atomic_store(&gated_handled, 0);
	char resp[4096];
	size_t n = 3u << 20;
	int fd = upload_head("/gated-upload", n, "X-Let-In: 1\r\n", resp, sizeof(resp));
	assert_int_equal(status_of(resp), 100);
	char *body = xmalloc(n);
	memset(body, 'q', n);
	assert_true(send_all(fd, body, n));
	free(body);
	char *r = read_all(fd);
	close(fd);
	/* The 100 Continue may have come in one piece with the answer or before it. */
	const char *final = strstr(r, "HTTP/1.1 200") ? strstr(r, "HTTP/1.1 200") : strstr(resp + 4, "HTTP/1.1 200");
	assert_non_null(final);
	assert_non_null(strstr(final, "{\"len\":3145728,\"file\":true}"));
	free(r);
	assert_int_equal(atomic_load(&gated_handled), 1);
}

static void uploads_past_the_bound_get_a_503_with_retry_after(void **state)
{
	(void)state;
	/* The fixture's server takes 2 uploads at once: two that have been told to continue hold both. */
	char resp[4096];
	int a = upload_head("/upload", 1024, NULL, resp, sizeof(resp));
	assert_int_equal(status_of(resp), 100);
	int b = upload_head("/gated-upload", 1024, "X-Let-In: 1\r\n", resp, sizeof(resp));
	assert_int_equal(status_of(resp), 100);
	int c = upload_head("/upload", 1024, NULL, resp, sizeof(resp));
	char *rest = read_all(c);
	close(c);
	struct buf all = BUF_INIT;
	buf_puts(&all, resp);
	buf_puts(&all, rest);
	free(rest);
	assert_int_equal(status_of(all.data), 503);
	assert_string_equal(header_of(all.data, "Retry-After"), "30");
	json_t *p = json_of(all.data);
	assert_non_null(strstr(json_string_value(json_object_get(p, "detail")), "try again in a minute"));
	json_decref(p);
	buf_free(&all);
	/* A form is no upload: it is served meanwhile. */
	char *r = post("/form", "application/x-www-form-urlencoded", "name=Ann", ACCEPT_JSON);
	assert_int_equal(status_of(r), 200);
	free(r);
	char body[1024];
	memset(body, 'u', sizeof(body));
	for (int fd = a, i = 0; i < 2; fd = b, i++) {
		assert_true(send_all(fd, body, sizeof(body)));
		r = read_all(fd);
		close(fd);
		assert_non_null(strstr(r, "HTTP/1.1 200"));
		free(r);
	}
	/* Both finished and their slots are free again (released as each request completes). */
	int status = 0;
	for (int i = 0; i < 100 && status != 100; i++) {
		c = upload_head("/upload", 16, NULL, resp, sizeof(resp));
		status = status_of(resp);
		if (status != 100) {
			close(c);
			struct timespec ts = {0, 20 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	assert_int_equal(status, 100);
	assert_true(send_all(c, "0123456789abcdef", 16));
	r = read_all(c);
	close(c);
	assert_non_null(strstr(r, "{\"len\":16,\"file\":true}"));
	free(r);
}

static void a_gate_for_a_route_that_does_not_exist_stops_start_up(void **state)
{
	(void)state;
	const struct route_gate stray[] = {{HTTP_PUT, "/gated-upload", gate_upload}, {HTTP_GET, NULL, NULL}};
	const struct route_gate *const list[] = {stray, NULL};
	struct http_hooks h = hooks;
	h.gates = list;
	struct http_server_opts opts = {.addr = "127.0.0.1", .port = 0, .threads = 1};
	struct http_server *srv = NULL;
	char err[256] = "";
	assert_int_equal(http_server_start(&srv, &opts, tables, &h, err, sizeof(err)), ERR_INVALID);
	assert_null(srv);
	assert_string_equal(err, "gate for PUT /gated-upload: there is no such route");
}

static void an_over_long_url_is_a_414(void **state)
{
	(void)state;
	char *path = xmalloc(9001);
	path[0] = '/';
	memset(path + 1, 'a', 8999);
	path[9000] = '\0';
	char *r = get(path, ACCEPT_JSON);
	free(path);
	assert_int_equal(status_of(r), 414);
	assert_string_equal(header_of(r, "Content-Type"), "application/problem+json");
	free(r);
}

static void a_huge_url_is_still_a_4xx(void **state)
{
	(void)state;
	char *path = xmalloc(200001);
	path[0] = '/';
	memset(path + 1, 'a', 199999);
	path[200000] = '\0';
	char *r = get(path, NULL);
	free(path);
	int s = status_of(r);
	assert_true(s >= 400 && s < 500);
	free(r);
}

static void large_headers_are_a_431(void **state)
{
	(void)state;
	struct buf h = BUF_INIT;
	buf_puts(&h, "X-Big: ");
	for (int i = 0; i < 20000; i++)
		buf_putc(&h, 'b');
	buf_puts(&h, "\r\n");
	char *r = get("/", buf_str(&h));
	buf_free(&h);
	assert_int_equal(status_of(r), 431);
	assert_security_headers(r);
	free(r);
}

static void a_giant_header_is_a_4xx_not_a_crash(void **state)
{
	(void)state;
	struct buf h = BUF_INIT;
	buf_puts(&h, "X-Giant: ");
	for (int i = 0; i < 300000; i++)
		buf_putc(&h, 'g');
	buf_puts(&h, "\r\n");
	char *r = get("/", buf_str(&h));
	buf_free(&h);
	int s = status_of(r);
	assert_true(s >= 400 && s < 500);
	free(r);
	/* And the server still answers. */
	r = get("/", NULL);
	assert_int_equal(status_of(r), 200);
	free(r);
}

static void malformed_percent_encoding_in_the_path_is_a_400(void **state)
{
	(void)state;
	const char *bad[] = {"/schools/%zz", "/a%", "/a%4", "/a%00b", "/caf%C3", "/x%C0%AF"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		char *r = get(bad[i], ACCEPT_JSON);
		assert_int_equal(status_of(r), 400);
		free(r);
	}
	char *r = get("/schools/%zz", ACCEPT_JSON);
	json_t *p = json_of(r);
	assert_string_equal(json_string_value(json_object_get(p, "detail")),
			    "The address contains malformed percent-encoding.");
	json_decref(p);
	free(r);
}

static void malformed_percent_encoding_in_the_query_is_a_400(void **state)
{
	(void)state;
	const char *bad[] = {"/search?q=%zz", "/search?q=%", "/search?q=%4", "/search?q=%00",
			     "/search?q=%FF", "/search?q=%E0%80%AF"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		char *r = get(bad[i], ACCEPT_JSON);
		assert_int_equal(status_of(r), 400);
		free(r);
	}
	char *r = get("/search?q=%zz", ACCEPT_JSON);
	json_t *p = json_of(r);
	assert_string_equal(json_string_value(json_object_get(p, "detail")),
			    "The address contains malformed percent-encoding.");
	json_decref(p);
	free(r);
}

static void an_unknown_method_is_a_501(void **state)
{
	(void)state;
	const char *req = "BREW / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAccept: application/json\r\n\r\n";
	char *r = exchange(req, strlen(req));
	assert_int_equal(status_of(r), 501);
	json_t *p = json_of(r);
	assert_non_null(strstr(json_string_value(json_object_get(p, "detail")), "BREW"));
	json_decref(p);
	free(r);
}

static void a_handler_error_without_a_response_becomes_its_status(void **state)
{
	(void)state;
	char *r = get("/missing", ACCEPT_JSON);
	assert_int_equal(status_of(r), 404);
	free(r);
}

static void a_500_shows_only_the_request_id(void **state)
{
	(void)state;
	char *r = get("/broken", ACCEPT_JSON);
	assert_int_equal(status_of(r), 500);
	json_t *p = json_of(r);
	const char *id = json_string_value(json_object_get(p, "request_id"));
	assert_non_null(id);
	assert_non_null(strstr(json_string_value(json_object_get(p, "detail")), id));
	json_decref(p);
	free(r);
	r = get("/leaky", ACCEPT_JSON);
	assert_int_equal(status_of(r), 500);
	assert_null(strstr(r, "sqlite"));
	free(r);
}

static void a_failing_render_is_a_500(void **state)
{
	(void)state;
	char *r = get("/bad-template", NULL);
	assert_int_equal(status_of(r), 500);
	assert_non_null(strstr(body_of(r), "status:500"));
	free(r);
}

static void request_ids_differ_between_requests(void **state)
{
	(void)state;
	char *a = get("/", NULL);
	char *b = get("/", NULL);
	char id[64];
	snprintf(id, sizeof(id), "%s", header_of(a, "X-Request-Id"));
	assert_true(strlen(id) > 0);
	assert_string_not_equal(id, header_of(b, "X-Request-Id"));
	free(a);
	free(b);
}

static void cookies_are_read_and_set(void **state)
{
	(void)state;
	char *r = get("/cookie", "Cookie: theme=dark; sid=old-value\r\n");
	assert_int_equal(status_of(r), 200);
	assert_string_equal(body_of(r), "{\"seen\":\"old-value\"}");
	assert_string_equal(header_of(r, "Set-Cookie"),
			    "sid=abc123; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax");
	assert_null(strstr(r, "bad="));
	free(r);
}

static void a_redirect_has_a_location(void **state)
{
	(void)state;
	char *r = get("/go", NULL);
	assert_int_equal(status_of(r), 303);
	assert_string_equal(header_of(r, "Location"), "/");
	assert_security_headers(r);
	free(r);
}

static void a_handler_may_set_its_own_cache_control(void **state)
{
	(void)state;
	char *r = get("/cached", NULL);
	assert_string_equal(header_of(r, "Cache-Control"), "private, max-age=60");
	free(r);
}

static void a_static_file_is_served_with_type_etag_and_caching(void **state)
{
	(void)state;
	char *r = get("/static/css/site.css", NULL);
	assert_int_equal(status_of(r), 200);
	assert_string_equal(header_of(r, "Content-Type"), "text/css; charset=utf-8");
	assert_string_equal(header_of(r, "Cache-Control"), "public, max-age=3600");
	assert_non_null(header_of(r, "ETag"));
	assert_string_equal(body_of(r), "body { color: #123; }\n");
	assert_security_headers(r);
	free(r);
}

static void a_matching_etag_gives_a_304(void **state)
{
	(void)state;
	char *r = get("/static/robots.txt", NULL);
	char hdr[200];
	snprintf(hdr, sizeof(hdr), "If-None-Match: \"nope\", %s\r\n", header_of(r, "ETag"));
	free(r);
	r = get("/static/robots.txt", hdr);
	assert_int_equal(status_of(r), 304);
	assert_string_equal(body_of(r), "");
	assert_non_null(header_of(r, "ETag"));
	assert_security_headers(r);
	free(r);
}

static void dotfiles_and_traversal_are_not_found(void **state)
{
	(void)state;
	const char *paths[] = {"/static/.secret", "/static/../meson.build", "/static/css/../robots.txt",
			       "/static/%2e%2e/etc/passwd", "/static/nope.css", "/static/css"};
	for (size_t i = 0; i < ARRAY_LEN(paths); i++) {
		char *r = get(paths[i], NULL);
		assert_int_equal(status_of(r), 404);
		assert_security_headers(r);
		free(r);
	}
}

static void the_before_hook_refuses_ahead_of_field_errors(void **state)
{
	(void)state;
	char *r = post("/form", "application/x-www-form-urlencoded", "pupils=x",
		       "Accept: application/json\r\nX-Csrf-Test: 1\r\n");
	assert_int_equal(status_of(r), 403);
	json_t *p = json_of(r);
	assert_string_equal(json_string_value(json_object_get(p, "detail")),
			    "The form has expired. Reload the page and try again.");
	json_decref(p);
	free(r);
}

static void the_before_hook_reads_undeclared_fields(void **state)
{
	(void)state;
	char *r = post("/form", "application/x-www-form-urlencoded", "name=Ann&csrf=ok",
		       "Accept: application/json\r\nX-Csrf-Test: 1\r\n");
	assert_int_equal(status_of(r), 200);
	free(r);
}

static void the_before_hook_sees_route_flags(void **state)
{
	(void)state;
	char *r = post("/exempt", "application/x-www-form-urlencoded", "name=Ann",
		       "X-Csrf-Test: 1\r\n");
	assert_int_equal(status_of(r), 200);
	assert_string_equal(body_of(r), "exempt");
	free(r);
}

static void a_before_hook_error_without_a_response_becomes_its_status(void **state)
{
	(void)state;
	char *r = get("/", "X-Deny: 1\r\n");
	assert_int_equal(status_of(r), 401);
	free(r);
}

static void handlers_see_the_client_the_app_and_the_user(void **state)
{
	(void)state;
	char *r = get("/who/Ann%20Smith", ACCEPT_JSON);
	assert_int_equal(status_of(r), 200);
	assert_string_equal(body_of(r), "{\"ip\":\"127.0.0.1\",\"app\":\"app-ctx\",\"user\":"
					"\"user-1\",\"path\":\"/who/Ann Smith\"}");
	free(r);
}

static void a_handler_can_report_its_own_field_errors(void **state)
{
	(void)state;
	char *r = post("/custom-400", "application/x-www-form-urlencoded", "", ACCEPT_JSON);
	assert_int_equal(status_of(r), 400);
	json_t *p = json_of(r);
	assert_string_equal(json_string_value(json_object_get(p, "detail")), "Check the dates.");
	assert_string_equal(json_string_value(json_object_get(json_object_get(p, "errors"), "start")),
			    "Start must be before the end");
	json_decref(p);
	free(r);
}

static void keep_alive_serves_several_requests_on_one_connection(void **state)
{
	(void)state;
	int fd = connect_to(port);
	const char *two = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
			  "GET /search?q=a HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n"
			  "Connection: close\r\n\r\n";
	assert_true(send_all(fd, two, strlen(two)));
	char *r = read_all(fd);
	close(fd);
	assert_non_null(strstr(r, "<p>tmpl:home</p>"));
	assert_non_null(strstr(r, "{\"q\":\"a\",\"page\":1}"));
	free(r);
}

/* A slow request on its own connection, read on a thread. */
struct slow_client {
	int port;
	char *response;
};

static void *slow_request(void *arg)
{
	struct slow_client *c = arg;
	int fd = connect_to(c->port);
	const char *req = "GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	send_all(fd, req, strlen(req));
	c->response = read_all(fd);
	close(fd);
	return NULL;
}

static void stopping_waits_for_a_request_in_flight(void **state)
{
	(void)state;
	struct http_server *srv;
	assert_int_equal(start(&srv, NULL), 0);
	atomic_store(&slow_started, 0);
	atomic_store(&slow_finished, 0);
	struct slow_client c = {.port = http_server_port(srv)};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, slow_request, &c), 0);
	while (!atomic_load(&slow_started)) {
		struct timespec ts = {0, 5 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	http_server_stop(srv);
	assert_int_equal(atomic_load(&slow_finished), 1);
	pthread_join(t, NULL);
	assert_int_equal(status_of(c.response), 200);
	assert_string_equal(body_of(c.response), "done");
	free(c.response);
}

static void a_second_server_on_the_same_port_fails_cleanly(void **state)
{
	(void)state;
	struct http_server_opts opts = {.addr = "127.0.0.1", .port = port, .threads = 1};
	struct http_server *srv = NULL;
	char err[256] = "";
	assert_int_equal(http_server_start(&srv, &opts, tables, &hooks, err, sizeof(err)), ERR_IO);
	assert_null(srv);
	assert_non_null(strstr(err, "cannot listen"));
}

static void a_bad_route_table_fails_to_start(void **state)
{
	(void)state;
	const struct route bad[] = {{HTTP_GET, "/{x}/{x}", page_home, NULL, 0, 0},
				    {HTTP_GET, NULL, NULL, NULL, 0, 0}};
	const struct route *const t[] = {bad, NULL};
	struct http_server_opts opts = {.addr = "127.0.0.1", .port = 0, .threads = 1};
	struct http_server *srv = NULL;
	char err[256] = "";
	assert_int_equal(http_server_start(&srv, &opts, t, &hooks, err, sizeof(err)), ERR_INVALID);
	assert_non_null(strstr(err, "/{x}/{x}"));
}

static void an_ipv6_loopback_address_works(void **state)
{
	(void)state;
	struct http_server_opts opts = {.addr = "::1", .port = 0, .threads = 1};
	struct http_server *srv = NULL;
	char err[256] = "";
	if (http_server_start(&srv, &opts, tables, &hooks, err, sizeof(err)) < 0)
		skip(); /* no IPv6 in this sandbox */
	assert_true(http_server_port(srv) > 0);
	http_server_stop(srv);
}

static void status_codes_and_reasons_match(void **state)
{
	(void)state;
	assert_int_equal(http_status_for(ERR_INVALID), 400);
	assert_int_equal(http_status_for(ERR_NOTFOUND), 404);
	assert_int_equal(http_status_for(ERR_FORBIDDEN), 403);
	assert_int_equal(http_status_for(ERR_UNAUTH), 401);
	assert_int_equal(http_status_for(ERR_CONFLICT), 409);
	assert_int_equal(http_status_for(ERR_TOOBIG), 413);
	assert_int_equal(http_status_for(ERR_TOOMANY), 429);
	assert_int_equal(http_status_for(ERR_BUSY), 503);
	assert_int_equal(http_status_for(ERR_DB), 500);
	assert_int_equal(http_status_for(ERR_NOMEM), 500);
	assert_string_equal(http_reason(404), "Not Found");
	assert_string_equal(http_reason(431), "Request Header Fields Too Large");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_page_is_html_by_default),
		cmocka_unit_test(a_page_is_json_when_the_client_prefers_it),
		cmocka_unit_test(a_browser_accept_header_gets_html),
		cmocka_unit_test(an_int_capture_reaches_the_handler),
		cmocka_unit_test(head_gets_the_headers_without_a_body),
		cmocka_unit_test(an_unknown_path_is_a_404_problem),
		cmocka_unit_test(an_unknown_path_is_an_error_page_in_html),
		cmocka_unit_test(a_wrong_method_is_a_405_with_allow),
		cmocka_unit_test(a_non_numeric_int_capture_is_a_400),
		cmocka_unit_test(a_trailing_slash_redirects_with_308),
		cmocka_unit_test(invalid_form_fields_are_a_400_with_field_errors),
		cmocka_unit_test(field_errors_are_listed_on_the_html_error_page),
		cmocka_unit_test(a_valid_form_reaches_the_handler),
		cmocka_unit_test(a_json_body_is_validated_like_a_form),
		cmocka_unit_test(a_json_body_that_is_not_an_object_is_a_400),
		cmocka_unit_test(malformed_json_is_a_400),
		cmocka_unit_test(an_unsupported_body_type_is_a_415),
		cmocka_unit_test(own_errors_routes_see_the_errors_themselves),
		cmocka_unit_test(typed_values_reach_the_handler_in_normal_form),
		cmocka_unit_test(a_json_body_carries_numbers_to_declared_and_undeclared_fields),
		cmocka_unit_test(invalid_pattern_fields_are_a_400_naming_each_field),
		cmocka_unit_test(a_refused_form_can_be_refilled_with_what_was_typed),
		cmocka_unit_test(a_field_given_twice_is_a_400_naming_it_on_every_route),
		cmocka_unit_test(a_body_of_another_type_is_a_415_on_any_route_that_reads_one),
		cmocka_unit_test(query_parameters_are_validated_for_get),
		cmocka_unit_test(a_form_body_arriving_in_pieces_is_parsed_whole),
		cmocka_unit_test(a_chunked_form_body_is_parsed),
		cmocka_unit_test(a_body_declared_over_the_limit_is_a_413_before_reading),
		cmocka_unit_test(a_chunked_body_over_the_limit_is_a_413),
		cmocka_unit_test(a_raw_body_route_gets_its_upload_in_a_file),
		cmocka_unit_test(a_gate_refuses_an_upload_before_its_body_is_read),
		cmocka_unit_test(a_gate_refusing_without_a_response_gives_its_status),
		cmocka_unit_test(a_gate_that_lets_in_leads_to_the_handler_with_the_body),
		cmocka_unit_test(uploads_past_the_bound_get_a_503_with_retry_after),
		cmocka_unit_test(a_gate_for_a_route_that_does_not_exist_stops_start_up),
		cmocka_unit_test(an_over_long_url_is_a_414),
		cmocka_unit_test(a_huge_url_is_still_a_4xx),
		cmocka_unit_test(large_headers_are_a_431),
		cmocka_unit_test(a_giant_header_is_a_4xx_not_a_crash),
		cmocka_unit_test(malformed_percent_encoding_in_the_path_is_a_400),
		cmocka_unit_test(malformed_percent_encoding_in_the_query_is_a_400),
		cmocka_unit_test(an_unknown_method_is_a_501),
		cmocka_unit_test(a_handler_error_without_a_response_becomes_its_status),
		cmocka_unit_test(a_500_shows_only_the_request_id),
		cmocka_unit_test(a_failing_render_is_a_500),
		cmocka_unit_test(request_ids_differ_between_requests),
		cmocka_unit_test(cookies_are_read_and_set),
		cmocka_unit_test(a_redirect_has_a_location),
		cmocka_unit_test(a_handler_may_set_its_own_cache_control),
		cmocka_unit_test(a_static_file_is_served_with_type_etag_and_caching),
		cmocka_unit_test(a_matching_etag_gives_a_304),
		cmocka_unit_test(dotfiles_and_traversal_are_not_found),
		cmocka_unit_test(the_before_hook_refuses_ahead_of_field_errors),
		cmocka_unit_test(the_before_hook_reads_undeclared_fields),
		cmocka_unit_test(the_before_hook_sees_route_flags),
		cmocka_unit_test(a_before_hook_error_without_a_response_becomes_its_status),
		cmocka_unit_test(handlers_see_the_client_the_app_and_the_user),
		cmocka_unit_test(a_handler_can_report_its_own_field_errors),
		cmocka_unit_test(keep_alive_serves_several_requests_on_one_connection),
		cmocka_unit_test(stopping_waits_for_a_request_in_flight),
		cmocka_unit_test(a_second_server_on_the_same_port_fails_cleanly),
		cmocka_unit_test(a_bad_route_table_fails_to_start),
		cmocka_unit_test(an_ipv6_loopback_address_works),
		cmocka_unit_test(status_codes_and_reasons_match),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
