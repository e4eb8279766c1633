#!/usr/bin/env bash
# Benchmark of the tco2e type (issue 2), printed as ratios against bigint
# and numeric measured in the same run on the same server:
#
#   - sum and avg over ROWS rows (default 10 million), serial and with
#     parallel workers; each aggregate's own cost is its time minus the
#     count(*) time of the same table and mode (the scan is most of a sum),
#     in wall time and, for serial queries, in backend CPU time (which the
#     load of other work on a shared machine hardly disturbs);
#   - COPY FROM of each table's own text form;
#   - on-disk size of a table of each type, and bytes per value.
#
# Usage: test/bench/types_bench.sh [ROWS]
# Runs against PGHOST/PGPORT when set (the extension must be installed
# there), otherwise against a throwaway cluster started with tools/cluster.sh
# (run "make install" first).  Each timing is the minimum over REPS
# interleaved rounds (default 7; COPY: COPY_REPS, default 3).
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
rows=${1:-10000000}
reps=${REPS:-7}
copy_reps=${COPY_REPS:-3}

work=$(mktemp -d "${TMPDIR:-/tmp}"/carbon_ledger-bench.XXXXXX)
chmod 755 "$work"
# COPY TO/FROM files are written and read by the server process
mkdir -m 1777 "$work/files"
cleanup() {
	if [[ -n ${own_cluster:-} ]]; then
		"$top"/tools/cluster.sh stop "$work/cluster" >/dev/null 2>&1 || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

if [[ -z ${PGHOST:-} && -z ${PGPORT:-} ]]; then
	port=${BENCH_PORT:-55150}
	"$top"/tools/cluster.sh start "$work/cluster" "$port"
	own_cluster=1
	export PGHOST=$work/cluster PGPORT=$port PGUSER=postgres
fi
export PGDATABASE=${PGDATABASE:-postgres}

# q SQL: run SQL quietly, print the result unaligned.
q() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"
}

# run_rounds FILE [N]: FILE holds lines "LABEL<TAB>PRE<TAB>SQL".  Runs
# every line once per round, for N (default $reps) rounds, in one session,
# interleaving the queries so that a change in machine load hits them all
# alike; PRE runs untimed before SQL.  Measures each run's wall time and the
# CPU time of the backend (from /proc/self/schedstat, read by the server,
# nanosecond resolution; it excludes parallel workers and time spent
# waiting for a CPU).  Prints "LABEL<TAB>wall ms<TAB>cpu ms", the minimum
# over the rounds of each (the least disturbed run: the machine is shared).
run_rounds() {
	local file=$1 n=${2:-$reps} i label pre sql
	local cpu="SELECT 'CPU ' || split_part(pg_read_file('/proc/self/schedstat'), ' ', 1);"
	{
		for ((i = 0; i < n; i++)); do
			while IFS=$'\t' read -r label pre sql; do
				echo '\timing off'
				[[ -n $pre ]] && echo "$pre"
				echo "\\echo LABEL $label"
				echo "$cpu"
				echo '\timing on'
				echo "$sql"
				echo '\timing off'
				echo "$cpu"
			done <"$file"
		done
	} | psql -X -q -A -t -v ON_ERROR_STOP=1 2>&1 |
		awk '/^LABEL / {label = $2; c0 = -1; next}
			 /^CPU / {
				if (c0 < 0) { c0 = $2; next }
				c = ($2 - c0) / 1e6
				if (!(label in mc) || c < mc[label]) mc[label] = c
				next
			 }
			 /^Time: / {t = $2 + 0; if (!(label in m) || t < m[label]) m[label] = t}
			 END {for (l in m) printf "%s\t%.1f\t%.1f\n", l, m[l], mc[l]}'
}

echo "== loading $rows rows into bench_tco2e, bench_bigint, bench_numeric"
q "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS carbon_ledger"
q "SET client_min_messages = warning;
   DROP TABLE IF EXISTS bench_tco2e, bench_bigint, bench_numeric, bench_src;
   CREATE TABLE bench_src AS
     SELECT (hashint8(i) % 1000000000)::bigint AS grams
       FROM generate_series(1, $rows) AS i;
   CREATE TABLE bench_tco2e AS SELECT tco2e_from_grams(grams) AS v FROM bench_src;
   CREATE TABLE bench_bigint AS SELECT grams AS v FROM bench_src;
   CREATE TABLE bench_numeric AS SELECT (grams / 1000000.0) AS v FROM bench_src;
   DROP TABLE bench_src;"
q "VACUUM ANALYZE bench_tco2e, bench_bigint, bench_numeric"

# the three tables hold the same values
q "SELECT (SELECT tco2e_grams(sum(v)) FROM bench_tco2e) = (SELECT sum(v) FROM bench_bigint)
      AND (SELECT sum(v)::numeric FROM bench_tco2e) = (SELECT sum(v) FROM bench_numeric)" |
	grep -qx t || { echo "the three tables disagree" >&2; exit 1; }

serial="SET max_parallel_workers_per_gather = 0;"
parallel="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;"
: >"$work/aggs.tsv"
for mode in serial parallel; do
	for ty in tco2e bigint numeric; do
		for agg in count sum avg; do
			arg=v
			[[ $agg == count ]] && arg='*'
			printf '%s\t%s\t%s\n' "$mode,$ty,$agg" "${!mode}" \
				"SELECT $agg($arg) FROM bench_$ty;" >>"$work/aggs.tsv"
		done
	done
done
echo "== aggregates: $reps interleaved rounds, minimum of each"
declare -A t u
while IFS=$'\t' read -r label ms cpu; do
	t[$label]=$ms
	u[$label]=$cpu
done < <(run_rounds "$work/aggs.tsv")
for mode in serial parallel; do
	for ty in tco2e bigint numeric; do
		echo "$mode $ty: count(*) ${t[$mode,$ty,count]} ms (cpu ${u[$mode,$ty,count]}), sum ${t[$mode,$ty,sum]} ms (cpu ${u[$mode,$ty,sum]}), avg ${t[$mode,$ty,avg]} ms (cpu ${u[$mode,$ty,avg]})"
	done
done

echo "== COPY FROM (each table's own text form): $copy_reps interleaved rounds"
: >"$work/copy.tsv"
for ty in tco2e bigint numeric; do
	q "COPY bench_$ty TO '$work/files/$ty.txt'"
	q "SET client_min_messages = warning; DROP TABLE IF EXISTS copy_$ty; CREATE TABLE copy_$ty (LIKE bench_$ty)"
	printf '%s\t%s\t%s\n' "$ty" "TRUNCATE copy_$ty;" \
		"COPY copy_$ty FROM '$work/files/$ty.txt';" >>"$work/copy.tsv"
done
declare -A c cu
while IFS=$'\t' read -r label ms cpu; do
	c[$label]=$ms
	cu[$label]=$cpu
done < <(run_rounds "$work/copy.tsv" "$copy_reps")
for ty in tco2e bigint numeric; do
	echo "COPY $ty: ${c[$ty]} ms (cpu ${cu[$ty]} ms; $(stat -c %s "$work/files/$ty.txt") bytes of text)"
done

echo "== results (own cost = aggregate minus count(*) of the same table and mode)"
declare -A o
own() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", a - b}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
# report MODE AGG MEASURE ARRAY: one line of own costs and ratios
report() {
	local mode=$1 agg=$2 what=$3 ty
	local -n arr=$4
	for ty in tco2e bigint numeric; do
		o[$ty]=$(own "${arr[$mode,$ty,$agg]}" "${arr[$mode,$ty,count]}")
	done
	printf '%-8s %-3s %-4s own cost ms: tco2e %s, bigint %s, numeric %s; tco2e/bigint %s, tco2e/numeric %s\n' \
		"$mode" "$agg" "$what" "${o[tco2e]}" "${o[bigint]}" "${o[numeric]}" \
		"$(ratio "${o[tco2e]}" "${o[bigint]}")" "$(ratio "${o[tco2e]}" "${o[numeric]}")"
}
for agg in sum avg; do
	report serial "$agg" wall t
	report serial "$agg" cpu u
	report parallel "$agg" wall t
done
printf 'COPY FROM wall: tco2e/bigint %s, tco2e/numeric %s\n' \
	"$(ratio "${c[tco2e]}" "${c[bigint]}")" "$(ratio "${c[tco2e]}" "${c[numeric]}")"
printf 'COPY FROM cpu:  tco2e/bigint %s, tco2e/numeric %s\n' \
	"$(ratio "${cu[tco2e]}" "${cu[bigint]}")" "$(ratio "${cu[tco2e]}" "${cu[numeric]}")"
for ty in tco2e bigint numeric; do
	q "SELECT 'size $ty: ' || pg_size_pretty(pg_relation_size('bench_$ty')) || ', '
	        || pg_relation_size('bench_$ty') || ' bytes, '
	        || (SELECT round(avg(pg_column_size(v)), 2) FROM (SELECT v FROM bench_$ty LIMIT 100000) s)
	        || ' bytes per value'"
done
q "DROP TABLE bench_tco2e, bench_bigint, bench_numeric, copy_tco2e, copy_bigint, copy_numeric"
