#!/usr/bin/env bash
# Starts a production-profile hub for the dispatch benchmark, as it would be deployed: its own JVM, the machine's
# PostgreSQL (127.0.0.1:5432, database benchhub, dropped and created again) and Mosquitto (127.0.0.1:1883), and the
# Leap sandbox in a JVM of its own, so the hub's CPU and RSS are the hub's alone. Prints HUB_PID and PG_PID lines
# for bench/dispatch-bench.sh webhook, then keeps running until stopped (Ctrl-C stops the hub and the sandbox).
# The bench device does not ack, so the no-ack re-send is pushed out (HUB_DEVICES_ACK_TIMEOUT=1h) to measure intake.
#   HUB_XMX=512m HUB_PORT=18080 SANDBOX_PORT=18090 bench/hub-standalone.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${HUB_XMX:=512m}" "${HUB_PORT:=18080}" "${SANDBOX_PORT:=18090}"
mvn -B -q compile >/dev/null
cp="target/classes:$(mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
mkdir -p target/bench
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS benchhub" -c "CREATE DATABASE benchhub" postgres
java -Xmx1g -cp "$cp" -Dsandbox.port="$SANDBOX_PORT" -Dsandbox.api-key=bench-leap-key -Dsandbox.meters=100 \
     -Dsandbox.request-log-capacity=2 io.leapvpp.hub.sandbox.LeapSandboxMain >target/bench/sandbox-standalone.log 2>&1 &
sandbox=$!
# A production PostgreSQL runs autovacuum; this machine's CI configuration turns it off, and without ANALYZE the
# hub's connections keep the plans they made while the tables were empty (sequential scans: 6 ms per lock query
# at 35,000 events). So the bench does what autovacuum would, throttled as autovacuum is by default
# (autovacuum_vacuum_cost_delay 2 ms, vacuum_cost_limit 200): an unthrottled VACUUM of the whole database took one
# of the two cores for seconds every 20 s, which no production PostgreSQL does, and made the p99 at 1,000/s.
vacuum=
if [ "$(psql -h 127.0.0.1 -U postgres -Atc 'SHOW autovacuum' postgres)" = off ]; then
  ( while sleep 20; do
      PGOPTIONS="-c vacuum_cost_delay=2ms -c vacuum_cost_limit=200" \
        psql -h 127.0.0.1 -U postgres -qc "VACUUM (ANALYZE)" benchhub >/dev/null 2>&1
    done ) &
  vacuum=$!
fi
trap 'kill $sandbox $hub $vacuum 2>/dev/null || true' EXIT INT TERM
SPRING_PROFILES_ACTIVE=production HUB_HTTP_PORT="$HUB_PORT" HUB_HTTP_ADDRESS=127.0.0.1 \
DB_URL=jdbc:postgresql://127.0.0.1:5432/benchhub DB_USER=postgres DB_PASSWORD=unused-with-trust-auth \
MQTT_BROKER_URL=tcp://127.0.0.1:1883 MQTT_PASSWORD=unused-anonymous \
LEAP_BASE_URL="http://127.0.0.1:$SANDBOX_PORT" LEAP_API_KEY=bench-leap-key SFTP_PASSWORD=unused \
DISPATCH_WEBHOOK_SECRET=demo-webhook-key HUB_API_KEY=bench-api-key EVENTS_WEBHOOK_SECRET=bench-events-key \
HUB_DEVICES_ACK_TIMEOUT=1h DISPATCH_POLLING_ENABLED=false HUB_INVENTORY_DELTA_SYNC_ENABLED=false HUB_INVENTORY_FULL_SYNC_ENABLED=false \
  java -Xmx"$HUB_XMX" -cp "$cp" io.leapvpp.hub.HubApplication >target/bench/hub-standalone.log 2>&1 &
hub=$!
for _ in $(seq 1 120); do
  grep -q "Started HubApplication" target/bench/hub-standalone.log && break
  kill -0 $hub 2>/dev/null || { echo "the hub stopped; see target/bench/hub-standalone.log"; exit 1; }
  sleep 1
done
grep -m1 "Started HubApplication" target/bench/hub-standalone.log
echo "HUB_PID=$hub"
echo "PG_PID=$(head -1 "$(psql -h 127.0.0.1 -U postgres -Atc 'SHOW data_directory' postgres)/postmaster.pid")"
wait $hub
