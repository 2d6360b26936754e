#!/usr/bin/env bash
# npm run dev: Temporal server v1.32.2 on SQLite (.data/, time skipping on for test clocks), the Temporal UI with the
# codec server, the gateway sandbox, a worker and the API, all in the foreground; Ctrl-C stops them.
# The server (and the UI server) are built once from the Go module proxy and cached outside the clone (scripts/temporal.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
TEMPORAL_SERVER_PATH="$(bash scripts/temporal.sh server)"
export TEMPORAL_SERVER_PATH
# The UI is a convenience: without it (a build failure) the stack still runs and says so.
if TEMPORAL_UI_SERVER_PATH="$(bash scripts/temporal.sh ui)"; then export TEMPORAL_UI_SERVER_PATH; else export CHARGELOOP_DEV_UI=off; fi
exec node --import tsx scripts/dev.ts
