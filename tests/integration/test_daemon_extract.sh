#!/bin/bash
# test_daemon_extract.sh: new people and new claims of a watch, in English, Russian and a Spanish story translated by APY — once each, variants merged, a revised figure naming the alert it revises, nothing again for repeats, copies or reruns.
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/translate_lib.sh"

SRC="$WW_SOURCE/tests/data/extract/feeds"
start_server www
cp "$SRC/wire.xml" "$SRC/ru.xml" "$SRC/es.xml" "$TMP/www/"
{
	conf_head
	conf_feed wire "$BASE/wire.xml"
	printf '\n[feed "izvestia"]\nurl = %s\nlanguage = ru\n' "$BASE/ru.xml"
	printf '\n[feed "mirror"]\nurl = %s\n' "$BASE/mirror.xml"
	printf '\n[feed "agencia"]\nurl = %s\nlanguage = es\n' "$BASE/es.xml"
	printf '\n[translate]\nbackend = apertium\nurl = %s\ntarget = en\n' "$APY_URL"
	cat <<'EOF2'

[watch "gaza-talks"]
query = (hamas OR gaza OR хамас OR газ*) AND
    (ceasefire OR truce OR deal OR hostage* OR negotiat* OR перемири* OR сделк*)
alerts = person claim story
EOF2
} >"$CONF"

# check WHAT EXPR: EXPR (Python) over the alert log (alerts), the people
# (people) and claims (claims) as `wirewatch --json` lists them.
check() {
	"$WW" -c "$CONF" people --json -n 0 >"$TMP/people.jsonl" ||
	    fail "wirewatch people exited $?"
	"$WW" -c "$CONF" claims --json -n 0 >"$TMP/claims.jsonl" ||
	    fail "wirewatch claims exited $?"
	python3 - "$TMP" "$2" <<'PY' || fail "$1"
import json, os, sys
tmp = sys.argv[1]
def load(name):
    p = os.path.join(tmp, name)
    return [json.loads(l) for l in open(p, encoding="utf-8")] if os.path.exists(p) else []
alerts, people, claims = load("alerts.jsonl"), load("people.jsonl"), load("claims.jsonl")
persons = {a["person"]["name"]: a for a in alerts if a["type"] == "new_person"}
claimed = [a for a in alerts if a["type"] == "new_claim"]
def claim_with(figure):
    return [a for a in claimed if figure in a["claim"]["figures"]]
ok = eval("(" + sys.argv[2] + ")")
if not ok:
    print("alerts:", json.dumps(alerts, ensure_ascii=False, indent=1), file=sys.stderr)
    print("people:", json.dumps(people, ensure_ascii=False, indent=1), file=sys.stderr)
    print("claims:", json.dumps(claims, ensure_ascii=False, indent=1), file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}

# --- first run: the English story, the Russian one, the Spanish one
# translated by APY; an off-topic business story names Adam Boehler
run_once || fail "first --once exited $?"
check "one alert for each person, spellings merged" \
    '{"Maxim Kharkin", "Maria Zakharova", "Musa Abu Marzouk", "Steve Witkoff"} <= set(persons)
     and "Harkin" in persons["Maxim Kharkin"]["person"]["variants"]
     and not {"Harkin", "Максим Харкин", "Мария Захарова", "Adam Boehler"} & set(persons)
     and len([a for a in alerts if a["type"] == "new_person"]) == len(persons)'
pass "Kharkin, Zakharova, Abu Marzouk and Witkoff alert once each; Harkin is Kharkin; the off-topic Boehler does not alert"
check "the Russian story merges its people with the English ones and brings Trufanov" \
    'any(n.startswith("Александр Труфанов") for n in persons)
     and persons[[n for n in persons if n.startswith("Александр Труфанов")][0]]["story"]["lang"] == "ru"
     and any(v.startswith("Максим") for v in [p for p in people if p["name"] == "Maxim Kharkin"][0]["variants"])
     and any(v.startswith("Мари") for v in [p for p in people if p["name"] == "Maria Zakharova"][0]["variants"])'
pass "Максима Харкина and Мария Захарова are Kharkin and Zakharova; Александр Труфанов is new"
check "the evidence is the sentence that named the person" \
    'persons["Maxim Kharkin"]["evidence"].startswith("Moscow intends to continue working on the speedy return home of Maxim Kharkin")
     and persons["Maxim Kharkin"]["story"]["feed"] == "wire"'
pass "a new_person alert carries the sentence of the first mention"
check "claims with their figures, once each" \
    'len(claim_with("1800")) == 1 and len(claim_with("33")) == 1 and "8" in claim_with("33")[0]["claim"]["figures"]
     and len(claim_with("2 months")) == 1 and "Times of Israel" in claim_with("2 months")[0]["claim"]["source"]
     and len([a for a in claimed if "told Izvestia" in a["claim"]["text"]]) == 1
     and all(a["claim"]["revises"] is None for a in claimed)'
pass "33 hostages with 8 bodies, 1,800 prisoners, a two-month extension per the Times of Israel; the repeated lead claims once"
check "the Spanish story is read in its English translation" \
    '[a["story"]["translated"] for a in alerts if a["type"] == "new_person" and a["story"]["lang"] == "es"] == [True]
     and any("Basem Naim" in n for n in persons)
     and " said " in [a for a in alerts if a["type"] == "new_person" and a["story"]["lang"] == "es"][0]["evidence"]'
pass "a person named in a Spanish story alerts with the English evidence, lang es, translated"
first=$(wc -l <"$TMP/alerts.jsonl")

# --- unchanged feeds: nothing
run_once || fail "second --once exited $?"
[ "$(wc -l <"$TMP/alerts.jsonl")" = "$first" ] ||
    fail "a second run with unchanged feeds wrote alerts: $(tail -n +$((first + 1)) "$TMP/alerts.jsonl")"
pass "a second --once with unchanged feeds writes no alert"

# --- a new story revises the two-month figure and brings Boehler into the
# watch; a syndicated copy of the first story adds Qassem and a spelling
two_months=$(python3 -c 'import json,sys; print([a["seq"] for a in map(json.loads, open(sys.argv[1])) if a["type"] == "new_claim" and "2 months" in a["claim"]["figures"]][0])' "$TMP/alerts.jsonl")
python3 - "$TMP/www/wire.xml" "$SRC/wire-update.xml" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
add = open(sys.argv[2], encoding="utf-8").read()
open(sys.argv[1], "w", encoding="utf-8").write(s.replace("</channel>", add, 1))
PY
cp "$SRC/mirror.xml" "$TMP/www/"
touch -d '+5 seconds' "$TMP/www/wire.xml"
run_once || fail "third --once exited $?"
check "the 50-day extension revises the two-month one" \
    'len(claim_with("50 days")) == 1 and claim_with("50 days")[0]["claim"]["revises"] == '"$two_months"'
     and [c["revises"] for c in claims if "50 days" in c["figures"]] == ['"$two_months"']'
pass "a changed figure is a new claim whose alert names the alert it revises"
check "Boehler is new to the watch now; Qassem comes with the copy; Abu Marzuk is Abu Marzouk" \
    '"Adam Boehler" in persons and persons["Adam Boehler"]["story"]["title"].startswith("Witkoff plan")
     and "Hazem Qassem" in persons and persons["Hazem Qassem"]["story"]["feed"] == "mirror"
     and "Musa Abu Marzuk" in [p for p in people if p["name"] == "Musa Abu Marzouk"][0]["variants"]
     and len([a for a in alerts if a["type"] == "new_person" and "Marz" in a["person"]["name"]]) == 1'
pass "a person first named off-topic alerts on entering the watch; a copy brings its new person, not its repeats"
check "the copy repeats its claims without alerts" \
    'len(claim_with("1800")) == 1 and len(claim_with("2 months")) == 1 and len(claim_with("2025-03-12")) == 1
     and [c["repeats"] > 0 for c in claims if "1800" in c["figures"]] == [True]
     and len({a["claim"]["text"] for a in claimed}) == len(claimed)'
pass "claims the copy repeats are counted, not alerted, however bare; its new date is"
check "seq rises by one" \
    '[a["seq"] for a in alerts] == list(range(1, len(alerts) + 1))'
pass "every alert is in the log once, seq 1..$(wc -l <"$TMP/alerts.jsonl")"

# --- the list forms of the commands
"$WW" -c "$CONF" people --watch gaza-talks >"$TMP/people.txt" || fail "wirewatch people exited $?"
grep -q "Maxim Kharkin  (Harkin" "$TMP/people.txt" || fail "people list: $(cat "$TMP/people.txt")"
"$WW" -c "$CONF" claims -n 1 >"$TMP/claims.txt" || fail "wirewatch claims exited $?"
[ "$(wc -l <"$TMP/claims.txt")" = 2 ] || fail "claims -n 1: $(cat "$TMP/claims.txt")"
pass "wirewatch people and claims list the registries"
