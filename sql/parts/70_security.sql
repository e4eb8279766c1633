-- carbon_ledger install script, part 70: roles and privileges.
--
-- Four NOLOGIN roles carry the duties of a bank's ledger (docs/security.md
-- has the table of who can do what):
--   carbon_ledger_reader   reads the ledger and runs the reports
--   carbon_ledger_booker   books activities and redemptions
--   carbon_ledger_manager  manages programmes, accounts and loans
--   carbon_ledger_auditor  reads the ledger and the audit trail, verifies
-- Roles belong to the cluster, not to a database: they are created here
-- when missing (another database's installation may have created them
-- already) and DROP EXTENSION leaves them.  Grant them to login roles
-- (GRANT carbon_ledger_booker TO app_shop); grant no role anything on
-- account.balance, the bookkeeping tables or the audit trail's tables.
--
-- Balances are written by the booking triggers only.  Those triggers run
-- as the extension's owner (the C triggers switch to the owner of their
-- function; the others are SECURITY DEFINER), so that the roles that book
-- need INSERT on activity and redemption and nothing that writes a
-- balance; the helpers that write balances and bookkeeping rows are not
-- executable by PUBLIC, so nobody can call them or attach the booking
-- triggers to a table of their own.

ALTER FUNCTION carbon_ledger.expiry_book() SECURITY DEFINER;

REVOKE ALL ON FUNCTION
	carbon_ledger.activity_book(),
	carbon_ledger.redemption_book(),
	carbon_ledger.expiry_book(),
	carbon_ledger.account_guard(),
	carbon_ledger.green_loan_check(),
	carbon_ledger.loan_repayment_check(),
	carbon_ledger.append_only(),
	carbon_ledger.sweep_account(pg_catalog.text, pg_catalog.timestamptz),
	carbon_ledger.adjust_balance(pg_catalog.text, pg_catalog.int8),
	carbon_ledger.expire_credits(pg_catalog.timestamptz),
	carbon_ledger.expire_credits_run(pg_catalog.timestamptz),
	carbon_ledger.booking_trigger(),
	carbon_ledger.rule_trigger()
	FROM PUBLIC;

-- carbon_ledger.audit_trigger() keeps PUBLIC's EXECUTE: PostgreSQL asks
-- for it when it copies an audited partitioned table's trigger to a new
-- partition, as the role that creates or attaches the partition (its
-- owner, typically).  Nobody can attach the function by hand: the audit
-- guard refuses any trigger calling it outside audit_enable() (LA002).

-- The roles, created when missing.
DO $$
DECLARE
	r			pg_catalog.text;
BEGIN
	FOREACH r IN ARRAY ARRAY['carbon_ledger_reader', 'carbon_ledger_booker',
							 'carbon_ledger_manager', 'carbon_ledger_auditor']
	LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles
					   WHERE rolname OPERATOR(pg_catalog.=) r) THEN
			EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
		END IF;
	END LOOP;
END
$$;

GRANT USAGE ON SCHEMA carbon_ledger TO carbon_ledger_reader,
	carbon_ledger_booker, carbon_ledger_manager, carbon_ledger_auditor;

-- Reading the ledger and its reports.
GRANT SELECT ON carbon_ledger.programme, carbon_ledger.programme_activity_cap,
	carbon_ledger.account, carbon_ledger.activity, carbon_ledger.redemption,
	carbon_ledger.request, carbon_ledger.credit_lot,
	carbon_ledger.credit_allocation, carbon_ledger.credit_expiry,
	carbon_ledger.green_loan, carbon_ledger.loan_repayment,
	carbon_ledger.loan_book, carbon_ledger.region,
	carbon_ledger.uscc_exception
	TO carbon_ledger_reader, carbon_ledger_manager, carbon_ledger_auditor;

-- The reports and lot queries read tables a booker may not read: only the
-- roles that may read them may call them, so that anyone else is told so
-- by the function's own privilege, not by a table deep inside its query.
REVOKE EXECUTE ON FUNCTION
	carbon_ledger.regional_summary(pg_catalog.date, pg_catalog.date),
	carbon_ledger.check_balances(),
	carbon_ledger.loan_balance(pg_catalog.text, pg_catalog.date),
	carbon_ledger.account_lots(pg_catalog.text),
	carbon_ledger.lot_remaining(pg_catalog.text, pg_catalog.int8)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
	carbon_ledger.regional_summary(pg_catalog.date, pg_catalog.date),
	carbon_ledger.check_balances(),
	carbon_ledger.loan_balance(pg_catalog.text, pg_catalog.date),
	carbon_ledger.account_lots(pg_catalog.text),
	carbon_ledger.lot_remaining(pg_catalog.text, pg_catalog.int8)
	TO carbon_ledger_reader, carbon_ledger_manager, carbon_ledger_auditor;

-- Booking: the rows themselves; the triggers do the rest.
GRANT SELECT ON carbon_ledger.programme, carbon_ledger.programme_activity_cap,
	carbon_ledger.account, carbon_ledger.activity, carbon_ledger.redemption,
	carbon_ledger.region
	TO carbon_ledger_booker;
GRANT INSERT ON carbon_ledger.activity, carbon_ledger.redemption
	TO carbon_ledger_booker;

-- Managing programmes, accounts and loans.  Every column of account but
-- balance; green_loan's kept columns are recomputed by its trigger.
GRANT INSERT, UPDATE ON carbon_ledger.programme,
	carbon_ledger.programme_activity_cap TO carbon_ledger_manager;
GRANT INSERT (account_no, holder_ref, programme_id, region_code, opened_at,
			  status, closed_at),
	UPDATE (holder_ref, programme_id, region_code, opened_at, status,
			closed_at)
	ON carbon_ledger.account TO carbon_ledger_manager;
GRANT INSERT, UPDATE ON carbon_ledger.green_loan TO carbon_ledger_manager;
GRANT INSERT ON carbon_ledger.loan_repayment, carbon_ledger.loan_book
	TO carbon_ledger_manager;
GRANT INSERT, DELETE ON carbon_ledger.uscc_exception TO carbon_ledger_manager;
GRANT EXECUTE ON FUNCTION
	carbon_ledger.expire_credits(pg_catalog.timestamptz)
	TO carbon_ledger_manager;

-- Auditing: the trail's records and chain, verification and sealing; of
-- audit_key only the list of keys (which block each was first used for),
-- never the keys: without the list an export cannot tell a block sealed
-- without a key from one downgraded to plain SHA-256.
GRANT SELECT ON carbon_ledger.audit_log, carbon_ledger.audit_pending,
	carbon_ledger.audit_block, carbon_ledger.audit_block_xact
	TO carbon_ledger_auditor;
GRANT SELECT (key_id, first_block) ON carbon_ledger.audit_key
	TO carbon_ledger_auditor;
GRANT EXECUTE ON FUNCTION carbon_ledger.audit_seal(),
	carbon_ledger.audit_verify(),
	carbon_ledger.audit_verify(carbon_ledger.audit_chain_digest),
	carbon_ledger.audit_digest()
	TO carbon_ledger_auditor;
