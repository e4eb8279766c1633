#!/usr/bin/env bash
# "make sanitize": run the pg_regress and isolation suites against a server
# whose use of the extension is checked for memory errors and undefined
# behaviour.
#
# The extension is built with -fsanitize=undefined and
# -fsanitize-undefined-trap-on-error (no runtime library needed: undefined
# behaviour traps and the backend dies, which fails the suite), installed,
# and loaded into a stock server running under valgrind memcheck.  A
# preloaded AddressSanitizer runtime hangs the stock Debian server at
# start-up, valgrind does not.  The stock server is not built with valgrind
# support, so memcheck reports some of the server's own behaviour (padding
# bytes written to WAL and the like): only reports whose stack passes
# through carbon_ledger.so count as failures.
#
# Afterwards "make install" puts the normal build back.
#
# SANITIZE_REGRESS and SANITIZE_ISOLATION (space-separated test names)
# restrict the suites, e.g. to one area's tests:
#   SANITIZE_REGRESS="ledger_accounts ledger_redemption" make sanitize
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
runas=()
[[ $(id -u) -eq 0 ]] && runas=(runuser -u postgres --)
bindir=$(pg_config --bindir)
scratch=$(mktemp -d /tmp/carbon_ledger-sanitize.XXXXXX)
port=$((56000 + RANDOM % 1000))
status=0

cleanup() {
	if [[ -f $scratch/cluster/data/postmaster.pid ]]; then
		"${runas[@]}" "$bindir/pg_ctl" -D "$scratch/cluster/data" -m fast -w \
			-t 300 stop >/dev/null 2>&1
	fi
}
trap cleanup EXIT

echo "== building with -fsanitize=undefined (trap on error)"
cp -r Makefile carbon_ledger.control data sql src test expected tools "$scratch/"
ubsan="-fsanitize=undefined -fsanitize-undefined-trap-on-error -fno-sanitize=alignment"
make -C "$scratch" -s clean >/dev/null 2>&1
if ! make -C "$scratch" -s all COPT="$ubsan" >"$scratch/build.log" 2>&1 ||
	! make -C "$scratch" -s install >>"$scratch/build.log" 2>&1; then
	cat "$scratch/build.log"
	exit 1
fi
[[ $(id -u) -eq 0 ]] && chown -R postgres: "$scratch"

echo "== starting the server under valgrind memcheck (slow)"
mkdir -p "$scratch/cluster" "$scratch/valgrind"
[[ $(id -u) -eq 0 ]] && chown -R postgres: "$scratch"
"${runas[@]}" "$bindir/initdb" -D "$scratch/cluster/data" -U postgres -A trust \
	--no-sync -E UTF8 --locale=C.UTF-8 >"$scratch/initdb.log" 2>&1 ||
	{ cat "$scratch/initdb.log"; exit 1; }
cat >>"$scratch/cluster/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$scratch/cluster'
port = $port
shared_preload_libraries = 'carbon_ledger'
fsync = off
max_parallel_workers_per_gather = 2
CONF
# pg_ctl -p names the program to start as the postmaster: a launcher that
# runs the real one under memcheck.
cat >"$scratch/postgres-vg" <<LAUNCH
#!/bin/sh
exec valgrind --quiet --trace-children=yes --track-origins=yes \\
	--leak-check=no --num-callers=30 --error-limit=no \\
	--log-file=$scratch/valgrind/%p.log $bindir/postgres "\$@"
LAUNCH
chmod 755 "$scratch/postgres-vg"
"${runas[@]}" "$bindir/pg_ctl" -D "$scratch/cluster/data" -w -t 600 \
	-l "$scratch/server.log" -p "$scratch/postgres-vg" start >/dev/null ||
	{ tail -30 "$scratch/server.log"; exit 1; }

echo "== pg_regress and isolation suites"
for suite in regress isolation; do
	if [[ $suite == regress ]]; then
		over=(ISOLATION= TAP_TESTS=)
		[[ -n ${SANITIZE_REGRESS:-} ]] && over+=("REGRESS=$SANITIZE_REGRESS")
	else
		compgen -G "test/specs/*.spec" >/dev/null || continue
		over=(REGRESS= TAP_TESTS=)
		[[ -n ${SANITIZE_ISOLATION:-} ]] && over+=("ISOLATION=$SANITIZE_ISOLATION")
	fi
	if ! "${runas[@]}" env PGHOST="$scratch/cluster" PGPORT="$port" PGUSER=postgres \
		make -C "$scratch" -s installcheck "${over[@]}" \
		EXTRA_REGRESS_OPTS="--max-connections=4" >"$scratch/$suite.log" 2>&1; then
		status=1
	fi
	cat "$scratch/$suite.log"
	[[ -f $scratch/regression.diffs ]] && head -100 "$scratch/regression.diffs"
done

cleanup
echo "== valgrind reports passing through carbon_ledger"
bad=0
for f in "$scratch"/valgrind/*.log; do
	[[ -s $f ]] || continue
	if grep -q "carbon_ledger" "$f"; then
		echo "--- $f"
		cat "$f"
		bad=1
	fi
done
if ((bad)); then
	status=1
else
	echo "none ($(ls "$scratch"/valgrind | wc -l) processes checked)"
fi

echo "== restoring the normal build"
make -s install >/dev/null 2>&1 || status=1
if ((status == 0)); then
	rm -rf "$scratch"
	echo "sanitize: clean"
else
	echo "sanitize: FAILED (logs in $scratch)"
fi
exit $status
