-- The booking triggers and expire_credits() turn enable_seqscan off while
-- they run and put the session's own value back when they return or fail.
-- The PL/pgSQL helpers they call (sweep_account, account_lots,
-- lot_remaining, expiry_book) must not carry a SET clause of their own for
-- it: on an error inside them, the abort of the (sub)transaction would
-- restore the "off" such a clause saved, after the C code had restored
-- the session's value, and the session would go on without sequential
-- scans.  Here a write-off fails inside the sweep (a CHECK constraint on
-- credit_expiry, added for the test and rolled back with it) and the
-- setting is read afterwards: it is the session's own, on or off.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\pset format unaligned
\pset fieldsep ' | '
\set VERBOSITY sqlstate

-- A programme whose credits last a day, an account open for two years
-- (set up by sqs_setup(), with the write-offs of that account made to
-- fail) and an activity of a year ago: its lot has expired when it is
-- booked and is written off at once, by the sweep, which fails.
CREATE FUNCTION pg_temp.sqs_setup(p_fail bool) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO carbon_ledger.programme
		(programme_id, name, credits_per_tonne, credit_lifetime)
	VALUES ('SEQSCAN', 'seqscan restore', 1000, '1 day');
	INSERT INTO carbon_ledger.account
		(account_no, holder_ref, programme_id, region_code, opened_at)
	VALUES ('SQS-1', 'h', 'SEQSCAN', '540102', now() - interval '2 years');
	IF p_fail THEN
		ALTER TABLE carbon_ledger.credit_expiry ADD CONSTRAINT sqs_fail
			CHECK (account_no <> 'SQS-1') NOT VALID;
	END IF;
END
$$;
\set book_expired 'INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id) VALUES (''SQS-1'', ''walk'', ''1 kg'', now() - interval ''1 year'', ''sqs-a1'');'

BEGIN;
SELECT pg_temp.sqs_setup(true);
SHOW enable_seqscan;
:book_expired
ROLLBACK;
-- after the transaction's abort: the session's value, on
SELECT current_setting('enable_seqscan') AS after_abort;

-- the same with the session's own value off: it stays off
SET enable_seqscan = off;
BEGIN;
SELECT pg_temp.sqs_setup(true);
:book_expired
ROLLBACK;
SELECT current_setting('enable_seqscan') AS after_abort_off;
RESET enable_seqscan;

-- Within one transaction, with savepoints: errors in the sweep of an
-- activity, of a redemption and of expire_credits(), each rolled back to
-- the savepoint; and successful bookings and sweeps.
BEGIN;
SELECT pg_temp.sqs_setup(false);

-- a lot that expired unswept: a trigger skips its write-off at booking
CREATE FUNCTION public.sqs_skip() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RETURN NULL;
END
$$;
CREATE TRIGGER aaa_sqs_skip BEFORE INSERT ON carbon_ledger.credit_expiry
	FOR EACH ROW EXECUTE FUNCTION public.sqs_skip();
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('SQS-1', 'walk', '2 kg', now() - interval '1 year', 'sqs-old');
DROP TRIGGER aaa_sqs_skip ON carbon_ledger.credit_expiry;
-- and a lot that has not expired
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('SQS-1', 'walk', '3 kg', now() - interval '1 hour', 'sqs-new');
SELECT current_setting('enable_seqscan') AS after_booking;
ALTER TABLE carbon_ledger.credit_expiry ADD CONSTRAINT sqs_fail
	CHECK (account_no <> 'SQS-1') NOT VALID;

SAVEPOINT s;
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('SQS-1', 'walk', '1 kg', now() - interval '1 year', 'sqs-a2');
ROLLBACK TO s;
SELECT current_setting('enable_seqscan') AS after_activity_error;

SET LOCAL enable_seqscan = off;
SAVEPOINT off;
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('SQS-1', '1', 'tea', 'sqs-r1');
ROLLBACK TO off;
SELECT current_setting('enable_seqscan') AS after_redemption_error_off;
SET LOCAL enable_seqscan = on;

SELECT * FROM carbon_ledger.expire_credits();
ROLLBACK TO s;
SELECT current_setting('enable_seqscan') AS after_expire_error;

-- a booking's error caught in PL/pgSQL (a subtransaction of its own)
\set VERBOSITY terse
DO $$
BEGIN
	INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
	VALUES ('SQS-1', '1', 'tea', 'sqs-r2');
EXCEPTION WHEN check_violation THEN
	RAISE NOTICE 'caught %, enable_seqscan is %', SQLSTATE,
		current_setting('enable_seqscan');
END
$$;
\set VERBOSITY sqlstate

-- without the constraint, the sweeps succeed and the value is kept
ALTER TABLE carbon_ledger.credit_expiry DROP CONSTRAINT sqs_fail;
SELECT account_no, written_off FROM carbon_ledger.expire_credits()
WHERE account_no = 'SQS-1';
SELECT current_setting('enable_seqscan') AS after_expire;
SET LOCAL enable_seqscan = off;
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('SQS-1', 'walk', '4 kg', now() - interval '1 year', 'sqs-a3');
SELECT current_setting('enable_seqscan') AS after_booking_off;
SELECT balance FROM carbon_ledger.account WHERE account_no = 'SQS-1';
SELECT * FROM carbon_ledger.check_balances() WHERE account_no = 'SQS-1';
ROLLBACK;
SELECT current_setting('enable_seqscan') AS at_end;
DROP FUNCTION pg_temp.sqs_setup(bool);
