#!/usr/bin/env bash
# npm run cluster: the production topology on this machine, in the foreground; Ctrl-C stops it all, data stays in
# .data/cluster (CLUSTER_DATA_DIR) for the next run. Obtains the pinned Temporal server, its sql tool and the UI
# server once (cached outside the clone, like the CLI) and PostgreSQL from Debian when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/postgres.sh bin >/dev/null
bash scripts/temporal.sh server >/dev/null
bash scripts/temporal.sh sql >/dev/null
bash scripts/temporal.sh ui >/dev/null || echo "cluster.sh: the Temporal UI server could not be obtained; the cluster runs without it" >&2
exec node --import tsx scripts/cluster.ts
