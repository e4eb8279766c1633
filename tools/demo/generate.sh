#!/usr/bin/env bash
# Runs tools/demo/generate.pl into DIR for SESSIONS parallel sessions and
# marks the end: DIR/done holds "ok" or "failed", DIR/summary the
# generator's summary (or its error).  tools/demo/load.sh waits for it.
#
#   tools/demo/generate.sh DIR SESSIONS
set -uo pipefail

dir=${1:?usage: generate.sh DIR SESSIONS}
sessions=${2:?usage: generate.sh DIR SESSIONS}
rm -f "$dir/done"
if perl "$(dirname "$0")/generate.pl" --out "$dir" --sessions "$sessions" \
	2>"$dir/summary"; then
	echo ok >"$dir/done"
else
	echo failed >"$dir/done"
	exit 1
fi
