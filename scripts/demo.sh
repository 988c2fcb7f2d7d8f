#!/usr/bin/env bash
# Starts a working local ReviewBot: Azurite, the app (in-process SignalR hub) and one agent, creates a small
# demo repository with a pull request, replays a signed sample pull_request delivery and lists the findings.
# Everything stays running until Ctrl+C (DEMO_EXIT=1 stops after the findings are listed).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
./scripts/setup.sh

demo="$root/.demo"; rm -rf "$demo"; mkdir -p "$demo"
port=${REVIEWBOT_PORT:-7071}
blob=${AZURITE_BLOB_PORT:-10000}; queue=$((blob + 1)); table=$((blob + 2))
secret="demo-webhook-secret"; token="demo-agent-token"
# The API and dashboard need a key (there is no keyless mode); the demo makes one up.
apikey="${REVIEWBOT_API_KEY:-demo-admin-key-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')}"; export REVIEWBOT_API_KEY="$apikey"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

echo "demo: starting Azurite on 127.0.0.1:$blob-$table"
node_modules/.bin/azurite --silent --skipApiVersionCheck --inMemoryPersistence \
  --blobPort "$blob" --queuePort "$queue" --tablePort "$table" >"$demo/azurite.log" 2>&1 &
pids+=($!)

echo "demo: creating the demo repository (a base commit and a pull request adding shell scripts)"
git init -q --bare -b main "$demo/repos/shell-scripts.git"
work="$demo/work"; git init -q -b main "$work"
gitc() { git -C "$work" -c user.name=Demo -c user.email=demo@reviewbot.invalid -c commit.gpgsign=false "$@"; }
printf '#!/bin/sh\necho "hello"\n' > "$work/hello.sh"; printf '# shell scripts\n' > "$work/README.md"
gitc add -A; gitc commit -qm base; base=$(gitc rev-parse HEAD)
gitc checkout -qb feature
printf '#!/bin/sh\necho "hello"\ncp $1 /tmp/backup\n' > "$work/hello.sh"
printf '#!/bin/sh\nfor f in $(ls *.log); do\n  rm $f\ndone\n' > "$work/cleanup.sh"
gitc add -A; gitc commit -qm "Add cleanup script"; head=$(gitc rev-parse HEAD)
gitc push -q "$demo/repos/shell-scripts.git" main feature

cat > "$demo/reviewbot.yaml" <<YAML
linters:
  shellcheck:
    languages: [".sh"]
    command: ["shellcheck"]
    args: ["-f", "gcc", "{files}"]
    format: gcc
    nodeLabels: "linux"
    timeout: 00:02:00
YAML

conn="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
echo "demo: starting ReviewBot on http://127.0.0.1:$port"
# The demo's pull request lives in a local bare repository: a webhook may name one only under this test/demo setting.
ReviewBot__Storage__ConnectionString="$conn" ReviewBot__ConfigPath="$demo/reviewbot.yaml" \
ReviewBot__GitHub__WebhookSecret="$secret" ReviewBot__Agents__Tokens__0="$token" ReviewBot__Api__Keys__0="admin:$apikey" \
ReviewBot__Webhooks__AllowLocalCloneUrls=true \
  dotnet run --no-build --project functions/ReviewBot.Functions -- --urls "http://127.0.0.1:$port" >"$demo/app.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fs "http://127.0.0.1:$port/api/health" >/dev/null || { echo "demo: the app did not start; see $demo/app.log"; tail -20 "$demo/app.log"; exit 1; }

echo "demo: starting an agent with labels linux,demo"
dotnet run --no-build --project agent/ReviewBot.Agent -- --server "http://127.0.0.1:$port" --token "$token" \
  --labels linux,demo --capacity 2 --work-dir "$demo/agent" --name demo-agent >"$demo/agent.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do curl -fs -H "Authorization: Bearer $apikey" "http://127.0.0.1:$port/api/agents" | grep -q '"online"' && break; sleep 0.5; done
echo "demo: agents: $(curl -fs -H "Authorization: Bearer $apikey" "http://127.0.0.1:$port/api/agents")"

echo "demo: replaying a signed pull_request.opened delivery"
node scripts/demo/replay.mjs "http://127.0.0.1:$port" "$secret" "file://$demo/repos/shell-scripts.git" "$base" "$head" \
  tests/ReviewBot.Tests/TestData/github/pull_request.opened.json

if [ "${DEMO_EXIT:-0}" = "1" ]; then exit 0; fi
echo
echo "ReviewBot is running: dashboard http://127.0.0.1:$port/ (API key: $apikey), API /api/tasks, /api/agents."
echo "Logs in $demo. Ctrl+C stops everything."
wait
