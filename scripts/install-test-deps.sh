#!/usr/bin/env bash
# Installs what the browser tests need beyond the Python venv: Debian's Chromium at /usr/bin/chromium.
# Playwright drives it through `executable_path`; Playwright's own browser download is not used.
# Idempotent: does nothing when Chromium is already there. Runs apt-get as root (CI) or through sudo.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "install-test-deps: $CHROMIUM is missing and this user cannot run apt-get." >&2
    echo "install-test-deps: run 'sudo apt-get install -y chromium'; until then the browser tests are skipped." >&2
    exit 0
fi

echo "install-test-deps: installing Debian's chromium for the browser tests" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
"$CHROMIUM" --version >&2
