#!/usr/bin/env bash
# "make test": build with warnings as errors, install, and run every suite
# (unit tests, fuzz corpora, pg_regress, isolation, TAP) against a throwaway
# cluster, or against the server named by PGHOST/PGPORT when either is set.
# Ends with one line "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
declare -i passed=0 failed=0 suite_rc=0
failures=()

# note_result NAME STATUS: count one test.
note_result() {
	if [[ $2 == ok ]]; then
		passed+=1
	else
		failed+=1
		failures+=("$1")
	fi
}

# count_pg_regress LOG SUITE: count the per-test lines of a pg_regress or
# pg_isolation_regress run ("test x ... ok", "x ... FAILED").
count_pg_regress() {
	local name status
	while read -r name status; do
		note_result "$2/$name" "$status"
	done < <(sed -nE 's/^(test |     |ok [0-9]+ +[-+] )? *([A-Za-z0-9_]+) +\.\.\. +(ok|FAILED|failed).*/\2 \3/p' "$1")
}

finish() {
	if ((${#failures[@]})); then
		echo "failed: ${failures[*]}"
	fi
	echo "$passed passed, $failed failed"
	((failed == 0 && passed > 0))
	exit $?
}

# Build, then install and test under a lock: installing replaces the
# server's copy of the extension, so two runs on one machine take turns.
echo "== build"
if ! make -s all >build.log 2>&1; then
	cat build.log
	note_result build failed
	finish
fi
exec 9>"/tmp/carbon_ledger-make-test.$(pg_config --pkglibdir | md5sum | cut -c1-8).lock"
flock 9
echo "== install"
if ! make -s install >install.log 2>&1; then
	cat install.log
	note_result install failed
	finish
fi

# Tests run as a non-root user (initdb, postgres and PostgreSQL's TAP modules
# refuse root), in a scratch copy of the tree that user can write.
runas=()
if [[ $(id -u) -eq 0 ]]; then
	runas=(runuser -u postgres --)
fi
scratch=$(mktemp -d /tmp/carbon_ledger-test.XXXXXX)
trap 'tools/cluster.sh stop "$scratch/cluster" >/dev/null 2>&1; rm -rf "$scratch"' EXIT
cp -r Makefile carbon_ledger.control data sql src test expected tools "$scratch/"
[[ $(id -u) -eq 0 ]] && chown -R postgres: "$scratch"
chmod 755 "$scratch"

echo "== unit tests and fuzz corpora"
if "${runas[@]}" env -C "$scratch" tools/unit.sh run >"$scratch/unit.log" 2>&1; then
	:
fi
cat "$scratch/unit.log"
while read -r name status; do
	note_result "unit/$name" "$status"
done < <(sed -nE 's/^RESULT ([^ ]+) (ok|failed)$/\1 \2/p' "$scratch/unit.log")

if [[ -z ${PGHOST:-} && -z ${PGPORT:-} ]]; then
	port=$((54000 + RANDOM % 1000))
	echo "== starting a throwaway cluster on port $port"
	if ! tools/cluster.sh start "$scratch/cluster" "$port"; then
		note_result cluster failed
		finish
	fi
	export PGHOST=$scratch/cluster PGPORT=$port PGUSER=postgres
fi

# run_suite NAME MAKE-OVERRIDES...: one kind of suite through PGXS.
run_suite() {
	local suite=$1
	shift
	echo "== $suite"
	"${runas[@]}" env PGHOST="$PGHOST" PGPORT="${PGPORT:-5432}" \
		PGUSER="${PGUSER:-}" PGDATABASE="${PGDATABASE:-}" \
		make -C "$scratch" -s installcheck "$@" >"$scratch/$suite.log" 2>&1
	suite_rc=$?
	cat "$scratch/$suite.log"
	if [[ -f $scratch/regression.diffs ]]; then
		head -200 "$scratch/regression.diffs"
		mv "$scratch/regression.diffs" "$scratch/$suite.diffs"
	fi
}

# suite_failed NAME: count a suite that failed without naming a failed test
# (a crash, a missing expected file, a harness error).
suite_failed() {
	if ((suite_rc != 0)) && ! grep -q "^$1/" <<<"$(printf '%s\n' "${failures[@]:-}")"; then
		note_result "$1" failed
	fi
}

run_suite regress ISOLATION= TAP_TESTS=
count_pg_regress "$scratch/regress.log" regress
suite_failed regress
if compgen -G "test/specs/*.spec" >/dev/null; then
	run_suite isolation REGRESS= TAP_TESTS=
else
	: >"$scratch/isolation.log"; suite_rc=0
fi
count_pg_regress "$scratch/isolation.log" isolation
suite_failed isolation
if [[ -f $scratch/output_iso/regression.diffs ]]; then
	head -200 "$scratch/output_iso/regression.diffs"
fi
if compgen -G "test/t/*.pl" >/dev/null; then
	run_suite tap REGRESS= ISOLATION=
else
	: >"$scratch/tap.log"; suite_rc=0
fi
while read -r name status; do
	note_result "tap/$name" "$status"
done < <(sed -nE 's/^test\/t\/([^ ]+)\.pl \.+ ?(ok|Dubious.*|Failed.*|skipped.*)$/\1 \2/p' "$scratch/tap.log" |
	awk '{s=$2; if (s!="ok" && s !~ /^skipped/) s="failed"; else s="ok"; print $1, s}')
if grep -q "^Result: FAIL" "$scratch/tap.log" || ((suite_rc != 0)); then
	suite_failed tap
	for f in "$scratch"/tmp_check/log/regress_log_*; do
		[[ -f $f ]] && { echo "--- $f"; tail -50 "$f"; }
	done
fi

finish
