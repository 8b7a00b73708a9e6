#!/usr/bin/env bash
# Builds the deployable function-app zip: the self-contained linux-x64 executable published ReadyToRun, host.json
# and one folder per function with its generated function.json.
# Usage: infra/package.sh [output-folder]   (default: artifacts)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$root/artifacts}" && cd "${1:-$root/artifacts}" && pwd)
rm -rf "$out/functionapp" "$out/functionapp.zip"
dotnet publish "$root/src/Functions" -c Release -r linux-x64 --self-contained true \
  -p:PublishReadyToRun=true -p:FunctionAppZip="$out/functionapp.zip" -o "$out/functionapp" --nologo -v quiet
echo "$out/functionapp.zip"
