#!/usr/bin/env bash
# Stop the test broker scripts/ensure-kafka.sh started (if it runs); its data goes with it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PIDFILE="$ROOT/var/kafka/kafka.pid"
[[ -f $PIDFILE ]] || exit 0
PID="$(<"$PIDFILE")"
if kill -0 "$PID" 2>/dev/null; then
  kill "$PID"
  for _ in $(seq 30); do kill -0 "$PID" 2>/dev/null || break; sleep 1; done
  kill -9 "$PID" 2>/dev/null || true
fi
rm -f "$PIDFILE"
