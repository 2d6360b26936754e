#!/usr/bin/env bash
# Installs npm dependencies from the lockfile when node_modules is missing or older than the lockfile.
#
# Not `npm ci`: the registry mirror this project is built against serves only linux-x64 builds of packages with
# per-platform optional dependencies (@swc/core, the jest resolver), so the lockfile cannot list the other
# platforms' entries and `npm ci` rejects it as out of sync. `npm install --no-save` installs exactly the locked
# versions, resolves the current platform's optional packages, and never rewrites the committed lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "installing npm dependencies" >&2
  npm install --no-save --no-audit --no-fund >&2
fi
