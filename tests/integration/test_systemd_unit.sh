#!/bin/bash
# test_systemd_unit.sh: the generated service unit passes systemd-analyze verify and keeps its hardening.
set -euo pipefail
: "${WW_BUILD:?set WW_BUILD to the build directory}"

unit="$WW_BUILD/wirewatch.service"
[ -f "$unit" ] || { echo "FAIL: $unit was not generated" >&2; exit 1; }
command -v systemd-analyze >/dev/null ||
	{ echo "FAIL: systemd-analyze is needed (package systemd)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ww-test-unit.XXXXXX")
trap 'rm -rf "$work"' EXIT

# verify checks that ExecStart= programs exist, so point them at the build
# tree instead of the install prefix; everything else is the unit as shipped.
sed -E "s|^(ExecStartPre=)[^ ]*/wirewatch |\1$WW_BUILD/wirewatch |;
	s|^(ExecStart=)[^ ]*/wirewatchd |\1$WW_BUILD/wirewatchd |" \
	"$unit" >"$work/wirewatch.service"
systemd-analyze verify --man=no "$work/wirewatch.service"
echo "ok: systemd-analyze verify passes"

for directive in Type=notify DynamicUser=yes StateDirectory=wirewatch \
    LogsDirectory=wirewatch ConfigurationDirectory=wirewatch \
    Restart=on-failure ProtectSystem=strict ProtectHome=yes PrivateTmp=yes \
    PrivateDevices=yes NoNewPrivileges=yes MemoryDenyWriteExecute=yes \
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' \
    SystemCallFilter=@system-service 'ExecReload=/bin/kill -HUP $MAINPID'; do
	grep -qxF "$directive" "$unit" || { echo "FAIL: unit lacks $directive" >&2; exit 1; }
done
echo "ok: the unit is a hardened notify service"

# The exposure score is deterministic for a given systemd version; 2.0 is
# "OK" on systemd's scale, and a change that weakens the sandbox crosses it.
exposure=$(systemd-analyze security --offline=true "$work/wirewatch.service" 2>/dev/null |
	sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
[ -n "$exposure" ] || { echo "FAIL: no exposure level from systemd-analyze security" >&2; exit 1; }
awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' ||
	{ echo "FAIL: exposure $exposure is above 2.0" >&2; exit 1; }
echo "ok: systemd-analyze security exposure $exposure"
