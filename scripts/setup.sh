#!/usr/bin/env bash
# Installs what ReviewBot's demo and tests need on a fresh machine: Azurite (npm, pinned in package.json),
# shellcheck, git, redis-server (the backplane tests), zip/unzip (the Functions package) from Debian; restores and
# builds the solution. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v shellcheck >/dev/null 2>&1 || need_apt+=(shellcheck)
command -v git >/dev/null 2>&1 || need_apt+=(git)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v zip >/dev/null 2>&1 || need_apt+=(zip)
command -v unzip >/dev/null 2>&1 || need_apt+=(unzip)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} (apt-get)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -x node_modules/.bin/azurite ]; then
  echo "setup: installing Azurite (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "setup: building"
dotnet build ReviewBot.sln -c "${CONFIGURATION:-Debug}" -nologo -v quiet -clp:ErrorsOnly
