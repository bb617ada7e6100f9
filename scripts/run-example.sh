#!/usr/bin/env bash
# The README's main command: installs dependencies, builds Finn, and runs the bundled example.
#
# For now the flow ends at the model: the example writes a small FINN-ONNX network with libfinn
# (examples/tiny_fc) and `finn inspect` reports it. The build steps join as their issues land.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${FINN_BUILD_DIR:-$root/build}
out=${FINN_EXAMPLE_OUT:-$build/example-output}
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh"
mkdir -p "$out"
"$build/examples/finn-example-tiny-fc" "$out/tiny_fc.onnx"
"$build/tools/finn" inspect "$out/tiny_fc.onnx" | tee "$out/inspect.txt"
"$build/tools/finn" inspect --json "$out/tiny_fc.onnx" > "$out/inspect.json"
echo
echo "Example model:   $out/tiny_fc.onnx"
echo "Reports written: $out/inspect.txt, $out/inspect.json"
