#!/usr/bin/env bash
# npm run histories:record: records the workflow tests' histories for the CURRENT package version into
# test/fixtures/histories/v<version>/. Never deletes or overwrites: histories of released versions are what the
# replay tier checks new code against. Refuses when that version already has histories (bump the version first).
set -euo pipefail
cd "$(dirname "$0")/.."
version="v$(node -p 'require("./package.json").version')"
dir="test/fixtures/histories/$version"
# Release 0.1.0's histories were recorded at the top of test/fixtures/histories/ and stay there.
if [ "$version" = "v0.1.0" ] || { [ -d "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; }; then
  echo "histories:record: $dir already has histories; they are never re-recorded. Bump package.json's version first." >&2
  exit 1
fi
mkdir -p "$dir"
TEMPORAL_CLI_PATH="$(bash scripts/temporal.sh cli)"
TEMPORAL_TEST_SERVER_PATH="$(bash scripts/temporal.sh test-server)"
export TEMPORAL_CLI_PATH TEMPORAL_TEST_SERVER_PATH
RECORD_HISTORIES_DIR="$dir" RECORD_HISTORIES=1 node_modules/.bin/jest --runInBand --selectProjects workflows test/workflows "$@"
