// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * digest.c — the weekly digest's text (what is news and how it reads are in
 * digest.h). Plain sentences, short lines where we control them, no
 * jargon: it is read between two meetings on a phone.
 */
#include "app/partnerships/digest.h"

#include <stdio.h>
#include <string.h>

#include "app/partnerships/agreement.h"
#include "core/buf.h"
#include "core/clock.h"

bool digest_change_is_news(enum health_status from, enum health_status to)
{
	if (from < HEALTH_NOT_ACTIVE || from >= HEALTH__MAX || to <= HEALTH_NOT_ACTIVE || to >= HEALTH__MAX)
		return false;
	if (from == to)
		return false;
	return !(from == HEALTH_NOT_ACTIVE && to == HEALTH_ON_TRACK);
}

bool digest_partnership_has_news(const struct digest_partnership *p)
{
	if (!p)
		return false;
	if (p->n_actions > 0)
		return true;
	for (size_t i = 0; i < p->n_changes; i++)
		if (digest_change_is_news(p->changes[i].from, p->changes[i].to))
			return true;
	return false;
}

bool digest_has_news(const struct digest *d)
{
	if (!d)
		return false;
	for (size_t i = 0; i < d->n_partnerships; i++)
		if (digest_partnership_has_news(&d->partnerships[i]))
			return true;
	return false;
}

static bool needs_attention(enum health_status s)
{
	return s == HEALTH_OVERDUE || s == HEALTH_FADING || s == HEALTH_AT_RISK;
}

static const char *label(enum health_status s)
{
	const char *l = health_status_label(s);
	return l ? l : "Unknown";
}

/* The line under the greeting: what needs doing, in one sentence. */
static void summary(const struct digest *d, struct buf *out)
{
	size_t attention = 0, actions = 0;
	for (size_t i = 0; i < d->n_partnerships; i++) {
		attention += needs_attention(d->partnerships[i].status);
		actions += d->partnerships[i].n_actions;
	}
	if (attention)
		buf_printf(out, "%zu %s attention", attention,
			   attention == 1 ? "partnership needs" : "partnerships need");
	if (attention && actions)
		buf_puts(out, ", and ");
	if (actions)
		buf_printf(out, "%zu %s past %s due date", actions, actions == 1 ? "action is" : "actions are",
			   actions == 1 ? "its" : "their");
	if (attention || actions)
		buf_puts(out, ".\n");
	else if (d->n_partnerships == 1)
		buf_puts(out, "Good news: your partnership is on track.\n");
	else
		buf_puts(out, "Good news: all your partnerships are on track.\n");
}

/* One partnership: its health, the changes that are news, the overdue actions, the link. */
static void one_partnership(const struct digest_partnership *p, int64_t now, struct buf *out)
{
	char day[48];
	buf_printf(out, "\n%s\n", p->title && *p->title ? p->title : "Your partnership");
	buf_printf(out, "  Health: %s.", label(p->status));
	if (p->reason && *p->reason)
		buf_printf(out, " %s", p->reason);
	buf_putc(out, '\n');
	bool heading = false;
	for (size_t i = 0; i < p->n_changes; i++) {
		const struct digest_change *c = &p->changes[i];
		if (!digest_change_is_news(c->from, c->to))
			continue;
		if (!heading) {
			buf_puts(out, "  What changed:\n");
			heading = true;
		}
		clock_format_day_near(c->changed_at, now, day, sizeof day);
		if (c->from == HEALTH_NOT_ACTIVE)
			buf_printf(out, "  - %s: it became active and is %s.", day, label(c->to));
		else if (c->to == HEALTH_ON_TRACK)
			buf_printf(out, "  - %s: back on track (it was %s).", day, label(c->from));
		else
			buf_printf(out, "  - %s: from %s to %s.", day, label(c->from), label(c->to));
		/* The reason of the latest change is usually the reason now: say it once. */
		if (c->reason && *c->reason && !(p->reason && strcmp(c->reason, p->reason) == 0))
			buf_printf(out, " %s", c->reason);
		buf_putc(out, '\n');
	}
	if (p->n_actions) {
		buf_printf(out, "  %s past %s due date:\n", p->n_actions == 1 ? "Action" : "Actions",
			   p->n_actions == 1 ? "its" : "their");
		for (size_t i = 0; i < p->n_actions; i++) {
			const struct digest_action *a = &p->actions[i];
			clock_format_day_near(a->due_on, now, day, sizeof day);
			buf_printf(out, "  - %s (%s, due %s)\n", a->title && *a->title ? a->title : "An action",
				   a->owner && *a->owner ? a->owner : "no owner named yet", day);
		}
	}
	if (p->url && *p->url)
		buf_printf(out, "  Open it: %s\n", p->url);
}

void digest_compose(const struct digest *d, int64_t now, struct buf *out)
{
	if (!d)
		return;
	if (d->name && *d->name)
		buf_printf(out, "Hello %s,\n\n", d->name);
	else
		buf_puts(out, "Hello,\n\n");
	buf_puts(out, "Here is this week's note from Tandem about the partnerships you lead or keep going.\n");
	summary(d, out);
	/* Those with news first, then the rest, each group in the order given. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < d->n_partnerships; i++)
			if (digest_partnership_has_news(&d->partnerships[i]) == (pass == 0))
				one_partnership(&d->partnerships[i], now, out);
	buf_puts(out, "\nWhen you have met or finished an action, record it in Tandem and this note will catch up.\n\n"
		      "You get this email because you lead a partner school in a partnership, or keep one going. "
		      "It comes at most once a week, and only when there is something to tell you.\n\n"
		      "Thank you for keeping your partnerships going.\n"
		      "Tandem\n");
}
