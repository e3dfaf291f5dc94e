#!/usr/bin/env bash
# The dispatch series of docs/benchmarks.md in one command: starts a fresh standalone hub (bench/hub-standalone.sh,
# database benchhub dropped and created again), runs the webhook and group benches against it, prints their BENCH
# lines, then stops the hub and the sandbox (hub-standalone.sh clears the retained plans it left on the broker).
#
#   bench/dispatch-series.sh            # full: first 120,000 unpaced, the next 180,000 unpaced (sustained), 1,000/s
#                                       # twice, 10/s with webhook -> device latency, 10,000-meter groups (GROUP_RUNS=8)
#   bench/dispatch-series.sh low-load   # an outbox of 120,000 commands, then wait until the hub is idle, 10/s twice,
#                                       # groups (GROUP_RUNS=4)
#   PG_PORT=5433 … uses a PostgreSQL of the bench's own (see hub-standalone.sh)
set -uo pipefail
cd "$(dirname "$0")/.."
what="${1:-full}"
: "${PG_PORT:=5432}" "${GROUP_RUNS:=$([ "$what" = low-load ] && echo 4 || echo 8)}"
. bench/standalone-hub.inc.sh
start_standalone_hub target/bench/hub-series.out
export HUB_URL=http://127.0.0.1:18080 CLIENT=socket HUB_PID PG_PID CONCURRENCY=64
echo "BENCH series $what, code $(git log -1 --format=%h), $(date -u +%FT%TZ)"
webhook() { echo "BENCH -- $* (load $(cut -d' ' -f1 /proc/loadavg))"; env "$@" bash bench/dispatch-bench.sh webhook | grep '^BENCH'; }
low_load() { webhook RATE=10 TOTAL=300 CONCURRENCY=2 BROKER=tcp://127.0.0.1:1883; }
case "$what" in
  full)
    webhook TOTAL=120000
    webhook TOTAL=180000
    webhook RATE=1000 TOTAL=60000
    webhook RATE=1000 TOTAL=60000
    low_load
    ;;
  low-load)
    webhook TOTAL=120000
    echo "BENCH -- hub idle after $(wait_until_hub_idle) s"
    low_load
    low_load
    ;;
  *) echo "usage: $0 full|low-load" >&2; exit 2 ;;
esac
echo "BENCH -- group, $GROUP_RUNS runs"
RUNS="$GROUP_RUNS" BROKER_PID=$(pgrep -x mosquitto) DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/benchhub" \
  bash bench/dispatch-bench.sh group | grep '^BENCH'
