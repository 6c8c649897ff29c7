# daemon_lib.sh: shared set-up for the wirewatchd integration tests (sourced, not run).
#
# Gives each test a temporary directory, a feed server on the loopback, and
# helpers to write a configuration, run the daemon, ask the server how
# often each path was requested, and query the state database. Everything
# started here is killed by PID when the test exits.

set -euo pipefail

: "${WW_BUILD:?WW_BUILD must point at the build directory}"
: "${WW_SOURCE:?WW_SOURCE must point at the source directory}"

WWD="$WW_BUILD/wirewatchd"
WW="$WW_BUILD/wirewatch"
FEEDSERVER="$WW_BUILD/tests/feedserver"
DATA="$WW_SOURCE/tests/data/daemon"

for bin in "$WWD" "$FEEDSERVER"; do
	[ -x "$bin" ] || { echo "FAIL: $bin is not built" >&2; exit 1; }
done
command -v sqlite3 >/dev/null || { echo "FAIL: the sqlite3 shell is needed" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ww-daemon-test.XXXXXX")
CONF="$TMP/wirewatch.conf"
LOG="$TMP/daemon.log"
STATE="$TMP/state"
PIDS=()
DAEMON_PID=""

cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	# In a sanitizer build a leak or an error report is a failure too.
	if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$LOG" 2>/dev/null; then
		echo "FAIL: the sanitizer reported:" >&2
		grep -E -A20 'AddressSanitizer|LeakSanitizer|runtime error:' "$LOG" | head -60 >&2
		rm -rf "$TMP"
		exit 1
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	if [ -s "$LOG" ]; then
		echo "--- daemon log (last 40 lines):" >&2
		tail -n 40 "$LOG" >&2
	fi
	exit 1
}

pass() {
	echo "ok: $*"
}

# wait_for CMD [TRIES]: runs CMD every 0.1 s until it succeeds, at most
# TRIES times (default 100, ten seconds). Returns 1 when it never did.
wait_for() {
	local cmd=$1 tries=${2:-100} i
	for ((i = 0; i < tries; i++)); do
		if eval "$cmd"; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# start_server NAME: a feed server serving $TMP/NAME; sets PORT_NAME (e.g.
# PORT_www) and, for the first one, PORT and BASE.
start_server() {
	local name=$1 port
	mkdir -p "$TMP/$name"
	"$FEEDSERVER" --root "$TMP/$name" --port-file "$TMP/$name.port" \
	    --log "$TMP/$name.log" &
	PIDS+=("$!")
	wait_for "[ -s '$TMP/$name.port' ]" || fail "feed server $name did not start"
	port=$(cat "$TMP/$name.port")
	# One request of our own, so that /_stats never reports on an empty
	# table (a feedserver of issue 2 tripped UBSan on that).
	http_get "$port" /_started >/dev/null
	printf -v "PORT_$name" '%s' "$port"
	if [ -z "${PORT:-}" ]; then
		PORT=$port
		BASE="http://127.0.0.1:$PORT"
	fi
}

# http_get PORT PATH: the body of a GET, through bash's /dev/tcp so the
# tests need no HTTP client.
http_get() {
	local port=$1 path=$2 line
	exec 3<>"/dev/tcp/127.0.0.1/$port"
	printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$path" >&3
	while IFS= read -r line <&3; do
		line=${line%$'\r'}
		[ -z "$line" ] && break
	done
	cat <&3
	exec 3<&-
}

# hits PATH [PORT]: how many requests the server saw for PATH.
hits() {
	http_get "${2:-$PORT}" /_stats |
	    awk -v p="$1" '$1 == p { n = $2 } END { print n + 0 }'
}

# db SQL: one query on the state database, plain output.
db() {
	sqlite3 -batch -noheader "$STATE/wirewatch.db" "$1"
}

# feed_value FEED EXPR: a column (or expression) of the feed's stored
# state; empty before the database exists.
feed_value() {
	db "SELECT $2 FROM feeds WHERE name = '$1'" 2>/dev/null || true
}

# items FEED: how many items the feed has stored.
items() {
	db "SELECT count(*) FROM items JOIN feeds ON feeds.id = items.feed_id
	    WHERE feeds.name = '$1'" 2>/dev/null || echo 0
}

# conf_head: the [daemon] section every test starts from; fast and polite
# enough for a loopback server.
conf_head() {
	cat <<EOF
[daemon]
state_dir = $STATE
alert_log = $TMP/alerts.jsonl
host_delay = 0
per_host = 4
timeout = 10s
EOF
}

# conf_feed NAME URL [INTERVAL]
conf_feed() {
	printf '\n[feed "%s"]\nurl = %s\n' "$1" "$2"
	if [ -n "${3:-}" ]; then
		printf 'interval = %s\n' "$3"
	fi
}

# run_once: wirewatchd --once on $CONF, its stderr appended to $LOG;
# prints nothing, returns its exit code.
run_once() {
	local rc=0
	echo "--- run_once" >>"$LOG"
	"$WWD" -v --once -c "$CONF" 2>>"$LOG" || rc=$?
	return "$rc"
}

# start_daemon: wirewatchd in daemon mode on $CONF, logging to $LOG.
start_daemon() {
	"$WWD" -v -c "$CONF" 2>>"$LOG" &
	DAEMON_PID=$!
	PIDS+=("$DAEMON_PID")
}

# exited PID: the process is gone or a zombie (our child, not yet reaped,
# which kill -0 would still find).
exited() {
	local state
	state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 0
	[ -z "$state" ] || [ "$state" = Z ]
}

# stop_daemon SIGNAL: sends it, waits (bounded) for the exit and sets
# DAEMON_RC to the exit code. Not in $(...): only this shell can reap it.
stop_daemon() {
	local sig=${1:-TERM}
	DAEMON_RC=0
	kill -"$sig" "$DAEMON_PID"
	wait_for "exited $DAEMON_PID" 100 ||
	    fail "wirewatchd did not exit within 10 s of SIG$sig"
	wait "$DAEMON_PID" || DAEMON_RC=$?
}

# log_count REGEX: matching lines in the daemon log.
log_count() {
	grep -cE -- "$1" "$LOG" || true
}
