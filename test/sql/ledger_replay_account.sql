-- A request_id seen before is a replay (LD006, "treat as done") only when
-- everything it carries is the same: operation, account and content.  The
-- same id and content on another account is a reuse (LD007), never a
-- replay, so a client is never told that a booking on the wrong account
-- went through.
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
\pset format unaligned
\pset fieldsep ' | '

INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('RPL', 'replay test', 1000, '10 years');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('RPL-1', 'h1', 'RPL', '540102', '2024-01-01'),
	   ('RPL-2', 'h2', 'RPL', '540102', '2024-01-01');
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('RPL-1', 'walk', '5 kg', '2024-06-01 12:00+00', 'rpl-a1'),
	   ('RPL-2', 'walk', '5 kg', '2024-06-01 12:00+00', 'rpl-a2');
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('RPL-1', 1, 'tea', 'rpl-r1');

-- the same redemption again: a replay
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id) VALUES ('RPL-1', 1, 'tea', 'rpl-r1')$$);
-- the same id and content on another account: a reuse
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id) VALUES ('RPL-2', 1, 'tea', 'rpl-r1')$$);
-- the same for activities
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('RPL-1', 'walk', '5 kg', '2024-06-01 12:00+00', 'rpl-a1')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('RPL-2', 'walk', '5 kg', '2024-06-01 12:00+00', 'rpl-a1')$$);
-- an activity's id reused by a redemption with the same account
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id) VALUES ('RPL-1', 1, 'tea', 'rpl-a1')$$);
-- nothing was booked on RPL-2
SELECT account_no, balance FROM carbon_ledger.account
WHERE account_no LIKE 'RPL-%' ORDER BY 1;
SELECT * FROM carbon_ledger.check_balances() WHERE account_no LIKE 'RPL-%';

-- A retry of a request booked before the account was frozen, or closed,
-- is still a replay (LD006: the first booking stands), not a rejection: a
-- client that lost the first answer must not book it again elsewhere. A
-- reuse of the id stays LD007, and a new request is refused (LD003, LD004).
UPDATE carbon_ledger.account SET status = 'frozen' WHERE account_no = 'RPL-1';
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id) VALUES ('RPL-1', 1, 'tea', 'rpl-r1')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('RPL-1', 'walk', '5 kg', '2024-06-01 12:00+00', 'rpl-a1')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id) VALUES ('RPL-1', 2, 'tea', 'rpl-r1')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id) VALUES ('RPL-1', 1, 'tea', 'rpl-r9')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('RPL-1', 'walk', '5 kg', '2024-06-02 12:00+00', 'rpl-a9')$$);
UPDATE carbon_ledger.account SET status = 'closed' WHERE account_no = 'RPL-1';
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id) VALUES ('RPL-1', 1, 'tea', 'rpl-r1')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('RPL-1', 'walk', '5 kg', '2024-06-02 12:00+00', 'rpl-a9')$$);
-- the refused requests left no claim behind: the ids are free
SELECT count(*) AS claims FROM carbon_ledger.request
WHERE request_id IN ('rpl-r9', 'rpl-a9');
SELECT * FROM carbon_ledger.check_balances() WHERE account_no LIKE 'RPL-%';
