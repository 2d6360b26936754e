#!/usr/bin/env bash
# A private PostgreSQL for the Temporal cluster (npm run cluster, the cluster test tier, npm run chaos).
#
#   scripts/postgres.sh bin                  directory of PostgreSQL's server binaries (apt-get install postgresql when missing)
#   scripts/postgres.sh init DIR             initdb DIR once: superuser `temporal`, trust auth on loopback only
#   scripts/postgres.sh run DIR PORT [ARG…]  exec the postmaster in the foreground on 127.0.0.1:PORT, socket in DIR
#   scripts/postgres.sh schema PORT          create the temporal and temporal_visibility databases (first run) and
#                                            bring both schemas up to the pinned server's version (every run)
#
# initdb and the postmaster refuse to run as root, so as root they run as the `postgres` user (setpriv execs, so
# the pid the caller holds is the postmaster's own and a signal reaches it). $POSTGRES_BIN_DIR overrides the lookup.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

find_bin() {
  if [ -n "${POSTGRES_BIN_DIR:-}" ]; then
    [ -x "$POSTGRES_BIN_DIR/postgres" ] || die "POSTGRES_BIN_DIR=$POSTGRES_BIN_DIR has no postgres executable"
    echo "$POSTGRES_BIN_DIR"
    return
  fi
  local d
  # Debian keeps the server binaries off PATH; the newest installed major version wins.
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/postgres" ] && { echo "$d"; return; }
  done
  if command -v initdb >/dev/null 2>&1 && command -v postgres >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v postgres)")"
    return
  fi
  return 1
}

bin_dir() {
  find_bin && return
  [ "$(id -u)" = 0 ] || die "PostgreSQL is not installed; install it (apt-get install postgresql) or set POSTGRES_BIN_DIR"
  command -v apt-get >/dev/null 2>&1 || die "PostgreSQL is not installed and apt-get is unavailable; set POSTGRES_BIN_DIR"
  log "installing PostgreSQL from Debian (apt-get install postgresql)"
  # One installer at a time: parallel test runs would fight over the dpkg lock.
  exec 8>/tmp/.chargeloop-postgres-install.lock
  flock 8
  if ! find_bin >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2 ||
      { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2; }
  fi
  flock -u 8
  find_bin || die "apt-get installed postgresql but no server binaries were found"
}

# Runs a PostgreSQL server binary as the postgres user when we are root, as ourselves otherwise.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
  fi
  exec "$@"
}

init() {
  local dir=$1 bin
  bin="$(bin_dir)"
  [ -f "$dir/PG_VERSION" ] && return 0
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$dir"
    setpriv --reuid=postgres --regid=postgres --init-groups -- test -w "$dir" ||
      die "the postgres user cannot write $dir (a parent directory is private?); put the data elsewhere (CLUSTER_DATA_DIR)"
  fi
  chmod 700 "$dir"
  log "initdb $dir"
  (as_owner "$bin/initdb" -D "$dir" -U temporal --auth=trust --encoding=UTF8 --no-locale >/dev/null)
  # Loopback only, no password: the cluster is local; production uses its managed database's credentials.
  cat >"$dir/pg_hba.conf" <<'HBA'
local all all              trust
host  all all 127.0.0.1/32 trust
HBA
}

run() {
  local dir=$1 port=$2 bin
  shift 2
  bin="$(bin_dir)"
  [ -f "$dir/PG_VERSION" ] || die "$dir is not initialised (scripts/postgres.sh init $dir)"
  # Temporal's four services each pool connections to both databases: ~90 at rest, more under load.
  as_owner "$bin/postgres" -D "$dir" -p "$port" -k "$dir" -c listen_addresses=127.0.0.1 -c max_connections=300 "$@"
}

schema() {
  local port=$1 bin sql schemas db dbname
  bin="$(bin_dir)"
  sql="$(bash "$here/temporal.sh" sql)"
  schemas="$(bash "$here/temporal.sh" schema-dir)/postgresql/v12"
  for db in temporal visibility; do
    dbname=temporal; [ "$db" = visibility ] && dbname=temporal_visibility
    local tool=("$sql" --plugin postgres12 --ep 127.0.0.1 -p "$port" -u temporal --db "$dbname")
    if [ -z "$("$bin/psql" -h 127.0.0.1 -p "$port" -U temporal -d postgres -tAc "select 1 from pg_database where datname = '$dbname'")" ]; then
      log "creating database $dbname"
      "${tool[@]}" create-database >&2
      "${tool[@]}" setup-schema -v 0.0 >&2
    fi
    # Applies only the versions the database lacks, so a second run (or a newer pinned server) just works.
    "${tool[@]}" update-schema -d "$schemas/$db/versioned" >&2
  done
}

case "${1:-}" in
  bin) bin_dir ;;
  init) [ $# -eq 2 ] || die "usage: $0 init DIR"; init "$(readlink -m "$2")" ;;
  run) [ $# -ge 3 ] || die "usage: $0 run DIR PORT [postgres args]"; d="$(readlink -m "$2")"; p=$3; shift 3; run "$d" "$p" "$@" ;;
  schema) [ $# -eq 2 ] || die "usage: $0 schema PORT"; schema "$2" ;;
  *) die "usage: $0 bin|init DIR|run DIR PORT [ARG…]|schema PORT" ;;
esac
