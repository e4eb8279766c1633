-- TRUNCATE of the tables the ledger's rows refer to.  Activities,
-- redemptions and the bookkeeping tables refer to accounts by account_no
-- without a foreign key: TRUNCATE of carbon_ledger.account, directly or
-- through TRUNCATE carbon_ledger.programme CASCADE, is refused (LD013)
-- while any of them holds a row, as DELETE of such an account is.  Loans
-- and programmes are held by their foreign keys.  With no ledger rows,
-- TRUNCATE works.  In a database of its own: the ledger must start empty.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\pset format unaligned
\pset fieldsep ' | '

SELECT current_database() AS main_db \gset
CREATE DATABASE ledger_truncate_test;
\c ledger_truncate_test
SET client_min_messages = warning;
CREATE EXTENSION carbon_ledger;
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

-- an empty ledger: accounts and programmes can be truncated
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('TR', 'truncate test', 1000, '10 years');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('TR-1', 'h1', 'TR', '540102', '2024-01-01 00:00+08'),
	   ('TR-2', 'h2', 'TR', '540102', '2024-01-01 00:00+08');
SELECT * FROM pg_temp.try($$TRUNCATE carbon_ledger.account$$);
SELECT count(*) AS accounts FROM carbon_ledger.account;
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('TR-1', 'h1', 'TR', '540102', '2024-01-01 00:00+08');
SELECT * FROM pg_temp.try($$TRUNCATE carbon_ledger.programme CASCADE$$);
SELECT (SELECT count(*) FROM carbon_ledger.programme) AS programmes,
	   (SELECT count(*) FROM carbon_ledger.account) AS accounts;

-- an account with ledger rows: TRUNCATE is refused however it is reached
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('TR', 'truncate test', 1000, '10 years');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('TR-1', 'h1', 'TR', '540102', '2024-01-01 00:00+08'),
	   ('TR-2', 'h2', 'TR', '540102', '2024-01-01 00:00+08');
INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
VALUES ('TR-2', 'bus', '2 kg', '2024-06-01 08:00+08', 'tr-1');
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('TR-2', '0.5', 'tea', 'tr-2');
SELECT * FROM pg_temp.try($$DELETE FROM carbon_ledger.account
	WHERE account_no = 'TR-2'$$);
SELECT * FROM pg_temp.try($$TRUNCATE carbon_ledger.account$$);
SELECT * FROM pg_temp.try($$TRUNCATE ONLY carbon_ledger.account$$);
SELECT * FROM pg_temp.try($$TRUNCATE carbon_ledger.account CASCADE$$);
SELECT * FROM pg_temp.try($$TRUNCATE carbon_ledger.programme,
	carbon_ledger.programme_activity_cap, carbon_ledger.account$$);
SELECT * FROM pg_temp.try($$TRUNCATE carbon_ledger.programme CASCADE$$);
-- a role granted TRUNCATE alone, with no privilege on the ledger rows, is
-- refused the same way (the guard reads them as the extension's owner)
CREATE ROLE ledger_truncate_role;
GRANT USAGE ON SCHEMA carbon_ledger TO ledger_truncate_role;
GRANT TRUNCATE ON carbon_ledger.account TO ledger_truncate_role;
SET ROLE ledger_truncate_role;
SELECT state, message FROM pg_temp.try($$TRUNCATE carbon_ledger.account$$);
RESET ROLE;
REVOKE ALL ON carbon_ledger.account FROM ledger_truncate_role;
REVOKE ALL ON SCHEMA carbon_ledger FROM ledger_truncate_role;
DROP ROLE ledger_truncate_role;
-- without CASCADE the foreign key refuses (PostgreSQL's 0A000)
SELECT state, message FROM pg_temp.try($$TRUNCATE carbon_ledger.programme$$);
-- nothing was removed, and the guard holds for the owner and superusers:
-- the caller here is a superuser
SELECT (SELECT count(*) FROM carbon_ledger.programme) AS programmes,
	   (SELECT count(*) FROM carbon_ledger.account) AS accounts,
	   (SELECT count(*) FROM carbon_ledger.activity) AS activities,
	   (SELECT count(*) FROM carbon_ledger.redemption) AS redemptions;
SELECT count(*) AS differing FROM carbon_ledger.check_balances();
-- the account without ledger rows can still be deleted
DELETE FROM carbon_ledger.account WHERE account_no = 'TR-1';

-- loans: repayments refer to their loan by a foreign key, so TRUNCATE of
-- green_loan is refused by PostgreSQL (0A000), and with CASCADE by the
-- append-only repayments (LD013); DELETE of a repaid loan fails the key
-- (23503)
INSERT INTO carbon_ledger.green_loan
	(loan_no, borrower_uscc, region_code, green_category, principal,
	 issue_date, maturity_date, rate, project_annual_reduction,
	 project_investment)
VALUES ('TR-L1', '91350100M000100Y43', '540102', 'solar', 1000000,
		'2024-01-01', '2029-01-01', 3.1, '1000 t', 2000000);
INSERT INTO carbon_ledger.loan_repayment (loan_no, amount, repaid_on)
VALUES ('TR-L1', 1000, '2024-06-01');
SELECT state, message FROM pg_temp.try($$TRUNCATE carbon_ledger.green_loan$$);
SELECT state, message FROM pg_temp.try($$TRUNCATE carbon_ledger.green_loan CASCADE$$);
SELECT state, message FROM pg_temp.try($$DELETE FROM carbon_ledger.green_loan
	WHERE loan_no = 'TR-L1'$$);
SELECT count(*) AS loans FROM carbon_ledger.green_loan;

\c :main_db
SET client_min_messages = warning;
DROP DATABASE ledger_truncate_test;
