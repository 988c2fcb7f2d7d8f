#!/usr/bin/env bash
# Builds and lints infra/bicep/main.bicep with the Bicep CLI from NuGet (Azure.Bicep.CommandLine.linux-x64, restored
# through infra/bicep/cli/bicep-cli.csproj). Fails on any error or warning. Writes infra/bicep/main.json (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet restore infra/bicep/cli/bicep-cli.csproj -nologo -v quiet >/dev/null
packages=${NUGET_PACKAGES:-$(dotnet nuget locals global-packages -l | sed 's/^global-packages: //')}
bicep="$packages/azure.bicep.commandline.linux-x64/0.49.2/tools/bicep"
[ -x "$bicep" ] || chmod +x "$bicep"
export DOTNET_BUNDLE_EXTRACT_BASE_DIR=${DOTNET_BUNDLE_EXTRACT_BASE_DIR:-${TMPDIR:-/tmp}/bicep-extract}
out=$(mktemp)
status=0
"$bicep" build infra/bicep/main.bicep --outfile infra/bicep/main.json >"$out" 2>&1 || status=$?
"$bicep" lint infra/bicep/main.bicep >>"$out" 2>&1 || status=$?
cat "$out"
if [ "$status" -ne 0 ] || grep -Eq ': (Warning|Error) ' "$out"; then
  echo "bicep.sh: main.bicep has errors or warnings" >&2; rm -f "$out"; exit 1
fi
rm -f "$out"
echo "bicep.sh: main.bicep builds and lints clean ($("$bicep" --version))"
