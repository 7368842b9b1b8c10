// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * jobs.c — the programme's job of `tandem serve` (a job of the runner in
 * app/jobs.h): at start and then every minute it passes on the offers of
 * freed places that nobody answered in time (prog_offers_expire), each
 * session in its own short transaction, so the next person in line is
 * offered the place within a minute of the offer running out (booking on a
 * session does the same for that session at once); and it queues the
 * reminders that are due (reminders.c) and the requests for feedback of
 * sessions that have ended (feedback.c).
 */
#include "app/jobs.h"
#include "app/programme/programme.h"
#include "app/programme/prog.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"

/* One pass over the lapsed offers and the reminders due, logged when it did anything. */
static int offers_run(struct db *db, const struct config *config, int64_t now)
{
	struct arena *a = arena_new();
	int passed = 0, sent = 0;
	int rc = prog_offers_expire(db, a, config->base_url, now, &passed);
	if (rc == 0 && passed)
		log_info("programme: %d offer%s ran out and passed to the next in line", passed, passed == 1 ? "" : "s");
	if (rc == 0)
		rc = prog_reminders_run(db, a, config->base_url, now, &sent);
	if (rc == 0 && sent)
		log_info("programme: %d reminder%s queued", sent, sent == 1 ? "" : "s");
	if (rc == 0)
		rc = prog_feedback_invite(db, a, config->base_url, now, &sent);
	if (rc == 0 && sent)
		log_info("programme: %d feedback request%s queued", sent, sent == 1 ? "" : "s");
	arena_free(a);
	return rc;
}

const struct job programme_offers_job = {
	.name = "programme offers and reminders",
	.run = offers_run,
	.min_interval = 60,
};
