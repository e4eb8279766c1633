# pg_dump and pg_restore of a database with an audit trail: the copy keeps
# every record, block and link and verifies; the HMAC key is not in the
# dump and must be reinstalled with audit_restore_key(); digests name their
# database, so the copy's new digests are not mistaken for the original's.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('dump');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'carbon_ledger'
carbon_ledger.seal_interval = 0
});
$node->start;

$node->safe_psql('postgres', 'CREATE DATABASE bank');
# burn transaction ids, so that the trail's transactions get ids that a
# fresh cluster reaches again after a restore (see the end of the test)
my $burn = q{CREATE PROCEDURE burn(n int) LANGUAGE plpgsql AS $$
BEGIN
	FOR i IN 1..n LOOP
		PERFORM pg_current_xact_id();
		COMMIT;
	END LOOP;
END $$;};
$node->safe_psql('bank', $burn);
$node->safe_psql('bank', 'CALL burn(3000)');
$node->safe_psql('bank', q{
CREATE EXTENSION carbon_ledger;
CREATE TABLE loan (loan_no text PRIMARY KEY, principal numeric, issued date);
SELECT carbon_ledger.audit_enable('loan');
-- audited inheritance across schemas (pg_dump orders triggers by schema:
-- the parent's come back before the child's) and within one
CREATE SCHEMA a;
CREATE SCHEMA b;
CREATE TABLE a.par (id int PRIMARY KEY, v int);
CREATE TABLE b.chi (id int NOT NULL, v int);
SELECT carbon_ledger.audit_enable('a.par');
SELECT carbon_ledger.audit_enable('b.chi');
ALTER TABLE b.chi INHERIT a.par;
CREATE TABLE a.chi2 (id int NOT NULL, v int);
SELECT carbon_ledger.audit_enable('a.chi2');
ALTER TABLE a.chi2 INHERIT a.par;
INSERT INTO b.chi VALUES (1, 1);
INSERT INTO a.chi2 VALUES (2, 2);
INSERT INTO loan VALUES ('L1', 1000000.00, '2025-01-02'), ('L2', 5.5, '2025-02-03');
UPDATE loan SET principal = 900000.00 WHERE loan_no = 'L1';
SELECT carbon_ledger.audit_seal();
SELECT carbon_ledger.audit_set_key(sha256('dump test key'));
INSERT INTO loan VALUES ('L3', 7, '2025-03-04');
SELECT carbon_ledger.audit_seal();
INSERT INTO loan VALUES ('L4', 8, '2025-03-05');
});
is($node->safe_psql('bank',
	'SELECT valid, unsealed_records FROM carbon_ledger.audit_verify()'),
	't|1', 'original verifies, one record unsealed');
my $digest = $node->safe_psql('bank', 'SELECT carbon_ledger.audit_digest()');

my $dump = $node->basedir . '/bank.dump';
$node->command_ok([ 'pg_dump', '-Fc', '-f', $dump, '-d', $node->connstr('bank') ],
	'pg_dump');
my $plain = $node->basedir . '/bank.sql';
$node->command_ok([ 'pg_dump', '-f', $plain, '-d', $node->connstr('bank') ],
	'plain pg_dump');
my $key_hex = $node->safe_psql('bank',
	q{SELECT encode(sha256('dump test key'), 'hex')});
my $text = slurp_file($plain);
unlike($text, qr/$key_hex/, 'the HMAC key is not in the dump');
like($text, qr/COPY carbon_ledger\.audit_log/, 'the audit log is in the dump');

# CREATE EXTENSION audits the ledger's own tables from installation, and
# pg_restore runs it again in the copy: those enabling records come on top
# of the restored ones, unsealed.
$node->safe_psql('postgres', 'CREATE DATABASE fresh_install');
$node->safe_psql('fresh_install', 'CREATE EXTENSION carbon_ledger');
my $install_records = $node->safe_psql('fresh_install',
	q{SELECT count(*) FROM carbon_ledger.audit_log});
cmp_ok($install_records, '>', 0, 'installation records the ledger tables being audited');

$node->safe_psql('postgres', 'CREATE DATABASE copy');
$node->command_ok([ 'pg_restore', '-d', $node->connstr('copy'), $dump ],
	'pg_restore');

is($node->safe_psql('copy', q{SELECT count(*) FROM carbon_ledger.audit_log}),
	$node->safe_psql('bank', q{SELECT count(*) FROM carbon_ledger.audit_log})
	  + $install_records,
	'every record restored, beside the copy\'s own installation records');
like($node->safe_psql('copy',
	q{SELECT valid, coalesce(reason, '') FROM carbon_ledger.audit_verify()}),
	qr/^f\|key missing: block 2 was sealed with HMAC key 1, which is not installed$/,
	'without its key the keyed part cannot be verified');
# nor sealed on: blocks sealed now, without the key the chain's head was
# sealed with, would never verify once it is back
my ($seal_rc, $seal_out, $seal_err) = $node->psql('copy', 'SELECT carbon_ledger.audit_seal()');
like($seal_err, qr/cannot seal the audit trail: HMAC key 1 is not installed/,
	'sealing waits for the key to be reinstalled');
$node->safe_psql('copy',
	q{SELECT carbon_ledger.audit_restore_key(1, sha256('dump test key'))});
my ($rc, $out, $err) = $node->psql('copy',
	q{SELECT carbon_ledger.audit_restore_key(2, sha256('wrong key'))});
like($err, qr/no audit block was sealed with HMAC key 2/, 'unknown key id refused');
is($node->safe_psql('copy',
	q{SELECT valid, unsealed_records, coalesce(reason, '') FROM carbon_ledger.audit_verify()}),
	't|' . (1 + $install_records) . '|', 'restored copy verifies once its key is back');
is($node->safe_psql('copy',
	"SELECT valid FROM carbon_ledger.audit_verify('$digest'::carbon_ledger.audit_chain_digest)"),
	't', 'the copy still extends the original digest');

# the audit triggers came back, enabled always, and keep recording
is($node->safe_psql('copy', q{SELECT string_agg(tgname || ':' || tgenabled::text, ',' ORDER BY tgname)
	FROM pg_trigger WHERE tgrelid = 'loan'::regclass}),
	'carbon_ledger_audit:A,carbon_ledger_audit_truncate:A', 'audit triggers restored');
$node->safe_psql('copy', q{INSERT INTO loan VALUES ('L5', 9, '2025-04-01');
	SELECT carbon_ledger.audit_seal();});
is($node->safe_psql('copy',
	q{SELECT valid, unsealed_records FROM carbon_ledger.audit_verify()}),
	't|0', 'copy seals new blocks and verifies');

# every audited table of an inheritance tree came back audited, whichever
# order the restore recreated their triggers in (pg_dump orders them by
# schema): pg_restore, or the plain script in one transaction stopping at
# any error
my $audited = q{SELECT string_agg(tgrelid::regclass || ':' || tgname || ':' || tgenabled::text, ','
	ORDER BY tgrelid::regclass::text, tgname)
	FROM pg_trigger WHERE tgrelid IN ('a.par'::regclass, 'b.chi'::regclass, 'a.chi2'::regclass)};
my $want_audited = join(',', map { ("$_:carbon_ledger_audit:A", "$_:carbon_ledger_audit_truncate:A") }
	qw(a.chi2 a.par b.chi));
is($node->safe_psql('copy', $audited), $want_audited,
	'audited parent and children restored audited');
$node->safe_psql('postgres', 'CREATE DATABASE copy_plain');
$node->command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction',
	'-f', $plain, '-d', $node->connstr('copy_plain') ],
	'plain dump restored by psql in one transaction, stopping at any error');
is($node->safe_psql('copy_plain', $audited), $want_audited,
	'... audited alike');
for my $db (qw(copy_plain))
{
	$node->safe_psql($db,
		q{SELECT carbon_ledger.audit_restore_key(1, sha256('dump test key'))});
	is($node->safe_psql($db,
		q{SELECT valid, coalesce(reason, '') FROM carbon_ledger.audit_verify()}),
		't|', "$db verifies once its key is back");
}

# Two keys, rotated; a copy gets them back one by one.  Sealing waits for
# the head block's own key: an older key reinstalled first must not seal
# on (its blocks would not verify under the head's key).  A key set in the
# copy takes an id no block uses, so that the old keys can still come
# back; a key cannot be installed twice; keys are set at READ COMMITTED.
$node->safe_psql('postgres', 'CREATE DATABASE rot');
$node->safe_psql('rot', q{
CREATE EXTENSION carbon_ledger;
CREATE TABLE t (id int PRIMARY KEY);
SELECT carbon_ledger.audit_enable('t');
SELECT carbon_ledger.audit_seal();
SELECT carbon_ledger.audit_set_key(sha256('rot key 1'));
INSERT INTO t VALUES (1);
SELECT carbon_ledger.audit_seal();
SELECT carbon_ledger.audit_set_key(sha256('rot key 2'));
INSERT INTO t VALUES (2);
SELECT carbon_ledger.audit_seal();
});
is($node->safe_psql('rot', q{SELECT string_agg(coalesce(key_id, 0)::text, ',' ORDER BY block_no)
	FROM carbon_ledger.audit_block}), '0,1,2', 'blocks unkeyed, under key 1, under key 2');
my $rot_dump = $node->basedir . '/rot.dump';
$node->command_ok([ 'pg_dump', '-Fc', '-f', $rot_dump, '-d', $node->connstr('rot') ],
	'pg_dump of the rotated chain');
$node->safe_psql('postgres', 'CREATE DATABASE rot_copy');
$node->command_ok([ 'pg_restore', '--single-transaction', '-d', $node->connstr('rot_copy'), $rot_dump ],
	'pg_restore of the rotated chain');
$node->safe_psql('rot_copy', q{SELECT carbon_ledger.audit_restore_key(1, sha256('rot key 1'))});
($rc, $out, $err) = $node->psql('rot_copy', 'SELECT carbon_ledger.audit_seal()');
like($err, qr/cannot seal the audit trail: HMAC key 2 is not installed/,
	'an older key reinstalled alone does not seal on');
($rc, $out, $err) = $node->psql('rot_copy',
	q{SELECT carbon_ledger.audit_restore_key(1, sha256('rot key 1'))});
like($err, qr/audit HMAC key 1 is already installed/, 'a key is installed once');
($rc, $out, $err) = $node->psql('rot_copy', q{BEGIN ISOLATION LEVEL REPEATABLE READ;
	SELECT carbon_ledger.audit_set_key(sha256('rot key rr'))});
like($err, qr/audit_set_key\(\) must run at the READ COMMITTED isolation level/,
	'a key is not set from a snapshot older than the chain lock');
is($node->safe_psql('rot_copy', q{SELECT carbon_ledger.audit_set_key(sha256('rot key 3'))}),
	'3', 'a new key takes an id no block uses');
$node->safe_psql('rot_copy', q{SELECT carbon_ledger.audit_restore_key(2, sha256('rot key 2'));
	INSERT INTO t VALUES (3);
	SELECT carbon_ledger.audit_seal();});
is($node->safe_psql('rot_copy', q{SELECT valid, unsealed_records, coalesce(reason, '')
	FROM carbon_ledger.audit_verify()}), 't|0|',
	'every key back, the copy seals on with the new one and verifies');
is($node->safe_psql('rot_copy', q{SELECT key_id FROM carbon_ledger.audit_block
	ORDER BY block_no DESC LIMIT 1}), '3', 'under key 3');

# new blocks carry the copy's identity: its digest is not the original's
my $copy_digest = $node->safe_psql('copy', 'SELECT carbon_ledger.audit_digest()');
$node->safe_psql('bank', q{INSERT INTO loan VALUES ('L6', 10, '2025-04-02');
	SELECT carbon_ledger.audit_seal();});
like($node->safe_psql('bank',
	"SELECT valid, reason FROM carbon_ledger.audit_verify('$copy_digest'::carbon_ledger.audit_chain_digest)"),
	qr/^f\|digest not in chain: the digest belongs to database \d+\/\d+, block 3 to database \d+\/\d+$/,
	"the copy's digest is not mistaken for the original's");
is($node->safe_psql('copy', q{SELECT database_oid <> lag(database_oid) OVER (ORDER BY block_no)
	FROM carbon_ledger.audit_block ORDER BY block_no DESC LIMIT 1}),
	't', 'the copy stamps its own identity on new blocks');

# A restore into a fresh cluster: its transaction ids start again from
# the beginning, so new transactions reuse the ids of sealed ones.  Records
# name their transaction by id and start time, so the chain stays valid.
my $node2 = PostgreSQL::Test::Cluster->new('fresh');
$node2->init;
$node2->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'carbon_ledger'
carbon_ledger.seal_interval = 0
});
$node2->start;
$node2->safe_psql('postgres', 'CREATE DATABASE bank');
$node2->command_ok([ 'pg_restore', '-d', $node2->connstr('bank'), $dump ],
	'pg_restore into a fresh cluster');
$node2->safe_psql('bank',
	q{SELECT carbon_ledger.audit_restore_key(1, sha256('dump test key'))});
my ($lo, $hi) = split /\|/, $node2->safe_psql('bank',
	q{SELECT min(xid)::text::bigint, max(xid)::text::bigint FROM carbon_ledger.audit_block_xact});
my $next = $node2->safe_psql('bank', 'SELECT pg_current_xact_id()::text::bigint');
ok($next < $lo, "fresh cluster's transaction ids ($next) are below the sealed ones ($lo..$hi)");
$node2->safe_psql('bank', 'CALL burn(' . ($lo - $next - 1) . ')') if $lo - $next > 1;
my $reused = 0;
for (my $i = 0; $i <= $hi - $lo + 1; $i++)
{
	my $x = $node2->safe_psql('bank', qq{BEGIN;
		INSERT INTO loan VALUES ('N$i', 1, '2025-05-01');
		SELECT pg_current_xact_id()::text::bigint; COMMIT;});
	$reused++ if $node2->safe_psql('bank',
		"SELECT count(*) FROM carbon_ledger.audit_block_xact WHERE xid = '$x'") > 0;
}
ok($reused > 0, "$reused new transactions reuse the id of a sealed transaction");
$node2->safe_psql('bank', 'SELECT carbon_ledger.audit_seal()');
is($node2->safe_psql('bank',
	q{SELECT valid, unsealed_records, coalesce(reason, '') FROM carbon_ledger.audit_verify()}),
	't|0|', 'chain valid in the fresh cluster after reused transaction ids');
like($node2->safe_psql('bank',
	"SELECT valid, reason FROM carbon_ledger.audit_verify('$digest'::carbon_ledger.audit_chain_digest)"),
	qr/^t\|$/, 'the fresh copy still extends the original digest');

$node2->stop;
$node->stop;
done_testing();
