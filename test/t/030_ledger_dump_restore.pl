# pg_dump and pg_restore of a database with a ledger: every ledger row,
# balance and bank-added region or USCC exception comes back as it was,
# without the rules booking anything twice; check_balances() is empty in
# the copy, and the copy keeps enforcing the rules and booking new rows.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('ledger_dump');
$node->init;
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'carbon_ledger'");
$node->start;

$node->safe_psql('postgres', 'CREATE DATABASE bank');
$node->safe_psql('bank', q{
SET client_min_messages = warning;
CREATE EXTENSION carbon_ledger;
INSERT INTO carbon_ledger.programme (programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('P', 'dump test', 1000, '100 years'), ('Q', 'short-lived credits', 1000, '1 day');
INSERT INTO carbon_ledger.programme_activity_cap VALUES ('P', 'bus', '5 kg');
INSERT INTO carbon_ledger.region (code, first_year, name, level, parent)
VALUES ('540199', 2025, 'test district', 'county', '540100');
INSERT INTO carbon_ledger.uscc_exception (uscc, reason)
VALUES ('91350100M000100Y44', 'pilot code');
INSERT INTO carbon_ledger.account (account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('A1', 'h1', 'P', '540102', '2024-01-01'), ('A2', 'h2', 'P', '540199', '2025-01-01'),
       ('A3', 'h3', 'Q', '540102', '2024-01-01');
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('A1', 'walk', '10 kg', '2024-01-02', 'a1'), ('A1', 'bus', '9 kg', '2024-06-01', 'a2'),
       ('A2', 'walk', '3 kg', now() - interval '1 day', 'a3'),
       ('A3', 'walk', '10 kg', now() - interval '2 days', 'a4');
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id, redeemed_at)
VALUES ('A1', 6, 'tea', 'r1', '2024-07-01');
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id, redeemed_at, reverses)
SELECT 'A1', 6, 'tea back', 'r2', '2024-08-01', redemption_id
FROM carbon_ledger.redemption WHERE request_id = 'r1';
SELECT carbon_ledger.expire_credits();
INSERT INTO carbon_ledger.green_loan (loan_no, borrower_uscc, region_code, green_category,
	principal, issue_date, maturity_date, rate, project_annual_reduction,
	project_investment, carbon_reduction_loan, carbon_reduction_field)
VALUES ('L1', '91350100M000100Y44', '540102', 'solar', 1000000, '2024-01-01',
	'2027-01-01', 3.1, '900 t', 3000000, true, 'clean energy');
INSERT INTO carbon_ledger.loan_repayment (loan_no, amount, repaid_on)
VALUES ('L1', 250000, '2024-06-01');
INSERT INTO carbon_ledger.loan_book VALUES ('540100', '2024-12-31', 8000000);
});

# one line per table: its rows in a fixed order, as text
my $snapshot_sql = q{
SELECT string_agg(t, E'\n' ORDER BY t) FROM (
  SELECT 'account ' || string_agg(format('%s %s %s %s', account_no, status, balance, closed_at IS NULL), ',' ORDER BY account_no) FROM carbon_ledger.account
  UNION ALL SELECT 'activity ' || string_agg(format('%s %s %s %s', activity_id, request_id, reduction, credits), ',' ORDER BY activity_id) FROM carbon_ledger.activity
  UNION ALL SELECT 'redemption ' || string_agg(format('%s %s %s %s', redemption_id, request_id, credits, reverses), ',' ORDER BY redemption_id) FROM carbon_ledger.redemption
  UNION ALL SELECT 'request ' || count(*) FROM carbon_ledger.request
  UNION ALL SELECT 'lots ' || string_agg(format('%s %s %s', lot_id, credits, expires_at), ',' ORDER BY lot_id) FROM carbon_ledger.credit_lot
  UNION ALL SELECT 'allocations ' || string_agg(format('%s %s %s', redemption_id, lot_id, credits), ',' ORDER BY redemption_id, lot_id) FROM carbon_ledger.credit_allocation
  UNION ALL SELECT 'expiries ' || string_agg(format('%s %s', lot_id, credits), ',' ORDER BY lot_id, credits) FROM carbon_ledger.credit_expiry
  UNION ALL SELECT 'loans ' || string_agg(format('%s %s %s %s %s', loan_no, principal, attributed_reduction, refinance_amount, repaid), ',') FROM carbon_ledger.green_loan
  UNION ALL SELECT 'repayments ' || string_agg(format('%s %s', loan_no, amount), ',') FROM carbon_ledger.loan_repayment
  UNION ALL SELECT 'book ' || count(*) FROM carbon_ledger.loan_book
  UNION ALL SELECT 'regions ' || count(*) FROM carbon_ledger.region
  UNION ALL SELECT 'exceptions ' || count(*) FROM carbon_ledger.uscc_exception
) s(t)};
my $before = $node->safe_psql('bank', $snapshot_sql);
# a4's lot (its id is a4's activity_id) expired and was written off whole
my ($a4_lot) = $before =~ /(\d+) a4 /;
like($before, qr/^expiries $a4_lot 10$/m, 'the original has an expired lot written off');

my $dump = $node->basedir . '/bank.dump';
$node->command_ok([ 'pg_dump', '-Fc', '-f', $dump, '-d', $node->connstr('bank') ],
	'pg_dump, custom format');
my $plain = $node->basedir . '/bank.sql';
$node->command_ok([ 'pg_dump', '-f', $plain, '-d', $node->connstr('bank') ],
	'pg_dump, plain format');

$node->safe_psql('postgres', 'CREATE DATABASE copy1');
# Restores run as one transaction, as docs/ledger.md recommends: the
# background sealer then never sees the copy half restored (it would seal
# the copy's own installation records into blocks whose numbers the
# restored chain is about to bring).
$node->command_ok([ 'pg_restore', '--exit-on-error', '--single-transaction',
	'-d', $node->connstr('copy1'), $dump ],
	'pg_restore');
$node->safe_psql('postgres', 'CREATE DATABASE copy2');
$node->command_ok([ 'psql', '-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1', '-f', $plain,
	'-d', $node->connstr('copy2') ], 'plain dump script through psql');

for my $copy ('copy1', 'copy2')
{
	is($node->safe_psql($copy, $snapshot_sql), $before, "$copy: every row as it was");
	$node->safe_psql($copy, 'SELECT carbon_ledger.audit_seal()');
	is($node->safe_psql($copy, 'SELECT valid FROM carbon_ledger.audit_verify()'),
		't', "$copy: the audit chain verifies");
	is($node->safe_psql($copy, 'SELECT count(*) FROM carbon_ledger.check_balances()'),
		'0', "$copy: check_balances() finds nothing");

	# the rules hold in the copy, and new bookings continue the sequences
	my ($rc, $out, $err) = $node->psql($copy, q{
		INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
		VALUES ('A2', 4, 'rice', 'r9')});
	like($err, qr/credits exceed the available balance/, "$copy: overdraw rejected");
	($rc, $out, $err) = $node->psql($copy, q{
		INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
		VALUES ('A1', 1, 'tea', 'r1')});
	like($err, qr/already used for a different request/, "$copy: request_ids kept");
	($rc, $out, $err) = $node->psql($copy, q{
		UPDATE carbon_ledger.account SET balance = 100 WHERE account_no = 'A1'});
	like($err, qr/kept by the database/, "$copy: balance guarded");
	is($node->safe_psql($copy, q{
		INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
		VALUES ('A2', 2, 'rice', 'r10') RETURNING redemption_id > 2;
		SELECT balance FROM carbon_ledger.account WHERE account_no = 'A2';}),
		"t\n1", "$copy: a new redemption books");
}

$node->stop;
done_testing();
