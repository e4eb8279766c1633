#!/usr/bin/env bash
# "make demo": build and install carbon_ledger, start a throwaway cluster
# (or use the server named by PGHOST/PGPORT), and run the main job in
# tools/demo/load.sh (the Xizang reference data set) and tools/demo/demo.sql
# (the report).  Can be run again: it recreates the demo database.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
demo_dir=${DEMO_DIR:-/tmp/carbon_ledger-demo}
demo_port=${DEMO_PORT:-5499}
db=${DEMO_DB:-carbon_demo}

# The data set is generated while the extension builds and the cluster
# starts (tools/demo/load.sh waits for it).
sessions=$(nproc 2>/dev/null || echo 2)
((sessions > 4)) && sessions=4
data=$(mktemp -d /tmp/carbon_ledger-demo-data.XXXXXX)
tools/demo/generate.sh "$data" "$sessions" >/dev/null 2>&1 &
generator=$!
trap 'kill "$generator" 2>/dev/null || true; rm -rf "$data"' EXIT

echo "== building and installing carbon_ledger"
make -s all >build.log 2>&1 || { cat build.log; exit 1; }
make -s install >install.log 2>&1 || { cat install.log; exit 1; }

own_cluster=
if [[ -z ${PGHOST:-} && -z ${PGPORT:-} ]]; then
	own_cluster=yes
	echo "== starting the demo cluster in $demo_dir (port $demo_port)"
	tools/cluster.sh stop "$demo_dir" >/dev/null 2>&1 || true
	tools/cluster.sh start "$demo_dir" "$demo_port"
	export PGHOST=$demo_dir PGPORT=$demo_port PGUSER=postgres
	connect="psql -h $demo_dir -p $demo_port -U postgres $db"
else
	connect="psql $db (with your PGHOST/PGPORT)"
fi

echo "== recreating database $db"
# The maintenance connection: PGDATABASE if set (a managed server may not
# let you into "postgres"); the demo itself always uses its own database.
psql -X -q -v ON_ERROR_STOP=1 -d "${PGDATABASE:-postgres}" \
	-c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" \
	-c "CREATE DATABASE $db"
# On its own cluster the demo seals the audit chain on demand after the
# bulk load (audit_seal() in tools/demo/audit.sql) rather than letting the
# background sealer run during it: see docs/limitations.md, "Demo".
if [[ -n $own_cluster ]]; then
	psql -X -q -d postgres -c "ALTER SYSTEM SET carbon_ledger.seal_interval = 0" \
		-c "SELECT pg_reload_conf()" >/dev/null
fi
tools/demo/load.sh "$db" "$sessions" "$data"
if [[ -n $own_cluster ]]; then
	psql -X -q -d postgres -c "ALTER SYSTEM RESET carbon_ledger.seal_interval" \
		-c "SELECT pg_reload_conf()" >/dev/null
fi
psql -X -v ON_ERROR_STOP=1 -d "$db" -f tools/demo/demo.sql
echo
echo "== done. The demo database is $db${PGHOST:+ (server: $PGHOST port ${PGPORT:-5432})}; connect with:"
echo "  $connect"
echo "   and try: SELECT * FROM carbon_ledger.regional_summary('2025-01-01', '2025-03-31');"
