#!/usr/bin/env bash
# Prints the path of a Schemathesis CLI, installing the pinned version from PyPI into a virtualenv in the cache
# (outside the clone, shared and flock'ed like the Temporal servers). Used by test/security/schemathesis.test.ts.
set -euo pipefail
VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
CACHE="${CHARGELOOP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/chargeloop}"
VENV="$CACHE/venv-schemathesis-$VERSION"
mkdir -p "$CACHE"
if [ ! -x "$VENV/bin/st" ]; then
  exec 9>"$CACHE/.schemathesis.lock"
  flock 9
  if [ ! -x "$VENV/bin/st" ]; then
    # A half-built venv from an interrupted run is rebuilt; `st` appears only once pip finished.
    rm -rf "$VENV"
    python3 -m venv "$VENV" >&2
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION" >&2
  fi
fi
echo "$VENV/bin/st"
