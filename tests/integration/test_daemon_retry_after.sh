#!/bin/bash
# test_daemon_retry_after.sh: a 429 with Retry-After pauses every feed of that host, and only that host.
. "$(dirname "$0")/daemon_lib.sh"

start_server www	# the host that will ask us to wait
start_server other	# another host (another port) that must not
cp "$DATA/rss-en.xml" "$TMP/www/b.xml"
cp "$DATA/capital.atom" "$TMP/other/c.atom"
other="http://127.0.0.1:$PORT_other"

# Both steady feeds poll every second.
{
	conf_head
	conf_feed b "$BASE/b.xml" 1s
	conf_feed c "$other/c.atom" 1s
} >"$CONF"
start_daemon
wait_for '[ "$(hits /b.xml)" -ge 2 ]' || fail "feed b is not polled every second"

# Add a feed on the same host that answers 429, Retry-After: 6.
conf_feed a "$BASE/retry-after/6/429/a.xml" 1s >>"$CONF"
kill -HUP "$DAEMON_PID"
wait_for '[ "$(hits /retry-after/6/429/a.xml)" -ge 1 ]' || fail "feed a was never polled"
wait_for '[ "$(log_count "^<6>host 127.0.0.1:$PORT asked us to wait")" -ge 1 ]' ||
    fail "the 429 did not pause the host"
b0=$(hits /b.xml)
c0=$(hits /c.atom "$PORT_other")

# For four seconds of the six: b (same host) waits; c (other host) does not.
# Unpaused, b would be polled about four more times; one request may have
# been on its way when the 429 came back.
sleep 4
b1=$(hits /b.xml)
c1=$(hits /c.atom "$PORT_other")
a1=$(hits /retry-after/6/429/a.xml)
[ $((b1 - b0)) -le 1 ] || fail "feed b was polled $((b1 - b0)) times while its host was paused"
[ $((c1 - c0)) -ge 2 ] || fail "feed c on another host was polled only $((c1 - c0)) times"
[ "$a1" = 1 ] || fail "feed a itself was polled $a1 times during its Retry-After"
pass "a 429 with Retry-After pauses the host's feeds and no other host's"

# The pause ends and b resumes. (Feed a goes first: it would be asked to
# wait again each time it returns, and it may return before b.)
{
	conf_head
	conf_feed b "$BASE/b.xml" 1s
	conf_feed c "$other/c.atom" 1s
} >"$CONF"
kill -HUP "$DAEMON_PID"
wait_for '[ "$(hits /b.xml)" -gt "$b1" ]' 100 || fail "feed b did not resume after the pause"
[ "$(feed_value a last_status)" = 429 ] || fail "a's 429 not stored"
[ "$(feed_value a 'failures > 0')" = 1 ] || fail "a's 429 did not count as a failure"
pass "the host's feeds resume when the pause ends"

stop_daemon TERM
[ "$DAEMON_RC" = 0 ] || fail "SIGTERM exit code $DAEMON_RC"
