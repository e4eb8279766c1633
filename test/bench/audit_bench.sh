#!/usr/bin/env bash
# Benchmark of the audit trail (docs/performance.md, "Audit").
#
#   test/bench/audit_bench.sh [SECONDS] [VERIFY_RECORDS]
#
# 1. pgbench inserts into a ledger-shaped table three ways, at 1, 4 and 8
#    clients, in one run: no trigger; the C audit trigger of carbon_ledger;
#    a PL/pgSQL + pgcrypto trigger building a hash chain the usual way (lock
#    the head row, hash previous hash and row, insert, move the head).
#    Prints transactions per second and the ratios the targets are set on,
#    in two configurations, each labelled: "no-durability" (fsync,
#    synchronous_commit and full_page_writes off, the throwaway cluster's
#    settings) and "bank" (all three on, as a bank runs it).
# 2. audit_verify() over VERIFY_RECORDS (default 1,000,000) sealed records,
#    serially (max_parallel_workers_per_gather = 0) and as the planner
#    chooses (parallel workers; the number launched is printed): records
#    per second and SHA-256 bytes per second, against single-threaded
#    "openssl speed -evp sha256" on the same machine.
#
# Runs on a throwaway cluster (tools/cluster.sh) unless PGHOST/PGPORT are
# set; on a cluster of yours it runs the inserts once, in the server's own
# configuration (printed), and changes no setting.  Needs pgbench and
# pgcrypto.  BENCH_ROUNDS (default 3) rounds per configuration.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-10}
nverify=${2:-1000000}
runas=()
[[ $(id -u) -eq 0 ]] && runas=(runuser -u postgres --)
dir=
work=$(mktemp -d "${TMPDIR:-/tmp}"/carbon_ledger-audit-bench-sql.XXXXXX)
chmod 755 "$work"
cleanup() {
	set +e
	rm -rf "$work"
	if [[ -n $dir ]]; then
		"$top/tools/cluster.sh" stop "$dir" >/dev/null 2>&1
		rm -rf "$dir"
	fi
}
trap cleanup EXIT

if [[ -z ${PGHOST:-} && -z ${PGPORT:-} ]]; then
	dir=$(mktemp -d "${TMPDIR:-/tmp}"/carbon_ledger-audit-bench.XXXXXX)
	[[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
	port=${BENCH_PORT:-55390}
	"$top/tools/cluster.sh" start "$dir" "$port"
	export PGHOST=$dir PGPORT=$port PGUSER=postgres
fi
export PGDATABASE=audit_bench
psql() { "${runas[@]}" env PGHOST="$PGHOST" PGPORT="$PGPORT" PGUSER="${PGUSER:-}" PGDATABASE="$PGDATABASE" psql -X -q -v ON_ERROR_STOP=1 "$@"; }
pgb() { "${runas[@]}" env PGHOST="$PGHOST" PGPORT="$PGPORT" PGUSER="${PGUSER:-}" pgbench "$@"; }

"${runas[@]}" env PGHOST="$PGHOST" PGPORT="$PGPORT" PGUSER="${PGUSER:-}" \
	psql -X -q -d postgres -c 'DROP DATABASE IF EXISTS audit_bench' -c 'CREATE DATABASE audit_bench'
psql <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION carbon_ledger;
CREATE EXTENSION pgcrypto;
-- a ledger-shaped table, three times
CREATE TABLE act_none (
	id bigserial PRIMARY KEY, account_no text NOT NULL, kind text NOT NULL,
	reduction_g bigint NOT NULL, credits numeric(18,3) NOT NULL,
	occurred_at timestamptz NOT NULL, request_id text NOT NULL UNIQUE);
CREATE TABLE act_c (LIKE act_none INCLUDING ALL);
CREATE TABLE act_pl (LIKE act_none INCLUDING ALL);
SELECT carbon_ledger.audit_enable('act_c');

-- the usual PL/pgSQL + pgcrypto chain: one head row, locked by every writer
CREATE TABLE pl_chain (seq bigint PRIMARY KEY, prev_hash bytea NOT NULL,
	hash bytea NOT NULL, tbl text NOT NULL, op text NOT NULL, row_data jsonb,
	actor text NOT NULL, at timestamptz NOT NULL);
CREATE TABLE pl_head (id int PRIMARY KEY, seq bigint NOT NULL, hash bytea NOT NULL);
INSERT INTO pl_head VALUES (1, 0, '\x');
CREATE FUNCTION pl_chain_trigger() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
DECLARE
	h pl_head;
	r jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
	nh bytea;
BEGIN
	SELECT * INTO h FROM pl_head WHERE id = 1 FOR UPDATE;
	nh := digest(h.hash || convert_to(TG_TABLE_NAME || TG_OP || r::text, 'UTF8'), 'sha256');
	INSERT INTO pl_chain VALUES (h.seq + 1, h.hash, nh, TG_TABLE_NAME, TG_OP, r,
		session_user, clock_timestamp());
	UPDATE pl_head SET seq = h.seq + 1, hash = nh WHERE id = 1;
	RETURN NULL;
END $$;
CREATE TRIGGER pl_chain AFTER INSERT OR UPDATE OR DELETE ON act_pl
	FOR EACH ROW EXECUTE FUNCTION pl_chain_trigger();
SQL

for t in none c pl; do
	cat >"$work/$t.sql" <<-EOF
	\set a random(1, 37901)
	\set g random(1, 50000)
	INSERT INTO act_$t (account_no, kind, reduction_g, credits, occurred_at, request_id)
	VALUES ('XZ' || :a, 'green_commute', :g, :g / 1000.0, now(), md5(random()::text || :client_id));
	EOF
done
chmod 644 "$work"/*.sql

# insert_throughput LABEL: the three variants at 1, 4 and 8 clients
insert_throughput() {
	local c t r v
	echo "== insert throughput, configuration \"$1\": $(psql -At -c "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')")"
	echo "   (pgbench -M prepared, ${secs}s per run, best of $rounds rounds, tps)"
	printf '%-8s %12s %12s %12s %10s %10s\n' clients no_trigger c_audit plpgsql c/none c/plpgsql
	for c in 1 4 8; do
		declare -A tps=([none]=0 [c]=0 [pl]=0)
		# the three variants take turns, each keeps its best round: the
		# machine may be shared, and a slow round says more about the
		# neighbours
		for ((r = 0; r < rounds; r++)); do
			for t in none c pl; do
				psql -c "CHECKPOINT" >/dev/null
				v=$(pgb -n -M prepared -c "$c" -j "$c" -T "$secs" -f "$work/$t.sql" audit_bench 2>/dev/null |
					sed -nE 's/^tps = ([0-9.]+) .*/\1/p')
				if (($(echo "$v > ${tps[$t]}" | bc -l))); then tps[$t]=$v; fi
			done
		done
		printf '%-8s %12.0f %12.0f %12.0f %10.2f %10.2f\n' "$c" "${tps[none]}" "${tps[c]}" "${tps[pl]}" \
			"$(echo "${tps[c]} / ${tps[none]}" | bc -l)" "$(echo "${tps[c]} / ${tps[pl]}" | bc -l)"
	done
}

# set_durability on|off: fsync, synchronous_commit, full_page_writes
set_durability() {
	psql -c "ALTER SYSTEM SET fsync = $1" -c "ALTER SYSTEM SET synchronous_commit = $1" \
		-c "ALTER SYSTEM SET full_page_writes = $1" -c "SELECT pg_reload_conf()" >/dev/null
	sleep 1
}

rounds=${BENCH_ROUNDS:-3}
echo "== load before the run: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
if [[ -n $dir ]]; then
	set_durability off
	insert_throughput no-durability
	set_durability on
	insert_throughput bank
	set_durability off
else
	insert_throughput "server's own"
fi
echo "== load after the inserts: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== audit_verify over $nverify records"
psql <<SQL
SELECT carbon_ledger.audit_seal() >= 0 AS sealed;
CREATE TABLE act_v (LIKE act_none INCLUDING ALL);
SELECT carbon_ledger.audit_enable('act_v');
SQL
have=$(psql -At -c "SELECT count(*) FROM carbon_ledger.audit_log")
batch=10000
while ((have < nverify)); do
	n=$((nverify - have < batch ? nverify - have : batch))
	psql -c "INSERT INTO act_v (account_no, kind, reduction_g, credits, occurred_at, request_id)
		SELECT 'XZ' || g % 37901, 'green_commute', g, g / 1000.0, now(), md5(g::text || random())
		  FROM generate_series(1, $n) g" >/dev/null
	have=$((have + n))
	((have % 200000 < batch)) && psql -c "SELECT carbon_ledger.audit_seal()" >/dev/null
done
psql -c "SELECT carbon_ledger.audit_seal()" >/dev/null
psql -c "VACUUM ANALYZE carbon_ledger.audit_log" >/dev/null
# bytes hashed: every record (0x00 || canonical bytes), every Merkle node
# (65 bytes) and transaction entry, every block header
bytes=$(psql -At -c "SELECT sum(1 + octet_length(carbon_ledger.audit_canonical_record(id))) FROM carbon_ledger.audit_log")
nodes=$(psql -At -c "SELECT (SELECT count(*) FROM carbon_ledger.audit_log) * 65 + (SELECT count(*) FROM carbon_ledger.audit_block_xact) * 130 + (SELECT count(*) FROM carbon_ledger.audit_block) * 200")
records=$(psql -At -c "SELECT count(*) FROM carbon_ledger.audit_log")
# verify_timed SETTINGS: time one audit_verify() under the given settings;
# prints "elapsed result"
verify_timed() {
	local start end res
	start=$(date +%s.%N)
	res=$(psql -At -c "$1" -c "SELECT valid, records_checked, blocks_checked FROM carbon_ledger.audit_verify()")
	end=$(date +%s.%N)
	echo "$(echo "$end - $start" | bc -l) $res"
}
# warm the cache once, counting the parallel workers the verification's
# query launches (auto_explain at NOTICE level)
workers=$(psql -At -c "LOAD 'auto_explain'" -c "SET auto_explain.log_min_duration = 0" \
	-c "SET auto_explain.log_nested_statements = on" -c "SET auto_explain.log_analyze = on" \
	-c "SET auto_explain.log_timing = off" -c "SET auto_explain.log_level = notice" \
	-c "SELECT valid FROM carbon_ledger.audit_verify()" 2>&1 |
	sed -nE 's/.*Workers Launched: ([0-9]+).*/\1/p' | head -1)
total=$((bytes + nodes))
ossl=$(openssl speed -evp sha256 -seconds 3 2>/dev/null | awk '/^sha256/ {print $4, $NF}')
ossl256=$(echo "$ossl" | awk '{sub(/k$/, "", $1); print $1 * 1000}')
osslmax=$(echo "$ossl" | awk '{sub(/k$/, "", $2); print $2 * 1000}')
printf 'records: %d, bytes hashed: %d (records %d, tree and blocks %d)\n' "$records" "$total" "$bytes" "$nodes"
printf 'openssl speed -evp sha256 (one thread): %.1f MB/s at 256-byte blocks, %.1f MB/s at 16 KB blocks\n' \
	"$(echo "$ossl256 / 1000000" | bc -l)" "$(echo "$osslmax / 1000000" | bc -l)"
for mode in serial parallel; do
	if [[ $mode == serial ]]; then
		set=(SET max_parallel_workers_per_gather = 0)
		label="serial (max_parallel_workers_per_gather = 0)"
	else
		set=(SET max_parallel_workers_per_gather = 2)
		label="parallel: ${workers:-0} workers launched besides the backend"
	fi
	read -r elapsed result < <(verify_timed "${set[*]}")
	printf '%s\n  verify result (valid|records|blocks): %s\n' "$label" "$result"
	printf '  elapsed: %.2f s, %.0f records/s, %.1f MB/s hashed\n' "$elapsed" \
		"$(echo "$records / $elapsed" | bc -l)" "$(echo "$total / $elapsed / 1000000" | bc -l)"
	printf '  ratio to openssl: %.3f (16 KB blocks), %.3f (256-byte blocks)\n' \
		"$(echo "$total / $elapsed / $osslmax" | bc -l)" "$(echo "$total / $elapsed / $ossl256" | bc -l)"
done
echo "== load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
