#!/usr/bin/env bash
# Loads the Xizang reference data set into a database through the ledger's
# own tables: creates the extension, generates the data set
# (tools/demo/generate.pl, deterministic), loads the programme and the
# accounts, then the activities and redemptions in parallel sessions (each
# session owns a fixed share of the accounts and loads their rows in time
# order), then the green loans.  Used by "make demo" and by the demo's
# test; the server is the one libpq finds (PGHOST, PGPORT, PGUSER).
#
#   tools/demo/load.sh DATABASE [SESSIONS [DATADIR]]
#
# SESSIONS defaults to the number of CPUs, at most 4.  DATADIR, when given,
# is where generate.pl was started with --out DATADIR --sessions SESSIONS
# (make demo starts it early, to overlap it with the build); load.sh then
# waits for DATADIR/done instead of generating.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
db=${1:?usage: load.sh DATABASE [SESSIONS [DATADIR]]}
sessions=${2:-$(nproc 2>/dev/null || echo 2)}
((sessions > 4)) && sessions=4
((sessions < 1)) && sessions=1

if [[ -n ${3:-} ]]; then
	work=$3
else
	work=$(mktemp -d /tmp/carbon_ledger-demo-data.XXXXXX)
	trap 'rm -rf "$work"' EXIT
	"$here/generate.sh" "$work" "$sessions" || true
fi

# run_psql FILE: one script, stopping at the first error.
run_psql() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$1"
}

echo "== the Xizang reference data set (tools/demo/generate.pl, fixed seed)"
while [[ ! -e $work/done ]]; do
	sleep 0.2
done
[[ $(cat "$work/done") == ok ]] || { cat "$work/summary" >&2; exit 1; }
sed 's/^/   /' "$work/summary"

echo "== loading it through the ledger's tables and triggers ($sessions parallel sessions)"
start=$(date +%s%N)
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$here/install.sql"
run_psql "$work/setup.sql"
pids=()
for ((k = 1; k <= sessions; k++)); do
	run_psql "$work/session-$k.sql" &
	pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do
	wait "$pid" || failed=1
done
((failed == 0)) || { echo "load.sh: a session failed" >&2; exit 1; }
run_psql "$work/loans.sql"
ms=$((($(date +%s%N) - start) / 1000000))
printf '   loaded in %d.%d s\n' $((ms / 1000)) $((ms % 1000 / 100))
