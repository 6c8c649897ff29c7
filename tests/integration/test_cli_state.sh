#!/bin/bash
# test_cli_state.sh: wirewatch feeds and stories on the state wirewatchd writes, also while the daemon runs.
. "$(dirname "$0")/daemon_lib.sh"

CLI_DATA="$WW_SOURCE/tests/data/cli"
[ -x "$WW" ] || fail "$WW is not built"
OUT="$TMP/out"
ERR="$TMP/err"

# ww ARGS: the wirewatch command on $CONF, output in $OUT and $ERR.
ww() {
	"$WW" -c "$CONF" "$@" >"$OUT" 2>"$ERR"
}

# json_check WHAT EXPR: a python3 expression over the JSON Lines in $OUT
# (a list of dicts called lines) must hold.
json_check() {
	python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
sys.exit(0 if eval(sys.argv[2]) else 1)' "$OUT" "$2" ||
	    fail "$1: $(head -c 2000 "$OUT")"
}

start_server www
cp "$CLI_DATA/wire.rss" "$TMP/www/"
{
	conf_head
	conf_feed wire "$BASE/wire.rss"
	conf_feed missing "$BASE/nosuch.xml"
} >"$CONF"
run_once || fail "--once exited $?"

# --- feeds
ww feeds || fail "feeds exited $?: $(cat "$ERR")"
grep -qE '^NAME +STATUS +LAST FETCH +ITEMS +NEXT POLL +ERROR$' "$OUT" ||
    fail "feeds header: $(cat "$OUT")"
grep -qE '^wire +ok +[0-9]+s ago +2 +in [0-9]+[smh]$' "$OUT" ||
    fail "feeds row for wire: $(cat "$OUT")"
grep -qE '^missing +http 404 +[0-9]+s ago +0 +in [0-9]+[smh] +[^ ]' "$OUT" ||
    fail "feeds row for a 404: $(cat "$OUT")"
[ ! -s "$ERR" ] || fail "feeds wrote to stderr: $(cat "$ERR")"
pass "feeds shows status, last fetch, items, next poll and the error"

ww feeds --json || fail "feeds --json exited $?"
json_check "feeds --json" 'len(lines) == 2 and lines[0]["name"] == "wire" and lines[0]["status"] == "ok" and lines[0]["http_status"] == 200 and lines[0]["items"] == 2 and lines[0]["last_fetch"] is not None and lines[0]["error"] is None and lines[1]["status"] == "http" and lines[1]["http_status"] == 404 and lines[1]["error"] and lines[1]["failures"] >= 1'
pass "feeds --json"

# --- stories: both were first seen in this run; the later one is listed first
ww stories --json || fail "stories --json exited $?"
json_check "stories --json" 'len(lines) == 2 and lines[1]["sources"][0]["identity"] == "wire-1" and lines[0]["title"] == "Second story" and lines[0]["published"] is None and lines[1]["published"] == "2025-11-25T10:00:00Z" and lines[1]["text"] == "Negotiators met on Monday." and all(l["feed"] == "wire" and l["first_seen"] and isinstance(l["id"], str) and len(l["sources"]) == 1 and l["languages"] == [l["lang"]] for l in lines)'
pass "stories --json, most recently seen first, with their sources"

ww stories -n 1 || fail "stories -n 1 exited $?"
[ "$(wc -l <"$OUT")" = 2 ] || fail "stories -n 1: $(cat "$OUT")"
grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}    1 [a-z]+  wire  Second story$' "$OUT" ||
    fail "stories line: $(cat "$OUT")"
grep -qE "^ +$BASE/news/2\$" "$OUT" || fail "stories link line: $(cat "$OUT")"
pass "stories -n 1 prints one story and its link"

ww stories --json --feed missing || fail "stories --feed exited $?"
[ ! -s "$OUT" ] || fail "stories of a feed without items: $(cat "$OUT")"
pass "stories --feed"

# --- the configuration decides what is listed
{
	conf_head
	conf_feed wire "$BASE/wire.rss?moved"
} >"$TMP/edited.conf"
"$WW" -c "$TMP/edited.conf" feeds >"$OUT" || fail "feeds on an edited file"
[ "$(wc -l <"$OUT")" = 2 ] || fail "an unconfigured feed is listed: $(cat "$OUT")"
grep -qE '^wire +new +never +2 +-$' "$OUT" ||
    fail "a changed URL should read as new: $(cat "$OUT")"
pass "feeds lists only configured feeds; a changed URL is new"

# --- read while the daemon runs and writes
{
	conf_head
	conf_feed wire "$BASE/wire.rss"
	conf_feed wire2 "$BASE/wire.rss"
} >"$CONF"
start_daemon
wait_for "\"$WW\" -c \"$CONF\" feeds --json 2>/dev/null |
    grep -q '\"name\":\"wire2\".*\"status\":\"ok\"'" 100 ||
    fail "wire2 never showed as polled while the daemon ran"
ww stories --json --feed wire2 || fail "stories while the daemon runs"
json_check "stories of wire2: the same items joined the stories of wire" 'len(lines) == 2 and all(sorted(s["feed"] for s in l["sources"]) == ["wire", "wire2"] for l in lines)'
stop_daemon TERM
[ "$DAEMON_RC" = 0 ] || fail "wirewatchd exited $DAEMON_RC"
pass "wirewatch reads the state while wirewatchd runs"
