# kill -9 in the middle of a concurrent audited load: after restart the
# chain is valid, every committed row has its audit record, no record of a
# transaction the crash aborted survives, and the background sealer links
# everything without anyone calling audit_seal().
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes qw(usleep);

my $node = PostgreSQL::Test::Cluster->new('crash');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'carbon_ledger'
carbon_ledger.seal_interval = 1
carbon_ledger.seal_databases = 'postgres'
max_connections = 40
});
$node->start;

$node->safe_psql('postgres', q{
CREATE EXTENSION carbon_ledger;
CREATE TABLE activity (id bigserial PRIMARY KEY, account text, grams bigint,
	at timestamptz DEFAULT now());
SELECT carbon_ledger.audit_enable('activity');
});

my $script = $node->basedir . '/load.sql';
open my $fh, '>', $script or die;
print $fh q{\set a random(1, 1000)
BEGIN;
INSERT INTO activity (account, grams) VALUES ('XZ' || :a, :a);
INSERT INTO activity (account, grams) VALUES ('XZ' || :a, -:a);
UPDATE activity SET grams = grams + 1 WHERE id = (SELECT max(id) FROM activity);
COMMIT;
};
close $fh;

my ($out, $err) = ('', '');
my $load = IPC::Run::start(
	[ 'pgbench', '-n', '-c', '8', '-T', '30', '-f', $script,
	  '-h', $node->host, '-p', $node->port, 'postgres' ],
	'>', \$out, '2>', \$err);

# let the load and the background sealer run, then crash mid-flight
my $rows = 0;
for (my $i = 0; $i < 100 && $rows < 2000; $i++)
{
	usleep(100_000);
	$rows = $node->safe_psql('postgres', 'SELECT count(*) FROM activity');
}
ok($rows > 0, "load running ($rows rows) before the crash");
$node->kill9;
$load->kill_kill;

# orphaned backends notice the postmaster's death and exit; until then the
# old shared memory blocks a restart
my $started = 0;
for (my $i = 0; $i < 60 && !$started; $i++)
{
	usleep(500_000);
	$started = $node->start(fail_ok => 1);
	# a failed start leaves the stale pid behind in the node object
	$node->{_pid} = undef unless $started;
}
ok($started, 'restarted after kill -9');

# the background sealer catches up without anyone calling audit_seal()
my $pending = -1;
for (my $i = 0; $i < 150; $i++)
{
	$pending = $node->safe_psql('postgres',
		'SELECT count(*) FROM carbon_ledger.audit_pending');
	last if $pending == 0;
	usleep(200_000);
}
is($pending, '0', 'background sealer sealed every committed record');

my $result = $node->safe_psql('postgres',
	q{SELECT valid, unsealed_records, coalesce(reason, '') FROM carbon_ledger.audit_verify()});
is($result, 't|0|', 'chain valid after the crash');

# every committed row and every committed change is recorded exactly once
is($node->safe_psql('postgres', q{
	SELECT count(*) FROM activity a
	 WHERE NOT EXISTS (SELECT FROM carbon_ledger.audit_log l
	                    WHERE l.table_name = 'public.activity'
	                      AND l.operation = 'INSERT'
	                      AND l.new_row->>'id' = a.id::text)}),
	'0', 'every committed row has its INSERT record');
is($node->safe_psql('postgres', q{
	SELECT count(*) FROM carbon_ledger.audit_log l
	 WHERE l.table_name = 'public.activity' AND l.operation = 'INSERT'
	   AND NOT EXISTS (SELECT FROM activity a WHERE a.id::text = l.new_row->>'id')}),
	'0', 'no record of an aborted insert survives');
is($node->safe_psql('postgres', q{
	SELECT count(*) FROM activity a
	 WHERE a.grams <> (SELECT (l.new_row->>'grams')::bigint
	                     FROM carbon_ledger.audit_log l
	                    WHERE l.table_name = 'public.activity'
	                      AND l.new_row->>'id' = a.id::text
	                    ORDER BY l.id DESC LIMIT 1)}),
	'0', 'the last record of each row matches its committed value');

# verification can be cancelled
my ($rc, $out, $err) = $node->psql('postgres',
	q{SET statement_timeout = '1ms'; SELECT * FROM carbon_ledger.audit_verify()});
like($err, qr/canceling statement due to statement timeout/,
	'audit_verify is cancellable');

# the trail keeps working after the crash
$node->safe_psql('postgres', q{INSERT INTO activity (account, grams) VALUES ('after', 1);
	SELECT carbon_ledger.audit_seal();});
is($node->safe_psql('postgres', 'SELECT valid FROM carbon_ledger.audit_verify()'),
	't', 'chain valid after new writes');

$node->stop;
done_testing();
