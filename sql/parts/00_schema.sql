-- carbon_ledger install script, part 00: the ledger schema.
--
-- Types, operators, casts, aggregates and validators are created in the
-- extension's own schema (normally public); the ledger model and the audit
-- trail live in the schema carbon_ledger, created here.  Every object below
-- is referenced schema-qualified, so that objects a user created before
-- installation cannot capture any name (see docs/security.md).

CREATE SCHEMA carbon_ledger;
COMMENT ON SCHEMA carbon_ledger IS
	'carbon_ledger: ledger model, reference data and audit trail';
