#!/bin/bash
# test_daemon_hostile.sh: malformed and hostile feeds and servers each cost one warning line naming the feed; the daemon goes on.
. "$(dirname "$0")/daemon_lib.sh"

start_server www
cp "$DATA/rss-en.xml" "$DATA/laughs.xml" "$DATA/truncated.xml" "$DATA/garbage.txt" "$TMP/www/"

hostile=(laughs truncated garbage big bomb loop scheme hang)
write_conf() {
	conf_head | sed 's/^timeout = .*/timeout = 3s/'
	echo "max_body = 1M"
	conf_feed good "$BASE/rss-en.xml" "$1"
	conf_feed laughs "$BASE/laughs.xml" "$1"
	conf_feed truncated "$BASE/truncated.xml" "$1"
	conf_feed garbage "$BASE/garbage.txt" "$1"
	conf_feed big "$BASE/big/50000000" "$1"
	conf_feed bomb "$BASE/gzip-bomb" "$1"
	conf_feed loop "$BASE/redirect-loop/0" "$1"
	conf_feed scheme "$BASE/redirect-scheme" "$1"
	conf_feed hang "$BASE/hang" "$1"
}
write_conf "" >"$CONF"

run_once || fail "--once with hostile feeds exited $?"
[ "$(items good)" = 3 ] || fail "the good feed's items were not stored"
pass "--once stores the good feed next to hostile ones and exits 0"

bad=$(grep -v '^<[0-7]>' "$LOG" | grep -v '^--- run_once$' || true)
[ -z "$bad" ] || fail "log lines without a priority prefix (a multi-line message?): $bad"
for name in "${hostile[@]}"; do
	n=$(log_count "^<4>feed $name: ")
	[ "$n" = 1 ] || fail "feed $name: $n warning lines, want 1"
done
pass "each hostile feed gets one warning line naming it"

# Nothing was expanded or kept beyond the limits.
longest=$(db "SELECT max(length(title) + length(text)) FROM items")
[ "$longest" -lt 10000 ] || fail "an item of $longest characters was stored"
[ "$(db "SELECT count(*) FROM items WHERE text LIKE '%passwd%' OR text LIKE '%root:x:%'")" = 0 ] ||
    fail "a file's contents leaked into an item"
for name in big bomb loop scheme hang garbage; do
	[ "$(feed_value "$name" failures)" = 1 ] || fail "feed $name did not count as failed"
	[ -n "$(feed_value "$name" last_error)" ] || fail "feed $name has no stored error"
done
pass "bodies beyond max_body, bombs, loops, bad schemes, hangs and garbage are failures with a stored error"

# The daemon keeps going too: the good feed is polled again and again
# while the hostile ones fail around it. A hang times out after 1 s here,
# and curl's message for it names the milliseconds, which differ each time:
# still one warning, then debug.
write_conf 1s | sed 's/^timeout = .*/timeout = 1s/' >"$CONF"
echo "--- daemon" >>"$LOG"
start_daemon
start=$(hits /rss-en.xml)
wait_for '[ "$(hits /rss-en.xml)" -ge $((start + 3)) ]' 100 ||
    fail "the good feed stopped being polled among hostile ones"
wait_for '[ "$(feed_value hang failures)" -ge 3 ]' 150 || fail "the hanging feed did not fail again"
since_start() {
	sed -n '/^--- daemon$/,$p' "$LOG" | grep -cE -- "$1" || true
}
[ "$(since_start '^<4>feed hang: ')" = 1 ] || fail "the repeated timeout was warned about more than once"
[ "$(since_start '^<7>feed hang: ')" -ge 1 ] || fail "the repeated timeout was not logged at debug"
kill -0 "$DAEMON_PID" || fail "the daemon died"
stop_daemon TERM
[ "$DAEMON_RC" = 0 ] || fail "SIGTERM exit code $DAEMON_RC"
pass "daemon mode keeps polling the good feed among hostile ones, warning once per failure"
