-- carbon_ledger install script, part 90: the ledger is audited from
-- installation.
--
-- Every table that holds what the bank booked or configured is attached to
-- the audit trail here, so the first records of the chain are these
-- enablings.  The bookkeeping tables derived from ledger rows (request,
-- credit_lot, credit_allocation) are not audited: check_balances() rebuilds
-- them from the audited rows.

SELECT carbon_ledger.audit_enable(t)
  FROM (VALUES
		('carbon_ledger.programme'::pg_catalog.regclass),
		('carbon_ledger.programme_activity_cap'),
		('carbon_ledger.account'),
		('carbon_ledger.activity'),
		('carbon_ledger.redemption'),
		('carbon_ledger.credit_expiry'),
		('carbon_ledger.green_loan'),
		('carbon_ledger.loan_repayment'),
		('carbon_ledger.loan_book'),
		('carbon_ledger.uscc_exception')) AS audited(t);
