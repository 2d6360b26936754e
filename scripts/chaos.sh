#!/usr/bin/env bash
# npm run chaos: a bounded, seeded chaos run on the cluster (chaos/run.ts); writes chaos/results/<date>.json.
# Never part of npm test. CHAOS_SEED, CHAOS_SUBSCRIPTIONS, CHAOS_*_KILLS, CHAOS_PHASE_MS bound it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/postgres.sh bin >/dev/null
TEMPORAL_SERVER_PATH="$(bash scripts/temporal.sh server)"
TEMPORAL_SQL_TOOL_PATH="$(bash scripts/temporal.sh sql)"
export TEMPORAL_SERVER_PATH TEMPORAL_SQL_TOOL_PATH
exec node --import tsx chaos/run.ts
