#!/usr/bin/env bash
# Prints the absolute path of a real Temporal server executable, obtaining it from a package registry if needed.
#
#   scripts/temporal.sh cli           Temporal CLI (dev server with SQLite and the Web UI), built from its Go module
#   scripts/temporal.sh test-server   time-skipping test server, the io.temporal:temporal-test-server Maven artifact
#   scripts/temporal.sh server        full Temporal server (the production binary; the cluster runs it on PostgreSQL)
#   scripts/temporal.sh sql           its schema tool (temporal-sql-tool), same module and version as the server
#   scripts/temporal.sh schema-dir    the server module's schema/ directory (postgresql/v12/{temporal,visibility})
#   scripts/temporal.sh ui            Temporal UI server (github.com/temporalio/ui-server/v2, the Web UI's own binary)
#   scripts/temporal.sh server-version  the pinned server version (docker-compose and the cluster use the same one)
#
# Resolution order: $TEMPORAL_CLI_PATH / $TEMPORAL_TEST_SERVER_PATH / $TEMPORAL_SERVER_PATH / $TEMPORAL_SQL_TOOL_PATH
# / $TEMPORAL_SCHEMA_DIR, then `temporal` / `temporal-test-server` on PATH (the server and its tool are looked up
# by version only, never on PATH: a stray binary of another version would not match the schemas), then the cache ($CHARGELOOP_CACHE_DIR, default ~/.cache/chargeloop), then a build/fetch into the cache.
# The SDK's own download comes from a web site that this project must not depend on; registries are reachable.
# Progress goes to stderr so stdout is only the path.
set -euo pipefail

CLI_VERSION=1.5.1             # newest CLI that `go install` builds without a wrapper module (v1.6+ has a replace directive)
TEST_SERVER_VERSION=1.38.0    # newest io.temporal:temporal-test-server on Maven Central
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
SERVER_VERSION=1.32.2         # first release with per-execution time skipping (test clocks, issue 15)
UI_VERSION=2.56.4             # github.com/temporalio/ui-server/v2; 2.58.x needs go.temporal.io/api v1.64.0, which the proxy mirror here refuses (403)
SERVER_GOTOOLCHAIN=go1.27.3   # v1.32 needs Go >= 1.26.10; the go command fetches this toolchain from the module proxy

CACHE_DIR="${CHARGELOOP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/chargeloop}"

log() { printf 'temporal.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is required to obtain $2 ($3); or point $4 at an existing binary"; }

# One builder at a time per cache entry, so parallel test runs and `npm run dev` share one build.
with_lock() {
  local name=$1; shift
  mkdir -p "$CACHE_DIR"
  exec 9>"$CACHE_DIR/.$name.lock"
  flock 9
  "$@"
  flock -u 9
}

build_cli() {
  local dir="$CACHE_DIR/temporal-cli-$CLI_VERSION"
  [ -x "$dir/temporal" ] && return 0
  need go "the Temporal CLI" "Go 1.25+" TEMPORAL_CLI_PATH
  log "building Temporal CLI v$CLI_VERSION from the Go module proxy into $dir (a few minutes, once)"
  local started=$SECONDS tmp="$dir.tmp.$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  CGO_ENABLED=0 GOBIN="$tmp" GOFLAGS="${GOFLAGS:-} -buildvcs=false" go install -trimpath \
    -ldflags "-s -w -X github.com/temporalio/cli/temporalcli.Version=$CLI_VERSION" \
    "github.com/temporalio/cli/cmd/temporal@v$CLI_VERSION" >&2
  rm -rf "$dir" && mv "$tmp" "$dir"
  log "built in $((SECONDS - started))s: $("$dir/temporal" --version)"
}

fetch_test_server() {
  local dir="$CACHE_DIR/temporal-test-server-$TEST_SERVER_VERSION"
  [ -x "$dir/temporal-test-server" ] && return 0
  need mvn "the time-skipping test server" "Maven and a JDK 8+" TEMPORAL_TEST_SERVER_PATH
  need java "the time-skipping test server" "a JDK 8+" TEMPORAL_TEST_SERVER_PATH
  log "fetching io.temporal:temporal-test-server:$TEST_SERVER_VERSION from Maven Central into $dir"
  local started=$SECONDS tmp="$dir.tmp.$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  cat >"$tmp/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.chargeloop</groupId>
  <artifactId>temporal-test-server-runtime</artifactId>
  <version>$TEST_SERVER_VERSION</version>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>$TEST_SERVER_VERSION</version>
    </dependency>
  </dependencies>
</project>
POM
  (cd "$tmp" && mvn -B -q "$DEPENDENCY_PLUGIN:copy-dependencies" -DincludeScope=runtime -DoutputDirectory="$tmp/lib") >&2
  # The SDK SIGKILLs only its direct child, so the wrapper must exec java; never pass --enable-time-skipping
  # (the SDK expects the server to start with time skipping locked). JIT tier 1 and serial GC start the JVM
  # fastest on small machines, well inside the SDK's fixed 5 s readiness window.
  cat >"$tmp/temporal-test-server" <<SH
#!/bin/sh
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss1m \${TEMPORAL_TEST_SERVER_JAVA_OPTS:-} -cp '$dir/lib/*' io.temporal.testserver.TestServer "\$@"
SH
  chmod +x "$tmp/temporal-test-server"
  rm -rf "$dir" && mv "$tmp" "$dir"
  sed -i "s#$tmp#$dir#g" "$dir/temporal-test-server"
  log "fetched in $((SECONDS - started))s ($(ls "$dir/lib" | wc -l) jars)"
}

# The server and its sql tool come from one `go install` (one module, one version, shared compile work); the schema
# files ship in the same module and are copied beside them, so the cache entry is complete without GOMODCACHE.
build_server() {
  local dir="$CACHE_DIR/temporal-server-$SERVER_VERSION"
  [ -x "$dir/temporal-server" ] && [ -x "$dir/temporal-sql-tool" ] && [ -d "$dir/schema/postgresql" ] && return 0
  need go "the Temporal server" "Go 1.21+ (it fetches $SERVER_GOTOOLCHAIN)" TEMPORAL_SERVER_PATH
  log "building Temporal server v$SERVER_VERSION and its sql tool from the Go module proxy into $dir (5-10 min, once)"
  local started=$SECONDS tmp="$dir.tmp.$$" module="go.temporal.io/server@v$SERVER_VERSION"
  rm -rf "$tmp" && mkdir -p "$tmp/bin"
  GOTOOLCHAIN="$SERVER_GOTOOLCHAIN" CGO_ENABLED=0 GOBIN="$tmp/bin" GOFLAGS="${GOFLAGS:-} -buildvcs=false" \
    go install -trimpath -ldflags "-s -w" \
    "go.temporal.io/server/cmd/server@v$SERVER_VERSION" "go.temporal.io/server/cmd/tools/sql@v$SERVER_VERSION" >&2
  mv "$tmp/bin/server" "$tmp/temporal-server" && mv "$tmp/bin/sql" "$tmp/temporal-sql-tool" && rmdir "$tmp/bin"
  local src
  src="$(GOTOOLCHAIN="$SERVER_GOTOOLCHAIN" GOFLAGS=-mod=mod go mod download -json "$module" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$src/schema/postgresql" ] || die "schema files not found in the module cache ($src)"
  cp -r "$src/schema" "$tmp/schema" && chmod -R u+w "$tmp/schema"
  rm -rf "$dir" && mv "$tmp" "$dir"
  log "built in $((SECONDS - started))s: $("$dir/temporal-server" --version 2>&1 | head -n1)"
}

build_ui() {
  local dir="$CACHE_DIR/temporal-ui-server-$UI_VERSION"
  [ -x "$dir/temporal-ui-server" ] && return 0
  need go "the Temporal UI server" "Go 1.21+ (it fetches $SERVER_GOTOOLCHAIN)" TEMPORAL_UI_SERVER_PATH
  log "building Temporal UI server v$UI_VERSION from the Go module proxy into $dir (a few minutes, once)"
  local started=$SECONDS tmp="$dir.tmp.$$"
  rm -rf "$tmp" && mkdir -p "$tmp/bin"
  GOTOOLCHAIN="$SERVER_GOTOOLCHAIN" CGO_ENABLED=0 GOBIN="$tmp/bin" GOFLAGS="${GOFLAGS:-} -buildvcs=false" \
    go install -trimpath -ldflags "-s -w" "github.com/temporalio/ui-server/v2/cmd/server@v$UI_VERSION" >&2
  mv "$tmp/bin/server" "$tmp/temporal-ui-server" && rmdir "$tmp/bin"
  rm -rf "$dir" && mv "$tmp" "$dir"
  log "built in $((SECONDS - started))s"
}

schema_dir() {
  if [ -n "${TEMPORAL_SCHEMA_DIR:-}" ]; then
    [ -d "$TEMPORAL_SCHEMA_DIR/postgresql" ] || die "TEMPORAL_SCHEMA_DIR=$TEMPORAL_SCHEMA_DIR has no postgresql/ directory"
    readlink -f "$TEMPORAL_SCHEMA_DIR"
    return
  fi
  with_lock server build_server
  echo "$CACHE_DIR/temporal-server-$SERVER_VERSION/schema"
}

resolve() {
  local override=$1 onpath=$2 cached=$3 obtain=$4 lock=$5
  if [ -n "${!override:-}" ]; then
    [ -x "${!override}" ] || die "$override=${!override} is not an executable file"
    readlink -f "${!override}"
    return
  fi
  if [ -n "$onpath" ] && command -v "$onpath" >/dev/null 2>&1; then
    readlink -f "$(command -v "$onpath")"
    return
  fi
  with_lock "$lock" "$obtain"
  echo "$cached"
}

case "${1:-}" in
  cli) resolve TEMPORAL_CLI_PATH temporal "$CACHE_DIR/temporal-cli-$CLI_VERSION/temporal" build_cli cli ;;
  test-server) resolve TEMPORAL_TEST_SERVER_PATH temporal-test-server \
    "$CACHE_DIR/temporal-test-server-$TEST_SERVER_VERSION/temporal-test-server" fetch_test_server test-server ;;
  server) resolve TEMPORAL_SERVER_PATH "" "$CACHE_DIR/temporal-server-$SERVER_VERSION/temporal-server" build_server server ;;
  sql) resolve TEMPORAL_SQL_TOOL_PATH "" "$CACHE_DIR/temporal-server-$SERVER_VERSION/temporal-sql-tool" build_server server ;;
  ui) resolve TEMPORAL_UI_SERVER_PATH "" "$CACHE_DIR/temporal-ui-server-$UI_VERSION/temporal-ui-server" build_ui ui ;;
  schema-dir) schema_dir ;;
  server-version) echo "$SERVER_VERSION" ;;
  *) die "usage: $0 cli|test-server|server|sql|ui|schema-dir|server-version" ;;
esac
