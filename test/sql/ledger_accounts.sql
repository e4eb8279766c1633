-- Ledger rules of accounts and activities: region codes, the balance kept
-- by the database, status changes, credits derived from the programme
-- rate, daily caps per local day, future and non-positive activities,
-- request_id replays and reuses.  Rejections show their SQLSTATE, message,
-- detail and hint through pg_temp.try.
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
\pset format unaligned
\pset fieldsep ' | '

INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime, time_zone)
VALUES ('ACC', 'accounts test', 1000, '10 years', 'Asia/Shanghai');
INSERT INTO carbon_ledger.programme_activity_cap VALUES ('ACC', 'bus', '5 kg');
-- a programme's time zone must be one the server knows
SELECT state, message FROM pg_temp.try($$INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime, time_zone)
	VALUES ('ACC-TZ', 'bad zone', 1, '1 year', 'Asia/Lhasa_Typo')$$);

-- accounts: region code in use when opened (540422 became 540481 in 2023)
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
	VALUES ('ACC-1', 'h1', 'ACC', '540102', '2024-01-01 00:00+08')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
	VALUES ('ACC-2', 'h2', 'ACC', '540422', '2020-06-01 00:00+08')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
	VALUES ('ACC-3', 'h3', 'ACC', '540422', '2024-06-01 00:00+08')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
	VALUES ('ACC-3', 'h3', 'ACC', '540171', '2024-06-01 00:00+08')$$);
-- in 2023, the year of the change, both codes are accepted
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
	VALUES ('ACC-M23', 'h4', 'ACC', '540422', '2023-03-01 00:00+08')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at, balance)
	VALUES ('ACC-3', 'h3', 'ACC', '540481', '2024-06-01 00:00+08', 5)$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
	VALUES ('ACC-3', 'h3', 'ACC', '540481', '2024-06-01 00:00+08')$$);

-- the balance cannot be written directly, not even through adjust_balance
SELECT * FROM pg_temp.try($$UPDATE carbon_ledger.account SET balance = 100
	WHERE account_no = 'ACC-1'$$);
SELECT * FROM pg_temp.try($$SELECT carbon_ledger.adjust_balance('ACC-1', 100000)$$);
SELECT account_no, balance, status FROM carbon_ledger.account
WHERE account_no LIKE 'ACC-%' ORDER BY 1;

-- credits from the programme rate (1000 credits per tonne = 1 per kg)
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('ACC-1', 'walk', '1.234 kg', '2024-02-01 09:00+08', 'acc-a1')$$);
-- at 333.3 credits per tonne, 1 kg earns 0.3333 credits, truncated to
-- 0.333 (never more than earned)
INSERT INTO carbon_ledger.programme (programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('ACC-R', 'rounding test', 333.3, '10 years');
INSERT INTO carbon_ledger.account (account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('ACC-4', 'h4', 'ACC-R', '540102', '2024-01-01');
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('ACC-4', 'walk', '1 kg', '2024-02-01 09:00+08', 'acc-r1'),
	   ('ACC-4', 'walk', '2 kg', '2024-02-01 10:00+08', 'acc-r2');

-- the bus cap is 5 kg per account and local day (Asia/Shanghai): 3 + 3
-- kg earn 3 + 2 credits, the third earns none but keeps its reduction;
-- 23:30 local on the same day is still capped, 00:30 the next day is not,
-- whatever the session's TimeZone says
SET TimeZone = 'America/New_York';
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('ACC-1', 'bus', '3 kg', '2024-02-01 08:00+08', 'acc-b1'),
	   ('ACC-1', 'bus', '3 kg', '2024-02-01 12:00+08', 'acc-b2'),
	   ('ACC-1', 'bus', '3 kg', '2024-02-01 23:30+08', 'acc-b3'),
	   ('ACC-1', 'bus', '3 kg', '2024-02-02 00:30+08', 'acc-b4'),
	   ('ACC-2', 'bus', '3 kg', '2024-02-01 08:00+08', 'acc-b5');
SET TimeZone = 'UTC';
SELECT request_id, account_no, kind, reduction, credits, credits_uncapped
FROM carbon_ledger.activity WHERE request_id LIKE 'acc-%' ORDER BY activity_id;
SELECT account_no, balance FROM carbon_ledger.account
WHERE account_no LIKE 'ACC-%' ORDER BY 1;
-- each activity that earned credits is a lot expiring ten years later
SELECT a.request_id, l.credits, l.expires_at
FROM carbon_ledger.credit_lot l JOIN carbon_ledger.activity a
	ON a.activity_id = l.lot_id
WHERE a.request_id LIKE 'acc-%' ORDER BY l.lot_id;

-- rejected activities
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('ACC-1', 'walk', '0 kg', '2024-02-01 09:00+08', 'acc-x1')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('ACC-1', 'walk', '-1 kg', '2024-02-01 09:00+08', 'acc-x2')$$);
SELECT state, message FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('ACC-1', 'walk', '1 kg', now() + interval '1 hour', 'acc-x3')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('ACC-404', 'walk', '1 kg', '2024-02-01 09:00+08', 'acc-x4')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('ACC-3', 'walk', '1 kg', '2024-02-01 09:00+08', 'acc-x5')$$);

-- request_id: a replay is told apart from a reuse, across tables too
SELECT state, message, hint FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('ACC-1', 'walk', '1.234 kg', '2024-02-01 09:00+08', 'acc-a1')$$);
SELECT state, message, hint FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('ACC-1', 'walk', '1.235 kg', '2024-02-01 09:00+08', 'acc-a1')$$);
SELECT state, message FROM pg_temp.try($$INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id)
	VALUES ('ACC-1', 1, 'tea', 'acc-a1')$$);

-- a replay is recognised whatever the session's float settings (the
-- content compared is exact)
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('ACC-1', 'walk', '1 kg', '2024-02-03 09:00:00.123456+08', 'acc-f1');
SET extra_float_digits = 0;
SELECT state, message FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('ACC-1', 'walk', '1 kg', '2024-02-03 09:00:00.123456+08', 'acc-f1')$$);
RESET extra_float_digits;

-- frozen and closed accounts take no activity; closed stays closed
UPDATE carbon_ledger.account SET status = 'frozen' WHERE account_no = 'ACC-2';
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('ACC-2', 'walk', '1 kg', '2024-02-01 09:00+08', 'acc-x6')$$);
UPDATE carbon_ledger.account SET status = 'closed' WHERE account_no = 'ACC-2';
SELECT state, message FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('ACC-2', 'walk', '1 kg', '2024-02-01 09:00+08', 'acc-x7')$$);
SELECT state, message, hint FROM pg_temp.try($$UPDATE carbon_ledger.account
	SET status = 'active' WHERE account_no = 'ACC-2'$$);
SELECT account_no, status, closed_at IS NOT NULL AS has_closed_at
FROM carbon_ledger.account WHERE account_no LIKE 'ACC-%' ORDER BY 1;

-- an activity before the account opened
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('ACC-1', 'walk', '1 kg', '2023-12-31 23:59+08', 'acc-x8')$$);
-- nor can the opening move after an activity booked already; earlier, or
-- later up to the first activity, it can
SELECT min(occurred_at) AS first_activity FROM carbon_ledger.activity
WHERE account_no = 'ACC-1';
SELECT * FROM pg_temp.try($$UPDATE carbon_ledger.account
	SET opened_at = '2025-01-01 00:00+08' WHERE account_no = 'ACC-1'$$);
SELECT * FROM pg_temp.try($$UPDATE carbon_ledger.account
	SET opened_at = '2023-06-01 00:00+08' WHERE account_no = 'ACC-1'$$);
SELECT * FROM pg_temp.try($$UPDATE carbon_ledger.account
	SET opened_at = '2024-01-01 00:00+08' WHERE account_no = 'ACC-1'$$);

-- nothing of the rejected attempts was recorded
SELECT count(*) AS rejected_requests_recorded FROM carbon_ledger.request
WHERE request_id LIKE 'acc-x%';
SELECT * FROM carbon_ledger.check_balances() WHERE account_no LIKE 'ACC-%';

-- a login role holding carbon_ledger_booker (docs/security.md) books; it
-- cannot write a balance, and with row_security off (as restores run) it
-- is still checked
CREATE ROLE regress_ledger_clerk;
GRANT carbon_ledger_booker TO regress_ledger_clerk;
SET ROLE regress_ledger_clerk;
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('ACC-1', 'walk', '1 kg', now() - interval '1 hour', 'acc-c1');
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('ACC-1', 1, 'tea', 'acc-c2');
SET row_security = off;
SELECT state, message FROM pg_temp.try($$INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id)
	VALUES ('ACC-1', 1000, 'tea', 'acc-x9')$$);
SELECT state, message FROM pg_temp.try($$UPDATE carbon_ledger.account
	SET balance = 1000 WHERE account_no = 'ACC-1'$$);
RESET row_security;
RESET ROLE;
DROP OWNED BY regress_ledger_clerk;
DROP ROLE regress_ledger_clerk;
