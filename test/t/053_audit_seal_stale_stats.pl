# audit_seal() stays linear in the length of the pending queue when the
# queue's statistics are stale.  The queue swings between empty (just after
# a seal, when autovacuum often records it) and large (under load), so the
# planner routinely believes it holds no rows.  The sealer once took its
# batch with a join of the queue against itself; planned on such statistics
# it became a nested loop, and sealing 120,000 queued transactions kept a
# background sealer busy for over eight minutes (seen in
# test/bench/audit_bench.sh; 20,000 took 38 s).  The test recreates the
# stale statistics, seals with auto_explain showing every plan the sealer
# runs, and requires that none of them joins.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('seal_stale_stats');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'carbon_ledger'
carbon_ledger.seal_interval = 0
autovacuum = off
});
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION carbon_ledger;
	CREATE TABLE t (id bigint PRIMARY KEY, note text);
	SELECT carbon_ledger.audit_enable('t');
	CREATE PROCEDURE add_rows(first bigint, n bigint) LANGUAGE plpgsql AS $$
	BEGIN
		FOR i IN first .. first + n - 1 LOOP
			INSERT INTO t VALUES (i, 'row ' || i);
			COMMIT;
		END LOOP;
	END $$;
});

# a queue emptied by a seal and then vacuumed: its statistics say no rows
# on pages that the next transactions fill again
$node->safe_psql('postgres', q{
	CALL add_rows(1, 2000);
	SELECT carbon_ledger.audit_seal();
	VACUUM (TRUNCATE false) carbon_ledger.audit_pending;
});
is( $node->safe_psql('postgres', q{
		SELECT reltuples = 0 AND relpages > 0 FROM pg_class
		WHERE oid = 'carbon_ledger.audit_pending'::regclass}),
	't', 'the queue is recorded as empty');

$node->safe_psql('postgres', 'CALL add_rows(2001, 5000)');
is( $node->safe_psql('postgres',
		'SELECT count(*) FROM carbon_ledger.audit_pending'),
	'5000', 'five thousand transactions wait to be sealed');

my ($stdout, $stderr);
$node->psql(
	'postgres', q{
	LOAD 'auto_explain';
	SET auto_explain.log_min_duration = 0;
	SET auto_explain.log_nested_statements = on;
	SET auto_explain.log_level = notice;
	SELECT carbon_ledger.audit_seal();
},
	stdout => \$stdout,
	stderr => \$stderr,
	on_error_die => 1);
is($stdout, '5000', 'audit_seal() sealed every queued record');
like($stderr, qr/audit_pending/, 'the plans of the sealer were shown');
unlike($stderr, qr/Nested Loop|Hash Join|Merge Join/,
	'no plan of the sealer joins');

is( $node->safe_psql('postgres', q{
		SELECT valid, unsealed_records,
			records_checked = (SELECT count(*) FROM carbon_ledger.audit_log)
		FROM carbon_ledger.audit_verify()}),
	't|0|t', 'the chain verifies with every record sealed');

$node->stop;
done_testing();
