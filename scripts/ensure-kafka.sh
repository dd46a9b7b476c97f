#!/usr/bin/env bash
# Make a Kafka broker available on loopback for the test suite and print an `export` line for
# its address on stdout. Strict usage, as for PostgreSQL:
#   exports="$(scripts/ensure-kafka.sh)" && eval "$exports"
# A broker already listening there is reused; otherwise Apache Kafka (KRaft, one node: broker
# and controller in one JVM) is fetched from Maven Central with mvn (scripts/kafka/pom.xml,
# jars cached in var/kafka/lib), formatted into a fresh data directory and started.
# Outside CI a failure is only a warning (exit 0, no exports: the Kafka tests then skip);
# with CI=true it is fatal.
set -euo pipefail

# Only the final export line may reach stdout; everything else goes to stderr.
exec 3>&1 1>&2

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOST=127.0.0.1
PORT="${PODIUM_TEST_KAFKA_PORT:-19092}"
CONTROLLER_PORT="$((PORT + 1))"
BASE="$ROOT/var/kafka"         # var/ is gitignored
LIB="$BASE/lib"
DATA="$BASE/data"
LOGFILE="$BASE/kafka.out"
PIDFILE="$BASE/kafka.pid"
WAIT_SECONDS="${PODIUM_TEST_KAFKA_WAIT:-90}"  # 2-20 s here; a busy CI machine takes longer

log() { echo "ensure-kafka: $*"; }

on_exit() {
  local rc=$?
  ((rc == 0)) && return 0
  if [[ "${CI:-}" == true ]]; then
    log "ERROR: could not provide Kafka (CI=true, so this is fatal); see above and $LOGFILE"
    exit "$rc"
  fi
  log "WARNING: could not provide Kafka; the Kafka tests will be skipped"
  exit 0
}
trap on_exit EXIT

print_exports() { printf 'export PODIUM_TEST_KAFKA=%q\n' "$HOST:$PORT" >&3; }

listening() { (exec 9<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# Ready means the broker answers Kafka's protocol, not just that a port is open.
answers() {
  "$ROOT/.venv/bin/python" - "$HOST:$PORT" <<'EOF' 2>/dev/null
import sys
from kafka import KafkaAdminClient
KafkaAdminClient(bootstrap_servers=sys.argv[1], request_timeout_ms=3000).close()
EOF
}

if listening "$PORT" && answers; then
  log "Kafka already serves $HOST:$PORT"
  print_exports; exit 0
fi
if listening "$PORT"; then
  log "$HOST:$PORT is taken by something that is not a Kafka broker; set PODIUM_TEST_KAFKA_PORT"
  exit 1
fi

command -v java >/dev/null || { log "no java on PATH (Kafka needs Java 17 or newer)"; exit 1; }
mkdir -p "$BASE"

# The jars, once: mvn copies the broker and its runtime dependencies into var/kafka/lib. The
# stamp holds the pom's digest, so a changed pom fetches again.
STAMP="$LIB/.pom.sha256"
WANT="$(sha256sum "$ROOT/scripts/kafka/pom.xml" | cut -d' ' -f1)"
if [[ ! -f $STAMP || "$(<"$STAMP")" != "$WANT" ]]; then
  command -v mvn >/dev/null || { log "no mvn on PATH to fetch the broker's jars"; exit 1; }
  log "fetching the broker's jars with mvn (about a minute the first time)"
  rm -rf "$LIB" "$BASE/build"
  mkdir -p "$BASE/build"
  cp "$ROOT/scripts/kafka/pom.xml" "$BASE/build/pom.xml"
  (cd "$BASE/build" && mvn -B -q -Dstyle.color=never package)
  mv "$BASE/build/lib" "$LIB"
  rm -rf "$BASE/build"
  echo "$WANT" >"$STAMP"
fi

# A leftover broker of ours that no longer answers: stop it before starting afresh.
if [[ -f $PIDFILE ]] && kill -0 "$(<"$PIDFILE")" 2>/dev/null; then
  log "stopping an unresponsive broker (pid $(<"$PIDFILE"))"
  kill "$(<"$PIDFILE")" || true
  sleep 2
fi

# A fresh data directory each start: nothing of an earlier run can confuse this one.
rm -rf "$DATA"
mkdir -p "$DATA"
sed -e "s#@PORT@#$PORT#g; s#@CONTROLLER_PORT@#$CONTROLLER_PORT#g; s#@DATA@#$DATA#g" \
  "$ROOT/scripts/kafka/server.properties" >"$BASE/server.properties"
LOG4J="-Dlog4j2.configurationFile=file:$ROOT/scripts/kafka/log4j2.properties"
CLUSTER_ID="$(java -cp "$LIB/*" kafka.tools.StorageTool random-uuid | tail -n1)"
java "$LOG4J" -cp "$LIB/*" kafka.tools.StorageTool format -t "$CLUSTER_ID" \
  -c "$BASE/server.properties" >"$BASE/format.out" 2>&1 \
  || { cat "$BASE/format.out"; exit 1; }

log "starting a broker on $HOST:$PORT (log: $LOGFILE)"
# 3>&-: the broker must not inherit our stdout, or `$(ensure-kafka.sh)` never ends.
nohup java -Xms256m -Xmx512m -XX:+UseSerialGC -Djava.awt.headless=true \
  -Dkafka.logs.dir="$BASE/logs" "$LOG4J" -cp "$LIB/*" kafka.Kafka "$BASE/server.properties" \
  >"$LOGFILE" 2>&1 3>&- &
echo $! >"$PIDFILE"

for ((waited = 0; waited < WAIT_SECONDS; waited++)); do
  if ! kill -0 "$(<"$PIDFILE")" 2>/dev/null; then
    log "the broker exited while starting"; tail -n 30 "$LOGFILE" || true; exit 1
  fi
  if grep -qs "Kafka Server started" "$LOGFILE" && answers; then
    log "broker ready after ${waited}s"
    print_exports; exit 0
  fi
  sleep 1
done
log "the broker was not ready after ${WAIT_SECONDS}s"; tail -n 30 "$LOGFILE" || true
exit 1
