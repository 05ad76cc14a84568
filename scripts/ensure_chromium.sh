#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through Playwright (no browser download).
# Install it when missing and we are root; otherwise the browser tests skip with a message.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing Debian's chromium for the browser tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
else
  echo "NOTE: /usr/bin/chromium is missing and cannot be installed here; browser tests will skip." >&2
fi
