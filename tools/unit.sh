#!/usr/bin/env bash
# Builds and runs the server-independent tests of src/core:
#
#   tools/unit.sh run    cmocka unit tests (test/unit/test_*.c), then every
#                        libFuzzer target over its committed corpus
#                        (test/fuzz/corpus/NAME/), once, as regression tests
#   tools/unit.sh fuzz   every libFuzzer target for FUZZ_SECONDS (default 60)
#                        each, with AddressSanitizer and UBSan; new inputs
#                        go to build/fuzz/new-corpus/NAME/
#
# Prints "RESULT name ok|failed" per test for tools/run-tests.sh.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mode=${1:-run}
inc=$(pg_config --includedir-server)
build=${BUILD_DIR:-build}
mkdir -p "$build/unit" "$build/fuzz"
core=(src/core/*.c)
[[ -e ${core[0]} ]] || core=()
cflags=(-g -O1 -std=gnu99 -Wall -Wextra -Werror -Wno-unused-parameter
	-Wno-missing-field-initializers -Wno-ignored-attributes
	-DCARBON_LEDGER_STANDALONE
	-Isrc/core -I"$inc")
sanflags=(-fsanitize=address,undefined -fno-sanitize-recover=all
	-fno-omit-frame-pointer)
status=0

run_unit() {
	local src name bin
	for src in test/unit/test_*.c; do
		[[ -e $src ]] || continue
		name=$(basename "$src" .c)
		bin=$build/unit/$name
		if ! clang "${cflags[@]}" "${sanflags[@]}" -o "$bin" "$src" \
			"${core[@]}" -lcmocka -lcrypto; then
			echo "RESULT $name failed"
			status=1
			continue
		fi
		"$bin" >"$bin.log" 2>&1
		local rc=$?
		cat "$bin.log"
		sed -nE 's/^\[       OK \] ([A-Za-z0-9_]+)$/RESULT '"$name"'.\1 ok/p;
			s/^\[  FAILED  \] ([A-Za-z0-9_]+)$/RESULT '"$name"'.\1 failed/p' "$bin.log"
		if ((rc != 0)); then
			grep -qE '^\[  FAILED  \] [A-Za-z0-9_]+$' "$bin.log" ||
				echo "RESULT $name failed"
			status=1
		fi
	done
}

# build_fuzzer SRC: compile one libFuzzer target; prints its path.
build_fuzzer() {
	local name bin
	name=$(basename "$1" .c)
	bin=$build/fuzz/$name
	clang "${cflags[@]}" "${sanflags[@]}" -fsanitize=fuzzer \
		-o "$bin" "$1" "${core[@]}" -lcrypto >&2 || return 1
	echo "$bin"
}

run_fuzz_corpus() {
	local src name bin files
	for src in test/fuzz/fuzz_*.c; do
		[[ -e $src ]] || continue
		name=$(basename "$src" .c)
		if ! bin=$(build_fuzzer "$src"); then
			echo "RESULT $name failed"
			status=1
			continue
		fi
		files=(test/fuzz/corpus/"${name#fuzz_}"/*)
		[[ -e ${files[0]} ]] || files=()
		if "$bin" -runs=0 "${files[@]}" >"$bin.log" 2>&1; then
			echo "RESULT $name-corpus ok"
		else
			tail -30 "$bin.log"
			echo "RESULT $name-corpus failed"
			status=1
		fi
	done
}

fuzz_for_a_while() {
	local src name bin seconds=${FUZZ_SECONDS:-60}
	for src in test/fuzz/fuzz_*.c; do
		[[ -e $src ]] || continue
		name=$(basename "$src" .c)
		bin=$(build_fuzzer "$src") || { status=1; continue; }
		mkdir -p "$build/fuzz/new-corpus/${name#fuzz_}"
		echo "== $name for ${seconds}s"
		if ! "$bin" -max_total_time="$seconds" -max_len=4096 \
			"$build/fuzz/new-corpus/${name#fuzz_}" \
			test/fuzz/corpus/"${name#fuzz_}" >"$bin.log" 2>&1; then
			tail -40 "$bin.log"
			echo "RESULT $name failed"
			status=1
		else
			tail -2 "$bin.log"
			echo "RESULT $name ok"
		fi
	done
}

case $mode in
run)
	run_unit
	run_fuzz_corpus
	;;
fuzz)
	fuzz_for_a_while
	;;
*)
	echo "usage: unit.sh run|fuzz" >&2
	exit 2
	;;
esac
exit $status
