-- carbon_ledger.audit_record_leaf(): the leaf hash of a stored record
-- recomputed from its columns, which audit_verify() computes for every
-- record (in parallel workers when the log is large).  It must give the
-- stored leaf for every record the trigger wrote, another hash when any
-- hashed column differs, and NULL for a record the trigger cannot have
-- written.  Stands alone; uses schema audit_leaf_t.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\set VERBOSITY sqlstate

CREATE SCHEMA audit_leaf_t;
CREATE TABLE audit_leaf_t.t (k int PRIMARY KEY, v text, n numeric, at timestamptz);
SELECT carbon_ledger.audit_enable('audit_leaf_t.t');
INSERT INTO audit_leaf_t.t VALUES (1, 'a', 1.0, '2026-01-01 00:00+00'), (2, NULL, NULL, NULL);
UPDATE audit_leaf_t.t SET v = 'b', n = 1.00 WHERE k = 1;
DELETE FROM audit_leaf_t.t WHERE k = 2;
SET TimeZone = 'Asia/Shanghai';
SET DateStyle = 'SQL, DMY';

CREATE TEMP VIEW leaf_rows AS
SELECT carbon_ledger.audit_record_leaf(l.id, l.xid, l.ordinal, l.table_name,
		   l.operation, l.row_key, l.old_row, l.new_row, l.session_user_name,
		   l.current_user_name, l.xact_start, l.stmt_time, l.format_version)
		   AS leaf,
	   l.*
  FROM carbon_ledger.audit_log l
 WHERE l.table_name = 'audit_leaf_t.t';

-- every record: the recomputed leaf is the stored one, whatever the
-- session's settings
SELECT operation, leaf = leaf_hash AS leaf_matches
  FROM leaf_rows ORDER BY id;

-- any hashed column changed gives another leaf
SELECT count(*) FILTER (WHERE changed = leaf_hash) AS unchanged,
	   count(*) AS variants
  FROM leaf_rows r,
  LATERAL (VALUES
	(carbon_ledger.audit_record_leaf(r.id + 1, r.xid, r.ordinal, r.table_name,
		r.operation, r.row_key, r.old_row, r.new_row, r.session_user_name,
		r.current_user_name, r.xact_start, r.stmt_time, r.format_version)),
	(carbon_ledger.audit_record_leaf(r.id, r.xid, r.ordinal + 1, r.table_name,
		r.operation, r.row_key, r.old_row, r.new_row, r.session_user_name,
		r.current_user_name, r.xact_start, r.stmt_time, r.format_version)),
	(carbon_ledger.audit_record_leaf(r.id, r.xid, r.ordinal, r.table_name,
		r.operation, r.row_key, r.old_row,
		coalesce(r.new_row, '{}') || '{"v": "forged"}', r.session_user_name,
		r.current_user_name, r.xact_start, r.stmt_time, r.format_version)),
	(carbon_ledger.audit_record_leaf(r.id, r.xid, r.ordinal, r.table_name,
		r.operation, r.row_key, r.old_row, r.new_row, 'someone else',
		r.current_user_name, r.xact_start, r.stmt_time, r.format_version)),
	(carbon_ledger.audit_record_leaf(r.id, r.xid, r.ordinal, r.table_name,
		r.operation, r.row_key, r.old_row, r.new_row, r.session_user_name,
		r.current_user_name, r.xact_start, r.stmt_time + interval '1 microsecond',
		r.format_version))) v(changed);

-- a record the trigger cannot have written: NULL
SELECT carbon_ledger.audit_record_leaf(id, xid, ordinal, table_name, operation,
		   row_key, old_row, new_row, session_user_name, current_user_name,
		   xact_start, stmt_time, 99) IS NULL AS unknown_version,
	   carbon_ledger.audit_record_leaf(id, xid, ordinal, table_name, operation,
		   '[1]', old_row, new_row, session_user_name, current_user_name,
		   xact_start, stmt_time, format_version) IS NULL AS key_not_object,
	   carbon_ledger.audit_record_leaf(id, xid, ordinal, table_name, operation,
		   row_key, old_row, '{"v": 1}', session_user_name, current_user_name,
		   xact_start, stmt_time, format_version) IS NULL AS value_not_string,
	   carbon_ledger.audit_record_leaf(NULL, xid, ordinal, table_name, operation,
		   row_key, old_row, new_row, session_user_name, current_user_name,
		   xact_start, stmt_time, format_version) IS NULL AS no_id
  FROM leaf_rows WHERE operation = 'INSERT' ORDER BY id LIMIT 1;

-- absent images (NULL) hash differently from empty ones
SELECT carbon_ledger.audit_record_leaf(id, xid, ordinal, table_name, operation,
		   row_key, NULL, new_row, session_user_name, current_user_name,
		   xact_start, stmt_time, format_version)
	   IS DISTINCT FROM
	   carbon_ledger.audit_record_leaf(id, xid, ordinal, table_name, operation,
		   row_key, '{}', new_row, session_user_name, current_user_name,
		   xact_start, stmt_time, format_version) AS null_and_empty_differ
  FROM leaf_rows WHERE operation = 'INSERT' ORDER BY id LIMIT 1;

-- it runs in parallel workers (PARALLEL SAFE) and needs no privilege
SELECT proparallel, prosecdef, proconfig
  FROM pg_proc WHERE oid = 'carbon_ledger.audit_record_leaf'::regproc;
-- the audit trigger runs without a function-level SET (each call would
-- otherwise go through fmgr_security_definer) and not as its owner
SELECT prosecdef, proconfig
  FROM pg_proc WHERE oid = 'carbon_ledger.audit_trigger'::regproc;

-- audit_verify() with parallel workers reading the log (the settings make
-- the planner choose them even for this small log) reports what it
-- reports serially, in the same snapshot
BEGIN ISOLATION LEVEL REPEATABLE READ;
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT valid AS s_valid, records_checked AS s_records,
	   unsealed_records AS s_unsealed, coalesce(reason, '') AS s_reason
  FROM carbon_ledger.audit_verify() \gset
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL parallel_leader_participation = off;
SELECT valid = :'s_valid'::boolean AS same_valid,
	   records_checked = :s_records AS same_records,
	   unsealed_records = :s_unsealed AS same_unsealed,
	   coalesce(reason, '') = :'s_reason' AS same_reason
  FROM carbon_ledger.audit_verify();
COMMIT;

RESET TimeZone;
RESET DateStyle;
SELECT carbon_ledger.audit_disable('audit_leaf_t.t');
SET client_min_messages = warning;
DROP SCHEMA audit_leaf_t CASCADE;
RESET client_min_messages;
