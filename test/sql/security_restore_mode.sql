-- Restore mode: a superuser session with row_security off, as pg_restore
-- runs, takes ledger rows as they come and may recreate audit triggers.
-- It belongs to the superuser's own statements only: code of another role
-- that such a session runs (a SECURITY DEFINER function, a materialized
-- view refreshed as its owner) meets every rule and the audit guard.  Also
-- here: the owner of an audited partitioned table adds partitions, which
-- PostgreSQL audits by copying the parent's trigger; a temporary table
-- cannot be audited.  Stands alone; uses schema restore_mode and the role
-- regress_restore_owner.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
DROP ROLE IF EXISTS regress_restore_owner;
RESET client_min_messages;
\pset format unaligned
\pset fieldsep ' | '

CREATE FUNCTION pg_temp.try(stmt text, OUT state text, OUT message text)
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE stmt;
	state := '00000';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
END
$$;

CREATE ROLE regress_restore_owner;
CREATE SCHEMA restore_mode AUTHORIZATION regress_restore_owner;
GRANT USAGE ON SCHEMA carbon_ledger TO regress_restore_owner;
GRANT INSERT ON carbon_ledger.account TO regress_restore_owner;
CREATE TABLE restore_mode.w (id int PRIMARY KEY, v int);
ALTER TABLE restore_mode.w OWNER TO regress_restore_owner;
SELECT carbon_ledger.audit_enable('restore_mode.w');
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime, time_zone)
VALUES ('RM', 'restore mode test', 1000, '10 years', 'Asia/Shanghai');

-- the role's code: what it would do if restore mode reached it
SET ROLE regress_restore_owner;
CREATE FUNCTION restore_mode.restoring() RETURNS boolean
	LANGUAGE sql SECURITY DEFINER
	AS 'SELECT carbon_ledger.restoring()';
CREATE FUNCTION restore_mode.unaudit() RETURNS text
	LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
	ALTER TABLE restore_mode.w DISABLE TRIGGER carbon_ledger_audit;
	RETURN 'disabled';
END $$;
CREATE FUNCTION restore_mode.rich() RETURNS text
	LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
	INSERT INTO carbon_ledger.account
		(account_no, holder_ref, programme_id, region_code, opened_at, balance)
	VALUES ('RM-RICH', 'h', 'RM', '540102', '2024-01-01 00:00+08',
			'1000000 credits');
	RETURN 'booked';
END $$;
CREATE FUNCTION restore_mode.unaudit_if_restoring() RETURNS int
	LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('row_security') = 'off' THEN
		ALTER TABLE restore_mode.w DISABLE TRIGGER carbon_ledger_audit;
	END IF;
	RETURN 1;
END $$;
CREATE MATERIALIZED VIEW restore_mode.mv AS
	SELECT restore_mode.unaudit_if_restoring() AS x WITH NO DATA;
RESET ROLE;

-- a superuser session restoring: its own statements are restore mode
SET row_security = off;
SELECT carbon_ledger.restoring() AS superuser_statement;
-- the role's SECURITY DEFINER code is not, nor what it asks
SELECT restore_mode.restoring() AS role_code;
SELECT * FROM pg_temp.try('SELECT restore_mode.unaudit()');
SELECT * FROM pg_temp.try('SELECT restore_mode.rich()');
-- nor a materialized view refreshed as its owner
SELECT * FROM pg_temp.try('REFRESH MATERIALIZED VIEW restore_mode.mv');
SELECT tgname, tgenabled FROM pg_trigger
 WHERE tgrelid = 'restore_mode.w'::regclass ORDER BY tgname;
SELECT count(*) AS rich_accounts FROM carbon_ledger.account
 WHERE account_no = 'RM-RICH';
RESET row_security;
-- out of restore mode the superuser's own statements meet the rules too
SELECT carbon_ledger.restoring() AS row_security_on;

-- a sweep is never a restore: run by a superuser with row_security off
-- it still lowers the balance by what it writes off
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime, time_zone)
VALUES ('RM1', 'restore mode sweep', 1000, '3 seconds', 'Asia/Shanghai');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('RM-EXP', 'h', 'RM1', '540102', '2024-01-01 00:00+08');
INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
VALUES ('RM-EXP', 'walk', '10 kg', now(), 'rm-exp-1');
SELECT balance FROM carbon_ledger.account WHERE account_no = 'RM-EXP';
SELECT pg_sleep(3.5);
SET row_security = off;
SELECT * FROM carbon_ledger.expire_credits() WHERE account_no = 'RM-EXP';
RESET row_security;
SELECT balance FROM carbon_ledger.account WHERE account_no = 'RM-EXP';
SELECT * FROM carbon_ledger.check_balances() WHERE account_no = 'RM-EXP';

-- a command that changes nothing passes the guard, whatever state other
-- tables are in (here a child left unaudited by a restore)
SET row_security = off;
CREATE TABLE restore_mode.left_over (id int PRIMARY KEY, v int);
ALTER TABLE restore_mode.left_over INHERIT restore_mode.w;
RESET row_security;
CREATE TABLE restore_mode.noop (id int);
SELECT * FROM pg_temp.try('CREATE TABLE IF NOT EXISTS restore_mode.noop (id int)');
SELECT * FROM pg_temp.try('ALTER TABLE IF EXISTS restore_mode.missing ADD COLUMN x int');
-- while one that touches the unaudited child is refused
SELECT * FROM pg_temp.try('ALTER TABLE restore_mode.left_over ADD COLUMN x int');
DROP TABLE restore_mode.left_over;

-- PostgreSQL does not collect the commands run inside REFRESH
-- MATERIALIZED VIEW for event triggers: the guard then checks the whole
-- database, for the owner's own refreshes too
CREATE TABLE restore_mode.par (id int PRIMARY KEY);
ALTER TABLE restore_mode.par OWNER TO regress_restore_owner;
SELECT carbon_ledger.audit_enable('restore_mode.par');
SET ROLE regress_restore_owner;
CREATE TABLE restore_mode.kid (id int NOT NULL);
CREATE FUNCTION restore_mode.ddl(cmd text) RETURNS int
	LANGUAGE plpgsql AS $$BEGIN EXECUTE cmd; RETURN 1; END $$;
CREATE MATERIALIZED VIEW restore_mode.mv_disable AS SELECT restore_mode.ddl(
	'ALTER TABLE restore_mode.w DISABLE TRIGGER carbon_ledger_audit') AS x
	WITH NO DATA;
CREATE MATERIALIZED VIEW restore_mode.mv_inherit AS SELECT restore_mode.ddl(
	'ALTER TABLE restore_mode.kid INHERIT restore_mode.par') AS x WITH NO DATA;
CREATE MATERIALIZED VIEW restore_mode.mv_by_hand AS SELECT restore_mode.ddl(
	'CREATE TRIGGER carbon_ledger_audit AFTER INSERT ON restore_mode.kid
	 FOR EACH ROW EXECUTE FUNCTION carbon_ledger.audit_trigger()') AS x
	WITH NO DATA;
CREATE MATERIALIZED VIEW restore_mode.mv_harmless AS SELECT restore_mode.ddl(
	'ALTER TABLE restore_mode.kid ADD COLUMN v int') AS x WITH NO DATA;
SELECT * FROM pg_temp.try('REFRESH MATERIALIZED VIEW restore_mode.mv_disable');
SELECT * FROM pg_temp.try('REFRESH MATERIALIZED VIEW restore_mode.mv_inherit');
SELECT * FROM pg_temp.try('REFRESH MATERIALIZED VIEW restore_mode.mv_by_hand');
SELECT * FROM pg_temp.try('REFRESH MATERIALIZED VIEW restore_mode.mv_harmless');
RESET ROLE;
SELECT tgname, tgenabled FROM pg_trigger
 WHERE tgrelid = 'restore_mode.w'::regclass ORDER BY tgname;
SELECT count(*) AS inherits FROM pg_inherits
 WHERE inhrelid = 'restore_mode.kid'::regclass;

-- the owner of an audited partitioned table adds partitions, created or
-- attached, without any right on schema carbon_ledger; PostgreSQL copies
-- the parent's audit trigger to each, as the owner
REVOKE USAGE ON SCHEMA carbon_ledger FROM regress_restore_owner;
REVOKE INSERT ON carbon_ledger.account FROM regress_restore_owner;
SET ROLE regress_restore_owner;
CREATE TABLE restore_mode.pt (id int, v int) PARTITION BY RANGE (id);
RESET ROLE;
SELECT carbon_ledger.audit_enable('restore_mode.pt');
SET ROLE regress_restore_owner;
CREATE TABLE restore_mode.pt1 PARTITION OF restore_mode.pt
	FOR VALUES FROM (0) TO (100);
CREATE TABLE restore_mode.pt2 (id int, v int);
ALTER TABLE restore_mode.pt ATTACH PARTITION restore_mode.pt2
	FOR VALUES FROM (100) TO (200);
INSERT INTO restore_mode.pt VALUES (1, 1), (101, 2);
RESET ROLE;
SELECT tgrelid::regclass AS partition, tgname, tgenabled FROM pg_trigger
 WHERE tgrelid IN ('restore_mode.pt1'::regclass, 'restore_mode.pt2'::regclass)
 ORDER BY 1, 2;
SELECT table_name, operation, new_row FROM carbon_ledger.audit_log
 WHERE table_name LIKE 'restore_mode.pt%' AND operation = 'INSERT'
 ORDER BY id;
-- the function is still attached by audit_enable() only
GRANT USAGE ON SCHEMA carbon_ledger TO regress_restore_owner;
SET ROLE regress_restore_owner;
CREATE TABLE restore_mode.own (id int);
SELECT * FROM pg_temp.try($$CREATE TRIGGER mine AFTER INSERT ON restore_mode.own
	FOR EACH ROW EXECUTE FUNCTION carbon_ledger.audit_trigger()$$);
RESET ROLE;

-- a temporary table cannot be audited: it goes with its session, unrecorded
CREATE TEMP TABLE restore_mode_tmp (id int PRIMARY KEY);
SELECT * FROM pg_temp.try($$SELECT carbon_ledger.audit_enable('restore_mode_tmp')$$);

SELECT carbon_ledger.audit_disable('restore_mode.pt');
SELECT carbon_ledger.audit_disable('restore_mode.w');
SELECT carbon_ledger.audit_disable('restore_mode.par');
DROP SCHEMA restore_mode CASCADE;
DELETE FROM carbon_ledger.programme WHERE programme_id = 'RM';
REVOKE ALL ON SCHEMA carbon_ledger FROM regress_restore_owner;
DROP ROLE regress_restore_owner;
SELECT valid, reason FROM carbon_ledger.audit_verify();

-- row_security off as a database default, which the database's owner may
-- set, is not restore mode: the session must turn it off itself
SELECT current_database() AS db \gset
ALTER DATABASE :"db" SET row_security = off;
\c
SHOW row_security;
SELECT carbon_ledger.restoring() AS database_default;
SET row_security = off;
SELECT carbon_ledger.restoring() AS session_set;
ALTER DATABASE :"db" RESET row_security;
