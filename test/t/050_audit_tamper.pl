# Tampering with the audit trail as a superuser going around its triggers
# (session_replication_role = replica, ALTER TABLE ... DISABLE TRIGGER,
# direct writes): audit_verify() must catch a changed record, a deleted one,
# a forged one, two swapped, a truncated log, and a tail rewritten with
# recomputed hashes (the last through a saved digest, or the HMAC key).
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('tamper');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'carbon_ledger'
carbon_ledger.seal_interval = 0
});
$node->start;

sub sql { return $node->safe_psql('postgres', shift); }

sql(q{
CREATE EXTENSION carbon_ledger;
CREATE TABLE acct (no text PRIMARY KEY, holder text, credits numeric);
SELECT carbon_ledger.audit_enable('acct');
INSERT INTO acct VALUES ('A1', 'h1', 10), ('A2', 'h2', 20), ('A3', 'h3', 30);
UPDATE acct SET credits = credits + 1 WHERE no = 'A1';
DELETE FROM acct WHERE no = 'A3';
SELECT carbon_ledger.audit_seal();
INSERT INTO acct VALUES ('A4', 'h4', 40);
SELECT carbon_ledger.audit_seal();
});
is(sql('SELECT valid FROM carbon_ledger.audit_verify()'), 't',
	'untouched chain verifies');
my $digest = sql('SELECT carbon_ledger.audit_digest()');

# The protections hold even in replica mode: the attacker must disable them.
my ($rc, $out, $err) = $node->psql('postgres', q{
SET session_replication_role = replica;
UPDATE carbon_ledger.audit_log SET operation = 'INSERT' WHERE id = 1;});
like($err, qr/UPDATE of "audit_log" is not allowed/,
	'replica mode does not bypass the append-only trigger');
($rc, $out, $err) = $node->psql('postgres',
	q{ALTER TABLE carbon_ledger.audit_log DISABLE TRIGGER audit_log_append_only});
like($err, qr/must stay enabled always/,
	'disabling the protection is refused while the guard is on');

# Every attack runs in a transaction that disables the guard and the
# protection triggers, tampers, asks audit_verify, and rolls back.
my $around = q{
SET session_replication_role = replica;
ALTER EVENT TRIGGER carbon_ledger_audit_guard_alter DISABLE;
ALTER EVENT TRIGGER carbon_ledger_audit_guard_drop DISABLE;
ALTER TABLE carbon_ledger.audit_log DISABLE TRIGGER USER;
ALTER TABLE carbon_ledger.audit_block DISABLE TRIGGER USER;
ALTER TABLE carbon_ledger.audit_block_xact DISABLE TRIGGER USER;
ALTER TABLE carbon_ledger.audit_pending DISABLE TRIGGER USER;
};

# Settings that make audit_verify() read the log with parallel workers
# (Gather Merge over a parallel sequential scan, the leader only merging)
# even on this small log.
my $parallel = q{
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
};

# The parallel settings do reach the query audit_verify() runs: auto_explain
# logs its plan with the workers it launched.
{
	my $offset = -s $node->logfile;
	is(sql("LOAD 'auto_explain';
		SET auto_explain.log_min_duration = 0;
		SET auto_explain.log_nested_statements = on;
		SET auto_explain.log_analyze = on;
		SET auto_explain.log_verbose = on;
		BEGIN; $parallel
		SELECT valid FROM carbon_ledger.audit_verify(); COMMIT;"), 't',
		'untouched chain verifies with parallel workers');
	my $log = slurp_file($node->logfile, $offset);
	like($log, qr/Gather Merge.*Workers Launched: [12].*carbon_ledger\.audit_record_leaf/s,
		'audit_verify() read the log with parallel workers');
}

# attack SQL, optional verify argument: "valid|first_bad_id|reason".
# Verifies twice, serially and with parallel workers: both must report the
# same.
sub attack
{
	my ($tamper, $arg) = @_;
	my $verify = defined $arg
	  ? "carbon_ledger.audit_verify($arg)"
	  : 'carbon_ledger.audit_verify()';
	my $query = "SELECT (CASE WHEN valid THEN 't' ELSE 'f' END) || '|' || coalesce(first_bad_id::text, '') || '|' || coalesce(reason, '') FROM $verify";
	my $res = sql("BEGIN; $around $tamper; $query; $parallel $query; ROLLBACK;");
	my ($serial, $par) = split /\n/, $res;
	is($par, $serial, 'parallel verification reports what serial reports');
	return $serial;
}

my $ids = sql(q{SELECT string_agg(id::text, ',' ORDER BY id)
	FROM carbon_ledger.audit_log WHERE operation = 'INSERT'});
my @ins = split /,/, $ids;

like(attack(q{UPDATE carbon_ledger.audit_log
	SET new_row = jsonb_set(new_row, '{credits}', '"1000"') WHERE id = } . $ins[1]),
	qr/^f\|$ins[1]\|hash mismatch: record $ins[1] does not match its leaf hash$/,
	'changed record: hash mismatch at that record');

like(attack(q{UPDATE carbon_ledger.audit_log
	SET new_row = jsonb_set(new_row, '{credits}', '"1000"') WHERE id = } . $ins[1] . q{;
	UPDATE carbon_ledger.audit_log
	SET leaf_hash = sha256('\x00'::bytea || carbon_ledger.audit_canonical_record(id))
	WHERE id = } . $ins[1]),
	qr/^f\|\d+\|hash mismatch: the records of transaction \d+ do not match its Merkle root/,
	'changed record with recomputed leaf: Merkle root mismatch');

like(attack("DELETE FROM carbon_ledger.audit_log WHERE id = $ins[1]"),
	qr/^f\|\d+\|missing record: transaction \d+ has 2 of the 3 records/,
	'deleted record: missing record');

like(attack(q{INSERT INTO carbon_ledger.audit_log
	SELECT 1000, '999999', 1, table_name, operation, row_key, old_row,
	       '{"no": "A9", "holder": "forged", "credits": "1"}', session_user_name,
	       current_user_name, xact_start, stmt_time, format_version, '\x00'
	  FROM carbon_ledger.audit_log WHERE id = } . $ins[0] . q{;
	UPDATE carbon_ledger.audit_log
	SET leaf_hash = sha256('\x00'::bytea || carbon_ledger.audit_canonical_record(id))
	WHERE id = 1000}),
	qr/^f\|1000\|inserted record: record 1000 belongs to transaction 999999, which is neither sealed nor pending$/,
	'forged record in a new transaction: inserted record');

like(attack(q{INSERT INTO carbon_ledger.audit_log
	SELECT 1000, xid, 9, table_name, operation, row_key, old_row,
	       '{"no": "A9", "holder": "forged", "credits": "1"}', session_user_name,
	       current_user_name, xact_start, stmt_time, format_version, '\x00'
	  FROM carbon_ledger.audit_log WHERE id = } . $ins[0] . q{;
	UPDATE carbon_ledger.audit_log
	SET leaf_hash = sha256('\x00'::bytea || carbon_ledger.audit_canonical_record(id))
	WHERE id = 1000}),
	qr/^f\|\d+\|inserted record: transaction \d+ has 4 records, block 1 sealed 3$/,
	'forged record in a sealed transaction: inserted record');

like(attack(qq{UPDATE carbon_ledger.audit_log SET ordinal = 4 - ordinal
	WHERE id IN ($ins[0], $ins[2])}),
	qr/^f\|$ins[0]\|hash mismatch/,
	'two records swapped: hash mismatch');

like(attack(qq{UPDATE carbon_ledger.audit_log SET ordinal = 4 - ordinal
	WHERE id IN ($ins[0], $ins[2]);
	UPDATE carbon_ledger.audit_log
	SET leaf_hash = sha256('\\x00'::bytea || carbon_ledger.audit_canonical_record(id))
	WHERE id IN ($ins[0], $ins[2])}),
	qr/^f\|\d+\|reordered record: record \d+ is out of order in transaction \d+$/,
	'two records swapped with recomputed leaves: reordered record');

like(attack('TRUNCATE carbon_ledger.audit_log'),
	qr/^f\|\|missing record: all \d+ records of transaction \d+ in block 1 are missing$/,
	'truncated log: missing records');

like(attack('DELETE FROM carbon_ledger.audit_block WHERE block_no = 1'),
	qr/^f\|\|broken link: /, 'deleted block: broken link');

like(attack(q{CREATE TEMP TABLE s AS SELECT position, xid, xact_start, n_records, merkle_root
	  FROM carbon_ledger.audit_block_xact WHERE block_no = 1 AND position < 2;
	UPDATE carbon_ledger.audit_block_xact SET xid = '999999999'
	 WHERE block_no = 1 AND position = 0;
	UPDATE carbon_ledger.audit_block_xact x
	   SET xid = s.xid, xact_start = s.xact_start, n_records = s.n_records,
	       merkle_root = s.merkle_root
	  FROM s WHERE x.block_no = 1 AND x.position = 1 - s.position}),
	qr/^f\|\|hash mismatch: the transactions of block 1 do not match its Merkle root$/,
	'reordered transactions of a block: hash mismatch');

# Rewriting the tail with every hash recomputed by the documented formulas
# (docs/audit-format.md) goes unnoticed by a bare audit_verify(), but not
# by audit_verify(saved digest).
my $rewrite = q{
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
CREATE FUNCTION pg_temp.f(b bytea) RETURNS bytea LANGUAGE sql AS
	$$ SELECT CASE WHEN b IS NULL THEN '\xffffffff'::bytea
	          ELSE int4send(length(b)) || b END $$;
CREATE FUNCTION pg_temp.ft(t text) RETURNS bytea LANGUAGE sql AS
	$$ SELECT pg_temp.f(convert_to(t, 'UTF8')) $$;
UPDATE carbon_ledger.audit_log SET new_row = jsonb_set(new_row, '{credits}', '"4000"')
 WHERE new_row->>'no' = 'A4';
UPDATE carbon_ledger.audit_log
   SET leaf_hash = sha256('\x00'::bytea || carbon_ledger.audit_canonical_record(id))
 WHERE new_row->>'no' = 'A4';
UPDATE carbon_ledger.audit_block_xact x SET merkle_root = l.leaf_hash
  FROM carbon_ledger.audit_log l WHERE l.xid = x.xid AND l.new_row->>'no' = 'A4';
UPDATE carbon_ledger.audit_block b
   SET merkle_root = carbon_ledger.audit_merkle_root(ARRAY[
         pg_temp.ft(x.xid::text) || pg_temp.ft(x.xact_start::text)
         || pg_temp.ft('1') || pg_temp.f(x.merkle_root)])
  FROM carbon_ledger.audit_block_xact x
 WHERE x.block_no = b.block_no AND b.block_no = 2;
UPDATE carbon_ledger.audit_block
   SET block_hash = sha256(pg_temp.ft('1') || pg_temp.ft(block_no::text)
       || pg_temp.f(prev_hash) || pg_temp.f(merkle_root)
       || pg_temp.ft(n_transactions::text) || pg_temp.ft(n_records::text)
       || pg_temp.ft(system_identifier::text) || pg_temp.ft(database_oid::text)
       || pg_temp.f(convert_to(key_id::text, 'UTF8')))
 WHERE block_no = 2
};
is(attack($rewrite), 't||',
	'tail rewritten with recomputed hashes passes a bare verify');
like(attack($rewrite, "'$digest'::carbon_ledger.audit_chain_digest"),
	qr/^f\|\|digest not in chain: block 2 has another hash$/,
	'tail rewrite caught by the saved digest');

# Keyed mode: with an HMAC key the same rewrite, done without the key,
# breaks the chain even with no digest saved.
sql(q{SELECT carbon_ledger.audit_set_key(sha256('tamper test key'))});
sql(q{INSERT INTO acct VALUES ('A5', 'h5', 50); SELECT carbon_ledger.audit_seal();});
is(sql('SELECT valid FROM carbon_ledger.audit_verify()'), 't',
	'keyed chain verifies');
my $keyed = $rewrite;
$keyed =~ s/'A4'/'A5'/g;
$keyed =~ s/block_no = 2/block_no = 3/g;
like(attack($keyed),
	qr/^f\|\|hash mismatch: block 3 does not match its hash$/,
	'tail rewrite without the HMAC key is caught');
$keyed =~ s/pg_temp\.f\(convert_to\(key_id::text, 'UTF8'\)\)\)/pg_temp.f(NULL))/;
$keyed =~ s/WHERE block_no = 3\n\z/, key_id = NULL WHERE block_no = 3\n/;
like(attack($keyed),
	qr/^f\|\|hash mismatch: block 3 is not hashed with HMAC key 1$/,
	'downgrading a keyed block to plain SHA-256 is caught');

# the key is not readable by other roles, nor in the log
sql('CREATE ROLE clerk LOGIN');
($rc, $out, $err) = $node->psql('postgres',
	'SELECT key FROM carbon_ledger.audit_key', extra_params => [ '-U', 'clerk' ]);
like($err, qr/permission denied/, 'other roles cannot read the key');
is(sql(q{SELECT count(*) FROM carbon_ledger.audit_log
	WHERE strpos(coalesce(new_row::text, ''), encode(sha256('tamper test key'), 'hex')) > 0}),
	'0', 'the key is not in the audit log');
is(sql('SELECT valid FROM carbon_ledger.audit_verify()'), 't',
	'chain still valid after the rolled-back attacks');

$node->stop;
done_testing();
