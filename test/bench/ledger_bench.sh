#!/usr/bin/env bash
# Ledger benchmark: redemptions and activities booked through the ledger's
# triggers against 10,000 accounts, with 1, 4 and 8 clients, compared with
# plain inserts of the same rows into unconstrained tables of the same
# shape, in the same run.  Prints transactions per second and the ratio,
# then checks that check_balances() finds nothing.  Before that, a bulk
# load as a data loader does it (one INSERT ... SELECT of activities, one
# of redemptions) reports the time per booked row.  On its own throwaway
# cluster it also reports CPU time, which load from other programs on the
# machine disturbs less than throughput: for the bulk load the backend's
# own (from /proc/PID/schedstat), for pgbench the server's (the CPU time
# of the postmaster's exited children, backends and autovacuum workers,
# from /proc/PID/stat) per transaction.
#
#   test/bench/ledger_bench.sh            (throwaway cluster in $TMPDIR or
#                                          /tmp, on port $BENCH_PORT or a
#                                          random one from 56000)
#   PGHOST=... PGPORT=... test/bench/ledger_bench.sh
#
# Last, the ledger script runs again with the audit trail of the ledger's
# tables switched off (carbon_ledger.audit_disable on every audited ledger
# table, enabled again afterwards), so that the report tells the rules'
# cost from the audit's; that table is labelled "without audit" and is not
# the enforced path of issue 3 (the audit is part of it).
#
# On its own cluster the ratios are measured twice, each table labelled:
# "bank" (fsync, synchronous_commit and full_page_writes on, as a bank runs
# it) and "no-durability" (the three off, the throwaway cluster's
# settings, where commits cost nothing and the ledger's CPU shows whole).
#
# Environment: SECONDS_PER_RUN (default 20), CLIENTS (default "1 4 8"),
# BULK_ROWS (default 20000; 0 skips the bulk load), NOAUDIT (default 1;
# 0 skips the run without audit), BANK (default 1; 0 skips the "bank"
# configuration).
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
secs=${SECONDS_PER_RUN:-20}
clients=${CLIENTS:-1 4 8}
bulk=${BULK_ROWS:-20000}
noaudit=${NOAUDIT:-1}
bank=${BANK:-1}
own_cluster=false
db=ledger_bench
work=$(mktemp -d "${TMPDIR:-/tmp}"/ledger-bench.XXXXXX)
chmod 755 "$work"

if [[ -z ${PGHOST:-} && -z ${PGPORT:-} ]]; then
	port=${BENCH_PORT:-$((56000 + RANDOM % 1000))}
	tools/cluster.sh start "$work/cluster" "$port" >/dev/null
	trap 'tools/cluster.sh stop "$work/cluster" >/dev/null 2>&1; rm -rf "$work"' EXIT
	export PGHOST=$work/cluster PGPORT=$port PGUSER=postgres
	own_cluster=true
else
	trap 'rm -rf "$work"' EXIT
fi

psql -X -q -v ON_ERROR_STOP=1 -d postgres \
	-c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION carbon_ledger;
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('BENCH', 'benchmark', 1000, '1 year');
INSERT INTO carbon_ledger.programme_activity_cap VALUES ('BENCH', 'bus', '5 kg');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
SELECT 'B' || i, 'holder-' || i, 'BENCH',
	   (ARRAY['540102', '540202', '540302', '540402', '540502', '540602', '542521'])[1 + i % 7],
	   now() - interval '1 day'
FROM generate_series(1, 10000) i;
-- every account starts with 1,000 credits, so that no redemption fails
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
SELECT 'B' || i, 'afforestation', '1 t', now() - interval '12 hours', 'seed-' || i
FROM generate_series(1, 10000) i;

-- the reference: unconstrained tables of the same shape
CREATE TABLE plain_activity (LIKE carbon_ledger.activity INCLUDING DEFAULTS);
CREATE TABLE plain_redemption (LIKE carbon_ledger.redemption INCLUDING DEFAULTS);
ALTER TABLE plain_activity ALTER activity_id ADD GENERATED ALWAYS AS IDENTITY;
ALTER TABLE plain_redemption ALTER redemption_id ADD GENERATED ALWAYS AS IDENTITY;
VACUUM ANALYZE;
SQL

# Bulk load: BULK_ROWS activities (two kinds, one capped) and as many
# redemptions of 0.1 credits, each in one INSERT ... SELECT over the
# 10,000 accounts, in a session of its own; microseconds per row, wall
# clock and (on the throwaway cluster) backend CPU.
if ((bulk > 0)); then
	cpu_sql="SELECT split_part(pg_catalog.pg_read_file('/proc/' || pg_catalog.pg_backend_pid() || '/schedstat'), ' ', 1)::bigint"
	$own_cluster || cpu_sql="SELECT 0::bigint"
	psql -X -q -At -v ON_ERROR_STOP=1 -v n="$bulk" -d "$db" <<SQL
$cpu_sql AS c0, pg_catalog.clock_timestamp() AS t0 \\gset
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
SELECT 'B' || (1 + i % 10000), CASE i % 2 WHEN 0 THEN 'bus' ELSE 'walk' END,
	   '2 kg', now() - interval '2 hours', 'bulk-a-' || i
FROM generate_series(1, :n) i;
$cpu_sql AS c1, pg_catalog.clock_timestamp() AS t1 \\gset
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id, redeemed_at)
SELECT 'B' || (1 + (i * 7) % 10000), '0.1', 'tea', 'bulk-r-' || i,
	   now() - interval '1 hour'
FROM generate_series(1, :n) i;
$cpu_sql AS c2, pg_catalog.clock_timestamp() AS t2 \\gset
SELECT format('bulk %s activities: %s us/row wall, %s us/row backend CPU',
			  :n, round(extract(epoch FROM :'t1'::timestamptz - :'t0'::timestamptz) * 1e6 / :n),
			  CASE WHEN :c1 > 0 THEN round((:c1 - :c0) / 1e3 / :n)::text ELSE '-' END);
SELECT format('bulk %s redemptions: %s us/row wall, %s us/row backend CPU',
			  :n, round(extract(epoch FROM :'t2'::timestamptz - :'t1'::timestamptz) * 1e6 / :n),
			  CASE WHEN :c2 > 0 THEN round((:c2 - :c1) / 1e3 / :n)::text ELSE '-' END);
SQL
fi

# One transaction: an activity (capped kind every other time) on one
# random account and a redemption of half a credit on another.
cat >"$work/ledger.sql" <<'SQL'
\set a random(1, 10000)
\set b random(1, 10000)
\set k random(0, 1)
BEGIN;
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('B' || :a, CASE :k WHEN 0 THEN 'bus' ELSE 'walk' END, '2 kg', now() - interval '1 second', gen_random_uuid()::text);
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('B' || :b, '0.5', 'tea', gen_random_uuid()::text);
END;
SQL
sed -e 's/carbon_ledger\.activity/plain_activity/' \
	-e 's/carbon_ledger\.redemption/plain_redemption/' \
	-e "s/'2 kg'/'2 kg', 2, 2/" \
	-e 's/(account_no, kind, reduction, occurred_at, request_id)/(account_no, kind, reduction, credits, credits_uncapped, occurred_at, request_id)/' \
	"$work/ledger.sql" >"$work/plain.sql"
chmod 644 "$work"/*.sql

# server_cpu: CPU seconds of the throwaway cluster's exited backends and
# workers so far (cutime + cstime of the postmaster), or 0 elsewhere.
server_cpu() {
	if $own_cluster; then
		local pm
		pm=$(head -1 "$PGHOST/data/postmaster.pid")
		awk -v hz="$(getconf CLK_TCK)" '{ print ($16 + $17) / hz }' \
			"/proc/$pm/stat"
	else
		echo 0
	fi
}

# run SCRIPT CLIENTS: run pgbench; print its tps and the server's CPU
# microseconds per transaction ("-" when not measured).
run() {
	local out c0 c1 n t
	c0=$(server_cpu)
	out=$(pgbench -n -f "$1" -c "$2" -j "$2" -T "$secs" "$db" 2>&1)
	if $own_cluster; then
		# the exited backends count once the postmaster has reaped them
		while [[ $(psql -X -At -d "$db" -c "SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE backend_type = 'client backend'") != 1 ]]; do
			sleep 0.2
		done
		sleep 1
	fi
	c1=$(server_cpu)
	n=$(sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p' <<<"$out")
	t=$(sed -nE 's/^tps = ([0-9.]+) .*/\1/p' <<<"$out")
	if $own_cluster; then
		echo "$t $(echo "($c1 - $c0) * 1000000 / $n" | bc)"
	else
		echo "$t -"
	fi
}

# set_durability on|off: fsync, synchronous_commit and full_page_writes
# together, on the throwaway cluster only.
set_durability() {
	psql -X -q -d postgres -c "ALTER SYSTEM SET fsync = $1" \
		-c "ALTER SYSTEM SET synchronous_commit = $1" \
		-c "ALTER SYSTEM SET full_page_writes = $1" \
		-c "SELECT pg_catalog.pg_reload_conf()" >/dev/null
	sleep 1
}

# ratios LABEL: plain and ledger scripts at each client count, in the
# server's current configuration (printed); keeps the plain figures for
# the run without audit.
declare -A plain plain_cpu
ratios() {
	local c p pc l lc
	echo "configuration \"$1\": $(psql -X -At -d "$db" -c "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_catalog.pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')")"
	printf '%-8s %12s %12s %8s %14s %14s\n' clients plain_tps ledger_tps ratio \
		plain_cpu_us ledger_cpu_us
	for c in $clients; do
		read -r p pc < <(run "$work/plain.sql" "$c")
		plain[$c]=$p
		plain_cpu[$c]=$pc
		read -r l lc < <(run "$work/ledger.sql" "$c")
		printf '%-8s %12.1f %12.1f %8.2f %14s %14s\n' "$c" "$p" "$l" \
			"$(echo "$l / $p" | bc -l)" "$pc" "$lc"
	done
}

# On the throwaway cluster, first as a bank runs it ("bank": fsync,
# synchronous_commit and full_page_writes on), then with the three off
# ("no-durability", the cluster's own settings), whose figures the run
# without audit below reuses; on a server of yours, once, as configured.
if $own_cluster && ((bank)); then
	set_durability on
	ratios bank
	set_durability off
	ratios no-durability
elif $own_cluster; then
	ratios no-durability
else
	ratios "server's own"
fi

# The rules alone: the same ledger script with the ledger tables' audit
# triggers detached (the plain figures repeated from above for the ratio).
if ((noaudit)); then
	audited=$(psql -X -At -d "$db" -c "SELECT string_agg(DISTINCT tgrelid::regclass::text, ' ') FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = 'carbon_ledger'::regnamespace AND t.tgfoid = 'carbon_ledger.audit_trigger'::regproc")
	for t in $audited; do
		psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "SELECT carbon_ledger.audit_disable('$t')" >/dev/null
	done
	echo "without audit (audit_disable on: $audited), not the enforced path:"
	printf '%-8s %12s %12s %8s %14s %14s\n' clients plain_tps noaudit_tps ratio \
		plain_cpu_us noaudit_cpu_us
	for c in $clients; do
		read -r l lc < <(run "$work/ledger.sql" "$c")
		printf '%-8s %12.1f %12.1f %8.2f %14s %14s\n' "$c" "${plain[$c]}" "$l" \
			"$(echo "$l / ${plain[$c]}" | bc -l)" "${plain_cpu[$c]}" "$lc"
	done
	for t in $audited; do
		psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "SELECT carbon_ledger.audit_enable('$t')" >/dev/null
	done
fi

bad=$(psql -X -At -d "$db" -c "SELECT count(*) FROM carbon_ledger.check_balances()")
rows=$(psql -X -At -d "$db" -c "SELECT (SELECT count(*) FROM carbon_ledger.activity) || ' activities, ' || (SELECT count(*) FROM carbon_ledger.redemption) || ' redemptions'")
echo "ledger rows: $rows; check_balances(): $bad accounts differ"
[[ $bad == 0 ]]
