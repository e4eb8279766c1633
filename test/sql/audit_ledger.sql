-- The ledger's tables are audited from installation: bookings land in the
-- audit trail with the balance changes they cause, and the chain verifies.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- every table that holds what the bank booked or configured is audited
SELECT c.relname
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
 WHERE t.tgname = 'carbon_ledger_audit' AND t.tgenabled = 'A'
   AND c.relnamespace = 'carbon_ledger'::regnamespace
 ORDER BY 1;

-- installation recorded the enabling of each of them
SELECT table_name, operation
  FROM carbon_ledger.audit_log
 WHERE operation = 'AUDIT ENABLE' AND table_name LIKE 'carbon_ledger.%'
 ORDER BY table_name;

SELECT max(id) AS before_id FROM carbon_ledger.audit_log \gset

INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime, time_zone)
VALUES ('AUD', 'audit wiring test', 1000, '100 years', 'Asia/Shanghai');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('AUD-1', 'h1', 'AUD', '540102', '2024-01-01');
INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
VALUES ('AUD-1', 'cycling', '2.5 kg', '2024-02-01 08:00+08', 'aud-a1');
INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id, redeemed_at)
VALUES ('AUD-1', '1.5', 'bus ticket', 'aud-r1', '2024-02-02 08:00+08');

-- each booking and the balance it moved, in order, with canonical images
SELECT table_name, operation,
	   coalesce(new_row ->> 'balance', new_row ->> 'credits') AS credits
  FROM carbon_ledger.audit_log
 WHERE id > :before_id
 ORDER BY id;

SELECT carbon_ledger.audit_seal() >= 0 AS sealed;
SELECT valid, unsealed_records, reason FROM carbon_ledger.audit_verify();
