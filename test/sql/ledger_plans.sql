-- The booking path reads one account's bookkeeping rows through indexes,
-- whatever the tables' statistics said when its plans were made.  In a
-- fresh database whose bookkeeping tables were analysed while empty (as a
-- data loader's VACUUM ANALYZE before the first load leaves them), bookings
-- made one statement at a time (PL/pgSQL keeps generic plans after five
-- executions) and in one multi-row INSERT ... SELECT must not scan any of
-- these tables sequentially: a sequential scan kept in a session's plan
-- makes each booking slower than the last as the tables grow.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\pset format unaligned
\pset fieldsep ' | '

SELECT current_database() AS main_db \gset
CREATE DATABASE ledger_plans_test;
\c ledger_plans_test
SET client_min_messages = warning;
CREATE EXTENSION carbon_ledger;
RESET client_min_messages;

INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('PLANS', 'plans', 1000, '1 year');
INSERT INTO carbon_ledger.programme_activity_cap VALUES ('PLANS', 'bus', '5 kg');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
SELECT 'PL-' || i, 'h' || i, 'PLANS', '540102', now() - interval '2 days'
FROM generate_series(1, 3) i;
VACUUM ANALYZE carbon_ledger.activity, carbon_ledger.redemption,
	carbon_ledger.request, carbon_ledger.credit_lot,
	carbon_ledger.credit_allocation, carbon_ledger.credit_expiry;
-- start the transaction with no statistics pending in this session
SELECT pg_catalog.pg_stat_force_next_flush();
SELECT 1 AS flushed;

BEGIN;
DO $$
DECLARE
	rid			bigint;
BEGIN
	FOR i IN 1 .. 12 LOOP
		INSERT INTO carbon_ledger.activity
			(account_no, kind, reduction, occurred_at, request_id)
		VALUES ('PL-' || (1 + i % 3), CASE i % 2 WHEN 0 THEN 'bus' ELSE 'walk' END,
				'2 kg', now() - interval '1 hour', 'pl-act-' || i);
		INSERT INTO carbon_ledger.redemption
			(account_no, credits, item, request_id)
		VALUES ('PL-' || (1 + i % 3), '0.5', 'tea', 'pl-red-' || i)
		RETURNING redemption_id INTO rid;
		IF i <= 3 THEN
			/* a reversal of each account's first redemption */
			INSERT INTO carbon_ledger.redemption
				(account_no, credits, item, request_id, reverses)
			VALUES ('PL-' || (1 + i % 3), '0.5', 'refund', 'pl-rev-' || i,
					rid);
		END IF;
	END LOOP;
END
$$;
INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
SELECT 'PL-' || (1 + i % 3), 'walk', '3 kg', now() - interval '1 hour',
	   'pl-bulk-act-' || i
FROM generate_series(1, 30) i;
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
SELECT 'PL-' || (1 + i % 3), '0.5', 'tea', 'pl-bulk-red-' || i
FROM generate_series(1, 30) i;
-- no sequential scan of a ledger or bookkeeping table so far in this
-- transaction (counted before the checks below, which do scan).  The
-- redemption table is left out: the foreign key of "reverses" is checked
-- by PostgreSQL's own referential integrity trigger, not by the ledger.
SELECT relname, seq_scan, idx_scan > 0 AS used_indexes
FROM pg_catalog.pg_stat_xact_user_tables
WHERE schemaname = 'carbon_ledger'
  AND relname IN ('account', 'activity', 'request',
				  'credit_lot', 'credit_allocation', 'credit_expiry')
ORDER BY relname;
COMMIT;

-- every booking went through, with its bookkeeping rows and balances
SELECT (SELECT count(*) FROM carbon_ledger.activity) AS activities,
	   (SELECT count(*) FROM carbon_ledger.redemption) AS redemptions,
	   (SELECT count(*) FROM carbon_ledger.credit_lot) AS lots,
	   (SELECT count(*) FROM carbon_ledger.credit_allocation) AS allocations;
SELECT account_no, balance FROM carbon_ledger.account ORDER BY 1;
SELECT count(*) AS differing FROM carbon_ledger.check_balances();

-- The C booking triggers keep their plans for the session: dropping and
-- creating the extension again in the same session (new tables, new
-- types) must not leave them pointing at the old ones.
SET client_min_messages = warning;
DROP EXTENSION carbon_ledger CASCADE;
CREATE EXTENSION carbon_ledger;
RESET client_min_messages;
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('PLANS', 'plans', 250.5, '1 year');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('PL-9', 'h9', 'PLANS', '540102', now() - interval '2 days');
INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
VALUES ('PL-9', 'walk', '3 kg', now() - interval '1 hour', 'pl-again-1')
RETURNING credits, credits_uncapped;
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('PL-9', '0.5', 'tea', 'pl-again-2') RETURNING credits;
SELECT account_no, balance FROM carbon_ledger.account;
SELECT count(*) AS differing FROM carbon_ledger.check_balances();

\c :main_db
SET client_min_messages = warning;
DROP DATABASE ledger_plans_test;
