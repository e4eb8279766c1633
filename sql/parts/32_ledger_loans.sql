-- carbon_ledger install script, part 32: green loans, repayments and the
-- append-only rule of the ledger tables.

-- Eligible fields of the central bank's carbon emission reduction facility.
CREATE FUNCTION carbon_ledger.carbon_reduction_fields()
RETURNS pg_catalog.text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT ARRAY['clean energy', 'energy saving and environmental protection',
				 'carbon-reduction technology']::pg_catalog.text[]
$$;
COMMENT ON FUNCTION carbon_ledger.carbon_reduction_fields() IS
	'the fields eligible for the carbon emission reduction facility';

-- green_loan_check: validates a green loan and computes what the database
-- keeps: the attributed reduction (project annual reduction x principal /
-- investment, rounded half away from zero to the gram) and, for a
-- carbon-reduction loan, the facility's refinancing (60% of principal to
-- the fen, at 1.75% for one year).  Amounts finer than a fen are refused,
-- never rounded.  On UPDATE every rule is checked again, against the
-- repayments too (principal not below what was repaid, issue date not
-- after the first repayment); repaid is kept by loan_repayment_check, which
-- updates it under the loan's lock (so that, at REPEATABLE READ and
-- SERIALIZABLE, a concurrent repayment or change of the loan fails with
-- 40001 instead of both going through).
CREATE FUNCTION carbon_ledger.green_loan_check()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	first_repayment pg_catalog.date;
	same		carbon_ledger.green_loan;
	dividend	pg_catalog.numeric;
	quotient	pg_catalog.numeric;
	remainder	pg_catalog.numeric;
BEGIN
	IF carbon_ledger.restoring() THEN
		RETURN NEW;
	END IF;
	IF TG_OP = 'UPDATE' AND carbon_ledger.booking() THEN
		/*
		 * loan_repayment_check raising repaid, under the loan's lock, and
		 * nothing else: an update that changes another column (from a
		 * trigger of someone's own that a booking fires, say) goes
		 * through every check below.
		 */
		same := NEW;
		same.repaid := OLD.repaid;
		IF same IS NOT DISTINCT FROM OLD THEN
			RETURN NEW;
		END IF;
	END IF;

	IF NEW.principal <> pg_catalog.round(NEW.principal, 2)
		OR NEW.project_investment <> pg_catalog.round(NEW.project_investment, 2) THEN
		RAISE EXCEPTION USING ERRCODE = 'LD033',
			MESSAGE = 'loan rejected: amounts must be whole fen',
			DETAIL = format('Loan "%s" has a principal of %s yuan and a project investment of %s yuan; amounts are not rounded.',
							NEW.loan_no, NEW.principal, NEW.project_investment),
			HINT = 'Give yuan amounts with at most two decimals.';
	END IF;
	IF pg_catalog.abs(NEW.principal) >= 1e18
		OR pg_catalog.abs(NEW.project_investment) >= 1e18 THEN
		RAISE EXCEPTION USING ERRCODE = '22003',
			MESSAGE = 'loan amount out of range',
			DETAIL = format('Loan "%s" has a principal of %s yuan and a project investment of %s yuan; amounts must be below 10^18 yuan.',
							NEW.loan_no, NEW.principal, NEW.project_investment);
	END IF;
	NEW.principal := pg_catalog.round(NEW.principal, 2);
	NEW.project_investment := pg_catalog.round(NEW.project_investment, 2);

	IF NOT @extschema@.uscc_is_valid(NEW.borrower_uscc)
		AND NOT EXISTS (SELECT 1 FROM carbon_ledger.uscc_exception x
						WHERE x.uscc = NEW.borrower_uscc) THEN
		RAISE EXCEPTION USING ERRCODE = 'LD016',
			MESSAGE = format('loan rejected: invalid borrower USCC "%s"',
							 NEW.borrower_uscc),
			DETAIL = format('Loan "%s": "%s" fails the GB 32100-2015 checks and is not listed in carbon_ledger.uscc_exception.',
							NEW.loan_no, NEW.borrower_uscc),
			HINT = 'A legal code issued by an early pilot region can be added to carbon_ledger.uscc_exception.';
	END IF;
	IF NOT @extschema@.gb2260_is_valid(NEW.region_code, NEW.issue_date) THEN
		RAISE EXCEPTION USING ERRCODE = 'LD015',
			MESSAGE = format('loan rejected: invalid region code "%s"',
							 NEW.region_code),
			DETAIL = format('Loan "%s": "%s" is not a GB/T 2260 code in use on its issue date %s.',
							NEW.loan_no, NEW.region_code, NEW.issue_date),
			HINT = 'See carbon_ledger.region for the codes and their years of use.';
	END IF;
	IF NEW.principal <= 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'LD017',
			MESSAGE = 'loan rejected: principal must be positive',
			DETAIL = format('Loan "%s" has a principal of %s yuan.',
							NEW.loan_no, NEW.principal);
	END IF;
	IF NEW.maturity_date <= NEW.issue_date THEN
		RAISE EXCEPTION USING ERRCODE = 'LD018',
			MESSAGE = 'loan rejected: maturity must be after issue',
			DETAIL = format('Loan "%s" is issued on %s and matures on %s.',
							NEW.loan_no, NEW.issue_date, NEW.maturity_date);
	END IF;
	IF NEW.project_investment < NEW.principal THEN
		RAISE EXCEPTION USING ERRCODE = 'LD019',
			MESSAGE = 'loan rejected: project investment is less than the principal',
			DETAIL = format('Loan "%s" lends %s yuan to a project of %s yuan.',
							NEW.loan_no, NEW.principal, NEW.project_investment);
	END IF;
	IF NEW.carbon_reduction_loan THEN
		IF NEW.carbon_reduction_field IS NULL OR NOT NEW.carbon_reduction_field
			OPERATOR(pg_catalog.=) ANY (carbon_ledger.carbon_reduction_fields()) THEN
			RAISE EXCEPTION USING ERRCODE = 'LD020',
				MESSAGE = 'loan rejected: field not eligible for the carbon emission reduction facility',
				DETAIL = format('Carbon-reduction loan "%s" names the field %s.',
								NEW.loan_no,
								coalesce(pg_catalog.quote_literal(NEW.carbon_reduction_field), 'NULL')),
				HINT = 'Eligible fields: clean energy, energy saving and environmental protection, carbon-reduction technology.';
		END IF;
		IF NEW.project_annual_reduction IS NULL OR
			@extschema@.tco2e_grams(NEW.project_annual_reduction) <= 0 THEN
			RAISE EXCEPTION USING ERRCODE = 'LD021',
				MESSAGE = 'loan rejected: a carbon-reduction loan needs a positive project reduction',
				DETAIL = format('Carbon-reduction loan "%s" reports a project annual reduction of %s.',
								NEW.loan_no,
								coalesce(NEW.project_annual_reduction::pg_catalog.text, 'NULL'));
		END IF;
		NEW.refinance_amount := pg_catalog.round(NEW.principal * 0.6, 2);
		NEW.refinance_rate := 1.75;
		NEW.refinance_maturity := NEW.issue_date + '1 year'::pg_catalog.interval;
	ELSE
		NEW.refinance_amount := NULL;
		NEW.refinance_rate := NULL;
		NEW.refinance_maturity := NULL;
	END IF;

	IF NEW.project_annual_reduction IS NULL THEN
		NEW.attributed_reduction := NULL;
	ELSE
		/*
		 * grams x principal / investment, rounded half away from zero from
		 * the exact quotient and remainder: numeric's "/" rounds to about
		 * 16 significant digits first, which turned x.4999...9 into x.5.
		 * The investment is positive (checked above); the reduction of a
		 * plain green loan may be negative.
		 */
		dividend := @extschema@.tco2e_grams(NEW.project_annual_reduction)
			* NEW.principal;
		quotient := pg_catalog.div(dividend, NEW.project_investment);
		remainder := dividend - quotient * NEW.project_investment;
		IF 2 * pg_catalog.abs(remainder) >= pg_catalog.abs(NEW.project_investment) THEN
			quotient := quotient + pg_catalog.sign(dividend)
				* pg_catalog.sign(NEW.project_investment);
		END IF;
		NEW.attributed_reduction :=
			@extschema@.tco2e_from_grams(quotient::pg_catalog.int8);
	END IF;

	IF TG_OP = 'UPDATE' THEN
		IF NEW.loan_no <> OLD.loan_no THEN
			RAISE EXCEPTION USING ERRCODE = 'LD013',
				MESSAGE = format('loan_no of loan "%s" cannot change', OLD.loan_no),
				DETAIL = 'Repayments refer to the loan by its number.';
		END IF;
		/* repaid is the loan's own column: only repayments change it */
		IF NOT carbon_ledger.booking() THEN
			NEW.repaid := OLD.repaid;
		END IF;
		IF NEW.principal < OLD.repaid THEN
			RAISE EXCEPTION USING ERRCODE = 'LD022',
				MESSAGE = 'loan rejected: principal below what was already repaid',
				DETAIL = format('Loan "%s" has %s yuan repaid; the principal cannot become %s.',
								NEW.loan_no, OLD.repaid, NEW.principal);
		END IF;
		SELECT min(r.repaid_on) INTO first_repayment
		FROM carbon_ledger.loan_repayment r WHERE r.loan_no = OLD.loan_no;
		IF NEW.issue_date > first_repayment THEN
			RAISE EXCEPTION USING ERRCODE = 'LD024',
				MESSAGE = 'loan rejected: issue date after a repayment',
				DETAIL = format('Loan "%s" has a repayment on %s; the issue date cannot become %s.',
								NEW.loan_no, first_repayment, NEW.issue_date);
		END IF;
	ELSE
		NEW.repaid := 0.00;
	END IF;
	NEW.booked_at := CASE WHEN TG_OP = 'UPDATE' THEN OLD.booked_at
					 ELSE pg_catalog.statement_timestamp() END;
	RETURN NEW;
END
$$;

CREATE TRIGGER green_loan_check
	BEFORE INSERT OR UPDATE ON carbon_ledger.green_loan
	FOR EACH ROW EXECUTE FUNCTION carbon_ledger.rule_trigger('green_loan_check');

-- loan_repayment_check: locks the loan, then checks the repayment is
-- positive and in whole fen, not in the future, not before the issue date
-- and within the outstanding balance, and raises the loan's repaid.  The
-- update of the loan row is what makes two concurrent repayments (or a
-- repayment and a change of the loan) conflict at REPEATABLE READ and
-- SERIALIZABLE (40001); at READ COMMITTED the second waits for the lock
-- and sees the first.
CREATE FUNCTION carbon_ledger.loan_repayment_check()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	loan		carbon_ledger.green_loan;
BEGIN
	IF carbon_ledger.restoring() THEN
		RETURN NEW;
	END IF;

	/* NOT NULL is checked only after this trigger: check it first */
	IF NEW.loan_no IS NULL OR NEW.amount IS NULL OR NEW.repaid_on IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = '23502',
			MESSAGE = format('null value in column "%s" of relation "loan_repayment" violates not-null constraint',
							 CASE WHEN NEW.loan_no IS NULL THEN 'loan_no'
								  WHEN NEW.amount IS NULL THEN 'amount'
								  ELSE 'repaid_on' END),
			DETAIL = 'A row of carbon_ledger.loan_repayment needs a loan_no, an amount and repaid_on.';
	END IF;
	/*
	 * A fresh id, whatever the INSERT supplied: with OVERRIDING SYSTEM
	 * VALUE and ON CONFLICT DO NOTHING an existing id would have the row
	 * dropped after the loan's repaid was raised.
	 */
	NEW.repayment_id := pg_catalog.nextval(
		'carbon_ledger.loan_repayment_repayment_id_seq'::pg_catalog.regclass);

	IF NEW.amount <= 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'LD023',
			MESSAGE = 'repayment rejected: amount must be positive',
			DETAIL = format('Repayment of loan "%s" is %s yuan.',
							NEW.loan_no, NEW.amount);
	END IF;
	IF NEW.amount <> pg_catalog.round(NEW.amount, 2) THEN
		RAISE EXCEPTION USING ERRCODE = 'LD033',
			MESSAGE = 'repayment rejected: amounts must be whole fen',
			DETAIL = format('Repayment of loan "%s" is %s yuan; amounts are not rounded.',
							NEW.loan_no, NEW.amount),
			HINT = 'Give yuan amounts with at most two decimals.';
	END IF;
	NEW.amount := pg_catalog.round(NEW.amount, 2);
	IF NEW.repaid_on > CURRENT_DATE THEN
		RAISE EXCEPTION USING ERRCODE = 'LD032',
			MESSAGE = 'repayment rejected: it lies in the future',
			DETAIL = format('Repayment of loan "%s" is dated %s, after the current date %s.',
							NEW.loan_no, NEW.repaid_on, CURRENT_DATE);
	END IF;
	SELECT * INTO loan FROM carbon_ledger.green_loan g
	WHERE g.loan_no = NEW.loan_no FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'LD027',
			MESSAGE = format('repayment rejected: loan "%s" does not exist',
							 NEW.loan_no),
			DETAIL = format('No row of carbon_ledger.green_loan has loan_no "%s".',
							NEW.loan_no);
	END IF;
	IF NEW.repaid_on < loan.issue_date THEN
		RAISE EXCEPTION USING ERRCODE = 'LD024',
			MESSAGE = 'repayment rejected: it lies before the loan was issued',
			DETAIL = format('Repayment of loan "%s" on %s; the loan was issued on %s.',
							NEW.loan_no, NEW.repaid_on, loan.issue_date);
	END IF;
	IF NEW.amount > loan.principal - loan.repaid THEN
		RAISE EXCEPTION USING ERRCODE = 'LD022',
			MESSAGE = 'repayment rejected: it exceeds the outstanding balance',
			DETAIL = format('Repayment of %s yuan on loan "%s": principal %s, repaid %s, outstanding %s.',
							NEW.amount, NEW.loan_no, loan.principal, loan.repaid,
							loan.principal - loan.repaid);
	END IF;
	UPDATE carbon_ledger.green_loan g SET repaid = g.repaid + NEW.amount
	WHERE g.loan_no = NEW.loan_no;
	NEW.booked_at := pg_catalog.statement_timestamp();
	RETURN NEW;
END
$$;

-- booking_trigger(name): runs the trigger function carbon_ledger.<name>
-- with the booking flag set (C, src/ledger.c), so that green_loan_check
-- lets the repayment raise repaid.  Not executable by PUBLIC.
CREATE FUNCTION carbon_ledger.booking_trigger()
RETURNS trigger
LANGUAGE C
AS 'MODULE_PATHNAME', 'cl_booking_trigger';

CREATE TRIGGER loan_repayment_check
	BEFORE INSERT ON carbon_ledger.loan_repayment
	FOR EACH ROW EXECUTE FUNCTION
	carbon_ledger.booking_trigger('loan_repayment_check');

-- loan_book_check: a loan book figure is for a GB/T 2260 code in use on
-- its date, of a prefecture-level region or a province (LD015), so that a
-- mistyped code cannot add to the total row's denominator nor a county's
-- figure hide its neighbours'; it is in whole fen (LD033), never rounded, and below 10^18
-- yuan; it is kept with two decimals.  Rows restored from a dump skip the
-- region check, as accounts and loans do (rows a bank added to
-- carbon_ledger.region may be restored after them).
CREATE FUNCTION carbon_ledger.loan_book_check()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	pref		pg_catalog.text;
BEGIN
	IF NOT carbon_ledger.restoring()
		AND NOT @extschema@.gb2260_is_valid(NEW.region_code, NEW.as_of) THEN
		RAISE EXCEPTION USING ERRCODE = 'LD015',
			MESSAGE = format('loan book figure rejected: invalid region code "%s"',
							 NEW.region_code),
			DETAIL = format('Loan book figure of %s: "%s" is not a GB/T 2260 code in use on that date.',
							NEW.as_of, NEW.region_code),
			HINT = 'See carbon_ledger.region for the codes and their years of use.';
	END IF;
	/*
	 * Figures are per prefecture-level region or per province: a report
	 * takes the latest date among the codes of a prefecture, so figures
	 * of its counties, recorded on different dates, would not add up.
	 */
	IF NOT carbon_ledger.restoring() THEN
		pref := @extschema@.gb2260_prefecture(NEW.region_code);
		IF pref IS DISTINCT FROM NEW.region_code
			AND @extschema@.gb2260_province(NEW.region_code)
				IS DISTINCT FROM NEW.region_code THEN
			RAISE EXCEPTION USING ERRCODE = 'LD015',
				MESSAGE = format('loan book figure rejected: region code "%s" is not prefecture-level',
								 NEW.region_code),
				DETAIL = format('Loan book figures are kept per prefecture-level region or per province; "%s" is a county of "%s".',
								NEW.region_code, pref),
				HINT = format('Record the total of "%s" instead.', pref);
		END IF;
	END IF;
	IF NEW.total_loan_balance <> pg_catalog.round(NEW.total_loan_balance, 2) THEN
		RAISE EXCEPTION USING ERRCODE = 'LD033',
			MESSAGE = 'loan book figure rejected: amounts must be whole fen',
			DETAIL = format('The total loan balance of region "%s" on %s is %s yuan; amounts are not rounded.',
							NEW.region_code, NEW.as_of, NEW.total_loan_balance),
			HINT = 'Give yuan amounts with at most two decimals.';
	END IF;
	IF NEW.total_loan_balance >= 1e18 THEN
		RAISE EXCEPTION USING ERRCODE = '22003',
			MESSAGE = 'loan book figure out of range',
			DETAIL = format('The total loan balance of region "%s" on %s is %s yuan; amounts must be below 10^18 yuan.',
							NEW.region_code, NEW.as_of, NEW.total_loan_balance);
	END IF;
	NEW.total_loan_balance := pg_catalog.round(NEW.total_loan_balance, 2);
	RETURN NEW;
END
$$;

CREATE TRIGGER loan_book_check
	BEFORE INSERT OR UPDATE ON carbon_ledger.loan_book
	FOR EACH ROW EXECUTE FUNCTION carbon_ledger.loan_book_check();

-- append_only: rejects UPDATE, DELETE and TRUNCATE of a ledger table.
CREATE FUNCTION carbon_ledger.append_only()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'LD013',
		MESSAGE = format('%s of %s.%s rejected: ledger rows are append-only',
						 TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME),
		DETAIL = CASE WHEN TG_LEVEL = 'ROW' THEN
					 format('The row is %s.', pg_catalog.row_to_json(OLD))
				 ELSE 'TRUNCATE would remove every row.' END,
		HINT = 'Correct a booking with a new row (a reversal for a redemption).';
END
$$;

-- bookkeeping_guard: refuses a row written to a bookkeeping table
-- (request, credit_lot, credit_allocation, credit_expiry) other than by the
-- ledger's booking functions.  No role but the owner has privileges on
-- those tables; this catches the owner's and superusers' own statements.
-- Rows restored from a dump are taken as they come.
CREATE FUNCTION carbon_ledger.bookkeeping_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF carbon_ledger.restoring() THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION USING ERRCODE = 'LD030',
		MESSAGE = format('INSERT into %s.%s rejected: only the ledger''s bookings write it',
						 TG_TABLE_SCHEMA, TG_TABLE_NAME),
		DETAIL = format('The row is %s.', pg_catalog.row_to_json(NEW)),
		HINT = 'Insert into carbon_ledger.activity or carbon_ledger.redemption, or call carbon_ledger.expire_credits().';
END
$$;

DO $$
DECLARE
	t			pg_catalog.text;
BEGIN
	FOREACH t IN ARRAY ARRAY['request', 'credit_lot', 'credit_allocation',
							 'credit_expiry']
	LOOP
		EXECUTE pg_catalog.format(
			'CREATE TRIGGER bookkeeping_guard BEFORE INSERT ON carbon_ledger.%I '
			'FOR EACH ROW WHEN (NOT carbon_ledger.booking()) '
			'EXECUTE FUNCTION carbon_ledger.bookkeeping_guard()', t);
	END LOOP;
	FOREACH t IN ARRAY ARRAY['activity', 'redemption', 'loan_repayment',
							 'request', 'credit_lot', 'credit_allocation',
							 'credit_expiry']
	LOOP
		EXECUTE pg_catalog.format(
			'CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON carbon_ledger.%I '
			'FOR EACH ROW EXECUTE FUNCTION carbon_ledger.append_only()', t);
		EXECUTE pg_catalog.format(
			'CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON carbon_ledger.%I '
			'FOR EACH STATEMENT EXECUTE FUNCTION carbon_ledger.append_only()', t);
	END LOOP;
END
$$;
