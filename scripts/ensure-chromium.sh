#!/usr/bin/env bash
# Debian's chromium and the CJK fonts for the Playwright browser tests (never `playwright install`).
set -eu
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "noto sans cjk"; then exit 0; fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
