-- carbon_ledger install script, part 31: rules of accounts, activities,
-- redemptions and credit expiry, enforced by triggers.
--
-- Every trigger function pins search_path to pg_catalog, pg_temp and names
-- every table and extension function with its schema; built-in operators
-- on built-in types therefore resolve to pg_catalog's.  Every operation on
-- an account locks the account row first (SELECT ... FOR UPDATE), then
-- reads and writes the ledger: one lock order, so no two ledger operations
-- can deadlock, and concurrent redemptions never overdraw (at REPEATABLE
-- READ and SERIALIZABLE the later one fails with 40001 instead of waiting
-- for a fresh read).  Rule violations raise SQLSTATEs of class LD, listed
-- in docs/errors.md.  Rows restored by a superuser from a dump (pg_restore
-- and pg_dump's scripts set row_security off) are taken as they are: they
-- come with their bookkeeping rows and balances, and booking them again
-- would count them twice (docs/ledger.md, "Dump and restore").
--
-- The booking triggers activity_book and redemption_book are C (src/ledger.c;
-- docs/ledger.md, "Triggers, search_path and replication").  While they run
-- they switch to the extension's owner (the owner of the trigger function),
-- so that a role that books needs INSERT on activity or redemption only,
-- and no role but the owner holds any privilege on the bookkeeping tables
-- (request, credit_lot, credit_allocation, credit_expiry) or on
-- account.balance.  They also raise a flag of the library, which no SQL can
-- set, and pin the search path to pg_catalog and enable_seqscan off, all
-- undone when they return or fail.  carbon_ledger.booking() reads the flag:
-- guard triggers refuse writes to the bookkeeping tables and to balances
-- made without it, which covers the owner's and superusers' own statements
-- (docs/ledger.md, "Privileges").  expire_credits() and the repayment rules
-- raise the flag through C wrappers of their PL/pgSQL bodies.
--
-- The PL/pgSQL functions left on the booking path (sweep_account,
-- account_lots, lot_remaining, expiry_book, only when lots have expired)
-- read one account's rows (or one lot's) through an index, and PL/pgSQL
-- keeps a plan for the whole session: a plan made while a bookkeeping
-- table was empty or tiny would stay a sequential scan as the table grows
-- (docs/performance.md, "Ledger").  They have no SET clause for
-- enable_seqscan: their callers (the C booking triggers and the C wrapper
-- of expire_credits()) turn it off for them.  A SET clause here would save
-- the value the C code had set, and an error would restore that saved
-- "off" at transaction abort, after the C code had put the session's own
-- value back (docs/ledger.md, "Implementation notes").

-- restoring(): whether rows are being restored from a dump: a statement
-- of a superuser, in a superuser session with row_security off, as
-- pg_restore and pg_dump's scripts run; not another role's code that such
-- a session runs (C, src/ledger.c, cl_restoring).  The booking triggers
-- then take rows as they come, with the bookkeeping rows and balances
-- restored beside them.  Volatile: a trigger wrapper decides it for the
-- statements its trigger runs.
CREATE FUNCTION carbon_ledger.restoring()
RETURNS pg_catalog.bool
LANGUAGE C VOLATILE PARALLEL RESTRICTED
AS 'MODULE_PATHNAME', 'cl_restoring_sql';

-- rule_trigger(name): runs the SECURITY DEFINER trigger function
-- carbon_ledger.<name> after deciding restoring() as the role that fired
-- the trigger, which inside the function is the extension's owner (C,
-- src/ledger.c).  Not executable by PUBLIC.
CREATE FUNCTION carbon_ledger.rule_trigger()
RETURNS trigger
LANGUAGE C
AS 'MODULE_PATHNAME', 'cl_rule_trigger';

-- booking(): whether the ledger's own booking code is running in this
-- session: a flag of the extension's library, set only while its C booking
-- triggers (and the C wrappers of expire_credits() and the repayment
-- rules) run and cleared when they return or fail.  No setting or SQL
-- statement can raise it.  VOLATILE: it changes within a statement.
CREATE FUNCTION carbon_ledger.booking()
RETURNS pg_catalog.bool
LANGUAGE C VOLATILE PARALLEL RESTRICTED
AS 'MODULE_PATHNAME', 'cl_booking';

-- refuse_request(request_id, operation, account_no, content): raise the
-- error for a request_id that a booking could not claim because it was
-- seen before: a replay (LD006, same content: the first booking stands) or
-- a reuse for a different request (LD007).  The booking triggers claim the
-- id themselves (INSERT ... ON CONFLICT DO NOTHING into
-- carbon_ledger.request, which waits for a concurrent, still uncommitted
-- claim and, at REPEATABLE READ or SERIALIZABLE, raises 40001 for an
-- invisible conflicting row) and call this only when the insert did
-- nothing.
CREATE FUNCTION carbon_ledger.refuse_request(p_request pg_catalog.text,
											 p_operation pg_catalog.text,
											 p_account pg_catalog.text,
											 p_content pg_catalog.jsonb)
RETURNS pg_catalog.bool
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	prev		carbon_ledger.request;
BEGIN
	SELECT * INTO prev FROM carbon_ledger.request r
	WHERE r.request_id = p_request;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = '40001',
			MESSAGE = format('could not serialize access: request_id "%s" was claimed concurrently',
							 p_request),
			HINT = 'Retry the transaction.';
	END IF;
	IF prev.operation = p_operation AND prev.account_no = p_account
		AND prev.content = p_content THEN
		RAISE EXCEPTION USING ERRCODE = 'LD006',
			MESSAGE = format('%s rejected: request "%s" was already processed',
							 p_operation, p_request),
			DETAIL = format('Request "%s" was booked on account "%s" at %s with the same content.',
							p_request, prev.account_no, prev.booked_at),
			HINT = 'This is a replay of a completed request: treat it as done.';
	END IF;
	RAISE EXCEPTION USING ERRCODE = 'LD007',
		MESSAGE = format('%s rejected: request_id "%s" was already used for a different request',
						 p_operation, p_request),
		DETAIL = format('Request "%s" was booked as %s on account "%s" with %s; this one carries %s.',
						p_request, prev.operation, prev.account_no,
						prev.content, p_content),
		HINT = 'Use a new request_id for a new request.';
END
$$;

-- sweep_account(account_no, as_of): write off what is left in the lots of
-- a locked account that expired by as_of (the write-offs lower the balance
-- through expiry_book); returns the thousandths written off.
CREATE FUNCTION carbon_ledger.sweep_account(p_account pg_catalog.text,
											p_as_of pg_catalog.timestamptz)
RETURNS pg_catalog.int8
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	total		pg_catalog.int8;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM carbon_ledger.credit_lot c
				   WHERE c.account_no = p_account
					 AND c.expires_at <= p_as_of) THEN
		RETURN 0;
	END IF;
	WITH written AS (
		INSERT INTO carbon_ledger.credit_expiry
			(lot_id, account_no, credits, expired_at)
		SELECT l.lot_id, p_account,
			   @extschema@.carbon_credit_from_thousandths(l.remaining),
			   l.expires_at
		FROM carbon_ledger.account_lots(p_account) l
		WHERE l.expires_at <= p_as_of AND l.remaining > 0
		ORDER BY l.expires_at, l.lot_id
		RETURNING credits
	)
	SELECT coalesce(sum(@extschema@.carbon_credit_thousandths(credits)), 0)
	INTO total FROM written;
	RETURN total;
END
$$;

-- adjust_balance(account_no, thousandths): adds to account.balance; only
-- ever called from the ledger's triggers (the account guard refuses
-- balance writes that do not come from a trigger).  Returns true.
CREATE FUNCTION carbon_ledger.adjust_balance(p_account pg_catalog.text,
											 p_delta pg_catalog.int8)
RETURNS pg_catalog.bool
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	UPDATE carbon_ledger.account
	SET balance = @extschema@.carbon_credit_from_thousandths(
		@extschema@.carbon_credit_thousandths(balance) + p_delta)
	WHERE account_no = p_account;
	RETURN true;
END
$$;

-- lot_remaining(account_no, lot_id): credits left in a lot, in
-- thousandths: earned, less taken by redemptions (plus given back by
-- reversals), less written off.
CREATE FUNCTION carbon_ledger.lot_remaining(p_account pg_catalog.text,
											p_lot pg_catalog.int8)
RETURNS pg_catalog.int8
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	RETURN (SELECT @extschema@.carbon_credit_thousandths(l.credits)
		   - coalesce((SELECT sum(@extschema@.carbon_credit_thousandths(a.credits))
					   FROM carbon_ledger.credit_allocation a
					   WHERE a.account_no = p_account
						 AND a.lot_id = l.lot_id), 0)
		   - coalesce((SELECT sum(@extschema@.carbon_credit_thousandths(e.credits))
					   FROM carbon_ledger.credit_expiry e
					   WHERE e.account_no = p_account
						 AND e.lot_id = l.lot_id), 0)
	FROM carbon_ledger.credit_lot l
	WHERE l.account_no = p_account AND l.lot_id = p_lot);
END
$$;

-- account_lots(account_no): the lots of an account with what is left in
-- each (thousandths), in one pass over its lots, allocations and
-- write-offs.
CREATE FUNCTION carbon_ledger.account_lots(p_account pg_catalog.text)
RETURNS TABLE (lot_id pg_catalog.int8, earned_at pg_catalog.timestamptz,
			   expires_at pg_catalog.timestamptz, remaining pg_catalog.int8)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	RETURN QUERY
	SELECT l.lot_id, l.earned_at, l.expires_at,
		   (@extschema@.carbon_credit_thousandths(l.credits)
			- coalesce(a.th, 0) - coalesce(e.th, 0))::pg_catalog.int8
	FROM carbon_ledger.credit_lot l
	LEFT JOIN (SELECT x.lot_id,
					  sum(@extschema@.carbon_credit_thousandths(x.credits)) AS th
			   FROM carbon_ledger.credit_allocation x
			   WHERE x.account_no = p_account GROUP BY x.lot_id) a
		ON a.lot_id = l.lot_id
	LEFT JOIN (SELECT x.lot_id,
					  sum(@extschema@.carbon_credit_thousandths(x.credits)) AS th
			   FROM carbon_ledger.credit_expiry x
			   WHERE x.account_no = p_account GROUP BY x.lot_id) e
		ON e.lot_id = l.lot_id
	WHERE l.account_no = p_account;
END
$$;

-- expiry_book: a write-off must be exactly what is left in a lot that has
-- expired; it lowers the balance.  The sweeps insert such rows; nobody can
-- write off credits that have not expired.
CREATE FUNCTION carbon_ledger.expiry_book()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	done		pg_catalog.bool;
	lot			carbon_ledger.credit_lot;
	left_over	pg_catalog.int8;
BEGIN
	IF carbon_ledger.restoring() THEN
		RETURN NEW;
	END IF;

	PERFORM 1 FROM carbon_ledger.account a
	WHERE a.account_no = NEW.account_no FOR UPDATE;
	SELECT * INTO lot FROM carbon_ledger.credit_lot l
	WHERE l.account_no = NEW.account_no AND l.lot_id = NEW.lot_id;
	left_over := carbon_ledger.lot_remaining(NEW.account_no, NEW.lot_id);
	IF lot.lot_id IS NULL
		OR lot.expires_at > pg_catalog.statement_timestamp()
		OR left_over <= 0
		OR left_over <> @extschema@.carbon_credit_thousandths(NEW.credits) THEN
		RAISE EXCEPTION USING ERRCODE = 'LD028',
			MESSAGE = 'write-off rejected: it must be what is left of an expired lot',
			DETAIL = format('Lot %s of account "%s" expires at %s with %s credits left; the write-off is %s.',
							NEW.lot_id, NEW.account_no, lot.expires_at,
							@extschema@.carbon_credit_from_thousandths(coalesce(left_over, 0)),
							NEW.credits),
			HINT = 'Call carbon_ledger.expire_credits() to write off expired credits.';
	END IF;
	NEW.expired_at := lot.expires_at;
	NEW.written_off_at := pg_catalog.statement_timestamp();
	done := carbon_ledger.adjust_balance(NEW.account_no, - left_over);
	RETURN NEW;
END
$$;

-- account_has_ledger_rows(account_no): whether an activity or a redemption
-- names the account, read with the latest snapshot (see src/ledger.c: a
-- DELETE at REPEATABLE READ must see a booking that committed after its
-- snapshot was taken).
CREATE FUNCTION carbon_ledger.account_has_ledger_rows(pg_catalog.text)
RETURNS pg_catalog.bool
LANGUAGE C STRICT VOLATILE
AS 'MODULE_PATHNAME', 'cl_account_has_ledger_rows';
REVOKE ALL ON FUNCTION carbon_ledger.account_has_ledger_rows(pg_catalog.text)
	FROM PUBLIC;
COMMENT ON FUNCTION carbon_ledger.account_has_ledger_rows(pg_catalog.text) IS
	'whether ledger rows name the account, as the latest snapshot sees them (the account guard''s check)';

-- ledger_row_any(): {account_no, table} of some row of the tables that
-- refer to accounts by number, or NULL when there is none, read with the
-- latest snapshot (the account guard's TRUNCATE check: a TRUNCATE at
-- REPEATABLE READ must see a booking that committed after its snapshot).
CREATE FUNCTION carbon_ledger.ledger_row_any()
RETURNS pg_catalog.text[]
LANGUAGE C VOLATILE
AS 'MODULE_PATHNAME', 'cl_ledger_row_any';
REVOKE ALL ON FUNCTION carbon_ledger.ledger_row_any() FROM PUBLIC;
COMMENT ON FUNCTION carbon_ledger.ledger_row_any() IS
	'some row of the tables that refer to accounts, as {account_no, table}, as the latest snapshot sees them (the account guard''s TRUNCATE check)';

-- account_guard: validates accounts on insert and update: region code in
-- use when the account opened, balance untouchable from outside the
-- ledger, a closed account stays closed; an account with ledger rows
-- cannot be deleted, nor the table truncated while any ledger row refers
-- to an account.
CREATE FUNCTION carbon_ledger.account_guard()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	tz			pg_catalog.text;
	acct		pg_catalog.text;
	tab			pg_catalog.text;
	found_row	pg_catalog.text[];
	first_activity pg_catalog.timestamptz;
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		/*
		 * The ledger's rows refer to accounts by account_no without a
		 * foreign key, so nothing else stops TRUNCATE (of the table, or of
		 * programme CASCADE) from leaving them without their account.  Any
		 * row of any of those tables refuses it; one account is named.  The
		 * rows are read with the latest snapshot, as for DELETE below: at
		 * REPEATABLE READ the transaction's own snapshot may predate a
		 * booking that committed while the TRUNCATE waited for its lock.
		 */
		found_row := carbon_ledger.ledger_row_any();
		IF found_row IS NOT NULL THEN
			acct := found_row[1];
			tab := found_row[2];
			RAISE EXCEPTION USING ERRCODE = 'LD013',
				MESSAGE = format('TRUNCATE of %s.%s rejected: accounts have ledger rows',
								 TG_TABLE_SCHEMA, TG_TABLE_NAME),
				DETAIL = format('Account "%s" has rows in carbon_ledger.%s, which refer to it by account_no.',
								acct, tab),
				HINT = 'Close the accounts (status closed) instead; an account without ledger rows can be deleted.';
		END IF;
		RETURN NULL;
	END IF;

	IF TG_OP = 'DELETE' THEN
		IF carbon_ledger.account_has_ledger_rows(OLD.account_no) THEN
			RAISE EXCEPTION USING ERRCODE = 'LD013',
				MESSAGE = format('account "%s" has ledger rows and cannot be deleted',
								 OLD.account_no),
				DETAIL = format('Account "%s" has status %s and a balance of %s credits.',
								OLD.account_no, OLD.status, OLD.balance),
				HINT = 'Close the account (status closed) instead.';
		END IF;
		RETURN OLD;
	END IF;

	IF carbon_ledger.restoring() THEN
		RETURN NEW;
	END IF;

	IF TG_OP = 'INSERT' THEN
		IF @extschema@.carbon_credit_thousandths(NEW.balance) <> 0 THEN
			RAISE EXCEPTION USING ERRCODE = 'LD014',
				MESSAGE = format('balance of account "%s" is kept by the database',
								 NEW.account_no),
				DETAIL = format('A new account starts at 0 credits, not %s.',
								NEW.balance),
				HINT = 'Book activities to give the account credits.';
		END IF;
	ELSE
		IF @extschema@.carbon_credit_thousandths(NEW.balance) <>
			@extschema@.carbon_credit_thousandths(OLD.balance) THEN
			/*
			 * balance writes come only from the booking functions, whose
			 * UPDATE SET balance fires neither account_guard_update nor
			 * (booking() being true) account_guard_balance
			 */
			RAISE EXCEPTION USING ERRCODE = 'LD014',
				MESSAGE = format('balance of account "%s" is kept by the database',
								 OLD.account_no),
				DETAIL = format('The balance is %s credits; it cannot be set to %s.',
								OLD.balance, NEW.balance),
				HINT = 'Book an activity or a redemption instead.';
		END IF;
		IF NEW.account_no <> OLD.account_no THEN
			RAISE EXCEPTION USING ERRCODE = 'LD013',
				MESSAGE = format('account_no of account "%s" cannot change',
								 OLD.account_no),
				DETAIL = 'Ledger rows refer to the account by its number.';
		END IF;
		IF OLD.status = 'closed' AND NEW.status <> 'closed' THEN
			RAISE EXCEPTION USING ERRCODE = 'LD025',
				MESSAGE = format('account "%s" is closed and cannot be reopened',
								 OLD.account_no),
				DETAIL = format('Account "%s" was closed at %s; the new status would be %s.',
								OLD.account_no, OLD.closed_at, NEW.status),
				HINT = 'Open a new account instead.';
		END IF;
		IF OLD.status = 'closed' THEN
			NEW.closed_at := OLD.closed_at;
		END IF;
	END IF;

	IF NEW.status = 'closed' AND NEW.closed_at IS NULL THEN
		NEW.closed_at := pg_catalog.statement_timestamp();
	ELSIF NEW.status <> 'closed' THEN
		NEW.closed_at := NULL;
	END IF;

	IF TG_OP = 'INSERT' OR NEW.region_code IS DISTINCT FROM OLD.region_code
		OR NEW.opened_at IS DISTINCT FROM OLD.opened_at
		OR NEW.programme_id IS DISTINCT FROM OLD.programme_id THEN
		SELECT p.time_zone INTO tz FROM carbon_ledger.programme p
		WHERE p.programme_id = NEW.programme_id;
		IF NOT FOUND THEN
			tz := 'Asia/Shanghai';		/* the foreign key reports it */
		END IF;
		IF NOT @extschema@.gb2260_is_valid(NEW.region_code,
				(NEW.opened_at AT TIME ZONE tz)::pg_catalog.date) THEN
			RAISE EXCEPTION USING ERRCODE = 'LD015',
				MESSAGE = format('invalid region code "%s" for account "%s"',
								 NEW.region_code, NEW.account_no),
				DETAIL = format('"%s" is not a GB/T 2260 code in use on %s, when the account opened.',
								NEW.region_code,
								(NEW.opened_at AT TIME ZONE tz)::pg_catalog.date),
				HINT = 'See carbon_ledger.region for the codes and their years of use.';
		END IF;
	END IF;

	/* no activity may precede the opening, whichever was written first */
	IF TG_OP = 'UPDATE' AND NEW.opened_at > OLD.opened_at THEN
		SELECT pg_catalog.min(x.occurred_at) INTO first_activity
		FROM carbon_ledger.activity x
		WHERE x.account_no = OLD.account_no;
		IF first_activity < NEW.opened_at THEN
			RAISE EXCEPTION USING ERRCODE = 'LD026',
				MESSAGE = format('opening of account "%s" cannot move after its first activity',
								 OLD.account_no),
				DETAIL = format('Account "%s" has an activity that occurred at %s; the opening would be %s.',
								OLD.account_no, first_activity, NEW.opened_at),
				HINT = 'An opening date can move earlier, or later up to the first activity.';
		END IF;
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER expiry_book
	BEFORE INSERT ON carbon_ledger.credit_expiry
	FOR EACH ROW EXECUTE FUNCTION carbon_ledger.rule_trigger('expiry_book');

-- The ledger's own balance updates (from its booking functions, SET
-- balance only) skip the guard; any UPDATE naming other columns, or made
-- outside the booking functions, goes through it.
CREATE TRIGGER account_guard
	BEFORE INSERT OR DELETE ON carbon_ledger.account
	FOR EACH ROW EXECUTE FUNCTION carbon_ledger.rule_trigger('account_guard');
-- TRUNCATE fires no row trigger: a statement trigger keeps the DELETE
-- rule for it (and for TRUNCATE carbon_ledger.programme CASCADE, which
-- reaches this table).  Ordinary ENABLE, like the other rule triggers.
CREATE TRIGGER account_guard_truncate
	BEFORE TRUNCATE ON carbon_ledger.account
	FOR EACH STATEMENT EXECUTE FUNCTION carbon_ledger.rule_trigger('account_guard');
CREATE TRIGGER account_guard_update
	BEFORE UPDATE OF account_no, holder_ref, programme_id, region_code,
		opened_at, status, closed_at ON carbon_ledger.account
	FOR EACH ROW EXECUTE FUNCTION carbon_ledger.rule_trigger('account_guard');
-- booking() is a C function: the WHEN expression, prepared anew for every
-- statement, costs one function call.
CREATE TRIGGER account_guard_balance
	BEFORE UPDATE OF balance ON carbon_ledger.account
	FOR EACH ROW WHEN (NOT carbon_ledger.booking())
	EXECUTE FUNCTION carbon_ledger.rule_trigger('account_guard');

-- activity_book: books an activity: reduction positive, kind in normal
-- form, not in the future, account active, request_id new; credits at the
-- programme rate for the part of the reduction within the daily cap of its
-- kind (per account and local day of the programme's time zone, in booking
-- order), truncated to a thousandth; a credit lot expiring after the
-- programme's credit lifetime (written off at once if that has passed
-- already); the balance raised.  In C (src/ledger.c).
CREATE FUNCTION carbon_ledger.activity_book()
RETURNS trigger
LANGUAGE C
AS 'MODULE_PATHNAME', 'cl_activity_book';

CREATE TRIGGER activity_book
	BEFORE INSERT ON carbon_ledger.activity
	FOR EACH ROW EXECUTE FUNCTION carbon_ledger.activity_book();

-- redemption_book: books a redemption or a reversal.  Credits positive,
-- not in the future, account active, request_id new.  A redemption first
-- writes off the account's lots expired by the time of booking (whatever
-- redeemed_at says), then takes its credits from the lots earned by
-- redeemed_at and not expired, the soonest to expire first, recording
-- each lot's share; more than that is LD005.  A reversal names an earlier
-- redemption of the same account with the same credits, not dated before
-- it, not reversed before, and gives back the same lots (any of them
-- expired by the time of booking are written off at once).  In C
-- (src/ledger.c).
CREATE FUNCTION carbon_ledger.redemption_book()
RETURNS trigger
LANGUAGE C
AS 'MODULE_PATHNAME', 'cl_redemption_book';

CREATE TRIGGER redemption_book
	BEFORE INSERT ON carbon_ledger.redemption
	FOR EACH ROW EXECUTE FUNCTION carbon_ledger.redemption_book();

-- expire_credits_run(as_of): writes off, on every account, the credits of
-- lots expired by as_of; returns each account touched and what was written
-- off.  Accounts are locked one at a time in account_no order.  It works
-- only under expire_credits(), which sets the booking flag (without it the
-- guards refuse the write-offs).
CREATE FUNCTION carbon_ledger.expire_credits_run(as_of pg_catalog.timestamptz)
RETURNS TABLE (account_no pg_catalog.text,
			   written_off @extschema@.carbon_credit)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	acc_no		pg_catalog.text;
	acc			carbon_ledger.account;
	gone		pg_catalog.int8;
BEGIN
	IF as_of > pg_catalog.statement_timestamp() THEN
		RAISE EXCEPTION USING ERRCODE = '22023',
			MESSAGE = 'cannot expire credits as of a time in the future',
			DETAIL = format('as_of is %s; the current time is %s.',
							as_of, pg_catalog.statement_timestamp());
	END IF;

	FOR acc_no IN
		SELECT DISTINCT l.account_no FROM carbon_ledger.credit_lot l
		WHERE l.expires_at <= as_of ORDER BY 1
	LOOP
		SELECT * INTO acc FROM carbon_ledger.account a
		WHERE a.account_no = acc_no FOR UPDATE;
		gone := carbon_ledger.sweep_account(acc_no, as_of);
		IF gone > 0 THEN
			account_no := acc_no;
			written_off := @extschema@.carbon_credit_from_thousandths(gone);
			RETURN NEXT;
		END IF;
	END LOOP;
END
$$;

-- expire_credits(as_of): expire_credits_run(as_of) with the booking flag
-- set (C, src/ledger.c).
CREATE FUNCTION carbon_ledger.expire_credits(
	as_of pg_catalog.timestamptz DEFAULT pg_catalog.statement_timestamp())
RETURNS TABLE (account_no pg_catalog.text,
			   written_off @extschema@.carbon_credit)
LANGUAGE C STRICT VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'cl_expire_credits';
COMMENT ON FUNCTION carbon_ledger.expire_credits(pg_catalog.timestamptz) IS
	'write off credits expired by the given time on every account; returns what was written off';
-- It runs as the extension's owner: only roles it is granted to may sweep.
REVOKE ALL ON FUNCTION carbon_ledger.expire_credits(pg_catalog.timestamptz)
	FROM PUBLIC;
REVOKE ALL ON FUNCTION carbon_ledger.expire_credits_run(pg_catalog.timestamptz)
	FROM PUBLIC;
