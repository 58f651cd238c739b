#!/usr/bin/env bash
# Runs before `npm test`: the card-gallery test renders every card in headless Chromium (Debian's package; no
# browser is ever downloaded by npm). Installs it when missing and this machine can (root + apt-get); otherwise
# says what to install and fails, so a missing browser is never a silent pass.
set -euo pipefail
chromium_bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium_bin" ] || command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the card-gallery test (apt-get install chromium)…" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2
  exit 0
fi
echo "The card-gallery test needs Chromium: run 'sudo apt-get install -y chromium' (or set CHROMIUM_PATH) and retry." >&2
exit 1
