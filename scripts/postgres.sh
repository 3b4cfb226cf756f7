#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A throwaway PostgreSQL 15 server for tests (the CTest fixture "postgres", tests/server).
#   postgres.sh start DIR   initdb a fresh cluster under /tmp, start it on a free loopback
#                           port, create the role cxm and the database cxm_test (trust auth),
#                           write the connection URL to DIR/url and the data directory to
#                           DIR/datadir
#   postgres.sh stop DIR    stop that server (pg_ctl stop -m fast) and delete its files
# Both are idempotent. The packaged cluster service is never used. initdb and postgres refuse
# to run as root, so as root (CI) the server runs as the user postgres; otherwise as the
# current user. PG_BINDIR overrides /usr/lib/postgresql/15/bin.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$2
bindir=${PG_BINDIR:-/usr/lib/postgresql/15/bin}

for tool in initdb pg_ctl postgres psql; do
  if [ ! -x "$bindir/$tool" ]; then
    echo "postgres.sh: $bindir/$tool not found: install PostgreSQL 15 (scripts/install-deps.sh native" \
         "installs the Debian package postgresql)" >&2
    exit 1
  fi
done

# Runs a PostgreSQL program as the user that owns the cluster.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

running() {  # running DATADIR: is a server up on that cluster?
  [ -d "$1" ] && as_owner "$bindir/pg_ctl" status -D "$1" >/dev/null 2>&1
}

stop() {
  [ -f "$dir/datadir" ] || { rm -f "$dir/url"; return 0; }
  local data root
  data=$(cat "$dir/datadir")
  root=$(dirname "$data")
  if running "$data"; then
    as_owner "$bindir/pg_ctl" stop -D "$data" -m fast -w -t 60 >/dev/null
  fi
  # Only ever delete what start created.
  case "$root" in
    /tmp/cxm-postgres.*) rm -rf "$root" ;;
  esac
  rm -f "$dir/url" "$dir/datadir" "$dir/port"
}

port_in_use() {  # something answers on 127.0.0.1:$1
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  if [ -f "$dir/datadir" ] && [ -f "$dir/url" ] && running "$(cat "$dir/datadir")"; then
    cat "$dir/url"
    return 0
  fi
  stop  # leftovers of a server that died: clear them before starting fresh

  local root data log
  root=$(mktemp -d /tmp/cxm-postgres.XXXXXX)
  data=$root/data
  log=$root/postgres.log
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "postgres.sh: running as root needs the user postgres" >&2; exit 1; }
    chown postgres: "$root"
  fi
  chmod 700 "$root"
  # Written before the server exists, so stop can clean up after a failed start.
  echo "$data" >"$dir/datadir"

  # --auth=trust: the server listens only on 127.0.0.1 and a socket in a private directory.
  # --locale=C, UTF8: byte order, and records stored as the UTF-8 bytes they are.
  as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
    >"$root/initdb.log" 2>&1 || { cat "$root/initdb.log" >&2; stop; exit 1; }

  # fsync=off: a test server's data is thrown away; without it every test commit waits for
  # the disk. (The store's own durability settings are still exercised: synchronous_commit.)
  # CXM_POSTGRES_DURABLE=1 keeps PostgreSQL's defaults (fsync on): load figures use it.
  local durability="-c fsync=off -c full_page_writes=off"
  [ "${CXM_POSTGRES_DURABLE:-0}" = 1 ] && durability=""
  local port started=""
  for _ in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" && continue
    if as_owner "$bindir/pg_ctl" start -D "$data" -w -t 60 -l "$log" \
         -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$root $durability" \
         >/dev/null 2>&1; then
      started=1
      break
    fi
    running "$data" && as_owner "$bindir/pg_ctl" stop -D "$data" -m immediate >/dev/null 2>&1 || true
  done
  if [ -z "$started" ]; then
    echo "postgres.sh: could not start PostgreSQL; its log:" >&2
    cat "$log" >&2 || true
    stop
    exit 1
  fi

  as_owner "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$root" -p "$port" -U postgres -d postgres \
    -c "CREATE ROLE cxm LOGIN" -c "CREATE DATABASE cxm_test OWNER cxm" >/dev/null
  echo "$port" >"$dir/port"
  local url="postgresql://cxm@127.0.0.1:$port/cxm_test"
  echo "$url" >"$dir/url.tmp" && mv "$dir/url.tmp" "$dir/url"
  echo "$url"
}

# Absolute paths, then a working directory the user postgres may enter (initdb and pg_ctl
# complain from root's home).
case "$cmd" in
  start) mkdir -p "$dir" ;;
  stop) [ -d "$dir" ] || exit 0 ;;
esac
dir=$(cd "$dir" && pwd)
cd /

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
