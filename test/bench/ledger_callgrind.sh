#!/usr/bin/env bash
# Instructions per booking, counted by callgrind (load on the machine does
# not change them, unlike times): sets up a database as ledger_bench.sh
# does (10,000 accounts seeded with 1,000 credits each, VACUUM ANALYZE),
# stops its server, then runs single-user backends under callgrind on
# fresh copies of the data directory: a SELECT 1 (start-up and shut-down),
# 2,000 activities in one INSERT ... SELECT and 2,000 redemptions in one
# INSERT ... SELECT.  Prints the instructions per activity and per
# redemption, the SELECT 1 session taken off.  Needs valgrind; as root the
# cluster runs as the postgres user.  docs/performance.md ("Ledger") has
# the figures.
#
#   test/bench/ledger_callgrind.sh          (work directory in /tmp, kept)
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
work=$(mktemp -d "${TMPDIR:-/tmp}"/ledger-callgrind.XXXXXX)
chmod 755 "$work"
port=${BENCH_PORT:-$((57000 + RANDOM % 1000))}
runas=()
[[ $(id -u) -eq 0 ]] && runas=(runuser -u postgres --) && chown postgres: "$work"

tools/cluster.sh start "$work/cl" "$port" >/dev/null
psql -X -q -h "$work/cl" -p "$port" -U postgres -d postgres -c "CREATE DATABASE bench"
psql -X -q -v ON_ERROR_STOP=1 -h "$work/cl" -p "$port" -U postgres -d bench <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION carbon_ledger;
INSERT INTO carbon_ledger.programme (programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('BENCH', 'benchmark', 1000, '1 year');
INSERT INTO carbon_ledger.programme_activity_cap VALUES ('BENCH', 'bus', '5 kg');
INSERT INTO carbon_ledger.account (account_no, holder_ref, programme_id, region_code, opened_at)
SELECT 'B' || i, 'holder-' || i, 'BENCH',
	   (ARRAY['540102', '540202', '540302', '540402', '540502', '540602', '542521'])[1 + i % 7],
	   now() - interval '1 day'
FROM generate_series(1, 10000) i;
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
SELECT 'B' || i, 'afforestation', '1 t', now() - interval '12 hours', 'seed-' || i
FROM generate_series(1, 10000) i;
VACUUM ANALYZE;
SQL
tools/cluster.sh stop "$work/cl" >/dev/null
cp -a "$work/cl/data" "$work/pristine"

# count NAME SQL: instructions of a single-user session running SQL
count() {
	rm -rf "$work/cl/data"
	cp -a "$work/pristine" "$work/cl/data"
	echo "$2" | "${runas[@]}" valgrind --tool=callgrind \
		--callgrind-out-file="$work/callgrind.$1" \
		"$(pg_config --bindir)/postgres" --single -D "$work/cl/data" \
		-c shared_preload_libraries= bench >"$work/$1.out" 2>"$work/$1.err"
	if grep -q ERROR "$work/$1.out"; then
		cat "$work/$1.out" >&2
		exit 1
	fi
	sed -nE 's/.*Collected : ([0-9]+).*/\1/p' "$work/$1.err"
}

n=2000
base=$(count select1 "SELECT 1")
act=$(count activities "INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id) SELECT 'B' || (1 + (i * 7919) % 10000), CASE i % 2 WHEN 0 THEN 'bus' ELSE 'walk' END, '2 kg', now() - interval '1 second', 'cg-a-' || i FROM generate_series(1, $n) i")
red=$(count redemptions "INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id) SELECT 'B' || (1 + (i * 104729) % 10000), '0.5', 'tea', 'cg-r-' || i FROM generate_series(1, $n) i")
echo "instructions per activity:   $(((act - base) / n))"
echo "instructions per redemption: $(((red - base) / n))"
echo "callgrind files (callgrind_annotate --inclusive=yes): $work/callgrind.*"
