-- NULL in a column a booking needs is the executor's not-null error
-- (23502) naming the column, raised before the booking reads the row, for
-- every such column of activities and redemptions, and for a column left
-- out of the INSERT altogether (occurred_at has no default).  The NOT NULL
-- constraints themselves are checked only after the BEFORE triggers, so
-- the triggers must not take a NULL for a value: it crashed the C
-- booking triggers once, and turned into 0 or 2000-01-01 before that.
-- Loans and repayments with NULLs are refused too.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
SET TimeZone = 'UTC';

CREATE FUNCTION pg_temp.try(stmt text, OUT state text, OUT message text)
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE stmt;
	state := '00000';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
END
$$;
\pset format unaligned
\pset fieldsep ' | '

BEGIN;
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('NUL', 'nulls test', 1000, '10 years');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('NUL-1', 'h1', 'NUL', '540102', '2024-01-01');
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('NUL-1', 'walk', '5 kg', '2024-06-01 12:00+00', 'nul-a0');

-- activities: each needed column NULL in turn
SELECT c.col, t.state, t.message
FROM (VALUES ('account_no'), ('kind'), ('reduction'), ('occurred_at'),
			 ('request_id')) AS c(col),
	 LATERAL pg_temp.try(format($$INSERT INTO carbon_ledger.activity
		(account_no, kind, reduction, occurred_at, request_id)
		SELECT %s, %s, %s, %s, %s$$,
		CASE c.col WHEN 'account_no' THEN 'NULL' ELSE '''NUL-1''' END,
		CASE c.col WHEN 'kind' THEN 'NULL' ELSE '''walk''' END,
		CASE c.col WHEN 'reduction' THEN 'NULL' ELSE '''1 kg''::tco2e' END,
		CASE c.col WHEN 'occurred_at' THEN 'NULL'
			 ELSE '''2024-06-01 13:00+00''::timestamptz' END,
		CASE c.col WHEN 'request_id' THEN 'NULL' ELSE '''nul-a-'' || ' || quote_literal(c.col) END)) t;
-- occurred_at left out
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, request_id)
	VALUES ('NUL-1', 'walk', '1 kg', 'nul-a-omitted')$$);

-- redemptions: each needed column NULL in turn
SELECT c.col, t.state, t.message
FROM (VALUES ('account_no'), ('credits'), ('item'), ('request_id'),
			 ('redeemed_at')) AS c(col),
	 LATERAL pg_temp.try(format($$INSERT INTO carbon_ledger.redemption
		(account_no, credits, item, request_id, redeemed_at)
		SELECT %s, %s, %s, %s, %s$$,
		CASE c.col WHEN 'account_no' THEN 'NULL' ELSE '''NUL-1''' END,
		CASE c.col WHEN 'credits' THEN 'NULL' ELSE '''1''::carbon_credit' END,
		CASE c.col WHEN 'item' THEN 'NULL' ELSE '''tea''' END,
		CASE c.col WHEN 'request_id' THEN 'NULL' ELSE '''nul-r-'' || ' || quote_literal(c.col) END,
		CASE c.col WHEN 'redeemed_at' THEN 'NULL' ELSE 'now()' END)) t;

-- loans and repayments
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.green_loan
	(loan_no, borrower_uscc, region_code, green_category, principal,
	 issue_date, maturity_date, rate, project_investment)
	VALUES ('NUL-L1', NULL, '540102', 'clean energy', 1000, '2024-01-01',
			'2025-01-01', 3.5, 2000)$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.green_loan
	(loan_no, borrower_uscc, region_code, green_category, principal,
	 issue_date, maturity_date, rate, project_investment)
	VALUES ('NUL-L1', '91350100M000100Y43', '540102', 'clean energy', NULL,
			'2024-01-01', '2025-01-01', 3.5, 2000)$$);
INSERT INTO carbon_ledger.green_loan
	(loan_no, borrower_uscc, region_code, green_category, principal,
	 issue_date, maturity_date, rate, project_investment)
VALUES ('NUL-L0', '91350100M000100Y43', '540102', 'clean energy', 1000,
		'2024-01-01', '2025-01-01', 3.5, 2000);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.loan_repayment
	(loan_no, amount, repaid_on) VALUES ('NUL-L0', NULL, '2024-06-01')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.loan_repayment
	(loan_no, amount, repaid_on) VALUES ('NUL-L0', 10, NULL)$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.loan_repayment
	(loan_no, amount, repaid_on) VALUES (NULL, 10, '2024-06-01')$$);

-- nothing was booked but the first activity; the server is still here
SELECT count(*) AS activities,
	   (SELECT count(*) FROM carbon_ledger.redemption
		WHERE account_no = 'NUL-1') AS redemptions,
	   (SELECT balance FROM carbon_ledger.account
		WHERE account_no = 'NUL-1') AS balance
FROM carbon_ledger.activity WHERE account_no = 'NUL-1';
SELECT * FROM carbon_ledger.check_balances() WHERE account_no = 'NUL-1';
ROLLBACK;
