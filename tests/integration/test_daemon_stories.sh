#!/bin/bash
# test_daemon_stories.sh: copies across feeds make one story; a watch alerts once per story, in the log and through an exec sink; reruns and edits add nothing.
. "$(dirname "$0")/daemon_lib.sh"

SRC="$WW_SOURCE/tests/data/stories"
start_server www
cp "$SRC/wire.xml" "$SRC/mirror.xml" "$SRC/ru.xml" "$TMP/www/"
{
	conf_head
	conf_feed wire "$BASE/wire.xml"
	conf_feed mirror "$BASE/mirror.xml"
	printf '\n[feed "izvestia"]\nurl = %s\nlanguage = ru\n' "$BASE/ru.xml"
	cat <<EOF2

[watch "gaza-talks"]
query = (hamas OR gaza OR хамас) AND
    (ceasefire OR truce OR deal OR hostage* OR negotiat* OR перемирие)
alerts = story

[watch "rates"]
query = "interest rate" OR "rates on hold"
alerts = person claim

[sink "copy"]
type = exec
command = /usr/bin/tee -a $TMP/exec.jsonl
EOF2
} >"$CONF"

alerts_json() {
	python3 -c 'import json,sys; print(json.dumps([json.loads(l) for l in open(sys.argv[1])]))' "$TMP/alerts.jsonl"
}
check() {
	local what=$1 expr=$2
	python3 - "$TMP/alerts.jsonl" "$expr" <<'PY' || fail "$what"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
stories = [json.loads(l) for l in open(sys.argv[1].replace("alerts.jsonl", "stories.jsonl"), encoding="utf-8")]
ok = eval("(" + sys.argv[2] + ")")
if not ok:
    print("alerts:", json.dumps(lines, ensure_ascii=False, indent=1), file=sys.stderr)
    print("stories:", json.dumps(stories, ensure_ascii=False, indent=1), file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}
stories() {
	"$WW" -c "$CONF" stories --json -n 0 >"$TMP/stories.jsonl" ||
	    fail "wirewatch stories exited $?"
}

# --- first run: 6 items, 4 stories, 3 of them about the talks
run_once || fail "first --once exited $?"
stories
check "six items make four stories, the copies with two sources" \
    'len(stories) == 4 and sorted(len(s["sources"]) for s in stories) == [1, 1, 2, 2]
     and sorted(s["sources"][0]["feed"] + ">" + s["sources"][-1]["feed"] for s in stories if len(s["sources"]) == 2) == ["wire>mirror", "wire>mirror"]'
pass "a syndicated copy with a new headline, markup and a Related line joins its story; so does a trimmed copy"
check "the talks watch matched three stories; the aid story stays apart from the talks story" \
    'sorted(s["title"] for s in stories if s["watches"] == ["gaza-talks"]) ==
     ["Aid convoys reach northern Gaza for the first time in weeks",
      "Hamas delegation arrives in Doha as hostage talks resume",
      "В ХАМАС заявили о готовности продлить перемирие"]
     and [s["watches"] for s in stories if s["title"].startswith("Central")] == [["rates"]]'
pass "the watches match on title and text, in English and Russian"
check "languages are identified" \
    '{s["title"][:7]: s["languages"] for s in stories} == {"Hamas d": ["en"], "Aid con": ["en"], "В ХАМАС": ["ru"], "Central": ["en"]}'
pass "each story has its sources' languages"

check "three new_story alerts, all of the talks watch" \
    '[a["seq"] for a in lines] == list(range(1, len(lines) + 1))
     and [a["watch"] for a in lines if a["type"] == "new_story"] == ["gaza-talks"] * 3
     and sorted(a["story"]["feed"] for a in lines if a["type"] == "new_story") == ["izvestia", "wire", "wire"]
     and all(isinstance(a["story"]["id"], str) and a["story"]["translated"] is False and a["time"].endswith("Z") for a in lines)
     and [a["story"]["lang"] for a in lines if a["story"]["feed"] == "izvestia"] == ["ru"]
     and len({a["story"]["id"] for a in lines if a["type"] == "new_story"}) == 3'
pass "one new_story alert per watched story; none for a watch that does not ask for them"
check "the rates watch asks for people and claims only" \
    '{a["type"] for a in lines if a["watch"] == "rates"} == {"new_claim"}
     and all(a["story"]["title"].startswith("Central bank") for a in lines if a["watch"] == "rates")
     and not [a for a in lines if a["watch"] == "gaza-talks" and a["type"] != "new_story"]'
pass "a watch asking for person and claim gets the central bank's claim and no new_story; the talks watch gets only stories"
cmp -s "$TMP/alerts.jsonl" "$TMP/exec.jsonl" ||
    fail "the exec sink got other alerts than the log: $(cat "$TMP/exec.jsonl")"
pass "the exec sink received the same alerts"
first=$(wc -l <"$TMP/alerts.jsonl")

# --- a second run with unchanged feeds writes no alert
run_once || fail "second --once exited $?"
[ "$(wc -l <"$TMP/alerts.jsonl")" = "$first" ] || fail "the second run wrote alerts: $(cat "$TMP/alerts.jsonl")"
pass "a second --once with unchanged feeds writes no alert"

# --- an edited copy and a new copy of a known story add sources, no alert;
# a new story about the talks alerts once, with the next seq
sed -i 's/Ceasefire talks: Hamas team lands in Qatar/Ceasefire talks: Hamas team lands in Doha/' "$TMP/www/mirror.xml"
python3 - "$TMP/www/ru.xml" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
item = """<item>
<title>Israel agrees to send negotiators to Cairo for hostage deal talks</title>
<link>http://iz.example/2002</link>
<guid>iz-2002</guid>
<description>JERUSALEM - Israel will send a delegation to Cairo on Thursday to discuss a deal on the release of hostages held in Gaza, the prime minister's office said, after mediators reported progress in talks with Hamas.</description>
</item>
</channel>"""
open(p, "w", encoding="utf-8").write(s.replace("</channel>", item))
PY
touch -d '+5 seconds' "$TMP/www/mirror.xml" "$TMP/www/ru.xml"
run_once || fail "third --once exited $?"
stories
check "the edit and the new story" \
    '[a["seq"] for a in lines] == list(range(1, '"$first"' + 2)) and lines['"$first"']["story"]["title"].startswith("Israel agrees")
     and lines['"$first"']["type"] == "new_story" and lines['"$first"']["story"]["lang"] == "en" and len(stories) == 5'
pass "an edited copy raises nothing; a new watched story alerts once with the next seq (an English item in a Russian feed is English)"

last=$((first + 1))
[ "$(db "SELECT count(*) FROM alerts")" = "$last" ] || fail "the outbox holds $(db 'SELECT count(*) FROM alerts') alerts"
[ "$(db "SELECT cursor FROM sinks WHERE name = 'log'")" = "$last" ] || fail "the log's cursor is not $last"
[ "$(db "SELECT cursor FROM sinks WHERE name = 'copy'")" = "$last" ] || fail "the exec sink's cursor is not $last"
pass "the outbox and both cursors stand at seq $last"
