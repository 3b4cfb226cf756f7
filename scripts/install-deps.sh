#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what cxm needs on Debian 12, only what is missing, so re-running it is fast.
#   install-deps.sh native   compiler, CMake, Boost.JSON/Math, GoogleTest, Google Benchmark,
#                            a JDK (javac and jni.h: the JNI shim and its Java test), SQLite,
#                            libpq and a PostgreSQL server (cxm serve and its tests), zlib (its
#                            OTLP push is gzipped), CLI11,
#                            Node and the npm packages of wasm/ (the HTML report page, which
#                            the cxm tool embeds, is built with them), protoc and libprotobuf
#                            with the Prometheus client model's metrics.proto (GET /metrics),
#                            and Prometheus 2.42 (the /metrics integration test scrapes with it)
#   install-deps.sh web      Emscripten and Chromium
#   install-deps.sh fuzz     clang 14 with its libFuzzer and sanitizer runtimes
#   install-deps.sh all      everything (the default); several groups may be given
set -euo pipefail
groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(all)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

want() {
  local g
  for g in "${groups[@]}"; do [ "$g" = "$1" ] || [ "$g" = all ] && return 0; done
  return 1
}

pkgs=(g++ cmake ninja-build libboost-json1.81-dev libboost-math1.81-dev
      libgtest-dev googletest libbenchmark-dev openjdk-17-jdk-headless
      postgresql libpq-dev libsqlite3-dev libcli11-dev zlib1g-dev nodejs npm
      protobuf-compiler libprotobuf-dev golang-github-prometheus-client-model-dev prometheus)
if want web; then
  pkgs+=(emscripten chromium)
fi
if want fuzz; then
  pkgs+=(clang-14 libclang-rt-14-dev)
fi

missing=()
for p in "${pkgs[@]}"; do
  # node and npm may come from outside Debian (any Node >= 18 works); only ask apt for them
  # when absent.
  if [ "$p" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
  if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "cxm: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # --no-install-recommends: Chromium would otherwise pull ~130 packages (systemd, cups, ...).
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Every group: the native tool embeds the HTML report page, built with these packages.
command -v npm >/dev/null 2>&1 || { echo "cxm: npm is missing" >&2; exit 1; }
# npm ci only when the lockfile changed since the last install.
for dir in "$here/wasm"; do
  [ -f "$dir/package-lock.json" ] || continue
  stamp="$dir/node_modules/.cxm-lock-stamp"
  if ! cmp -s "$dir/package-lock.json" "$stamp" 2>/dev/null; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    mkdir -p "$dir/node_modules" && cp "$dir/package-lock.json" "$stamp"
  fi
done
