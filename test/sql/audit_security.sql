-- The audit trail's functions ignore objects planted in the caller's
-- search_path: every SQL they run is schema-qualified and they run with
-- search_path = pg_catalog, pg_temp.  Stands alone; uses schema audit_sec.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\set VERBOSITY sqlstate

CREATE SCHEMA audit_sec;
CREATE FUNCTION audit_sec.trap(anyelement, anyelement) RETURNS boolean
	LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'hostile operator called'; END $$;
CREATE OPERATOR audit_sec.= (LEFTARG = xid8, RIGHTARG = xid8, FUNCTION = audit_sec.trap);
CREATE OPERATOR audit_sec.<> (LEFTARG = xid8, RIGHTARG = xid8, FUNCTION = audit_sec.trap);
CREATE OPERATOR audit_sec.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = audit_sec.trap);
CREATE OPERATOR audit_sec.= (LEFTARG = oid, RIGHTARG = oid, FUNCTION = audit_sec.trap);
CREATE FUNCTION audit_sec.unnest(anyarray) RETURNS SETOF anyelement
	LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'hostile unnest called'; END $$;
CREATE FUNCTION audit_sec.statement_timestamp() RETURNS timestamptz
	LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'hostile function called'; END $$;
CREATE TABLE audit_sec.audit_log (id int);
CREATE TABLE audit_sec.t (id int PRIMARY KEY, v text);
SET search_path = audit_sec, pg_catalog;

SELECT carbon_ledger.audit_enable('audit_sec.t');
INSERT INTO audit_sec.t VALUES (1, 'a');
UPDATE audit_sec.t SET v = 'b';
SELECT carbon_ledger.audit_seal() >= 0 AS sealed;
SELECT valid, unsealed_records, reason FROM carbon_ledger.audit_verify();
SELECT valid FROM carbon_ledger.audit_verify(carbon_ledger.audit_digest());
BEGIN;
SELECT carbon_ledger.audit_set_key(sha256('security test key')) > 0 AS key_set;
ROLLBACK;
SELECT count(*) FROM audit_sec.audit_log;
ALTER TABLE audit_sec.t DISABLE TRIGGER carbon_ledger_audit;
DROP TABLE audit_sec.t;
SELECT carbon_ledger.audit_disable('audit_sec.t');
RESET search_path;
DROP SCHEMA audit_sec CASCADE;
