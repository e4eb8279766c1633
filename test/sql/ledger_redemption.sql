-- Ledger rules of redemptions: positive credits, account state, balance
-- checks against unexpired credits only, lots consumed soonest-to-expire
-- first, expiry write-offs, reversals (same account, same credits, once,
-- restoring the same lots), append-only tables, check_balances.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
SET TimeZone = 'UTC';

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
-- pg_temp.redeem(account, credits, request, at [, reverses])
CREATE FUNCTION pg_temp.redeem(acc text, cr text, req text, at text,
	rev bigint DEFAULT NULL,
	OUT state text, OUT message text, OUT detail text)
LANGUAGE sql AS $$
	-- redemption ids depend on earlier tests: shown as N
	SELECT t.state, t.message,
		   regexp_replace(t.detail, '(edemption|names|reversal of) [0-9]+', '\1 N', 'g')
	FROM pg_temp.try(format(
		'INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id, redeemed_at, reverses) VALUES (%L, %L, %L, %L, %L, %L)',
		acc, cr, 'goods', req, at, rev)) t
$$;
CREATE FUNCTION pg_temp.rid(req text) RETURNS bigint LANGUAGE sql AS
	'SELECT redemption_id FROM carbon_ledger.redemption WHERE request_id = req';
\pset format unaligned
\pset fieldsep ' | '

-- one credit per kg; credits live a hundred years, so that none of these
-- dated bookings meets an expiry (expiry is judged at the time of
-- booking: see ledger_backdating for expiry and write-offs)
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime, time_zone)
VALUES ('RED', 'redemption test', 1000, '100 years', 'Asia/Shanghai');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('RED-1', 'h1', 'RED', '540102', '2023-01-01'),
	   ('RED-2', 'h2', 'RED', '540202', '2023-01-01'),
	   ('RED-3', 'h3', 'RED', '540302', '2023-01-01');
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('RED-1', 'cycling', '10 kg', '2023-03-01 12:00+08', 'red-a1'),
	   ('RED-1', 'cycling', '5 kg', '2023-06-01 12:00+08', 'red-a2'),
	   ('RED-1', 'cycling', '20 kg', '2024-01-01 12:00+08', 'red-a3'),
	   ('RED-2', 'cycling', '10 kg', '2024-01-01 12:00+08', 'red-a4'),
	   ('RED-3', 'cycling', '10 kg', '2024-01-01 12:00+08', 'red-a5');
SELECT account_no, balance FROM carbon_ledger.account
WHERE account_no LIKE 'RED-%' ORDER BY 1;

-- 12 credits on 2024-02-01 take the oldest lots: 10 from a1, 2 from a2
SELECT * FROM pg_temp.redeem('RED-1', '12', 'red-r1', '2024-02-01 12:00+08');
-- then 4 credits: 3 left in a2, 1 from a3; nothing has expired
SELECT * FROM pg_temp.redeem('RED-1', '4', 'red-r2', '2024-07-01 12:00+08');
SELECT a.request_id AS lot, e.credits, e.expired_at
FROM carbon_ledger.credit_expiry e
JOIN carbon_ledger.activity a ON a.activity_id = e.lot_id
WHERE e.account_no = 'RED-1' ORDER BY e.lot_id;
SELECT account_no, balance FROM carbon_ledger.account WHERE account_no = 'RED-1';
-- 20 exceed the 19 available
SELECT * FROM pg_temp.redeem('RED-1', '20', 'red-x1', '2024-07-02 12:00+08');
-- a redemption dated before any credit was earned has nothing to take
SELECT * FROM pg_temp.redeem('RED-1', '1', 'red-x2', '2023-02-01 12:00+08');

-- rejected redemptions
SELECT * FROM pg_temp.redeem('RED-1', '0', 'red-x3', '2024-07-02 12:00+08');
SELECT * FROM pg_temp.redeem('RED-1', '-1', 'red-x4', '2024-07-02 12:00+08');
SELECT * FROM pg_temp.redeem('RED-404', '1', 'red-x5', '2024-07-02 12:00+08');
SELECT state, message FROM pg_temp.try($$INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id, redeemed_at)
	VALUES ('RED-1', 1, 'tea', 'red-x6', now() + interval '1 minute')$$);
UPDATE carbon_ledger.account SET status = 'frozen' WHERE account_no = 'RED-3';
SELECT * FROM pg_temp.redeem('RED-3', '1', 'red-x7', '2024-07-02 12:00+08');
UPDATE carbon_ledger.account SET status = 'closed' WHERE account_no = 'RED-3';
SELECT state, message FROM pg_temp.redeem('RED-3', '1', 'red-x8', '2024-07-02 12:00+08');

-- replay and reuse of a redemption's request_id
SELECT state, message FROM pg_temp.redeem('RED-1', '4', 'red-r2', '2024-07-03 12:00+08');
SELECT state, message, detail FROM pg_temp.redeem('RED-1', '5', 'red-r2', '2024-07-03 12:00+08');

-- reversals: wrong credits, wrong account, missing, then the real one
SELECT * FROM pg_temp.redeem('RED-1', '11', 'red-v1', '2024-08-01 12:00+08', pg_temp.rid('red-r1'));
SELECT * FROM pg_temp.redeem('RED-2', '12', 'red-v2', '2024-08-01 12:00+08', pg_temp.rid('red-r1'));
SELECT state, message FROM pg_temp.redeem('RED-1', '12', 'red-v3', '2024-08-01 12:00+08', -1);
-- reversing r1 gives back 10 to a1 and 2 to a2
SELECT * FROM pg_temp.redeem('RED-1', '12', 'red-v4', '2024-08-01 12:00+08', pg_temp.rid('red-r1'));
SELECT account_no, balance FROM carbon_ledger.account WHERE account_no = 'RED-1';
-- reversing r2 gives 3 back to a2 and 1 to a3
SELECT * FROM pg_temp.redeem('RED-1', '4', 'red-v5', '2024-08-02 12:00+08', pg_temp.rid('red-r2'));
SELECT account_no, balance FROM carbon_ledger.account WHERE account_no = 'RED-1';
-- at most once; a reversal cannot be reversed
SELECT * FROM pg_temp.redeem('RED-1', '4', 'red-v6', '2024-08-03 12:00+08', pg_temp.rid('red-r2'));
SELECT * FROM pg_temp.redeem('RED-1', '4', 'red-v7', '2024-08-03 12:00+08', pg_temp.rid('red-v5'));

-- the allocations: each redemption's share of each lot, reversals negative
SELECT r.request_id AS redemption, a.request_id AS lot, c.credits
FROM carbon_ledger.credit_allocation c
JOIN carbon_ledger.redemption r ON r.redemption_id = c.redemption_id
JOIN carbon_ledger.activity a ON a.activity_id = c.lot_id
WHERE c.account_no = 'RED-1' ORDER BY c.redemption_id, c.lot_id;
SELECT a.request_id AS lot, e.credits, e.expired_at
FROM carbon_ledger.credit_expiry e
JOIN carbon_ledger.activity a ON a.activity_id = e.lot_id
WHERE e.account_no = 'RED-1' ORDER BY e.lot_id, e.credits;

-- write-offs are made by the ledger alone: a direct one is refused
-- (LD030), whether for part of a3 or for a lot that has not expired
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('RED-2', 'cycling', '7 kg', now() - interval '1 hour', 'red-a6');
SELECT state, message FROM pg_temp.try($$INSERT INTO carbon_ledger.credit_expiry
	(lot_id, account_no, credits, expired_at)
	SELECT activity_id, account_no, 19, now() FROM carbon_ledger.activity
	WHERE request_id = 'red-a3'$$);
SELECT state, message FROM pg_temp.try($$INSERT INTO carbon_ledger.credit_expiry
	(lot_id, account_no, credits, expired_at)
	SELECT activity_id, account_no, 7, now() FROM carbon_ledger.activity
	WHERE request_id = 'red-a6'$$);

-- expire_credits sweeps every account: not as of a time in the future,
-- and here nothing has expired
SELECT state, message FROM pg_temp.try($$SELECT carbon_ledger.expire_credits(now() + interval '1 day')$$);
SELECT * FROM carbon_ledger.expire_credits('2024-12-31 12:00+08')
WHERE account_no LIKE 'RED-%';
SELECT * FROM carbon_ledger.expire_credits('2025-01-02 12:00+08')
WHERE account_no LIKE 'RED-%' ORDER BY 1;
SELECT account_no, balance FROM carbon_ledger.account
WHERE account_no LIKE 'RED-%' ORDER BY 1;

-- append-only: every ledger table refuses UPDATE, DELETE and TRUNCATE
SELECT t, s.state, s.message
FROM unnest(ARRAY[
	'UPDATE carbon_ledger.activity SET kind = ''bus'' WHERE account_no = ''RED-1''',
	'DELETE FROM carbon_ledger.activity WHERE account_no = ''RED-1''',
	'TRUNCATE carbon_ledger.activity',
	'UPDATE carbon_ledger.redemption SET credits = 1 WHERE account_no = ''RED-1''',
	'DELETE FROM carbon_ledger.redemption WHERE account_no = ''RED-1''',
	'TRUNCATE carbon_ledger.redemption CASCADE',
	'DELETE FROM carbon_ledger.request WHERE account_no = ''RED-1''',
	'TRUNCATE carbon_ledger.request',
	'UPDATE carbon_ledger.credit_lot SET credits = 1000 WHERE account_no = ''RED-1''',
	'DELETE FROM carbon_ledger.credit_allocation WHERE account_no = ''RED-1''',
	'TRUNCATE carbon_ledger.credit_expiry'
]) AS t, pg_temp.try(t) AS s;

-- an account with ledger rows cannot be deleted; one without can
SELECT state, message, hint FROM pg_temp.try($$DELETE FROM carbon_ledger.account
	WHERE account_no = 'RED-1'$$);
INSERT INTO carbon_ledger.account (account_no, holder_ref, programme_id, region_code)
VALUES ('RED-9', 'h9', 'RED', '540102');
DELETE FROM carbon_ledger.account WHERE account_no = 'RED-9';

-- check_balances finds nothing, then finds a balance forced behind the
-- triggers' back (superuser in replica mode)
SELECT * FROM carbon_ledger.check_balances() WHERE account_no LIKE 'RED-%';
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE carbon_ledger.account SET balance = 99 WHERE account_no = 'RED-2';
SELECT * FROM carbon_ledger.check_balances() WHERE account_no LIKE 'RED-%';
ROLLBACK;

-- LD005 says why: a balance short after credits expired just now (written
-- off by this very redemption) names what expired
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime, time_zone)
VALUES ('RED-S', 'short-lived credits', 1000, '1 second', 'Asia/Shanghai');
INSERT INTO carbon_ledger.account (account_no, holder_ref, programme_id, region_code)
VALUES ('RED-S1', 'hs', 'RED-S', '540102');
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('RED-S1', 'walk', '2 kg', statement_timestamp(), 'red-s-a1');
SELECT pg_sleep(1.5);
SELECT state, detail, hint FROM pg_temp.try($$INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id) VALUES ('RED-S1', '1', 'tea', 'red-s-r1')$$);
-- ... but not when more than what expired is missing: then the balance is
-- simply short, as for a backdated redemption asking for more than the
-- balance
SELECT state, detail, hint FROM pg_temp.try($$INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id) VALUES ('RED-S1', '100', 'tea', 'red-s-r2')$$);
SELECT state, detail, hint FROM pg_temp.try($$INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id, redeemed_at)
	VALUES ('RED-1', '50', 'tea', 'red-s-r3', '2023-06-01 12:00+08')$$);
