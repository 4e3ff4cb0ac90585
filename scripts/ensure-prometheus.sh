#!/usr/bin/env bash
# Install Debian's prometheus package (prometheus + promtool) when it is missing.
# The metrics integration tests run a real Prometheus server on 127.0.0.1.
# The package may start its own server; only what this install started is stopped
# (by pid, or the service unit it added), never a Prometheus someone else runs.
set -euo pipefail
if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
before="$(pgrep -x prometheus || true)"
had_unit=no
if command -v systemctl >/dev/null 2>&1 && systemctl cat prometheus >/dev/null 2>&1; then had_unit=yes; fi
echo "installing Debian package 'prometheus' (for the metrics tests)..." >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null
if [ "$had_unit" = no ] && command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl stop prometheus 2>/dev/null || true
fi
for pid in $(pgrep -x prometheus || true); do
  if ! grep -qx "$pid" <<<"$before"; then
    $SUDO kill "$pid" 2>/dev/null || true
  fi
done
