// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * score.c — scoring a pair of schools and explaining the score in
 * sentences (the formula is at the top of engine.h), and the sentences for
 * why a school or a pair was left out. Pure: no store, no HTTP.
 */
#include "app/broker/engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/schools/similar.h"

bool broker_theme_off(const struct broker_school *s, int t)
{
	for (size_t i = 0; i < s->n_off; i++)
		if (s->off[i] == t)
			return true;
	return false;
}

/* What b offers in theme t: 0 nothing, 2 a strength, 3 a strength with evidence of impact. */
static int offer(const struct broker_school *b, int t)
{
	int best = 0;
	for (size_t i = 0; i < b->n_strengths; i++)
		if (b->strengths[i].theme == t)
			best = b->strengths[i].evidence ? 3 : (best ? best : 2);
	return best;
}

int broker_gain(const struct broker_school *a, const struct broker_school *b)
{
	int g = 0;
	for (size_t i = 0; i < a->n_needs; i++) {
		const struct broker_need *n = &a->needs[i];
		if (broker_theme_off(a, n->theme))
			continue;
		g += (int)n->priority * offer(b, n->theme);
	}
	return g;
}

/*
 * The rest of a pair's score once out has its schools, gains, similarity
 * and distance: one formula for broker_pair_score and broker_scorer_pair,
 * so both give the same score to the last bit.
 */
static bool finish_score(struct broker_pair *out)
{
	out->reciprocal = out->gain_ab > 0 && out->gain_ba > 0;
	double ga = out->gain_ab, gb = out->gain_ba;
	if (ga + gb <= 0)
		return false;
	double am = (ga + gb) / 2.0, hm = 2.0 * ga * gb / (ga + gb);
	double ctx = 1.0;
	if (out->similar > 0)
		ctx += 0.10 * fmin(out->similar, 100.0) / 100.0;
	if (out->km > 0)
		ctx -= 0.05 * fmin(out->km, 100.0) / 100.0;
	out->score = (int64_t)llround(100.0 * (am + hm) / 2.0 * ctx);
	if (out->score < 1)
		out->score = 1;
	return true;
}

bool broker_pair_score(const struct broker_net *net, int i, int j, struct broker_pair *out)
{
	int a = i < j ? i : j, b = i < j ? j : i;
	const struct broker_school *sa = &net->schools[a], *sb = &net->schools[b];
	memset(out, 0, sizeof(*out));
	out->a = a;
	out->b = b;
	out->gain_ab = broker_gain(sa, sb);
	out->gain_ba = broker_gain(sb, sa);
	out->similar = net->similar ? net->similar(net->similar_ctx, sa->urn, sb->urn) : -1.0;
	out->km = sa->has_location && sb->has_location ? similar_km(sa->lat, sa->lon, sb->lat, sb->lon) : -1.0;
	return finish_score(out);
}

void broker_scorer_init(struct broker_scorer *sc, const struct broker_net *net)
{
	size_t n = net->n, nt = net->n_themes;
	memset(sc, 0, sizeof(*sc));
	sc->net = net;
	sc->offer = calloc(n * nt > 0 ? n * nt : 1, sizeof(*sc->offer));
	sc->need_start = calloc(n + 1, sizeof(*sc->need_start));
	sc->unit = malloc((n ? n : 1) * 3 * sizeof(*sc->unit));
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += net->schools[i].n_needs;
	sc->need_theme = malloc((total ? total : 1) * sizeof(*sc->need_theme));
	sc->need_w = malloc((total ? total : 1) * sizeof(*sc->need_w));
	if (!sc->offer || !sc->need_start || !sc->unit || !sc->need_theme || !sc->need_w)
		abort();
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		const struct broker_school *s = &net->schools[i];
		unsigned char *o = sc->offer + i * nt;
		for (size_t k = 0; k < s->n_strengths; k++) {
			int t = s->strengths[k].theme;
			o[t] = s->strengths[k].evidence ? 3 : (o[t] ? o[t] : 2);
		}
		/* Its needs by theme, each theme once with its priorities summed (what broker_gain adds up). */
		sc->need_start[i] = (int)at;
		for (size_t k = 0; k < s->n_needs; k++) {
			int t = s->needs[k].theme;
			if (broker_theme_off(s, t))
				continue;
			size_t q = (size_t)sc->need_start[i];
			while (q < at && sc->need_theme[q] != t)
				q++;
			if (q == at) {
				sc->need_theme[at] = t;
				sc->need_w[at++] = 0;
			}
			sc->need_w[q] += (int)s->needs[k].priority;
		}
		if (s->has_location)
			similar_unit(s->lat, s->lon, sc->unit + 3 * i);
	}
	sc->need_start[n] = (int)at;
}

/* What school a gains from school b, from the tables: the same as broker_gain. */
static int scorer_gain(const struct broker_scorer *sc, int a, int b)
{
	const unsigned char *o = sc->offer + (size_t)b * sc->net->n_themes;
	int g = 0;
	for (int q = sc->need_start[a]; q < sc->need_start[a + 1]; q++)
		g += sc->need_w[q] * o[sc->need_theme[q]];
	return g;
}

bool broker_scorer_pair(const struct broker_scorer *sc, int i, int j, struct broker_pair *out)
{
	const struct broker_net *net = sc->net;
	int a = i < j ? i : j, b = i < j ? j : i;
	const struct broker_school *sa = &net->schools[a], *sb = &net->schools[b];
	memset(out, 0, sizeof(*out));
	out->a = a;
	out->b = b;
	out->gain_ab = scorer_gain(sc, a, b);
	out->gain_ba = scorer_gain(sc, b, a);
	if (out->gain_ab + out->gain_ba <= 0)
		return false; /* as finish_score would say, without asking for the similarity */
	out->similar = net->similar ? net->similar(net->similar_ctx, sa->urn, sb->urn) : -1.0;
	out->km = sa->has_location && sb->has_location
			  ? similar_units_km(sc->unit + 3 * (size_t)a, sc->unit + 3 * (size_t)b)
			  : -1.0;
	return finish_score(out);
}

void broker_scorer_free(struct broker_scorer *sc)
{
	free(sc->offer);
	free(sc->need_start);
	free(sc->need_theme);
	free(sc->need_w);
	free(sc->unit);
	memset(sc, 0, sizeof(*sc));
}

static const char *priority_word(enum broker_priority p)
{
	return p == BROKER_PRIORITY_HIGH ? "high" : p == BROKER_PRIORITY_LOW ? "low" : "medium";
}

/* "Ireland Wood gains from Weetwood in Reading (high priority, strength with evidence of impact) and …". */
static json_t *gain_sentence(const struct broker_net *net, const struct broker_school *a,
			     const struct broker_school *b)
{
	char buf[1024];
	size_t len = 0;
	int parts = 0;
	for (size_t i = 0; i < a->n_needs; i++) {
		const struct broker_need *n = &a->needs[i];
		int o = offer(b, n->theme);
		if (!o || broker_theme_off(a, n->theme) || n->theme < 0 || (size_t)n->theme >= net->n_themes)
			continue;
		int w = snprintf(buf + len, sizeof(buf) - len, "%s%s (a %s-priority need; %s)",
				 parts ? "; " : "", net->themes[n->theme], priority_word(n->priority),
				 o == 3 ? "their strength has evidence of impact" : "their strength has no evidence yet");
		if (w < 0 || (size_t)w >= sizeof(buf) - len)
			break;
		len += (size_t)w;
		parts++;
	}
	if (!parts)
		return json_sprintf("%s has nothing to gain from %s in the themes it is looking for.", a->name, b->name);
	return json_sprintf("%s gains from %s in %s.", a->name, b->name, buf);
}

json_t *broker_explain(const struct broker_net *net, const struct broker_pair *p)
{
	const struct broker_school *a = &net->schools[p->a], *b = &net->schools[p->b];
	json_t *out = json_array();
	json_array_append_new(out, gain_sentence(net, a, b));
	json_array_append_new(out, gain_sentence(net, b, a));
	if (p->reciprocal)
		json_array_append_new(out, json_string("Both schools gain: a two-way partnership, preferred to one-way "
						       "support."));
	else
		json_array_append_new(out, json_sprintf("Only %s gains: one-way support, which scores below a two-way "
							"pair with the same total.",
							p->gain_ab ? a->name : b->name));
	if (p->similar >= 0)
		json_array_append_new(out, json_sprintf("Their similar-schools score is %.0f out of 100 (100 is "
							"alike in size, free school meals and special needs).",
							p->similar));
	else
		json_array_append_new(out, json_string("They are not compared by the similar-schools finder (different "
						       "phases, or not in the register)."));
	if (p->km < 0)
		json_array_append_new(out, json_string("Their distance is not known."));
	else if (p->km > BROKER_FAR_KM)
		json_array_append_new(out, json_sprintf("They are %.0f km apart: still possible; plan to meet online "
							"most of the time.", p->km));
	else
		json_array_append_new(out, json_sprintf("They are %.0f km apart, close enough to visit.", p->km));
	return out;
}

const char *broker_left_text(enum broker_left why)
{
	switch (why) {
	case BROKER_LEFT_NONE:
		return "It has a proposal.";
	case BROKER_LEFT_NO_CAPACITY:
		return "Its capacity this year is taken (or its lead set it to 0).";
	case BROKER_LEFT_NOTHING:
		return "None of its needs meets another school's strength, and none of its strengths meets another "
		       "school's need: add strengths or needs, or look at the co-creation groups.";
	case BROKER_LEFT_BARRED:
		return "Its only possible partners are schools it already works with, or whose introduction was "
		       "declined in the last 12 months or rejected this year.";
	case BROKER_LEFT_PARTNERS_FULL:
		return "Its possible partners' capacity is taken by other proposals: no set of proposals could "
		       "include it without leaving out another school.";
	case BROKER_LEFT__MAX:
		break;
	}
	return "";
}

const char *broker_bar_text(enum broker_bar why)
{
	switch (why) {
	case BROKER_BAR_PARTNERS:
		return "already in a partnership together";
	case BROKER_BAR_DECLINED:
		return "an introduction between them was declined in the last 12 months";
	case BROKER_BAR_PENDING:
		return "an introduction between them is waiting for an answer";
	case BROKER_BAR_REJECTED:
		return "the coordinator rejected this pair this year";
	case BROKER_BAR__MAX:
		break;
	}
	return "";
}
