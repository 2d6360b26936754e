#!/usr/bin/env bash
# Makes sure the headless-browser test (test/e2e/checkout-browser.test.ts) has a chromium: CHROMIUM_PATH if set, else
# Debian's /usr/bin/chromium, installed with apt-get when missing (as root). playwright-core never downloads a browser.
set -euo pipefail
path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$path" ]; then exit 0; fi
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable chromium" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "no chromium at /usr/bin/chromium: install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH to a chromium binary" >&2
  exit 1
fi
echo "installing chromium (apt-get) for the headless-browser test" >&2
apt-get update >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >&2
