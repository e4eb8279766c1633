# The background sealer never holds up a DBA: a session that locks the
# audit trail's tables in the other order from audit_seal() (as DROP
# EXTENSION does) while the sealer waits would deadlock with it, and the
# loser could be the DBA's statement.  The sealer waits for locks at most
# 500 ms (lock_timeout), then gives up its round, so the session gets its
# locks well before deadlock_timeout (5 s here) would break the cycle.
# Seen under valgrind in "make sanitize": an isolation suite's teardown
# DROP EXTENSION failed with "deadlock detected" against the sealer.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time usleep);

my $node = PostgreSQL::Test::Cluster->new('sealer_locks');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'carbon_ledger'
carbon_ledger.seal_interval = 1
carbon_ledger.seal_databases = 'postgres'
deadlock_timeout = '5s'
});
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION carbon_ledger');

# hold the pending queue, which audit_seal() locks after the chain
my $dba = $node->background_psql('postgres');
$dba->query_safe('BEGIN');
$dba->query_safe(
	'LOCK TABLE carbon_ledger.audit_pending IN ACCESS EXCLUSIVE MODE');

# wait until a sealer holds the chain lock and waits for the queue
my $waiting = 0;
for (my $i = 0; $i < 300 && !$waiting; $i++)
{
	$waiting = $node->safe_psql('postgres', q{
		SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
		WHERE NOT l.granted AND a.backend_type <> 'client backend'
		  AND l.relation = 'carbon_ledger.audit_pending'::regclass});
	usleep(50_000) unless $waiting;
}
ok($waiting, 'a sealer waits for the pending queue');

# now take the chain in the opposite order: the sealer must give way
my $t0 = time;
$dba->query_safe(
	'LOCK TABLE carbon_ledger.audit_block IN ACCESS EXCLUSIVE MODE');
my $took = time - $t0;
ok($took < 3, sprintf('the session got the chain lock in %.1f s, before deadlock_timeout', $took));
$dba->query_safe('ROLLBACK');
$dba->quit;

# the sealer's round was abandoned, not the chain: a later round seals
$node->safe_psql('postgres',
	'CREATE TABLE t (id int PRIMARY KEY); SELECT carbon_ledger.audit_enable(\'t\'); INSERT INTO t VALUES (1)');
my $sealed = 0;
for (my $i = 0; $i < 100 && !$sealed; $i++)
{
	usleep(100_000);
	$sealed = $node->safe_psql('postgres',
		'SELECT unsealed_records = 0 AND valid FROM carbon_ledger.audit_verify()') eq 't';
}
ok($sealed, 'a later round seals everything and the chain verifies');
like(slurp_file($node->logfile), qr/lock timeout/,
	'the abandoned round is in the server log');

$node->stop;
done_testing();
