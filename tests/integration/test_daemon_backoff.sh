#!/bin/bash
# test_daemon_backoff.sh: a failing feed backs off exponentially and recovers, while the good feeds keep their pace.
. "$(dirname "$0")/daemon_lib.sh"

start_server www
cp "$DATA/rss-en.xml" "$TMP/www/good.xml"
cp "$DATA/feed.json" "$TMP/www/flaky.json"
{
	conf_head
	conf_feed good "$BASE/good.xml" 1s
	conf_feed bad "$BASE/status/500/bad.xml" 1s
	conf_feed flaky "$BASE/flaky/3/flaky.json" 1s
} >"$CONF"
start_daemon

# Failures 1..4 wait about 1, 2, 4 and 8 seconds (+-20%): the fourth
# comes some seven seconds in.
wait_for '[ "$(feed_value bad failures)" -ge 4 ] 2>/dev/null' 200 ||
    fail "the 500 feed did not reach 4 failures"
[ "$(db "SELECT last_status FROM feeds WHERE name = 'bad'")" = 500 ] || fail "500 not stored"
db "SELECT last_error FROM feeds WHERE name = 'bad'" | grep -q 500 || fail "the error text does not say 500"
[ "$(db "SELECT next_poll > last_fetch FROM feeds WHERE name = 'bad'")" = 1 ] ||
    fail "next_poll is not after the last fetch"

# The delays the daemon chose, from its log, in order.
mapfile -t delays < <(sed -nE 's/^<[47]>feed bad: .*\(failure ([0-9]+), next try in ([0-9.]+)s\)$/\2/p' "$LOG")
[ "${#delays[@]}" -ge 3 ] || fail "only ${#delays[@]} backoff delays logged"
for i in 1 2; do
	awk -v a="${delays[$((i - 1))]}" -v b="${delays[$i]}" 'BEGIN { exit !(b > a) }' ||
	    fail "backoff did not grow: ${delays[*]}"
done
pass "a 500 feed backs off: ${delays[*]} seconds"

[ "$(log_count '^<4>feed bad: ')" = 1 ] || fail "the repeated failure was logged at warning more than once"
[ "$(log_count '^<7>feed bad: HTTP 500')" -ge 2 ] || fail "repeats are not logged at debug"
pass "a repeated failure is a warning once, then debug"

# Meanwhile the good feed kept its one-second pace.
[ "$(hits /good.xml)" -ge 5 ] || fail "the good feed was polled only $(hits /good.xml) times"
[ "$(items good)" = 3 ] || fail "the good feed's items are missing"
pass "the good feed keeps being polled"

# The flaky feed fails three times, then recovers.
wait_for '[ "$(log_count "^<6>feed flaky recovered after 3 failures\$")" = 1 ]' 100 ||
    fail "the flaky feed did not recover"
# The log line comes as the poll is written; the write is seen when its
# batch commits, at most a quarter of a second later.
flaky_state() {
	db "SELECT failures || ' ' || ifnull(last_error, 'none') FROM feeds WHERE name = 'flaky'"
}
wait_for '[ "$(flaky_state)" = "0 none" ]' 20 ||
    fail "recovery did not clear the failure state"
[ "$(items flaky)" = 2 ] || fail "the flaky feed's items are missing"
pass "a flaky feed recovers and its failures are cleared"

stop_daemon TERM
[ "$DAEMON_RC" = 0 ] || fail "SIGTERM exit code $DAEMON_RC"
