-- Denial of service: audit_verify() and regional_summary() can be
-- cancelled.  Each is first given work that takes it at least a second
-- uncancelled (the data doubles until it does, so a fast machine gets more
-- data and a slow one, or valgrind, less), then run with a 50 ms
-- statement_timeout: it must fail with 57014 well before it would have
-- finished (in less than half its uncancelled time), which only a function
-- that checks for interrupts while it works can do.  Runs in a database of
-- its own.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\pset format unaligned
\pset fieldsep ' | '

SELECT current_database() AS main_db \gset
SET client_min_messages = warning;
DROP DATABASE IF EXISTS carbon_ledger_cancel;
CREATE DATABASE carbon_ledger_cancel;
\c carbon_ledger_cancel
CREATE EXTENSION carbon_ledger;
RESET client_min_messages;
CREATE SCHEMA dos;
CREATE TABLE dos.calibration (what text PRIMARY KEY, size int, took interval);

-- audit_verify: records of large rows (640 kB of text each), which it
-- rebuilds and hashes one by one
CREATE TABLE dos.big (id int PRIMARY KEY, v text);
SELECT carbon_ledger.audit_enable('dos.big') IS NOT NULL AS enabled;
DO $$
DECLARE
	n		int := 0;
	batch	int := 16;
	t0		timestamptz;
	took	interval;
BEGIN
	LOOP
		INSERT INTO dos.big
		SELECT g, repeat(md5(g::text), 20000)
		FROM generate_series(n + 1, n + batch) g;
		n := n + batch;
		t0 := clock_timestamp();
		PERFORM * FROM carbon_ledger.audit_verify();
		took := clock_timestamp() - t0;
		EXIT WHEN took >= interval '1 s' OR n >= 16384;
		batch := n;
	END LOOP;
	INSERT INTO dos.calibration VALUES ('audit_verify', n, took);
END
$$;
SELECT carbon_ledger.audit_seal() >= 0 AS sealed;
SELECT valid, reason FROM carbon_ledger.audit_verify();

-- regional_summary: green loans (taken as they come, as in a restore, so
-- that setting up is quick), whose balances it computes one by one
INSERT INTO carbon_ledger.programme (programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('DOS', 'cancel', 100, '10 years');
SET row_security = off;
DO $$
DECLARE
	n		int := 0;
	batch	int := 1000;
	t0		timestamptz;
	took	interval;
BEGIN
	LOOP
		INSERT INTO carbon_ledger.green_loan (loan_no, borrower_uscc,
			region_code, green_category, principal, issue_date,
			maturity_date, rate, project_investment)
		SELECT 'DOS-' || g, '91350100M000100Y43', '540102', 'clean energy',
			   1000, '2020-01-01', '2030-01-01', 3.45, 2000
		FROM generate_series(n + 1, n + batch) g;
		n := n + batch;
		t0 := clock_timestamp();
		PERFORM * FROM carbon_ledger.regional_summary('2024-01-01', '2024-12-31');
		took := clock_timestamp() - t0;
		EXIT WHEN took >= interval '1 s' OR n >= 1024000;
		batch := n;
	END LOOP;
	INSERT INTO dos.calibration VALUES ('regional_summary', n, took);
END
$$;
RESET row_security;
SELECT region_code, green_loan_balance > 0 AS has_balance
  FROM carbon_ledger.regional_summary('2024-01-01', '2024-12-31');

-- both reached a second (or hit the size cap, which the next query shows)
SELECT what, took >= interval '1 s' AS slow_enough FROM dos.calibration ORDER BY 1;

-- cancelled by statement_timeout, in less than half the uncancelled time
\set VERBOSITY sqlstate
SELECT clock_timestamp() AS t0 \gset
SET statement_timeout = '50ms';
SELECT count(*) FROM carbon_ledger.audit_verify();
RESET statement_timeout;
SELECT clock_timestamp() - :'t0'::timestamptz < took / 2 AS cancelled_early
  FROM dos.calibration WHERE what = 'audit_verify';

SELECT clock_timestamp() AS t0 \gset
SET statement_timeout = '50ms';
SELECT count(*) FROM carbon_ledger.regional_summary('2024-01-01', '2024-12-31');
RESET statement_timeout;
SELECT clock_timestamp() - :'t0'::timestamptz < took / 2 AS cancelled_early
  FROM dos.calibration WHERE what = 'regional_summary';

-- a cancelled verification leaves nothing behind: the chain still verifies
SELECT valid, reason FROM carbon_ledger.audit_verify();

\c :main_db
SET client_min_messages = warning;
DROP DATABASE carbon_ledger_cancel;
