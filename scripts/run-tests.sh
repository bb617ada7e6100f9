#!/usr/bin/env bash
# The README's test command: installs dependencies, builds Finn and runs the whole test suite.
# Tests that need ../shared (reference models) skip when it is absent.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${FINN_BUILD_DIR:-$root/build}
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh" -DFINN_WARNINGS_AS_ERRORS=ON
ctest --test-dir "$build" --output-on-failure -j "${FINN_JOBS:-$(nproc)}"
