-- The audit trail's SQL surface: enable/disable, what is recorded for each
-- kind of change, savepoints and aborts, sealing, verification, digests,
-- and the protections.  Stands alone; uses schema audit_api.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\set VERBOSITY sqlstate

CREATE SCHEMA audit_api;
CREATE TABLE audit_api.account (
	account_no text PRIMARY KEY,
	holder text,
	balance numeric NOT NULL DEFAULT 0
);
SELECT carbon_ledger.audit_enable('audit_api.account');
-- enabling twice, a view, and the trail itself are refused
SELECT carbon_ledger.audit_enable('audit_api.account');
CREATE VIEW audit_api.v AS SELECT 1 AS x;
SELECT carbon_ledger.audit_enable('audit_api.v');
SELECT carbon_ledger.audit_enable('carbon_ledger.audit_log');
SELECT tgname, tgenabled FROM pg_trigger
 WHERE tgrelid = 'audit_api.account'::regclass ORDER BY tgname;

-- the enable record
SELECT operation, table_name, row_key, old_row, new_row,
       session_user_name = session_user AS su, format_version,
       length(leaf_hash) AS leaf_bytes
  FROM carbon_ledger.audit_log
 WHERE table_name = 'audit_api.account' ORDER BY id;

-- INSERT, UPDATE, DELETE, COPY, TRUNCATE
INSERT INTO audit_api.account VALUES ('XZ-1', 'h1', 12.50);
UPDATE audit_api.account SET balance = balance + 1 WHERE account_no = 'XZ-1';
DELETE FROM audit_api.account WHERE account_no = 'XZ-1';
COPY audit_api.account FROM stdin;
XZ-2	h2	3
XZ-3	\N	4.000
\.
TRUNCATE audit_api.account;
SELECT ordinal, operation, row_key, old_row, new_row
  FROM carbon_ledger.audit_log
 WHERE table_name = 'audit_api.account' AND operation <> 'AUDIT ENABLE'
 ORDER BY id;

-- replica mode does not silence the trigger
SET session_replication_role = replica;
INSERT INTO audit_api.account VALUES ('XZ-4', 'replica', 1);
RESET session_replication_role;
SELECT operation, new_row->>'holder' AS holder FROM carbon_ledger.audit_log
 WHERE table_name = 'audit_api.account' ORDER BY id DESC LIMIT 1;

-- an aborted transaction and a rolled-back savepoint leave no record;
-- ordinals count the records of one transaction
BEGIN;
INSERT INTO audit_api.account VALUES ('XZ-5', 'aborted', 1);
ROLLBACK;
BEGIN;
INSERT INTO audit_api.account VALUES ('XZ-6', 'kept', 1);
SAVEPOINT s;
INSERT INTO audit_api.account VALUES ('XZ-7', 'rolled back', 1);
ROLLBACK TO s;
INSERT INTO audit_api.account VALUES ('XZ-8', 'kept', 1);
COMMIT;
SELECT ordinal, new_row->>'account_no' AS account_no
  FROM carbon_ledger.audit_log
 WHERE table_name = 'audit_api.account' AND new_row->>'holder' IN ('aborted', 'kept', 'rolled back')
 ORDER BY id;

-- every leaf hash is SHA-256(0x00 || canonical bytes rebuilt from columns)
SELECT count(*) AS records,
       count(*) FILTER (WHERE sha256('\x00'::bytea || carbon_ledger.audit_canonical_record(id)) = leaf_hash) AS matching
  FROM carbon_ledger.audit_log WHERE table_name = 'audit_api.account';

-- sealing links them; afterwards nothing committed is unsealed
SELECT carbon_ledger.audit_seal() >= 0 AS sealed;
SELECT valid, unsealed_records, first_bad_id, reason FROM carbon_ledger.audit_verify();
SELECT count(*) AS unsealed_left FROM carbon_ledger.audit_pending;
SELECT bool_and(x.xid IS NOT NULL) AS all_sealed
  FROM carbon_ledger.audit_log l
  LEFT JOIN carbon_ledger.audit_block_xact x ON x.xid = l.xid
 WHERE l.table_name = 'audit_api.account';

-- sealing inside a transaction leaves that transaction's records pending
BEGIN;
INSERT INTO audit_api.account VALUES ('XZ-9', 'own', 1);
SELECT carbon_ledger.audit_seal() >= 0 AS sealed;
SELECT count(*) AS own_pending FROM carbon_ledger.audit_pending
 WHERE xid = pg_current_xact_id();
COMMIT;
SELECT carbon_ledger.audit_seal() >= 0 AS sealed;
SELECT valid, unsealed_records, reason FROM carbon_ledger.audit_verify();

-- sealing needs READ COMMITTED
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT carbon_ledger.audit_seal();
ROLLBACK;

-- the digest: block number, hash, identity; verify(digest) proves it
SELECT (d).block_no > 0 AS has_blocks, length((d).block_hash) AS hash_bytes,
       (d).system_identifier = (SELECT system_identifier FROM pg_control_system()) AS same_system,
       (d).database_oid = (SELECT oid FROM pg_database WHERE datname = current_database()) AS same_db
  FROM (SELECT carbon_ledger.audit_digest() AS d) s;
SELECT valid, reason FROM carbon_ledger.audit_verify(carbon_ledger.audit_digest());
-- a digest of another database, an unknown hash, a block not yet sealed
SELECT valid, reason ~ '^digest not in chain: the digest belongs to database' AS other_db
  FROM carbon_ledger.audit_verify(ROW((carbon_ledger.audit_digest()).block_no,
       (carbon_ledger.audit_digest()).block_hash, 1, 1, 'elsewhere')::carbon_ledger.audit_chain_digest);
SELECT valid, reason ~ '^digest not in chain: block \d+ has another hash' AS other_hash
  FROM carbon_ledger.audit_verify(ROW((carbon_ledger.audit_digest()).block_no,
       sha256('x'), (carbon_ledger.audit_digest()).system_identifier,
       (carbon_ledger.audit_digest()).database_oid, 'x')::carbon_ledger.audit_chain_digest);
SELECT valid, reason ~ '^digest not in chain: block \d+ does not exist' AS future
  FROM carbon_ledger.audit_verify(ROW((carbon_ledger.audit_digest()).block_no + 1000,
       sha256('x'), (carbon_ledger.audit_digest()).system_identifier,
       (carbon_ledger.audit_digest()).database_oid, 'x')::carbon_ledger.audit_chain_digest);
-- a malformed digest: the reason names what is wrong with it
SELECT valid, reason
  FROM carbon_ledger.audit_verify(ROW(1, '\x00', 1, 1, 'x')::carbon_ledger.audit_chain_digest);
SELECT valid, reason
  FROM carbon_ledger.audit_verify(ROW(-1, sha256('x'), 1, 1, 'x')::carbon_ledger.audit_chain_digest);
SELECT valid, reason
  FROM carbon_ledger.audit_verify(ROW(1, NULL, 1, 1, 'x')::carbon_ledger.audit_chain_digest);
-- a NULL digest is an error, not a row of NULLs whose valid is NULL
SELECT valid FROM carbon_ledger.audit_verify(NULL::carbon_ledger.audit_chain_digest);

-- the trail is append-only, for the superuser too
UPDATE carbon_ledger.audit_log SET operation = 'x' WHERE table_name = 'audit_api.account';
DELETE FROM carbon_ledger.audit_log WHERE table_name = 'audit_api.account';
TRUNCATE carbon_ledger.audit_log;
TRUNCATE carbon_ledger.audit_block_xact;
DELETE FROM carbon_ledger.audit_block;
TRUNCATE carbon_ledger.audit_pending;
SET session_replication_role = replica;
DELETE FROM carbon_ledger.audit_log WHERE table_name = 'audit_api.account';
RESET session_replication_role;

-- audit triggers cannot be disabled, renamed or dropped behind its back
ALTER TABLE audit_api.account DISABLE TRIGGER carbon_ledger_audit;
ALTER TABLE audit_api.account DISABLE TRIGGER ALL;
ALTER TABLE audit_api.account ENABLE TRIGGER carbon_ledger_audit;
ALTER TRIGGER carbon_ledger_audit ON audit_api.account RENAME TO quiet;
ALTER TABLE carbon_ledger.audit_log DISABLE TRIGGER audit_log_append_only;
DROP TRIGGER carbon_ledger_audit ON audit_api.account;
DROP TABLE audit_api.account;
SELECT tgname, tgenabled FROM pg_trigger
 WHERE tgrelid = 'audit_api.account'::regclass ORDER BY tgname;

-- ordinary roles: no access to the trail, no keys, no admin functions
CREATE ROLE audit_api_clerk;
GRANT USAGE ON SCHEMA audit_api TO audit_api_clerk;
GRANT ALL ON audit_api.account TO audit_api_clerk;
SET ROLE audit_api_clerk;
INSERT INTO audit_api.account VALUES ('XZ-10', 'clerk', 1);
SELECT count(*) FROM carbon_ledger.audit_log;
INSERT INTO carbon_ledger.audit_log (id) VALUES (1);
INSERT INTO carbon_ledger.audit_pending VALUES ('1', 1, 1, '\x00');
SELECT * FROM carbon_ledger.audit_key;
SELECT carbon_ledger.audit_set_key(sha256('k'));
SELECT carbon_ledger.audit_seal();
SELECT carbon_ledger.audit_disable('audit_api.account');
RESET ROLE;
SELECT session_user_name = session_user AS su, current_user_name
  FROM carbon_ledger.audit_log
 WHERE table_name = 'audit_api.account' ORDER BY id DESC LIMIT 1;

-- keys: superuser only, at least 32 bytes
SELECT carbon_ledger.audit_set_key('\x0102');
SELECT carbon_ledger.audit_restore_key(99, sha256('k'));

-- disabling is recorded, then the table can be dropped
SELECT carbon_ledger.audit_disable('audit_api.account');
SELECT carbon_ledger.audit_disable('audit_api.account');
SELECT operation FROM carbon_ledger.audit_log
 WHERE table_name = 'audit_api.account' ORDER BY id DESC LIMIT 1;
INSERT INTO audit_api.account VALUES ('XZ-11', 'not audited', 1);
SELECT count(*) FROM carbon_ledger.audit_log WHERE new_row->>'account_no' = 'XZ-11';
DROP TABLE audit_api.account;
SELECT carbon_ledger.audit_seal() >= 0 AS sealed;
SELECT valid, unsealed_records, reason FROM carbon_ledger.audit_verify();

-- partitioned tables: the row trigger reaches every partition, present
-- and future, enabled always; records name the partition
CREATE TABLE audit_api.part (id int PRIMARY KEY, v text) PARTITION BY RANGE (id);
CREATE TABLE audit_api.part1 PARTITION OF audit_api.part FOR VALUES FROM (0) TO (100);
SELECT carbon_ledger.audit_enable('audit_api.part');
CREATE TABLE audit_api.part2 PARTITION OF audit_api.part FOR VALUES FROM (100) TO (200);
SELECT tgrelid::regclass, tgname, tgenabled FROM pg_trigger
 WHERE tgrelid IN ('audit_api.part'::regclass, 'audit_api.part1'::regclass, 'audit_api.part2'::regclass)
 ORDER BY 1, 2;
INSERT INTO audit_api.part VALUES (1, 'a'), (150, 'b');
SELECT table_name, operation, new_row FROM carbon_ledger.audit_log
 WHERE table_name LIKE 'audit_api.part%' AND operation = 'INSERT' ORDER BY id;
DROP TABLE audit_api.part2;
SELECT carbon_ledger.audit_disable('audit_api.part');
DROP TABLE audit_api.part;

-- a table with no primary key or replica identity index is audited, with
-- a warning: its records have no row key, their images are complete; a
-- replica identity index serves as the key
CREATE TABLE audit_api.keyless (a int, b text);
\set VERBOSITY default
SELECT carbon_ledger.audit_enable('audit_api.keyless');
\set VERBOSITY sqlstate
INSERT INTO audit_api.keyless VALUES (1, 'x');
SELECT row_key, new_row FROM carbon_ledger.audit_log
 WHERE table_name = 'audit_api.keyless' AND operation = 'INSERT';
SELECT carbon_ledger.audit_disable('audit_api.keyless');
CREATE UNIQUE INDEX keyless_a ON audit_api.keyless (a);
ALTER TABLE audit_api.keyless ALTER a SET NOT NULL,
	REPLICA IDENTITY USING INDEX keyless_a;
SELECT carbon_ledger.audit_enable('audit_api.keyless');
INSERT INTO audit_api.keyless VALUES (2, 'y');
SELECT row_key, new_row FROM carbon_ledger.audit_log
 WHERE table_name = 'audit_api.keyless' AND operation = 'INSERT' ORDER BY id;
SELECT carbon_ledger.audit_disable('audit_api.keyless');

DROP SCHEMA audit_api CASCADE;
DROP ROLE audit_api_clerk;
