#!/bin/sh
# install-deps.sh: installs the Debian 12 packages wirewatch builds, tests and benchmarks with; skips what is there.
set -eu

# Build: compiler tools and the libraries of DESIGN.md. Test: cmocka; clang
# and its runtime (libFuzzer targets); systemd (systemd-analyze checks the
# unit); the sqlite3 shell (integration tests read the database); python3
# (conformance checkers); openssl (a TLS server with a self-signed
# certificate); Apertium, its APY server and the Spanish-English pair (the
# translation tests run a real engine). Bench: GNU time and curl, and the
# peers we measure against (sfeed, feedparser, newsboat).
packages="build-essential cmake pkg-config
libevent-dev libcurl4-openssl-dev libxml2-dev libsqlite3-dev libicu-dev
libexttextcat-dev libstemmer-dev libjansson-dev libsystemd-dev libcmocka-dev
zlib1g-dev sqlite3 python3 ca-certificates openssl time curl systemd clang libclang-rt-14-dev
apertium apertium-apy apertium-eng-spa apertium-lex-tools python3-streamparser
sfeed python3-feedparser newsboat"

missing=""
for p in $packages; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "install-deps: need root or sudo to install:$missing" >&2
	exit 1
fi
$sudo apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
