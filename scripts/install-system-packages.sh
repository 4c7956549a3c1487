#!/usr/bin/env bash
# Debian packages the editor test needs: chromium, driven by playwright-core (Playwright's own
# browser download cannot work here). Installs only what is missing; needs root, as CI has.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
