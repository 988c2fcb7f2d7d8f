#!/usr/bin/env bash
# Builds the Azure Functions package of ReviewBot: artifacts/reviewbot-functions.zip, the app root of a custom-handler
# function app (research/azure.md §1.1, §1.9):
#   host.json, one <function>/function.json per HTTP endpoint and per timer (generated from the app's own endpoint
#   table by `ReviewBot.Functions --emit-functions`), the self-contained linux-x64 executable ReviewBot.Functions
#   (+x kept in the zip), its libraries, local.settings.json.example (for `func start`), and reviewbot.yaml when
#   --config FILE is given.
# Usage: scripts/publish.sh [--config reviewbot.yaml] [--framework-dependent] [--out DIR]
#   --framework-dependent  no runtime in the package (tests use this: faster; needs .NET 10 where it runs)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
config=""; out="$root/artifacts"; self_contained=true
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config=$(realpath "$2"); shift 2 ;;
    --out) out=$(realpath -m "$2"); shift 2 ;;
    --framework-dependent) self_contained=false; shift ;;
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

echo "publish.sh: dotnet publish (linux-x64, self-contained=$self_contained)"
dotnet publish functions/ReviewBot.Functions -c Release -r linux-x64 --self-contained "$self_contained" \
  -p:UseAppHost=true -o "$pkg" -nologo -v quiet -clp:ErrorsOnly

echo "publish.sh: function.json set, from the app's endpoints and timers"
if [ "$self_contained" = true ]; then "$pkg/ReviewBot.Functions" --emit-functions "$pkg"
else dotnet "$pkg/ReviewBot.Functions.dll" --emit-functions "$pkg"; fi

cp host.json "$pkg/host.json"
cp functions/local.settings.json.example "$pkg/local.settings.json.example"
[ -n "$config" ] && cp "$config" "$pkg/reviewbot.yaml"
rm -f "$pkg"/*.pdb
chmod 755 "$pkg/ReviewBot.Functions"

# Info-ZIP keeps the Unix mode in the entries' external attributes: the Linux host runs the executable directly
# and cannot chmod it (wwwroot is read-only).
(cd "$pkg" && zip -qr -X "$zipfile" .)
mode=$(unzip -Z "$zipfile" ReviewBot.Functions | awk '{print $1}')
case "$mode" in
  -rwx*) ;;
  *) echo "publish.sh: ReviewBot.Functions lost its executable bit in the zip ($mode)" >&2; exit 1 ;;
esac
unzip -l "$zipfile" host.json >/dev/null
echo "publish.sh: $zipfile ($(du -h "$zipfile" | cut -f1), $(find "$pkg" -name function.json | wc -l) functions, ReviewBot.Functions $mode)"
