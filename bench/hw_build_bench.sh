#!/usr/bin/env bash
# Hardware build time of FINN's TFC-w1a1 folder (../shared/models/finn/tfc_w1a1, its folding
# config): a clean `finn build_dataflow` through step_hw_ipgen with FINN's verify_steps plus
# node_by_node_rtlsim, with ccache off (every Verilator model and the shared rtlsim runtime
# compiled from nothing), a no-op rebuild, and a rebuild after one layer's PE changed; then each
# node's lint-and-compile time from the clean builds' logs (median over the runs).
#
#   bench/hw_build_bench.sh [build-dir] [runs]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build}
runs=${2:-3}
finn=$build/tools/finn
tfc=$root/../shared/models/finn/tfc_w1a1
# shellcheck source=bench_lib.sh
source "$root/bench/bench_lib.sh"

if [ ! -d "$tfc" ]; then
  echo "== TFC hardware build: not measured - ../shared/models/finn/tfc_w1a1 is absent"; exit 0
fi
if ! command -v verilator >/dev/null || ! command -v make >/dev/null; then
  echo "== TFC hardware build: not measured - needs Verilator and make"; exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$tfc"/{model.onnx,input.npy,expected_output.npy,folding_config.json,specialize_layers_config.json} "$work/"
python3 - "$tfc/dataflow_build_config.json" "$work/dataflow_build_config.json" <<'EOF'
import json, sys
config = json.load(open(sys.argv[1]))
config.update(output_dir="out", generate_outputs=["estimate_reports"], stop_step="step_hw_ipgen",
              specialize_layers_config_file="specialize_layers_config.json")
config["verify_steps"] = config["verify_steps"] + ["node_by_node_rtlsim"]
json.dump(config, open(sys.argv[2], "w"), indent=1)
EOF

export OBJCACHE=  # no ccache: the cold figure
build_ms() {
  local ms
  ms=$(time_ms "$finn" build_dataflow "$work" "$@")
  grep -q "Verification for node_by_node_rtlsim : SUCCESS" "$work/out/build_dataflow.log" ||
    { echo "hw_build_bench: the build did not verify" >&2; cat "$work/out/build_dataflow.log" >&2; exit 1; }
  echo "$ms"
}
# The one-layer edit: MVAU_hls_1's PE between 8 and 4 (both divide MH = 64).
toggle_pe() {
  python3 - "$work/folding_config.json" <<'EOF2'
import json, sys
folding = json.load(open(sys.argv[1]))
folding["MVAU_hls_1"]["PE"] = 4 if folding["MVAU_hls_1"]["PE"] == 8 else 8
json.dump(folding, open(sys.argv[1], "w"), indent=1)
EOF2
}

declare -A ms
nodes_log=$work/nodes.txt
: >"$nodes_log"
for _ in $(seq "$runs"); do
  rm -rf "$work/out"
  ms[clean]+="$(build_ms) "
  grep -o 'hw_ipgen: [A-Za-z_0-9]*: linted and compiled in [0-9.]* s' "$work/out/build_dataflow.log" |
    awk '{print $2, $7}' >>"$nodes_log"
  ms[noop]+="$(build_ms) "
  toggle_pe
  ms[pe]+="$(build_ms) "
done

echo "== FINN's TFC-w1a1 through step_hw_ipgen + node_by_node_rtlsim (finn build_dataflow, no ccache), $runs runs, $(nproc) cores"
printf "%-34s %10s\n" "build" "median ms"
printf "%-34s %10s\n" "clean build" "$(echo "${ms[clean]}" | tr ' ' '\n' | grep . | median)"
printf "%-34s %10s\n" "no-op rebuild" "$(echo "${ms[noop]}" | tr ' ' '\n' | grep . | median)"
printf "%-34s %10s\n" "MVAU_hls_1 PE edit" "$(echo "${ms[pe]}" | tr ' ' '\n' | grep . | median)"
printf "%-34s %10s\n" "per node, cold (lint+compile+link)" ""
for node in $(awk '{print $1}' "$nodes_log" | tr -d ':' | sort -u); do
  printf "  %-32s %10s\n" "$node" "$(grep "^$node: " "$nodes_log" | awk '{print $2 * 1000}' | median)"
done
echo "   (nodes compile in parallel, the shared Verilator runtime beside them; an unchanged node"
echo "    costs nothing: the PE edit recompiles one node)"
