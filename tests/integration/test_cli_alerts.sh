#!/bin/bash
# test_cli_alerts.sh: wirewatch alerts on an outbox filled with sqlite3 — JSON like the alert log, filters, the list, --follow.
. "$(dirname "$0")/daemon_lib.sh"

[ -x "$WW" ] || fail "$WW is not built"
command -v python3 >/dev/null || fail "python3 is needed"
OUT="$TMP/out"
ERR="$TMP/err"
ALERT_LOG="$TMP/alerts.jsonl"

# ww ARGS: the wirewatch command on $CONF, output in $OUT and $ERR.
ww() {
	"$WW" -c "$CONF" "$@" >"$OUT" 2>"$ERR"
}

# seqs: the seqs of the JSON Lines in $OUT, space-separated.
seqs() {
	python3 -c '
import json, sys
print(" ".join(str(json.loads(l)["seq"]) for l in open(sys.argv[1], encoding="utf-8")))' "$OUT"
}

# expect_seqs WHAT SEQS ARGS: wirewatch alerts --json ARGS prints SEQS.
expect_seqs() {
	local what=$1 want=$2 got
	shift 2
	ww alerts --json "$@" || fail "$what: exited $?: $(cat "$ERR")"
	got=$(seqs)
	[ "$got" = "$want" ] || fail "$what: seqs \"$got\", expected \"$want\""
	pass "$what"
}

# add_alert AGE TYPE WATCH BODY: an alert stored AGE seconds ago, as the
# daemon stores them (the body is the JSON after seq, time, type, watch).
add_alert() {
	local t=$(($(date +%s) - $1))
	db "INSERT INTO alerts (time, type, watch, story_id, body)
	    VALUES ($t, '$2', '$3', 1, '$4')"
}

{
	conf_head
	printf '\n[feed "izvestia"]\nurl = http://127.0.0.1:9/none.xml\n'
	printf '\n[watch "gaza-talks"]\nquery = gaza AND ceasefire\n'
	printf '\n[watch "sudan"]\nquery = sudan\n'
} >"$CONF"

# The command never creates the state: before the daemon's first run it
# says so.
ww alerts || true
grep -q "no state yet" "$ERR" || fail "no state: $(cat "$ERR")"
[ ! -e "$STATE/wirewatch.db" ] || fail "the command created the database"
pass "without state the command says there is none"

# The daemon creates the state (its feed fails, which does not matter).
run_once || true
[ -f "$STATE/wirewatch.db" ] || fail "wirewatchd --once created no database"

add_alert 10800 new_story gaza-talks \
    '{"story":{"id":"1","title":"Ceasefire talks resume in Cairo","url":"https://example.org/1","feed":"izvestia","lang":"ru","translated":true,"published":null}}'
add_alert 5400 new_person gaza-talks \
    '{"person":{"name":"Максим Харкин","variants":["Maxim Kharkin","Harkin"]},"story":{"id":"1","title":"Prisoner swap","feed":"izvestia"},"evidence":"x"}'
add_alert 600 new_claim sudan \
    '{"claim":{"text":"200 prisoners for every hostage","speaker":"Hamas","figures":[200],"revises":null},"story":{"id":"2","title":"Talks","feed":"wire"}}'
# A title with an escape sequence, as a hostile feed would send it.
add_alert 0 new_story sudan \
    '{"story":{"id":"3","title":"Khartoum \u001b]0;owned\u0007 falls","feed":"wire","lang":"en","translated":false,"published":null}}'

# --- JSON and its filters
expect_seqs "--json -n 0 lists every alert oldest first" "1 2 3 4" -n 0
python3 -c '
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    keys = list(json.loads(l).keys())
    assert keys[:4] == ["seq", "time", "type", "watch"], keys
    assert ": " not in l and ", " not in l.split("\"title\"")[0], l' "$OUT" ||
    fail "--json: members out of order or not compact: $(cat "$OUT")"
grep -q 'Максим Харкин' "$OUT" || fail "--json: UTF-8 not kept: $(cat "$OUT")"
pass "--json: seq, time, type, watch first, compact, UTF-8"
expect_seqs "--since 2h" "2 3 4" --since 2h
expect_seqs "--watch" "1 2" --watch gaza-talks
expect_seqs "--type claim" "3" --type claim
expect_seqs "--type new_story" "1 4" --type new_story
expect_seqs "--type with --watch" "4" --type story --watch sudan
expect_seqs "-n 2 takes the newest two, oldest first" "3 4" -n 2
expect_seqs "--since with -n" "3 4" --since 2h -n 2

# --- the list for a person
ww alerts || fail "alerts exited $?: $(cat "$ERR")"
[ "$(wc -l <"$OUT")" -eq 4 ] || fail "list: $(cat "$OUT")"
grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}  story   gaza-talks  izvestia  Ceasefire talks resume in Cairo$' "$OUT" ||
    fail "list: story row: $(cat "$OUT")"
grep -qE '  person  gaza-talks  izvestia  Максим Харкин - Prisoner swap$' "$OUT" ||
    fail "list: person row: $(cat "$OUT")"
grep -qE '  claim   sudan       wire      Hamas: 200 prisoners for every hostage$' "$OUT" ||
    fail "list: claim row: $(cat "$OUT")"
if LC_ALL=C grep -q $'\033\|\007' "$OUT"; then
	fail "list: a control character reached the output: $(cat -v "$OUT")"
fi
grep -q 'Khartoum  ]0;owned  falls' "$OUT" || fail "list: hostile title: $(cat -v "$OUT")"
pass "list: aligned columns, no colour off a terminal, control characters defused"

# --- usage errors
rc=0
"$WW" -c "$CONF" alerts --type rumour >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "--type rumour: exit $rc, expected 2"
rc=0
"$WW" -c "$CONF" alerts --since yesterday >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "--since yesterday: exit $rc, expected 2"
pass "bad --type and --since are usage errors (exit 2)"

# --- the daemon's alert log holds the same lines as --json
run_once || true
ww alerts --json -n 0 || fail "alerts --json exited $?"
cmp -s "$OUT" "$ALERT_LOG" ||
    fail "alert log and --json differ: $(diff "$ALERT_LOG" "$OUT" | head -20)"
pass "--json prints exactly the lines of the alert log"

# --- --follow: the last lines, then what arrives, until SIGINT
FOLLOW_OUT="$TMP/follow"
"$WW" -c "$CONF" alerts --json --follow -n 1 >"$FOLLOW_OUT" 2>"$TMP/follow.err" &
FOLLOW_PID=$!
PIDS+=("$FOLLOW_PID")
wait_for "[ \"\$(wc -l <'$FOLLOW_OUT')\" -ge 1 ]" ||
    fail "--follow printed nothing: $(cat "$TMP/follow.err")"
add_alert 0 new_story gaza-talks '{"story":{"id":"9","title":"Late","feed":"wire"}}'
add_alert 0 new_claim sudan '{"claim":{"text":"t"}}'
wait_for "[ \"\$(wc -l <'$FOLLOW_OUT')\" -ge 3 ]" ||
    fail "--follow did not print new alerts: $(cat "$FOLLOW_OUT")"
kill -INT "$FOLLOW_PID"
wait_for "exited $FOLLOW_PID" || fail "--follow did not stop on SIGINT"
rc=0
wait "$FOLLOW_PID" || rc=$?
[ "$rc" -eq 0 ] || fail "--follow exited $rc on SIGINT"
cp "$FOLLOW_OUT" "$OUT"
[ "$(seqs)" = "4 5 6" ] || fail "--follow: seqs $(seqs)"
pass "--follow prints the last alert, then new ones once each, and stops on SIGINT"

# With a filter, alerts it leaves out are skipped and later ones still come.
"$WW" -c "$CONF" alerts --json --follow -n 0 --watch sudan \
    >"$FOLLOW_OUT" 2>"$TMP/follow.err" &
FOLLOW_PID=$!
PIDS+=("$FOLLOW_PID")
wait_for "[ \"\$(wc -l <'$FOLLOW_OUT')\" -ge 3 ]" ||
    fail "--follow --watch: $(cat "$FOLLOW_OUT" "$TMP/follow.err")"
add_alert 0 new_story gaza-talks '{}'
add_alert 0 new_story sudan '{}'
wait_for "[ \"\$(wc -l <'$FOLLOW_OUT')\" -ge 4 ]" ||
    fail "--follow --watch printed no new alert: $(cat "$FOLLOW_OUT")"
kill -TERM "$FOLLOW_PID"
wait_for "exited $FOLLOW_PID" || fail "--follow did not stop on SIGTERM"
wait "$FOLLOW_PID" || true
cp "$FOLLOW_OUT" "$OUT"
[ "$(seqs)" = "3 4 6 8" ] || fail "--follow --watch: seqs $(seqs)"
pass "--follow --watch shows only that watch's alerts, old and new"

# A reader downstream that goes away ends --follow (SIGPIPE at the next
# alert it prints; one is added at each look).
( "$WW" -c "$CONF" alerts --follow -n 0 | head -c 1 >/dev/null ) &
PIPE_PID=$!
PIDS+=("$PIPE_PID")
wait_for "add_alert 0 new_story sudan '{}'; exited $PIPE_PID" 100 ||
    fail "--follow outlived its reader"
pass "--follow ends when its reader does"
