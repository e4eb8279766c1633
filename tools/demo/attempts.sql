-- carbon_ledger demo, part of tools/demo/demo.sql: bookings that the rules
-- must reject, each tried in its own subtransaction so that the demo goes
-- on, and shown with the SQLSTATE and the message the ledger raised.  An
-- attempt the ledger accepted would be rolled back and shown as ACCEPTED
-- (the demo's test fails on it).

CREATE SCHEMA demo;

-- demo.attempt: what was tried and how the database answered.
CREATE TABLE demo.attempt (
	n			serial PRIMARY KEY,
	what		text NOT NULL,
	expected	text NOT NULL,
	sqlstate	text NOT NULL,
	message		text NOT NULL,
	detail		text
);

-- demo.try(what, expected SQLSTATE, statement): runs the statement in a
-- subtransaction and records the error it raised; a statement that
-- succeeds is undone and recorded as ACCEPTED.
CREATE PROCEDURE demo.try(what text, expected text, stmt text)
LANGUAGE plpgsql
AS $$
DECLARE
	st			text;
	msg			text;
	det			text;
BEGIN
	BEGIN
		EXECUTE stmt;
		RAISE EXCEPTION USING ERRCODE = 'DM001', MESSAGE = 'ACCEPTED';
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
			det = PG_EXCEPTION_DETAIL;
	END;
	IF st = 'DM001' THEN
		st := 'none';
		msg := 'ACCEPTED: the rules should have rejected this';
	END IF;
	INSERT INTO demo.attempt (what, expected, sqlstate, message, detail)
	VALUES (what, expected, st, msg, nullif(det, ''));
END
$$;

-- The accounts and rows the attempts use, taken from the data set.
SELECT r.redemption_id AS reversed_id, r.account_no AS reversed_acc,
	   r.credits AS reversed_credits
FROM carbon_ledger.redemption r
WHERE r.redemption_id IN (SELECT reverses FROM carbon_ledger.redemption)
ORDER BY r.redemption_id LIMIT 1 \gset
SELECT r.redemption_id AS plain_id, r.account_no AS plain_acc,
	   r.credits AS plain_credits, r.credits + '1'::carbon_credit AS more_credits,
	   r.item AS plain_item, r.request_id AS plain_request,
	   r.redeemed_at AS plain_at
FROM carbon_ledger.redemption r
WHERE r.reverses IS NULL
  AND r.redemption_id NOT IN (SELECT reverses FROM carbon_ledger.redemption
							  WHERE reverses IS NOT NULL)
ORDER BY r.redemption_id LIMIT 1 \gset
SELECT account_no AS rich, balance AS rich_balance,
	   balance + '1'::carbon_credit AS overdraw
FROM carbon_ledger.account WHERE region_code = '540102'
  AND account_no NOT IN (:'plain_acc', :'reversed_acc')
ORDER BY balance DESC, account_no LIMIT 1 \gset
SELECT account_no AS holder FROM carbon_ledger.account
WHERE region_code = '540502' AND balance >= '10'::carbon_credit
  AND account_no NOT IN (:'plain_acc', :'reversed_acc')
ORDER BY account_no LIMIT 1 \gset
SELECT loan_no AS loan, principal + 0.01 AS too_much
FROM carbon_ledger.green_loan WHERE region_code LIKE '5401%'
  AND NOT carbon_reduction_loan AND maturity_date > '2025-03-31'
ORDER BY principal DESC LIMIT 1 \gset
SELECT borrower_uscc AS good_uscc,
	   left(borrower_uscc, 17) ||
	   CASE WHEN right(borrower_uscc, 1) = '0' THEN '1' ELSE '0' END AS bad_uscc,
	   region_code AS good_region
FROM carbon_ledger.green_loan ORDER BY loan_no LIMIT 1 \gset

\echo
\echo '== attempts the rules must reject'
\echo '   (account ':rich' is the richest in Chengguan with ':rich_balance' credits;'
\echo '    account ':holder' in Nedong is frozen first, as a bank does when a holder'
\echo '    reports a lost phone)'
UPDATE carbon_ledger.account SET status = 'frozen'
WHERE account_no = :'holder';

CALL demo.try('redeem more credits than the balance', 'LD005',
	format($s$INSERT INTO carbon_ledger.redemption
			  (account_no, credits, item, request_id, redeemed_at)
			  VALUES (%L, %L, 'solar cooker', 'demo-overdraw',
					  '2025-03-31 23:00+08')$s$,
		   :'rich', :'overdraw'));
CALL demo.try('redeem on a frozen account', 'LD003',
	format($s$INSERT INTO carbon_ledger.redemption
			  (account_no, credits, item, request_id, redeemed_at)
			  VALUES (%L, 5, 'reusable shopping bag', 'demo-frozen',
					  '2025-03-31 20:00+08')$s$, :'holder'));
CALL demo.try('book an activity on a frozen account', 'LD003',
	format($s$INSERT INTO carbon_ledger.activity
			  (account_no, kind, reduction, occurred_at, request_id)
			  VALUES (%L, 'bus', '1.2 kg', '2025-03-31 12:00+08',
					  'demo-frozen-activity')$s$, :'holder'));
CALL demo.try('replay a redemption already booked (client retry)', 'LD006',
	format($s$INSERT INTO carbon_ledger.redemption
			  (account_no, credits, item, request_id, redeemed_at)
			  VALUES (%L, %L, %L, %L, %L)$s$,
		   :'plain_acc', :'plain_credits', :'plain_item', :'plain_request',
		   :'plain_at'));
CALL demo.try('reuse a request_id for a different redemption', 'LD007',
	format($s$INSERT INTO carbon_ledger.redemption
			  (account_no, credits, item, request_id, redeemed_at)
			  VALUES (%L, 1, 'drinking water', %L, '2025-03-31 20:00+08')$s$,
		   :'plain_acc', :'plain_request'));
CALL demo.try('redeem zero credits', 'LD001',
	format($s$INSERT INTO carbon_ledger.redemption
			  (account_no, credits, item, request_id, redeemed_at)
			  VALUES (%L, 0, 'nothing', 'demo-zero', '2025-03-31 20:00+08')$s$,
		   :'rich'));
CALL demo.try('redeem on an account that does not exist', 'LD002',
	$s$INSERT INTO carbon_ledger.redemption
	   (account_no, credits, item, request_id, redeemed_at)
	   VALUES ('XZ99999999', 5, 'toothpaste', 'demo-missing',
			   '2025-03-31 20:00+08')$s$);
CALL demo.try('reverse a redemption a second time', 'LD010',
	format($s$INSERT INTO carbon_ledger.redemption
			  (account_no, credits, item, request_id, redeemed_at, reverses)
			  VALUES (%L, %L, 'return again', 'demo-reverse-twice',
					  '2025-03-31 20:00+08', %s)$s$,
		   :'reversed_acc', :'reversed_credits', :'reversed_id'));
CALL demo.try('reverse a redemption for different credits', 'LD009',
	format($s$INSERT INTO carbon_ledger.redemption
			  (account_no, credits, item, request_id, redeemed_at, reverses)
			  VALUES (%L, %L, 'return, more', 'demo-reverse-more',
					  '2025-03-31 20:00+08', %s)$s$,
		   :'plain_acc', :'more_credits', :'plain_id'));
CALL demo.try('book an activity dated in the future', 'LD012',
	format($s$INSERT INTO carbon_ledger.activity
			  (account_no, kind, reduction, occurred_at, request_id)
			  VALUES (%L, 'walking', '0.6 kg', now() + interval '1 day',
					  'demo-future')$s$, :'rich'));
CALL demo.try('book an activity with no reduction', 'LD011',
	format($s$INSERT INTO carbon_ledger.activity
			  (account_no, kind, reduction, occurred_at, request_id)
			  VALUES (%L, 'cycling', '0 g', '2025-03-31 12:00+08',
					  'demo-zero-activity')$s$, :'rich'));
CALL demo.try('rewrite an activity (ledger rows are append-only)', 'LD013',
	format($s$UPDATE carbon_ledger.activity SET reduction = '10 t'
			  WHERE account_no = %L$s$, :'rich'));
CALL demo.try('set a balance directly', 'LD014',
	format($s$UPDATE carbon_ledger.account SET balance = 1000000
			  WHERE account_no = %L$s$, :'rich'));
CALL demo.try('book a loan whose USCC check character is wrong', 'LD016',
	format($s$INSERT INTO carbon_ledger.green_loan
			  (loan_no, borrower_uscc, region_code, green_category, principal,
			   issue_date, maturity_date, rate, project_investment)
			  VALUES ('DEMO-USCC', %L, %L, 'clean energy', 50000000,
					  '2025-03-20', '2030-03-20', 3.2, 80000000)$s$,
		   :'bad_uscc', :'good_region'));
CALL demo.try('book a loan in a development zone code (not GB/T 2260)', 'LD015',
	format($s$INSERT INTO carbon_ledger.green_loan
			  (loan_no, borrower_uscc, region_code, green_category, principal,
			   issue_date, maturity_date, rate, project_investment)
			  VALUES ('DEMO-REGION', %L, '540171', 'clean energy', 50000000,
					  '2025-03-20', '2030-03-20', 3.2, 80000000)$s$,
		   :'good_uscc'));
CALL demo.try('book a carbon-reduction loan outside the eligible fields', 'LD020',
	format($s$INSERT INTO carbon_ledger.green_loan
			  (loan_no, borrower_uscc, region_code, green_category, principal,
			   issue_date, maturity_date, rate, project_investment,
			   project_annual_reduction, carbon_reduction_loan,
			   carbon_reduction_field)
			  VALUES ('DEMO-FIELD', %L, %L, 'ecological environment',
					  50000000, '2025-03-20', '2030-03-20', 3.2, 80000000,
					  '900 t', true, 'ecological environment')$s$,
		   :'good_uscc', :'good_region'));
CALL demo.try('repay more than a loan''s outstanding balance', 'LD022',
	format($s$INSERT INTO carbon_ledger.loan_repayment (loan_no, amount, repaid_on)
			  VALUES (%L, %L, '2025-03-31')$s$, :'loan', :'too_much'));
CALL demo.try('write "24.29 tons" (an ambiguous unit)', '22P02',
	$s$SELECT '24.29 tons'::tco2e$s$);

SELECT format('%2s. %s%s', n, what,
			  CASE WHEN sqlstate = expected THEN '' ELSE
				  format('  [expected %s]', expected) END)
	   || E'\n    ' || sqlstate || ': ' || message
	   || coalesce(E'\n    ' || detail, '') AS " "
FROM demo.attempt ORDER BY n \g (tuples_only=on format=unaligned)
SELECT format('   %s attempts, %s rejected with the expected SQLSTATE',
			  count(*), count(*) FILTER (WHERE sqlstate = expected)) AS " "
FROM demo.attempt \g (tuples_only=on format=unaligned)
