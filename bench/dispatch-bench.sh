#!/usr/bin/env bash
# Dispatch benchmark (issue 3, item 12); prints lines starting with BENCH. See docs/benchmarks.md.
#
#   bench/dispatch-bench.sh device            # device side: outbox->device latency, 10,000-meter group dispatch
#                                             # (embedded HiveMQ; BENCH_BROKER=tcp://127.0.0.1:1883 for Mosquitto)
#   bench/dispatch-bench.sh group             # 10,000-meter group dispatch webhooks against a running hub (bench/hub-standalone.sh):
#        HUB_URL=http://127.0.0.1:18080 RUNS=5 GROUP_METERS=10000 BROKER=tcp://127.0.0.1:1883
#        DB_URL=jdbc:postgresql://127.0.0.1:${PG_PORT:-5432}/benchhub (the hub's database: the bench reads when every command is SENT)
#        DEVICE=mosquitto_sub (default; a paho client in the bench JVM with DEVICE=paho) DEVICE_QOS=1
#        WARMUP=0 first runs printed but left out of the summary; HUB_PID PG_PID BROKER_PID for the CPU each used
#   bench/dispatch-bench.sh webhook           # webhook side against a running hub (needs the dispatch receiver):
#        HUB_URL=http://127.0.0.1:8080 WEBHOOK_SECRET=demo-webhook-key TOTAL=20000 CONCURRENCY=64 HUB_PID=<pid>
#        RATE=1000 paces the senders (notifications/s; 0 = as fast as the hub answers);
#        BROKER=tcp://127.0.0.1:11883 also measures webhook->device latency on vpp/+/commands
#        GATEWAYS=10000 spreads the notifications over that many gateways (partner_references)
#        WARMUP=5000 first sends that many notifications unpaced, not counted (the hub's JIT warms up)
#        PG_PID=<postmaster pid> also prints PostgreSQL's CPU per notification (with HUB_PID: the hub's)
#        CLIENT=socket sends over plain HTTP/1.1 keep-alive sockets instead of the JDK HttpClient (see WebhookBench)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-device}"

case "$what" in
  device)
    mvn -B -q test -Dtest=DeviceBench -Dsurefire.failIfNoSpecifiedTests=false >/dev/null 2>&1 || true
    grep -h '^BENCH' target/surefire-reports/io.leapvpp.hub.bench.DeviceBench-output.txt
    ;;
  webhook)
    : "${HUB_URL:=http://127.0.0.1:8080}" "${WEBHOOK_SECRET:=demo-webhook-key}" "${TOTAL:=20000}" "${CONCURRENCY:=64}" "${RATE:=0}" "${WARMUP:=0}"
    mvn -B -q test-compile >/dev/null
    cp="target/test-classes:target/classes:$(mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
    peak=0
    if [ -n "${HUB_PID:-}" ]; then
      ( while kill -0 "$HUB_PID" 2>/dev/null; do
          rss=$(awk '/VmHWM/ {print $2}' "/proc/$HUB_PID/status"); echo "$rss" > target/bench-hwm; sleep 1; done ) &
      watcher=$!
    fi
    cpu_before() { [ -n "${1:-}" ] && bench/cpu-of.sh "$1" || echo 0; }
    out=$(mktemp)
    echo "$(cpu_before "${HUB_PID:-}") $(cpu_before "${PG_PID:-}")" > "$out"
    WARMUP="${WARMUP:-0}" java -cp "$cp" io.leapvpp.hub.bench.WebhookBench "$HUB_URL" "$WEBHOOK_SECRET" "$TOTAL" "$CONCURRENCY" "$RATE" ${BROKER:-} \
      | while IFS= read -r line; do
          echo "$line"
          # CPU is counted from the end of the warm-up (or from the start when there is none)
          case "$line" in "BENCH warm-up"*) echo "$(cpu_before "${HUB_PID:-}") $(cpu_before "${PG_PID:-}")" > "$out" ;; esac
        done
    read -r hub0 pg0 < "$out"
    if [ -n "${HUB_PID:-}" ]; then
      kill "$watcher" 2>/dev/null || true
      echo "BENCH hub peak RSS (VmHWM): $(( $(cat target/bench-hwm) / 1024 )) MiB"
    fi
    for who in HUB PG; do
      pid_var="${who}_PID"; pid="${!pid_var:-}"
      [ -z "$pid" ] && continue
      before=$([ "$who" = HUB ] && echo "$hub0" || echo "$pg0")
      now=$(bench/cpu-of.sh "$pid")
      awk -v a="$before" -v b="$now" -v n="$TOTAL" -v w="$who" 'BEGIN { if (a > 0) printf "BENCH %s CPU: %.2f s, %.2f ms per notification\n", w, b - a, 1000 * (b - a) / n }'
    done
    ;;
  group)
    : "${HUB_URL:=http://127.0.0.1:18080}" "${WEBHOOK_SECRET:=demo-webhook-key}" "${BROKER:=tcp://127.0.0.1:1883}"
    : "${DB_URL:=jdbc:postgresql://127.0.0.1:${PG_PORT:-5432}/benchhub}"
    mvn -B -q test-compile >/dev/null
    cp="target/test-classes:target/classes:$(mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
    java -cp "$cp" io.leapvpp.hub.bench.GroupDispatchBench "$HUB_URL" "$WEBHOOK_SECRET" "$DB_URL" "$BROKER"
    ;;
  *) echo "usage: $0 device|group|webhook" >&2; exit 2 ;;
esac
