-- carbon_ledger demo, run by tools/demo/load.sh: installs the extension
-- and makes sure the ledger tables are audited.  The SPEC has them audited
-- from installation; while the install script does not do it yet, the
-- demo enables the audit trigger itself on every ledger table that lacks
-- it (and says so), so that every row it loads lands in the audit trail.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION carbon_ledger;
SELECT '   audit trail enabled by the demo on ' || string_agg(t, ', ')
	   || format(' (%s tables)', count(enabled IS NULL)) AS " "
FROM (SELECT t, carbon_ledger.audit_enable(('carbon_ledger.' || t)::regclass)
				AS enabled
	  FROM unnest(ARRAY['programme', 'programme_activity_cap', 'account',
						'activity', 'redemption', 'green_loan',
						'loan_repayment', 'loan_book']) AS t
	  WHERE NOT EXISTS (SELECT 1 FROM pg_trigger g
						WHERE g.tgrelid = ('carbon_ledger.' || t)::regclass
						  AND g.tgname = 'carbon_ledger_audit')) s
HAVING count(*) > 0 \g (tuples_only=on format=unaligned)
