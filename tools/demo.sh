#!/usr/bin/env bash
# "make demo": build and install carbon_ledger, start a throwaway cluster
# (or use the server named by PGHOST/PGPORT), and run the main job in
# tools/demo/demo.sql.  Can be run again: it recreates the demo database.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
demo_dir=${DEMO_DIR:-/tmp/carbon_ledger-demo}
demo_port=${DEMO_PORT:-5499}
db=${DEMO_DB:-carbon_demo}

echo "== building and installing carbon_ledger"
make -s all >build.log 2>&1 || { cat build.log; exit 1; }
make -s install >install.log 2>&1 || { cat install.log; exit 1; }

if [[ -z ${PGHOST:-} && -z ${PGPORT:-} ]]; then
	echo "== starting the demo cluster in $demo_dir (port $demo_port)"
	tools/cluster.sh stop "$demo_dir" >/dev/null 2>&1 || true
	tools/cluster.sh start "$demo_dir" "$demo_port"
	export PGHOST=$demo_dir PGPORT=$demo_port PGUSER=postgres
	connect="psql -h $demo_dir -p $demo_port -U postgres $db"
else
	connect="psql $db (with your PGHOST/PGPORT)"
fi

psql -X -q -v ON_ERROR_STOP=1 -d postgres \
	-c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -v ON_ERROR_STOP=1 -d "$db" -f tools/demo/demo.sql

echo
echo "The demo database is $db. Connect with:"
echo "  $connect"
