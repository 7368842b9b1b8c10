// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * agreement.c — the rules of the partnership agreement (see agreement.h).
 *
 * Each section of the agreement has one checker below. A checker reports the
 * values that are wrong (problems) and, when asked for gaps, the things not
 * given yet. agreement_validate runs them all for problems only (what a form
 * refuses); agreement_missing runs them for both, one section at a time, and
 * prefixes each sentence with the section's title (what the agreement page
 * shows). So a value that is wrong also keeps its section incomplete, and the
 * two lists can never disagree about a field.
 *
 * Messages are written as whole sentences with a capital; when one goes
 * after a section title its first letter is lowered unless it begins with a
 * school's name ("Time and resource: Leeds City Academy has not said...").
 *
 * The digest is SHA-256 (libsodium's crypto_hash_sha256, which needs no
 * sodium_init: it uses no random numbers and no CPU dispatch) over a
 * canonical text form: a version tag, then one "key=value" line a field,
 * text as "key=length:bytes", lists as sorted sets of such records.
 */
#include "app/partnerships/agreement.h"

#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/str.h"
#include "core/util.h"

/* ---- keys and labels ---------------------------------------------------- */

/* Keys (stable, for the store, the API and the forms' choices), NULL-terminated, in enum order. */
const char *const agreement_type_keys[AGREEMENT_TYPE__MAX + 1] = {"unset", "one_way", "mutual", "co_creation",
								   NULL};
const char *const agreement_licence_keys[AGREEMENT_LICENCE__MAX + 1] = {"unset", "cc_by", "cc_by_nc_sa",
									 "partners_only", NULL};
const char *const agreement_decision_keys[AGREEMENT_DECISION__MAX + 1] = {"consensus", "majority",
									   "lead_school", NULL};
const char *const agreement_risk_status_keys[AGREEMENT_RISK__MAX + 1] = {"open", "closed", NULL};
static const char *const section_keys[AGREEMENT_SECTION__MAX + 1] = {"purpose", "time", "evidence", "risks",
								      "leadership", NULL};

/* Labels, for people, in enum order. */
static const char *const type_labels[AGREEMENT_TYPE__MAX] = {"Not chosen", "One-way support",
							      "Two-way mutual learning", "Co-creation"};
static const char *const licence_labels[AGREEMENT_LICENCE__MAX] = {"Not chosen", "CC BY 4.0", "CC BY-NC-SA 4.0",
								    "Partners only"};
static const char *const decision_labels[AGREEMENT_DECISION__MAX] = {
	"Consensus", "A majority of the partner schools", "The lead school decides"};
static const char *const section_titles[AGREEMENT_SECTION__MAX] = {"Purpose", "Time and resource", "Evidence",
								    "Risks and governance", "Leadership"};

/* t[v] when v is within the n entries of t, else NULL. */
static const char *pick(const char *const *t, int n, int v)
{
	return v >= 0 && v < n ? t[v] : NULL;
}

/* The index of key in the NULL-terminated keys, or ERR_INVALID. */
static int find_key(const char *const *keys, const char *key)
{
	for (int i = 0; key && keys[i]; i++)
		if (strcmp(keys[i], key) == 0)
			return i;
	return ERR_INVALID;
}

#define PICK(t, v) pick((t), (int)ARRAY_LEN(t), (int)(v))

const char *agreement_type_key(enum agreement_type t) { return PICK(type_labels, t) ? agreement_type_keys[t] : NULL; }
const char *agreement_type_label(enum agreement_type t) { return PICK(type_labels, t); }
const char *agreement_licence_key(enum agreement_licence l)
{
	return PICK(licence_labels, l) ? agreement_licence_keys[l] : NULL;
}
const char *agreement_licence_label(enum agreement_licence l) { return PICK(licence_labels, l); }
const char *agreement_decision_key(enum agreement_decision d)
{
	return PICK(decision_labels, d) ? agreement_decision_keys[d] : NULL;
}
const char *agreement_decision_label(enum agreement_decision d) { return PICK(decision_labels, d); }
const char *agreement_risk_status_key(enum agreement_risk_status s)
{
	return s >= 0 && s < AGREEMENT_RISK__MAX ? agreement_risk_status_keys[s] : NULL;
}
const char *agreement_section_key(enum agreement_section s) { return PICK(section_titles, s) ? section_keys[s] : NULL; }
const char *agreement_section_title(enum agreement_section s) { return PICK(section_titles, s); }

int agreement_type_from_key(const char *key, enum agreement_type *out)
{
	int i = find_key(agreement_type_keys, key);
	if (i >= 0)
		*out = (enum agreement_type)i;
	return i < 0 ? i : 0;
}

int agreement_licence_from_key(const char *key, enum agreement_licence *out)
{
	int i = find_key(agreement_licence_keys, key);
	if (i >= 0)
		*out = (enum agreement_licence)i;
	return i < 0 ? i : 0;
}

int agreement_decision_from_key(const char *key, enum agreement_decision *out)
{
	int i = find_key(agreement_decision_keys, key);
	if (i >= 0)
		*out = (enum agreement_decision)i;
	return i < 0 ? i : 0;
}

int agreement_risk_status_from_key(const char *key, enum agreement_risk_status *out)
{
	int i = find_key(agreement_risk_status_keys, key);
	if (i >= 0)
		*out = (enum agreement_risk_status)i;
	return i < 0 ? i : 0;
}

/* ---- small helpers ------------------------------------------------------ */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* NULL, empty or only white space. */
static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (!is_space(*s))
			return false;
	return true;
}

/* v with thousands separators: "2,000". */
static const char *thousands(char *out, size_t size, int64_t v)
{
	char digits[32];
	snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
	size_t n = strlen(digits), o = 0;
	if (v < 0 && o + 1 < size)
		out[o++] = '-';
	for (size_t i = 0; i < n && o + 2 < size; i++) {
		out[o++] = digits[i];
		if ((n - i - 1) % 3 == 0 && i + 1 < n)
			out[o++] = ',';
	}
	out[o] = '\0';
	return out;
}

/* Whole days since the epoch (floor), so that two times on one UTC day compare equal. */
static int64_t day_of(int64_t t)
{
	return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}

/* A school's name for sentences. */
static const char *school_name(char *buf, size_t size, const struct agreement_school *s)
{
	if (!blank(s->name))
		return s->name;
	snprintf(buf, size, "School URN %lld", (long long)s->urn);
	return buf;
}

/* How a measure or a risk is named in sentences: "the measure “X”", or "impact measure 2". */
static const char *row_ref(char *buf, size_t size, const char *what, const char *numbered, const char *name,
			   size_t index)
{
	/* A long name would swamp the sentence (and could be cut inside a character): number it instead. */
	if (!blank(name) && strlen(name) <= 150 && utf8_valid(name, strlen(name)))
		snprintf(buf, size, "the %s \u201c%s\u201d", what, name);
	else
		snprintf(buf, size, "%s %zu", numbered, index + 1);
	return buf;
}

/* ---- the problem list --------------------------------------------------- */

void agreement_problems_init(struct agreement_problems *p, struct arena *a)
{
	memset(p, 0, sizeof *p);
	p->arena = a;
}

FMT(4, 0)
static void vnote(struct agreement_problems *p, bool named, const char *field, const char *fmt, va_list ap)
{
	if (!p->arena) {
		p->n++;
		return;
	}
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		struct agreement_problem *items = arena_calloc(p->arena, cap, sizeof *items);
		if (p->n)
			memcpy(items, p->items, p->n * sizeof *items);
		p->items = items;
		p->cap = cap;
	}
	char *msg = arena_vprintf(p->arena, fmt, ap);
	if (msg[0] >= 'a' && msg[0] <= 'z')
		msg[0] = (char)(msg[0] - 'a' + 'A');
	p->items[p->n].field = arena_strdup(p->arena, field);
	p->items[p->n].message = msg;
	p->items[p->n].named = named;
	p->n++;
}

/* Add a problem whose message begins with an ordinary word. */
FMT(3, 4)
static void note(struct agreement_problems *p, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vnote(p, false, field, fmt, ap);
	va_end(ap);
}

/* Add a problem whose message begins with a school's name. */
FMT(3, 4)
static void note_named(struct agreement_problems *p, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vnote(p, true, field, fmt, ap);
	va_end(ap);
}

/* 0 when p has not grown since `before`, else ERR_INVALID. */
static int verdict(const struct agreement_problems *p, size_t before)
{
	return p->n == before ? 0 : ERR_INVALID;
}

/* ---- field checks, with the subject named in the message ---------------- */

static void check_text(struct agreement_problems *p, const char *field, const char *label, const char *s,
		       size_t max)
{
	if (!s)
		return;
	size_t n = strlen(s);
	if (!utf8_valid(s, n)) {
		note(p, field, "%s contains characters that are not text; type it again or paste it as plain text.",
		     label);
		return;
	}
	size_t chars = utf8_len(s, n);
	if (chars > max) {
		char a[32], b[32];
		note(p, field, "%s is %s characters long; shorten it to %s or fewer.", label,
		     thousands(a, sizeof a, (int64_t)chars), thousands(b, sizeof b, (int64_t)max));
	}
}

static void check_likelihood(struct agreement_problems *p, const char *field, const char *subject, int v)
{
	if (v < 1 || v > 5)
		note(p, field, "%s must be a whole number from 1 (rare) to 5 (almost certain), not %d.", subject, v);
}

static void check_impact(struct agreement_problems *p, const char *field, const char *subject, int v)
{
	if (v < 1 || v > 5)
		note(p, field, "%s must be a whole number from 1 (minimal) to 5 (severe), not %d.", subject, v);
}

static void check_hours(struct agreement_problems *p, const char *field, const char *subject, int v)
{
	char max[32];
	thousands(max, sizeof max, AGREEMENT_MAX_HOURS);
	if (v < 0)
		note(p, field, "%s cannot be negative; enter a whole number of hours from 0 to %s.", subject, max);
	else if (v > AGREEMENT_MAX_HOURS)
		note(p, field, "%s cannot be more than %s hours in a term, not %d; enter a whole number from 0 to %s.",
		     subject, max, v, max);
}

static void check_budget(struct agreement_problems *p, const char *field, const char *subject, int64_t pence)
{
	char max[32];
	thousands(max, sizeof max, AGREEMENT_MAX_BUDGET_PENCE / 100);
	if (pence < 0)
		note(p, field, "%s cannot be negative; enter an amount in pounds, or 0 if there is none.", subject);
	else if (pence > AGREEMENT_MAX_BUDGET_PENCE)
		note(p, field, "%s cannot be more than \u00a3%s; check the amount.", subject, max);
}

static void check_cadence(struct agreement_problems *p, const char *field, int weeks)
{
	if (weeks < AGREEMENT_MIN_CADENCE || weeks > AGREEMENT_MAX_CADENCE)
		note(p, field, "The meeting cadence must be every %d to %d weeks, not %d.", AGREEMENT_MIN_CADENCE,
		     AGREEMENT_MAX_CADENCE, weeks);
}

static void check_dates(struct agreement_problems *p, const char *field, const char *first_label, int64_t first,
			const char *second_label, int64_t second)
{
	if (!first || !second || day_of(second) > day_of(first))
		return;
	char a[48], b[48];
	clock_format_day(first, true, a, sizeof a);
	clock_format_day(second, true, b, sizeof b);
	note(p, field, "%s (%s) must be after %s (%s).", second_label, b, first_label, a);
}

/* ---- public field validators -------------------------------------------- */

int agreement_validate_text(struct agreement_problems *p, const char *field, const char *label, const char *s,
			    size_t max_chars)
{
	size_t before = p->n;
	check_text(p, field, label, s, max_chars);
	return verdict(p, before);
}

int agreement_validate_likelihood(struct agreement_problems *p, const char *field, int likelihood)
{
	size_t before = p->n;
	check_likelihood(p, field, "The likelihood", likelihood);
	return verdict(p, before);
}

int agreement_validate_impact(struct agreement_problems *p, const char *field, int impact)
{
	size_t before = p->n;
	check_impact(p, field, "The impact", impact);
	return verdict(p, before);
}

int agreement_validate_hours(struct agreement_problems *p, const char *field, int hours)
{
	size_t before = p->n;
	check_hours(p, field, "Hours per term", hours);
	return verdict(p, before);
}

int agreement_validate_budget(struct agreement_problems *p, const char *field, int64_t pence)
{
	size_t before = p->n;
	check_budget(p, field, "The budget", pence);
	return verdict(p, before);
}

int agreement_validate_cadence(struct agreement_problems *p, const char *field, int weeks)
{
	size_t before = p->n;
	check_cadence(p, field, weeks);
	return verdict(p, before);
}

int agreement_validate_dates(struct agreement_problems *p, const char *field, const char *first_label,
			     int64_t first, const char *second_label, int64_t second)
{
	size_t before = p->n;
	check_dates(p, field, first_label, first, second_label, second);
	return verdict(p, before);
}

/* ---- rows: schools, measures, risks ------------------------------------- */

/* The school is a school: a URN. (Uniqueness needs the whole list: see check_purpose.) */
static void school_identity(struct agreement_problems *p, size_t i, const struct agreement_school *s)
{
	char f[64];
	if (s->urn <= 0) {
		snprintf(f, sizeof f, "schools[%zu].urn", i);
		note(p, f, "Partner school %zu has no URN; choose the school again.", i + 1);
	}
}

/* Its commitment: problems always, gaps when asked. */
static void school_commitment(struct agreement_problems *p, size_t i, const struct agreement_school *s, bool gaps)
{
	char f[64], nb[48], subject[300];
	const char *name = school_name(nb, sizeof nb, s);
	snprintf(f, sizeof f, "schools[%zu].hours_per_term", i);
	if (s->has_hours) {
		snprintf(subject, sizeof subject, "Hours per term for %s", name);
		check_hours(p, f, subject, s->hours_per_term);
	} else if (gaps) {
		note_named(p, f, "%s has not said how many hours it commits per term.", name);
	}
	snprintf(f, sizeof f, "schools[%zu].budget_pence", i);
	if (s->has_budget) {
		snprintf(subject, sizeof subject, "The budget for %s", name);
		check_budget(p, f, subject, s->budget_pence);
	} else if (gaps) {
		note_named(p, f, "%s has not said what budget it commits (enter 0 if none).", name);
	}
	snprintf(f, sizeof f, "schools[%zu].in_objectives", i);
	if (s->in_objectives < 0 || s->in_objectives >= AGREEMENT_ANSWER__MAX)
		note(p, f, "Say yes or no: is the work written into staff performance objectives at %s?", name);
	else if (gaps && s->in_objectives == AGREEMENT_ANSWER_UNSET)
		note_named(p, f, "%s has not said whether the work is written into staff performance objectives.",
			   name);
}

static void measure_check(struct agreement_problems *p, size_t i, const struct agreement_measure *m, bool gaps)
{
	char f[64], ref[300], label[340];
	row_ref(ref, sizeof ref, "measure", "impact measure", m->name, i);

	snprintf(f, sizeof f, "measures[%zu].name", i);
	if (blank(m->name)) {
		note(p, f, "Give impact measure %zu a name.", i + 1);
	} else {
		snprintf(label, sizeof label, "The name of impact measure %zu", i + 1);
		check_text(p, f, label, m->name, AGREEMENT_MAX_NAME);
	}

	snprintf(f, sizeof f, "measures[%zu].unit", i);
	snprintf(label, sizeof label, "The unit of %s", ref);
	check_text(p, f, label, m->unit, AGREEMENT_MAX_UNIT);
	if (gaps && blank(m->unit))
		note(p, f, "Say what unit %s is counted in (for example %%, months or pupils).", ref);

	snprintf(f, sizeof f, "measures[%zu].pupil_group", i);
	snprintf(label, sizeof label, "The pupil group of %s", ref);
	check_text(p, f, label, m->pupil_group, AGREEMENT_MAX_NAME);
	if (gaps && blank(m->pupil_group))
		note(p, f, "Say which group of pupils %s is about.", ref);

	snprintf(f, sizeof f, "measures[%zu].baseline", i);
	if (m->has_baseline && !isfinite(m->baseline))
		note(p, f, "The baseline of %s must be a number.", ref);
	else if (gaps && !m->has_baseline)
		note(p, f, "Give %s a baseline.", ref);

	snprintf(f, sizeof f, "measures[%zu].target", i);
	if (m->has_target && !isfinite(m->target))
		note(p, f, "The target of %s must be a number.", ref);
	else if (gaps && !m->has_target)
		note(p, f, "Give %s a target.", ref);

	snprintf(f, sizeof f, "measures[%zu].method", i);
	snprintf(label, sizeof label, "How %s is measured", ref);
	check_text(p, f, label, m->method, AGREEMENT_MAX_METHOD);
	if (gaps && blank(m->method))
		note(p, f, "Say how %s will be measured.", ref);

	snprintf(f, sizeof f, "measures[%zu].when", i);
	snprintf(label, sizeof label, "When %s is measured", ref);
	check_text(p, f, label, m->when, AGREEMENT_MAX_NAME);
	if (gaps && blank(m->when))
		note(p, f, "Say when %s will be measured.", ref);

	snprintf(f, sizeof f, "measures[%zu].target_by", i);
	snprintf(label, sizeof label, "the target date of %s", ref);
	check_dates(p, f, "its baseline date", m->baseline_on, label, m->target_by);
}

int agreement_validate_measure(struct agreement_problems *p, size_t index, const struct agreement_measure *m)
{
	size_t before = p->n;
	measure_check(p, index, m, false);
	return verdict(p, before);
}

static void risk_check(struct agreement_problems *p, size_t i, const struct agreement_risk *r, bool gaps)
{
	char f[64], ref[300], label[340];
	row_ref(ref, sizeof ref, "risk", "risk", r->risk, i);

	snprintf(f, sizeof f, "risks[%zu].risk", i);
	if (blank(r->risk)) {
		note(p, f, "Describe risk %zu: what might go wrong?", i + 1);
	} else {
		snprintf(label, sizeof label, "Risk %zu", i + 1);
		check_text(p, f, label, r->risk, AGREEMENT_MAX_RISK);
	}

	snprintf(f, sizeof f, "risks[%zu].likelihood", i);
	snprintf(label, sizeof label, "The likelihood of %s", ref);
	check_likelihood(p, f, label, r->likelihood);

	snprintf(f, sizeof f, "risks[%zu].impact", i);
	snprintf(label, sizeof label, "The impact of %s", ref);
	check_impact(p, f, label, r->impact);

	snprintf(f, sizeof f, "risks[%zu].mitigation", i);
	snprintf(label, sizeof label, "The mitigation of %s", ref);
	check_text(p, f, label, r->mitigation, AGREEMENT_MAX_MITIGATION);
	if (gaps && blank(r->mitigation))
		note(p, f, "Say how the partners will reduce %s (the mitigation).", ref);

	snprintf(f, sizeof f, "risks[%zu].owner", i);
	snprintf(label, sizeof label, "The owner of %s", ref);
	check_text(p, f, label, r->owner, AGREEMENT_MAX_NAME);
	if (gaps && blank(r->owner))
		note(p, f, "Name who owns %s.", ref);

	snprintf(f, sizeof f, "risks[%zu].status", i);
	if (r->status < 0 || r->status >= AGREEMENT_RISK__MAX)
		note(p, f, "Say whether %s is open or closed.", ref);
}

/* ---- the sections ------------------------------------------------------- */

/* Is urn one of the partner schools? */
static bool is_partner(const struct agreement *a, int64_t urn)
{
	for (size_t i = 0; i < a->n_schools; i++)
		if (a->schools[i].urn == urn)
			return true;
	return false;
}

static void check_purpose(struct agreement_problems *p, const struct agreement *a, bool gaps)
{
	if (a->type < 0 || a->type >= AGREEMENT_TYPE__MAX)
		note(p, "type", "Choose one of the three types of partnership: one-way support, two-way mutual "
				"learning or co-creation.");
	else if (gaps && a->type == AGREEMENT_TYPE_UNSET)
		note(p, "type", "Choose the type of partnership (one-way support, two-way mutual learning or "
				"co-creation).");

	check_text(p, "challenge", "The shared challenge", a->challenge, AGREEMENT_MAX_CHALLENGE);
	if (gaps && blank(a->challenge))
		note(p, "challenge", "Describe the shared challenge the partnership will work on.");

	check_text(p, "outcomes", "The intended outcomes", a->outcomes, AGREEMENT_MAX_OUTCOMES);
	if (gaps && blank(a->outcomes))
		note(p, "outcomes", "Say what tangible outcomes the partnership intends.");

	size_t themes = 0;
	for (size_t i = 0; i < a->n_themes; i++) {
		const char *t = a->themes[i];
		if (blank(t))
			continue;
		themes++;
		char f[48], label[48];
		snprintf(f, sizeof f, "themes[%zu]", i);
		snprintf(label, sizeof label, "Theme %zu", i + 1);
		size_t before = p->n;
		check_text(p, f, label, t, AGREEMENT_MAX_THEME);
		if (p->n != before)
			continue;
		for (size_t j = 0; j < i; j++)
			if (str_eq(a->themes[j], t)) {
				note(p, f, "The theme \u201c%s\u201d is listed twice.", t);
				break;
			}
	}
	if (gaps && themes == 0)
		note(p, "themes", "Choose at least one theme.");

	if (a->licence < 0 || a->licence >= AGREEMENT_LICENCE__MAX)
		note(p, "licence", "Choose who may use the work: CC BY 4.0, CC BY-NC-SA 4.0 or partners only.");
	else if (gaps && a->licence == AGREEMENT_LICENCE_UNSET)
		note(p, "licence", "Say who owns the work produced and how it may be used (CC BY 4.0, CC BY-NC-SA "
				   "4.0 or partners only).");

	if (gaps && a->n_schools < 2)
		note(p, "schools", "Add the partner schools (a partnership needs at least two).");
	for (size_t i = 0; i < a->n_schools; i++) {
		const struct agreement_school *s = &a->schools[i];
		school_identity(p, i, s);
		for (size_t j = 0; j < i && s->urn > 0; j++)
			if (a->schools[j].urn == s->urn) {
				char f[64], nb[48];
				snprintf(f, sizeof f, "schools[%zu].urn", i);
				note_named(p, f, "%s is listed twice as a partner school.",
					   school_name(nb, sizeof nb, s));
				break;
			}
	}
}

static void check_time(struct agreement_problems *p, const struct agreement *a, bool gaps)
{
	if (gaps && a->n_schools == 0)
		note(p, "schools", "Add the partner schools and the time and budget each commits.");
	for (size_t i = 0; i < a->n_schools; i++)
		school_commitment(p, i, &a->schools[i], gaps);
	check_dates(p, "ends_on", "the start date", a->starts_on, "the end date", a->ends_on);
}

static void check_evidence(struct agreement_problems *p, const struct agreement *a, bool gaps)
{
	if (gaps && a->n_measures == 0)
		note(p, "measures", "Add at least one impact measure with a baseline and a target.");
	for (size_t i = 0; i < a->n_measures; i++)
		measure_check(p, i, &a->measures[i], gaps);
}

static void check_risks(struct agreement_problems *p, const struct agreement *a, bool gaps)
{
	if (gaps && a->n_risks == 0)
		note(p, "risks", "Add at least one risk to the register.");
	for (size_t i = 0; i < a->n_risks; i++)
		risk_check(p, i, &a->risks[i], gaps);
}

static void check_leadership(struct agreement_problems *p, const struct agreement *a, bool gaps)
{
	for (size_t i = 0; gaps && i < a->n_schools; i++) {
		const struct agreement_school *s = &a->schools[i];
		if (s->lead_person_id <= 0) {
			char f[64], nb[48];
			snprintf(f, sizeof f, "schools[%zu].lead_person_id", i);
			note_named(p, f, "%s has not named its lead for the partnership.",
				   school_name(nb, sizeof nb, s));
		}
	}
	if (a->decision < 0 || a->decision >= AGREEMENT_DECISION__MAX) {
		note(p, "decision", "Choose how the partners decide: by consensus, by a majority, or the lead "
				    "school decides.");
	} else if (a->decision == AGREEMENT_DECISION_LEAD_SCHOOL) {
		if (a->lead_school_urn <= 0) {
			if (gaps)
				note(p, "lead_school_urn", "Say which school decides (the rule is that the lead school decides).");
		} else if (!is_partner(a, a->lead_school_urn)) {
			note(p, "lead_school_urn", "The school that decides must be one of the partner schools.");
		}
	}
	if (a->has_cadence)
		check_cadence(p, "cadence_weeks", a->cadence_weeks);
	else if (gaps)
		note(p, "cadence_weeks", "Say how often the partners meet (every %d to %d weeks).",
		     AGREEMENT_MIN_CADENCE, AGREEMENT_MAX_CADENCE);
	if (gaps && a->keeper_person_id <= 0)
		note(p, "keeper_person_id", "Name the person responsible for keeping the partnership going.");
}

static void (*const section_checks[AGREEMENT_SECTION__MAX])(struct agreement_problems *, const struct agreement *,
							       bool) = {
	[AGREEMENT_SECTION_PURPOSE] = check_purpose,
	[AGREEMENT_SECTION_TIME] = check_time,
	[AGREEMENT_SECTION_EVIDENCE] = check_evidence,
	[AGREEMENT_SECTION_RISKS] = check_risks,
	[AGREEMENT_SECTION_LEADERSHIP] = check_leadership,
};

int agreement_validate(struct agreement_problems *p, const struct agreement *a)
{
	size_t before = p->n;
	for (int s = 0; s < AGREEMENT_SECTION__MAX; s++)
		section_checks[s](p, a, false);
	return verdict(p, before);
}

bool agreement_is_complete(const struct agreement *ag)
{
	struct agreement_problems p;
	agreement_problems_init(&p, NULL);
	for (int s = 0; s < AGREEMENT_SECTION__MAX; s++)
		section_checks[s](&p, ag, true);
	return p.n == 0;
}

/* "Title: message", lowering the message's first letter unless it begins with a name. */
static const char *prefixed(struct arena *a, const char *title, const struct agreement_problem *pr)
{
	char *s = arena_printf(a, "%s: %s", title, pr->message);
	size_t at = strlen(title) + 2;
	if (!pr->named && s[at] >= 'A' && s[at] <= 'Z')
		s[at] = (char)(s[at] - 'A' + 'a');
	return s;
}

void agreement_missing(struct arena *a, const struct agreement *ag, struct agreement_missing *out)
{
	memset(out, 0, sizeof *out);
	agreement_digest(ag, out->digest);
	out->complete = true;
	for (int s = 0; s < AGREEMENT_SECTION__MAX; s++) {
		struct agreement_problems p;
		agreement_problems_init(&p, a);
		section_checks[s](&p, ag, true);
		struct agreement_section_gaps *g = &out->sections[s];
		g->complete = p.n == 0;
		g->n = p.n;
		g->sentences = arena_calloc(a, p.n ? p.n : 1, sizeof *g->sentences);
		for (size_t i = 0; i < p.n; i++)
			g->sentences[i] = prefixed(a, agreement_section_title((enum agreement_section)s), &p.items[i]);
		out->complete = out->complete && g->complete;
	}

	out->signatures = arena_calloc(a, ag->n_schools ? ag->n_schools : 1, sizeof *out->signatures);
	for (size_t i = 0; i < ag->n_schools; i++) {
		const struct agreement_school *s = &ag->schools[i];
		char nb[48];
		const char *name = school_name(nb, sizeof nb, s);
		if (!s->signed_digest)
			out->signatures[out->n_signatures++] = arena_printf(a, "Signatures: %s has not signed yet.",
									    name);
		else if (!str_eq(s->signed_digest, out->digest))
			out->signatures[out->n_signatures++] = arena_printf(
				a, "Signatures: %s signed an earlier version and needs to sign this one.", name);
	}
	out->signed_by_all = out->complete && ag->n_schools >= 2 && out->n_signatures == 0;
}

/* ---- signing ------------------------------------------------------------ */

int agreement_can_sign(const struct agreement *ag, int64_t person_id)
{
	if (person_id <= 0)
		return ERR_FORBIDDEN;
	char digest[AGREEMENT_DIGEST_SIZE];
	agreement_digest(ag, digest);
	bool leads = false, to_sign = false;
	for (size_t i = 0; i < ag->n_schools; i++) {
		const struct agreement_school *s = &ag->schools[i];
		if (s->lead_person_id != person_id)
			continue;
		leads = true;
		if (!str_eq(s->signed_digest, digest))
			to_sign = true;
	}
	if (!leads)
		return ERR_FORBIDDEN;
	if (!agreement_is_complete(ag))
		return ERR_INVALID;
	return to_sign ? 0 : ERR_CONFLICT;
}

bool agreement_signed_by_all(const struct agreement *ag)
{
	if (ag->n_schools < 2 || !agreement_is_complete(ag))
		return false;
	char digest[AGREEMENT_DIGEST_SIZE];
	agreement_digest(ag, digest);
	for (size_t i = 0; i < ag->n_schools; i++)
		if (!str_eq(ag->schools[i].signed_digest, digest))
			return false;
	return true;
}

int agreement_risk_score(int likelihood, int impact)
{
	if (likelihood < 1 || likelihood > 5 || impact < 1 || impact > 5)
		return 0;
	return likelihood * impact;
}

/* ---- the digest --------------------------------------------------------- */

/* key=length:text, the text trimmed at both ends with CRLF and CR turned into LF. */
static void put_text(struct buf *b, const char *key, const char *s)
{
	const char *start = s ? s : "", *end = start + strlen(start);
	while (start < end && is_space(*start))
		start++;
	while (end > start && is_space(end[-1]))
		end--;
	struct buf t = BUF_INIT;
	for (const char *c = start; c < end; c++) {
		if (*c == '\r') {
			buf_putc(&t, '\n');
			if (c + 1 < end && c[1] == '\n')
				c++;
		} else {
			buf_putc(&t, *c);
		}
	}
	buf_printf(b, "%s=%zu:", key, t.len);
	buf_append(b, t.data ? t.data : "", t.len);
	buf_putc(b, '\n');
	buf_free(&t);
}

static void put_int(struct buf *b, const char *key, bool given, int64_t v)
{
	if (given)
		buf_printf(b, "%s=%lld\n", key, (long long)v);
	else
		buf_printf(b, "%s=-\n", key);
}

static void put_num(struct buf *b, const char *key, bool given, double v)
{
	if (!given) {
		buf_printf(b, "%s=-\n", key);
		return;
	}
	if (v == 0)
		v = 0; /* -0 and 0 are the same value */
	buf_printf(b, "%s=%.17g\n", key, v);
}

/* An enum by its stable key, or by number when out of range (then the agreement is invalid anyway). */
static void put_key(struct buf *b, const char *key, const char *value_key, int v)
{
	if (value_key)
		buf_printf(b, "%s=%s\n", key, value_key);
	else
		buf_printf(b, "%s=?%d\n", key, v);
}

/* A yes/no answer's stable key, NULL out of range. */
static const char *answer_key(enum agreement_answer a)
{
	static const char *const keys[AGREEMENT_ANSWER__MAX] = {"unset", "yes", "no"};
	return a >= 0 && a < AGREEMENT_ANSWER__MAX ? keys[a] : NULL;
}

/* A date by its UTC day, so the time of day does not matter. */
static void put_day(struct buf *b, const char *key, int64_t t)
{
	put_int(b, key, t != 0, t ? day_of(t) : 0);
}

static int cmp_bufs(const void *x, const void *y)
{
	const struct buf *a = x, *b = y;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = n ? memcmp(a->data, b->data, n) : 0;
	if (c)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* Append the n records in items as a set: a count, then each record sorted, framed by its length. Frees them. */
static void put_set(struct buf *b, const char *key, struct buf *items, size_t n)
{
	if (n)
		qsort(items, n, sizeof *items, cmp_bufs);
	buf_printf(b, "%s#%zu\n", key, n);
	for (size_t i = 0; i < n; i++) {
		buf_printf(b, "%zu:", items[i].len);
		buf_append(b, items[i].data ? items[i].data : "", items[i].len);
		buf_putc(b, '\n');
		buf_free(&items[i]);
	}
	free(items);
}

void agreement_digest(const struct agreement *ag, char out[AGREEMENT_DIGEST_SIZE])
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "tandem-agreement/1\n");

	put_key(&b, "type", agreement_type_key(ag->type), (int)ag->type);
	put_text(&b, "challenge", ag->challenge);
	put_text(&b, "outcomes", ag->outcomes);
	struct buf *set = xcalloc(ag->n_themes + 1, sizeof *set);
	size_t n = 0;
	for (size_t i = 0; i < ag->n_themes; i++)
		if (!blank(ag->themes[i]))
			put_text(&set[n++], "theme", ag->themes[i]);
	put_set(&b, "themes", set, n);
	put_key(&b, "licence", agreement_licence_key(ag->licence), (int)ag->licence);

	set = xcalloc(ag->n_schools + 1, sizeof *set);
	for (size_t i = 0; i < ag->n_schools; i++) {
		const struct agreement_school *s = &ag->schools[i];
		put_int(&set[i], "urn", true, s->urn);
		put_int(&set[i], "lead", s->lead_person_id > 0, s->lead_person_id);
		put_int(&set[i], "hours", s->has_hours, s->hours_per_term);
		put_int(&set[i], "budget", s->has_budget, s->budget_pence);
		put_key(&set[i], "objectives", answer_key(s->in_objectives), (int)s->in_objectives);
	}
	put_set(&b, "schools", set, ag->n_schools);
	put_day(&b, "starts_on", ag->starts_on);
	put_day(&b, "ends_on", ag->ends_on);

	set = xcalloc(ag->n_measures + 1, sizeof *set);
	for (size_t i = 0; i < ag->n_measures; i++) {
		const struct agreement_measure *m = &ag->measures[i];
		put_text(&set[i], "name", m->name);
		put_text(&set[i], "unit", m->unit);
		put_text(&set[i], "pupil_group", m->pupil_group);
		put_num(&set[i], "baseline", m->has_baseline, m->baseline);
		put_num(&set[i], "target", m->has_target, m->target);
		put_text(&set[i], "method", m->method);
		put_text(&set[i], "when", m->when);
		put_day(&set[i], "baseline_on", m->baseline_on);
		put_day(&set[i], "target_by", m->target_by);
	}
	put_set(&b, "measures", set, ag->n_measures);

	set = xcalloc(ag->n_risks + 1, sizeof *set);
	for (size_t i = 0; i < ag->n_risks; i++) {
		const struct agreement_risk *r = &ag->risks[i];
		put_text(&set[i], "risk", r->risk);
		put_int(&set[i], "likelihood", true, r->likelihood);
		put_int(&set[i], "impact", true, r->impact);
		put_text(&set[i], "mitigation", r->mitigation);
		put_text(&set[i], "owner", r->owner);
		put_key(&set[i], "status", agreement_risk_status_key(r->status), (int)r->status);
	}
	put_set(&b, "risks", set, ag->n_risks);

	put_key(&b, "decision", agreement_decision_key(ag->decision), (int)ag->decision);
	/* The deciding school only matters under that rule; a stale value elsewhere changes nothing. */
	put_int(&b, "lead_school", ag->decision == AGREEMENT_DECISION_LEAD_SCHOOL && ag->lead_school_urn > 0,
		ag->lead_school_urn);
	put_int(&b, "cadence_weeks", ag->has_cadence, ag->cadence_weeks);
	put_int(&b, "keeper", ag->keeper_person_id > 0, ag->keeper_person_id);

	unsigned char hash[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(hash, (const unsigned char *)b.data, b.len);
	sodium_bin2hex(out, AGREEMENT_DIGEST_SIZE, hash, sizeof hash);
	buf_free(&b);
}
