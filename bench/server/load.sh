#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Load figures of cxm serve (bench/README.md, "Server"): wrk POSTs batches of 20 new responses
# to a collector on 127.0.0.1 with a fresh SQLite database, with --sync full and --sync normal:
#   1. the highest rate (closed loop, --connections connections, --seconds long);
#   2. latency at about half that rate: the same connections, each pausing between its
#      requests so that together they offer ~half the rate measured in 1 (wrk 4.1 has no -R;
#      see the README for what this measures and what it does not);
#   3. (full only) the server's memory while it is flooded with 2 MB bodies and slow clients
#      (bench/server/abuse.py), against its memory after the load runs.
# Everything talks to 127.0.0.1 only, and every step has a bounded duration.
#
#   bench/server/load.sh [--cxm PATH] [--seconds N] [--connections N] [--threads N]
#                        [--dir DIR] [--syncs "full normal"] [--no-abuse] [--postgres] [--keep]
# --postgres: then the same runs against a PostgreSQL 15 server of its own (scripts/postgres.sh
# with CXM_POSTGRES_DURABLE=1: fsync on, as a real server), --sync full only.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cxm="$root/build/default/examples/cxm"
seconds=20
connections=32
wrk_threads=2
server_threads=0
dir=""
syncs="full normal"
abuse=1
keep=0
postgres=0
while [ $# -gt 0 ]; do
  case "$1" in
    --cxm) cxm="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --threads) server_threads="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --syncs) syncs="$2"; shift 2 ;;
    --no-abuse) abuse=0; shift ;;
    --postgres) postgres=1; shift ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--cxm PATH] [--seconds N] [--connections N] [--threads N] [--dir DIR] [--syncs \"full normal\"] [--no-abuse] [--postgres] [--keep]" >&2; exit 2 ;;
  esac
done

if ! command -v wrk >/dev/null 2>&1; then
  echo "load.sh: wrk is not installed; on Debian/Ubuntu: sudo apt-get install -y wrk" >&2
  exit 1
fi
for tool in sqlite3 python3 curl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "load.sh: $tool is needed (sudo apt-get install -y $tool)" >&2; exit 1; }
done
if [ ! -x "$cxm" ]; then
  echo "load.sh: $cxm not found; build it: cmake --preset default && cmake --build --preset default --target cxm_cli" >&2
  exit 1
fi

# On the build tree's disk by default: a tmpfs would make fsync free.
[ -n "$dir" ] || dir="$root/build/default/bench-server"
mkdir -p "$dir"
work="$(mktemp -d "$dir/load.XXXXXX")"
echo '{"rate_limit":{"per_second":0}}' > "$work/config.json"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  [ "$postgres" = 1 ] && "$root/scripts/postgres.sh" stop "$work/pg" >/dev/null 2>&1
  [ "$keep" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT

start_server() {  # $1: sync mode, $2: store URL
  local args=(serve --surveys "$root/examples/web/surveys" --listen 127.0.0.1:0 --store "$2"
              --sync "$1" --config "$work/config.json" --access-log /dev/null)
  [ "$server_threads" = 0 ] || args+=(--threads "$server_threads")
  : > "$work/serve.out"
  "$cxm" "${args[@]}" > "$work/serve.out" 2> "$work/serve.err" &
  pid=$!
  for _ in $(seq 300); do
    port="$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$work/serve.out")"
    [ -n "$port" ] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "load.sh: the server did not start:" >&2
  cat "$work/serve.err" >&2
  exit 1
}

stop_server() {
  kill -TERM "$pid"
  wait "$pid" || { echo "load.sh: the server did not stop cleanly" >&2; exit 1; }
  pid=""
}

hwm_kib() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status"; }
rss_kib() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status"; }
# CPU seconds the server used so far (user + system, all threads).
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$pid/stat"; }
# Per-thread CPU ticks, "tid ticks" in thread-id order: main, the committer's writer (created
# first: SQLite inserts and commits), the request threads (HTTP, JSON, validation, replies),
# the signal watcher.
thread_ticks() { for t in $(ls "/proc/$pid/task" | sort -n); do awk -v t="$t" '{ print t, $14 + $15 }' "/proc/$pid/task/$t/stat"; done; }
thread_split() {  # $1, $2: thread_ticks before and after; prints the writer's and the others' CPU s
  paste -d ' ' <(echo "$1") <(echo "$2") | awk -v hz="$(getconf CLK_TCK)" \
    'NR == 2 { w = ($4 - $2) / hz } NR > 2 { o += ($4 - $2) / hz } END { printf "committer thread %.1f s CPU, request threads %.1f s", w, o }'
}
health() { curl -s --max-time 5 "http://127.0.0.1:$port/healthz"; }
field() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }

run_wrk() {  # $1: run prefix, $2: pause ms (0: none), $3: seconds; prints the RESULT line
  CXM_WRK_RUN="$1" CXM_WRK_DELAY_MS="$2" wrk -t "$wrk_threads" -c "$connections" -d "${3}s" --timeout 10s \
    -s "$here/post_batch.lua" "http://127.0.0.1:$port/v1/responses" > "$work/wrk.out" 2>&1 || true
  grep '^RESULT' "$work/wrk.out" || { cat "$work/wrk.out" >&2; echo "load.sh: wrk failed" >&2; exit 1; }
}

value() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; }

echo "cxm serve load: $(nproc) cores, wrk $wrk_threads threads x $connections connections, ${seconds}s per run, batches of 20"
echo "binary: $cxm"
runs=()
for sync in $syncs; do runs+=("sqlite:$sync"); done
if [ "$postgres" = 1 ]; then
  CXM_POSTGRES_DURABLE=1 "$root/scripts/postgres.sh" start "$work/pg" >/dev/null
  runs+=("postgresql:full")
fi
for run in "${runs[@]}"; do
  backend="${run%%:*}"; sync="${run#*:}"
  if [ "$backend" = sqlite ]; then
    db="$work/cxm-$sync.db"; url="sqlite:$db"; label="SQLite"
    count_rows() { sqlite3 "$db" 'SELECT COUNT(*) FROM responses'; }
  else
    url="$(cat "$work/pg/url")"; label="PostgreSQL"
    count_rows() { psql -qtA "$url" -c 'SELECT COUNT(*) FROM responses'; }
  fi
  start_server "$sync" "$url"
  echo
  echo "== $label --sync $sync (port $port) =="
  run_wrk "warm-$sync" 0 3 > /dev/null  # warm-up: page cache, the first WAL pages
  ticks0="$(thread_ticks)"
  cpu0="$(cpu_s)"; commits0="$(health | field commits)"; accepted0="$(health | field accepted)"
  max="$(run_wrk "max-$sync" 0 "$seconds")"
  ticks1="$(thread_ticks)"
  cpu1="$(cpu_s)"; commits1="$(health | field commits)"; accepted1="$(health | field accepted)"
  echo "max rate:  $max"
  rps="$(echo "$max" | value requests_per_s)"
  responses=$((accepted1 - accepted0)); commits=$((commits1 - commits0))
  awk -v c="$commits" -v r="$responses" -v cpu="$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN{print b-a}')" -v s="$seconds" \
    'BEGIN { printf "           %d commits, %.1f responses per commit, %.1f commits/s; server CPU %.1f s in %d s (%.0f%% of one core), %.1f us CPU per response\n",
             c, (c ? r / c : 0), c / s, cpu, s, 100 * cpu / s, (r ? 1e6 * cpu / r : 0) }'
  echo "           $(thread_split "$ticks0" "$ticks1")"
  # Half rate: each connection pauses between requests so that together they offer ~rps/2.
  # Two 4 s calibrations, from the naive pause (connections / (rps/2)): each measures how long
  # a request takes at that load (the cycle a connection achieved minus its pause), which the
  # next pause leaves out.
  pause="$(awk -v c="$connections" -v r="$rps" 'BEGIN { p = c * 1000 / (r / 2); printf "%d", (p < 1 ? 1 : p) }')"
  for step in 1 2; do
    got="$(run_wrk "calib$step-$sync" "$pause" 4 | value requests_per_s)"
    pause="$(awk -v c="$connections" -v r="$rps" -v p0="$pause" -v r0="$got" \
      'BEGIN { lat = c * 1000 / r0 - p0; p = c * 1000 / (r / 2) - (lat > 0 ? lat : 0); printf "%d", (p < 1 ? 1 : p) }')"
  done
  half="$(run_wrk "half-$sync" "$pause" "$seconds")"
  echo "half rate: $half"
  echo "           pause ${pause} ms per connection; $(echo "$half" | value requests_per_s | awk -v r="$rps" '{ printf "%.0f%%", 100 * $1 / r }') of the max rate"
  rows="$(count_rows)"
  echo "rows stored: $rows; server memory after the load: VmHWM $(hwm_kib) KiB, VmRSS $(rss_kib) KiB"

  if [ "$backend" = sqlite ] && [ "$sync" = full ] && [ "$abuse" = 1 ]; then
    before="$(hwm_kib)"
    echo
    echo "== abuse (--sync full): 2 MB bodies, then slow clients; VmHWM before: $before KiB =="
    python3 "$here/abuse.py" --port "$port" --pid "$pid" --seconds 15
    echo "VmHWM after the abuse: $(hwm_kib) KiB (before: $before KiB); VmRSS now $(rss_kib) KiB"
  fi
  stop_server
done
