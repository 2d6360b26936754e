#!/usr/bin/env bash
# npm run dev: Temporal dev server (SQLite in .data/, Web UI), worker, API, all in the foreground; Ctrl-C stops them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
TEMPORAL_CLI_PATH="$(bash scripts/temporal.sh cli)"
export TEMPORAL_CLI_PATH
exec node_modules/.bin/tsx scripts/dev.ts
