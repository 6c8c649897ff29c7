#!/bin/bash
# test_daemon_translate_keys.sh: DeepL and LibreTranslate (replayed by the feed server) through the daemon — the key comes from key_file, is sent, and never reaches a log line or the state; a refused key leaves stories untranslated at once; a 429 is retried after its Retry-After.
. "$(dirname "$0")/daemon_lib.sh"

KEY="3f1e2d3c-wirewatch-secret-key:fx"
SRC="$WW_SOURCE/tests/data/translate"
start_server www
cp "$SRC/es.xml" "$TMP/www/"
printf '%s\n' "$KEY" >"$TMP/translate.key"
chmod 600 "$TMP/translate.key"

# write_conf BACKEND URL
write_conf() {
	{
		conf_head
		printf '\n[feed "europa-press"]\nurl = %s\nlanguage = es\n' "$BASE/es.xml"
		printf '\n[translate]\nbackend = %s\nurl = %s\nkey_file = %s\ntranslate = all\nretry = 1s\n' \
		    "$1" "$2" "$TMP/translate.key"
		cat <<'EOF2'

[watch "gaza-talks"]
query = hamas AND gaza
alerts = story
EOF2
	} >"$CONF"
}
no_key_anywhere() {
	! grep -qF "$KEY" "$LOG" || fail "the key is in the daemon's log"
	! sqlite3 "$STATE/wirewatch.db" .dump | grep -qF "$KEY" || fail "the key is in the state"
	! grep -qF "$KEY" "$TMP/alerts.jsonl" 2>/dev/null || fail "the key is in the alert log"
}

# --- DeepL with the right key
write_conf deepl "$BASE/deepl/key/$KEY"
run_once || fail "--once with deepl exited $?"
[ "$(db "SELECT count(*) FROM stories WHERE translated_by = 'deepl' AND translation = 'done' AND title LIKE '[EN-US] %'")" = 2 ] ||
    fail "DeepL did not translate both stories: $(db 'SELECT translation, title FROM stories')"
http_get "$PORT" /_posts/deepl | grep -q '"target_lang":"EN-US"' || fail "DeepL was not asked for EN-US"
no_key_anywhere
pass "DeepL: both stories translated with the key from key_file, which is nowhere in the log or the state"

# --- LibreTranslate refusing the key: untranslated at once, key not echoed
rm -rf "$STATE" "$TMP/alerts.jsonl"
write_conf libretranslate "$BASE/libretranslate/key/another-key"
run_once || fail "--once with a refused key exited $?"
[ "$(db "SELECT count(*) FROM stories WHERE translation = 'untranslated'")" = 2 ] ||
    fail "a refused key should leave the stories untranslated: $(db 'SELECT translation, translate_error FROM stories')"
[ "$(wc -l <"$TMP/alerts.jsonl")" = 1 ] || fail "the untranslated story did not alert"
grep -q '"translated":false' "$TMP/alerts.jsonl" || fail "the alert should say translated false"
no_key_anywhere
pass "LibreTranslate refusing the key (it echoes the key it got): untranslated at once, the alert goes out, the key is nowhere"

# --- DeepL answering 429 once: retried after Retry-After (30 s), not lost
rm -rf "$STATE" "$TMP/alerts.jsonl"
write_conf deepl "$BASE/deepl/key/$KEY/fail/429/1"
start_daemon
wait_for '[ "$(db "SELECT count(*) FROM stories WHERE translate_error LIKE '"'%429%'"'" 2>/dev/null || echo 0)" -ge 1 ]' 100 ||
    fail "the 429 was not recorded"
due=$(db "SELECT max(translate_due - strftime('%s','now')) FROM stories WHERE translation IN ('title','text')")
[ "$due" -ge 20 ] || fail "a 429 with Retry-After: 30 should delay the story ~30 s, not ${due} s"
pass "DeepL answering 429 with Retry-After: 30 delays the story 30 s instead of retrying at once"
stop_daemon TERM
no_key_anywhere
