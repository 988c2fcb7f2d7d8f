#!/usr/bin/env bash
# Deploys ReviewBot to Azure in one command: builds the package (scripts/publish.sh), deploys infra/bicep/main.bicep to
# the resource group, and uploads the package to the function app it created. Needs the Azure CLI, logged in.
# Usage: scripts/deploy.sh -g RESOURCE_GROUP [--config reviewbot.yaml] [-- extra `az deployment group create` args]
#   The secrets come from the environment: WEBHOOK_SECRET, AGENT_TOKEN (both required), GITHUB_TOKEN (optional).
set -euo pipefail
cd "$(dirname "$0")/.."
group=""; config_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    -g|--resource-group) group="$2"; shift 2 ;;
    --config) config_args=(--config "$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "deploy.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$group" ] || { echo "deploy.sh: -g RESOURCE_GROUP is required" >&2; exit 2; }
: "${WEBHOOK_SECRET:?deploy.sh: set WEBHOOK_SECRET (the GitHub App webhook secret)}"
: "${AGENT_TOKEN:?deploy.sh: set AGENT_TOKEN (the token agents start with)}"

./scripts/publish.sh "${config_args[@]}"
app=$(az deployment group create -g "$group" -f infra/bicep/main.bicep \
  -p githubWebhookSecret="$WEBHOOK_SECRET" agentToken="$AGENT_TOKEN" githubToken="${GITHUB_TOKEN:-}" "$@" \
  --query properties.outputs.functionAppName.value -o tsv)
az functionapp deployment source config-zip -g "$group" -n "$app" --src artifacts/reviewbot-functions.zip
az deployment group show -g "$group" -n main --query properties.outputs -o json
