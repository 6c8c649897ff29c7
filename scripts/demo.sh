#!/bin/sh
# demo.sh: polls the bundled sample feeds from a loopback server once and shows the stories, translations and alerts — no network needed.
set -eu
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/wirewatch-demo.XXXXXX")
server_pid=""
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$build/tests/feedserver" --root "$top/tests/data/demo" --port 0 \
	--port-file "$work/port" &
server_pid=$!
i=0
while [ ! -s "$work/port" ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "demo: feed server did not start" >&2; exit 1; }
	sleep 0.1
done
port=$(cat "$work/port")
base="http://127.0.0.1:$port"

cat > "$work/wirewatch.conf" <<CONF
[daemon]
state_dir = $work/state
alert_log = $work/alerts.jsonl
host_delay = 0

[feed "demo-wire"]
url = $base/wire-en.xml
language = en

[feed "demo-daily"]
url = $base/daily-ru.xml
language = ru

[feed "demo-agencia"]
url = $base/agencia-es.atom
language = es

[feed "demo-briefing"]
url = $base/briefing.json
language = en

[watch "gaza-talks"]
query = (hamas OR gaza OR хамас OR газа) AND
    (ceasefire OR truce OR hostage* OR negotiat* OR перемири* OR переговор*)
alerts = person claim story
CONF
# Spanish stories are translated by Apertium, run as a command, when it is
# installed (scripts/install-deps.sh installs it).
if [ -x /usr/bin/apertium ]; then
	cat >> "$work/wirewatch.conf" <<CONF

[translate]
backend = command
command = /usr/bin/apertium -u {source3}-{target3}
# Debian's apertium-eng-spa gives Spanish; Russian stays as written.
languages = es
CONF
fi

echo "== wirewatchd --once (sample feeds served on $base)"
"$build/wirewatchd" -c "$work/wirewatch.conf" --once
echo
echo "== wirewatch feeds"
"$build/wirewatch" -c "$work/wirewatch.conf" feeds
echo
echo "== wirewatch stories --original (a translated title has its original under it)"
"$build/wirewatch" -c "$work/wirewatch.conf" stories --original
echo
echo "== wirewatch alerts (the alert log as a person reads it)"
"$build/wirewatch" -c "$work/wirewatch.conf" alerts -n 0
echo
echo "== wirewatch people (each spelling seen of one person on one line)"
"$build/wirewatch" -c "$work/wirewatch.conf" people
echo
echo "== wirewatch claims"
"$build/wirewatch" -c "$work/wirewatch.conf" claims
echo
echo "== a second --once: every feed answers 304, nothing new is stored"
"$build/wirewatchd" -c "$work/wirewatch.conf" --once
"$build/wirewatch" -c "$work/wirewatch.conf" feeds
