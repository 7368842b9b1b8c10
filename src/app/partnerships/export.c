// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * export.c — the partnerships part of "download all your data"
 * (accounts_export_parts in app.c): every partnership record the person
 * wrote or that names them — introductions they asked for or answered,
 * signatures, meetings they recorded, actions they own, time they logged,
 * evidence they entered and reflections they wrote. Each list is in the
 * order it happened.
 */
#include "app/partnerships/partnerships.h"

#include "db/db.h"

DB_QUERY(Q_PX_INTRODUCTIONS,
	 "SELECT id, network_id, from_urn, to_urn, message, state, reason, created_at, answered_at, "
	 "CASE WHEN requested_by = ?1 THEN 'asked' ELSE 'answered' END AS part FROM introduction "
	 "WHERE requested_by = ?1 OR answered_by = ?1 ORDER BY created_at, id");
DB_QUERY(Q_PX_SIGNATURES,
	 "SELECT partnership_id, urn, digest, signed_at FROM partnership_signature WHERE person_id = ? "
	 "ORDER BY signed_at, id");
DB_QUERY(Q_PX_MEETINGS,
	 "SELECT partnership_id, held_at, minutes, location, attendees, notes, created_at FROM meeting "
	 "WHERE created_by = ? ORDER BY created_at, id");
DB_QUERY(Q_PX_ACTIONS,
	 "SELECT partnership_id, title, due_on, done_at, created_at FROM action WHERE owner_person_id = ? "
	 "ORDER BY created_at, id");
DB_QUERY(Q_PX_TIME,
	 "SELECT partnership_id, urn, worked_on, hours, note, created_at FROM time_log WHERE person_id = ? "
	 "ORDER BY created_at, id");
DB_QUERY(Q_PX_EVIDENCE,
	 "SELECT m.partnership_id, m.name AS measure, v.measured_on, v.value, v.note, v.created_at "
	 "FROM evidence_value v JOIN partnership_measure m ON m.id = v.measure_id WHERE v.created_by = ? "
	 "ORDER BY v.created_at, v.id");
DB_QUERY(Q_PX_REFLECTIONS,
	 "SELECT partnership_id, worked, did_not_work, created_at FROM reflection WHERE person_id = ? "
	 "ORDER BY created_at, id");

json_t *partnerships_export_person(struct db *db, int64_t person_id)
{
	static const struct {
		const char *key;
		const struct db_query *q;
	} parts[] = {{"introductions", &Q_PX_INTRODUCTIONS}, {"signatures", &Q_PX_SIGNATURES},
		     {"meetings_recorded", &Q_PX_MEETINGS},   {"actions_owned", &Q_PX_ACTIONS},
		     {"time_logged", &Q_PX_TIME},             {"evidence_entered", &Q_PX_EVIDENCE},
		     {"reflections", &Q_PX_REFLECTIONS}};
	json_t *out = json_object();
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		struct db_stmt *st = db_stmt(db, parts[i].q);
		json_t *rows = st && !db_bind_int(st, 1, person_id) ? db_rows_json(st) : NULL;
		if (!rows) {
			json_decref(out);
			return NULL;
		}
		json_object_set_new(out, parts[i].key, rows);
	}
	return out;
}
