-- Backdated bookings cannot reach expired credits: expiry is judged at the
-- time of booking, whatever redeemed_at says; a reversal cannot be dated
-- before the redemption it reverses (LD029), and credits it gives back to
-- lots expired by the time it is booked are written off at once; an
-- activity reported after its credits would have expired earns a lot
-- that is written off at once.  Times are relative to now(): credits live
-- one day here.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
SET TimeZone = 'UTC';

CREATE FUNCTION pg_temp.try(stmt text, OUT state text, OUT message text)
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE stmt;
	state := '00000';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
END
$$;
CREATE FUNCTION pg_temp.rid(req text) RETURNS bigint LANGUAGE sql AS
	'SELECT redemption_id FROM carbon_ledger.redemption WHERE request_id = req';
\pset format unaligned
\pset fieldsep ' | '

INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime, time_zone)
VALUES ('BKD', 'backdating test', 1000, '1 day', 'UTC');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('BKD-1', 'h1', 'BKD', '540102', now() - interval '10 days'),
	   ('BKD-2', 'h2', 'BKD', '540102', now() - interval '10 days');

-- 10 credits earned two days ago (expired yesterday), reported only now:
-- the lot is written off at once and the balance stays 0
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('BKD-1', 'walk', '10 kg', now() - interval '2 days', 'bkd-a1');
SELECT account_no, balance FROM carbon_ledger.account WHERE account_no = 'BKD-1';
SELECT a.request_id AS lot, e.credits FROM carbon_ledger.credit_expiry e
JOIN carbon_ledger.activity a ON a.activity_id = e.lot_id
WHERE e.account_no = 'BKD-1';

-- BKD-2 earned 10 credits two days ago, booked then (rows restored as a
-- superuser's dump restore would, with its lot and balance): the lot has
-- expired since, but no sweep has run, so the balance still shows 10
BEGIN;
SET LOCAL row_security = off;
INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, credits, credits_uncapped, occurred_at, request_id)
VALUES ('BKD-2', 'walk', '10 kg', 10, 10, now() - interval '2 days', 'bkd-a2');
INSERT INTO carbon_ledger.request (request_id, operation, account_no, content)
VALUES ('bkd-a2', 'activity', 'BKD-2', '{}');
INSERT INTO carbon_ledger.credit_lot (lot_id, account_no, credits, earned_at, expires_at)
SELECT activity_id, 'BKD-2', 10, occurred_at, occurred_at + interval '1 day'
FROM carbon_ledger.activity WHERE request_id = 'bkd-a2';
UPDATE carbon_ledger.account SET balance = 10 WHERE account_no = 'BKD-2';
COMMIT;
SELECT account_no, balance FROM carbon_ledger.account WHERE account_no = 'BKD-2';
-- a redemption dated before the lot expired, booked after: rejected (the
-- credits were usable then, but they have expired by the time of booking)
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id, redeemed_at)
	VALUES ('BKD-2', 5, 'tea', 'bkd-x1', now() - interval '36 hours')$$);
-- an unexpired lot earned today; a redemption dated today takes from it,
-- and the expired lot is written off by the same booking
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('BKD-2', 'walk', '4 kg', now() - interval '1 hour', 'bkd-a3');
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id, redeemed_at)
VALUES ('BKD-2', 3, 'tea', 'bkd-r1', now() - interval '30 minutes');
SELECT account_no, balance FROM carbon_ledger.account WHERE account_no = 'BKD-2';
SELECT a.request_id AS lot, e.credits FROM carbon_ledger.credit_expiry e
JOIN carbon_ledger.activity a ON a.activity_id = e.lot_id
WHERE e.account_no = 'BKD-2' ORDER BY e.lot_id;

-- a reversal dated before the redemption it reverses is rejected
SELECT * FROM pg_temp.try(format($$INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id, redeemed_at, reverses)
	VALUES ('BKD-2', 3, 'tea', 'bkd-x2', now() - interval '1 hour', %s)$$,
	pg_temp.rid('bkd-r1')));
-- dated at the redemption's own time it is accepted
INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id, redeemed_at, reverses)
SELECT 'BKD-2', 3, 'tea', 'bkd-v1', redeemed_at, redemption_id
FROM carbon_ledger.redemption WHERE request_id = 'bkd-r1';
SELECT account_no, balance FROM carbon_ledger.account WHERE account_no = 'BKD-2';

-- a lot that expires six seconds from now: redeemed from at once, then,
-- once it has expired, the redemption is reversed with a date before the
-- expiry; the credits given back are written off at once, not returned to
-- the balance
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('BKD-1', 'walk', '6 kg', now() - interval '1 day' + interval '6 seconds', 'bkd-a4');
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('BKD-1', 2, 'tea', 'bkd-r2');
SELECT account_no, balance FROM carbon_ledger.account WHERE account_no = 'BKD-1';
SELECT pg_sleep(7);
INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id, redeemed_at, reverses)
SELECT 'BKD-1', 2, 'tea', 'bkd-v2', redeemed_at, redemption_id
FROM carbon_ledger.redemption WHERE request_id = 'bkd-r2';
SELECT account_no, balance FROM carbon_ledger.account WHERE account_no = 'BKD-1';
SELECT a.request_id AS lot, e.credits FROM carbon_ledger.credit_expiry e
JOIN carbon_ledger.activity a ON a.activity_id = e.lot_id
WHERE e.account_no = 'BKD-1' ORDER BY e.lot_id;
-- and a redemption dated before that expiry cannot spend them either
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id, redeemed_at)
	VALUES ('BKD-1', 1, 'tea', 'bkd-x3', now() - interval '1 minute')$$);
SELECT * FROM carbon_ledger.check_balances() WHERE account_no LIKE 'BKD-%';
-- write-offs are append-only like every bookkeeping row
SELECT * FROM pg_temp.try($$DELETE FROM carbon_ledger.credit_expiry
	WHERE account_no = 'BKD-1'$$);
