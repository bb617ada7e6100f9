#!/usr/bin/env bash
# The README's main command: installs dependencies, builds Finn, and runs the bundled simple-mode
# example (examples/tfc_w1a1) through the flow with `finn build_dataflow`.
#
# The example folder is copied into the build tree (the source tree stays clean) and completed
# with a model written by `finn zoo` (TFC-w1a1 topology, seeded random weights), a seeded input
# and the reference executor's output for it, which the verification steps compare against.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${FINN_BUILD_DIR:-$root/build}
example=${FINN_EXAMPLE_DIR:-$build/example-tfc_w1a1}
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh"

finn="$build/tools/finn"
mkdir -p "$example"
cp "$root"/examples/tfc_w1a1/*.json "$example/"
"$finn" zoo tfc_w1a1 --seed 0 -o "$example/model.onnx" --input-npy "$example/input.npy"
"$finn" exec "$example/model.onnx" --input "$example/input.npy" \
  --output "$example/expected_output.npy" > /dev/null
"$finn" build_dataflow "$example"

od="$example/output_tfc_w1a1_Pynq-Z1"
echo
echo "Build folder:     $example"
echo "Outputs:          $od (intermediate_models/, verification_output/, final_hw_config.json"
echo "                  with the FIFO depths)"
echo "Reports written:  $od/report/ (estimate_*.json, op_and_param_counts.json, index.html)"
echo "                  $od/time_per_step.json, $od/build_dataflow.log"
echo "Hardware:         $od/hw/<node>/ (SystemVerilog wrapper, memory files, component.xml,"
echo "                  Verilated simulation model), checked by node_by_node_rtlsim"
echo "Stitched IP:      $od/stitched_ip/ (finn_design_wrapper, ip/component.xml, make_project.tcl,"
echo "                  Verilated simulation), checked by stitched_ip_rtlsim"
echo "Performance:      $od/report/rtlsim_performance.json (simulated throughput and latency)"
