#!/bin/sh
# apy.sh: starts or stops an Apertium APY translation server on 127.0.0.1 for the tests, by PID.
#
#   sh scripts/apy.sh start DIR   starts apertium-apy on a free loopback port,
#                                 waits until it answers /listPairs, writes
#                                 DIR/apy.pid and DIR/apy.url, prints the URL
#   sh scripts/apy.sh stop DIR    stops the server of DIR/apy.pid (SIGTERM,
#                                 then SIGKILL after 10 s)
set -eu
cmd=${1:?usage: apy.sh start|stop DIR}
dir=${2:?usage: apy.sh start|stop DIR}
modes=${APY_MODES:-/usr/share/apertium/modes}

case "$cmd" in
start)
	mkdir -p "$dir"
	# A free port: bind port 0 and read what the kernel gave.
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
	# APY listens on every address; the tests only use the loopback.
	apertium-apy -p "$port" -j1 "$modes" >"$dir/apy.log" 2>&1 &
	echo $! >"$dir/apy.pid"
	url="http://127.0.0.1:$port"
	i=0
	until curl -fsS --max-time 2 "$url/listPairs" 2>/dev/null | grep -q '"sourceLanguage"'; do
		i=$((i + 1))
		if [ "$i" -ge 120 ] || ! kill -0 "$(cat "$dir/apy.pid")" 2>/dev/null; then
			echo "apy.sh: apertium-apy did not answer on $url (log: $dir/apy.log)" >&2
			tail -n 20 "$dir/apy.log" >&2 || true
			exit 1
		fi
		sleep 0.5
	done
	echo "$url" >"$dir/apy.url"
	echo "$url"
	;;
stop)
	[ -f "$dir/apy.pid" ] || exit 0
	pid=$(cat "$dir/apy.pid")
	kill -TERM "$pid" 2>/dev/null || true
	i=0
	while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$pid" 2>/dev/null || true
	rm -f "$dir/apy.pid" "$dir/apy.url"
	;;
*)
	echo "usage: apy.sh start|stop DIR" >&2
	exit 2
	;;
esac
