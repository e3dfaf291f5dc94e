#!/usr/bin/env bash
# Prints the CPU seconds (user+system) used so far by a process, its running children, and the children it has
# already reaped (a PostgreSQL backend that exited, e.g. the bench's VACUUM connection, is counted by the
# postmaster's cutime/cstime; counting only running children made a backend's exit look like negative CPU).
# Usage: bench/cpu-of.sh <pid>     (used by dispatch-bench.sh to report CPU per notification)
set -euo pipefail
hz=$(getconf CLK_TCK)
total=0
if [ -r "/proc/$1/stat" ]; then
  # fields after the command name, which may contain spaces: utime stime cutime cstime are 14-17
  total=$(sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13 + $14 + $15}')
fi
for p in $(pgrep -P "$1" || true); do
  if [ -r "/proc/$p/stat" ]; then
    t=$(sed 's/^.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')
    total=$((total + t))
  fi
done
awk -v t="$total" -v hz="$hz" 'BEGIN { printf "%.2f\n", t / hz }'
