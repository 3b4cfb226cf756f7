#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The demo: installs what is missing, builds the cxm tool (native release) and scores the
# bundled bank-switching responses. Idempotent; re-runs only rebuild what changed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/install-deps.sh native
cmake --preset default >/dev/null
cmake --build --preset default --target cxm_cli
echo
./build/default/examples/cxm report examples/data/responses.jsonl "$@"
