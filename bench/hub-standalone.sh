#!/usr/bin/env bash
# Starts a production-profile hub for the dispatch benchmark, as it would be deployed: its own JVM, the machine's
# PostgreSQL (127.0.0.1:5432, database benchhub, dropped and created again) and Mosquitto (127.0.0.1:1883), and the
# Leap sandbox in a JVM of its own, so the hub's CPU and RSS are the hub's alone. Prints HUB_PID and PG_PID lines
# for bench/dispatch-bench.sh webhook, then keeps running until stopped (Ctrl-C stops the hub and the sandbox).
# The bench device does not ack, so the no-ack re-send is pushed out (HUB_DEVICES_ACK_TIMEOUT=1h) to measure intake.
#   HUB_XMX=512m HUB_PORT=18080 SANDBOX_PORT=18090 PG_PORT=5432 bench/hub-standalone.sh   (HUB_JAVA_OPTS: more JVM options, e.g. a flight recording)
set -euo pipefail
cd "$(dirname "$0")/.."
: "${HUB_XMX:=512m}" "${HUB_PORT:=18080}" "${SANDBOX_PORT:=18090}" "${PG_PORT:=5432}"
bench_psql() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"; }
mvn -B -q test-compile >/dev/null
cp="target/classes:$(mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
mkdir -p target/bench
bench_psql -qc "DROP DATABASE IF EXISTS benchhub" -c "CREATE DATABASE benchhub" postgres
java -Xmx1g -cp "$cp" -Dsandbox.port="$SANDBOX_PORT" -Dsandbox.api-key=bench-leap-key -Dsandbox.meters=100 \
     -Dsandbox.request-log-capacity=2 io.leapvpp.hub.sandbox.LeapSandboxMain >target/bench/sandbox-standalone.log 2>&1 &
sandbox=$!
# A production PostgreSQL runs autovacuum; this machine's CI configuration turns it off, and without ANALYZE the
# hub's connections keep the plans they made while the tables were empty (sequential scans: 6 ms per lock query
# at 35,000 events). So the bench does what autovacuum would, by its default rules: every minute
# (autovacuum_naptime), VACUUM for each table whose dead rows exceed 50 + 20 % of its rows or whose inserts since
# its last vacuum exceed 1,000 + 20 %, ANALYZE for each whose changes since its last analyse exceed 50 + 10 %,
# throttled as autovacuum is (autovacuum_vacuum_cost_delay 2 ms, vacuum_cost_limit 200). An unthrottled VACUUM of
# the whole database every 20 s scanned every index of the big tables each time, which no production PostgreSQL
# does. (Until 2026-12-07 the statements below had no semicolons: psql rejected them whenever two tables were due,
# so the bench's database was hardly ever vacuumed or analysed.) Each statement's start and end (wall clock) go to
# target/bench/autovacuum.log, to be set beside the webhook bench's SLOW_TIMELINE.
vacuum=
: > target/bench/autovacuum.log
if [ "$(bench_psql -Atc 'SHOW autovacuum' postgres)" = off ]; then
  ( while sleep 60; do
      bench_psql -Atc "
          SELECT format('VACUUM %s %I.%I', CASE WHEN n_mod_since_analyze > 50 + 0.1 * n_live_tup THEN '(ANALYZE)' ELSE '' END,
                        schemaname, relname)
            FROM pg_stat_user_tables
           WHERE n_dead_tup > 50 + 0.2 * n_live_tup OR n_ins_since_vacuum > 1000 + 0.2 * n_live_tup
          UNION ALL
          SELECT format('ANALYZE %I.%I', schemaname, relname) FROM pg_stat_user_tables
           WHERE n_mod_since_analyze > 50 + 0.1 * n_live_tup
             AND NOT (n_dead_tup > 50 + 0.2 * n_live_tup OR n_ins_since_vacuum > 1000 + 0.2 * n_live_tup)" benchhub 2>/dev/null \
        | sed "s/.*/SELECT to_char(clock_timestamp(), 'HH24:MI:SS.MS') || ' &'; &; SELECT to_char(clock_timestamp(), 'HH24:MI:SS.MS') || ' done';/" \
        | PGOPTIONS="-c vacuum_cost_delay=2ms -c vacuum_cost_limit=200" bench_psql -qAt benchhub >>target/bench/autovacuum.log 2>&1
    done ) &
  vacuum=$!
fi
# On the way out the bench's retained plans are cleared from the broker: every webhook run names new gateways, each
# keeping a retained vpp/{gateway}/plan, and Mosquitto keeps them, in memory and in its persistence file, until
# cleared (a day of runs left it at 3 GB). ClearRetainedPlans reads the retained topics and clears each with an empty
# retained message, in seconds (a mosquitto_pub per topic took a minute per 10,000 and, still running after the hub
# had stopped, took CPU from the next bench). It clears every retained vpp/+/plan: run it against a bench broker only.
clear_plans() {
  java -cp "target/test-classes:$cp" io.leapvpp.hub.bench.ClearRetainedPlans tcp://127.0.0.1:1883 || true
}
trap 'kill $sandbox $hub $vacuum 2>/dev/null || true; clear_plans' EXIT INT TERM
SPRING_PROFILES_ACTIVE=production HUB_HTTP_PORT="$HUB_PORT" HUB_HTTP_ADDRESS=127.0.0.1 \
DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/benchhub DB_USER=postgres DB_PASSWORD=unused-with-trust-auth \
MQTT_BROKER_URL=tcp://127.0.0.1:1883 MQTT_PASSWORD=unused-anonymous \
LEAP_BASE_URL="http://127.0.0.1:$SANDBOX_PORT" LEAP_API_KEY=bench-leap-key SFTP_PASSWORD=unused \
DISPATCH_WEBHOOK_SECRET=demo-webhook-key HUB_API_KEY=bench-api-key EVENTS_WEBHOOK_SECRET=bench-events-key \
HUB_DEVICES_ACK_TIMEOUT=1h DISPATCH_POLLING_ENABLED=false HUB_INVENTORY_DELTA_SYNC_ENABLED=false HUB_INVENTORY_FULL_SYNC_ENABLED=false \
  java -Xmx"$HUB_XMX" ${HUB_JAVA_OPTS:-} -cp "$cp" io.leapvpp.hub.HubApplication >target/bench/hub-standalone.log 2>&1 &
hub=$!
for _ in $(seq 1 120); do
  grep -q "Started HubApplication" target/bench/hub-standalone.log && break
  kill -0 $hub 2>/dev/null || { echo "the hub stopped; see target/bench/hub-standalone.log"; exit 1; }
  sleep 1
done
grep -m1 "Started HubApplication" target/bench/hub-standalone.log
echo "HUB_PID=$hub"
echo "PG_PID=$(head -1 "$(bench_psql -Atc 'SHOW data_directory' postgres)/postmaster.pid")"
wait $hub
