#!/usr/bin/env bash
# System packages the tests need: a Chromium-family browser for the editor test, driven by
# playwright-core (Playwright's own browser download cannot work here); redis-server and
# postgresql for the queue-mode test. Installs only what is missing, with apt-get; needs root
# (CI here runs as root; on GitHub's runners: sudo bash scripts/install-system-packages.sh).
#
# The browser differs by distribution. Debian: its `chromium` package (/usr/bin/chromium).
# Ubuntu: its `chromium` package only installs a snap, which a CI container cannot run, so the
# script uses Google Chrome, which GitHub's Ubuntu runners ship (/usr/bin/google-chrome), and
# stops with what to do when it is missing. test/e2e/editor.ts looks for the same paths.
set -euo pipefail
. /etc/os-release
browser_found() {
	{ [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; } || command -v chromium >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 || command -v google-chrome-stable >/dev/null 2>&1
}
missing=()
if ! browser_found; then
	if [ "${ID:-}" = ubuntu ]; then
		echo "No browser for the editor test: Ubuntu's chromium package is a snap. Install Google Chrome (google-chrome-stable, from Google's apt repository) or point CHROMIUM_PATH at a Chromium binary." >&2
		exit 1
	fi
	missing+=(chromium)
fi
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# The HTTPS test and bench make their certificate with openssl.
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing ${NAME:-system} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# The packages' own services are not started: the tests start their servers on free ports.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
	chmod +x /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -qq "${missing[@]}" >/dev/null
