#!/usr/bin/env bash
# npm test: everything, from a fresh clone. Obtains both Temporal servers (cached outside the clone), then runs
# type-check, lint and every jest tier (unit, workflows on the time-skipping server, integration on the dev
# server, replay, e2e over real HTTP with the sandbox on both servers, the cluster tier on a real server over PostgreSQL). The e2e tier's headless-browser test needs
# chromium: installed with apt-get when missing (ensure-chromium.sh). Extra arguments go to jest (`npm test -- test/unit`).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh
bash scripts/ensure-chromium.sh
TEMPORAL_CLI_PATH="$(bash scripts/temporal.sh cli)"
TEMPORAL_TEST_SERVER_PATH="$(bash scripts/temporal.sh test-server)"
export TEMPORAL_CLI_PATH TEMPORAL_TEST_SERVER_PATH
# The cluster tier (test/cluster): the full server and its sql tool (built once, cached like the CLI), PostgreSQL.
TEMPORAL_SERVER_PATH="$(bash scripts/temporal.sh server)"
TEMPORAL_SQL_TOOL_PATH="$(bash scripts/temporal.sh sql)"
TEMPORAL_SCHEMA_DIR="$(bash scripts/temporal.sh schema-dir)"
export TEMPORAL_SERVER_PATH TEMPORAL_SQL_TOOL_PATH TEMPORAL_SCHEMA_DIR
bash scripts/postgres.sh bin >/dev/null

echo "== type-check (tsc --noEmit)"
node_modules/.bin/tsc --noEmit -p .
echo "== lint (eslint)"
node_modules/.bin/eslint . --max-warnings 0

echo "== tests (jest)"
SUMMARY_FILE="$(mktemp)"
export SUMMARY_FILE
trap 'rm -f "$SUMMARY_FILE"' EXIT
status=0
# One process: the Temporal servers' clocks are global and the machine is small.
node_modules/.bin/jest --runInBand "$@" || status=$?
echo
if [ -s "$SUMMARY_FILE" ]; then cat "$SUMMARY_FILE"; else echo "tests: 0 passed, 1 failed"; status=${status/#0/1}; fi
exit "$status"
