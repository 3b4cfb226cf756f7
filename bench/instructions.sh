#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Instructions per operation of the hot paths, counted by callgrind: each workload of
# cxm_instructions at two sizes, the difference divided by the difference in operations.
#   bench/instructions.sh [build/default]
set -euo pipefail
build=${1:-build/default}
bin="$build/bench/cxm_instructions"
count() {  # workload n -> total instructions
  local out
  out=$(mktemp)
  valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" "$1" "$2" >/dev/null 2>&1
  callgrind_annotate "$out" 2>/dev/null | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,
  rm -f "$out"
}
printf '%-10s %14s\n' workload instructions/op
for spec in "sketch 200000 1000000" "journey 50000 250000" "responses 20000 100000"; do
  set -- $spec
  a=$(count "$1" "$2")
  b=$(count "$1" "$3")
  awk -v w="$1" -v a="$a" -v b="$b" -v n="$(($3 - $2))" 'BEGIN { printf "%-10s %14.1f\n", w, (b - a) / n }'
done
