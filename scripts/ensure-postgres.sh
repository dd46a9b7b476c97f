#!/usr/bin/env bash
# Make a PostgreSQL server available on loopback for the test suite and print
# `export` lines for its connection settings on stdout. Strict usage:
#   exports="$(scripts/ensure-postgres.sh)" && eval "$exports"
# (a bare `eval "$(...)"` would swallow this script's exit status).
# Outside CI a failure is only a warning (exit 0, no exports: the PostgreSQL
# tests then skip); with CI=true it is fatal.
set -euo pipefail

# Only the final export lines may reach stdout; everything else (our logs,
# apt, initdb, psql) goes to stderr. fd 3 keeps the real stdout.
exec 3>&1 1>&2

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOST="${PODIUM_TEST_PG_HOST:-127.0.0.1}"
PORT="${PODIUM_TEST_PG_PORT:-54329}"
USER_="${PODIUM_TEST_PG_USER:-podium}"
PASSWORD="${PODIUM_TEST_PG_PASSWORD:-podium}"
DBNAME="${PODIUM_TEST_PG_DBNAME:-podium_test}"
PGBASE="$ROOT/var/pg"          # var/ is gitignored
DATA="$PGBASE/data"
RUN="$PGBASE/run"              # unix socket dir: never clashes with a system cluster
LOGFILE="$PGBASE/postgres.log"

log() { echo "ensure-postgres: $*"; }

# Any failure ends here: fatal in CI, a warning elsewhere so local runs go on.
on_exit() {
  local rc=$?
  ((rc == 0)) && return 0
  if [[ "${CI:-}" == true ]]; then
    log "ERROR: could not provide PostgreSQL (CI=true, so this is fatal); see above and $LOGFILE"
    exit "$rc"
  fi
  log "WARNING: could not provide PostgreSQL; the PostgreSQL tests will be skipped"
  exit 0
}
trap on_exit EXIT

print_exports() {
  local name
  for name in HOST PORT USER PASSWORD DBNAME; do
    local var="$name"; [[ $name == USER ]] && var=USER_
    printf 'export PODIUM_TEST_PG_%s=%q\n' "$name" "${!var}" >&3
  done
}

# A real login, not just pg_isready: the role, password and database must work.
can_login() {
  local psql; psql="$(command -v psql || echo "${BINDIR:-/nonexistent}/psql")"
  [[ -x $psql ]] || return 1
  PGPASSWORD="$PASSWORD" PGCONNECT_TIMEOUT=3 "$psql" -X -q -w -tA \
    -h "$HOST" -p "$PORT" -U "$USER_" -d "$DBNAME" -c 'SELECT 1' 2>/dev/null | grep -qx 1
}

if can_login; then
  log "PostgreSQL already serves $USER_@$HOST:$PORT/$DBNAME"
  print_exports; exit 0
fi

# We can only start a server that listens where the tests will look.
case "$HOST" in
  127.0.0.1 | localhost | ::1) ;;
  *) log "$HOST:$PORT is not reachable and is not a loopback address we could serve"; exit 1 ;;
esac

# initdb refuses to run as root, so root runs the cluster as the postgres OS
# user; anyone else simply owns the cluster themselves.
as_pg() {
  if ((EUID != 0)); then "$@"
  elif command -v runuser >/dev/null; then (cd / && runuser -u postgres -- "$@")
  else (cd / && su postgres -s /bin/bash -c "$(printf '%q ' "$@")")
  fi
}

# An existing cluster must be run by its own major version; else the newest.
find_bindir() {
  if [[ -f $DATA/PG_VERSION && -x /usr/lib/postgresql/$(<"$DATA/PG_VERSION")/bin/pg_ctl ]]; then
    echo "/usr/lib/postgresql/$(<"$DATA/PG_VERSION")/bin"; return
  fi
  local d best=""
  for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V); do
    [[ -x $d/initdb && -x $d/pg_ctl ]] && best="$d"
  done
  # Else initdb on PATH; resolve symlinks (e.g. /usr/local/bin/initdb) to the real bin dir.
  if [[ -z $best ]] && command -v initdb >/dev/null; then best="$(dirname "$(readlink -f "$(command -v initdb)")")"; fi
  echo "$best"
}

BINDIR="$(find_bindir)"
if [[ -z $BINDIR ]]; then
  log "no initdb/pg_ctl found; installing Debian's postgresql package"
  sudo_=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { log "not root and no sudo: install postgresql by hand"; exit 1; }
    sudo_=(sudo -n)
  fi
  # One broken third-party source must not block the install from Debian's own.
  "${sudo_[@]}" apt-get update || log "apt-get update reported errors; trying the install anyway"
  "${sudo_[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
  BINDIR="$(find_bindir)"
  [[ -n $BINDIR ]] || { log "postgresql installed but initdb/pg_ctl still not found"; exit 1; }
fi
log "using $BINDIR"
PSQL="$BINDIR/psql"; [[ -x $PSQL ]] || PSQL="$(command -v psql)"

if ((EUID == 0)); then
  id postgres >/dev/null 2>&1 || { log "OS user 'postgres' is missing"; exit 1; }
  mkdir -p "$PGBASE"
  chown postgres: "$PGBASE"
  # Every parent of var/pg must be traversable by postgres (e.g. not under /root).
  as_pg test -x "$PGBASE" || { log "user postgres cannot reach $PGBASE: make its parents o+x"; exit 1; }
fi
as_pg mkdir -p -m 700 "$RUN"

if [[ ! -f $DATA/PG_VERSION ]]; then
  log "creating cluster in $DATA"
  # Trust on the private socket (only the owner can enter $RUN), passwords on TCP.
  as_pg "$BINDIR/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256
fi

# After a machine restart the pid in a leftover postmaster.pid may belong to an
# unrelated process, which makes pg_ctl think the server runs (and postgres refuse to start).
PIDFILE="$DATA/postmaster.pid"
if [[ -f $PIDFILE && -d /proc/self ]] && ! grep -qs postgres "/proc/$(head -n1 "$PIDFILE")/cmdline"; then
  log "removing stale $PIDFILE"; rm -f "$PIDFILE"
fi

if as_pg "$BINDIR/pg_ctl" -D "$DATA" status >/dev/null; then
  log "cluster already running"
else
  log "starting cluster on $HOST:$PORT (log: $LOGFILE)"
  # Settings go on the command line, so a changed port/host applies on the next start.
  # 3>&-: the server must not inherit our stdout, or `$(ensure-postgres.sh)` never ends.
  as_pg "$BINDIR/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t 60 start 3>&- \
    -o "-p $PORT -k '$RUN' -c listen_addresses='$HOST' -c max_connections=200" \
    || { tail -n 20 "$LOGFILE" || true; exit 1; }
fi

# Create the role and database when missing; (re)set the password so that a
# changed PODIUM_TEST_PG_PASSWORD takes effect. \gexec keeps it idempotent.
as_pg "$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$RUN" -p "$PORT" -U postgres -d postgres \
  -v user="$USER_" -v pw="$PASSWORD" -v db="$DBNAME" <<'SQL'
SELECT format('CREATE ROLE %I', :'user')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN SUPERUSER PASSWORD %L', :'user', :'pw') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL

can_login || { log "server is up but login as $USER_ to $DBNAME over TCP fails"; exit 1; }
log "ready: $USER_@$HOST:$PORT/$DBNAME"
print_exports
