-- Every loan rule holds on UPDATE of a green loan too, against its
-- repayments: the issue date cannot move after a repayment (LD024), the
-- principal cannot fall below what was repaid (LD022), maturity after
-- issue (LD018), investment at least the principal (LD019), the
-- carbon-reduction field and reduction (LD020, LD021).  The repaid total
-- is kept by the database.  Amounts finer than a fen are refused (LD033),
-- never rounded; repayments dated in the future are refused (LD032).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
SET TimeZone = 'UTC';

CREATE FUNCTION pg_temp.try(stmt text,
	OUT state text, OUT message text, OUT detail text)
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE stmt;
	state := '00000';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
		detail = PG_EXCEPTION_DETAIL;
END
$$;
\pset format unaligned
\pset fieldsep ' | '

INSERT INTO carbon_ledger.green_loan
	(loan_no, borrower_uscc, region_code, green_category, principal,
	 issue_date, maturity_date, rate, project_annual_reduction,
	 project_investment, carbon_reduction_loan, carbon_reduction_field)
VALUES ('LU-1', '91350100M000100Y43', '540102', 'solar', 1000,
		'2024-01-10', '2029-01-10', 3.1, '120 t', 3000, true, 'clean energy');
INSERT INTO carbon_ledger.loan_repayment (loan_no, amount, repaid_on)
VALUES ('LU-1', 100, '2024-02-01'), ('LU-1', 50.5, '2024-03-01');
SELECT principal, repaid, attributed_reduction, refinance_amount
FROM carbon_ledger.green_loan WHERE loan_no = 'LU-1';

-- the issue date cannot move after the first repayment; on it is fine
SELECT state, message, detail FROM pg_temp.try($$UPDATE carbon_ledger.green_loan
	SET issue_date = '2024-02-02' WHERE loan_no = 'LU-1'$$);
SELECT state FROM pg_temp.try($$UPDATE carbon_ledger.green_loan
	SET issue_date = '2024-02-01' WHERE loan_no = 'LU-1'$$);
-- principal not below what was repaid
SELECT state, message, detail FROM pg_temp.try($$UPDATE carbon_ledger.green_loan
	SET principal = 150 WHERE loan_no = 'LU-1'$$);
-- the other rules, on UPDATE
SELECT state, message FROM pg_temp.try($$UPDATE carbon_ledger.green_loan
	SET maturity_date = '2024-01-01' WHERE loan_no = 'LU-1'$$);
SELECT state, message FROM pg_temp.try($$UPDATE carbon_ledger.green_loan
	SET project_investment = 999.99 WHERE loan_no = 'LU-1'$$);
SELECT state, message FROM pg_temp.try($$UPDATE carbon_ledger.green_loan
	SET carbon_reduction_field = 'tourism' WHERE loan_no = 'LU-1'$$);
SELECT state, message FROM pg_temp.try($$UPDATE carbon_ledger.green_loan
	SET project_annual_reduction = '0 t' WHERE loan_no = 'LU-1'$$);
SELECT state, message FROM pg_temp.try($$UPDATE carbon_ledger.green_loan
	SET borrower_uscc = '91350100M000100Y44' WHERE loan_no = 'LU-1'$$);
SELECT state, message FROM pg_temp.try($$UPDATE carbon_ledger.green_loan
	SET loan_no = 'LU-9' WHERE loan_no = 'LU-1'$$);
-- repaid is kept by the database: a value given is replaced
UPDATE carbon_ledger.green_loan SET repaid = 0, principal = 2000
WHERE loan_no = 'LU-1';
SELECT principal, repaid, attributed_reduction, refinance_amount
FROM carbon_ledger.green_loan WHERE loan_no = 'LU-1';

-- amounts finer than a fen are refused, not rounded
SELECT state, message, detail FROM pg_temp.try($$INSERT INTO carbon_ledger.green_loan
	(loan_no, borrower_uscc, region_code, green_category, principal,
	 issue_date, maturity_date, rate, project_investment)
	VALUES ('LU-2', '91350100M000100Y43', '540102', 'solar', 1000.005,
			'2024-01-10', '2029-01-10', 3.1, 3000)$$);
SELECT state, message FROM pg_temp.try($$INSERT INTO carbon_ledger.green_loan
	(loan_no, borrower_uscc, region_code, green_category, principal,
	 issue_date, maturity_date, rate, project_investment)
	VALUES ('LU-2', '91350100M000100Y43', '540102', 'solar', 1000,
			'2024-01-10', '2029-01-10', 3.1, 3000.001)$$);
SELECT state, message FROM pg_temp.try($$UPDATE carbon_ledger.green_loan
	SET principal = 2000.001 WHERE loan_no = 'LU-1'$$);
SELECT state, message, detail FROM pg_temp.try($$INSERT INTO carbon_ledger.loan_repayment
	(loan_no, amount, repaid_on) VALUES ('LU-1', 10.005, '2024-04-01')$$);
SELECT state, message, detail FROM pg_temp.try($$INSERT INTO carbon_ledger.loan_book
	VALUES ('540600', '2024-12-31', 8000000.001)$$);
-- 1.5 is whole fen; amounts are kept to the fen
INSERT INTO carbon_ledger.loan_repayment (loan_no, amount, repaid_on)
VALUES ('LU-1', 1.5, '2024-04-01');
SELECT amount FROM carbon_ledger.loan_repayment WHERE loan_no = 'LU-1'
ORDER BY repayment_id;

-- repayments dated in the future are refused; today is fine
SELECT state, message FROM pg_temp.try($$INSERT INTO carbon_ledger.loan_repayment
	(loan_no, amount, repaid_on) VALUES ('LU-1', 1, current_date + 1)$$);
SELECT state FROM pg_temp.try($$INSERT INTO carbon_ledger.loan_repayment
	(loan_no, amount, repaid_on) VALUES ('LU-1', 1, current_date)$$);
SELECT principal, repaid, carbon_ledger.loan_balance('LU-1', current_date) AS balance
FROM carbon_ledger.green_loan WHERE loan_no = 'LU-1';
INSERT INTO carbon_ledger.loan_book VALUES ('540600', '2024-12-31', 8000000.5);
SELECT total_loan_balance FROM carbon_ledger.loan_book
WHERE region_code = '540600' AND as_of = '2024-12-31';
DELETE FROM carbon_ledger.loan_book WHERE region_code = '540600';
