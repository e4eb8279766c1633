# Scale-out: a coordinator whose ledger tables are partitioned by region,
# with postgres_fdw foreign partitions on two shard servers that each run
# carbon_ledger with its own rules and audit trail (docs/scale-out.md).
#
# The same data set is loaded through the coordinator and into a single
# server; the test checks that the regional totals agree, that the
# per-region aggregation over the extension's types runs on the shards
# (partitionwise aggregation pushed into the foreign scans), that the
# shards' ledger rules reject bad rows sent through the coordinator with
# their own SQLSTATEs, and that each shard's audit chain verifies.
use strict;
use warnings;
use File::Basename qw(dirname);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $scripts = dirname(__FILE__) . '/../../sql/scale-out';

# The region codes each shard holds: prefectures 5401-5403 on shard_a,
# 5404-5425 on shard_b (the Xizang prefectures).
my %shard_range = (
	shard_a => [ '540000', '540400' ],
	shard_b => [ '540400', '550000' ]);
my @counties = qw(540102 540103 540121 540202 540221 540302
  540402 540421 540502 540602 540621 542523);

# start_node(name): a running node with carbon_ledger installed in
# database "ledger".
sub start_node
{
	my $name = shift;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init;
	$node->append_conf('postgresql.conf',
		"shared_preload_libraries = 'carbon_ledger'\n");
	$node->start;
	$node->safe_psql('postgres', 'CREATE DATABASE ledger');
	$node->safe_psql('ledger', 'CREATE EXTENSION carbon_ledger');
	return $node;
}

my $coord  = start_node('coordinator');
my %shard  = map { $_ => start_node($_) } sort keys %shard_range;
my $single = start_node('single');

# The programme is reference data: the same rows on every shard and on the
# single server.
my $programme = q{
	INSERT INTO carbon_ledger.programme
		(programme_id, name, credits_per_tonne, credit_lifetime, time_zone)
	VALUES ('xz-2025', 'Xizang personal carbon accounts', 1000, '2 years',
			'Asia/Shanghai');
	INSERT INTO carbon_ledger.programme_activity_cap VALUES
		('xz-2025', 'green_commute', '5 kg'),
		('xz-2025', 'paperless', '1 kg');
};
# Each shard audits its ledger tables in its own chain (enabled here where
# the installation has not done it already).
my @audited = qw(account activity redemption green_loan loan_repayment);
my $audited_list = '{' . join(',', @audited) . '}';
my $audit_on = qq{
	SELECT count(carbon_ledger.audit_enable(c.oid::regclass))
	FROM pg_class c
	WHERE c.relnamespace = 'carbon_ledger'::regnamespace
		AND c.relname = ANY ('$audited_list')
		AND NOT EXISTS (SELECT FROM pg_trigger t
						WHERE t.tgrelid = c.oid AND t.tgname = 'carbon_ledger_audit');
	SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
	WHERE c.relnamespace = 'carbon_ledger'::regnamespace
		AND c.relname = ANY ('$audited_list')
		AND t.tgname = 'carbon_ledger_audit';
};
for my $name (sort keys %shard)
{
	my $s = $shard{$name};
	$s->safe_psql('ledger', slurp_file("$scripts/shard.sql"));
	$s->safe_psql('ledger', $programme);
	like($s->safe_psql('ledger', $audit_on), qr/\n5$/,
		"$name audits its five ledger tables");
}
$single->safe_psql('ledger', $programme);

# The roles the coordinator's user mappings name for its non-superuser
# roles: login roles of the shards, members of the extension's roles,
# which authenticate with a password (postgres_fdw refuses a non-superuser
# a connection that used none).
my %shard_pw = (shard_teller => 'teller-pw', shard_officer => 'officer-pw');
for my $name (sort keys %shard)
{
	my $s = $shard{$name};
	$s->safe_psql('ledger', qq{
		CREATE ROLE shard_teller LOGIN PASSWORD '$shard_pw{shard_teller}'
			IN ROLE carbon_ledger_booker;
		CREATE ROLE shard_officer LOGIN PASSWORD '$shard_pw{shard_officer}'
			IN ROLE carbon_ledger_manager;
	});
	my $hba = $s->data_dir . '/pg_hba.conf';
	my $rules = slurp_file($hba);
	open(my $fh, '>', $hba) or die "could not write $hba: $!";
	print $fh "local all shard_teller,shard_officer scram-sha-256\n"
	  . "host all shard_teller,shard_officer 127.0.0.1/32 scram-sha-256\n"
	  . $rules;
	close($fh);
	$s->reload;
}

# The coordinator: one foreign server per shard, declaring the extension so
# that its operators and aggregates are shipped.
my $setup = "CREATE EXTENSION postgres_fdw;\n";
for my $name (sort keys %shard)
{
	my ($host, $port) = ($shard{$name}->host, $shard{$name}->port);
	$setup .= qq{
		CREATE SERVER $name FOREIGN DATA WRAPPER postgres_fdw
			OPTIONS (host '$host', port '$port', dbname 'ledger',
					 extensions 'carbon_ledger', async_capable 'true');
		CREATE USER MAPPING FOR CURRENT_USER SERVER $name;
		CREATE USER MAPPING FOR teller SERVER $name
			OPTIONS (user 'shard_teller', password '$shard_pw{shard_teller}');
		CREATE USER MAPPING FOR officer SERVER $name
			OPTIONS (user 'shard_officer', password '$shard_pw{shard_officer}');
	};
}
# Two non-superuser roles of the coordinator: a teller who books, an
# officer who manages accounts and reads the reports.
$setup = q{
	CREATE ROLE teller LOGIN IN ROLE carbon_ledger_booker;
	CREATE ROLE officer LOGIN IN ROLE carbon_ledger_manager, carbon_ledger_reader;
	CREATE ROLE unmapped LOGIN IN ROLE carbon_ledger_reader;
	CREATE ROLE no_password LOGIN IN ROLE carbon_ledger_reader;
} . $setup . q{
	CREATE USER MAPPING FOR no_password SERVER shard_a
		OPTIONS (user 'shard_officer');
};
$coord->safe_psql('ledger', $setup . slurp_file("$scripts/coordinator.sql"));
for my $name (sort keys %shard_range)
{
	my ($from, $to) = @{ $shard_range{$name} };
	$coord->safe_psql('ledger',
		"SELECT national.attach_shard('$name', '$from', '$to')");
}
# Before anything is loaded, the national report of the empty ledger is
# the single server's: a total row of zeros, not NULLs.
is( $coord->safe_psql('ledger',
		"SELECT s::text FROM national.regional_summary('2025-01-01', '2025-03-31') s"),
	$single->safe_psql('ledger',
		"SELECT s::text FROM carbon_ledger.regional_summary('2025-01-01', '2025-03-31') s"),
	'the national report of an empty ledger is the single server\'s');
like(
	$coord->safe_psql('ledger',
		"SELECT s::text FROM national.regional_summary('2025-01-01', '2025-03-31') s"),
	qr/^\(,total,total,0,0,0,"0 tCO2e",0,0,0\.00,0\.00,/,
	'the empty ledger\'s national total row holds zeros');

# A server attached again, for any range, is refused by name.
{
	my ($rc, $out, $err) = $coord->psql('ledger',
		"SELECT national.attach_shard('shard_b', '550000', '560000')");
	like($err,
		qr/server "shard_b" is already attached\nDETAIL:  Its partitions hold the region codes FOR VALUES FROM \('540400'\) TO \('550000'\)\./,
		'attach_shard() refuses a server attached already');
}

# A server whose database lacks the extension is refused as a shard.
{
	my ($host, $port) = ($shard{shard_a}->host, $shard{shard_a}->port);
	my ($rc, $out, $err) = $coord->psql('ledger', qq{
		\\set VERBOSITY verbose
		CREATE SERVER bare FOREIGN DATA WRAPPER postgres_fdw
			OPTIONS (host '$host', port '$port', dbname 'postgres');
		CREATE USER MAPPING FOR CURRENT_USER SERVER bare;
		SELECT national.attach_shard('bare', '550000', '560000');
	});
	like($err,
		qr/ERROR:  55000: server "bare" does not run carbon_ledger \S+ in schema public as this database does\nDETAIL:  The shard has no carbon_ledger extension\./,
		'attach_shard() refuses a server without the extension');
}
is( $coord->safe_psql(
		'ledger', q{
	SELECT string_agg(c.relname || ':' || s.srvname, ' ' ORDER BY c.relname)
	FROM pg_inherits i
	JOIN pg_class c ON c.oid = i.inhrelid
	JOIN pg_foreign_table f ON f.ftrelid = c.oid
	JOIN pg_foreign_server s ON s.oid = f.ftserver
	WHERE i.inhparent = 'national.activity'::regclass}),
	'activity_shard_a:shard_a activity_shard_b:shard_b',
	'every partition of national.activity is a foreign table on a shard');

# A valid Unified Social Credit Code (GB 32100-2015) for borrower n in a
# region: the organisation code's own check character (GB 11714, MOD 11),
# then the code's (MOD 31).
sub uscc
{
	my ($region, $n) = @_;
	my $chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
	my $body  = sprintf('%08d', 10000000 + $n);
	my @w     = (3, 7, 9, 10, 5, 8, 4, 2);
	my $sum   = 0;
	$sum += substr($body, $_, 1) * $w[$_] for 0 .. 7;
	my $c = 11 - $sum % 11;
	my $code = '91' . $region . $body . ($c == 10 ? 'X' : $c == 11 ? '0' : $c);
	my @w31 = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28);
	$sum = 0;
	$sum += index($chars, substr($code, $_, 1)) * $w31[$_] for 0 .. 16;
	return $code . substr($chars, (31 - $sum % 31) % 31, 1);
}

# The data set, as rows of each ledger table; region_code of activities,
# redemptions and repayments is that of their account or loan (the
# coordinator routes by it; the single server has no such column).
my $seed = 20250101;

sub rnd
{
	my $n = shift;
	$seed = ($seed * 1103515245 + 12345) % 2147483648;
	return int($seed / 65536) % $n;
}

my (@accounts, @activities, @redemptions, @loans, @repayments, @books);
my @kinds = qw(afforestation green_commute paperless green_commute);
for my $county (@counties)
{
	for my $i (1 .. 8)
	{
		my $acc = sprintf('XZ%s%03d', $county, $i);
		my $opened = $i <= 6 ? '2024-0' . (1 + rnd(9)) . '-15' : '2025-01-0' . $i;
		push @accounts, [ $acc, "holder-$acc", 'xz-2025', $county, "$opened 09:00+08" ];
		for my $k (0 .. 9)
		{
			# the first activity (afforestation, at least 2 kg) makes
			# every account able to pay the redemptions below; the
			# others hit the daily caps now and then.
			my $kind  = $k == 0 ? 'afforestation' : $kinds[ rnd(4) ];
			my $grams = 2000 + rnd(6000);
			my $day   = sprintf('2025-%02d-%02d', 2 + int($k / 3), 1 + rnd(3));
			push @activities,
			  [ $acc, $county, $kind, "$grams g", "$day 1$k:00+08", "act-$acc-$k" ];
		}
		if ($i % 2 == 0)
		{
			push @redemptions,
			  [ $acc, $county, '1.5', 'bus pass', "red-$acc", '2025-06-20 12:00+08' ];
		}
	}
}
my $loan_no = 0;
for my $county (@counties)
{
	$loan_no++;
	my $carbon = $loan_no % 3 == 0 ? 'true' : 'false';
	my $loan = sprintf('GL%s-%02d', $county, $loan_no);
	push @loans,
	  [ $loan, uscc($county, $loan_no), $county,
		$carbon eq 'true' ? 'clean energy' : 'green building',
		1_000_000 * (1 + rnd(40)),
		sprintf('202%d-0%d-10', 4 + $loan_no % 2, 1 + rnd(6)), '2029-12-31',
		'3.4500', (100 + rnd(900)) . ' t', 200_000_000, $carbon,
		$carbon eq 'true' ? 'clean energy' : undef ];
	push @repayments, [ $loan, $county, 250_000, '2025-09-30' ]
	  if $loan_no % 2 == 0;
}
for my $pref (qw(540100 540200 540300 540400 540500 540600 542500))
{
	push @books, [ $pref, '2025-12-31', 1_000_000_000 + rnd(1000) * 1_000_000 ];
	push @books, [ $pref, '2024-12-31', 900_000_000 + rnd(1000) * 1_000_000 ];
}

# sql_values(rows...): a VALUES list of quoted literals.
sub sql_values
{
	return join(",\n", map {
		'(' . join(', ', map { defined $_ ? "'$_'" : 'NULL' } @$_) . ')'
	} @_);
}

# load_sql(schema, routed): the statements that load the data set into
# schema "national" on the coordinator (routed: with the region_code
# columns) or "carbon_ledger" on a single server. Activities go through
# COPY, the rest through INSERT; reversals name the redemption they give
# back by its id, read from the table they are inserted into.
sub load_sql
{
	my ($schema, $routed) = @_;
	my $strip = sub { my @r = @_; splice(@r, 1, 1) unless $routed; \@r };
	my $region = $routed ? ', region_code' : '';
	my $sql = "INSERT INTO $schema.account (account_no, holder_ref, programme_id, region_code, opened_at) VALUES\n"
	  . sql_values(@accounts) . ";\n";
	$sql .= "COPY $schema.activity (account_no$region, kind, reduction, occurred_at, request_id) FROM stdin;\n"
	  . join('', map { join("\t", @{ $strip->(@$_) }) . "\n" } @activities)
	  . "\\.\n";
	$sql .= "INSERT INTO $schema.redemption (account_no$region, credits, item, request_id, redeemed_at) VALUES\n"
	  . sql_values(map { $strip->(@$_) } @redemptions) . ";\n";
	$sql .= "INSERT INTO $schema.redemption (account_no$region, credits, item, request_id, reverses, redeemed_at)
		SELECT account_no$region, credits, 'reversal', 'rev-' || request_id,
			   redemption_id, '2025-06-21 12:00+08'
		FROM $schema.redemption
		WHERE request_id LIKE 'red-%' AND right(account_no, 1) IN ('4', '8')
		ORDER BY account_no;\n";
	$sql .= "INSERT INTO $schema.green_loan (loan_no, borrower_uscc, region_code, green_category,
			principal, issue_date, maturity_date, rate, project_annual_reduction,
			project_investment, carbon_reduction_loan, carbon_reduction_field) VALUES\n"
	  . sql_values(@loans) . ";\n";
	$sql .= "INSERT INTO $schema.loan_repayment (loan_no$region, amount, repaid_on) VALUES\n"
	  . sql_values(map { $strip->(@$_) } @repayments) . ";\n";
	$sql .= "INSERT INTO $schema.loan_book (region_code, as_of, total_loan_balance) VALUES\n"
	  . sql_values(@books) . ";\n";
	return $sql;
}

$coord->safe_psql('ledger', load_sql('national', 1));
$single->safe_psql('ledger', load_sql('carbon_ledger', 0));

# Every row landed on the shard of its region, and nowhere else.
for my $name (sort keys %shard)
{
	my ($from, $to) = @{ $shard_range{$name} };
	my $n = grep { $_->[1] ge $from && $_->[1] lt $to } @activities;
	is( $shard{$name}->safe_psql(
			'ledger', qq{
		SELECT count(*) || ' ' || count(*) FILTER (
			WHERE a.region_code >= '$from' AND a.region_code < '$to')
		FROM carbon_ledger.activity x JOIN carbon_ledger.account a USING (account_no)}),
		"$n $n",
		"$name holds the $n activities of its regions");
}
is($coord->safe_psql('ledger', 'SELECT count(*) FROM national.activity'),
	scalar(@activities), 'the coordinator sees every activity');

# The regional totals of the coordinator: national.regional_summary()
# aggregates every ledger table on the shards per region_code (the
# partition key) and rolls the counties up into prefectures. It equals
# carbon_ledger.regional_summary() of the single server, every column of
# every row, the total row included, for a period holding everything and
# for one holding part of it.
for my $period (q{'2024-01-01', '2025-12-31'}, q{'2025-03-01', '2025-06-30'})
{
	my $summary_of = sub {
		my ($node, $schema) = @_;
		return $node->safe_psql('ledger',
			"SELECT s::text FROM $schema.regional_summary($period) s");
	};
	my $log_offset = { map { $_ => -s $shard{$_}->logfile } keys %shard };
	my $expected = $summary_of->($single, 'carbon_ledger');
	is($summary_of->($coord, 'national'), $expected,
		"national.regional_summary($period) equals a single server's regional_summary");
	like($expected, qr/^\(540100,.*\n.*^\(542500,.*\n\(,total,total,/ms,
		"the single server reports every prefecture and the total ($period)");
	note("regional_summary($period) of the single server:\n$expected");
	for my $name (sort keys %shard)
	{
		my $log = slurp_file($shard{$name}->logfile, $log_offset->{$name});
		like($log,
			qr/SELECT region_code, count\(\*\), sum\(public\.tco2e_grams\(reduction\)\), sum\(public\.carbon_credit_thousandths\(credits\)\) FROM scale_out\.activity WHERE .* GROUP BY 1/,
			"$name computed its regions' activity totals ($period)");
		like($log, qr/SELECT region_code, count\(\*\) FILTER .* FROM carbon_ledger\.account GROUP BY 1/,
			"$name counted its regions' accounts ($period)");
		like($log, qr/SELECT region_code, sum\(.*carbon_credit_thousandths\(credits\)\)\) FROM scale_out\.redemption WHERE .* GROUP BY 1/,
			"$name computed its regions' redemptions ($period)");
		like($log, qr/SELECT region_code, sum\(\(CASE WHEN .* FROM carbon_ledger\.green_loan GROUP BY 1/,
			"$name computed its regions' loan balances ($period)");
	}
}

# Each shard's own regional_summary holds its prefectures exactly as the
# single server reports them (a prefecture lives on one shard), growth and
# share included.
my $summary = q{
	SELECT s::text FROM carbon_ledger.regional_summary('2025-01-01', '2025-12-31') s
	WHERE region_code IS NOT NULL ORDER BY region_code;
};
is( join("\n",
		map { $shard{$_}->safe_psql('ledger', $summary) } sort keys %shard),
	$single->safe_psql('ledger', $summary),
	'the shards\' regional_summary rows together equal the single server\'s');

# A loan booked in 2013 under a code retired since (542301, today in
# 540200 日喀则市) and a loan book figure for the whole province: both
# reports put the loan in today's prefecture, give the province no row of
# its own, and take the province's figure as the total row's denominator.
# A loan book figure of 2013 under the retired prefecture 542300 is
# superseded by 540200's later ones, not added to them.
# A period that ends before it starts is refused by both.
for my $target ([ $coord, 'national' ], [ $single, 'carbon_ledger' ])
{
	my ($node, $schema) = @$target;
	$node->safe_psql('ledger', qq{
		INSERT INTO $schema.green_loan
			(loan_no, borrower_uscc, region_code, green_category, principal,
			 issue_date, maturity_date, rate, project_investment)
		VALUES ('GL-RETIRED', '91350100M000100Y43', '542301', 'hydro',
				800000, '2013-06-01', '2033-06-01', 4.0, 800000);
		INSERT INTO $schema.loan_book (region_code, as_of, total_loan_balance)
		VALUES ('540000', '2025-12-31', 900000000000),
			   ('542300', '2013-12-31', 5000000)});
}
{
	my $sql = q{SELECT s::text FROM %s.regional_summary('2024-01-01', '2025-12-31') s};
	my $expected = $single->safe_psql('ledger', sprintf($sql, 'carbon_ledger'));
	is($coord->safe_psql('ledger', sprintf($sql, 'national')), $expected,
		'with a retired code and a province-wide loan book, the two reports agree');
	unlike($expected, qr/^\((542300|542301|540000),/m,
		'no row for a retired code or for the province');
	like($expected, qr/^\(,total,total,.*,900000000000(\.00)?,0\.0/m,
		'the total row takes the province\'s loan book figure');
	my $book = $single->safe_psql('ledger',
		q{SELECT total_loan_balance FROM carbon_ledger.loan_book
		  WHERE region_code = '540200' AND as_of = '2025-12-31'});
	like($expected, qr/^\(540200,[^\n]*,\Q$book\E,/m,
		'a retired code\'s older loan book figure does not add to its successor\'s');
	my ($ret, $out, $err) = $coord->psql('ledger',
		q{SELECT * FROM national.regional_summary('2025-03-31', '2025-01-01')});
	like($err, qr/period_start must not be after period_end/,
		'national.regional_summary refuses a period that ends before it starts');
	($ret, $out, $err) = $coord->psql('ledger',
		q{SELECT * FROM national.regional_summary('4713-11-24 BC', '2025-01-01')});
	like($err, qr/report period out of range/,
		'and a period beyond the dates a report can cover, as regional_summary()');
}

# The per-region aggregation runs on the shards: with partitionwise
# aggregation, each partition's GROUP BY region_code, with the sum over the
# extension's type, is pushed into its foreign scan.
my $pushdown = q{
	SET enable_partitionwise_aggregate = on;
	EXPLAIN (VERBOSE, COSTS OFF)
	SELECT region_code, count(*), sum(reduction), sum(credits)
	FROM national.activity
	WHERE reduction >= '1 kg'
	GROUP BY region_code;
};
my $plan = $coord->safe_psql('ledger', $pushdown);
note("plan on the coordinator:\n$plan");
my @remote = $plan =~ /Remote SQL: (.*)/g;
is(scalar(@remote), 2, 'one remote query per shard');
for my $r (@remote)
{
	like($r,
		qr/^SELECT region_code, count\(\*\), public\.sum\(reduction\), public\.sum\(credits\) FROM scale_out\.activity WHERE \(\(reduction OPERATOR\(public\.>=\) '0\.001 tCO2e'(::public\.tco2e)?\)\) GROUP BY 1$/,
		'the shard computes sum(tco2e) and sum(carbon_credit) per region');
}
is(scalar(() = $plan =~ /Relations: Aggregate on \("national"\.activity_shard_[ab] activity(_1)?\)/g),
	2, 'both foreign scans are aggregates');
unlike($plan, qr/(Hash|Group|Partial |Finalize )Aggregate/,
	'no aggregation is left to the coordinator');

# A query naming a region reads only the shard that holds it.
like($coord->safe_psql('ledger', q{
	EXPLAIN (COSTS OFF) SELECT count(*) FROM national.activity
	WHERE region_code = '540402'}),
	qr/\A(?:(?!shard_a).)*Foreign Scan on activity_shard_b activity(?:(?!shard_a).)*\z/s,
	'a query on one region is pruned to the shard that holds it');

# Without "extensions", postgres_fdw does not ship the extension's
# functions: the rows themselves travel (which is why the servers
# declare it).
$coord->safe_psql('ledger',
	"ALTER SERVER shard_a OPTIONS (DROP extensions)");
$plan = $coord->safe_psql('ledger', $pushdown);
like($plan, qr/(Hash|Group)Aggregate\n.*\n.*\n\s+->  Foreign Scan on "national"\.activity_shard_a activity\n/,
	'without extensions, the coordinator aggregates the rows of shard_a');
like($plan, qr/Remote SQL: SELECT [a-z_, ]+ FROM scale_out\.activity\n/,
	'without extensions, shard_a is asked for rows, not sums');
$coord->safe_psql('ledger',
	"ALTER SERVER shard_a OPTIONS (ADD extensions 'carbon_ledger')");

# Rows that break a shard's rules, sent through the coordinator: each is
# rejected with the shard's SQLSTATE and a detail naming the account. The
# account frozen first is frozen by an UPDATE through the coordinator,
# which reaches the shard's triggers like an INSERT.
$coord->safe_psql('ledger',
	"UPDATE national.account SET status = 'frozen' WHERE account_no = 'XZ540302002'");
my $redeem = 'INSERT INTO national.redemption (account_no, region_code, credits, item, request_id, redeemed_at) VALUES';
my $earn = 'INSERT INTO national.activity (account_no, region_code, kind, reduction, occurred_at, request_id) VALUES';
my @rejected = (
	[ 'a redemption beyond the balance, on shard_b', 'LD005',
	  "$redeem ('XZ540402001', '540402', '1000000', 'car', 'big-1', '2025-07-01')",
	  'Redemption "big-1" on account "XZ540402001" asks for 1000000 credits' ],
	[ 'a replayed redemption, on shard_a', 'LD006',
	  "$redeem ('XZ540102002', '540102', '1.5', 'bus pass', 'red-XZ540102002', '2025-06-20 12:00+08')",
	  'Request "red-XZ540102002" was booked on account "XZ540102002"' ],
	[ 'a redemption on an account frozen through the coordinator', 'LD003',
	  "$redeem ('XZ540302002', '540302', '0.5', 'tea', 'frozen-1', '2025-07-01')",
	  'Account "XZ540302002" has status frozen' ],
	[ 'a negative reduction, on shard_b', 'LD011',
	  "$earn ('XZ540621003', '540621', 'paperless', '-1 kg', '2025-07-01', 'neg-1')",
	  'Activity "neg-1" on account "XZ540621003" reports a reduction of -0\.001 tCO2e' ],
	[ 'an activity routed to a shard that does not hold its account', 'LD002',
	  "$earn ('XZ540102001', '540402', 'paperless', '1 kg', '2025-07-01', 'wrong-1')",
	  'No row of carbon_ledger.account has account_no "XZ540102001"' ],
	[ 'an activity with another region of the same shard', '23514',
	  "$earn ('XZ540102001', '540103', 'paperless', '1 kg', '2025-07-01', 'wrong-2')",
	  'account_no "XZ540102001" is in region "540102"' ],
	[ 'an account with an invalid region code, on shard_a', 'LD015',
	  "INSERT INTO national.account (account_no, holder_ref, programme_id, region_code) VALUES ('XZ-BAD', 'h', 'xz-2025', '540199')",
	  '"540199" is not a GB/T 2260 code in use' ],
	[ 'an account in a region no shard holds', '23514',
	  "INSERT INTO national.account (account_no, holder_ref, programme_id, region_code) VALUES ('BJ110101001', 'h', 'xz-2025', '110101')",
	  'Partition key of the failing row contains \\(region_code\\) = \\(110101\\)' ],
	[ 'a balance written through the coordinator', '428C9',
	  "UPDATE national.account SET balance = '100' WHERE account_no = 'XZ540302004'",
	  'Column "balance" is a generated column' ],
	[ 'a loan\'s repaid principal written through the coordinator', '428C9',
	  "UPDATE national.green_loan SET repaid = 999999 WHERE loan_no = 'GL540102-01'",
	  'Column "repaid" is a generated column' ],
	[ 'a loan inserted with its repaid principal', '428C9',
	  "INSERT INTO national.green_loan (loan_no, borrower_uscc, region_code, green_category,
		principal, issue_date, maturity_date, rate, project_investment, repaid)
	   SELECT 'GL540102-99', borrower_uscc, region_code, green_category, principal,
		issue_date, maturity_date, rate, project_investment, 999999
	   FROM national.green_loan WHERE loan_no = 'GL540102-01'",
	  'Column "repaid" is a generated column' ],
	[ 'an account moved to a region of another shard', '23514',
	  "UPDATE national.account SET region_code = '540402' WHERE account_no = 'XZ540102001'",
	  'The row of region_code "540102" is stored on server "shard_a", whose partition "national"\.account_shard_a is FOR VALUES FROM \\(\'540000\'\\) TO \\(\'540400\'\\); region_code "540402" is not in it\.' ],
	[ 'a loan moved to a region of another shard', '23514',
	  "UPDATE national.green_loan SET region_code = '540402' WHERE loan_no = 'GL540102-01'",
	  'The row of region_code "540102" is stored on server "shard_a", whose partition "national"\.green_loan_shard_a ' ],
	[ 'a loan book row moved to a region of another shard', '23514',
	  "UPDATE national.loan_book SET region_code = '540400' WHERE region_code = '540100'",
	  'The row of region_code "540100" is stored on server "shard_a", whose partition "national"\.loan_book_shard_a ' ]);
for my $case (@rejected)
{
	my ($name, $sqlstate, $sql, $detail) = @$case;
	my ($rc, $out, $err) =
	  $coord->psql('ledger', "\\set VERBOSITY verbose\n$sql");
	isnt($rc, 0, "$name: rejected");
	like($err, qr/ERROR:  $sqlstate: /, "$name: SQLSTATE $sqlstate");
	like($err, qr/DETAIL:  $detail/, "$name: detail");
}

# The region changes refused above left every row on its shard, unchanged;
# a change of region within the shard's range goes through.
is( $shard{shard_a}->safe_psql('ledger', q{
		SELECT (SELECT region_code FROM carbon_ledger.account
				WHERE account_no = 'XZ540102001') || ' ' ||
			   (SELECT region_code FROM carbon_ledger.green_loan
				WHERE loan_no = 'GL540102-01') || ' ' ||
			   (SELECT count(*) FROM carbon_ledger.loan_book
				WHERE region_code = '540100')}),
	'540102 540102 2',
	'the refused region changes left the rows as they were');
{
	my ($rc, $out, $err) = $coord->psql('ledger',
		"UPDATE national.account SET region_code = '540402' WHERE account_no = 'XZ540102001'");
	like($err,
		qr/HINT:  Rows do not move between shards: close the account and open a new one in the new region\./,
		'the refused region change hints at closing and reopening the account');
}
is( $coord->safe_psql('ledger', q{
		UPDATE national.account SET region_code = '540103'
		WHERE account_no = 'XZ540102007' RETURNING region_code;
		UPDATE national.account SET region_code = '540102'
		WHERE account_no = 'XZ540102007' RETURNING region_code}),
	"540103\n540102",
	'a change of region within the shard\'s range goes through');

# A statement that writes to both shards and fails on one leaves nothing
# on the other: the remote transactions end with the coordinator's.
my ($rc) = $coord->psql('ledger',
	"$earn ('XZ540102001', '540102', 'paperless', '1 kg', '2025-07-01', 'both-1'),
		   ('XZ540402001', '540402', 'paperless', '0 kg', '2025-07-01', 'both-2')");
isnt($rc, 0, 'a statement failing on shard_b is rejected');
is($shard{shard_a}->safe_psql('ledger',
		"SELECT count(*) FROM carbon_ledger.activity WHERE request_id = 'both-1'"),
	'0', 'its row for shard_a was rolled back');

# RETURNING gives the client what the shard computed.
is($coord->safe_psql('ledger',
		"$earn ('XZ540121005', '540121', 'paperless', '1.5 kg', '2025-07-01 10:00+08', 'ret-1')
		 RETURNING activity_id > 0, credits, credits_uncapped, booked_at IS NOT NULL"),
	't|1|1.5|t',
	'RETURNING through the coordinator: the shard\'s id, capped credits and booking time');

# Non-superuser roles through the coordinator, each with its own user
# mapping: the teller books (and the shard's audit trail names the role
# its mapping connects as), the officer opens an account (postgres_fdw
# names every column, balance included) and reads the national report.
# Neither can write the coordinator's own, empty, carbon_ledger tables.
my @as_teller = (extra_params => [ '-U', 'teller' ]);
my @as_officer = (extra_params => [ '-U', 'officer' ]);
is( $coord->safe_psql('ledger',
		"$earn ('XZ540402002', '540402', 'paperless', '1 kg', '2025-07-01 11:00+08', 'teller-1')
		 RETURNING credits", @as_teller),
	'1', 'the teller books an activity through the coordinator');
is( $shard{shard_b}->safe_psql('ledger', q{
		SELECT session_user_name || ' ' || current_user_name
		FROM carbon_ledger.audit_log
		WHERE table_name = 'carbon_ledger.activity'
			AND new_row ->> 'request_id' = 'teller-1'}),
	'shard_teller shard_teller',
	'the shard\'s audit record names the role of the teller\'s user mapping');
is( $coord->safe_psql('ledger', q{
		INSERT INTO national.account (account_no, holder_ref, programme_id, region_code)
		VALUES ('XZ540103901', 'officer-opened', 'xz-2025', '540103')
		RETURNING balance, closed_at IS NULL}, @as_officer),
	'0|t', 'the officer opens an account through the coordinator');
is( $coord->safe_psql('ledger', q{
		UPDATE national.account SET region_code = '540121'
		WHERE account_no = 'XZ540103901' RETURNING region_code}, @as_officer),
	'540121', 'the officer changes its region within the shard');
like($coord->safe_psql('ledger', q{
		SELECT count(*) || ' ' || max(accounts) FILTER (WHERE region_code IS NULL)
		FROM national.regional_summary('2024-01-01', '2025-12-31')}, @as_officer),
	qr/^8 \d+$/, 'the officer reads the national report');
for my $case (
	[ 'the teller on the coordinator\'s own activity table', \@as_teller,
	  "INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id) VALUES ('XZ540402002', 'paperless', '1 kg', '2025-07-01', 'local-1')" ],
	[ 'the officer on the coordinator\'s own account table', \@as_officer,
	  "INSERT INTO carbon_ledger.account (account_no, holder_ref, programme_id, region_code) VALUES ('XZ540103902', 'h', 'xz-2025', '540103')" ],
	[ 'the teller freezing an account', \@as_teller,
	  "UPDATE national.account SET status = 'frozen' WHERE account_no = 'XZ540402002'" ])
{
	my ($name, $as, $sql) = @$case;
	my ($rc, $out, $err) =
	  $coord->psql('ledger', "\\set VERBOSITY verbose\n$sql", @$as);
	like($err, qr/ERROR:  42501: permission denied/, "$name: refused");
}
# A role without a user mapping, and one whose mapping has no password,
# cannot reach the shards even with the privileges to read.
for my $case (
	[ 'a role without a user mapping', 'unmapped', '42704',
	  'user mapping not found for "unmapped"' ],
	[ 'a role whose user mapping has no password', 'no_password', '2F003',
	  'password is required' ])
{
	my ($name, $role, $sqlstate, $message) = @$case;
	my ($rc, $out, $err) = $coord->psql('ledger',
		"\\set VERBOSITY verbose\nSELECT count(*) FROM national.account WHERE region_code = '540102'",
		extra_params => [ '-U', $role ]);
	like($err, qr/ERROR:  $sqlstate: $message/,
		"$name is refused by postgres_fdw ($sqlstate)");
}

# Two coordinator sessions redeeming from one account at once: the shard
# locks the account row, and under the REPEATABLE READ of postgres_fdw's
# remote transactions the later one fails with 40001 (the client retries,
# and the retry is refused by the balance rule). Nothing is overdrawn.
my $balance = $coord->safe_psql('ledger',
	"SELECT balance FROM national.account WHERE account_no = 'XZ540221003'");
my $take = sprintf('%.3f', int($balance * 600) / 1000);
my $s1 = $coord->background_psql('ledger', on_error_stop => 0);
my $s2 = $coord->background_psql('ledger', on_error_stop => 0);
$s1->query_safe("BEGIN; $redeem ('XZ540221003', '540221', '$take', 'phone', 'conc-1', '2025-07-01')");
$s2->query_safe('\set VERBOSITY verbose');
$s2->query_until(qr/sent/,
	"\\echo sent\n$redeem ('XZ540221003', '540221', '$take', 'phone', 'conc-2', '2025-07-01');\n\\echo done\n");
$shard{shard_a}->poll_query_until('ledger',
	"SELECT count(*) > 0 FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
  or die 'the second redemption never waited for the first';
$s1->query_safe('COMMIT');
$s2->query_until(qr/done/, '');
like($s2->{stderr}, qr/ERROR:  40001: could not serialize access/,
	'the concurrent redemption fails with 40001 after the first commits');
my ($retry_out, $retry_err);
$coord->psql('ledger',
	"\\set VERBOSITY verbose\n$redeem ('XZ540221003', '540221', '$take', 'phone', 'conc-2', '2025-07-01')",
	stdout => \$retry_out, stderr => \$retry_err);
like($retry_err, qr/ERROR:  LD005: /, 'its retry is refused: the credits are gone');
$s1->quit;
$s2->quit;
is($shard{shard_a}->safe_psql('ledger',
		"SELECT balance = '$balance'::carbon_credit - '$take'::carbon_credit
		 FROM carbon_ledger.account WHERE account_no = 'XZ540221003'"),
	't', 'one redemption was booked, once');

# Each shard's audit chain holds the rows the coordinator sent it, and
# verifies once sealed. The chains are distinct: each digest names its own
# database.
my %digest;
for my $name (sort keys %shard)
{
	my $s = $shard{$name};
	# every audited ledger table (the installation audits more than the
	# five enabled above), with its rows and its INSERT records
	my @tables = split /\n/, $s->safe_psql('ledger', q{
		SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
		WHERE t.tgname = 'carbon_ledger_audit'
			AND c.relnamespace = 'carbon_ledger'::regnamespace
		ORDER BY 1});
	cmp_ok(scalar(grep { my $t = $_; grep { $_ eq $t } @tables } @audited),
		'==', scalar(@audited), "$name: the five ledger tables are among them");
	is( join(' ', map {
			"$_ " . $s->safe_psql('ledger', qq{
				SELECT count(*) FROM carbon_ledger.audit_log
				WHERE operation = 'INSERT' AND table_name = 'carbon_ledger.$_'})
		} @tables),
		join(' ', map {
			"$_ " . $s->safe_psql('ledger', "SELECT count(*) FROM carbon_ledger.$_")
		} @tables),
		"$name: the audit log has one INSERT record per row of each ledger table");
	$s->safe_psql('ledger', 'SELECT carbon_ledger.audit_seal()');
	is( $s->safe_psql(
			'ledger', q{
		SELECT valid, records_checked > 0, unsealed_records, reason IS NULL
		FROM carbon_ledger.audit_verify()}),
		't|t|0|t',
		"$name: audit_verify() finds the chain valid and sealed");
	$digest{$name} = $s->safe_psql('ledger',
		'SELECT system_identifier FROM carbon_ledger.audit_digest()');
}
isnt($digest{shard_a}, $digest{shard_b},
	'the shards\' digests name different databases');

# The balances each shard keeps agree with its ledger rows.
for my $name (sort keys %shard)
{
	is($shard{$name}->safe_psql('ledger', 'SELECT count(*) FROM carbon_ledger.check_balances()'),
		'0', "$name: check_balances() finds nothing");
}

# Every row lies within the bounds of the partition that returns it; a row
# written on shard_a directly with a region of shard_b is found.
my $placement = q{
	SELECT string_agg(partition_name || ' ' || misplaced, ' ')
	FROM national.check_placement() WHERE misplaced > 0};
is($coord->safe_psql('ledger', $placement), '',
	'check_placement(): every row is on the shard of its region');
$shard{shard_a}->safe_psql('ledger', q{
	INSERT INTO carbon_ledger.account (account_no, holder_ref, programme_id, region_code)
	VALUES ('XZ540402999', 'stray', 'xz-2025', '540402')});
is($coord->safe_psql('ledger', $placement), '"national".account_shard_a 1',
	'check_placement() finds an account written on the wrong shard');

# With shard_b down, what lives on shard_a is still served; a query that
# needs shard_b fails with a connection error instead of a partial answer.
$shard{shard_b}->stop;
is($coord->safe_psql('ledger',
		"SELECT count(*) FROM national.account WHERE region_code = '540102'"),
	'8', 'with shard_b down, a query pruned to shard_a still works');
my ($down_rc, $down_out, $down_err) = $coord->psql('ledger',
	"\\set VERBOSITY verbose\nSELECT count(*) FROM national.account");
isnt($down_rc, 0, 'a query needing shard_b fails');
like($down_err, qr/ERROR:  080(01|06): /,
	'with a connection error, not a partial result');

done_testing();
