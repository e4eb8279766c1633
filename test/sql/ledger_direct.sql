-- The booking triggers write credit lots and allocations straight into
-- the heap and indexes (those tables are not audited and have no insert
-- trigger but their guard).  When a table is given another insert trigger
-- (here the audit trail, enabled by a DBA) the bookings go through SQL
-- instead, so that trigger fires; the unique keys are checked either way.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\pset format unaligned
\pset fieldsep ' | '

BEGIN;
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('DIRECT', 'direct inserts', 1000, '1 year');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('DIR-1', 'h', 'DIRECT', '540102', now() - interval '1 day');
-- the direct way: lot and allocation written, not audited
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('DIR-1', 'walk', '3 kg', now() - interval '1 hour', 'dir-a1');
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('DIR-1', '1', 'tea', 'dir-r1');
SELECT count(*) AS lots FROM carbon_ledger.credit_lot WHERE account_no = 'DIR-1';
SELECT count(*) AS allocations FROM carbon_ledger.credit_allocation
WHERE account_no = 'DIR-1';
-- with the audit trail on both tables, the next bookings are recorded
SELECT carbon_ledger.audit_enable('carbon_ledger.credit_lot') IS NOT NULL AS lot_audited,
	   carbon_ledger.audit_enable('carbon_ledger.credit_allocation') IS NOT NULL AS allocation_audited;
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('DIR-1', 'walk', '2 kg', now() - interval '1 hour', 'dir-a2');
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('DIR-1', '3', 'bread', 'dir-r2');
SELECT table_name, operation, new_row ->> 'account_no' AS account_no,
	   new_row ->> 'credits' AS credits
FROM carbon_ledger.audit_log
WHERE table_name IN ('carbon_ledger.credit_lot', 'carbon_ledger.credit_allocation')
  AND operation = 'INSERT' AND new_row ->> 'account_no' = 'DIR-1'
ORDER BY id;
SELECT account_no, balance FROM carbon_ledger.account WHERE account_no = 'DIR-1';
SELECT * FROM carbon_ledger.check_balances() WHERE account_no = 'DIR-1';
ROLLBACK;
