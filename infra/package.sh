#!/usr/bin/env bash
# Builds the deployable function-app zip for Flex Consumption (runtime dotnet-isolated 10.0): the isolated worker
# published ReadyToRun for linux-x64 (framework-dependent: the platform brings .NET), with functions.metadata,
# worker.config.json, extensions.json, host.json and the pages. No development settings, seeds or tooling travel
# with it (ADR-010).
# Usage: infra/package.sh [output-folder]   (default: artifacts)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$root/artifacts}" && cd "${1:-$root/artifacts}" && pwd)
rm -rf "$out/functionapp" "$out/functionapp.zip"
dotnet publish "$root/src/Functions" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -p:DebugType=none -p:CopyOutputSymbolsToPublishDirectory=false \
  -p:FunctionAppZip="$out/functionapp.zip" -o "$out/functionapp" --nologo -v quiet
echo "$out/functionapp.zip"
