-- Ledger rules of green loans and repayments: borrower USCC (or a listed
-- exception), region in use on the issue date, positive principal,
-- maturity after issue, investment at least the principal, carbon-
-- reduction loans with an eligible field and a positive reduction; the
-- attributed reduction and the facility's refinancing kept by the
-- database; repayments within the outstanding balance, append-only.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
SET TimeZone = 'UTC';


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
-- pg_temp.loan(no, uscc, region, principal, issue, maturity, investment,
--              carbon-reduction?, field, project reduction)
CREATE FUNCTION pg_temp.loan(no text, uscc text, region text, principal numeric,
	issue date, maturity date, investment numeric, cr boolean, field text,
	reduction text,
	OUT state text, OUT message text, OUT detail text)
LANGUAGE sql AS $$
	SELECT t.state, t.message, t.detail FROM pg_temp.try(format(
		'INSERT INTO carbon_ledger.green_loan (loan_no, borrower_uscc, region_code, green_category, principal, issue_date, maturity_date, rate, project_investment, carbon_reduction_loan, carbon_reduction_field, project_annual_reduction) VALUES (%L, %L, %L, %L, %s, %L, %L, 3.45, %s, %L, %L, %L)',
		no, uscc, region, 'clean energy', principal, issue, maturity,
		investment, cr, field, reduction)) t
$$;
\pset format unaligned
\pset fieldsep ' | '

-- accepted: a plain green loan and a carbon-reduction loan
SELECT * FROM pg_temp.loan('LN-1', '91350100M000100Y43', '540102', 1000000,
	'2024-03-01', '2027-03-01', 3000000, false, NULL, '5000 t');
SELECT * FROM pg_temp.loan('LN-2', '91110000600037341L', '540402', 1234567.89,
	'2024-03-01', '2026-03-01', 2000000, true, 'clean energy', '800 t');
-- the loan region is checked on the issue date: 540422 was in use in 2020
SELECT * FROM pg_temp.loan('LN-3', '911100001000128855', '540422', 0.05,
	'2020-06-01', '2021-06-01', 0.05, true, 'carbon-reduction technology', '1 kg');
SELECT loan_no, principal, attributed_reduction, refinance_amount,
	   refinance_rate, refinance_maturity
FROM carbon_ledger.green_loan WHERE loan_no LIKE 'LN-%' ORDER BY 1;

-- rejected loans, one rule each
SELECT * FROM pg_temp.loan('LN-X1', '91350100M000100Y44', '540102', 1000,
	'2024-03-01', '2025-03-01', 1000, false, NULL, NULL);
SELECT * FROM pg_temp.loan('LN-X2', '91350100M000100Y43', '540422', 1000,
	'2024-03-01', '2025-03-01', 1000, false, NULL, NULL);
SELECT * FROM pg_temp.loan('LN-X3', '91350100M000100Y43', '540102', 0,
	'2024-03-01', '2025-03-01', 1000, false, NULL, NULL);
SELECT * FROM pg_temp.loan('LN-X4', '91350100M000100Y43', '540102', 1000,
	'2024-03-01', '2024-03-01', 1000, false, NULL, NULL);
SELECT * FROM pg_temp.loan('LN-X5', '91350100M000100Y43', '540102', 1000,
	'2024-03-01', '2025-03-01', 999.99, false, NULL, NULL);
SELECT * FROM pg_temp.loan('LN-X6', '91350100M000100Y43', '540102', 1000,
	'2024-03-01', '2025-03-01', 1000, true, 'green buildings', '1 t');
SELECT * FROM pg_temp.loan('LN-X7', '91350100M000100Y43', '540102', 1000,
	'2024-03-01', '2025-03-01', 1000, true, NULL, '1 t');
SELECT * FROM pg_temp.loan('LN-X8', '91350100M000100Y43', '540102', 1000,
	'2024-03-01', '2025-03-01', 1000, true, 'clean energy', '0 t');
SELECT * FROM pg_temp.loan('LN-X9', '91350100M000100Y43', '540102', 1000,
	'2024-03-01', '2025-03-01', 1000, true, 'clean energy', NULL);

-- a pilot-region code that fails the check is accepted once listed
SELECT * FROM pg_temp.loan('LN-4', '91350100M000100Y44', '540102', 1000,
	'2024-03-01', '2025-03-01', 1000, false, NULL, NULL);
INSERT INTO carbon_ledger.uscc_exception (uscc, reason)
VALUES ('91350100M000100Y44', 'issued by a pilot region before GB 32100');
SELECT * FROM pg_temp.loan('LN-4', '91350100M000100Y44', '540102', 1000,
	'2024-03-01', '2025-03-01', 1000, false, NULL, NULL);

-- repayments
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.loan_repayment
	(loan_no, amount, repaid_on) VALUES ('LN-1', 0, '2024-06-01')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.loan_repayment
	(loan_no, amount, repaid_on) VALUES ('LN-404', 1, '2024-06-01')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.loan_repayment
	(loan_no, amount, repaid_on) VALUES ('LN-1', 1, '2024-02-29')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.loan_repayment
	(loan_no, amount, repaid_on) VALUES ('LN-1', 600000, '2024-06-01')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.loan_repayment
	(loan_no, amount, repaid_on) VALUES ('LN-1', 400000.01, '2024-07-01')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.loan_repayment
	(loan_no, amount, repaid_on) VALUES ('LN-1', 400000, '2024-07-01')$$);
SELECT d, carbon_ledger.loan_balance('LN-1', d)
FROM unnest('{2024-02-29,2024-03-01,2024-06-01,2024-07-01}'::date[]) AS d;

-- the principal cannot fall below what was repaid; repayments are
-- append-only
SELECT state, message FROM pg_temp.try($$UPDATE carbon_ledger.green_loan
	SET principal = 999999.99 WHERE loan_no = 'LN-1'$$);
SELECT state, message FROM pg_temp.try($$UPDATE carbon_ledger.loan_repayment
	SET amount = 1 WHERE loan_no = 'LN-1'$$);
SELECT state, message FROM pg_temp.try($$DELETE FROM carbon_ledger.loan_repayment
	WHERE loan_no = 'LN-1'$$);
SELECT state, message FROM pg_temp.try($$TRUNCATE carbon_ledger.loan_repayment$$);
-- an update recomputes what the database keeps
UPDATE carbon_ledger.green_loan SET principal = 1500000, attributed_reduction = '1 t'
WHERE loan_no = 'LN-1';
SELECT loan_no, principal, attributed_reduction FROM carbon_ledger.green_loan
WHERE loan_no = 'LN-1';
