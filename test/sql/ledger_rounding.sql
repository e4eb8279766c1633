-- Results of a numeric division are exact before they are rounded or
-- truncated: numeric's "/" rounds its quotient to about 16 significant
-- digits, so round(n / d) could turn x.4999...9 into x.5 and round it up,
-- and trunc(n / d) could turn 0.999...9 into 1.  The attributed reduction
-- of a green loan is rounded half away from zero to the gram from the
-- exact quotient (div() and the remainder); the credits of an activity at
-- a rate computed with numeric are truncated with div().
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

BEGIN;
-- attributed reduction = project reduction x principal / investment
-- GL-R: 40000000003 g x 100000000.00 / 200000000.01
--       = 20000000000.49999999997... g: 20000 t, not 20000.000001 t
-- GL-HALF: 3 g x 100.00 / 200.00 = 1.5 g exactly: 2 g (away from zero)
-- GL-UNDER: 1 g x 999999999999999.99 / 1999999999999999.99
--       = 0.4999999999999999975 g (0.5000000000000000 after "/"): 0 g
-- GL-OVER: 1 g x 1000000000000000.00 / 1999999999999999.99
--       = 0.5000000000000000025 g: 1 g
-- GL-NEG and GL-NEG-UNDER: a plain green loan may report a negative
-- project reduction; -1.5 g rounds to -2 g, -0.4999... g to 0 g
-- GL-BIG: 9000000000000000001 g x 999999999999999.99 / 999999999999999.99
--       = the reduction itself, whatever the digits
INSERT INTO carbon_ledger.green_loan (loan_no, borrower_uscc, region_code,
	green_category, principal, issue_date, maturity_date, rate,
	project_annual_reduction, project_investment, carbon_reduction_loan,
	carbon_reduction_field)
VALUES ('GL-R', '91350100M000100Y43', '540102', 'solar', 100000000.00,
		'2025-02-01', '2030-02-01', 3.1, '40000.000003 t', 200000000.01,
		true, 'clean energy'),
	   ('GL-HALF', '91350100M000100Y43', '540102', 'solar', 100.00,
		'2025-02-01', '2030-02-01', 3.1, '3 g', 200.00, false, NULL),
	   ('GL-UNDER', '91350100M000100Y43', '540102', 'solar', 999999999999999.99,
		'2025-02-01', '2030-02-01', 3.1, '1 g', 1999999999999999.99, false, NULL),
	   ('GL-OVER', '91350100M000100Y43', '540102', 'solar', 1000000000000000.00,
		'2025-02-01', '2030-02-01', 3.1, '1 g', 1999999999999999.99, false, NULL),
	   ('GL-NEG', '91350100M000100Y43', '540102', 'solar', 100.00,
		'2025-02-01', '2030-02-01', 3.1, '-3 g', 200.00, false, NULL),
	   ('GL-NEG-UNDER', '91350100M000100Y43', '540102', 'solar', 999999999999999.99,
		'2025-02-01', '2030-02-01', 3.1, '-1 g', 1999999999999999.99, false, NULL),
	   ('GL-BIG', '91350100M000100Y43', '540102', 'solar', 999999999999999.99,
		'2025-02-01', '2030-02-01', 3.1, '9000000000000.000001 t',
		999999999999999.99, false, NULL);
SELECT loan_no, attributed_reduction,
	   tco2e_grams(attributed_reduction) AS grams
FROM carbon_ledger.green_loan WHERE loan_no LIKE 'GL-%' ORDER BY loan_no;
-- an update computes it the same way: 3 g x 100.00 / 200.01 = 1.49992... g
UPDATE carbon_ledger.green_loan SET project_investment = 200.01
WHERE loan_no = 'GL-HALF'
RETURNING loan_no, tco2e_grams(attributed_reduction) AS grams;
ROLLBACK;

BEGIN;
-- credits at rates beyond 18 decimals are computed with numeric:
-- 999.99999999999999999999 x 1 g / 1000 = 0.99999999999999999999999
-- thousandths: none (not 0.001 credits); x 1 kg: 0.999 credits
-- 1000.00000000000000000001 x 1 g / 1000: just over one thousandth, 0.001
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('RND-A', 'just under 1000', 999.99999999999999999999, '1 year'),
	   ('RND-B', 'just over 1000', 1000.00000000000000000001, '1 year');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('RND-A', 'h', 'RND-A', '540102', now() - interval '1 day'),
	   ('RND-B', 'h', 'RND-B', '540102', now() - interval '1 day');
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('RND-A', 'walk', '1 g', now() - interval '1 hour', 'rnd-a1'),
	   ('RND-A', 'walk', '1 kg', now() - interval '1 hour', 'rnd-a2'),
	   ('RND-B', 'walk', '1 g', now() - interval '1 hour', 'rnd-b1')
RETURNING account_no, reduction, credits, credits_uncapped;
SELECT account_no, balance FROM carbon_ledger.account
WHERE account_no LIKE 'RND-%' ORDER BY 1;
ROLLBACK;

BEGIN;
-- credits beyond range: the detail gives them exactly, in thousandths:
-- 2000 x 9000000000000000251 g / 1000 = 18000000000000000502 thousandths
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('RND-C', 'high rate', 2000, '1 year');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('RND-C', 'h', 'RND-C', '540102', now() - interval '1 day');
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('RND-C', 'walk', '9000000000000.000251 t',
			now() - interval '1 hour', 'rnd-c1')$$);
ROLLBACK;
