#!/usr/bin/env bash
# Starts and stops the throwaway PostgreSQL clusters of "make test" and
# "make demo".
#
#   tools/cluster.sh start DIR PORT   initdb DIR/data (unless there), start it
#                                     with its socket in DIR
#   tools/cluster.sh stop DIR         stop it (if running)
#
# initdb and postgres refuse to run as root: as root, the cluster belongs to
# the "postgres" user and DIR is handed to that user.
set -euo pipefail

bindir=$(pg_config --bindir)
cmd=${1:?usage: cluster.sh start|stop DIR [PORT]}
dir=${2:?usage: cluster.sh start|stop DIR [PORT]}

# as_owner CMD...: run CMD as the cluster owner.
as_owner() {
	if [[ $(id -u) -eq 0 ]]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

case $cmd in
start)
	port=${3:?usage: cluster.sh start DIR PORT}
	mkdir -p "$dir"
	[[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
	if [[ ! -f $dir/data/PG_VERSION ]]; then
		as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust \
			--no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
			{ cat "$dir/initdb.log" >&2; exit 1; }
		cat >>"$dir/data/postgresql.conf" <<-CONF
		# carbon_ledger throwaway cluster
		listen_addresses = ''
		unix_socket_directories = '$dir'
		port = $port
		shared_preload_libraries = 'carbon_ledger'
		max_connections = 60
		max_prepared_transactions = 10
		max_worker_processes = 16
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		log_min_messages = warning
		CONF
	fi
	as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
		-t 120 start >/dev/null ||
		{ tail -20 "$dir/server.log" >&2; exit 1; }
	;;
stop)
	if [[ -f $dir/data/postmaster.pid ]]; then
		as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
	fi
	;;
*)
	echo "usage: cluster.sh start|stop DIR [PORT]" >&2
	exit 2
	;;
esac
