#!/bin/bash
# test_daemon_translate.sh: Spanish stories translated in place by a real Apertium APY server and by the command backend; an English-only watch matches them; alerts carry English with "lang":"es","translated":true; a copy shares one translation.
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/translate_lib.sh"

SRC="$WW_SOURCE/tests/data/translate"
start_server www
cp "$SRC/es.xml" "$SRC/es-copy.xml" "$TMP/www/"

# write_conf BACKEND-LINES: the configuration with a [translate] section.
write_conf() {
	{
		conf_head
		printf '\n[feed "europa-press"]\nurl = %s\nlanguage = es\n' "$BASE/es.xml"
		printf '\n[feed "sindicado"]\nurl = %s\nlanguage = es\n' "$BASE/es-copy.xml"
		printf '\n[translate]\n%s\ntarget = en\n' "$1"
		cat <<'EOF2'

[watch "gaza-talks"]
query = (hamas OR gaza) AND (truce OR ceasefire OR hostage* OR negotiat*)
alerts = story
EOF2
	} >"$CONF"
}

stories() {
	"$WW" -c "$CONF" stories --json -n 0 >"$TMP/stories.jsonl" ||
	    fail "wirewatch stories exited $?"
}
check() {
	python3 - "$TMP" "$1" <<'PY' || fail "$2"
import json, os, sys
tmp = sys.argv[1]
def load(name):
    p = os.path.join(tmp, name)
    return [json.loads(l) for l in open(p, encoding="utf-8")] if os.path.exists(p) else []
alerts, stories = load("alerts.jsonl"), load("stories.jsonl")
talks = [s for s in stories if s["title_original"] and "tregua" in s["title_original"]]
sport = [s for s in stories if s["title_original"] and "Madrid" in s["title_original"]]
ok = eval("(" + sys.argv[2] + ")")
if not ok:
    print(json.dumps({"alerts": alerts, "stories": stories}, ensure_ascii=False, indent=1), file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}

# --- the apertium backend against the real APY server
write_conf "backend = apertium
url = $APY_URL"
run_once || fail "--once with apertium exited $?"
stories
check 'len(stories) == 2 and len(talks) == 1 and len(sport) == 1' \
    "three Spanish items should make two stories, the copy joining the first"
check 'talks[0]["translated"] and talks[0]["translated_by"] == "apertium" and talks[0]["translated_from"] == "es"
       and talks[0]["translation"] == "done" and "truce" in talks[0]["title"] and "hostages" in talks[0]["text"]
       and "tregua" in talks[0]["text_original"] and talks[0]["lang"] == "es" and len(talks[0]["sources"]) == 2' \
    "the talks story is translated in place, title and text, the originals beside them"
pass "Spanish stories are translated in place by APY; the original stays beside the translation"
check 'sport[0]["translated"] and sport[0]["translation"] == "done" and sport[0]["text_original"] is None
       and "Madrid" in sport[0]["title"] and sport[0]["title"] != sport[0]["title_original"]' \
    "an unwatched story gets its title translated and no more"
pass "translate = watched: a story no watch matches has only its title translated"
check 'len(alerts) == 1 and alerts[0]["type"] == "new_story" and alerts[0]["story"]["lang"] == "es"
       and alerts[0]["story"]["translated"] is True and "truce" in alerts[0]["story"]["title"]' \
    "one alert, in English, lang es, translated true"
pass "an English-only watch matches the translation; the alert carries English with \"lang\":\"es\",\"translated\":true"

"$WW" -c "$CONF" stories --original >"$TMP/original.txt" || fail "stories --original exited $?"
grep -A1 'truce' "$TMP/original.txt" | grep -q 'Hamás acepta ampliar la tregua' ||
    fail "stories --original does not show the Spanish title under the English: $(cat "$TMP/original.txt")"
pass "wirewatch stories --original shows the original title under the translation"

"$WW" -c "$CONF" feeds >"$TMP/feeds.txt" || fail "wirewatch feeds exited $?"
grep -qE '^translation \(apertium\): [0-9]+ characters sent in [0-9]+ requests?, cache 0 of [0-9]+ texts' "$TMP/feeds.txt" ||
    fail "feeds shows no translation costs: $(cat "$TMP/feeds.txt")"
grep -q '^0 stories waiting for a translation$' "$TMP/feeds.txt" || fail "feeds: waiting count: $(cat "$TMP/feeds.txt")"
sent=$(db "SELECT chars FROM translate_stats WHERE backend = 'apertium'")
unique=$(db "SELECT sum(length(coalesce(title_original, title)) + length(CASE WHEN text_original IS NOT NULL THEN text_original ELSE '' END)) FROM stories")
python3 -c "import sys; s, u = int(sys.argv[1]), int(sys.argv[2]); print(f'characters sent {s}, unique text {u}, ratio {s / u:.3f}'); sys.exit(0 if s <= 1.05 * u else 1)" "$sent" "$unique" ||
    fail "more characters were sent than the unique texts hold"
pass "each unique text was sent once: the copy shared its story's translation (feeds shows the costs)"

# --- a second run sends nothing and alerts nothing
run_once || fail "second --once exited $?"
[ "$(db "SELECT chars FROM translate_stats WHERE backend = 'apertium'")" = "$sent" ] || fail "the second run sent text"
[ "$(wc -l <"$TMP/alerts.jsonl")" = 1 ] || fail "the second run alerted"
pass "a second --once translates and alerts nothing"

# --- a later copy of the translated story matches a new watch: its alert
# speaks of the story in English, as the story's own alerts do
printf '\n[watch "cairo"]\nquery = cairo\nalerts = story\n' >>"$CONF"
python3 - "$TMP/www/es-copy.xml" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
item = """<item>
<title>Hamás acepta ampliar la tregua en Gaza: los mediadores viajan a El Cairo</title>
<guid>ds-9002</guid>
<description><![CDATA[<p>El movimiento islamista Hamás ha aceptado ampliar la tregua en la Franja de Gaza durante unos dos meses a cambio de la liberación de más rehenes, según han informado fuentes cercanas a las negociaciones.</p>
<p>Los mediadores de Egipto y Catar presentarán la propuesta revisada a Israel esta semana en El Cairo.</p>]]></description>
</item>
</channel>"""
open(p, "w", encoding="utf-8").write(s.replace("</channel>", item))
PY
touch -d '+5 seconds' "$TMP/www/es-copy.xml"
run_once || fail "third --once exited $?"
stories
check 'len(stories) == 2 and len(alerts) == 2 and alerts[1]["watch"] == "cairo"
       and alerts[1]["story"]["id"] == alerts[0]["story"]["id"] and alerts[1]["story"]["translated"] is True
       and alerts[1]["story"]["title"] == alerts[0]["story"]["title"]' \
    "a copy matching a new watch should alert about the translated story"
pass "a later copy joins the translated story; its new watch's alert carries the story's English title"

# --- the command backend: apertium itself, through a pipe
rm -rf "$STATE" "$TMP/alerts.jsonl"
write_conf "backend = command
command = /usr/bin/apertium -u {source3}-{target3}"
run_once || fail "--once with the command backend exited $?"
stories
check 'len(talks) == 1 and talks[0]["translated_by"] == "command" and "truce" in talks[0]["title"]
       and len(alerts) == 1 and alerts[0]["story"]["translated"] is True and alerts[0]["story"]["lang"] == "es"' \
    "the command backend translates like APY"
pass "the command backend (apertium -u spa-eng on a pipe) translates the same stories"
