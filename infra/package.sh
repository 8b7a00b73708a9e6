#!/usr/bin/env bash
# Builds the deployable function-app zip: the app as one Native AOT executable for linux-x64, host.json, the
# pages, and one folder per function with its generated function.json. Any trimming or AOT warning fails the
# publish (warnings are errors here too), so a package that would fail at run time is never produced.
# Usage: infra/package.sh [output-folder]   (default: artifacts)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$root/artifacts}" && cd "${1:-$root/artifacts}" && pwd)
rm -rf "$out/functionapp" "$out/functionapp.zip"
dotnet publish "$root/src/Functions" -c Release -r linux-x64 -p:PublishAot=true \
  -p:TreatWarningsAsErrors=true -p:ILLinkTreatWarningsAsErrors=true -p:IlcTreatWarningsAsErrors=true \
  -p:TrimmerSingleWarn=false -p:DebugType=none -p:CopyOutputSymbolsToPublishDirectory=false \
  -p:FunctionAppZip="$out/functionapp.zip" -o "$out/functionapp" --nologo -v quiet
echo "$out/functionapp.zip"
