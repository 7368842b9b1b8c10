// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * digest_job.c — the partnership health job of `tandem serve` (a job of the
 * runner in app/jobs.h): at start and then every TANDEM_DIGEST_INTERVAL
 * seconds (default an hour; 0 turns it off) it runs the health sweep and
 * queues the weekly digests that are due (ps_digest_run). The digest itself
 * decides who is due, so running it often never sends twice in a week. A
 * run in progress finishes its transaction before the server stops.
 * `tandem digest` (cli.c) runs the same once, for cron.
 */
#include <stdio.h>

#include "app/jobs.h"
#include "app/partnerships/partnerships.h"
#include "app/partnerships/ps.h"
#include "core/config.h"
#include "core/log.h"

/* Off when TANDEM_DIGEST_INTERVAL is 0. */
static int digest_start(const struct config *config, int *interval, char *err, size_t errsz)
{
	(void)err, (void)errsz;
	*interval = config->digest_interval;
	if (*interval <= 0)
		log_info("partnerships: TANDEM_DIGEST_INTERVAL is 0, so health is not swept and no digest is sent "
			 "(run `tandem digest` instead)");
	return 0;
}

/* One sweep and digest run, logged. */
static int digest_run(struct db *db, const struct config *config, int64_t now)
{
	struct ps_digest_report rep;
	ps_digest_report_init(&rep);
	int rc = ps_digest_run(db, config->base_url, now, false, &rep);
	/* A failure is logged by the runner; the sweep and the digests each roll back whole. */
	if (!rc && (rep.changes || rep.digests)) {
		log_info("partnerships: %d checked, %d health change%s, %d digest%s queued", rep.checked, rep.changes,
			 rep.changes == 1 ? "" : "s", rep.digests, rep.digests == 1 ? "" : "s");
	}
	ps_digest_report_free(&rep);
	return rc;
}

const struct job partnerships_digest_job = {
	.name = "partnership health and digest",
	.start = digest_start,
	.run = digest_run,
};
