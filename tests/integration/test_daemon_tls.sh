#!/bin/bash
# test_daemon_tls.sh: TLS is verified — a feed behind a self-signed certificate fails with a certificate error and nothing is stored.
. "$(dirname "$0")/daemon_lib.sh"

command -v openssl >/dev/null || fail "openssl is needed to serve TLS"

# A self-signed certificate for 127.0.0.1 and an HTTPS server that serves
# the files of its directory (openssl s_server -WWW).
mkdir -p "$TMP/tls"
cp "$DATA/rss-en.xml" "$TMP/tls/"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
	-addext "subjectAltName = IP:127.0.0.1" \
	-keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null ||
	fail "could not make a certificate"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$TMP/tls" && exec openssl s_server -quiet -accept "127.0.0.1:$port" \
	-cert "$TMP/cert.pem" -key "$TMP/key.pem" -WWW) >/dev/null 2>&1 &
PIDS+=($!)
wait_for "openssl s_client -connect 127.0.0.1:$port </dev/null >/dev/null 2>&1" ||
	fail "the TLS server did not start"

# The server does work: with its certificate as the trust anchor, curl
# fetches the feed. Only the trust is missing for wirewatchd.
curl -sf --cacert "$TMP/cert.pem" -o /dev/null "https://127.0.0.1:$port/rss-en.xml" ||
	fail "the TLS server does not serve the feed"

{
	conf_head
	conf_feed selfsigned "https://127.0.0.1:$port/rss-en.xml"
} >"$CONF"
run_once || true
[ "$(items selfsigned)" = 0 ] || fail "items were stored from an unverified server"
error=$(db "SELECT last_error FROM feeds WHERE name = 'selfsigned'")
grep -qi 'certificate' <<<"$error" || fail "the error does not name the certificate: '$error'"
[ "$(db "SELECT failures FROM feeds WHERE name = 'selfsigned'")" = 1 ] ||
	fail "the failure was not counted"
pass "a self-signed certificate is refused: $error"
