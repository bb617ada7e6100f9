#!/usr/bin/env bash
# Configures and builds Finn with Ninja into build/ (or $FINN_BUILD_DIR).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${FINN_BUILD_DIR:-$root/build}
jobs=${FINN_JOBS:-$(nproc)}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build "$build" -j "$jobs"
