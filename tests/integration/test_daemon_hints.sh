#!/bin/bash
# test_daemon_hints.sh: the next poll honours ttl, max-age and learnt intervals over the default but never over an explicit one; hosts are paced.
. "$(dirname "$0")/daemon_lib.sh"

start_server www
for f in plain maxage shortage explicit auto; do
	cp "$DATA/rss-en.xml" "$TMP/www/$f.xml"
done
# RSS <ttl> is in minutes: 180 = 3 h.
sed 's|<language>en</language>|<language>en</language><ttl>180</ttl>|' \
    "$DATA/rss-en.xml" >"$TMP/www/ttl.xml"
echo "Cache-Control: max-age=7200" >"$TMP/www/maxage.xml.headers"
echo "Cache-Control: max-age=10" >"$TMP/www/shortage.xml.headers"
echo "Cache-Control: max-age=7200" >"$TMP/www/explicit.xml.headers"
{
	conf_head
	echo "interval = 15m"
	conf_feed plain "$BASE/plain.xml"
	conf_feed ttl "$BASE/ttl.xml"
	conf_feed maxage "$BASE/maxage.xml"
	conf_feed shortage "$BASE/shortage.xml"
	conf_feed explicit "$BASE/explicit.xml" 1m
	conf_feed auto "$BASE/auto.xml" auto
} >"$CONF"
run_once || fail "--once exited $?"

# gap FEED LOW HIGH: next_poll - last_fetch is within [LOW, HIGH] (the
# interval plus at most 5% jitter, plus rounding).
gap() {
	local g
	g=$(feed_value "$1" 'next_poll - last_fetch')
	[ "$g" -ge "$2" ] && [ "$g" -le "$3" ] ||
	    fail "feed $1: next poll $g s after the last, want $2..$3"
}
gap plain 900 947
gap ttl 10800 11341
gap maxage 7200 7561
gap shortage 900 947
gap explicit 60 64
gap auto 5400 5671
pass "ttl and max-age lengthen the default interval, never shorten it, and leave an explicit one alone"

# Pacing: with host_delay = 1s, three feeds of one host start at least a
# second apart each, so their requests span more than one clock second.
{
	conf_head | sed 's/^host_delay = .*/host_delay = 1s/'
	conf_feed p1 "$BASE/plain.xml"
	conf_feed p2 "$BASE/maxage.xml"
	conf_feed p3 "$BASE/ttl.xml"
} >"$CONF"
: >"$TMP/www.log"
run_once || fail "--once with pacing exited $?"
[ "$(grep -c ' GET ' "$TMP/www.log")" = 3 ] || fail "not every paced feed was polled"
first=$(head -n 1 "$TMP/www.log" | cut -d' ' -f1)
last=$(tail -n 1 "$TMP/www.log" | cut -d' ' -f1)
[ $((last - first)) -ge 1 ] || fail "three requests with host_delay = 1s came within one second"
pass "host_delay spaces the requests to one host"
