# translate_lib.sh: an Apertium APY server for the translation tests (sourced after daemon_lib.sh).
#
# Uses the server .ci/run started (WW_APY_URL), else starts one with
# scripts/apy.sh for this test and stops it by PID when the test exits.
# apy_restart stops and starts the test's own server on the same port, for
# the fault tests.

command -v apertium-apy >/dev/null ||
    fail "apertium-apy is not installed (scripts/install-deps.sh installs it)"

APY_DIR="$TMP/apy"
if [ -n "${WW_APY_URL:-}" ]; then
	APY_URL=$WW_APY_URL
else
	APY_URL=$(sh "$WW_SOURCE/scripts/apy.sh" start "$APY_DIR") ||
	    fail "cannot start apertium-apy"
	trap 'sh "$WW_SOURCE/scripts/apy.sh" stop "$APY_DIR"; cleanup' EXIT
fi

# apy_own: a server of this test's own (stopped with the test), in APY_URL.
apy_own() {
	if [ -n "${WW_APY_URL:-}" ] && [ "$APY_URL" = "$WW_APY_URL" ]; then
		APY_URL=$(sh "$WW_SOURCE/scripts/apy.sh" start "$APY_DIR") ||
		    fail "cannot start apertium-apy"
		trap 'sh "$WW_SOURCE/scripts/apy.sh" stop "$APY_DIR"; cleanup' EXIT
	fi
}

# apy_stop: stops the test's own server.
apy_stop() {
	sh "$WW_SOURCE/scripts/apy.sh" stop "$APY_DIR"
}

# apy_start_on PORT: starts the test's own server again on PORT.
apy_start_on() {
	apertium-apy -p "$1" -j1 /usr/share/apertium/modes >>"$APY_DIR/apy.log" 2>&1 &
	echo $! >"$APY_DIR/apy.pid"
	wait_for "curl -fsS --max-time 2 http://127.0.0.1:$1/listPairs 2>/dev/null | grep -q sourceLanguage" 200 ||
	    fail "apertium-apy did not come back on port $1"
}
