-- carbon_ledger demo: the main job, run by "make demo" (tools/demo.sh)
-- once tools/demo/load.sh has loaded the Xizang reference data set.
--
-- Prints the regional report of 2025 Q1 beside the published figures,
-- shows the rules rejecting what they must, and checks the balances and
-- the audit trail.  docs/demo.md explains every figure.
\set ON_ERROR_STOP on
\set QUIET on
\pset footer off
\pset null ''
SET client_min_messages = warning;

SELECT format('== carbon_ledger %s in database %s: the report', extversion,
			  current_database()) AS " "
FROM pg_extension WHERE extname = 'carbon_ledger' \g (tuples_only=on format=unaligned)

-- The report, kept for the comparisons below.
CREATE TEMP TABLE q1 AS
SELECT * FROM carbon_ledger.regional_summary('2025-01-01', '2025-03-31');
CREATE TEMP TABLE life AS
SELECT * FROM carbon_ledger.regional_summary('2024-06-05', '2025-03-31');

\echo
\echo '== regional_summary(''2025-01-01'', ''2025-03-31''): personal carbon accounts'
SELECT coalesce(region_code || ' ' || region_name_en, 'Xizang') AS prefecture,
	   to_char(accounts, 'FM999,999') AS accounts,
	   to_char(new_accounts, 'FM999,999') AS "new in Q1",
	   to_char(activities, 'FM9,999,999') AS activities,
	   to_char(tco2e_in_unit(reduction, 't'), 'FM9,999,990.000') AS "reduction t",
	   to_char(credits_earned::numeric, 'FM99,999,990') AS "credits earned",
	   to_char(credits_redeemed::numeric, 'FM99,999,990') AS "redeemed"
FROM q1;

\echo '== regional_summary(''2025-01-01'', ''2025-03-31''): green loans at 2025-03-31 (billion yuan)'
SELECT coalesce(region_code || ' ' || region_name_en, 'Xizang') AS prefecture,
	   to_char(green_loan_balance / 1e9, 'FM990.00') AS "green loans",
	   to_char(green_loan_balance_year_before / 1e9, 'FM990.00') AS "a year before",
	   to_char(100 * green_loan_yoy_growth, 'FM990.00"%"') AS yoy,
	   to_char(total_loan_balance / 1e9, 'FM990.00') AS "all loans",
	   to_char(100 * green_loan_share, 'FM990.00"%"') AS share,
	   to_char(carbon_reduction_loan_balance / 1e9, 'FM990.00') AS "carbon-red.",
	   carbon_reduction_attributed AS "attributed / yr"
FROM q1;

\echo '== the published figures (Xinhua, 7 May 2025) against the ledger'
SELECT f.figure AS "figure", f.published AS "published", f.ledger AS "ledger",
	   CASE WHEN f.ok THEN 'yes' ELSE 'NO' END AS "matches"
FROM (
	SELECT 1 AS n, 'accounts at 2025-03-31' AS figure, '37,901' AS published,
		   to_char(accounts, 'FM999,999') AS ledger, accounts = 37901 AS ok
	FROM q1 WHERE region_code IS NULL
	UNION ALL
	SELECT 2, 'opened in 2025 Q1', '6,549',
		   to_char(new_accounts, 'FM999,999'), new_accounts = 6549
	FROM q1 WHERE region_code IS NULL
	UNION ALL
	SELECT 3, 'credit transactions (activities + redemptions)', '470,800',
		   to_char(n, 'FM9,999,999'), n = 470800
	FROM (SELECT (SELECT count(*) FROM carbon_ledger.activity)
				 + (SELECT count(*) FROM carbon_ledger.redemption) AS n) t
	UNION ALL
	SELECT 4, 'CO2e reduced since the launch', 'more than 2,680 t',
		   reduction::text, reduction > '2680 t'::tco2e
	FROM life WHERE region_code IS NULL
	UNION ALL
	SELECT 5, 'green loan balance', '183.79 billion yuan',
		   to_char(green_loan_balance, 'FM999,999,999,990.00'),
		   green_loan_balance = 183790000000
	FROM q1 WHERE region_code IS NULL
	UNION ALL
	SELECT 6, 'year-on-year growth', '38.29%',
		   to_char(100 * green_loan_yoy_growth, 'FM990.0000"%"'),
		   round(100 * green_loan_yoy_growth, 2) = 38.29
	FROM q1 WHERE region_code IS NULL
	UNION ALL
	SELECT 7, 'share of all loans', 'about 30% (29.41%)',
		   to_char(100 * green_loan_share, 'FM990.0000"%"'),
		   round(100 * green_loan_share, 2) = 29.41
	FROM q1 WHERE region_code IS NULL
	UNION ALL
	SELECT 8, 'carbon-reduction loans', '9.5 billion yuan',
		   to_char(carbon_reduction_loan_balance, 'FM999,999,999,990.00'),
		   carbon_reduction_loan_balance = 9500000000
	FROM q1 WHERE region_code IS NULL
	UNION ALL
	SELECT 9, 'their annual reduction (attributed)', '24.29 万吨',
		   format('%s (%s 万吨)', carbon_reduction_attributed,
				  trim_scale(tco2e_in_unit(carbon_reduction_attributed, '万吨'))),
		   carbon_reduction_attributed = '24.29 万吨'::tco2e
	FROM q1 WHERE region_code IS NULL
) f ORDER BY f.n;

\echo '== units: the published "24.29 tonnes" was 24.29 万吨 (10^4 t)'
SELECT '24.29 万吨'::tco2e AS "'24.29 万吨'::tco2e",
	   '24.29 tonnes'::tco2e AS "'24.29 tonnes'::tco2e",
	   CASE WHEN carbon_reduction_attributed = '24.29 万吨'::tco2e
			THEN 'yes' ELSE 'no' END AS "ledger = 24.29 万吨?",
	   CASE WHEN carbon_reduction_attributed = '24.29 tonnes'::tco2e
			THEN 'yes' ELSE 'no' END AS "ledger = 24.29 tonnes?",
	   trim_scale(tco2e_in_unit(carbon_reduction_attributed, '万吨'))
		   AS "ledger in 万吨"
FROM q1 WHERE region_code IS NULL;

\ir attempts.sql

\echo '== check_balances(): accounts whose kept balance differs from the ledger rows'
SELECT format('   %s account(s) differ', count(*)) AS " "
FROM carbon_ledger.check_balances() \g (tuples_only=on format=unaligned)

\ir audit.sql
