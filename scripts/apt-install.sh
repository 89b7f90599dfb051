#!/usr/bin/env bash
# Installs Debian packages, as root, waiting for another apt/dpkg process (a fresh machine often runs
# unattended upgrades at boot) instead of failing or skipping; fails loudly if the install fails.
# Usage: scripts/apt-install.sh pkg… (packages already installed are skipped quickly by apt).
set -euo pipefail
[ "$#" -gt 0 ] || exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages: $* (run as root, or: apt-get install $*)" >&2
  exit 1
fi
missing=()
for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
[ "${#missing[@]}" -gt 0 ] || exit 0
echo "== installing Debian packages: ${missing[*]}" >&2
# `apt-get update` takes the lists lock, which DPkg::Lock::Timeout does not cover: retry it.
for attempt in $(seq 1 120); do
  if out=$(apt-get -o DPkg::Lock::Timeout=600 update -qq 2>&1); then break; fi
  if ! grep -qiE "lock|another process" <<<"$out" || [ "$attempt" = 120 ]; then
    echo "apt-get update failed:" >&2; echo "$out" >&2; exit 1
  fi
  [ "$attempt" = 1 ] && echo "   waiting for another apt process to release its lock…" >&2
  sleep 5
done
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
