-- Inheritance children of audited tables.  An audited table's row
-- triggers do not fire for the rows of its inheritance children (unlike
-- partitions, which get them cloned), so a change made through the
-- parent to a child's row would go unrecorded.  Every inheritance child
-- of an audited table must itself be audited: CREATE TABLE ... INHERITS
-- and ALTER TABLE ... INHERIT of an audited table by a table that is not
-- audited are refused (LA011, the event trigger guard), audit_enable()
-- refuses a table with children that are not audited, and audit_disable()
-- refuses a child whose parent is audited.  Stands alone; uses schema
-- audit_inh.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\pset format unaligned
\pset fieldsep ' | '

CREATE FUNCTION pg_temp.try(stmt text,
	OUT state text, OUT message text, OUT detail text, OUT hint text)
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE stmt;
	state := '00000';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE,
		message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL,
		hint = PG_EXCEPTION_HINT;
END
$$;

CREATE SCHEMA audit_inh;
CREATE TABLE audit_inh.acct (id int PRIMARY KEY, amount int NOT NULL);
SELECT carbon_ledger.audit_enable('audit_inh.acct');
INSERT INTO audit_inh.acct VALUES (1, 100);

-- a new table cannot inherit from an audited table
SELECT * FROM pg_temp.try($$CREATE TABLE audit_inh.acct_child () INHERITS (audit_inh.acct)$$);
SELECT to_regclass('audit_inh.acct_child') AS created;
-- nor an existing table that is not audited
CREATE TABLE audit_inh.acct_child (id int PRIMARY KEY, amount int NOT NULL);
SELECT * FROM pg_temp.try($$ALTER TABLE audit_inh.acct_child INHERIT audit_inh.acct$$);
SELECT count(*) AS parents FROM pg_inherits
 WHERE inhrelid = 'audit_inh.acct_child'::regclass;
-- nor a foreign table, which cannot be audited at all
CREATE FOREIGN DATA WRAPPER audit_inh_fdw;
CREATE SERVER audit_inh_server FOREIGN DATA WRAPPER audit_inh_fdw;
SELECT * FROM pg_temp.try($$CREATE FOREIGN TABLE audit_inh.acct_remote ()
	INHERITS (audit_inh.acct) SERVER audit_inh_server$$);
CREATE FOREIGN TABLE audit_inh.acct_remote (id int NOT NULL, amount int NOT NULL)
	SERVER audit_inh_server;
SELECT * FROM pg_temp.try($$ALTER FOREIGN TABLE audit_inh.acct_remote
	INHERIT audit_inh.acct$$);
DROP FOREIGN TABLE audit_inh.acct_remote;
DROP SERVER audit_inh_server;
DROP FOREIGN DATA WRAPPER audit_inh_fdw;
-- nor a table created by CREATE SCHEMA (whose command tag is CREATE SCHEMA)
SELECT * FROM pg_temp.try($$CREATE SCHEMA audit_inh_nested
	CREATE TABLE c2 (id int, amount int) INHERITS (audit_inh.acct)$$);
SELECT to_regnamespace('audit_inh_nested') AS created;

-- an audited table may inherit from an audited table: every change made
-- through the parent is recorded, under the table the row is in
SELECT carbon_ledger.audit_enable('audit_inh.acct_child');
ALTER TABLE audit_inh.acct_child INHERIT audit_inh.acct;
INSERT INTO audit_inh.acct_child VALUES (2, 200);
UPDATE audit_inh.acct SET amount = amount + 1;
DELETE FROM audit_inh.acct WHERE id = 2;
SELECT table_name, operation, old_row, new_row FROM carbon_ledger.audit_log
 WHERE table_name LIKE 'audit_inh.%' AND operation IN ('INSERT', 'UPDATE', 'DELETE')
 ORDER BY id;
INSERT INTO audit_inh.acct_child VALUES (3, 300);
TRUNCATE audit_inh.acct;
SELECT table_name, operation FROM carbon_ledger.audit_log
 WHERE table_name LIKE 'audit_inh.%' AND operation = 'TRUNCATE'
 ORDER BY table_name;

-- a grandchild must be audited too
SELECT state, message FROM pg_temp.try($$CREATE TABLE audit_inh.acct_grandchild ()
	INHERITS (audit_inh.acct_child)$$);
-- a child of an audited table stays audited while it inherits
SELECT * FROM pg_temp.try($$SELECT carbon_ledger.audit_disable('audit_inh.acct_child')$$);
-- NO INHERIT first, then it can be disabled (neither is refused)
ALTER TABLE audit_inh.acct_child NO INHERIT audit_inh.acct;
SELECT carbon_ledger.audit_disable('audit_inh.acct_child');

-- audit_enable() refuses a table whose children are not audited
CREATE TABLE audit_inh.base (id int PRIMARY KEY, v text);
CREATE TABLE audit_inh.base_child () INHERITS (audit_inh.base);
SELECT * FROM pg_temp.try($$SELECT carbon_ledger.audit_enable('audit_inh.base')$$);
SELECT count(*) AS audit_triggers FROM pg_trigger
 WHERE tgrelid = 'audit_inh.base'::regclass
   AND tgfoid = 'carbon_ledger.audit_trigger'::regproc;
SELECT carbon_ledger.audit_enable('audit_inh.base_child');
SELECT carbon_ledger.audit_enable('audit_inh.base');
INSERT INTO audit_inh.base_child VALUES (1, 'x');
UPDATE audit_inh.base SET v = 'y';
SELECT table_name, operation, new_row FROM carbon_ledger.audit_log
 WHERE table_name LIKE 'audit_inh.base%' AND operation = 'UPDATE';
-- disabling the parent first releases the child
SELECT carbon_ledger.audit_disable('audit_inh.base');
SELECT carbon_ledger.audit_disable('audit_inh.base_child');

-- tables that are not audited inherit freely; partitions are unaffected,
-- also when CREATE SCHEMA creates them; a partition is audited through its
-- parent's cloned trigger
CREATE TABLE audit_inh.free_child () INHERITS (audit_inh.base);
CREATE SCHEMA audit_inh_free CREATE TABLE free_child2 () INHERITS (audit_inh.base);
CREATE TABLE audit_inh.part (id int PRIMARY KEY) PARTITION BY RANGE (id);
SELECT carbon_ledger.audit_enable('audit_inh.part');
CREATE TABLE audit_inh.part1 PARTITION OF audit_inh.part FOR VALUES FROM (0) TO (10);
CREATE SCHEMA audit_inh_parts
	CREATE TABLE part2 PARTITION OF audit_inh.part FOR VALUES FROM (10) TO (20);
SELECT state, message FROM pg_temp.try($$SELECT carbon_ledger.audit_enable('audit_inh_parts.part2')$$);
SELECT carbon_ledger.audit_disable('audit_inh.part');
DROP SCHEMA audit_inh_free, audit_inh_parts CASCADE;

-- audit triggers are made by audit_enable() only: by hand, under the
-- reserved names or calling audit_trigger(), CREATE (OR REPLACE) TRIGGER
-- and a rename to a reserved name are refused (LA002)
CREATE TABLE audit_inh.par2 (id int PRIMARY KEY, v text);
SELECT carbon_ledger.audit_enable('audit_inh.par2');
CREATE FUNCTION audit_inh.nop() RETURNS trigger LANGUAGE plpgsql
	AS $$BEGIN RETURN NULL; END$$;
SELECT state, message FROM pg_temp.try($$CREATE OR REPLACE TRIGGER carbon_ledger_audit
	AFTER INSERT ON audit_inh.par2 FOR EACH ROW EXECUTE FUNCTION audit_inh.nop()$$);
CREATE TABLE audit_inh.plain (id int PRIMARY KEY, v text);
SELECT state, message FROM pg_temp.try($$CREATE TRIGGER carbon_ledger_audit
	AFTER INSERT ON audit_inh.plain FOR EACH ROW EXECUTE FUNCTION audit_inh.nop()$$);
SELECT state, message FROM pg_temp.try($$CREATE TRIGGER t_by_hand
	AFTER INSERT ON audit_inh.plain FOR EACH ROW
	EXECUTE FUNCTION carbon_ledger.audit_trigger()$$);
CREATE TRIGGER t_other AFTER INSERT ON audit_inh.plain
	FOR EACH ROW EXECUTE FUNCTION audit_inh.nop();
SELECT state, message FROM pg_temp.try($$ALTER TRIGGER t_other ON audit_inh.plain
	RENAME TO carbon_ledger_audit_truncate$$);
SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_inh.par2'::regclass ORDER BY 1;
-- a table that is not a relation, by OID
SELECT state, message FROM pg_temp.try($$SELECT carbon_ledger.audit_enable(0)$$);
SELECT state, message FROM pg_temp.try($$SELECT carbon_ledger.audit_disable(0)$$);

-- a role without any right on carbon_ledger still creates and alters its
-- own tables: the guard finds the audit function without asking for USAGE
CREATE ROLE regress_inh_app;
GRANT CREATE, USAGE ON SCHEMA audit_inh TO regress_inh_app;
SET ROLE regress_inh_app;
CREATE TABLE audit_inh.app_t (x int);
ALTER TABLE audit_inh.app_t ADD COLUMN y int;
CREATE TEMP TABLE app_tmp (x int);
CREATE TABLE audit_inh.app_kid () INHERITS (audit_inh.app_t);
DROP TABLE audit_inh.app_kid, audit_inh.app_t, app_tmp;
RESET ROLE;
REVOKE ALL ON SCHEMA audit_inh FROM regress_inh_app;
DROP ROLE regress_inh_app;

-- "audited" means the triggers audit_enable() creates: look-alike
-- triggers calling audit_trigger(), as a restore of an older dump could
-- bring back (a superuser with row_security off, as pg_restore runs, is
-- let through by the guard), do not make a table audited; here only a
-- TRUNCATE one under the reserved name, enabled always
SET row_security = off;
CREATE TABLE audit_inh.kid2 (id int PRIMARY KEY, v text);
CREATE TRIGGER carbon_ledger_audit_truncate AFTER TRUNCATE ON audit_inh.kid2
	FOR EACH STATEMENT EXECUTE FUNCTION carbon_ledger.audit_trigger();
ALTER TABLE audit_inh.kid2 ENABLE ALWAYS TRIGGER carbon_ledger_audit_truncate;
-- (a restore is not checked for inheritance either: the dump brings the
-- audit triggers after the tables and their inheritance, table by table)
SELECT state, message FROM pg_temp.try($$ALTER TABLE audit_inh.kid2 INHERIT audit_inh.par2$$);
ALTER TABLE audit_inh.kid2 NO INHERIT audit_inh.par2;
RESET row_security;
SELECT state, message FROM pg_temp.try($$ALTER TABLE audit_inh.kid2 INHERIT audit_inh.par2$$);
SELECT state, message FROM pg_temp.try($$CREATE TABLE audit_inh.kid2b () INHERITS (audit_inh.par2, audit_inh.kid2)$$);
SELECT state, message FROM pg_temp.try($$SELECT carbon_ledger.audit_disable('audit_inh.kid2')$$);
-- nor does a row trigger under the reserved name that misses UPDATE
SET row_security = off;
CREATE TABLE audit_inh.kid3 (id int PRIMARY KEY, v text);
CREATE TRIGGER carbon_ledger_audit AFTER INSERT OR DELETE ON audit_inh.kid3
	FOR EACH ROW EXECUTE FUNCTION carbon_ledger.audit_trigger();
CREATE TRIGGER carbon_ledger_audit_truncate AFTER TRUNCATE ON audit_inh.kid3
	FOR EACH STATEMENT EXECUTE FUNCTION carbon_ledger.audit_trigger();
ALTER TABLE audit_inh.kid3 ENABLE ALWAYS TRIGGER carbon_ledger_audit,
	ENABLE ALWAYS TRIGGER carbon_ledger_audit_truncate;
RESET row_security;
SELECT state, message FROM pg_temp.try($$ALTER TABLE audit_inh.kid3 INHERIT audit_inh.par2$$);
-- a table with only look-alike triggers is not audited: audit_enable()
-- refuses its parent, and its audited child may stop being audited
CREATE TABLE audit_inh.top (id int PRIMARY KEY, v text);
ALTER TABLE audit_inh.kid3 INHERIT audit_inh.top;
SELECT state, message FROM pg_temp.try($$SELECT carbon_ledger.audit_enable('audit_inh.top')$$);
ALTER TABLE audit_inh.kid3 NO INHERIT audit_inh.top;
CREATE TABLE audit_inh.kid4 (id int PRIMARY KEY, v text);
SELECT carbon_ledger.audit_enable('audit_inh.kid4');
ALTER TABLE audit_inh.kid4 INHERIT audit_inh.kid3;
SELECT state, message FROM pg_temp.try($$SELECT carbon_ledger.audit_disable('audit_inh.kid4')$$);
ALTER TABLE audit_inh.kid4 NO INHERIT audit_inh.kid3;
-- audit_enable() replaces the look-alike triggers with its own, then the
-- table is audited and may inherit
SELECT carbon_ledger.audit_enable('audit_inh.kid2');
SELECT carbon_ledger.audit_enable('audit_inh.kid3');
SELECT tgrelid::regclass AS tbl, tgname, tgtype, tgenabled FROM pg_trigger
 WHERE tgrelid IN ('audit_inh.kid2'::regclass, 'audit_inh.kid3'::regclass)
 ORDER BY 1, 2;
ALTER TABLE audit_inh.kid2 INHERIT audit_inh.par2;
INSERT INTO audit_inh.kid2 VALUES (1, 'a');
UPDATE audit_inh.par2 SET v = 'b';
SELECT table_name, operation, new_row FROM carbon_ledger.audit_log
 WHERE table_name = 'audit_inh.kid2' AND operation = 'UPDATE';
SELECT state, message FROM pg_temp.try($$SELECT carbon_ledger.audit_enable('audit_inh.kid2')$$);
ALTER TABLE audit_inh.kid2 NO INHERIT audit_inh.par2;
SELECT carbon_ledger.audit_disable('audit_inh.kid2');
SELECT carbon_ledger.audit_disable('audit_inh.kid3');
SELECT carbon_ledger.audit_disable('audit_inh.par2');

SELECT carbon_ledger.audit_disable('audit_inh.acct');
SELECT carbon_ledger.audit_seal() >= 0 AS sealed;
SELECT valid, reason FROM carbon_ledger.audit_verify();
DROP SCHEMA audit_inh CASCADE;
