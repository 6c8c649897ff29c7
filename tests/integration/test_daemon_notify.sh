#!/bin/bash
# test_daemon_notify.sh: wirewatchd tells systemd READY, STATUS, RELOADING, STOPPING and pets the watchdog (a fake NOTIFY_SOCKET).
. "$(dirname "$0")/daemon_lib.sh"

command -v python3 >/dev/null || fail "python3 is needed for the notify socket"

start_server www
cp "$DATA/rss-en.xml" "$TMP/www/"
{
	conf_head
	conf_feed en "$BASE/rss-en.xml" 1s
} >"$CONF"

# A datagram socket standing in for systemd's: one line per message, the
# message's own newlines shown as "|".
NOTES="$TMP/notify.txt"
: >"$NOTES"
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a") as out:
    while True:
        out.write(s.recv(65536).decode().replace("\n", "|") + "\n")
        out.flush()
' "$TMP/notify.sock" "$NOTES" &
PIDS+=("$!")
wait_for "[ -S '$TMP/notify.sock' ]" || fail "the notify socket did not appear"

notes() {
	grep -cE -- "$1" "$NOTES" || true
}

NOTIFY_SOCKET="$TMP/notify.sock" WATCHDOG_USEC=400000 start_daemon
wait_for '[ "$(notes "^READY=1$")" = 1 ]' || fail "no READY=1"
wait_for '[ "$(notes "^STATUS=1 feed, 3 items, [0-9]+ stor(y|ies), 0 failing, 0 alerts undelivered$")" -ge 1 ]' ||
    fail "no STATUS with the stored items: $(cat "$NOTES")"
wait_for '[ "$(notes "^WATCHDOG=1$")" -ge 3 ]' || fail "the watchdog is not petted"
pass "READY=1, STATUS= and WATCHDOG=1 are sent"

kill -HUP "$DAEMON_PID"
wait_for '[ "$(notes "^READY=1$")" = 2 ]' || fail "no READY=1 after the reload"
[ "$(notes '^RELOADING=1\|MONOTONIC_USEC=[0-9]+$')" = 1 ] || fail "no RELOADING=1 with MONOTONIC_USEC"
reloading=$(grep -n '^RELOADING=1' "$NOTES" | cut -d: -f1)
ready2=$(grep -n '^READY=1$' "$NOTES" | tail -n 1 | cut -d: -f1)
[ "$reloading" -lt "$ready2" ] || fail "READY=1 came before RELOADING=1"
pass "a reload is framed by RELOADING=1 and READY=1"

stop_daemon TERM
[ "$DAEMON_RC" = 0 ] || fail "SIGTERM exit code $DAEMON_RC"
[ "$(notes '^STOPPING=1$')" = 1 ] || fail "no STOPPING=1"
pass "SIGTERM sends STOPPING=1"
