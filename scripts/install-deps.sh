#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what cxm needs on Debian 12, only what is missing, so re-running it is fast.
#   install-deps.sh native   compiler, CMake, Boost.JSON/Math, GoogleTest, Google Benchmark
#   install-deps.sh all      native + Emscripten + Chromium + the npm packages of wasm/
set -euo pipefail
what=${1:-all}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

pkgs=(g++ cmake ninja-build libboost-json1.81-dev libboost-math1.81-dev
      libgtest-dev googletest libbenchmark-dev)
if [ "$what" = all ]; then
  pkgs+=(emscripten chromium nodejs)
fi

missing=()
for p in "${pkgs[@]}"; do
  # node may come from outside Debian (any Node >= 18 works); only ask apt for it when absent.
  if [ "$p" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
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

if [ "$what" = all ]; then
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
fi
