#!/usr/bin/env bash
# Install Debian's prometheus package (prometheus + promtool) when it is missing.
# The metrics integration tests run a real Prometheus server on 127.0.0.1.
set -euo pipefail
if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
echo "installing Debian package 'prometheus' (for the metrics tests)..." >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null
# The package may start a system service; the tests run their own instance on a free port.
if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl stop prometheus 2>/dev/null || true; fi
pkill -x prometheus 2>/dev/null || true
