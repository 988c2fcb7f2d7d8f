#!/usr/bin/env bash
# Builds the agent as one self-contained file per platform: reviewbot-agent-<version>-<rid>[.exe], no .NET needed on
# the host, plus SHA256SUMS. Usage: scripts/publish-agent.sh [OUT_DIR] [RID...]
#   OUT_DIR  default artifacts/agent
#   RID      default: linux-x64 linux-arm64 win-x64 osx-arm64
# Environment: CONFIGURATION (default Release), AGENT_VERSION (default: <Version> of the agent's project).
# Not trimmed: the agent's JSON (the credential exchange and file) and the SignalR client's JSON hub protocol over the
# contract records (ReviewBot.Contracts) use reflection-based System.Text.Json; a trimmed publish stops on IL2026
# (warnings are errors here) until every such type has a JsonSerializerContext. TRIM=1 tries it anyway.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-artifacts/agent}"
[ $# -gt 0 ] && shift
rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64 win-x64 osx-arm64)
project=agent/ReviewBot.Agent/ReviewBot.Agent.csproj
version="${AGENT_VERSION:-$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$project" | head -n1)}"
trim=false; [ "${TRIM:-0}" = 1 ] && trim=true

mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for rid in "${rids[@]}"; do
  echo "publish-agent: $rid"
  dotnet publish "$project" -nologo -v quiet -clp:ErrorsOnly \
    -c "${CONFIGURATION:-Release}" -r "$rid" --self-contained true \
    -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:PublishTrimmed="$trim" \
    -p:DebugType=none -p:Version="$version" -o "$work/$rid"
  ext=""; [[ "$rid" == win-* ]] && ext=".exe"
  cp "$work/$rid/reviewbot-agent$ext" "$out/reviewbot-agent-$version-$rid$ext"
done

(cd "$out" && sha256sum reviewbot-agent-"$version"-* > SHA256SUMS && cat SHA256SUMS)
ls -l "$out"
