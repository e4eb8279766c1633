-- The booking triggers write credit lots and allocations straight into
-- the heap and indexes only while those tables are exactly as the
-- extension made them.  Any change a DBA makes that the executor would
-- honour on INSERT (an exclusion constraint, a domain with a CHECK, a
-- rule, a column of another type, a foreign key, a CHECK constraint, a
-- partial unique index, another trigger under the guard's name) sends the
-- booking through SQL, which honours it: each case below gets the error
-- (or the effect) a plain INSERT would.  Each change is undone (ROLLBACK
-- TO a savepoint), and the direct path comes back with it.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\pset format unaligned
\pset fieldsep ' | '
\set VERBOSITY sqlstate

BEGIN;
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('DSHAPE', 'direct path shape', 1000, '1 year');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('DSH-1', 'h', 'DSHAPE', '540102', now() - interval '1 day');
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('DSH-1', 'walk', '50 kg', now() - interval '2 hours', 'dsh-a0');

-- The stock tables take the direct path: the guard's WHEN clause (a call
-- of carbon_ledger.booking()) is not evaluated for the lot or the
-- allocation, only for the request and the balance (two calls a booking).
SET LOCAL track_functions = 'all';
SAVEPOINT s;
SELECT coalesce(sum(calls), 0) AS calls0 FROM pg_stat_xact_user_functions
WHERE schemaname = 'carbon_ledger' AND funcname = 'booking' \gset
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('DSH-1', 'walk', '1 kg', now() - interval '1 hour', 'dsh-stock-a');
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('DSH-1', '1', 'tea', 'dsh-stock-r');
SELECT calls - :calls0 AS booking_calls_direct FROM pg_stat_xact_user_functions
WHERE schemaname = 'carbon_ledger' AND funcname = 'booking';
ROLLBACK TO s;

-- an exclusion constraint: the second lot of the same instant is refused
ALTER TABLE carbon_ledger.credit_lot ADD CONSTRAINT dsh_excl
	EXCLUDE USING btree (account_no WITH =, earned_at WITH =);
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('DSH-1', 'walk', '1 kg', now() - interval '1 hour', 'dsh-x1');
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('DSH-1', 'bike', '1 kg', now() - interval '1 hour', 'dsh-x2');
ROLLBACK TO s;

-- a domain with a CHECK on the lot's credits: 7.777 credits are refused
-- (a value no other test books, so that the lots already there pass)
CREATE DOMAIN public.dsh_small_credit AS carbon_credit
	CHECK (VALUE <> '7.777'::carbon_credit);
ALTER TABLE carbon_ledger.credit_lot
	ALTER credits TYPE public.dsh_small_credit;
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('DSH-1', 'walk', '4 kg', now() - interval '1 hour', 'dsh-d1');
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('DSH-1', 'walk', '7.777 kg', now() - interval '1 hour', 'dsh-d2');
ROLLBACK TO s;

-- a rule on insert fires for every lot booked
CREATE TABLE public.dsh_rule_log (lot_id int8, credits text);
CREATE RULE dsh_log AS ON INSERT TO carbon_ledger.credit_lot
	DO ALSO INSERT INTO public.dsh_rule_log VALUES (NEW.lot_id, NEW.credits::text);
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('DSH-1', 'walk', '3 kg', now() - interval '1 hour', 'dsh-r1');
SELECT l.credits, l.lot_id = a.activity_id AS same_lot
FROM public.dsh_rule_log l
JOIN carbon_ledger.activity a ON a.request_id = 'dsh-r1';
ROLLBACK TO s;

-- a column of another type: the allocation goes through SQL (the guard's
-- WHEN clause is evaluated once more) and stores the lot's id as integer
ALTER TABLE carbon_ledger.credit_allocation ALTER lot_id TYPE integer;
SELECT calls AS calls0 FROM pg_stat_xact_user_functions
WHERE schemaname = 'carbon_ledger' AND funcname = 'booking' \gset
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('DSH-1', '2', 'bread', 'dsh-t1');
SELECT calls - :calls0 AS booking_calls_sql FROM pg_stat_xact_user_functions
WHERE schemaname = 'carbon_ledger' AND funcname = 'booking';
SELECT c.lot_id = a.activity_id AS same_lot, c.credits
FROM carbon_ledger.credit_allocation c
JOIN carbon_ledger.redemption r ON r.redemption_id = c.redemption_id
JOIN carbon_ledger.activity a ON a.request_id = 'dsh-a0'
WHERE r.request_id = 'dsh-t1';
ROLLBACK TO s;

-- another trigger under the guard's name is not the guard
CREATE FUNCTION public.dsh_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'dsh_refuse fired';
END
$$;
DROP TRIGGER bookkeeping_guard ON carbon_ledger.credit_lot;
CREATE TRIGGER bookkeeping_guard BEFORE INSERT ON carbon_ledger.credit_lot
	FOR EACH ROW EXECUTE FUNCTION public.dsh_refuse();
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('DSH-1', 'walk', '1 kg', now() - interval '1 hour', 'dsh-g1');
ROLLBACK TO s;

-- the guard's function without its WHEN clause refuses every row (LD030)
DROP TRIGGER bookkeeping_guard ON carbon_ledger.credit_lot;
CREATE TRIGGER bookkeeping_guard BEFORE INSERT ON carbon_ledger.credit_lot
	FOR EACH ROW EXECUTE FUNCTION carbon_ledger.bookkeeping_guard();
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('DSH-1', 'walk', '1 kg', now() - interval '1 hour', 'dsh-g2');
ROLLBACK TO s;

-- a CHECK constraint, even NOT VALID, is checked on new rows
ALTER TABLE carbon_ledger.credit_allocation ADD CONSTRAINT dsh_check
	CHECK (credits <= '1'::carbon_credit) NOT VALID;
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('DSH-1', '2', 'bread', 'dsh-c1');
ROLLBACK TO s;

-- a foreign key (NOT VALID: checked on new rows) to a table without the
-- account
CREATE TABLE public.dsh_accounts (account_no text PRIMARY KEY);
ALTER TABLE carbon_ledger.credit_lot ADD CONSTRAINT dsh_fk
	FOREIGN KEY (account_no) REFERENCES public.dsh_accounts NOT VALID;
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('DSH-1', 'walk', '1 kg', now() - interval '1 hour', 'dsh-f1');
ROLLBACK TO s;

-- a partial unique index: one lot over 2 credits on this account (the
-- other tests' accounts left out, so that it can be built)
CREATE UNIQUE INDEX dsh_one_big ON carbon_ledger.credit_lot (account_no)
	WHERE account_no = 'DSH-1' AND credits > '2'::carbon_credit;
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('DSH-1', 'walk', '3 kg', now() - interval '1 hour', 'dsh-p1');
ROLLBACK TO s;

-- every change undone: the direct path again, and the ledger adds up
SELECT calls AS calls0 FROM pg_stat_xact_user_functions
WHERE schemaname = 'carbon_ledger' AND funcname = 'booking' \gset
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('DSH-1', 'walk', '1 kg', now() - interval '1 hour', 'dsh-end-a');
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('DSH-1', '1', 'tea', 'dsh-end-r');
SELECT calls - :calls0 AS booking_calls_direct_again FROM pg_stat_xact_user_functions
WHERE schemaname = 'carbon_ledger' AND funcname = 'booking';
SELECT account_no, balance FROM carbon_ledger.account WHERE account_no = 'DSH-1';
SELECT * FROM carbon_ledger.check_balances() WHERE account_no = 'DSH-1';
ROLLBACK;
