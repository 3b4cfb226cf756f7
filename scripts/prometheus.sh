#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A throwaway Prometheus 2.42 scraping two cxm serve instances, for the /metrics integration
# test (the CTest fixture "prometheus", tests/server).
#   prometheus.sh start DIR CXM SURVEYS   start two `CXM serve` instances (each with its own
#                           SQLite store, on free loopback ports, segment key "customer" as a
#                           label) and a Prometheus with --enable-feature=native-histograms,
#                           its own temporary --storage.tsdb.path and a generated config that
#                           scrapes both every second; write DIR/prometheus_port and
#                           DIR/cxm_ports ("PORT1 PORT2") once all three answer
#   prometheus.sh stop DIR  stop all three (SIGTERM, then SIGKILL after 10 s) and delete
#                           their files
# Both are idempotent. The packaged prometheus service is never used. PROMETHEUS overrides
# /usr/bin/prometheus.
set -euo pipefail

usage() { echo "usage: $0 start DIR CXM SURVEYS | stop DIR" >&2; exit 2; }
[ $# -ge 2 ] || usage
cmd=$1
dir=$2
prom=${PROMETHEUS:-/usr/bin/prometheus}

port_in_use() {  # something answers on 127.0.0.1:$1
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  echo "prometheus.sh: no free port found" >&2
  return 1
}

# answers HOST:PORT PATH: an HTTP 200 from it (bash's /dev/tcp: no curl needed).
answers() {
  local host_port=$1 path=$2 reply
  { exec 3<>"/dev/tcp/${host_port%:*}/${host_port#*:}"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$host_port" >&3
  reply=$(head -c 12 <&3 || true)
  exec 3<&- 3>&-
  [ "$reply" = "HTTP/1.1 200" ] || [ "$reply" = "HTTP/1.0 200" ]
}

stop() {
  [ -f "$dir/root" ] || { rm -f "$dir/prometheus_port" "$dir/cxm_ports"; return 0; }
  local root pid
  root=$(cat "$dir/root")
  for f in "$root"/*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    kill -TERM "$pid" 2>/dev/null || true
  done
  for f in "$root"/*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  # Only ever delete what start created.
  case "$root" in
    /tmp/cxm-prometheus.*) rm -rf "$root" ;;
  esac
  rm -f "$dir/root" "$dir/prometheus_port" "$dir/cxm_ports"
}

# launch NAME COMMAND...: in its own session, output to NAME.log, pid in NAME.pid. Nothing of
# it keeps CTest's pipes open (the fixture's setup test returns while it runs).
launch() {
  local name=$1
  shift
  setsid "$@" </dev/null >"$root/$name.log" 2>&1 &
  echo $! >"$root/$name.pid"
}

wait_for() {  # wait_for NAME HOST:PORT PATH
  for _ in $(seq 1 300); do
    answers "$2" "$3" && return 0
    kill -0 "$(cat "$root/$1.pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "prometheus.sh: $1 did not start; its log:" >&2
  cat "$root/$1.log" >&2 || true
  return 1
}

start() {
  [ $# -eq 2 ] || usage
  local cxm=$1 surveys=$2
  [ -x "$prom" ] || { echo "prometheus.sh: $prom not found: install Prometheus 2.42 (scripts/install-deps.sh" \
                           "native installs the Debian package prometheus)" >&2; exit 1; }
  [ -x "$cxm" ] || { echo "prometheus.sh: $cxm is not the cxm tool" >&2; exit 1; }
  if [ -f "$dir/root" ] && [ -f "$dir/prometheus_port" ]; then return 0; fi
  stop  # leftovers of a run that died

  root=$(mktemp -d /tmp/cxm-prometheus.XXXXXX)
  echo "$root" >"$dir/root"  # before anything starts, so stop can clean up a failed start
  printf '{"metrics":{"segment_labels":["customer"]},"rate_limit":{"per_second":0}}\n' >"$root/cxm.json"

  local ports=() p i
  for i in 1 2; do
    p=$(free_port)
    launch "cxm$i" "$cxm" serve --config "$root/cxm.json" --surveys "$surveys" --listen "127.0.0.1:$p" \
      --store "sqlite:$root/cxm$i.db" --sync normal --threads 2 --access-log "$root/cxm$i.access.log"
    wait_for "cxm$i" "127.0.0.1:$p" /healthz || { stop; exit 1; }
    ports+=("$p")
  done

  local pport
  pport=$(free_port)
  # scrape_timeout must not exceed the interval; 1 s keeps the test short.
  cat >"$root/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: cxm
    static_configs:
      - targets: ["127.0.0.1:${ports[0]}", "127.0.0.1:${ports[1]}"]
YAML
  mkdir -p "$root/tsdb"
  launch prometheus "$prom" --config.file="$root/prometheus.yml" --storage.tsdb.path="$root/tsdb" \
    --web.listen-address="127.0.0.1:$pport" --enable-feature=native-histograms --log.level=warn
  wait_for prometheus "127.0.0.1:$pport" /-/ready || { stop; exit 1; }

  echo "${ports[0]} ${ports[1]}" >"$dir/cxm_ports"
  echo "$pport" >"$dir/prometheus_port"
  echo "prometheus 127.0.0.1:$pport scraping cxm 127.0.0.1:${ports[0]} 127.0.0.1:${ports[1]}"
}

case "$cmd" in
  start) mkdir -p "$dir" ;;
  stop) [ -d "$dir" ] || exit 0 ;;
  *) usage ;;
esac
dir=$(cd "$dir" && pwd)
root=""
shift 2
case "$cmd" in
  start) start "$@" ;;
  stop) stop ;;
esac
