#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs fuzz targets for a while each, two at a time, on a scratch corpus seeded from the
# checked-in one, and prints executions, speed, coverage and findings per target.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]      (build first: cmake --workflow --preset fuzz)
#   RUNS=10000000 tests/fuzz/run.sh 0 [TARGET...]   a number of executions instead of a time
#   JOBS=1, WORK=/tmp/cxm-fuzz: how many at a time, and where the scratch corpora and logs go
# Findings land in $WORK/artifacts; minimize one with
#   build/fuzz/tests/fuzz/fuzz_T -minimize_crash=1 -runs=100000 ARTIFACT
# and check it in as tests/fuzz/corpus/T/regression-<what>.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seconds=${1:-60}
shift || true
bin="$root/build/fuzz/tests/fuzz"
work=${WORK:-/tmp/cxm-fuzz}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$bin"/fuzz_*; do targets+=("$(basename "$f" | sed 's/^fuzz_//')"); done
fi
mkdir -p "$work/artifacts"
run() {
  local t=$1
  mkdir -p "$work/corpus/$t"
  local limit=(-max_total_time="$seconds")
  [ -n "${RUNS:-}" ] && limit=(-runs="$RUNS")
  "$bin/fuzz_$t" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -dict="$root/tests/fuzz/json.dict" -artifact_prefix="$work/artifacts/$t-" -print_final_stats=1 \
      "$work/corpus/$t" "$root/tests/fuzz/corpus/$t" > "$work/$t.log" 2>&1 || true
}
jobs=${JOBS:-2}
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 1; done
  run "$t" &
done
wait
printf '%-22s %12s %9s %7s %8s %s\n' target executions exec/s cov features findings
for t in "${targets[@]}"; do
  log="$work/$t.log"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  found=$(ls "$work/artifacts" | grep -c "^$t-" || true)
  printf '%-22s %12s %9s %7s %8s %s\n' "$t" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "$found"
done
