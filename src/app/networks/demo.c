// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * demo.c — `tandem demo`: a demonstration network on top of the shipped
 * register sample (data/demo/), for `make demo`. It creates the Aire Valley
 * Learning Partnership of twelve real open schools in north-west Leeds,
 * their strengths and needs (invented for the demonstration, and the
 * network's description says so), and an account for each role, then
 * prints how to sign in. Running it again changes nothing: every step looks
 * for what it would create first.
 *
 * It goes through the same model functions as the pages, acting as the demo
 * administrator, so the demo exercises the real rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/accounts/accounts.h"
#include "app/broker/model.h"
#include "app/cli.h"
#include "app/networks/net.h"
#include "app/networks/networks.h"
#include "app/practice/casestudy.h"
#include "app/programme/programme.h"
#include "app/reports/reports.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/util.h"
#include "db/db.h"

#define DEMO_NETWORK "Aire Valley Learning Partnership"
#define DEMO_SLUG "aire-valley-learning-partnership"
/* Every demo account has this password; fine for a demo on a laptop, never for real use. */
#define DEMO_PASSWORD "aire-valley-demo"

/*
 * The member schools: four secondaries and nine primaries within a few km of
 * each other. Adel Primary is among the schools the similar-schools finder
 * puts first for Weetwood, and each has a strength the other needs, so the
 * demo can show a partnership from finding a partner to running it.
 */
static const int64_t demo_schools[] = {
	108055, /* Lawnswood School */
	137083, /* Abbey Grange Church of England Academy */
	108075, /* Ralph Thoresby School */
	139646, /* Leeds City Academy */
	107897, /* Weetwood Primary School */
	107896, /* Ireland Wood Primary School */
	107886, /* Iveson Primary School */
	107894, /* Cookridge Primary School */
	107883, /* Beecroft Primary School */
	107887, /* Kirkstall Valley Primary School */
	107885, /* Brudenell Primary School */
	107893, /* Hawksworth Wood Primary School */
	107892, /* Adel Primary School */
};

/* A demo account. */
struct demo_person {
	const char *key;       /* for contacts below */
	const char *email;
	const char *name;
	int64_t urn;           /* 0: no school */
	enum school_role role;
	bool admin;
	const char *label;     /* what the printout calls the role */
};

static const struct demo_person demo_people[] = {
	{"admin", "admin@tandem.example", "Ada Administrator", 0, SCHOOL_ROLE_NONE, true, "administrator"},
	{"coord", "coordinator@tandem.example", "Cora Coordinator", 0, SCHOOL_ROLE_NONE, false,
	 "network coordinator"},
	{"lead1", "lead.weetwood@tandem.example", "Lee Lead", 107897, SCHOOL_ROLE_LEAD, false, "school lead"},
	{"lead2", "lead.lawnswood@tandem.example", "Leah Lead", 108055, SCHOOL_ROLE_LEAD, false, "school lead"},
	{"lead3", "lead.adel@tandem.example", "Ade Lead", 107892, SCHOOL_ROLE_LEAD, false, "school lead"},
	{"staff", "staff.weetwood@tandem.example", "Sam Staff", 107897, SCHOOL_ROLE_STAFF, false, "staff member"},
	{"gov", "governor.weetwood@tandem.example", "Gwen Governor", 107897, SCHOOL_ROLE_GOVERNOR, false,
	 "governor"},
};

/* A strength (priority NULL) or a need (evidence NULL). */
struct demo_item {
	int64_t urn;
	bool need;
	const char *theme;
	const char *summary;
	const char *evidence;
	const char *priority;
	const char *contact; /* demo_person key, or NULL */
};

static const struct demo_item demo_items[] = {
	{107897, false, "reading",
	 "Systematic phonics from Reception, with daily catch-up for any child who falls behind.",
	 "Year 1 phonics screening passes rose from 78% to 92% over three years; the lowest 20% of readers "
	 "now make the same progress as their peers.", NULL, "lead1"},
	{107897, false, "early years", "Outdoor learning in the Early Years Foundation Stage all year round.",
	 "More children reach a good level of development in physical development and "
	 "communication; staff from two schools have visited.", NULL, "staff"},
	{107897, true, "maths", "Reasoning in upper Key Stage 2 maths lags behind fluency.", NULL, "high", NULL},
	{107897, true, "EAL", "Welcoming pupils who arrive mid-year with little English.", NULL, "medium", NULL},
	{107897, true, "governance", "Governors who challenge the curriculum as well as the budget.", NULL, "low", NULL},
	{108055, false, "transition", "A Year 6 to Year 7 transition programme run with our feeder primaries.",
	 "Attendance in the first term of Year 7 is two points above the year group's Year 6 figure; "
	 "fewer than 5% of pupils report worries about moving up by October.", NULL, "lead2"},
	{108055, false, "SEND", "A resourced provision team that coaches class teachers in adaptive teaching.",
	 "Pupils with an EHC plan made progress in line with their peers in English and maths last year.",
	 NULL, "lead2"},
	{108055, true, "attendance", "Persistent absence in Year 9 and Year 10.", NULL, "high", NULL},
	{108055, true, "assessment", "Knowing what Year 7 pupils remember from their primary schools.", NULL, "medium",
	 NULL},
	{137083, false, "curriculum", "A knowledge-rich Key Stage 3 humanities curriculum, shared with its resources.",
	 "Uptake of GCSE history and geography grew by a third in two years.", NULL, NULL},
	{137083, true, "wellbeing", "Staff workload around marking and feedback.", NULL, "medium", NULL},
	{108075, false, "maths", "Maths mastery in Key Stage 3, with a specialist who can visit primaries.",
	 "Year 7 pupils who joined below the expected standard closed half the gap by the end of Year 8.",
	 NULL, NULL},
	{108075, true, "reading", "Reading for pleasure in Key Stage 3.", NULL, "medium", NULL},
	{108075, true, "wellbeing", "Calm starts to the day for pupils who arrive anxious.", NULL, "medium", NULL},
	{139646, false, "disadvantage", "Targeted tutoring and a breakfast club for disadvantaged pupils.",
	 "The attainment gap for disadvantaged pupils in English narrowed by 0.4 grades over two years.",
	 NULL, NULL},
	{139646, true, "behaviour", "A consistent approach to behaviour in corridors and at social times.", NULL,
	 "high", NULL},
	{107896, false, "behaviour", "A relational behaviour policy that cut exclusions to none in two years.",
	 "No suspensions in the last two years, from eleven before; pupil voice surveys show pupils feel safe.",
	 NULL, NULL},
	{107896, true, "reading", "Early reading for pupils who join in Key Stage 2 unable to decode.", NULL, "high",
	 NULL},
	{107896, true, "disadvantage", "Spending the pupil premium on what makes the most difference.", NULL, "medium",
	 NULL},
	{107886, false, "attendance", "A family support worker who follows up every first day of absence.",
	 "Persistent absence fell from 19% to 11% in two years.", NULL, NULL},
	{107886, true, "SEND", "Support for a growing number of pupils with speech and language needs.", NULL,
	 "high", NULL},
	{107886, true, "leadership", "Growing middle leaders in a school where most staff teach every subject.", NULL,
	 "medium", NULL},
	{107894, false, "governance", "A governing board that runs an annual skills audit and succession plan.",
	 "All governor vacancies were filled within a term; the board's training plan is shared with two "
	 "other schools.", NULL, NULL},
	{107894, true, "early years", "Developing communication and language in Nursery.", NULL, "medium", NULL},
	{107883, false, "EAL", "Induction for new arrivals with little English, with a bilingual assistant.",
	 "New arrivals take part in class within six weeks on average; families join a weekly coffee morning.",
	 NULL, NULL},
	{107883, true, "assessment", "Moderating writing across Key Stage 2 with other schools.", NULL, "low", NULL},
	{107887, false, "wellbeing", "Daily check-ins and a nurture room for pupils who find mornings hard.",
	 "Incidents before 10am halved in a year; pupils use the nurture room less as the year goes on.", NULL,
	 NULL},
	{107887, true, "maths", "Times-tables fluency by the end of Year 4.", NULL, "high", NULL},
	{107887, true, "curriculum", "Sequencing history and geography so pupils build on what they learnt.", NULL,
	 "low", NULL},
	{107885, false, "assessment", "Low-stakes quizzing in the foundation subjects, with a shared question bank.",
	 "Pupils recall more of what they learnt last term in history and science, in our own end-of-year "
	 "checks.", NULL, NULL},
	{107885, true, "transition", "Preparing pupils for the move to secondary school.", NULL, "medium", NULL},
	{107885, true, "EAL", "Families who speak little English taking part in school life.", NULL, "medium", NULL},
	{107893, false, "leadership", "Middle leaders who lead subjects across a small staff, with a coaching model.",
	 "Every subject has a named leader with an action plan; two middle leaders gained the NPQ in leading "
	 "teaching.", NULL, NULL},
	{107893, true, "attendance", "Punctuality in the mornings.", NULL, "medium", NULL},
	{107893, true, "reading", "A library and reading culture across the school.", NULL, "low", NULL},
	{107892, false, "maths", "Reasoning in Key Stage 2 maths, taught through a daily problem and talk partners.",
	 "Year 6 pupils working at greater depth in maths rose from 18% to 31% in three years.", NULL, "lead3"},
	{107892, true, "reading", "Phonics catch-up for the lowest 20% of readers in Year 1 and Year 2.", NULL, "high",
	 NULL},
};

/* The id of the demo person with key, or 0. */
static int64_t person_id(const int64_t *ids, const char *key)
{
	for (size_t i = 0; key && i < ARRAY_LEN(demo_people); i++)
		if (strcmp(demo_people[i].key, key) == 0)
			return ids[i];
	return 0;
}

DB_QUERY(Q_DEMO_IN_REGISTER, "SELECT COUNT(*) FROM school WHERE urn = ? AND status_code IN ('1', '3')");
DB_QUERY(Q_DEMO_HAS_ITEMS,
	 "SELECT (SELECT COUNT(*) FROM strength WHERE network_id = ?1 AND urn = ?2) + "
	 "(SELECT COUNT(*) FROM need WHERE network_id = ?1 AND urn = ?2)");
DB_QUERY(Q_DEMO_ROLE_ADD,
	 "INSERT INTO network_role (network_id, person_id, role, added_at) SELECT ?1, ?2, ?3, ?4 "
	 "WHERE NOT EXISTS (SELECT 1 FROM network_role WHERE network_id = ?1 AND person_id = ?2 AND role = ?3)");
DB_QUERY(Q_DEMO_COUNTS,
	 "SELECT (SELECT COUNT(*) FROM network_school WHERE network_id = ?1), "
	 "(SELECT COUNT(*) FROM strength WHERE network_id = ?1), (SELECT COUNT(*) FROM need WHERE network_id = ?1)");

static int64_t count_of(struct db *db, const struct db_query *q, int64_t a, int64_t b)
{
	struct db_stmt *st = db_stmt(db, q);
	int64_t n = -1;
	if (st && !db_bind_int(st, 1, a) && (b < 0 || !db_bind_int(st, 2, b)) && db_step(st) == DB_ROW)
		n = db_col_int(st, 0);
	if (st)
		db_reset(st);
	return n;
}

/* Create the demo accounts that do not exist yet; ids[i] gets each one's id. */
static int demo_accounts(struct db *db, int64_t *ids)
{
	for (size_t i = 0; i < ARRAY_LEN(demo_people); i++) {
		const struct demo_person *p = &demo_people[i];
		if (accounts_find_by_email(db, p->email, &ids[i]) == 0)
			continue;
		char msg[256] = "";
		int rc = accounts_create(db, p->email, p->name, DEMO_PASSWORD, p->urn, p->role, p->admin, &ids[i], msg,
					 sizeof(msg));
		if (rc) {
			fprintf(stderr, "tandem demo: cannot create %s: %s\n", p->email, *msg ? msg : err_str(rc));
			return rc;
		}
	}
	return 0;
}

/* Add the role unless the person has it. */
static int demo_role(struct db *db, struct arena *a, int64_t network_id, int64_t person, const char *role)
{
	struct db_stmt *st = db_stmt(db, &Q_DEMO_ROLE_ADD);
	if (!st || db_bind_int(st, 1, network_id) || db_bind_int(st, 2, person) || db_bind_text(st, 3, role) ||
	    db_bind_text(st, 4, net_now_iso(a, clock_now())))
		return ERR_DB;
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Build (or find) the network; everything else in demo_run. */
static int demo_network(struct db *db, struct arena *a, const int64_t *ids, struct network *net,
			struct net_access *acc)
{
	/* Act as the demo administrator: the model's rules still apply. */
	struct user admin = {.id = person_id(ids, "admin"), .name = "Ada Administrator", .is_admin = true};
	int rc = net_open(db, a, &admin, DEMO_SLUG, net, acc);
	if (rc == ERR_NOTFOUND) {
		struct user coord = {.id = person_id(ids, "coord"), .name = "Cora Coordinator"};
		struct net_access none;
		net_access_none(&coord, &none);
		json_t *errors = json_object();
		const char *slug;
		rc = net_create(db, a, &none, DEMO_NETWORK,
				"Twelve primary and secondary schools in north-west Leeds, along the Aire valley, "
				"that share what they do well and help each other with what they find hard.\n\n"
				"This is demonstration data: the schools are real (from the DfE register), but "
				"their strengths and needs are invented to show how Tandem works.",
				"Leeds, Yorkshire and the Humber", true, errors, &slug);
		json_decref(errors);
		if (rc == 0 && strcmp(slug, DEMO_SLUG) != 0)
			fprintf(stderr, "tandem demo: the network was created as %s\n", slug);
		if (rc == 0)
			rc = net_open(db, a, &admin, slug, net, acc);
	}
	return rc;
}

int networks_cli_demo(struct cli *cli)
{
	struct db *db;
	char err[1024];
	if (db_open(&db, cli->config->db_path, err, sizeof(err))) {
		fprintf(stderr, "tandem demo: %s\n", err);
		return 1;
	}
	char *sqldir = config_share_path(cli->config, "sql");
	int rc = db_migrate(db, sqldir, NULL, err, sizeof(err));
	free(sqldir);
	if (rc) {
		fprintf(stderr, "tandem demo: %s\n", err);
		db_close(db);
		return 1;
	}
	if (accounts_init(cli->config, err, sizeof(err))) {
		fprintf(stderr, "tandem demo: %s\n", err);
		db_close(db);
		return 1;
	}
	int status = 1;
	struct arena *a = arena_new();
	size_t present = 0;
	for (size_t i = 0; i < ARRAY_LEN(demo_schools); i++)
		present += count_of(db, &Q_DEMO_IN_REGISTER, demo_schools[i], -1) > 0;
	if (present == 0) {
		fprintf(stderr, "tandem demo: none of the demo schools is in the register. Import it first:\n"
				"  tandem import-gias --db %s data/demo/edubasealldata20250502-demo.csv.gz\n",
			cli->config->db_path);
		goto out;
	}
	int64_t ids[ARRAY_LEN(demo_people)] = {0};
	struct network net;
	struct net_access acc;
	if ((rc = demo_accounts(db, ids)) || (rc = demo_network(db, a, ids, &net, &acc))) {
		fprintf(stderr, "tandem demo: %s\n", err_str(rc));
		goto out;
	}
	for (size_t i = 0; i < ARRAY_LEN(demo_schools); i++) {
		if (net_has_school(db, net.id, demo_schools[i]))
			continue;
		json_t *errors = json_object();
		struct user admin = {.id = acc.person_id, .name = "Ada Administrator", .is_admin = true};
		struct net_join_request rq = {.urn = demo_schools[i], .net = &net, .actor = &admin};
		enum net_join how;
		rc = net_school_add(db, a, &acc, &rq, errors, &how);
		if (rc)
			fprintf(stderr, "tandem demo: school %lld left out: %s\n", (long long)demo_schools[i],
				json_object_size(errors) ? json_string_value(json_object_iter_value(json_object_iter(errors)))
							 : err_str(rc));
		json_decref(errors);
	}
	if ((rc = demo_role(db, a, net.id, person_id(ids, "coord"), "coordinator")) ||
	    (rc = demo_role(db, a, net.id, person_id(ids, "lead2"), "steering"))) {
		fprintf(stderr, "tandem demo: %s\n", err_str(rc));
		goto out;
	}
	/* Strengths and needs, for each school that has none yet. */
	for (size_t i = 0; i < ARRAY_LEN(demo_schools); i++) {
		int64_t urn = demo_schools[i];
		if (!net_has_school(db, net.id, urn) || count_of(db, &Q_DEMO_HAS_ITEMS, net.id, urn) != 0)
			continue;
		for (size_t j = 0; j < ARRAY_LEN(demo_items); j++) {
			const struct demo_item *d = &demo_items[j];
			if (d->urn != urn)
				continue;
			struct net_item it = {.theme = d->theme, .summary = d->summary, .evidence = d->evidence,
					      .priority = d->priority, .contact_id = person_id(ids, d->contact)};
			json_t *errors = json_object();
			rc = net_item_save(db, a, &acc, urn, d->need, 0, &it, errors, NULL);
			json_decref(errors);
			if (rc) {
				fprintf(stderr, "tandem demo: a %s of %lld left out: %s\n", d->need ? "need" : "strength",
					(long long)urn, err_str(rc));
			}
		}
	}
	if ((rc = programme_demo(db, a, &net, &acc)))
		fprintf(stderr, "tandem demo: the programme left out: %s\n", err_str(rc));
	else if (cli_flag(cli, "--history") && (rc = reports_demo(db, net.id)))
		fprintf(stderr, "tandem demo: the impact history left out: %s\n", err_str(rc));
	if ((rc = practice_case_demo(db, a, net.id, net.slug)))
		fprintf(stderr, "tandem demo: the case studies left out: %s\n", err_str(rc));
	/* The broker's proposals, as the coordinator would run it (once). */
	if ((rc = broker_demo(db, a, net.slug, person_id(ids, "coord"))))
		fprintf(stderr, "tandem demo: the broker's proposals left out: %s\n", err_str(rc));

	struct db_stmt *st = db_stmt(db, &Q_DEMO_COUNTS);
	int64_t schools = 0, strengths = 0, needs = 0;
	if (st && !db_bind_int(st, 1, net.id) && db_step(st) == DB_ROW) {
		schools = db_col_int(st, 0);
		strengths = db_col_int(st, 1);
		needs = db_col_int(st, 2);
	}
	if (st)
		db_reset(st);
	printf("Demo network: %s — %lld member schools, %lld strengths, %lld needs\n"
	       "  at /networks/%s\n\n"
	       "Demo accounts (sign in at /sign-in; every password is %s):\n",
	       net.name, (long long)schools, (long long)strengths, (long long)needs, net.slug, DEMO_PASSWORD);
	for (size_t i = 0; i < ARRAY_LEN(demo_people); i++) {
		const struct demo_person *p = &demo_people[i];
		printf("  %-20s %-34s %s%s\n", p->label, p->email, p->name,
		       p->urn == 107897   ? ", Weetwood Primary School"
		       : p->urn == 108055 ? ", Lawnswood School"
		       : p->urn == 107892 ? ", Adel Primary School"
					  : "");
	}
	status = 0;
out:
	arena_free(a);
	db_close(db);
	accounts_shutdown();
	return status;
}
