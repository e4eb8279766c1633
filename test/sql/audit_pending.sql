-- The pending queue holds one entry per transaction: savepoints that roll
-- back the subtransaction that made the entry, released savepoints and
-- PL/pgSQL exception blocks must still leave every committed record sealed.
-- Stands alone; uses schema audit_pending_t.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\set VERBOSITY sqlstate

CREATE SCHEMA audit_pending_t;
CREATE TABLE audit_pending_t.t (k int PRIMARY KEY, v text);
SELECT carbon_ledger.audit_enable('audit_pending_t.t');
SELECT carbon_ledger.audit_seal() >= 0 AS sealed;

-- one queue entry for a transaction of many records
BEGIN;
INSERT INTO audit_pending_t.t SELECT g, 'many' FROM generate_series(1, 50) g;
UPDATE audit_pending_t.t SET v = 'many, updated' WHERE k <= 10;
SELECT count(*) AS queue_entries FROM carbon_ledger.audit_pending
 WHERE xid = pg_current_xact_id();
COMMIT;

-- the first record (and its queue entry) in a savepoint rolled back, the
-- next ones after it: a new entry is made
BEGIN;
SAVEPOINT a;
INSERT INTO audit_pending_t.t VALUES (101, 'rolled back');
ROLLBACK TO a;
SELECT count(*) AS queue_entries_after_rollback FROM carbon_ledger.audit_pending
 WHERE xid = pg_current_xact_id();
INSERT INTO audit_pending_t.t VALUES (102, 'kept after rollback');
SAVEPOINT b;
INSERT INTO audit_pending_t.t VALUES (103, 'released');
RELEASE b;
SELECT count(*) AS queue_entries FROM carbon_ledger.audit_pending
 WHERE xid = pg_current_xact_id();
COMMIT;

-- nested: the entry is made in an inner savepoint that is released into an
-- outer one, which then rolls back
BEGIN;
SAVEPOINT outer_sp;
SAVEPOINT inner_sp;
INSERT INTO audit_pending_t.t VALUES (111, 'inner, released, outer rolled back');
RELEASE inner_sp;
ROLLBACK TO outer_sp;
INSERT INTO audit_pending_t.t VALUES (112, 'kept after nested rollback');
COMMIT;

-- a PL/pgSQL exception block (a subtransaction) that fails after recording
DO $$
BEGIN
	BEGIN
		INSERT INTO audit_pending_t.t VALUES (121, 'in failed block');
		PERFORM 1 / 0;
	EXCEPTION WHEN division_by_zero THEN
		NULL;
	END;
	INSERT INTO audit_pending_t.t VALUES (122, 'after failed block');
END $$;

-- every committed change is recorded once, nothing else; all are sealed
SELECT count(*) AS records,
       count(DISTINCT (xid, ordinal)) AS distinct_records
  FROM carbon_ledger.audit_log WHERE table_name = 'audit_pending_t.t'
   AND operation IN ('INSERT', 'UPDATE');
SELECT string_agg(new_row->>'k', ',' ORDER BY (new_row->>'k')::int) AS recorded
  FROM carbon_ledger.audit_log WHERE table_name = 'audit_pending_t.t'
   AND operation = 'INSERT' AND (new_row->>'k')::int > 100;
SELECT carbon_ledger.audit_seal() >= 0 AS sealed;
SELECT count(*) AS unsealed_left FROM carbon_ledger.audit_pending;
SELECT count(*) AS records_outside_blocks
  FROM carbon_ledger.audit_log l
 WHERE l.table_name = 'audit_pending_t.t'
   AND NOT EXISTS (SELECT FROM carbon_ledger.audit_block_xact x
                    WHERE x.xid = l.xid AND x.xact_start = l.xact_start);
SELECT valid, unsealed_records, reason FROM carbon_ledger.audit_verify();

SELECT carbon_ledger.audit_disable('audit_pending_t.t');
SELECT carbon_ledger.audit_seal() >= 0 AS sealed;
