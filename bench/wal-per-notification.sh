#!/usr/bin/env bash
# How many bytes of WAL the hub writes per dispatch notification, and for which tables and indexes: starts a fresh
# standalone hub (bench/hub-standalone.sh, database benchhub), sends PRELOAD meter notifications (the tables and indexes
# of a busy day), waits until the hub is idle, then sends TOTAL more (unpaced, 64 senders), waits again and reads the
# stretch of WAL of those TOTAL with pg_waldump (full-page images and records per
# relation). WAL volume sets the checkpoint rate (a checkpoint every max_wal_size / 2 or so), and after each checkpoint
# begins, the first change to every page writes the whole page again: on this machine that is when the webhook
# acknowledgements wait for their COMMIT (docs/benchmarks.md). Needs read access to PostgreSQL's pg_wal (run as root
# or postgres) and the machine's PostgreSQL on PG_PORT.
#   PRELOAD=200000 TOTAL=30000 PG_PORT=5432 bench/wal-per-notification.sh
set -uo pipefail
cd "$(dirname "$0")/.."
: "${PRELOAD:=200000}" "${TOTAL:=30000}" "${PG_PORT:=5432}"
bench_psql() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -Atq "$@"; }
. bench/standalone-hub.inc.sh
start_standalone_hub target/bench/hub-wal.out
waldump=$(ls /usr/lib/postgresql/*/bin/pg_waldump 2>/dev/null | tail -1)
waldir="$(bench_psql -c 'SHOW data_directory' postgres)/pg_wal"
send() { HUB_URL=http://127.0.0.1:18080 CLIENT=socket CONCURRENCY=64 TOTAL="$1" bash bench/dispatch-bench.sh webhook | grep '^BENCH webhook:'; }
# notifications leave retained plans to publish: wait until the hub is idle
idle() { wait_until_hub_idle > /dev/null; }
# pg_stat_wal counts the whole cluster's WAL (this machine's other databases are idle during a bench)
wal_stats() { bench_psql -F ' ' -c "SELECT wal_bytes::bigint, wal_fpi, (SELECT checkpoints_req + checkpoints_timed FROM pg_stat_bgwriter) FROM pg_stat_wal" postgres; }
per_notification() {  # <label> <notifications> <stats before> <stats after>
  echo "$3 $4" | awk -v label="$1" -v n="$2" '{ printf "BENCH WAL %s: %d notifications, %.0f bytes per notification, %.2f full-page images per notification, %d checkpoints\n",
                                             label, n, ($4 - $1) / n, ($5 - $2) / n, $6 - $3 }'
}
if [ "$PRELOAD" -gt 0 ]; then
  before=$(wal_stats); send "$PRELOAD"; idle; per_notification "preload (cluster-wide, idle time included)" "$PRELOAD" "$before" "$(wal_stats)"
fi
before=$(wal_stats)
start=$(bench_psql -c 'SELECT pg_current_wal_lsn()' postgres)
send "$TOTAL"
idle
end=$(bench_psql -c 'SELECT pg_current_wal_lsn()' postgres)
per_notification "measured (cluster-wide)" "$TOTAL" "$before" "$(wal_stats)"
bytes=$(bench_psql -c "SELECT pg_wal_lsn_diff('$end', '$start')::bigint" postgres)
echo "BENCH WAL: $TOTAL notifications, $((bytes / 1024 / 1024)) MiB of WAL, $((bytes / TOTAL)) bytes per notification (all of this machine's databases)"
"$waldump" -p "$waldir" -s "$start" -e "$end" --stats 2>/dev/null | grep -E '^(Type|Heap |Heap2|Btree|Transaction|XLOG|Total)' \
  | sed 's/^/BENCH   /'
# per relation: records and full-page images (pg_waldump --relation takes tablespace/database/relfilenode)
db=$(bench_psql -c "SELECT oid FROM pg_database WHERE datname = 'benchhub'" postgres)
echo "BENCH per relation (WAL bytes incl. full-page images, of which full-page images), largest first:"
bench_psql -F ' ' -c "SELECT c.relname, coalesce(nullif(c.reltablespace, 0), 1663), pg_relation_filenode(c.oid)
                        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i') AND pg_relation_size(c.oid) > 1048576" benchhub \
  | while read -r rel ts node; do
      "$waldump" -p "$waldir" -s "$start" -e "$end" --relation="$ts/$db/$node" --stats 2>/dev/null \
        | awk -v rel="$rel" -v n="$TOTAL" '/^Total/ {
            # Total <records> <record bytes> [pct] <full-page image bytes> [pct] <combined> [pct]
            printf "%d %s: %.0f bytes/notification (full-page images %.0f)\n", $7, rel, $7 / n, $5 / n }'
    done | sort -rn | cut -d' ' -f2- | sed 's/^/BENCH   /'
