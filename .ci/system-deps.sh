#!/usr/bin/env bash
# Debian packages the test suite needs that a fresh machine lacks. Idempotent; skips what is present.
set -euo pipefail
need=()
# The UI tests drive Debian's Chromium at this exact path (test/helpers/browser.ts); another chromium on PATH
# (a snap, say) is not the one they use.
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
