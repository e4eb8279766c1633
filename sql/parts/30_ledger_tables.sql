-- carbon_ledger install script, part 30: the ledger model's tables.
--
-- Programmes, accounts, activities (credits earned), redemptions (credits
-- spent), the credit lots that make expiry "oldest first" possible, green
-- loans and their repayments, and the bank's total loan book per region.
-- The rules are enforced by the triggers of parts 31 and 32; the names of
-- tables and columns here are the stable interface (docs/ledger.md).
-- Every key of a table that follows an account begins with account_no,
-- and every key of a table that follows a loan with loan_no, so that the
-- tables can be distributed by those columns (docs/scale-out.md, "Citus").

-- kind_is_normal(kind): whether an activity kind is in normal form:
-- lowercase, not empty, no space at either end or two in a row, no
-- invisible or full-width character, so that a kind a person reads as
-- another cannot escape that one's daily cap (docs/ledger.md).
CREATE FUNCTION carbon_ledger.kind_is_normal(kind pg_catalog.text)
RETURNS pg_catalog.bool
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'cl_kind_is_normal';
COMMENT ON FUNCTION carbon_ledger.kind_is_normal(pg_catalog.text) IS
	'whether an activity kind is in normal form (lowercase, single inner spaces, no invisible or full-width characters)';

CREATE TABLE carbon_ledger.programme (
	programme_id pg_catalog.text PRIMARY KEY,
	name		pg_catalog.text NOT NULL,
	/* NaN and Infinity sort above every number: "> 0" alone lets them in */
	credits_per_tonne pg_catalog.numeric NOT NULL
		CHECK (credits_per_tonne OPERATOR(pg_catalog.>) 0
			   AND credits_per_tonne OPERATOR(pg_catalog.<)
			   'Infinity'::pg_catalog.numeric),
	credit_lifetime pg_catalog.interval NOT NULL
		CHECK (credit_lifetime OPERATOR(pg_catalog.>) '0'::pg_catalog.interval),
	time_zone	pg_catalog.text NOT NULL DEFAULT 'Asia/Shanghai'
		/* an unknown zone fails here (22023), not at the first activity */
		CHECK (pg_catalog.timezone(time_zone,
				'2000-01-01 00:00+00'::pg_catalog.timestamptz) IS NOT NULL),
	created_at	pg_catalog.timestamptz NOT NULL
		DEFAULT pg_catalog.statement_timestamp()
);
COMMENT ON TABLE carbon_ledger.programme IS
	'personal carbon account programmes: credit rate, lifetime and the time zone of their days';
COMMENT ON COLUMN carbon_ledger.programme.credits_per_tonne IS
	'credits granted per tonne of CO2e reduced';
COMMENT ON COLUMN carbon_ledger.programme.credit_lifetime IS
	'credits expire this long after the activity that earned them';
COMMENT ON COLUMN carbon_ledger.programme.time_zone IS
	'time zone deciding what a day is for the daily caps and credit expiry';

CREATE TABLE carbon_ledger.programme_activity_cap (
	programme_id pg_catalog.text NOT NULL
		REFERENCES carbon_ledger.programme ON UPDATE CASCADE,
	kind		pg_catalog.text NOT NULL
		CONSTRAINT programme_activity_cap_kind_normalised
		CHECK (carbon_ledger.kind_is_normal(kind)),
	daily_cap	@extschema@.tco2e NOT NULL
		CHECK (@extschema@.tco2e_grams(daily_cap) OPERATOR(pg_catalog.>=) 0),
	PRIMARY KEY (programme_id, kind)
);
COMMENT ON TABLE carbon_ledger.programme_activity_cap IS
	'per account and local day, the CO2e of an activity kind that earns credits; kinds not listed are uncapped';

CREATE TABLE carbon_ledger.account (
	account_no	pg_catalog.text PRIMARY KEY,
	holder_ref	pg_catalog.text NOT NULL,
	programme_id pg_catalog.text NOT NULL
		REFERENCES carbon_ledger.programme ON UPDATE CASCADE,
	region_code pg_catalog.text NOT NULL,
	opened_at	pg_catalog.timestamptz NOT NULL
		DEFAULT pg_catalog.statement_timestamp(),
	status		pg_catalog.text NOT NULL DEFAULT 'active'
		CHECK (status OPERATOR(pg_catalog.=) ANY
			   (ARRAY['active', 'frozen', 'closed'])),
	closed_at	pg_catalog.timestamptz,
	balance		@extschema@.carbon_credit NOT NULL
		DEFAULT CAST(0 AS @extschema@.carbon_credit)
) WITH (fillfactor = 50);
CREATE INDEX ON carbon_ledger.account (region_code);
COMMENT ON TABLE carbon_ledger.account IS
	'personal carbon accounts; balance is kept by the database';
COMMENT ON COLUMN carbon_ledger.account.holder_ref IS
	'pseudonymous reference to the holder (never the identity number itself)';
COMMENT ON COLUMN carbon_ledger.account.balance IS
	'credits available, as of the last booking on the account (expired lots written off); read-only';

CREATE TABLE carbon_ledger.activity (
	activity_id pg_catalog.int8 GENERATED ALWAYS AS IDENTITY,
	account_no	pg_catalog.text NOT NULL,
	kind		pg_catalog.text NOT NULL
		CONSTRAINT activity_kind_normalised
		CHECK (carbon_ledger.kind_is_normal(kind)),
	reduction	@extschema@.tco2e NOT NULL,
	credits		@extschema@.carbon_credit NOT NULL,
	credits_uncapped @extschema@.carbon_credit NOT NULL,
	occurred_at pg_catalog.timestamptz NOT NULL,
	request_id	pg_catalog.text NOT NULL,
	booked_at	pg_catalog.timestamptz NOT NULL
		DEFAULT pg_catalog.statement_timestamp(),
	PRIMARY KEY (account_no, activity_id)
);
CREATE INDEX ON carbon_ledger.activity (account_no, kind, occurred_at);
COMMENT ON TABLE carbon_ledger.activity IS
	'credits earned by low-carbon activity (append-only)';
COMMENT ON COLUMN carbon_ledger.activity.request_id IS
	'idempotency key, unique across activities and redemptions (carbon_ledger.request)';
COMMENT ON COLUMN carbon_ledger.activity.reduction IS
	'CO2e reduction reported, kept in full even beyond the daily cap';
COMMENT ON COLUMN carbon_ledger.activity.credits IS
	'credits granted: the programme rate applied to the reduction within the daily cap, truncated to a thousandth';
COMMENT ON COLUMN carbon_ledger.activity.credits_uncapped IS
	'credits the whole reduction would have earned without the daily cap';

CREATE TABLE carbon_ledger.redemption (
	redemption_id pg_catalog.int8 GENERATED ALWAYS AS IDENTITY,
	account_no	pg_catalog.text NOT NULL,
	credits		@extschema@.carbon_credit NOT NULL,
	item		pg_catalog.text NOT NULL,
	request_id	pg_catalog.text NOT NULL,
	reverses	pg_catalog.int8,
	redeemed_at pg_catalog.timestamptz NOT NULL
		DEFAULT pg_catalog.statement_timestamp(),
	booked_at	pg_catalog.timestamptz NOT NULL
		DEFAULT pg_catalog.statement_timestamp(),
	PRIMARY KEY (account_no, redemption_id),
	/* a redemption is reversed at most once, by its own account */
	UNIQUE (account_no, reverses),
	FOREIGN KEY (account_no, reverses)
		REFERENCES carbon_ledger.redemption (account_no, redemption_id)
);
COMMENT ON TABLE carbon_ledger.redemption IS
	'credits spent on goods, and reversals of earlier redemptions (append-only)';
COMMENT ON COLUMN carbon_ledger.redemption.reverses IS
	'for a reversal: the redemption it gives back (same account, same credits, once)';

-- Every request_id of activities and redemptions, with the content it
-- carried: a retry of the same request is told apart from a reuse of the
-- id for another one.  Its key is what makes request_ids unique across
-- both tables (the booking triggers claim the id under the account lock;
-- the ledger tables themselves carry no second unique index).  The
-- booking triggers also check that the account exists, under its lock, in
-- place of a foreign key, and the account guard refuses to delete an
-- account that has ledger rows.
CREATE TABLE carbon_ledger.request (
	request_id	pg_catalog.text PRIMARY KEY,
	operation	pg_catalog.text NOT NULL,
	account_no	pg_catalog.text NOT NULL,
	content		pg_catalog.jsonb NOT NULL,
	booked_at	pg_catalog.timestamptz NOT NULL
		DEFAULT pg_catalog.statement_timestamp()
);
COMMENT ON TABLE carbon_ledger.request IS
	'idempotency keys of activities and redemptions with a digest of their content (append-only)';

-- Credit lots: one per activity that earned credits, with its expiry.
CREATE TABLE carbon_ledger.credit_lot (
	lot_id		pg_catalog.int8 NOT NULL,
	account_no	pg_catalog.text NOT NULL,
	credits		@extschema@.carbon_credit NOT NULL,
	earned_at	pg_catalog.timestamptz NOT NULL,
	expires_at	pg_catalog.timestamptz NOT NULL,
	PRIMARY KEY (account_no, lot_id)
);
CREATE INDEX ON carbon_ledger.credit_lot (account_no, expires_at, lot_id);
COMMENT ON TABLE carbon_ledger.credit_lot IS
	'credits earned by one activity (lot_id = activity_id) and when they expire (append-only)';

-- Which lots a redemption consumed (positive) or a reversal gave back
-- (negative), so that reversals restore the very same lots.
CREATE TABLE carbon_ledger.credit_allocation (
	redemption_id pg_catalog.int8 NOT NULL,
	lot_id		pg_catalog.int8 NOT NULL,
	account_no	pg_catalog.text NOT NULL,
	credits		@extschema@.carbon_credit NOT NULL,
	PRIMARY KEY (account_no, redemption_id, lot_id)
);
CREATE INDEX ON carbon_ledger.credit_allocation (account_no, lot_id);
COMMENT ON TABLE carbon_ledger.credit_allocation IS
	'credits each redemption took from each lot (negative for a reversal) (append-only)';

-- Write-offs of what was left in a lot when it expired.  A lot can be
-- written off more than once (a reversal gives credits back to an expired
-- lot), so (account_no, lot_id) is not a key: each write-off has an
-- identity, and the key leads with account_no, the column the table is
-- distributed by on Citus (docs/scale-out.md), which also needs a key for
-- the logical replication of its shard moves.
CREATE TABLE carbon_ledger.credit_expiry (
	expiry_id	pg_catalog.int8 GENERATED ALWAYS AS IDENTITY,
	lot_id		pg_catalog.int8 NOT NULL,
	account_no	pg_catalog.text NOT NULL,
	credits		@extschema@.carbon_credit NOT NULL,
	expired_at	pg_catalog.timestamptz NOT NULL,
	written_off_at pg_catalog.timestamptz NOT NULL
		DEFAULT pg_catalog.statement_timestamp(),
	PRIMARY KEY (account_no, expiry_id)
);
CREATE INDEX ON carbon_ledger.credit_expiry (account_no, lot_id);
COMMENT ON TABLE carbon_ledger.credit_expiry IS
	'credits written off when their lot expired (append-only)';

CREATE TABLE carbon_ledger.green_loan (
	loan_no		pg_catalog.text PRIMARY KEY,
	borrower_uscc pg_catalog.text NOT NULL,
	region_code pg_catalog.text NOT NULL,
	green_category pg_catalog.text NOT NULL,
	/* plain numeric: a typmod would round 1000.005 before any check */
	principal	pg_catalog.numeric NOT NULL,
	issue_date	pg_catalog.date NOT NULL,
	maturity_date pg_catalog.date NOT NULL,
	rate		pg_catalog.numeric(7, 4) NOT NULL
		CHECK (rate OPERATOR(pg_catalog.>=) 0),
	project_annual_reduction @extschema@.tco2e,
	project_investment pg_catalog.numeric NOT NULL,
	attributed_reduction @extschema@.tco2e,
	carbon_reduction_loan pg_catalog.bool NOT NULL DEFAULT false,
	carbon_reduction_field pg_catalog.text,
	refinance_amount pg_catalog.numeric(20, 2),
	refinance_rate pg_catalog.numeric(7, 4),
	refinance_maturity pg_catalog.date,
	repaid		pg_catalog.numeric NOT NULL DEFAULT 0.00,
	booked_at	pg_catalog.timestamptz NOT NULL
		DEFAULT pg_catalog.statement_timestamp()
);
CREATE INDEX ON carbon_ledger.green_loan (region_code);
COMMENT ON TABLE carbon_ledger.green_loan IS
	'green loans, with the reduction attributed to each and the central bank refinancing of carbon-reduction loans';
COMMENT ON COLUMN carbon_ledger.green_loan.rate IS 'annual interest rate, in percent';
COMMENT ON COLUMN carbon_ledger.green_loan.attributed_reduction IS
	'project annual reduction x principal / investment, to the gram (kept by the database)';
COMMENT ON COLUMN carbon_ledger.green_loan.repaid IS
	'principal repaid so far, kept by the database (updated by every repayment under the loan''s lock)';
COMMENT ON COLUMN carbon_ledger.green_loan.refinance_amount IS
	'carbon emission reduction facility: 60% of principal to the fen (kept by the database)';

CREATE TABLE carbon_ledger.loan_repayment (
	repayment_id pg_catalog.int8 GENERATED ALWAYS AS IDENTITY,
	loan_no		pg_catalog.text NOT NULL REFERENCES carbon_ledger.green_loan,
	amount		pg_catalog.numeric NOT NULL,
	repaid_on	pg_catalog.date NOT NULL,
	booked_at	pg_catalog.timestamptz NOT NULL
		DEFAULT pg_catalog.statement_timestamp(),
	PRIMARY KEY (loan_no, repayment_id)
);
CREATE INDEX ON carbon_ledger.loan_repayment (loan_no, repaid_on);
COMMENT ON TABLE carbon_ledger.loan_repayment IS
	'repayments of green loan principal (append-only)';

-- The bank's total loan balance (all loans, green or not) per region and
-- date, the denominator of the green share in regional_summary.
CREATE TABLE carbon_ledger.loan_book (
	region_code pg_catalog.text NOT NULL,
	as_of		pg_catalog.date NOT NULL,
	total_loan_balance pg_catalog.numeric NOT NULL
		CHECK (total_loan_balance OPERATOR(pg_catalog.>=) 0),
	PRIMARY KEY (region_code, as_of)
);
COMMENT ON TABLE carbon_ledger.loan_book IS
	'total balance of all the bank''s loans per region (prefecture or province level) on a date';

SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.programme', '');
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.programme_activity_cap', '');
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.account', '');
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.activity', '');
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.redemption', '');
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.request', '');
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.credit_lot', '');
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.credit_allocation', '');
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.credit_expiry', '');
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.green_loan', '');
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.loan_repayment', '');
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.loan_book', '');
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.activity_activity_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.redemption_redemption_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.loan_repayment_repayment_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.credit_expiry_expiry_id_seq', '');
