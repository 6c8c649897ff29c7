#!/bin/bash
# test_daemon_sinks.sh: a webhook that is down keeps its alerts until it recovers; logrotate's rename plus SIGHUP moves the alert log to a new file without losing or repeating an alert.
. "$(dirname "$0")/daemon_lib.sh"

SRC="$WW_SOURCE/tests/data/stories"
start_server www
cp "$SRC/wire.xml" "$TMP/www/"
{
	conf_head
	conf_feed wire "$BASE/wire.xml" 1s
	cat <<EOF2

[watch "gaza-talks"]
query = (hamas OR gaza) AND (ceasefire OR truce OR hostage*)
alerts = story

[sink "hook"]
type = webhook
url = $BASE/post-fail/1/503/hook
timeout = 5s
EOF2
} >"$CONF"

posts() {
	http_get "$PORT" /_posts/hook
}

start_daemon
wait_for '[ "$(cat "$TMP/alerts.jsonl" 2>/dev/null | wc -l)" = 2 ]' ||
    fail "the two watched stories did not reach the alert log"
[ "$(log_count 'sink "hook": HTTP 503')" = 1 ] ||
    fail "the webhook's 503 was not logged once"
# The first POST failed; the retry comes 5 s later and delivers both.
wait_for '[ "$(posts | wc -l)" = 2 ]' 150 ||
    fail "the webhook did not receive both alerts after its 503: $(posts)"
posts | awk -F'\t' '{ print $2 }' | grep -c '^X-Wirewatch-Seq: [12]$' | grep -qx 2 ||
    fail "the POSTs do not carry X-Wirewatch-Seq 1 and 2: $(posts)"
posts | grep -q 'Content-Type: application/json' ||
    fail "the POSTs are not application/json: $(posts)"
[ "$(db "SELECT cursor FROM sinks WHERE name = 'hook'")" = 2 ] ||
    fail "the webhook's cursor is not 2"
pass "a webhook answering 503 keeps its alerts and gets them, in order, on the retry"

# logrotate: rename, then SIGHUP; the next alert goes to a new file.
mv "$TMP/alerts.jsonl" "$TMP/alerts.jsonl.1"
kill -HUP "$DAEMON_PID"
wait_for "[ \"\$(log_count '^<6>reloaded ')\" = 1 ]" || fail "no reload"
python3 - "$TMP/www/wire.xml" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
item = """<item>
<title>Hostage families urge negotiators to close the truce deal</title>
<guid>globewire-2099</guid>
<description>TEL AVIV - Families of hostages held in Gaza rallied outside the defence ministry on Wednesday, urging negotiators to close a truce deal with Hamas before the holiday.</description>
</item>
</channel>"""
open(p, "w", encoding="utf-8").write(s.replace("</channel>", item))
PY
touch -d '+5 seconds' "$TMP/www/wire.xml"
wait_for '[ -s "$TMP/alerts.jsonl" ]' 100 || fail "no new alert log after the rotation"
[ "$(wc -l <"$TMP/alerts.jsonl.1")" = 2 ] || fail "the rotated log changed: $(cat "$TMP/alerts.jsonl.1")"
python3 -c '
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
sys.exit(0 if [x["seq"] for x in a] == [3] and a[0]["story"]["title"].startswith("Hostage families") else 1)' "$TMP/alerts.jsonl" ||
    fail "the new log does not hold exactly seq 3: $(cat "$TMP/alerts.jsonl")"
wait_for '[ "$(posts | wc -l)" = 3 ]' || fail "the webhook did not get seq 3"
pass "after logrotate's rename and SIGHUP the next alert (seq 3) starts the new file; the webhook gets it too"

stop_daemon TERM
[ "$DAEMON_RC" = 0 ] || fail "wirewatchd exited $DAEMON_RC"
