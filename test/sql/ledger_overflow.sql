-- Totals beyond bigint inside a booking or a report are refused with
-- 22003 and a detail naming the account (or region) and the numbers,
-- never a bare "bigint out of range".
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

-- in a transaction rolled back at the end: these accounts would make
-- every later regional_summary() of 2024 in this database overflow
BEGIN;
-- 1000 credits per tonne: 9e12 t earn 9e15 credits, just within range
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('OVF', 'overflow test', 1000, '10 years'),
	   ('OVF-R', 'overflow test, high rate', 2000, '10 years');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('OVF-1', 'h1', 'OVF', '540602', '2024-01-01'),
	   ('OVF-2', 'h2', 'OVF-R', '540602', '2024-01-01'),
	   ('OVF-3', 'h3', 'OVF', '540602', '2024-01-01');
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('OVF-1', 'forest', '9000000000000 t', '2024-06-01 12:00+00', 'ovf-a1');
SELECT account_no, balance FROM carbon_ledger.account WHERE account_no = 'OVF-1';
-- a second one would take the balance beyond range
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('OVF-1', 'forest', '9000000000000 t', '2024-06-02 12:00+00', 'ovf-x1')$$);
-- at 2000 credits per tonne the activity's own credits are beyond range
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('OVF-2', 'forest', '9000000000000 t', '2024-06-01 12:00+00', 'ovf-x2')$$);
SELECT account_no, balance FROM carbon_ledger.account
WHERE account_no LIKE 'OVF-%' ORDER BY 1;

-- the regional totals of two such accounts are beyond range
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('OVF-3', 'forest', '9000000000000 t', '2024-06-01 12:00+00', 'ovf-a3');
SELECT state, message, detail FROM pg_temp.try($$SELECT * FROM
	carbon_ledger.regional_summary('2024-01-01', '2024-12-31')$$);
SELECT * FROM carbon_ledger.check_balances() WHERE account_no LIKE 'OVF-%';
ROLLBACK;
