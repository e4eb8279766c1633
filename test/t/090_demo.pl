# The demo's own test: loads the Xizang reference data set exactly as
# "make demo" does (tools/demo/load.sh: generator, ledger tables, triggers,
# audit trail), runs the demo's report (tools/demo/demo.sql) and checks the
# published figures the data set is built to match (docs/demo.md), that
# every attempt the rules must reject was rejected with its SQLSTATE, that
# the balances recompute, and that the audit chain verifies.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $top = $ENV{TESTDIR} || '.';
my $tools = "$top/tools/demo";

# The generator is deterministic: two runs write the same bytes.
my $tmp = PostgreSQL::Test::Utils::tempdir;
for my $run (1, 2)
{
	mkdir "$tmp/run$run";
	command_ok([ 'perl', "$tools/generate.pl", '--out', "$tmp/run$run",
		'--sessions', '2' ], "generator run $run");
}
for my $f (qw(setup session-1 session-2 loans))
{
	is(slurp_file("$tmp/run1/$f.sql"), slurp_file("$tmp/run2/$f.sql"),
		"generator writes the same $f.sql every time");
}

my $node = PostgreSQL::Test::Cluster->new('demo');
$node->init;
# The chain is sealed on demand after the bulk load, as make demo does on
# its own cluster (docs/limitations.md, "Demo").
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'carbon_ledger'\ncarbon_ledger.seal_interval = 0");
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE carbon_demo');

# Load through the same script as make demo, against this node.
{
	local $ENV{PGHOST} = $node->host;
	local $ENV{PGPORT} = $node->port;
	local $ENV{PGDATABASE} = 'postgres';
	my ($out, $err) = run_command([ "$tools/load.sh", 'carbon_demo', '2' ]);
	like($out, qr/loaded in \d+\.\d s/, 'load.sh loaded the data set')
	  or diag($out, $err);

	# The report, as make demo prints it.
	($out, $err) = run_command([ 'psql', '-X', '-v', 'ON_ERROR_STOP=1',
		'-d', 'carbon_demo', '-f', "$tools/demo.sql" ]);
	like($out, qr/18 attempts, 18 rejected with the expected SQLSTATE/,
		'every attempt the rules must reject was rejected as expected')
	  or diag($out, $err);
	unlike($out, qr/ACCEPTED|\|\s*NO\s*$/m, 'no attempt accepted, no figure missed');
	like($out, qr/ 0 account\(s\) differ/, 'the report found no balance off');
	is($err, '', 'the report wrote nothing on stderr');
}

# The published figures, from the ledger's own regional_summary.
my $q1 = q{FROM carbon_ledger.regional_summary('2025-01-01', '2025-03-31')
	WHERE region_code IS NULL};
is($node->safe_psql('carbon_demo', "SELECT accounts, new_accounts $q1"),
	'37901|6549', '37,901 accounts at 2025-03-31, 6,549 opened in 2025 Q1');
is($node->safe_psql('carbon_demo', q{
	SELECT (SELECT count(*) FROM carbon_ledger.activity)
		 + (SELECT count(*) FROM carbon_ledger.redemption)}),
	'470800', '470,800 activities and redemptions');
is($node->safe_psql('carbon_demo', q{
	SELECT count(*) FILTER (WHERE reverses IS NOT NULL), count(*)
	FROM carbon_ledger.redemption}),
	'120|29800', '29,800 redemptions of which 120 reversals');
is($node->safe_psql('carbon_demo', q{
	SELECT reduction > '2680 t'::tco2e, reduction < '2700 t'::tco2e,
		   activities
	FROM carbon_ledger.regional_summary('2024-06-05', '2025-03-31')
	WHERE region_code IS NULL}),
	't|t|441000', 'more than 2,680 t of CO2e over the programme (441,000 activities)');
is($node->safe_psql('carbon_demo', "SELECT green_loan_balance, green_loan_balance_year_before $q1"),
	'183790000000.00|132901872875.84', 'green loan balance 183.79 billion yuan, and a year before');
is($node->safe_psql('carbon_demo', "SELECT round(100 * green_loan_yoy_growth, 4) $q1"),
	'38.2900', 'year-on-year growth 38.29 %');
is($node->safe_psql('carbon_demo', "SELECT total_loan_balance, round(100 * green_loan_share, 2) $q1"),
	'624920000000.00|29.41', 'green loans are 29.41 % (about 30 %) of all loans');
is($node->safe_psql('carbon_demo', q{
	SELECT carbon_reduction_loan_balance,
		   carbon_reduction_attributed = '24.29 万吨'::tco2e,
		   carbon_reduction_attributed = '242900 t'::tco2e,
		   carbon_reduction_attributed <> '24.29 tonnes'::tco2e
	} . $q1), '9500000000.00|t|t|t',
	'9.5 billion yuan of carbon-reduction loans attributed 24.29 万吨 = 242,900 t a year');
is($node->safe_psql('carbon_demo', q{
	SELECT string_agg(region_code, ',' ORDER BY region_code)
	FROM carbon_ledger.regional_summary('2025-01-01', '2025-03-31')
	WHERE carbon_reduction_loan_balance > 0}),
	'540100,540500', 'carbon-reduction loans are the pilots of Lhasa and Shannan');

# Accounts in proportion to the 2020 census, on valid codes of Xizang.
is($node->safe_psql('carbon_demo', q{
	SELECT string_agg(region_code || ':' || accounts || ':' || new_accounts, ','
					  ORDER BY region_code)
	FROM carbon_ledger.regional_summary('2025-01-01', '2025-03-31')
	WHERE region_code IS NOT NULL}),
	'540100:9017:1558,540200:8292:1433,540300:7906:1366,540400:2482:429,'
	  . '540500:3678:636,540600:5245:906,542500:1281:221',
	'accounts per prefecture in proportion to population');
is($node->safe_psql('carbon_demo', q{
	SELECT count(DISTINCT region_code),
		   bool_and(gb2260_is_valid(region_code)),
		   bool_and(gb2260_province(region_code) = '540000')
	FROM carbon_ledger.account}),
	'74|t|t', 'accounts in all 74 county-level divisions of Xizang');
is($node->safe_psql('carbon_demo', q{
	SELECT count(*), bool_and(uscc_is_valid(borrower_uscc)),
		   bool_and(gb2260_is_valid(region_code, issue_date)),
		   count(*) FILTER (WHERE region_code IN ('540422', '540530'))
			   > 0
	FROM carbon_ledger.green_loan}),
	'548|t|t|t', 'borrower USCCs and loan regions valid (pre-2023 codes on old loans)');

# The rules held for every row, and the audit trail recorded them.
is($node->safe_psql('carbon_demo', 'SELECT count(*) FROM carbon_ledger.check_balances()'),
	'0', 'check_balances() is empty');
$node->safe_psql('carbon_demo', 'SELECT carbon_ledger.audit_seal()');
is($node->safe_psql('carbon_demo', q{
	SELECT valid, unsealed_records, records_checked >= 470800 + 37901
	FROM carbon_ledger.audit_verify()}),
	't|0|t', 'audit_verify(): the chain holds and covers the load');
is($node->safe_psql('carbon_demo', q{
	SELECT count(*) FROM carbon_ledger.audit_log
	WHERE table_name = 'carbon_ledger.activity' AND operation = 'INSERT'}),
	'441000', 'every activity is in the audit log');

$node->stop;
done_testing();
