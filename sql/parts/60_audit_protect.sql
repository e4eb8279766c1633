-- carbon_ledger install script, part 60: protection of the audit trail.
--
-- The trail's tables refuse UPDATE, DELETE and TRUNCATE from every role
-- (ENABLE ALWAYS: also under session_replication_role = replica), except
-- the deletions of audit_pending by audit_seal(), which owns the queue.
-- Event triggers refuse disabling, renaming or dropping an audit trigger
-- (which DROP TABLE of an audited table does) outside audit_disable(), and
-- making a table that is not audited an inheritance child of an audited
-- table (CREATE TABLE ... INHERITS, ALTER TABLE ... INHERIT, and the same
-- as elements of CREATE SCHEMA or from IMPORT FOREIGN SCHEMA, which run
-- under their own command tags): the parent's row triggers do not fire for
-- its children's rows.

CREATE TRIGGER audit_log_append_only
	BEFORE UPDATE OR DELETE ON carbon_ledger.audit_log
	FOR EACH ROW EXECUTE FUNCTION carbon_ledger.audit_protect();
CREATE TRIGGER audit_log_truncate_append_only
	BEFORE TRUNCATE ON carbon_ledger.audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION carbon_ledger.audit_protect();
CREATE TRIGGER audit_block_append_only
	BEFORE UPDATE OR DELETE ON carbon_ledger.audit_block
	FOR EACH ROW EXECUTE FUNCTION carbon_ledger.audit_protect();
CREATE TRIGGER audit_block_truncate_append_only
	BEFORE TRUNCATE ON carbon_ledger.audit_block
	FOR EACH STATEMENT EXECUTE FUNCTION carbon_ledger.audit_protect();
CREATE TRIGGER audit_block_xact_append_only
	BEFORE UPDATE OR DELETE ON carbon_ledger.audit_block_xact
	FOR EACH ROW EXECUTE FUNCTION carbon_ledger.audit_protect();
CREATE TRIGGER audit_block_xact_truncate_append_only
	BEFORE TRUNCATE ON carbon_ledger.audit_block_xact
	FOR EACH STATEMENT EXECUTE FUNCTION carbon_ledger.audit_protect();
CREATE TRIGGER audit_pending_update_append_only
	BEFORE UPDATE ON carbon_ledger.audit_pending
	FOR EACH ROW EXECUTE FUNCTION carbon_ledger.audit_protect();
CREATE TRIGGER audit_pending_truncate_append_only
	BEFORE TRUNCATE ON carbon_ledger.audit_pending
	FOR EACH STATEMENT EXECUTE FUNCTION carbon_ledger.audit_protect();
CREATE TRIGGER audit_key_append_only
	BEFORE UPDATE OR DELETE ON carbon_ledger.audit_key
	FOR EACH ROW EXECUTE FUNCTION carbon_ledger.audit_protect();
CREATE TRIGGER audit_key_truncate_append_only
	BEFORE TRUNCATE ON carbon_ledger.audit_key
	FOR EACH STATEMENT EXECUTE FUNCTION carbon_ledger.audit_protect();

ALTER TABLE carbon_ledger.audit_log
	ENABLE ALWAYS TRIGGER audit_log_append_only,
	ENABLE ALWAYS TRIGGER audit_log_truncate_append_only;
ALTER TABLE carbon_ledger.audit_block
	ENABLE ALWAYS TRIGGER audit_block_append_only,
	ENABLE ALWAYS TRIGGER audit_block_truncate_append_only;
ALTER TABLE carbon_ledger.audit_block_xact
	ENABLE ALWAYS TRIGGER audit_block_xact_append_only,
	ENABLE ALWAYS TRIGGER audit_block_xact_truncate_append_only;
ALTER TABLE carbon_ledger.audit_pending
	ENABLE ALWAYS TRIGGER audit_pending_update_append_only,
	ENABLE ALWAYS TRIGGER audit_pending_truncate_append_only;
ALTER TABLE carbon_ledger.audit_key
	ENABLE ALWAYS TRIGGER audit_key_append_only,
	ENABLE ALWAYS TRIGGER audit_key_truncate_append_only;

CREATE EVENT TRIGGER carbon_ledger_audit_guard_alter
	ON ddl_command_end WHEN TAG IN ('ALTER TABLE', 'ALTER TRIGGER',
									'CREATE TABLE', 'CREATE FOREIGN TABLE',
									'ALTER FOREIGN TABLE', 'CREATE SCHEMA',
									'IMPORT FOREIGN SCHEMA', 'CREATE TRIGGER')
	EXECUTE FUNCTION carbon_ledger.audit_guard();
CREATE EVENT TRIGGER carbon_ledger_audit_guard_drop
	ON sql_drop
	EXECUTE FUNCTION carbon_ledger.audit_guard();
ALTER EVENT TRIGGER carbon_ledger_audit_guard_alter ENABLE ALWAYS;
ALTER EVENT TRIGGER carbon_ledger_audit_guard_drop ENABLE ALWAYS;
COMMENT ON EVENT TRIGGER carbon_ledger_audit_guard_alter IS
	'Audit triggers stay ENABLE ALWAYS under their own names; inheritance children of audited tables are audited';
COMMENT ON EVENT TRIGGER carbon_ledger_audit_guard_drop IS
	'Audit triggers are dropped only by carbon_ledger.audit_disable()';
