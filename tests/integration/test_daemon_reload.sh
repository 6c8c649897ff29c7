#!/bin/bash
# test_daemon_reload.sh: daemon mode — polls at a 1s interval, SIGHUP adds/changes/removes feeds or keeps a broken file out, SIGTERM/SIGINT exit 0.
. "$(dirname "$0")/daemon_lib.sh"

start_server www
cp "$DATA/rss-en.xml" "$DATA/feed.json" "$DATA/capital.atom" "$TMP/www/"

{
	conf_head
	conf_feed en "$BASE/rss-en.xml" 1s
} >"$CONF"
start_daemon
wait_for '[ "$(items en)" = 3 ]' || fail "the daemon did not store the feed's items"
wait_for '[ "$(hits /rss-en.xml)" -ge 3 ]' 100 || fail "a 1s feed was not polled again"
pass "daemon mode stores items and polls a 1s feed every second"

# SIGHUP with a feed added: it starts.
conf_feed radio "$BASE/feed.json" 1s >>"$CONF"
kill -HUP "$DAEMON_PID"
wait_for '[ "$(items radio)" = 2 ]' || fail "the added feed was not polled"
[ "$(log_count '^<6>feed radio added$')" = 1 ] || fail "the addition was not logged"
[ "$(log_count '^<6>reloaded .*: 2 feeds \(1 added, 0 removed, 0 changed\)$')" = 1 ] ||
    fail "the reload was not summarised"
pass "SIGHUP starts an added feed"

# SIGHUP with a broken file: the error names file:line, the old
# configuration stays and keeps polling.
cp "$CONF" "$TMP/good.conf"
lines=$(wc -l <"$CONF")
printf '\n[feed "broken"]\nurl = ftp://x.example/\n' >>"$CONF"
kill -HUP "$DAEMON_PID"
want="^<4>reload failed: $CONF:$((lines + 3)): url is not http:// or https://: \"ftp://x.example/\"; keeping the old configuration\$"
wait_for '[ "$(log_count "$want")" = 1 ]' || fail "the broken reload was not reported as file:line"
before=$(hits /rss-en.xml)
wait_for '[ "$(hits /rss-en.xml)" -ge $((before + 2)) ]' || fail "polling stopped after a broken reload"
kill -0 "$DAEMON_PID" || fail "the daemon died on a broken reload"
pass "SIGHUP with a broken file logs file:line and keeps the old configuration"

# SIGHUP with a changed url and a removed feed.
{
	conf_head
	conf_feed radio "$BASE/capital.atom" 1s
} >"$CONF"
kill -HUP "$DAEMON_PID"
wait_for '[ "$(items radio)" = 4 ]' || fail "the changed url was not polled (radio has $(items radio) items)"
[ "$(feed_value radio url)" = "$BASE/capital.atom" ] || fail "the new url was not stored"
wait_for '[ "$(log_count "^<6>feed en removed from the configuration\$")" = 1 ]' ||
    fail "the removal was not logged"
[ "$(log_count '^<6>reloaded .*: 1 feed \(0 added, 1 removed, 1 changed\)$')" = 1 ] ||
    fail "the second reload was not summarised"
before=$(hits /rss-en.xml)
sleep 2.5
[ "$(hits /rss-en.xml)" -le $((before + 1)) ] || fail "the removed feed is still polled"
[ "$(items en)" = 3 ] || fail "the removed feed's items were lost"
pass "SIGHUP updates a changed url in place and stops a removed feed"

stop_daemon TERM
[ "$DAEMON_RC" = 0 ] || fail "SIGTERM exit code $DAEMON_RC"
[ "$(log_count '^<6>stopping on SIGTERM$')" = 1 ] || fail "the stop was not logged"
pass "SIGTERM stops the daemon with exit 0"

# SIGINT too, also with a transfer hanging in flight.
{
	conf_head
	conf_feed hang "$BASE/hang" 1s
} >"$CONF"
start_daemon
wait_for '[ "$(hits /hang)" -ge 1 ]' || fail "the hanging feed was not requested"
stop_daemon INT
[ "$DAEMON_RC" = 0 ] || fail "SIGINT exit code $DAEMON_RC"
pass "SIGINT stops the daemon with exit 0 while a transfer hangs"
