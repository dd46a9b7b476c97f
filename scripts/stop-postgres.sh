#!/usr/bin/env bash
# Stop the test cluster that scripts/ensure-postgres.sh runs in var/pg/data,
# if it is running. Never touches any other PostgreSQL server.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/var/pg/data"

[[ -f $DATA/PG_VERSION ]] || { echo "stop-postgres: no cluster in $DATA" >&2; exit 0; }

# The cluster must be driven by its own major version's pg_ctl.
PG_CTL="/usr/lib/postgresql/$(<"$DATA/PG_VERSION")/bin/pg_ctl"
[[ -x $PG_CTL ]] || PG_CTL="$(command -v pg_ctl)" || { echo "stop-postgres: no pg_ctl" >&2; exit 1; }

# Root runs the cluster as the postgres OS user (initdb refuses root).
as_pg() {
  if ((EUID != 0)); then "$@"
  elif command -v runuser >/dev/null; then (cd / && runuser -u postgres -- "$@")
  else (cd / && su postgres -s /bin/bash -c "$(printf '%q ' "$@")")
  fi
}

if as_pg "$PG_CTL" -D "$DATA" status >/dev/null; then
  as_pg "$PG_CTL" -D "$DATA" -m fast -w -t 60 stop >&2
else
  echo "stop-postgres: cluster in $DATA is not running" >&2
fi
