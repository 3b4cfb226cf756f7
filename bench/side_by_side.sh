#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Two builds of cxm_bench compared in one session: the binaries alternate ROUNDS times (so
# drift on a shared machine hits both alike) and the medians are printed with their ratio.
#   bench/side_by_side.sh OLD_BENCH NEW_BENCH [FILTER] [ROUNDS]
# e.g. with the old commit built in a worktree:
#   git worktree add /tmp/cxm-old <commit> && cmake -S /tmp/cxm-old -B /tmp/cxm-old/build -G Ninja \
#     -DCMAKE_BUILD_TYPE=Release -DCXM_BUILD_BENCH=ON && cmake --build /tmp/cxm-old/build --target cxm_bench
#   bench/side_by_side.sh /tmp/cxm-old/build/bench/cxm_bench build/default/bench/cxm_bench
set -euo pipefail
old=$1
new=$2
filter=${3:-'BM_Nps_Add$|BM_Nps_AddDouble|BM_Scale_Add|BM_Sketch_Record$|BM_Sketch_ToJson|BM_Sketch_FromJson|BM_Reader_|BM_Journey_'}
rounds=${4:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for r in $(seq "$rounds"); do
  "$old" --benchmark_filter="$filter" --benchmark_format=json > "$out/old_$r.json" 2>/dev/null
  "$new" --benchmark_filter="$filter" --benchmark_format=json > "$out/new_$r.json" 2>/dev/null
done
python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
times = {}
for side in ("old", "new"):
    for r in range(1, rounds + 1):
        for b in json.load(open(f"{out}/{side}_{r}.json"))["benchmarks"]:
            times.setdefault(b["name"], {}).setdefault(side, []).append(b["real_time"] * scale[b["time_unit"]])
print(f"| benchmark | old (ns) | new (ns) | new/old |\n| --- | ---: | ---: | ---: |")
for name, t in times.items():
    if "old" in t and "new" in t:
        o, n = statistics.median(t["old"]), statistics.median(t["new"])
        print(f"| `{name}` | {o:.1f} | {n:.1f} | {n / o:.2f} |")
PY
