#!/usr/bin/env bash
# Benchmark: a full meter inventory sync of METERS (default 100,000) Leap sandbox meters.
# The sandbox runs in its own JVM (its meters do not count towards the hub's heap); the sync runs in a JVM
# capped at BENCH_XMX (default 256m) against an embedded PostgreSQL, with the hub's InventorySync, page size 500.
# Prints meters synced, wall time, peak heap and peak RSS for two runs: into an empty inventory, then over a full one.
#   bench/inventory-sync-bench.sh                  # 100,000 meters
#   METERS=20000 BENCH_XMX=128m bench/inventory-sync-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
METERS=${METERS:-100000}
PORT=${BENCH_SANDBOX_PORT:-18090}
XMX=${BENCH_XMX:-256m}
KEY=bench-leap-key
mkdir -p target/bench
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench/classpath.txt >/dev/null
CP="target/classes:target/test-classes:$(cat target/bench/classpath.txt)"

java -Xmx3g -cp "$CP" -Dsandbox.port="$PORT" -Dsandbox.meters="$METERS" -Dsandbox.api-key="$KEY" \
     -Dsandbox.request-log-capacity=2 io.leapvpp.hub.sandbox.LeapSandboxMain >target/bench/sandbox.log 2>&1 &
SANDBOX_PID=$!
trap 'kill "$SANDBOX_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  if curl -sf "http://127.0.0.1:$PORT/sandbox/status" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -sf "http://127.0.0.1:$PORT/sandbox/status" >/dev/null || { echo "sandbox did not start; see target/bench/sandbox.log"; exit 1; }
echo "sandbox: $(curl -s "http://127.0.0.1:$PORT/sandbox/status" | tr -d '\n' | cut -c1-60)..."
echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); sync JVM -Xmx$XMX"

java -Xmx"$XMX" -cp "$CP" -Dbench.leap-url="http://127.0.0.1:$PORT" -Dbench.leap-key="$KEY" ${BENCH_JAVA_OPTS:-} \
     -DLOG_FILE=target/bench/bench.log \
     io.leapvpp.hub.bench.InventorySyncBench
