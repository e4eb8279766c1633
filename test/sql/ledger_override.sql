-- A booking row always gets a fresh id from its identity sequence.  A
-- client may supply one (OVERRIDING SYSTEM VALUE needs nothing but INSERT)
-- and add ON CONFLICT DO NOTHING: had the trigger kept an id that exists
-- already, the executor would have dropped the row after the trigger had
-- booked its credits, lot and balance, minting credits out of nothing.
-- The same for redemptions (a phantom allocation) and repayments.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
SET TimeZone = 'UTC';
BEGIN;
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('OVR', 'override test', 100, '10 years');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('OVR-1', 'h1', 'OVR', '540102', '2024-01-01');
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('OVR-1', 'walk', '10 kg', '2024-06-01 12:00+00', 'ovr-a1')
RETURNING activity_id AS seed_activity \gset

-- an activity naming the seed's id: inserted under a fresh id, 1 credit
INSERT INTO carbon_ledger.activity
	(activity_id, account_no, kind, reduction, occurred_at, request_id)
OVERRIDING SYSTEM VALUE
VALUES (:seed_activity, 'OVR-1', 'walk', '10 kg', '2024-06-02 12:00+00', 'ovr-a2')
ON CONFLICT DO NOTHING;
SELECT request_id, activity_id = :seed_activity AS kept_given_id, credits
FROM carbon_ledger.activity WHERE account_no = 'OVR-1' ORDER BY request_id;

-- a redemption naming an existing id
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('OVR-1', '0.5', 'tea', 'ovr-r1')
RETURNING redemption_id AS seed_redemption \gset
INSERT INTO carbon_ledger.redemption
	(redemption_id, account_no, credits, item, request_id)
OVERRIDING SYSTEM VALUE
VALUES (:seed_redemption, 'OVR-1', '0.5', 'tea', 'ovr-r2')
ON CONFLICT DO NOTHING;
SELECT r.request_id, r.redemption_id = :seed_redemption AS kept_given_id,
	   r.credits, (SELECT sum(carbon_credit_thousandths(c.credits))
				   FROM carbon_ledger.credit_allocation c
				   WHERE c.account_no = r.account_no
					 AND c.redemption_id = r.redemption_id) AS allocated
FROM carbon_ledger.redemption r WHERE r.account_no = 'OVR-1'
ORDER BY r.request_id;
SELECT balance FROM carbon_ledger.account WHERE account_no = 'OVR-1';
SELECT * FROM carbon_ledger.check_balances() WHERE account_no = 'OVR-1';

-- a repayment naming an existing id
INSERT INTO carbon_ledger.green_loan
	(loan_no, borrower_uscc, region_code, green_category, principal,
	 issue_date, maturity_date, rate, project_investment)
VALUES ('OVR-L1', '91350100M000100Y43', '540102', 'clean energy', 1000,
		'2024-01-01', '2026-01-01', 3.5, 2000);
INSERT INTO carbon_ledger.loan_repayment (loan_no, amount, repaid_on)
VALUES ('OVR-L1', 100, '2024-06-01')
RETURNING repayment_id AS seed_repayment \gset
INSERT INTO carbon_ledger.loan_repayment (repayment_id, loan_no, amount, repaid_on)
OVERRIDING SYSTEM VALUE VALUES (:seed_repayment, 'OVR-L1', 900, '2024-07-01')
ON CONFLICT DO NOTHING;
SELECT g.repaid, (SELECT sum(amount) FROM carbon_ledger.loan_repayment r
				  WHERE r.loan_no = g.loan_no) AS repayments,
	   (SELECT count(DISTINCT repayment_id) FROM carbon_ledger.loan_repayment r
		WHERE r.loan_no = g.loan_no) AS ids
FROM carbon_ledger.green_loan g WHERE g.loan_no = 'OVR-L1';
ROLLBACK;
