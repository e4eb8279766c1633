-- regional_summary on a small data set computed by hand (see the comments
-- for each figure), and its independence from the session's TimeZone.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\pset format unaligned
\pset fieldsep ' | '

-- The summary covers the whole database: this test runs in its own one.
SELECT current_database() AS main_db \gset
CREATE DATABASE ledger_summary_test;
\c ledger_summary_test
SET client_min_messages = warning;
CREATE EXTENSION carbon_ledger;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- An empty ledger: only the total row, with zero counts and amounts (no
-- NULLs) and no loan book, hence no growth or share.
SELECT * FROM carbon_ledger.regional_summary('2025-01-01', '2025-03-31');

-- a NULL period bound gives no rows (the function is STRICT)
SELECT count(*) FROM carbon_ledger.regional_summary(NULL, '2025-03-31');

-- 10 credits per tonne; days are Asia/Shanghai days
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime, time_zone)
VALUES ('SUM', 'summary test', 10, '3 years', 'Asia/Shanghai');

-- Lhasa (540100): S-1 opened before the quarter, S-2 in it.
-- Shannan (540500): S-3 opens at 23:30 on the quarter's last local day
-- (in), S-4 at 00:30 the next local day (out, though still March 31 in
-- UTC).  Nyingchi (540400): S-5 in the retired code 540422, closed on
-- 2025-01-15, so not counted at the quarter's end.
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('S-1', 'h1', 'SUM', '540102', '2024-06-01 10:00+08'),
	   ('S-2', 'h2', 'SUM', '540103', '2025-02-01 10:00+08'),
	   ('S-3', 'h3', 'SUM', '540502', '2025-03-31 23:30+08'),
	   ('S-4', 'h4', 'SUM', '540502', '2025-04-01 00:30+08'),
	   ('S-5', 'h5', 'SUM', '540422', '2020-01-01 10:00+08');

-- Activities in the quarter: Lhasa 0.2 + 0.3 + 1 t (3 activities, 15
-- credits), Shannan 0.05 t (1 activity, 0.5 credits); the 0.1 t of S-1 at
-- 23:30 on Dec 31 and S-5's 0.5 t are before it.
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('S-1', 'bus', '100 kg', '2024-12-31 23:30+08', 'sum-a1'),
	   ('S-1', 'bus', '200 kg', '2025-01-01 00:30+08', 'sum-a2'),
	   ('S-1', 'bus', '300 kg', '2025-03-31 23:59+08', 'sum-a3'),
	   ('S-2', 'metro', '1 t', '2025-02-10 08:00+08', 'sum-a4'),
	   ('S-3', 'walk', '50 kg', '2025-03-31 23:45+08', 'sum-a5'),
	   ('S-5', 'tree', '500 kg', '2024-12-01 08:00+08', 'sum-a6');

-- Redemptions in the quarter: Lhasa 2 - 2 (reversed) + 3 = 3 credits,
-- Nyingchi 2; S-1's redemption of Dec 31 is before the quarter.
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id, redeemed_at)
VALUES ('S-1', 1, 'tea', 'sum-r1', '2024-12-31 23:50+08'),
	   ('S-1', 2, 'rice', 'sum-r2', '2025-02-01 12:00+08'),
	   ('S-2', 3, 'soap', 'sum-r3', '2025-03-15 12:00+08'),
	   ('S-5', 2, 'milk', 'sum-r4', '2025-01-10 12:00+08');
INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id, redeemed_at, reverses)
SELECT 'S-1', 2, 'rice returned', 'sum-r5', '2025-03-01 12:00+08', redemption_id
FROM carbon_ledger.redemption WHERE request_id = 'sum-r2';
UPDATE carbon_ledger.account SET status = 'closed', closed_at = '2025-01-15 12:00+08'
WHERE account_no = 'S-5';

-- Green loans, balances at 2025-03-31 and a year before (2024-03-31):
-- L-A Lhasa 1,000,000 issued 2023-06-01, repaid 200,000 (2024-01-10) and
--     100,000 (2025-02-01): 700,000 now, 800,000 a year before;
-- L-B Lhasa carbon-reduction 600,000 issued 2024-09-01, project 3,000 t
--     on 1,800,000: attributed 1,000 t; 600,000 now, 0 before;
-- L-C Shannan 500,000 issued 2025-04-01: 0 at both dates;
-- L-D Shannan carbon-reduction 300,000 issued 2024-01-01, repaid in full
--     on 2025-03-31: 0 now (its 300 t no longer count), 300,000 before.
INSERT INTO carbon_ledger.green_loan
	(loan_no, borrower_uscc, region_code, green_category, principal,
	 issue_date, maturity_date, rate, project_annual_reduction,
	 project_investment, carbon_reduction_loan, carbon_reduction_field)
VALUES ('L-A', '91350100M000100Y43', '540102', 'green transport', 1000000,
		'2023-06-01', '2028-06-01', 3.2, NULL, 2000000, false, NULL),
	   ('L-B', '91110000600037341L', '540104', 'solar', 600000,
		'2024-09-01', '2029-09-01', 2.9, '3000 t', 1800000, true, 'clean energy'),
	   ('L-C', '911100001000128855', '540502', 'hydro', 500000,
		'2025-04-01', '2030-04-01', 3.0, '100 t', 500000, false, NULL),
	   ('L-D', '91440300708461136T', '540521', 'heat pumps', 300000,
		'2024-01-01', '2026-01-01', 2.5, '900 t', 900000, true,
		'energy saving and environmental protection');
INSERT INTO carbon_ledger.loan_repayment (loan_no, amount, repaid_on)
VALUES ('L-A', 200000, '2024-01-10'), ('L-A', 100000, '2025-02-01'),
	   ('L-D', 300000, '2025-03-31');

-- All loans of the bank: Lhasa 5,200,000 on 2025-03-31 (the 2024 figure
-- is superseded, the June one is after the period), Shannan 1,000,000.
INSERT INTO carbon_ledger.loan_book (region_code, as_of, total_loan_balance)
VALUES ('540100', '2024-12-31', 4000000), ('540100', '2025-03-31', 5200000),
	   ('540100', '2025-06-30', 9999999), ('540500', '2025-03-31', 1000000);

-- Expected, by hand:
--   540100: 2 accounts, 1 new, 3 activities, 1.5 t, 15 earned, 3 redeemed,
--           1,300,000 (800,000 before: +62.5%), share 1.3/5.2 = 25%,
--           carbon-reduction 600,000 and 1,000 t
--   540400: 0 accounts, 0 new, 0 activities, 2 redeemed, no loans
--   540500: 1 account, 1 new, 1 activity, 0.05 t, 0.5 earned, 0 loans now
--           (300,000 before: -100%), share 0
--   total:  3, 2, 4, 1.55 t, 15.5, 5, 1,300,000 (1,100,000 before:
--           +18.18%), share 1.3/6.2 = 20.97%, 600,000 and 1,000 t
SELECT region_code, region_name, region_name_en, accounts, new_accounts,
	   activities, reduction, credits_earned, credits_redeemed,
	   green_loan_balance, green_loan_balance_year_before,
	   round(green_loan_yoy_growth * 100, 2) AS yoy_pct,
	   total_loan_balance, round(green_loan_share * 100, 2) AS share_pct,
	   carbon_reduction_loan_balance, carbon_reduction_attributed
FROM carbon_ledger.regional_summary('2025-01-01', '2025-03-31');

-- the same under another session TimeZone
SET TimeZone = 'America/Los_Angeles';
SELECT region_code, accounts, new_accounts, activities, reduction
FROM carbon_ledger.regional_summary('2025-01-01', '2025-03-31');
RESET TimeZone;

-- an empty period still lists the regions, with zeros
SELECT region_code, accounts, new_accounts, activities, reduction,
	   credits_earned, green_loan_balance, green_loan_yoy_growth
FROM carbon_ledger.regional_summary('2020-01-01', '2020-03-31');

-- a period that ends before it starts is an error
\set VERBOSITY terse
SELECT * FROM carbon_ledger.regional_summary('2025-03-31', '2025-01-01');
\echo :LAST_ERROR_SQLSTATE
-- and so is a date the report cannot turn into a time: the whole range of
-- the date type is not (its last day has no next day)
SELECT * FROM carbon_ledger.regional_summary('2025-01-01', '5874897-12-31');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM carbon_ledger.regional_summary('4713-11-24 BC', '2025-01-01');
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default
-- the ends of the allowed range, and the infinities, are reports
SELECT count(*) FROM carbon_ledger.regional_summary('0001-01-01', '9999-12-31');
SELECT count(*) FROM carbon_ledger.regional_summary('-infinity', 'infinity');

-- Codes retired since are reported under today's prefecture, following
-- their successors: 542301 (日喀则市 of the retired 542300 日喀则地区,
-- today 540202 桑珠孜区) and the retired prefecture itself roll up to
-- 540200 日喀则市; 542121 (昌都县) to 540300 昌都市, its 1983 partial
-- transfers aside.  A province has no prefecture.
SELECT c AS code, carbon_ledger.report_prefecture(c) AS reported_under
FROM unnest(ARRAY['542301', '542300', '542121', '542100', '540422', '540000',
				  '110101', '110000']) c;

-- A loan booked in 2013 in 542301 (valid then) is in 540200's row:
-- 800,000 now and a year before.  540200 has no loan book figure, so its
-- share is NULL, and so is the total row's: part of the green balance
-- has no denominator.
INSERT INTO carbon_ledger.green_loan
	(loan_no, borrower_uscc, region_code, green_category, principal,
	 issue_date, maturity_date, rate, project_investment)
VALUES ('L-E', '91350100M000100Y43', '542301', 'hydro', 800000,
		'2013-06-01', '2033-06-01', 4.0, 800000);
SELECT region_code, region_name, green_loan_balance,
	   green_loan_balance_year_before, total_loan_balance,
	   round(green_loan_share * 100, 2) AS share_pct
FROM carbon_ledger.regional_summary('2025-01-01', '2025-03-31');

-- The loan book for the whole province instead: no province row, the
-- prefectures have no share, and the total row's share is the green
-- balance over the province's figure: 2,100,000 / 20,000,000 = 10.5%.
-- A loan booked at province level counts in the total row only.
DELETE FROM carbon_ledger.loan_book;
INSERT INTO carbon_ledger.loan_book (region_code, as_of, total_loan_balance)
VALUES ('540000', '2025-03-31', 20000000);
SELECT region_code, green_loan_balance, total_loan_balance,
	   round(green_loan_share * 100, 2) AS share_pct
FROM carbon_ledger.regional_summary('2025-01-01', '2025-03-31');
INSERT INTO carbon_ledger.green_loan
	(loan_no, borrower_uscc, region_code, green_category, principal,
	 issue_date, maturity_date, rate, project_investment)
VALUES ('L-F', '91350100M000100Y43', '540000', 'hydro', 100000,
		'2025-01-01', '2030-01-01', 4.0, 100000);
SELECT region_code, accounts, green_loan_balance, total_loan_balance,
	   round(green_loan_share * 100, 2) AS share_pct
FROM carbon_ledger.regional_summary('2025-01-01', '2025-03-31');

-- A loan book figure needs a GB/T 2260 code in use on its date (LD015);
-- in the year of a change both codes are (542300 was retired and 540200
-- created in 2014).
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
DELETE FROM carbon_ledger.loan_book;
SELECT b.code, b.as_of, t.*
FROM (VALUES ('abc', '2025-03-31'), ('540199', '2025-03-31'),
			 ('540102', '2025-03-31'), ('110101', '2025-03-31'),
			 ('429004', '2025-03-31'), ('110000', '2025-03-31'),
			 ('540000', '2025-03-31'),
			 ('542300', '2015-03-31'), ('540200', '2013-12-31'),
			 ('542300', '2014-06-30'), ('540200', '2014-06-30')) b(code, as_of),
	 LATERAL pg_temp.try(format('INSERT INTO carbon_ledger.loan_book VALUES (%L, %L, 1000)',
								b.code, b.as_of)) t;
-- an update is checked too
SELECT * FROM pg_temp.try($$UPDATE carbon_ledger.loan_book
	SET as_of = '2015-06-30' WHERE region_code = '542300'$$);

-- Figures of a retired code and of its successor are one series: the
-- latest on or before period_end counts, not their sum.  542300's figure
-- of 2013 is superseded by 540200's of 2025 (8,000, not 13,000); in a
-- period of 2013 it is the latest (5,000).  The figures of one date are
-- added up (codes of areas that were merged): two of 2014-06-30, when
-- both codes were in use, make 7,000.
DELETE FROM carbon_ledger.loan_book;
INSERT INTO carbon_ledger.loan_book (region_code, as_of, total_loan_balance)
VALUES ('542300', '2013-12-31', 5000), ('540200', '2025-03-31', 8000);
SELECT region_code, total_loan_balance
FROM carbon_ledger.regional_summary('2025-01-01', '2025-03-31');
SELECT region_code, total_loan_balance
FROM carbon_ledger.regional_summary('2013-10-01', '2013-12-31')
WHERE region_code IS NULL OR region_code = '540200';
INSERT INTO carbon_ledger.loan_book (region_code, as_of, total_loan_balance)
VALUES ('542300', '2014-06-30', 3000), ('540200', '2014-06-30', 4000);
SELECT region_code, total_loan_balance
FROM carbon_ledger.regional_summary('2014-01-01', '2014-12-31')
WHERE region_code IS NULL OR region_code = '540200';

SELECT * FROM carbon_ledger.check_balances();

\c :main_db
SET client_min_messages = warning;
DROP DATABASE ledger_summary_test;
