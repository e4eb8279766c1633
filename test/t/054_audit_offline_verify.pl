# The audit trail verified outside the database: tools/audit-verify.pl
# exports the trail's tables and recomputes every hash with Perl's own
# SHA-256, from docs/audit-format.md alone. It must agree with
# audit_verify() on an intact trail (values of awkward types, ledger
# bookings, savepoints, COPY, TRUNCATE, an HMAC key, a pending transaction,
# a client with other TimeZone and DateStyle), and catch each kind of
# tampering in the exported rows.
use strict;
use warnings;
use File::Copy qw(copy);
use File::Path qw(make_path);
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('offline');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'carbon_ledger'
carbon_ledger.seal_interval = 0
});
$node->start;

sub sql { return $node->safe_psql('postgres', shift); }

sql(q{
CREATE EXTENSION carbon_ledger;
CREATE TYPE pair AS (label text, at timestamptz);
CREATE DOMAIN positive AS numeric CHECK (VALUE > 0);
CREATE TABLE odd ("Ünï code" text PRIMARY KEY, n numeric, p positive,
	ts timestamptz, iv interval, j jsonb, a int[], f float8, b bytea,
	c pair, m tco2e, big text);
SELECT carbon_ledger.audit_enable('odd');
INSERT INTO odd VALUES ('k1', 1.00, 2.50, '2025-03-31 16:00:00.25+08',
	'1 year 2 mons 3 days 04:05:06.5', '{"x": "a\nb", "y": 1.50}',
	'[0:2]={1,NULL,3}', 0.1, '\x00ff', ROW('a "quoted" \ label', '2025-01-01'),
	'2680 kg', repeat('长文本', 40000));
INSERT INTO odd ("Ünï code", ts, f) VALUES ('雪', 'infinity', 'NaN'), ('', NULL, '-0');
SELECT carbon_ledger.audit_seal();
UPDATE odd SET n = n + 1, big = NULL WHERE "Ünï code" = 'k1';
BEGIN;
INSERT INTO odd ("Ünï code") VALUES ('k3');
SAVEPOINT s;
INSERT INTO odd ("Ünï code") VALUES ('rolled back');
ROLLBACK TO s;
INSERT INTO odd ("Ünï code") VALUES ('k5');
COMMIT;
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime, time_zone)
	VALUES ('OFF', 'offline test', 1000, '10 years', 'Asia/Shanghai');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
	VALUES ('XZ-1', 'h1', 'OFF', '540102', '2024-01-01 00:00+08');
INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('XZ-1', 'green_commute', '2 kg', '2024-02-01 08:00+08', 'r1');
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
	VALUES ('XZ-1', '0.5', 'bus ticket', 'r2');
SELECT carbon_ledger.audit_seal();
SELECT carbon_ledger.audit_set_key(sha256('offline test key'));
DELETE FROM odd WHERE "Ünï code" = 'k3';
COPY odd ("Ünï code", n) FROM STDIN;
c1	5
c2	6
\.
SELECT carbon_ledger.audit_seal();
CREATE TABLE scratch (id int PRIMARY KEY);
SELECT carbon_ledger.audit_enable('scratch');
INSERT INTO scratch SELECT generate_series(1, 5);
TRUNCATE scratch;
SELECT carbon_ledger.audit_disable('scratch');
SELECT carbon_ledger.audit_seal();
INSERT INTO odd ("Ünï code") VALUES ('pending');
});

my ($records, $blocks, $unsealed) = split /\|/, sql(q{
	SELECT records_checked, blocks_checked, unsealed_records
	FROM carbon_ledger.audit_verify() WHERE valid});
ok($records > 30 && $unsealed == 1, 'the trail verifies inside the database');
my $digest = sql(q{SELECT block_no || ':' || encode(block_hash, 'hex')
	FROM carbon_ledger.audit_digest()});

my $tool = 'tools/audit-verify.pl';
my $dir = PostgreSQL::Test::Utils::tempdir();

# offline(ARGS...): run the tool against the node; returns its exit status
# and what it printed.
sub offline
{
	my ($out, $err) = ('', '');
	local %ENV = (%ENV, PGHOST => $node->host, PGPORT => $node->port,
		PGDATABASE => 'postgres', PGTZ => 'Asia/Kathmandu',
		PGDATESTYLE => 'SQL, DMY');
	IPC::Run::run([ 'perl', $tool, @_ ], '>', \$out, '2>', \$err);
	return ($? >> 8, $out . $err);
}

# tampered(NAME, EDIT): a copy of the export whose FILE rows went through
# EDIT (a sub taking and returning the list of lines); returns its path.
sub tampered
{
	my ($name, $file, $edit) = @_;
	my $copy = "$dir/$name";
	make_path($copy);
	for my $f (glob("$dir/export/*.jsonl"))
	{
		copy($f, $copy) or die "copy $f: $!";
	}
	my @lines = split /\n/, slurp_file("$copy/$file.jsonl");
	open(my $fh, '>', "$copy/$file.jsonl") or die $!;
	print $fh map { "$_\n" } $edit->(@lines);
	close $fh;
	return $copy;
}

my ($rc, $out) = offline('export', "$dir/export", '--with-keys');
is($rc, 0, 'export as a superuser, keys included');
($rc, $out) = offline('check', "$dir/export");
is($rc, 0, 'intact trail verifies outside the database');
is($out, "valid: $records records, $blocks blocks, $unsealed unsealed records\n",
	'and counts what audit_verify() counts');
($rc, $out) = offline('check', "$dir/export", '--digest', $digest);
is($rc, 0, 'the saved digest is in the chain');

# the key was used: without it, the keyed blocks cannot be checked
my $nokey = tampered('nokey', 'audit_key', sub { () });
($rc, $out) = offline('check', $nokey);
like($out, qr/^key missing: block \d+ was sealed with HMAC key 1/m,
	'keyed blocks without the key: key missing');

# a changed value in a sealed record
my $changed = tampered('changed', 'audit_log', sub {
	map { s/"bus ticket"/"air ticket"/r } @_ });
($rc, $out) = offline('check', $changed);
is($rc, 1, 'changed record: invalid');
like($out, qr/^hash mismatch: record \d+ does not match its leaf hash$/m,
	'changed record: hash mismatch');

# a record removed
my $removed = tampered('removed', 'audit_log', sub { grep { !/"k3"/ || /DELETE/ } @_ });
($rc, $out) = offline('check', $removed);
like($out, qr/^missing record: transaction \d+ has 1 of the 2 records sealed in block 2$/m,
	'deleted record: missing record');

# a forged record in a transaction of its own
my $forged = tampered('forged', 'audit_log', sub {
	my @l = @_;
	my ($copy) = grep { /"k5"/ } @l;
	$copy =~ s/"xid" ?: ?"\d+"/"xid" : "999999"/;
	return (@l, $copy);
});
($rc, $out) = offline('check', $forged);
like($out, qr/^inserted record: record \d+ belongs to transaction 999999, which is neither sealed nor pending$/m,
	'forged record: inserted record');

# two transactions of a block swapped
my $swapped = tampered('swapped', 'audit_block_xact', sub {
	my @l = @_;
	my @b2 = grep { $l[$_] =~ /"block_no" ?: ?"2"/ } 0 .. $#l;
	@l[ $b2[0], $b2[1] ] = @l[ $b2[1], $b2[0] ];
	return @l;
});
($rc, $out) = offline('check', $swapped);
like($out, qr/^reordered record: transaction \d+ is at position 1 of block 2, expected 0$/m,
	'swapped transactions: reordered');
like($out, qr/^hash mismatch: the transactions of block 2 do not match its Merkle root$/m,
	'swapped transactions: block root mismatch');

# a block's link to the one before
my $unlinked = tampered('unlinked', 'audit_block', sub {
	map {
		/"block_no" ?: ?"2"/
		  ? s/("prev_hash" ?: ?")([0-9a-f]{2})/$1 . ($2 eq '00' ? 'ff' : '00')/er
		  : $_
	} @_ });
($rc, $out) = offline('check', $unlinked);
like($out, qr/^broken link: block 2 does not hash the block before it$/m,
	'changed link: broken link');

# the log cut at its tail: the last block gone with its records
my $cut = tampered('cut', 'audit_block', sub { @_[ 0 .. $#_ - 1 ] });
($rc, $out) = offline('check', $cut);
like($out, qr/^broken link: transaction \d+ belongs to block $blocks, which does not exist$/m,
	'truncated chain: broken link');
($rc, $out) = offline('check', $cut, '--digest', $digest);
like($out, qr/^digest not in chain: block $blocks does not exist$/m,
	'truncated chain: the digest is not in it');

# an ordinary role cannot export the trail
sql('CREATE ROLE clerk LOGIN');
{
	local $ENV{PGUSER} = 'clerk';
	($rc, $out) = offline('export', "$dir/clerk");
	isnt($rc, 0, 'an ordinary role cannot export the trail');
	like($out, qr/permission denied/, 'it is told why');
}

$node->stop;
done_testing();
