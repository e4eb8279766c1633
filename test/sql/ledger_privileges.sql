-- Who may write the ledger's bookkeeping (findings of a security review):
-- a booking role holds exactly the privileges docs/ledger.md lists
-- ("Privileges") and can book, but cannot create credits from nothing
-- (rows in credit_lot, credit_allocation, request, credit_expiry), write a
-- balance (directly or from a trigger of its own, however deeply nested),
-- unfreeze an account or sweep expiries.  The owner's and superusers' own
-- writes to the bookkeeping tables and balances are refused as well: only
-- the ledger's booking functions write them.
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
GRANT EXECUTE ON FUNCTION pg_temp.try(text) TO PUBLIC;
\pset format unaligned
\pset fieldsep ' | '

INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('PRV', 'privileges test', 1000, '10 years');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('PRV-1', 'h1', 'PRV', '540102', now() - interval '10 days'),
	   ('PRV-2', 'h2', 'PRV', '540102', now() - interval '10 days');

-- the booking role, with the documented grants and nothing more
CREATE ROLE regress_ledger_app;
GRANT USAGE ON SCHEMA carbon_ledger TO regress_ledger_app;
GRANT INSERT ON carbon_ledger.activity, carbon_ledger.redemption
	TO regress_ledger_app;
GRANT USAGE ON SEQUENCE carbon_ledger.activity_activity_id_seq,
	carbon_ledger.redemption_redemption_id_seq TO regress_ledger_app;
-- the account manager: opens accounts, freezes, unfreezes and closes them
CREATE ROLE regress_ledger_manager;
GRANT USAGE ON SCHEMA carbon_ledger TO regress_ledger_manager;
GRANT SELECT, INSERT ON carbon_ledger.account TO regress_ledger_manager;
GRANT UPDATE (status, closed_at) ON carbon_ledger.account
	TO regress_ledger_manager;

SET ROLE regress_ledger_app;
-- bookings go through with INSERT alone
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('PRV-1', 'walk', '3 kg', now() - interval '1 hour', 'prv-a1');
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('PRV-1', 1, 'tea', 'prv-r1');
RESET ROLE;
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id, reverses)
SELECT 'PRV-1', 1, 'tea', 'prv-v1', redemption_id FROM carbon_ledger.redemption
WHERE request_id = 'prv-r1';
SET ROLE regress_ledger_app;
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('PRV-1', 2, 'bread', 'prv-r2');

-- credits from nothing: a lot, a negative allocation, a request, a
-- write-off; none of these tables is writable by the booking role
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.credit_lot
	(lot_id, account_no, credits, earned_at, expires_at)
	VALUES (-1, 'PRV-2', '1000000', now() - interval '1 hour', now() + interval '100 years')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.credit_allocation
	(redemption_id, lot_id, account_no, credits)
	VALUES (-1, 1, 'PRV-1', '-1000000')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.request
	(request_id, operation, account_no, content)
	VALUES ('prv-x1', 'redemption', 'PRV-1', '{}')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.credit_expiry
	(lot_id, account_no, credits, expired_at) VALUES (1, 'PRV-1', 1, now())$$);
-- a redemption of credits that were never earned stays rejected
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.redemption
	(account_no, credits, item, request_id) VALUES ('PRV-2', 500000, 'car', 'prv-x2')$$);
-- no balance writes, no unfreezing, no sweeping
SELECT * FROM pg_temp.try($$UPDATE carbon_ledger.account SET balance = '777'
	WHERE account_no = 'PRV-1'$$);
SELECT * FROM pg_temp.try($$UPDATE carbon_ledger.account SET status = 'active'
	WHERE account_no = 'PRV-1'$$);
SELECT * FROM pg_temp.try($$SELECT carbon_ledger.expire_credits()$$);
-- a trigger of the role's own (on a temp table, so pg_trigger_depth() is
-- 1 when it writes) cannot write a balance either
CREATE TEMP TABLE prv_t (x int);
CREATE FUNCTION pg_temp.prv_forge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE carbon_ledger.account SET balance = '777' WHERE account_no = 'PRV-2';
	RETURN NEW;
END
$$;
CREATE TRIGGER prv_forge BEFORE INSERT ON prv_t
	FOR EACH ROW EXECUTE FUNCTION pg_temp.prv_forge();
SELECT * FROM pg_temp.try($$INSERT INTO prv_t VALUES (1)$$);
-- setting the ledger's internal flag by hand grants nothing
SET carbon_ledger_internal.booking = on;
SELECT * FROM pg_temp.try($$UPDATE carbon_ledger.account SET balance = '777'
	WHERE account_no = 'PRV-2'$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.credit_lot
	(lot_id, account_no, credits, earned_at, expires_at)
	VALUES (-1, 'PRV-2', '1000000', now() - interval '1 hour', now() + interval '100 years')$$);
RESET carbon_ledger_internal.booking;
RESET ROLE;

-- the manager freezes and unfreezes, but cannot write a balance
SET ROLE regress_ledger_manager;
UPDATE carbon_ledger.account SET status = 'frozen' WHERE account_no = 'PRV-2';
UPDATE carbon_ledger.account SET status = 'active' WHERE account_no = 'PRV-2';
SELECT * FROM pg_temp.try($$UPDATE carbon_ledger.account SET balance = '777'
	WHERE account_no = 'PRV-2'$$);
SELECT * FROM pg_temp.try($$UPDATE carbon_ledger.account SET status = 'active', balance = '777'
	WHERE account_no = 'PRV-2'$$);
RESET ROLE;
-- even a manager granted UPDATE on the whole table (as an earlier version
-- of the docs advised) who sets the ledger's internal flag cannot
GRANT UPDATE ON carbon_ledger.account TO regress_ledger_manager;
SET ROLE regress_ledger_manager;
SET carbon_ledger_internal.booking = on;
SELECT * FROM pg_temp.try($$UPDATE carbon_ledger.account SET balance = '777'
	WHERE account_no = 'PRV-2'$$);
SELECT * FROM pg_temp.try($$UPDATE carbon_ledger.account SET status = 'active', balance = '777'
	WHERE account_no = 'PRV-2'$$);
RESET carbon_ledger_internal.booking;
RESET ROLE;
REVOKE UPDATE ON carbon_ledger.account FROM regress_ledger_manager;
GRANT UPDATE (status, closed_at) ON carbon_ledger.account
	TO regress_ledger_manager;

-- the loan officer books, corrects and repays a loan, but cannot write
-- what the database keeps (repaid)
CREATE ROLE regress_ledger_loans;
GRANT USAGE ON SCHEMA carbon_ledger TO regress_ledger_loans;
GRANT SELECT, INSERT ON carbon_ledger.green_loan TO regress_ledger_loans;
GRANT UPDATE (borrower_uscc, region_code, green_category, principal,
	issue_date, maturity_date, rate, project_annual_reduction,
	project_investment, carbon_reduction_loan, carbon_reduction_field)
	ON carbon_ledger.green_loan TO regress_ledger_loans;
GRANT INSERT ON carbon_ledger.loan_repayment TO regress_ledger_loans;
GRANT USAGE ON SEQUENCE carbon_ledger.loan_repayment_repayment_id_seq
	TO regress_ledger_loans;
SET ROLE regress_ledger_loans;
INSERT INTO carbon_ledger.green_loan
	(loan_no, borrower_uscc, region_code, green_category, principal,
	 issue_date, maturity_date, rate, project_investment)
VALUES ('PRV-L1', '91350100M000100Y43', '540102', 'solar', 1000,
		'2024-01-10', '2029-01-10', 3.1, 3000);
UPDATE carbon_ledger.green_loan SET principal = 1200 WHERE loan_no = 'PRV-L1';
INSERT INTO carbon_ledger.loan_repayment (loan_no, amount, repaid_on)
VALUES ('PRV-L1', 200, '2024-06-01');
SELECT * FROM pg_temp.try($$UPDATE carbon_ledger.green_loan SET repaid = 0
	WHERE loan_no = 'PRV-L1'$$);
-- the ledger's internal flag, which any role can set, does not switch the
-- loan rules off
SET carbon_ledger_internal.booking = on;
SELECT * FROM pg_temp.try($$UPDATE carbon_ledger.green_loan SET principal = -5
	WHERE loan_no = 'PRV-L1'$$);
SELECT * FROM pg_temp.try($$UPDATE carbon_ledger.green_loan SET principal = 100
	WHERE loan_no = 'PRV-L1'$$);
RESET carbon_ledger_internal.booking;
SELECT principal, repaid FROM carbon_ledger.green_loan WHERE loan_no = 'PRV-L1';
RESET ROLE;

-- the owner's (here a superuser's) own writes are refused too: the guard
-- no longer trusts pg_trigger_depth(), which any trigger raises
SELECT * FROM pg_temp.try($$INSERT INTO prv_t VALUES (2)$$);
SELECT * FROM pg_temp.try($$UPDATE carbon_ledger.account SET balance = '777'
	WHERE account_no = 'PRV-2'$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.credit_lot
	(lot_id, account_no, credits, earned_at, expires_at)
	VALUES (-1, 'PRV-2', '1000000', now() - interval '1 hour', now() + interval '100 years')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.credit_allocation
	(redemption_id, lot_id, account_no, credits)
	SELECT -1, lot_id, account_no, '-5' FROM carbon_ledger.credit_lot
	WHERE account_no = 'PRV-1'$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.request
	(request_id, operation, account_no, content)
	VALUES ('prv-x3', 'redemption', 'PRV-1', '{}')$$);

-- the booking functions run as the extension's owner with a pinned
-- search_path; the bookkeeping tables have no grants.  activity_book and
-- redemption_book are C triggers that switch to their owner and pin the
-- search path themselves (no SECURITY DEFINER, no SET clause); the others
-- are PL/pgSQL (expire_credits a C wrapper of one)
SELECT p.proname, l.lanname, p.prosecdef, p.proconfig
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.pronamespace = 'carbon_ledger'::regnamespace
  AND p.proname IN ('activity_book', 'redemption_book', 'expire_credits',
					'loan_repayment_check', 'green_loan_check', 'account_guard')
ORDER BY 1;
-- nobody but the owner may write the bookkeeping tables (the extension's
-- roles may read them)
SELECT c.relname,
	   (SELECT count(*) FROM pg_catalog.aclexplode(c.relacl) a
		 WHERE a.grantee <> c.relowner AND a.privilege_type <> 'SELECT')
		 AS write_grants
FROM pg_class c
WHERE c.relnamespace = 'carbon_ledger'::regnamespace
  AND c.relname IN ('request', 'credit_lot', 'credit_allocation', 'credit_expiry')
ORDER BY 1;

SELECT account_no, status, balance FROM carbon_ledger.account
WHERE account_no LIKE 'PRV-%' ORDER BY 1;
SELECT count(*) AS forged_lots FROM carbon_ledger.credit_lot WHERE lot_id < 0;
SELECT * FROM carbon_ledger.check_balances() WHERE account_no LIKE 'PRV-%';

-- The booking flag is the library's own: no setting raises it, it is down
-- outside a booking, and a booking that fails takes it down again (here
-- caught by a subtransaction, after which the guards still refuse the
-- superuser's own bookkeeping row).
SET carbon_ledger_internal.booking = on;
SELECT carbon_ledger.booking() AS booking_outside;
RESET carbon_ledger_internal.booking;
CREATE FUNCTION pg_temp.prv_fail_then_forge(OUT caught text, OUT booking bool,
	OUT forge text, OUT who text)
LANGUAGE plpgsql AS $$
BEGIN
	BEGIN
		INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
		VALUES ('PRV-1', '1000000', 'too much', 'prv-fail-1');
	EXCEPTION WHEN OTHERS THEN
		caught := SQLSTATE;
	END;
	booking := carbon_ledger.booking();
	who := current_user;
	BEGIN
		INSERT INTO carbon_ledger.credit_lot
			(lot_id, account_no, credits, earned_at, expires_at)
		VALUES (-2, 'PRV-1', '1', now(), now() + interval '1 year');
		forge := 'written';
	EXCEPTION WHEN OTHERS THEN
		forge := SQLSTATE;
	END;
END
$$;
SELECT caught, booking, forge, who = current_user AS same_user
FROM pg_temp.prv_fail_then_forge();
-- a booking that goes through leaves the role and the flag as they were
SET ROLE regress_ledger_app;
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('PRV-1', 'walk', '1 kg', now() - interval '1 minute', 'prv-flag-1');
SELECT current_user, carbon_ledger.booking() AS booking_after;
RESET ROLE;
-- nobody can attach the flag-raising wrapper to a table of their own
SELECT has_function_privilege('regress_ledger_app',
	'carbon_ledger.booking_trigger()', 'EXECUTE') AS app_may_use_wrapper,
	has_function_privilege('regress_ledger_app',
	'carbon_ledger.expire_credits_run(timestamptz)', 'EXECUTE') AS app_may_sweep;

DROP TABLE prv_t;
DROP OWNED BY regress_ledger_app;
DROP OWNED BY regress_ledger_manager;
DROP OWNED BY regress_ledger_loans;
DROP ROLE regress_ledger_loans;
DROP ROLE regress_ledger_app;
DROP ROLE regress_ledger_manager;
