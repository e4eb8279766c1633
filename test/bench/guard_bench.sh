#!/usr/bin/env bash
# Benchmark of the audit trail's DDL guard (docs/performance.md, "DDL
# guard").
#
#   test/bench/guard_bench.sh [TABLES] [ROUNDS]
#
# Creates TABLES (default 500) tables, then adds a column to each, in one
# transaction that is rolled back, and prints the milliseconds per CREATE
# TABLE and per ALTER TABLE with the extension's event trigger
# carbon_ledger_audit_guard_alter enabled and, as the reference of the same
# run, disabled; once in a database whose only triggers are the
# extension's, once after 2,000 more triggers (200 tables of 10) were
# made, so that a cost growing with the catalog shows.  The rounds (default
# 5) take turns; the minimum of each is kept.
#
# Runs on a throwaway cluster (tools/cluster.sh) unless PGHOST/PGPORT are
# set; it creates and drops the database guard_bench.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
ntables=${1:-500}
rounds=${2:-5}
runas=()
[[ $(id -u) -eq 0 ]] && runas=(runuser -u postgres --)
dir=
cleanup() {
	set +e
	if [[ -n $dir ]]; then
		"$top/tools/cluster.sh" stop "$dir" >/dev/null 2>&1
		rm -rf "$dir"
	fi
}
trap cleanup EXIT

if [[ -z ${PGHOST:-} && -z ${PGPORT:-} ]]; then
	dir=$(mktemp -d "${TMPDIR:-/tmp}"/carbon_ledger-guard-bench.XXXXXX)
	[[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
	port=${BENCH_PORT:-55391}
	"$top/tools/cluster.sh" start "$dir" "$port"
	export PGHOST=$dir PGPORT=$port PGUSER=postgres
fi
psql() {
	"${runas[@]}" env PGHOST="$PGHOST" PGPORT="$PGPORT" PGUSER="${PGUSER:-}" \
		psql -X -q -v ON_ERROR_STOP=1 "$@"
}

psql -d postgres -c 'DROP DATABASE IF EXISTS guard_bench' \
	-c 'CREATE DATABASE guard_bench'
psql -d guard_bench <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION carbon_ledger;
-- milliseconds per CREATE TABLE and per ALTER TABLE ... ADD COLUMN over n
-- tables, made and altered in a subtransaction that is then rolled back
-- (the local variables keep their values)
CREATE FUNCTION ddl_ms(n int, OUT create_ms float8, OUT alter_ms float8)
LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	t1 timestamptz;
	t2 timestamptz;
BEGIN
	BEGIN
		t0 := clock_timestamp();
		FOR i IN 1..n LOOP
			EXECUTE format('CREATE TABLE gb_x_%s (a int)', i);
		END LOOP;
		t1 := clock_timestamp();
		FOR i IN 1..n LOOP
			EXECUTE format('ALTER TABLE gb_x_%s ADD COLUMN b int', i);
		END LOOP;
		t2 := clock_timestamp();
		RAISE EXCEPTION 'roll back';
	EXCEPTION WHEN raise_exception THEN
		NULL;
	END;
	create_ms := extract(epoch FROM t1 - t0) * 1000 / n;
	alter_ms := extract(epoch FROM t2 - t1) * 1000 / n;
END $$;
CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql
	AS $$BEGIN RETURN NEW; END$$;
CREATE TABLE result (triggers int, guard boolean, round int,
	create_ms float8, alter_ms float8);
SQL

# measure TRIGGERS: the rounds, guard on and off taking turns
measure() {
	for ((r = 1; r <= rounds; r++)); do
		for guard in true false; do
			psql -d guard_bench <<-SQL
			ALTER EVENT TRIGGER carbon_ledger_audit_guard_alter
				$([[ $guard == true ]] && echo ENABLE ALWAYS || echo DISABLE);
			INSERT INTO result SELECT $1, $guard, $r, * FROM ddl_ms($ntables);
			SQL
		done
	done
}

measure 0
psql -d guard_bench <<'SQL'
DO $$
BEGIN
	FOR i IN 1..200 LOOP
		EXECUTE format('CREATE TABLE gb_t_%s (a int)', i);
		FOR j IN 1..10 LOOP
			EXECUTE format('CREATE TRIGGER t%s BEFORE INSERT ON gb_t_%s '
						   'FOR EACH ROW EXECUTE FUNCTION noop()', j, i);
		END LOOP;
	END LOOP;
END $$;
SQL
measure 2000
psql -d guard_bench -c \
	'ALTER EVENT TRIGGER carbon_ledger_audit_guard_alter ENABLE ALWAYS'

echo "DDL guard: ms per command, minimum of $rounds rounds of $ntables tables"
psql -d guard_bench <<'SQL'
\pset footer off
SELECT triggers AS "other triggers",
	round(min(create_ms) FILTER (WHERE guard)::numeric, 3) AS "CREATE, guard",
	round(min(create_ms) FILTER (WHERE NOT guard)::numeric, 3) AS "CREATE, none",
	round((min(create_ms) FILTER (WHERE guard) /
		   min(create_ms) FILTER (WHERE NOT guard))::numeric, 2) AS "CREATE ratio",
	round(min(alter_ms) FILTER (WHERE guard)::numeric, 3) AS "ALTER, guard",
	round(min(alter_ms) FILTER (WHERE NOT guard)::numeric, 3) AS "ALTER, none",
	round((min(alter_ms) FILTER (WHERE guard) /
		   min(alter_ms) FILTER (WHERE NOT guard))::numeric, 2) AS "ALTER ratio"
FROM result GROUP BY triggers ORDER BY triggers;
SQL
psql -d postgres -c 'DROP DATABASE guard_bench'
