#!/bin/bash
# test_daemon_crash.sh: kill -9 at varied moments while the daemon ingests; after a restart every alert (stories, people, claims) is in the log exactly once, with no gap in seq.
. "$(dirname "$0")/daemon_lib.sh"

NFEEDS=24
NITEMS=150
start_server www
# Feeds of distinct stories, a third of each feed copied from the feed
# before it (another outlet syndicating), half of them about the talks.
python3 - "$TMP/www" "$NFEEDS" "$NITEMS" <<'PY'
import random, sys
root, nfeeds, nitems = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(7)
words = ("minister said officials reported committee council agreed plan budget "
         "village border river province election court ruling harbour factory "
         "workers strike police station bridge railway school hospital market "
         "farmers drought festival museum orchestra season team coach league").split()
# People the talks stories quote, each in many stories: each must alert
# once, whatever the kills do to the order the stories are read in.
people = ["Hazem Qassem", "Steve Witkoff", "Maria Zakharova", "Musa Abu Marzouk",
          "Adam Boehler", "Benjamin Netanyahu", "Basem Naim", "Ron Dermer",
          "Khalil al-Hayya", "Majed al-Ansari", "Badr Abdelatty", "Sergei Lavrov"]
def story(f, i):
    topic = (f * nitems + i) % 2 == 0
    lead = "Gaza ceasefire talks" if topic else "Regional news"
    body = " ".join(rng.choice(words) for _ in range(60))
    quote = (f"{rng.choice(people)} said the talks would resume on March {1 + i % 28}. "
             f"Hamas and Israel negotiators met again. ") if topic else ""
    return (f"{lead}: report {f}-{i} on the {rng.choice(words)} {rng.choice(words)}",
            f"{body}. Serial {f}x{i}. " + quote)
stories = [[story(f, i) for i in range(nitems)] for f in range(nfeeds)]
for f in range(nfeeds):
    items = []
    for i in range(nitems):
        title, text = stories[f][i]
        if f > 0 and i % 3 == 0 and i + 1 < nitems:
            title, text = stories[f - 1][i + 1]
            title = "Copy: " + title
        items.append(f"<item><title>{title}</title><guid>f{f}-i{i}</guid>"
                     f"<link>http://www.example/{f}/{i}</link><description>{text}</description></item>")
    open(f"{root}/f{f}.xml", "w").write(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>f</title>"
        + "".join(items) + "</channel></rss>")
PY
{
	conf_head
	printf 'concurrency = 4\n'
	for ((f = 0; f < NFEEDS; f++)); do
		conf_feed "f$f" "$BASE/f$f.xml" 1h
	done
	cat <<EOF2

[watch "talks"]
query = gaza AND ceasefire
alerts = person claim story
EOF2
} >"$CONF"

# Kill at moments spread over the ingest (and some after it ended).
kills=0
mid=0
total=$((NFEEDS * NITEMS))
for delay in 0.05 0.15 0.25 0.4 0.6 0.8 1.1 1.5 2.0 3.0 0.3 0.7; do
	start_daemon
	sleep "$delay"
	! exited "$DAEMON_PID" || fail "wirewatchd exited by itself within ${delay}s"
	kill -KILL "$DAEMON_PID"
	wait "$DAEMON_PID" 2>/dev/null || true
	kills=$((kills + 1))
	stored=$(db 'SELECT count(*) FROM items' 2>/dev/null || echo 0)
	logged=$( { cat "$TMP/alerts.jsonl" 2>/dev/null || true; } | wc -l)
	echo "killed after ${delay}s: $stored of $total items stored, $logged alerts logged"
	if [ "$stored" -gt 0 ] && [ "$stored" -lt "$total" ]; then
		mid=$((mid + 1))
	fi
done
[ "$mid" -ge 2 ] || fail "only $mid of $kills kills came while items were being stored"
pass "$kills kill -9s, $mid of them in the middle of the ingest"

# A last run finishes the ingest and delivers what is left.
run_once || fail "the final --once exited $?"
[ "$(db 'SELECT count(*) FROM items')" = $((NFEEDS * NITEMS)) ] ||
    fail "$(db 'SELECT count(*) FROM items') items stored, want $((NFEEDS * NITEMS))"
pass "every item is stored once in the end"

python3 - "$TMP/alerts.jsonl" "$STATE/wirewatch.db" <<'PY' || fail "the alert log is not exactly-once"
import json, sqlite3, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
assert lines[-1] == "", "the log does not end with a newline"
alerts = [json.loads(l) for l in lines[:-1]]
seqs = [a["seq"] for a in alerts]
db = sqlite3.connect(sys.argv[2])
matched = db.execute("SELECT count(*) FROM story_watches WHERE watch = 'talks'").fetchone()[0]
people = db.execute("SELECT count(*), count(alert_seq) FROM people WHERE watch = 'talks'").fetchone()
claims = db.execute("SELECT count(alert_seq) FROM claims WHERE watch = 'talks'").fetchone()[0]
outbox = db.execute("SELECT count(*), max(seq) FROM alerts").fetchone()
def key(a):
    what = a.get("person", {}).get("name") or a.get("claim", {}).get("text")
    return (a["type"], a["watch"], a["story"]["id"], what)
keys = [key(a) for a in alerts]
count = lambda t: len([a for a in alerts if a["type"] == t])
problems = []
if seqs != list(range(1, len(seqs) + 1)):
    problems.append(f"seq not 1..N without gaps or repeats: {seqs[:20]}...")
if len(set(keys)) != len(keys):
    problems.append(f"{len(keys) - len(set(keys))} duplicate alerts")
if len({a["person"]["name"] for a in alerts if a["type"] == "new_person"}) != count("new_person"):
    problems.append("a person alerted twice")
if count("new_story") != matched or outbox != (len(alerts), len(alerts)):
    problems.append(f"{count('new_story')} story alerts logged, {matched} stories matched, outbox {outbox}")
if count("new_person") != people[0] or people[0] != people[1] or people[0] != 12:
    problems.append(f"{count('new_person')} person alerts, registry {people}, want 12 people")
if count("new_claim") != claims:
    problems.append(f"{count('new_claim')} claim alerts, {claims} in the registry")
if matched < 100:
    problems.append(f"only {matched} stories matched: the test did not exercise much")
print(f"{len(alerts)} alerts ({count('new_story')} stories, {count('new_person')} people, "
      f"{count('new_claim')} claims), {matched} matched stories", file=sys.stderr)
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
PY
pass "every matched story, person and claim alerted exactly once: seq 1..$(wc -l <"$TMP/alerts.jsonl"), no gap, no duplicate"
