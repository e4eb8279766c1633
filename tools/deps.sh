#!/usr/bin/env bash
# Installs what carbon_ledger's build, tests and demo need, when missing.
#
# Debian 12 package names; runs apt-get only for what is absent, and only as
# root (otherwise it says what to install and fails).
set -euo pipefail

pkgs=(
	postgresql-15  # the server the tests and demo start
	postgresql-server-dev-15  # PGXS, server headers, pg_regress
	libssl-dev  # OpenSSL SHA-256 / HMAC for the audit trail
	libcmocka-dev  # unit test framework for the pure C code
	libipc-run-perl  # PostgreSQL's TAP test modules need it
	clang  # libFuzzer targets
	libclang-rt-14-dev  # sanitizer and fuzzer runtimes
	valgrind  # make sanitize
)

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done

if ((${#missing[@]} == 0)); then
	exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
	echo "carbon_ledger: missing packages: ${missing[*]}" >&2
	echo "carbon_ledger: run 'make deps' as root, or: apt-get install ${missing[*]}" >&2
	exit 1
fi

echo "carbon_ledger: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
