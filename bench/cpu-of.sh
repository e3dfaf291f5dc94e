#!/usr/bin/env bash
# Prints the CPU seconds (user+system) used so far by a process and its children that are still running.
# Usage: bench/cpu-of.sh <pid>     (used by dispatch-bench.sh to report CPU per notification)
set -euo pipefail
hz=$(getconf CLK_TCK)
total=0
for p in "$1" $(pgrep -P "$1" || true); do
  if [ -r "/proc/$p/stat" ]; then
    t=$(awk '{print $14 + $15}' "/proc/$p/stat")
    total=$((total + t))
  fi
done
awk -v t="$total" -v hz="$hz" 'BEGIN { printf "%.2f\n", t / hz }'
