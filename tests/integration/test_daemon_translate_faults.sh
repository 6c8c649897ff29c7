#!/bin/bash
# test_daemon_translate_faults.sh: APY stopped mid-run, answering 500, answering too slowly: stories wait (across a restart), nothing is lost, and the daemon catches up when the engine returns; past max_wait a story goes out untranslated.
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/translate_lib.sh"

apy_own
APY_PORT=${APY_URL##*:}
SRC="$WW_SOURCE/tests/data/translate"
start_server www
cp "$SRC/es.xml" "$TMP/www/"

# write_conf URL [MAX_WAIT]
write_conf() {
	{
		conf_head
		printf '\n[feed "europa-press"]\nurl = %s\nlanguage = es\ninterval = 1h\n' "$BASE/es.xml"
		printf '\n[translate]\nbackend = apertium\nurl = %s\ntimeout = 2s\nretry = 1s\nmax_wait = %s\n' "$1" "${2:-1h}"
		cat <<'EOF2'

[watch "gaza-talks"]
query = (hamas OR gaza) AND (truce OR ceasefire OR hostage* OR negotiat*)
alerts = story
EOF2
	} >"$CONF"
}
waiting() {
	db "SELECT count(*) FROM stories WHERE translation IN ('title', 'text')" 2>/dev/null || echo 0
}
alerts() {
	cat "$TMP/alerts.jsonl" 2>/dev/null | wc -l
}

# --- APY stopped before the items arrive; the daemon keeps them waiting
apy_stop
write_conf "$APY_URL"
start_daemon
wait_for '[ "$(db "SELECT count(*) FROM stories" 2>/dev/null)" = 2 ]' || fail "the stories were not stored"
wait_for '[ "$(db "SELECT count(*) FROM stories WHERE translate_attempts >= 2" 2>/dev/null)" = 2 ]' 100 ||
    fail "the stories were not retried while APY was down"
[ "$(waiting)" = 2 ] && [ "$(alerts)" = 0 ] || fail "stories left their waiting state or alerted while APY was down"
pass "with APY down both stories wait, are retried, and hold their alerts"

# a restart keeps them waiting
stop_daemon TERM
start_daemon
sleep 1
[ "$(waiting)" = 2 ] || fail "the restart lost the waiting stories"
apy_start_on "$APY_PORT"
wait_for '[ "$(waiting)" = 0 ]' 200 || fail "the daemon did not catch up once APY was back"
wait_for '[ "$(alerts)" = 1 ]' || fail "the held alert did not go out"
python3 -c '
import json, sys
a = json.loads(open(sys.argv[1]).readline())
sys.exit(0 if a["story"]["translated"] and a["story"]["lang"] == "es" and "truce" in a["story"]["title"] else 1)' "$TMP/alerts.jsonl" ||
    fail "the alert is not the translated story: $(cat "$TMP/alerts.jsonl")"
pass "after a restart and APY's return the stories are translated and the held alert goes out, in English"
stop_daemon TERM

# --- APY answering 500, then too slowly: retried, counted, then caught up
rm -rf "$STATE" "$TMP/alerts.jsonl"
write_conf "$BASE/status/500"
start_daemon
failures() {
	db "SELECT coalesce((SELECT failures FROM translate_stats), 0)" 2>/dev/null || echo 0
}
wait_for '[ "$(failures)" -ge 2 ]' 100 ||
    fail "500s were not counted as failures"
[ "$(waiting)" = 2 ] || fail "a 500 made a story leave its waiting state"
pass "APY answering 500: the stories wait and the failures are counted"
write_conf "$BASE/hang"
kill -HUP "$DAEMON_PID"
before=$(failures)
wait_for '[ "$(failures)" -gt '"$before"' ]' 100 ||
    fail "a server that never answers was not given up on after the timeout"
[ "$(waiting)" = 2 ] || fail "a timeout made a story leave its waiting state"
pass "APY never answering: each request times out after 2 s and the stories wait"
write_conf "$APY_URL"
kill -HUP "$DAEMON_PID"
wait_for '[ "$(waiting)" = 0 ]' 200 || fail "the daemon did not catch up after the reload to a working APY"
wait_for '[ "$(alerts)" = 1 ]' || fail "no alert after catching up"
pass "pointed at a working APY again (SIGHUP), the daemon catches up"
stop_daemon TERM

# --- past max_wait a story is used untranslated and its alert goes out
rm -rf "$STATE" "$TMP/alerts.jsonl"
write_conf "$BASE/status/500" 3s
# The Spanish title matches this watch untranslated ("Gaza", "Hamás").
sed -i 's/^query = .*/query = hamas AND gaza/' "$CONF"
start_daemon
wait_for '[ "$(db "SELECT count(*) FROM stories WHERE translation = '"'untranslated'"'" 2>/dev/null)" = 2 ]' 150 ||
    fail "the stories were not given up on after max_wait"
wait_for '[ "$(alerts)" = 1 ]' || fail "the untranslated story did not alert"
python3 -c '
import json, sys
a = json.loads(open(sys.argv[1]).readline())
sys.exit(0 if a["story"]["translated"] is False and a["story"]["lang"] == "es" and "tregua" in a["story"]["title"] else 1)' "$TMP/alerts.jsonl" ||
    fail "the alert should carry the Spanish title, translated false: $(cat "$TMP/alerts.jsonl")"
[ "$(log_count 'used untranslated')" -ge 2 ] || fail "giving up was not logged"
pass "past max_wait the stories are used untranslated and the alert says \"translated\": false"
stop_daemon TERM
