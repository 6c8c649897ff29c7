#!/bin/bash
# test_daemon_once.sh: wirewatchd --once stores RSS, Atom, windows-1251 RSS and JSON feeds; re-polls are 304s; an edit updates once.
. "$(dirname "$0")/daemon_lib.sh"

start_server www
cp "$DATA/rss-en.xml" "$DATA/capital.atom" "$DATA/ru-1251.xml" "$DATA/feed.json" "$TMP/www/"
{
	conf_head
	conf_feed en "$BASE/rss-en.xml"
	conf_feed capital "$BASE/capital.atom"
	conf_feed izvestia "$BASE/ru-1251.xml"
	conf_feed radio "$BASE/feed.json" auto
} >"$CONF"

# --- first run: every feed's items are stored
run_once || fail "first --once exited $?"
[ "$(items en)" = 3 ] || fail "en: $(items en) items, want 3"
[ "$(items capital)" = 2 ] || fail "capital: $(items capital) items, want 2"
[ "$(items izvestia)" = 2 ] || fail "izvestia: $(items izvestia) items, want 2"
[ "$(items radio)" = 2 ] || fail "radio: $(items radio) items, want 2"
pass "first --once stores the items of four feeds"

title=$(db "SELECT title FROM items WHERE url = 'http://iz.example/1001'")
[ "$title" = "Переговоры о перемирии продолжатся в Каире" ] ||
    fail "windows-1251 title came out as '$title'"
pass "windows-1251 title is stored as UTF-8"

[ "$(db "SELECT count(*) FROM feeds WHERE last_status = 200 AND failures = 0
    AND last_error IS NULL AND etag IS NOT NULL AND last_fetch > 0
    AND next_poll >= last_fetch")" = 4 ] ||
    fail "feeds' poll state not stored: $(db 'SELECT * FROM feeds')"
pass "status, validators and next poll are stored"

# rss-en.xml's three dates are 90 minutes and 16 h 15 min apart; an auto
# interval is the median gap (the shorter middle one of an even number).
learned=$(db "SELECT learned_interval FROM feeds WHERE name = 'en'")
[ "$learned" = 5400 ] || fail "learned interval $learned, want 5400"
pass "interval = auto learns from publication dates"

[ "$(log_count '^<6>feed en: 3 new, 0 updated$')" = 1 ] || fail "no 'feed en: 3 new' line"

# --- second run: nothing new, every feed answered 304
: >"$TMP/www.log"
before=$(db "SELECT count(*) || '/' || max(updated) FROM items")
run_once || fail "second --once exited $?"
after=$(db "SELECT count(*) || '/' || max(updated) FROM items")
[ "$before" = "$after" ] || fail "second run changed items: $before -> $after"
n304=$(grep -c ' 304$' "$TMP/www.log" || true)
[ "$n304" = 4 ] || fail "server answered $n304 requests with 304, want 4: $(cat "$TMP/www.log")"
pass "second --once stores nothing and is answered 304 four times"

# --- an edited item is updated, once
sed -i 's/Central bank holds rates/Central bank holds rates at 21 per cent/' "$TMP/www/rss-en.xml"
touch -d '+5 seconds' "$TMP/www/rss-en.xml"
run_once || fail "third --once exited $?"
[ "$(log_count '^<6>feed en: 0 new, 1 updated$')" = 1 ] || fail "the edit was not logged as one update"
[ "$(db "SELECT title FROM items WHERE identity = 'globewire-1003'")" = \
    "Central bank holds rates at 21 per cent" ] || fail "edited title not stored"
[ "$(items en)" = 3 ] || fail "the edit added an item"

# Served again in full (new mtime, new ETag) but unchanged: no update.
touch -d '+10 seconds' "$TMP/www/rss-en.xml"
: >"$TMP/www.log"
run_once || fail "fourth --once exited $?"
grep -q 'GET /rss-en.xml 200$' "$TMP/www.log" || fail "rss-en.xml was not re-sent in full"
[ "$(log_count '^<6>feed en: 0 new, 1 updated$')" = 1 ] || fail "the unchanged item was updated again"
pass "an edited item is updated once"

# --- the wirewatch command reads the same state
{
	out=$("$WW" -c "$CONF" feeds) || fail "wirewatch feeds exited $?"
	for name in en capital izvestia radio; do
		grep -q -- "$name" <<<"$out" || fail "wirewatch feeds does not list $name: $out"
	done
	pass "wirewatch feeds lists what the daemon polled"
}

# --- configuration and usage errors exit 2 with file:line
printf '[daemon]\ninterval = 5m\n\n[feed "x"]\nurl = gopher://x.example/\n' >"$TMP/bad.conf"
rc=0
"$WWD" --once -c "$TMP/bad.conf" 2>"$TMP/err" || rc=$?
[ "$rc" = 2 ] || fail "a bad configuration exited $rc, want 2"
grep -qxF "<3>$TMP/bad.conf:5: url is not http:// or https://: \"gopher://x.example/\"" "$TMP/err" ||
    fail "unexpected error text: $(cat "$TMP/err")"
rc=0
"$WWD" --once -c "$TMP/missing.conf" 2>"$TMP/err" || rc=$?
[ "$rc" = 2 ] || fail "a missing configuration exited $rc, want 2"
grep -q "missing.conf" "$TMP/err" || fail "missing file not named: $(cat "$TMP/err")"
rc=0
"$WWD" --no-such-option 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "an unknown option exited $rc, want 2"
"$WWD" --version | grep -q '^wirewatchd ' || fail "--version"
pass "configuration and usage errors exit 2 naming file:line"
