#!/usr/bin/env bash
# Installs what ReviewBot's demo and tests need on a fresh machine: Azurite, the dashboard's SignalR client and uPlot (npm,
# pinned in package.json); shellcheck, shfmt (format: diff tests), git, chromium (browser tests), redis-server (backplane tests), zip/unzip (the
# Functions package) from Debian; restores and builds the solution. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v shellcheck >/dev/null 2>&1 || need_apt+=(shellcheck)
command -v shfmt >/dev/null 2>&1 || need_apt+=(shfmt)
command -v git >/dev/null 2>&1 || need_apt+=(git)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v zip >/dev/null 2>&1 || need_apt+=(zip)
command -v unzip >/dev/null 2>&1 || need_apt+=(unzip)
command -v systemd-analyze >/dev/null 2>&1 || need_apt+=(systemd)   # checks the agent's generated unit (service install)
[ -x /usr/bin/chromium ] || need_apt+=(chromium fonts-liberation)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} (apt-get)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -x node_modules/.bin/azurite ] || [ ! -f node_modules/@microsoft/signalr/dist/browser/signalr.min.js ] || [ ! -f node_modules/uplot/dist/uPlot.iife.min.js ]; then
  echo "setup: installing Azurite, the SignalR browser client and uPlot (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "setup: building"
dotnet build ReviewBot.sln -c "${CONFIGURATION:-Debug}" -nologo -v quiet -clp:ErrorsOnly
