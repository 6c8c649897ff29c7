#!/bin/bash
# test_daemon_redirect_gone.sh: 301/308 move a feed for good (across restarts), 302 does not, 410 disables it until its url changes.
. "$(dirname "$0")/daemon_lib.sh"

start_server www
for f in moved.xml moved8.xml temp.xml fresh.xml; do
	cp "$DATA/rss-en.xml" "$TMP/www/$f"
done
write_conf() {
	{
		conf_head
		conf_feed moved "$BASE/redirect/301/moved.xml"
		conf_feed moved8 "$BASE/redirect/308/moved8.xml"
		conf_feed temp "$BASE/redirect/302/temp.xml"
		conf_feed gone "$1"
	} >"$CONF"
}
write_conf "$BASE/status/410/gone.xml"

run_once || fail "first --once exited $?"
[ "$(db "SELECT url FROM feeds WHERE name = 'moved'")" = "$BASE/moved.xml" ] ||
    fail "301 did not store the new url: $(db "SELECT url FROM feeds WHERE name = 'moved'")"
[ "$(db "SELECT url FROM feeds WHERE name = 'moved8'")" = "$BASE/moved8.xml" ] ||
    fail "308 did not store the new url"
[ "$(db "SELECT url FROM feeds WHERE name = 'temp'")" = "$BASE/redirect/302/temp.xml" ] ||
    fail "a 302 changed the stored url"
[ "$(items moved)" = 3 ] || fail "the moved feed's items were not stored"
[ "$(log_count "^<6>feed moved moved permanently to $BASE/moved.xml\$")" = 1 ] ||
    fail "the move was not logged once at info"
pass "301 and 308 store the new url, 302 does not"

[ "$(db "SELECT disabled || ' ' || last_status FROM feeds WHERE name = 'gone'")" = "1 410" ] ||
    fail "410 did not disable the feed"
[ "$(log_count '^<4>feed gone: .*410 Gone')" = 1 ] || fail "410 not logged once at warning"
pass "410 disables the feed"

# A restart polls the new url directly and leaves the gone feed alone.
run_once || fail "second --once exited $?"
[ "$(hits /redirect/301/moved.xml)" = 1 ] || fail "the old url was polled again"
[ "$(hits /redirect/308/moved8.xml)" = 1 ] || fail "the old 308 url was polled again"
[ "$(hits /moved.xml)" = 2 ] || fail "/moved.xml polled $(hits /moved.xml) times, want 2"
[ "$(hits /redirect/302/temp.xml)" = 2 ] || fail "the 302 url was not polled again"
[ "$(hits /status/410/gone.xml)" = 1 ] || fail "the disabled feed was polled again"
[ "$(log_count '^<6>feed moved moved permanently')" = 1 ] || fail "the move was logged again"
[ "$(log_count '^<4>feed gone is disabled')" = 1 ] || fail "the disabled feed was not reported at start"
pass "after a restart the moved feed is polled at its new url and the gone one not at all"

# A new url in the configuration is a new subscription: polled again.
write_conf "$BASE/fresh.xml"
run_once || fail "third --once exited $?"
[ "$(db "SELECT disabled || ' ' || last_status FROM feeds WHERE name = 'gone'")" = "0 200" ] ||
    fail "a new url did not re-enable the feed"
[ "$(items gone)" = 3 ] || fail "the re-enabled feed's items were not stored"
pass "a changed url re-enables a gone feed"
