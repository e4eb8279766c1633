#!/usr/bin/env bash
# Ledger benchmark: redemptions and activities booked through the ledger's
# triggers against 10,000 accounts, with 1, 4 and 8 clients, compared with
# plain inserts of the same rows into unconstrained tables of the same
# shape, in the same run.  Prints transactions per second and the ratio,
# then checks that check_balances() finds nothing.
#
#   test/bench/ledger_bench.sh            (throwaway cluster in /tmp)
#   PGHOST=... PGPORT=... test/bench/ledger_bench.sh
#
# Environment: SECONDS_PER_RUN (default 20), CLIENTS (default "1 4 8").
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
secs=${SECONDS_PER_RUN:-20}
clients=${CLIENTS:-1 4 8}
db=ledger_bench
work=$(mktemp -d /tmp/ledger-bench.XXXXXX)
chmod 755 "$work"

if [[ -z ${PGHOST:-} && -z ${PGPORT:-} ]]; then
	port=$((56000 + RANDOM % 1000))
	tools/cluster.sh start "$work/cluster" "$port" >/dev/null
	trap 'tools/cluster.sh stop "$work/cluster" >/dev/null 2>&1; rm -rf "$work"' EXIT
	export PGHOST=$work/cluster PGPORT=$port PGUSER=postgres
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

# tps SCRIPT CLIENTS: run pgbench, print its tps.
tps() {
	pgbench -n -f "$1" -c "$2" -j "$2" -T "$secs" "$db" 2>&1 |
		sed -nE 's/^tps = ([0-9.]+) .*/\1/p'
}

printf '%-8s %14s %14s %8s\n' clients plain_tps ledger_tps ratio
for c in $clients; do
	p=$(tps "$work/plain.sql" "$c")
	l=$(tps "$work/ledger.sql" "$c")
	printf '%-8s %14.1f %14.1f %8.2f\n' "$c" "$p" "$l" "$(echo "$l / $p" | bc -l)"
done

bad=$(psql -X -At -d "$db" -c "SELECT count(*) FROM carbon_ledger.check_balances()")
rows=$(psql -X -At -d "$db" -c "SELECT (SELECT count(*) FROM carbon_ledger.activity) || ' activities, ' || (SELECT count(*) FROM carbon_ledger.redemption) || ' redemptions'")
echo "ledger rows: $rows; check_balances(): $bad accounts differ"
[[ $bad == 0 ]]
