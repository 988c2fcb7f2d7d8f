#!/usr/bin/env bash
# Builds the Azure Functions package of ReviewBot: artifacts/reviewbot-functions.zip, the app root of a .NET isolated
# worker function app (FUNCTIONS_WORKER_RUNTIME=dotnet-isolated): `dotnet publish` of functions/ReviewBot.Functions.Worker
# for linux-x64 (framework-dependent: the platform runs it with its .NET 10), with host.json, worker.config.json,
# functions.metadata (one HTTP function and one function per timer, written by the Worker SDK), extensions.json,
# local.settings.json.example (for `func start`), and reviewbot.yaml when --config FILE is given.
# Usage: scripts/publish.sh [--config reviewbot.yaml] [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
config=""; out="$root/artifacts"
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config=$(realpath "$2"); shift 2 ;;
    --out) out=$(realpath -m "$2"); shift 2 ;;
    *) echo "publish.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

if ! command -v zip >/dev/null 2>&1 || ! command -v unzip >/dev/null 2>&1; then
  echo "publish.sh: installing zip and unzip (apt-get)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq zip unzip >/dev/null
fi

pkg="$out/functions"
zipfile="$out/reviewbot-functions.zip"
rm -rf "$pkg" "$zipfile"; mkdir -p "$pkg"

echo "publish.sh: dotnet publish functions/ReviewBot.Functions.Worker (Release, linux-x64)"
dotnet publish functions/ReviewBot.Functions.Worker -c Release -r linux-x64 --self-contained false \
  -o "$pkg" -nologo -v quiet -clp:ErrorsOnly

cp functions/ReviewBot.Functions.Worker/local.settings.json.example "$pkg/local.settings.json.example"
[ -n "$config" ] && cp "$config" "$pkg/reviewbot.yaml"
rm -f "$pkg"/*.pdb

for f in host.json worker.config.json functions.metadata ReviewBot.Functions.Worker.dll; do
  [ -f "$pkg/$f" ] || { echo "publish.sh: $f is missing from the package" >&2; exit 1; }
done
(cd "$pkg" && zip -qr -X "$zipfile" .)
functions=$(grep -c '"entryPoint"' "$pkg/functions.metadata")
echo "publish.sh: $zipfile ($(du -h "$zipfile" | cut -f1), $functions functions)"
