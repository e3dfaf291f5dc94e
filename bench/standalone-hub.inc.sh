# Sourced by the dispatch bench scripts: starts bench/hub-standalone.sh in the background (its output in the file $1),
# stops it (and so the hub and the sandbox) when the calling script exits, and sets HUB_PID and PG_PID.
start_standalone_hub() {
  local log=$1
  mkdir -p target/bench
  PG_PORT="$PG_PORT" setsid bash bench/hub-standalone.sh > "$log" 2>&1 < /dev/null &
  standalone=$!
  trap 'kill -- -"$standalone" 2>/dev/null; wait "$standalone" 2>/dev/null' EXIT INT TERM
  for _ in $(seq 1 180); do
    grep -q '^PG_PID=' "$log" && break
    kill -0 "$standalone" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 1
  done
  HUB_PID=$(sed -n 's/^HUB_PID=//p' "$log"); PG_PID=$(sed -n 's/^PG_PID=//p' "$log")
}

# A run of unpaced notifications leaves retained plans to publish (at most one per gateway per second): waits until the
# hub uses under 4 % of a core over 5 s, at most 5 minutes; prints how long it waited (seconds).
wait_until_hub_idle() {
  local i a
  for i in $(seq 1 60); do
    a=$(awk '{print $14 + $15}' "/proc/$HUB_PID/stat"); sleep 5
    [ $(( $(awk '{print $14 + $15}' "/proc/$HUB_PID/stat") - a )) -lt 20 ] && break
  done
  echo $((i * 5))
}
