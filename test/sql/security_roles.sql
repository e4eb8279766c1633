-- The four roles of the extension (docs/security.md): each does its duty,
-- and none of them, nor a role with no grant at all, can change a balance,
-- write or delete audit records, disable triggers or read the HMAC key.
-- Every attempt runs under SET ROLE inside a subtransaction that is always
-- rolled back (sec_try below), so the attempts leave nothing behind and the
-- table shows what each statement did: "ok" or its SQLSTATE and message.
-- Uses accounts ROLE-* and the schemas sec_roles and sec_play.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\pset format unaligned
\pset fieldsep ' | '

-- the roles exist, cannot log in and are not superusers
SELECT rolname, rolcanlogin, rolsuper, rolcreaterole, rolbypassrls
  FROM pg_roles WHERE rolname LIKE 'carbon\_ledger\_%' ORDER BY 1;

-- a role with no grant at all, and a schema where everyone may create the
-- tables and triggers of an attack
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_sec_nobody;
RESET client_min_messages;
CREATE ROLE regress_sec_nobody NOLOGIN;
CREATE SCHEMA sec_roles;
CREATE SCHEMA sec_play;
GRANT USAGE ON SCHEMA sec_roles TO PUBLIC;
GRANT USAGE, CREATE ON SCHEMA sec_play TO PUBLIC;

-- sec_try(role, statement): runs the statement as the role in a
-- subtransaction that is rolled back; returns 'ok' or 'SQLSTATE: message'.
CREATE FUNCTION sec_roles.sec_try(r text, stmt text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	BEGIN
		PERFORM pg_catalog.set_config('role', r, true);
		EXECUTE stmt;
		RAISE EXCEPTION USING ERRCODE = 'ZZ999', MESSAGE = 'sec_try: ok';
	EXCEPTION WHEN OTHERS THEN
		IF SQLSTATE = 'ZZ999' THEN
			RETURN 'ok';
		END IF;
		RETURN SQLSTATE || ': ' || SQLERRM;
	END;
END
$$;

INSERT INTO carbon_ledger.programme (programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('ROLE', 'roles test', 100, '10 years');
INSERT INTO carbon_ledger.account (account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('ROLE-1', 'h1', 'ROLE', '540102', '2024-01-01');
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('ROLE-1', 'bus', '100 kg', '2024-02-01 09:00+08', 'role-1');
SELECT account_no, balance FROM carbon_ledger.account WHERE account_no = 'ROLE-1';

CREATE TABLE sec_roles.attempt (n int, what text, stmt text);
INSERT INTO sec_roles.attempt VALUES
-- the duties
 (1, 'read the ledger', $$SELECT count(*) FROM carbon_ledger.activity$$),
 (2, 'regional summary', $$SELECT count(*) FROM carbon_ledger.regional_summary('2024-01-01', '2024-12-31')$$),
 (3, 'book an activity', $$INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id) VALUES ('ROLE-1', 'bus', '1 kg', '2024-03-01', 'role-try-1')$$),
 (4, 'redeem', $$INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id) VALUES ('ROLE-1', 1, 'tea', 'role-try-2')$$),
 (5, 'open an account', $$INSERT INTO carbon_ledger.account (account_no, holder_ref, programme_id, region_code) VALUES ('ROLE-2', 'h2', 'ROLE', '540102')$$),
 (6, 'freeze an account', $$UPDATE carbon_ledger.account SET status = 'frozen' WHERE account_no = 'ROLE-1'$$),
 (7, 'book a loan', $$INSERT INTO carbon_ledger.green_loan (loan_no, borrower_uscc, region_code, green_category, principal, issue_date, maturity_date, rate, project_investment) VALUES ('ROLE-L1', '91350100M000100Y43', '540102', 'clean energy', 1000, '2024-01-01', '2025-01-01', 3.45, 2000)$$),
 (8, 'expire credits', $$SELECT count(*) FROM carbon_ledger.expire_credits()$$),
 (9, 'verify the audit trail', $$SELECT valid FROM carbon_ledger.audit_verify()$$),
 (10, 'read the audit log', $$SELECT count(*) FROM carbon_ledger.audit_log$$),
 (11, 'lots of an account', $$SELECT count(*) FROM carbon_ledger.account_lots('ROLE-1')$$),
 (12, 'check balances', $$SELECT count(*) FROM carbon_ledger.check_balances()$$),
 (13, 'balance of a loan', $$SELECT carbon_ledger.loan_balance('ROLE-L1', '2024-06-30') IS NULL$$),
-- changing a balance
 (20, 'set a balance', $$UPDATE carbon_ledger.account SET balance = 1000000 WHERE account_no = 'ROLE-1'$$),
 (21, 'open with a balance', $$INSERT INTO carbon_ledger.account (account_no, holder_ref, programme_id, region_code, balance) VALUES ('ROLE-3', 'h3', 'ROLE', '540102', 1000)$$),
 (22, 'call adjust_balance', $$SELECT carbon_ledger.adjust_balance('ROLE-1', 1000000)$$),
 (23, 'write a credit lot', $$INSERT INTO carbon_ledger.credit_lot VALUES (-1, 'ROLE-1', 1000, now(), now() + interval '1 year')$$),
 (24, 'write off credits', $$INSERT INTO carbon_ledger.credit_expiry (lot_id, account_no, credits, expired_at) SELECT lot_id, account_no, credits, expires_at FROM carbon_ledger.credit_lot WHERE account_no = 'ROLE-1'$$),
 (25, 'change an activity', $$UPDATE carbon_ledger.activity SET credits = 1000000 WHERE account_no = 'ROLE-1'$$),
 (26, 'delete a redemption', $$DELETE FROM carbon_ledger.redemption$$),
 (27, 'balance from own trigger', $$CREATE TABLE sec_play.t (a int); CREATE FUNCTION sec_play.f() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN UPDATE carbon_ledger.account SET balance = 1000000 WHERE account_no = ''ROLE-1''; RETURN NULL; END'; CREATE TRIGGER f AFTER INSERT ON sec_play.t FOR EACH ROW EXECUTE FUNCTION sec_play.f(); INSERT INTO sec_play.t VALUES (1)$$),
 (28, 'borrow the booking trigger', $$CREATE TABLE sec_play.a (LIKE carbon_ledger.activity); CREATE TRIGGER b BEFORE INSERT ON sec_play.a FOR EACH ROW EXECUTE FUNCTION carbon_ledger.activity_book()$$),
-- the audit trail
 (30, 'insert an audit record', $$INSERT INTO carbon_ledger.audit_log (id) VALUES (-1)$$),
 (31, 'change an audit record', $$UPDATE carbon_ledger.audit_log SET operation = 'DELETE'$$),
 (32, 'delete audit records', $$DELETE FROM carbon_ledger.audit_log$$),
 (33, 'truncate the audit log', $$TRUNCATE carbon_ledger.audit_log$$),
 (34, 'drop pending records', $$DELETE FROM carbon_ledger.audit_pending$$),
 (35, 'change a block', $$UPDATE carbon_ledger.audit_block SET block_hash = '\x00'$$),
 (36, 'stop auditing a table', $$SELECT carbon_ledger.audit_disable('carbon_ledger.activity')$$),
 (37, 'attach the audit trigger', $$CREATE TABLE sec_play.au (a int PRIMARY KEY); CREATE TRIGGER au AFTER INSERT ON sec_play.au FOR EACH ROW EXECUTE FUNCTION carbon_ledger.audit_trigger(); INSERT INTO sec_play.au VALUES (1)$$),
-- triggers
 (40, 'disable a rule trigger', $$ALTER TABLE carbon_ledger.redemption DISABLE TRIGGER redemption_book$$),
 (41, 'disable the audit triggers', $$ALTER TABLE carbon_ledger.activity DISABLE TRIGGER ALL$$),
 (42, 'drop a rule trigger', $$DROP TRIGGER account_guard_balance ON carbon_ledger.account$$),
 (43, 'replica mode', $$SET LOCAL session_replication_role = replica$$),
-- the HMAC key
 (50, 'read the HMAC keys', $$SELECT count(key) FROM carbon_ledger.audit_key$$),
 (51, 'set an HMAC key', $$SELECT carbon_ledger.audit_set_key(sha256('k'))$$),
 (52, 'restore an HMAC key', $$SELECT carbon_ledger.audit_restore_key(1, sha256('k'))$$),
 (53, 'read the list of HMAC keys', $$SELECT count(*) FROM (SELECT key_id, first_block FROM carbon_ledger.audit_key) k$$);

SELECT a.n, a.what, r.role, sec_roles.sec_try(r.role, a.stmt) AS result
  FROM sec_roles.attempt a
 CROSS JOIN (VALUES (1, 'carbon_ledger_reader'), (2, 'carbon_ledger_booker'),
			 (3, 'carbon_ledger_manager'), (4, 'carbon_ledger_auditor'),
			 (5, 'regress_sec_nobody')) r(k, role)
 ORDER BY a.n, r.k;

-- nothing above left a trace: the balance, the ledger and the play schema
-- are as they were, and the chain verifies
SELECT account_no, balance FROM carbon_ledger.account WHERE account_no LIKE 'ROLE-%';
SELECT count(*) AS play_objects FROM pg_class WHERE relnamespace = 'sec_play'::regnamespace;
SELECT * FROM carbon_ledger.check_balances();
SELECT carbon_ledger.audit_seal() >= 0 AS sealed;
SELECT valid, reason FROM carbon_ledger.audit_verify();

-- no ordinary role holds any privilege on the key table, a balance or the
-- bookkeeping tables' writes; PUBLIC holds none on the ledger's tables
SELECT r.rolname, c.relname, p.privilege_type
  FROM pg_class c
 CROSS JOIN (VALUES ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'),
			 ('TRIGGER'), ('REFERENCES')) p(privilege_type)
  JOIN pg_roles r ON r.rolname LIKE 'carbon\_ledger\_%'
 WHERE c.relnamespace = 'carbon_ledger'::regnamespace AND c.relkind = 'r'
   AND pg_catalog.has_table_privilege(r.oid, c.oid, p.privilege_type)
 ORDER BY 1, 2, 3;
SELECT r.rolname, pg_catalog.has_column_privilege(r.oid,
		'carbon_ledger.account', 'balance', 'UPDATE') AS update_balance,
	   pg_catalog.has_table_privilege(r.oid, 'carbon_ledger.audit_key',
		'SELECT') AS read_key
  FROM pg_roles r WHERE r.rolname LIKE 'carbon\_ledger\_%' ORDER BY 1;
SELECT count(*) AS public_grants
  FROM pg_class c, aclexplode(c.relacl) a
 WHERE c.relnamespace = 'carbon_ledger'::regnamespace AND a.grantee = 0;

DROP SCHEMA sec_roles CASCADE;
DROP SCHEMA sec_play CASCADE;
DROP ROLE regress_sec_nobody;
