#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turns cxm_bench's NPS benchmarks into the markdown tables of bench/README.md.

Either runs the binary:
    python3 bench/report.py --bench build/default/bench/cxm_bench
(3 repetitions in random interleaved order, aggregates only; every figure is the median of the
repetitions), or reads
output saved with --benchmark_format=json (or --benchmark_out=FILE):
    python3 bench/report.py --json nps.json

Rates come from Google Benchmark's counters, which divide by CPU time. GB/s here is 10^9
bytes per second (the console reporter prints GiB/s, 2^30). --check exits with status 1 when a
target is missed; benchmarks never gate CI, this is for local use.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

# The benchmarks of bench/stats/bm_nps.cpp this report reads; nothing else in cxm_bench is run.
FILTER = (r"^BM_(Read_Baseline|Nps_AddBulk|Nps_Kernel|Nps_NaiveLoop|Nps_Add|Nps_AddDouble|"
          r"Scale_Add|Nps_ConfidenceInterval|Nps_Merge)(/|$)")
MIXES = ("realistic", "uniform", "all_equal")
BULK_TARGET = 0.45  # add_bulk / read bandwidth, every mix
BULK_AIM = 0.55
ADD_TARGET_NS = 2.0  # nps_tally::add(int), per answer


def run_bench(path, repetitions, interleave, extra):
    cmd = [path, "--benchmark_format=json", "--benchmark_filter=" + FILTER,
           "--benchmark_repetitions=%d" % repetitions,
           "--benchmark_report_aggregates_only=true"]
    if interleave:
        # Repetitions of all benchmarks run in random order, so a burst of load on a shared
        # machine spreads over the yardstick and the code compared with it alike.
        cmd.append("--benchmark_enable_random_interleaving=true")
    cmd += extra
    print("running: " + " ".join(cmd), file=sys.stderr)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, check=True)
    return json.loads(proc.stdout)


def medians(doc):
    """{run_name: entry} holding the median of each benchmark, plus {run_name: error}."""
    result, errors, samples = {}, {}, {}
    for b in doc.get("benchmarks", []):
        name = b.get("run_name", b["name"])
        if b.get("error_occurred"):
            errors[name] = b.get("error_message", "error")
            continue
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                result[name] = b
        else:  # plain iterations (no --benchmark_repetitions): take their median ourselves
            samples.setdefault(name, []).append(b)
    for name, runs in samples.items():
        if name in result:
            continue
        entry = dict(runs[0])
        for key in ("bytes_per_second", "items_per_second", "cpu_time", "real_time"):
            values = [r[key] for r in runs if key in r]
            if values:
                entry[key] = statistics.median(values)
        result[name] = entry
    return result, errors


def gbps(entry):
    return entry["bytes_per_second"] / 1e9


def si(value):
    for div, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= div:
            return "%.2f %s" % (value / div, unit)
    return "%.0f" % value


def pct(x):
    return "%.1f%%" % (100 * x)


def report(doc, out):
    runs, errors = medians(doc)
    ctx = doc.get("context", {})
    failures = []
    kernel = ctx.get("cxm_bulk_kernel", "?")
    out.append("Host %s: %s CPUs at %s MHz, cxm add_bulk kernel `%s` (available: %s). "
               "Medians of %s run(s) per benchmark, rates from CPU time, GB = 10^9 bytes."
               % (ctx.get("host_name", "?"), ctx.get("num_cpus", "?"),
                  ctx.get("mhz_per_cpu", "?"), kernel, ctx.get("cxm_kernels", "?"),
                  next((str(b.get("repetitions")) for b in doc.get("benchmarks", [])
                        if b.get("run_type") == "aggregate"), "1")))
    out.append("")
    kernels = ctx.get("cxm_kernels", "").split(",") if ctx.get("cxm_kernels") else sorted(
        {n.split("/")[1] for n in runs if n.startswith("BM_Nps_Kernel/")})

    for mix in MIXES:
        read = runs.get("BM_Read_Baseline/" + mix)
        if read is None:
            continue
        out.append("### %s" % mix)
        out.append("")
        out.append("| code | GB/s | answers/s | ratio to read | target |")
        out.append("|---|---:|---:|---:|---|")
        out.append("| read baseline (sum of 64-bit words) | %.2f | %s | 100%% | yardstick |"
                   % (gbps(read), si(read["bytes_per_second"])))
        rows = [("**`nps_tally::add_bulk`** (%s)" % kernel, "BM_Nps_AddBulk/" + mix, True)]
        rows += [("kernel `%s`" % k, "BM_Nps_Kernel/%s/%s" % (k, mix), False) for k in kernels]
        rows += [("naive `counts[v]++` loop", "BM_Nps_NaiveLoop/" + mix, False)]
        for label, name, is_bulk in rows:
            entry = runs.get(name)
            if entry is None:
                if name in errors:
                    out.append("| %s | error: %s | | | |" % (label, errors[name]))
                continue
            ratio = entry["bytes_per_second"] / read["bytes_per_second"]
            target = ""
            if is_bulk:
                ok = ratio >= BULK_TARGET
                target = ">= %.0f%%, aim %.0f%%: %s" % (100 * BULK_TARGET, 100 * BULK_AIM,
                                                ("met" if ratio >= BULK_AIM else "met, below aim")
                                                if ok else "**MISSED**")
                if not ok:
                    failures.append("add_bulk/%s at %s of read" % (mix, pct(ratio)))
            out.append("| %s | %.2f | %s | %s | %s |"
                       % (label, gbps(entry), si(entry["bytes_per_second"]), pct(ratio), target))
        out.append("")

    per_call = [
        ("`nps_tally::add(int)`, per answer", "BM_Nps_Add", ADD_TARGET_NS),
        ("`nps_tally::add(double)`, per answer", "BM_Nps_AddDouble", None),
        ("`scale_tally::add(int)` (CES 1-7), per answer", "BM_Scale_Add", None),
        ("`confidence_interval` wald, n = 1000", "BM_Nps_ConfidenceInterval/wald", None),
        ("`confidence_interval` adjusted_wald, n = 1000",
         "BM_Nps_ConfidenceInterval/adjusted_wald", None),
        ("`confidence_interval` score, n = 1000", "BM_Nps_ConfidenceInterval/score", None),
        ("`nps_tally::merge`", "BM_Nps_Merge", None),
    ]
    lines = []
    for label, name, target_ns in per_call:
        entry = runs.get(name)
        if entry is None:
            if name in errors:
                lines.append("| %s | error: %s | | |" % (label, errors[name]))
            continue
        ns = 1e9 / entry["items_per_second"]
        target = ""
        if target_ns is not None:
            ok = ns <= target_ns
            target = "<= %g ns: %s" % (target_ns, "met" if ok else "**MISSED**")
            if not ok:
                failures.append("%s at %.2f ns" % (name, ns))
        lines.append("| %s | %.2f | %s/s | %s |" % (label, ns, si(entry["items_per_second"]), target))
    if lines:
        out.append("### per answer / per call")
        out.append("")
        out.append("| code | ns | rate | target |")
        out.append("|---|---:|---:|---|")
        out.extend(lines)
        out.append("")
    for name, message in sorted(errors.items()):
        failures.append("%s failed: %s" % (name, message))
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--json", metavar="FILE", help="read saved --benchmark_format=json output")
    src.add_argument("--bench", metavar="PATH", help="run this cxm_bench binary")
    ap.add_argument("--repetitions", type=int, default=3, help="with --bench (default 3)")
    ap.add_argument("--no-interleave", action="store_true",
                    help="with --bench: run each benchmark's repetitions back to back")
    ap.add_argument("--save", metavar="FILE", help="with --bench: also write the raw JSON here")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("bench_args", nargs="*",
                    help="extra arguments for the binary, after --, e.g. -- --benchmark_min_time=1")
    args = ap.parse_args()

    if args.json:
        with open(args.json, encoding="utf-8") as f:
            doc = json.load(f)
    else:
        doc = run_bench(args.bench, args.repetitions, not args.no_interleave, args.bench_args)
        if args.save:
            with open(args.save, "w", encoding="utf-8") as f:
                json.dump(doc, f, indent=1)
    out = []
    failures = report(doc, out)
    try:
        print("\n".join(out))
        sys.stdout.flush()
    except BrokenPipeError:  # piped into head: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    if failures:
        print("Targets missed or errors: " + "; ".join(failures), file=sys.stderr)
    return 1 if failures and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
