# The audit trail verified outside the database: tools/audit-verify.pl
# exports the trail's tables and recomputes every hash with Perl's own
# SHA-256, from docs/audit-format.md alone. It must agree with
# audit_verify() on an intact trail (values of awkward types, ledger
# bookings, savepoints, COPY, TRUNCATE, an HMAC key, a pending transaction,
# a client with other TimeZone, DateStyle and client encoding), export one
# consistent snapshot while transactions are being sealed, and catch each
# kind of tampering in the exported rows (values of the wrong JSON type, and
# blocks downgraded from HMAC to plain SHA-256 even without the key).
use strict;
use warnings;
use Digest::SHA qw(sha256 sha256_hex);
use File::Copy qw(copy);
use File::Path qw(make_path);
use IPC::Run;
use JSON::PP;
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
INSERT INTO odd ("Ünï code", n, big) VALUES ('表情', 123456789012345678901234567890,
	'中文 😀 emoji');
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

# tampered(NAME, FILE, EDIT[, FROM]): a copy of the export FROM (by default
# "export") whose FILE rows went through EDIT (a sub taking and returning
# the list of lines); returns its path.
sub tampered
{
	my ($name, $file, $edit, $from) = @_;
	my $copy = "$dir/$name";
	make_path($copy);
	for my $f (glob("$dir/" . ($from // 'export') . "/*.jsonl"))
	{
		copy($f, $copy) or die "copy $f: $!";
	}
	my @lines = split /\n/, slurp_file("$copy/$file.jsonl");
	open(my $fh, '>', "$copy/$file.jsonl") or die $!;
	print $fh map { "$_\n" } $edit->(@lines);
	close $fh;
	return $copy;
}

# edit_json(LINES, MATCH, EDIT): the lines, those matching MATCH decoded,
# passed to EDIT (which changes the row in place) and encoded again.
sub edit_json
{
	my ($lines, $match, $edit) = @_;
	my $js = JSON::PP->new->utf8->canonical;
	return map {
		my $l = $_;
		if ($l =~ $match)
		{
			my $r = $js->decode($l);
			$edit->($r);
			$l = $js->encode($r);
		}
		$l;
	} @$lines;
}

my ($rc, $out) = offline('export', "$dir/export", '--with-keys');
is($rc, 0, 'export as a superuser, keys included');
is((stat("$dir/export/audit_key.jsonl"))[2] & 07777, 0600,
	'the file of the keys is readable by its owner only');
# and never into a directory others may write, where a file of theirs
# could take the keys' file's place
make_path("$dir/shared");
chmod(0777, "$dir/shared");
($rc, $out) = offline('export', "$dir/shared", '--with-keys');
is($rc, 2, 'the keys are not exported into a directory others may write');
like($out, qr/--with-keys needs a directory of yours that only you can write/,
	'saying why');
is_deeply([ glob("$dir/shared/*") ], [], 'and nothing is written there');
($rc, $out) = offline('check', "$dir/export");
is($rc, 0, 'intact trail verifies outside the database');
my $summary = "valid: $records records, $blocks blocks, $unsealed unsealed records\n";
is($out, $summary, 'and counts what audit_verify() counts');
($rc, $out) = offline('check', "$dir/export", '--digest', $digest);
is($rc, 0, 'the saved digest is in the chain');
# the digest as psql prints audit_digest(), and with \x before the hash
($rc, $out) = offline('check', "$dir/export", '--digest',
	sql('SELECT carbon_ledger.audit_digest()'));
is($rc, 0, 'the digest as psql prints audit_digest() is taken too');
($rc, $out) = offline('check', "$dir/export", '--digest', $digest =~ s/:/:\\x/r);
is($rc, 0, 'and with \\x before the hash');
($rc, $out) = offline('check', "$dir/export", '--digest', 'block 4');
is($rc, 2, 'a malformed digest is refused');
like($out,
	qr/--digest takes BLOCK_NO:BLOCK_HASH in hex, or the composite audit_digest\(\) returns, not "block 4"/,
	'saying what it takes');

# the composite names its database: a digest of another one is not taken
# for this chain's, as audit_verify(digest) has it
my $comp = sql('SELECT carbon_ledger.audit_digest()');
(my $other = $comp) =~ s/^(\(\d+,"[^"]*",\d*)(\d),/$1 . (($2 + 1) % 10) . ','/e;
isnt($other, $comp, 'a digest naming another system identifier');
($rc, $out) = offline('check', "$dir/export", '--digest', $other);
is($rc, 1, 'is not in the chain');
like($out,
	qr{^digest not in chain: the digest belongs to database \d+/\d+, block \d+ to database \d+/\d+$}m,
	'which names both databases');
# the empty chain's digest: block 0, the zero hash
my $zero = '0' x 64;
($rc, $out) = offline('check', "$dir/export", '--digest', "0:$zero");
is($rc, 0, "the empty chain's digest is extended by this chain");
(my $empty = $comp) =~ s/^\(\d+,"[^"]*",/(0,"\\\\x$zero",/;
($rc, $out) = offline('check', "$dir/export", '--digest', $empty);
is($rc, 0, '... also as a composite naming this database');
(my $empty_other = $other) =~ s/^\(\d+,"[^"]*",/(0,"\\\\x$zero",/;
($rc, $out) = offline('check', "$dir/export", '--digest', $empty_other);
like($out, qr{^digest not in chain: the empty chain of database \d+/\d+ is not this chain's start$}m,
	"but not the empty chain of another database");
($rc, $out) = offline('check', "$dir/export", '--digest', "0:" . ('1' x 64));
is($rc, 1, 'nor block 0 with another hash');

# the export is UTF-8 whatever the client encoding: GBK has the Chinese text
# in other bytes and no emoji, LATIN1 neither
for my $enc (qw(GBK LATIN1))
{
	local $ENV{PGCLIENTENCODING} = $enc;
	($rc, $out) = offline('export', "$dir/$enc", '--with-keys');
	is($rc, 0, "export under PGCLIENTENCODING=$enc");
	($rc, $out) = offline('check', "$dir/$enc");
	is($out, $summary, "export under PGCLIENTENCODING=$enc verifies");
}

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

# a row image that is not an object of strings and nulls cannot be the one
# hashed, whatever Perl makes of it: audit_verify() reports the record
my $typed_id;
my $typed = tampered('typed', 'audit_log', sub {
	edit_json(\@_, qr/"c1"/, sub { $typed_id = $_[0]{id}; $_[0]{new_row}{n} = 5 }) });
($rc, $out) = offline('check', $typed);
is($rc, 1, 'a number in place of a string in a row image: invalid');
like($out, qr/^hash mismatch: record $typed_id does not match its leaf hash$/m,
	'a number in place of a string in a row image: hash mismatch');
my $hugeint = tampered('hugeint', 'audit_log', sub {
	map { s/"(123456789012345678901234567890)"/$1/r } @_ });
($rc, $out) = offline('check', $hugeint);
like($out, qr/^hash mismatch: record \d+ does not match its leaf hash$/m,
	'a number too large for Perl in a row image: hash mismatch');
for my $img ([ 'new_row', ['x'] ], [ 'row_key', 'x' ], [ 'new_row', { n => { a => '5' } } ],
	[ 'old_row', JSON::PP::true ])
{
	my ($col, $val) = @$img;
	my $t = tampered("typed-$col", 'audit_log', sub {
		edit_json(\@_, qr/"c1"/, sub { $_[0]{$col} = $val }) });
	($rc, $out) = offline('check', $t);
	is($rc, 1, "$col replaced by " . JSON::PP->new->allow_nonref->encode($val)
		. ': invalid, no crash');
	like($out, qr/^hash mismatch: record $typed_id does not match its leaf hash$/m,
		"$col replaced: hash mismatch for the record");
}
# audit_verify() agrees on the number in the image
is(sql(q{
BEGIN;
SET session_replication_role = replica;
ALTER EVENT TRIGGER carbon_ledger_audit_guard_alter DISABLE;
ALTER EVENT TRIGGER carbon_ledger_audit_guard_drop DISABLE;
ALTER TABLE carbon_ledger.audit_log DISABLE TRIGGER USER;
UPDATE carbon_ledger.audit_log SET new_row = jsonb_set(new_row, '{n}', '5')
 WHERE new_row->>'Ünï code' = 'c1';
SELECT reason FROM carbon_ledger.audit_verify();
ROLLBACK;}), "hash mismatch: record $typed_id does not match its leaf hash",
	'audit_verify() reports the same');

# other fields of the wrong JSON type: a problem, never a crash
my @wrong = (
	[ 'audit_log', qr/"c2"/, sub { $_[0]{ordinal} = {} },
		qr/^malformed row: audit_log\.jsonl line \d+: ordinal is not an integer$/m ],
	[ 'audit_log', qr/"c2"/, sub { $_[0]{id} = [1] },
		qr/^malformed row: audit_log\.jsonl line \d+: id is not an integer$/m ],
	[ 'audit_log', qr/"c2"/, sub { $_[0]{table_name} = ['odd'] },
		qr/^hash mismatch: record \d+ does not match its leaf hash$/m ],
	[ 'audit_log', qr/"c2"/, sub { $_[0]{leaf_hash} = { x => 1 } },
		qr/^hash mismatch: record \d+ does not match its leaf hash$/m ],
	[ 'audit_log', qr/"c2"/, sub { $_[0]{format_version} = [1] },
		qr/^hash mismatch: record \d+ does not match its leaf hash$/m ],
	[ 'audit_block_xact', qr/"block_no" ?: ?"3"/, sub { $_[0]{n_records} = [2] },
		qr/^malformed row: audit_block_xact\.jsonl line \d+: n_records is not an integer$/m ],
	[ 'audit_block', qr/"block_no" ?: ?"3"/, sub { $_[0]{key_id} = { a => 1 } },
		qr/^malformed row: audit_block\.jsonl line 3: key_id is not an integer$/m ],
	[ 'audit_block', qr/"block_no" ?: ?"2"/, sub { $_[0]{block_hash} = ['x'] },
		qr/^malformed row: audit_block\.jsonl line 2: block_hash is not a hash in hex$/m ],
	[ 'audit_pending', qr/./, sub { $_[0]{xid} = JSON::PP::true },
		qr/^malformed row: audit_pending\.jsonl line 1: xid is not an integer$/m ],
	[ 'audit_key', qr/./, sub { $_[0]{first_block} = [] },
		qr/^malformed row: audit_key\.jsonl line 1: first_block is not an integer$/m ],
);
for my $w (@wrong)
{
	my ($file, $match, $edit, $want) = @$w;
	my $t = tampered('wrong', $file, sub { edit_json(\@_, $match, $edit) });
	($rc, $out) = offline('check', $t);
	is($rc, 1, "wrong JSON type in $file: invalid, no crash");
	like($out, $want, "wrong JSON type in $file: reported");
}
my $notobj = tampered('notobj', 'audit_block', sub { ('[1]', @_[ 1 .. $#_ ]) });
($rc, $out) = offline('check', $notobj);
is($rc, 1, 'a row that is not a JSON object: invalid, no crash');
like($out, qr/^malformed row: audit_block\.jsonl line 1: not a JSON object$/m,
	'a row that is not a JSON object: reported');

# Without --with-keys a superuser's export lists the keys (id, first block)
# without the key material: keyed blocks cannot be checked, but a chain
# downgraded to plain SHA-256 from some block on is caught.
($rc, $out) = offline('export', "$dir/keylist");
is($rc, 0, 'export as a superuser without --with-keys');
my $keylist = slurp_file("$dir/keylist/audit_key.jsonl");
my ($first_keyed) = $keylist =~ /"first_block" ?: ?"(\d+)"/;
ok($first_keyed, 'the key list is exported');
my $key_hex = sha256_hex('offline test key');
unlike($keylist, qr/$key_hex/, 'without the key material');
($rc, $out) = offline('check', "$dir/keylist");
like($out, qr/^key missing: block $first_keyed was sealed with HMAC key 1/m,
	'keyed blocks without key material: key missing');
unlike($out, qr/not hashed with HMAC/, 'and no downgrade');

# downgrade(FROM, LINES...): audit_block rows with the blocks from FROM on
# unkeyed, hashed with plain SHA-256 and linked again: what someone who can
# write the trail's tables but lacks the key can do.
sub downgrade
{
	my ($from, @lines) = @_;
	my $js = JSON::PP->new->utf8->canonical;
	my $f = sub { defined $_[0] ? pack('N', length $_[0]) . $_[0] : "\xff" x 4 };
	my $prev;
	return map {
		my $b = $js->decode($_);
		if ($b->{block_no} >= $from)
		{
			$b->{prev_hash} = $prev;
			$b->{key_id} = undef;
			$b->{block_hash} = sha256_hex(join '', map { $f->($_) }
				$b->{format_version}, $b->{block_no}, pack('H*', $b->{prev_hash}),
				pack('H*', $b->{merkle_root}), $b->{n_transactions},
				$b->{n_records}, $b->{system_identifier}, $b->{database_oid}, undef);
		}
		$prev = $b->{block_hash};
		$js->encode($b);
	} @lines;
}
for my $from ('keylist', 'export')
{
	my $down = tampered("downgraded-$from", 'audit_block',
		sub { downgrade($first_keyed, @_) }, $from);
	($rc, $out) = offline('check', $down);
	is($rc, 1, "keyed blocks downgraded ($from): invalid");
	like($out, qr/^hash mismatch: block $first_keyed is not hashed with HMAC key 1$/m,
		"keyed blocks downgraded ($from): reported as audit_verify() does");
	unlike($out, qr/broken link|does not match its hash|key missing/,
		"keyed blocks downgraded ($from): nothing else");
}

# a role that may read the trail but not the key list exports the trail,
# and is told what that means; carbon_ledger_auditor may read the key
# list's columns (never the keys): its export has them, and a downgrade is
# caught
sql(q{CREATE ROLE trail_only LOGIN;
GRANT USAGE ON SCHEMA carbon_ledger TO trail_only;
GRANT SELECT ON carbon_ledger.audit_log, carbon_ledger.audit_pending,
	carbon_ledger.audit_block, carbon_ledger.audit_block_xact TO trail_only});
sql('CREATE ROLE auditor LOGIN IN ROLE carbon_ledger_auditor');
{
	local $ENV{PGUSER} = 'trail_only';
	($rc, $out) = offline('export', "$dir/keylist");
	is($rc, 0, 'an auditor exports the trail');
	like($out, qr/warning: .*HMAC/, 'warned that HMAC coverage cannot be checked');
	ok(!-e "$dir/keylist/audit_key.jsonl", 'no key list (the old one removed)');
	($rc, $out) = offline('check', "$dir/keylist");
	like($out, qr/^key missing: block $first_keyed was sealed with HMAC key 1/m,
		'checked without key list: key missing');
}
{
	local $ENV{PGUSER} = 'auditor';
	($rc, $out) = offline('export', "$dir/auditor", '--with-keys');
	is($rc, 2, 'an auditor cannot export the keys');
	like($out, qr/--with-keys exports the HMAC keys, which only a superuser may read/,
		'and is told why');
	is_deeply([ glob("$dir/auditor/*") ], [],
		'a failed export leaves no partial files behind');
}
{
	local $ENV{PGUSER} = 'auditor';
	($rc, $out) = offline('export', "$dir/auditor");
	is($out, '', 'an auditor reads the key list: no warning');
	is(slurp_file("$dir/auditor/audit_key.jsonl"), $keylist,
		'and the key list is exported');
	my $down = tampered('downgraded-auditor', 'audit_block',
		sub { downgrade($first_keyed, @_) }, 'auditor');
	($rc, $out) = offline('check', $down);
	like($out, qr/^hash mismatch: block $first_keyed is not hashed with HMAC key 1$/m,
		'a downgrade is caught in the export of an auditor');
}

# One snapshot: blocks sealed while the export runs do not show in some of
# its files and not in others.
sql(q{CREATE TABLE busy (n int PRIMARY KEY);
CREATE TABLE stop_busy ();
SELECT carbon_ledger.audit_enable('busy');});
my $writer = $node->background_psql('postgres');
$writer->query_until(qr/writing/, q{
\echo writing
DO $$ BEGIN
FOR i IN 1..1000000 LOOP
	EXIT WHEN EXISTS (SELECT FROM stop_busy);
	INSERT INTO busy VALUES (i);
	COMMIT;
	PERFORM carbon_ledger.audit_seal();
	COMMIT;
END LOOP; END $$;
});
$node->poll_query_until('postgres',
	"SELECT count(*) > $blocks + 20 FROM carbon_ledger.audit_block")
  or die 'the writer does not seal';
my $sealed_before = sql('SELECT count(*) FROM carbon_ledger.audit_block');
for my $i (1 .. 5)
{
	($rc, $out) = offline('export', "$dir/busy$i", '--with-keys');
	is($rc, 0, "export $i while sealing");
	($rc, $out) = offline('check', "$dir/busy$i");
	like($out, qr/^valid: \d+ records, \d+ blocks, \d+ unsealed records$/,
		"export $i while sealing verifies");
}
ok(sql('SELECT count(*) FROM carbon_ledger.audit_block') > $sealed_before,
	'blocks were sealed during the exports');
sql('INSERT INTO stop_busy DEFAULT VALUES');
$writer->quit;
is(sql('SELECT valid FROM carbon_ledger.audit_verify()'), 't',
	'the trail still verifies in the database');

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
