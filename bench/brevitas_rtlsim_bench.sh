#!/usr/bin/env bash
# Node-by-node rtlsim of every real Brevitas export in ../shared/models/brevitas: each folder's
# own configuration continued through step_hw_ipgen with folded_hls_cppsim and node_by_node_rtlsim
# added, built cold (no ccache) and then warm (a no-op rebuild), with the verification results.
# Too heavy for CI (the conv nets compile dozens of Verilator models); the MLPs are also in the
# tests (BrevitasMlpHardware).
#
#   bench/brevitas_rtlsim_bench.sh [build-dir] [model-folder...]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build}
shift || true
finn=$build/tools/finn
models=$root/../shared/models/brevitas
# shellcheck source=bench_lib.sh
source "$root/bench/bench_lib.sh"

if [ ! -d "$models" ]; then
  echo "== Brevitas node-by-node rtlsim: not measured - ../shared/models/brevitas is absent"; exit 0
fi
if ! command -v verilator >/dev/null || ! command -v make >/dev/null; then
  echo "== Brevitas node-by-node rtlsim: not measured - needs Verilator and make"; exit 0
fi
folders=("$@")
[ ${#folders[@]} -eq 0 ] && mapfile -t folders < <(ls "$models")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OBJCACHE=  # no ccache: the cold figure

echo "== Brevitas exports through step_hw_ipgen with folded_hls_cppsim + node_by_node_rtlsim, $(nproc) cores"
printf "%-32s %6s %12s %10s  %s\n" "model" "nodes" "cold ms" "warm ms" "verification"
for name in "${folders[@]}"; do
  [ -f "$models/$name/dataflow_build_config.json" ] || continue
  dir=$work/$name
  cp -r "$models/$name" "$dir"
  python3 - "$dir/dataflow_build_config.json" <<'EOF'
import json, sys
config = json.load(open(sys.argv[1]))
config.update(output_dir="out", stop_step="step_hw_ipgen")
config["verify_steps"] = config["verify_steps"] + ["folded_hls_cppsim", "node_by_node_rtlsim"]
json.dump(config, open(sys.argv[1], "w"), indent=1)
EOF
  cold=$(time_ms "$finn" build_dataflow "$dir")
  log=$dir/out/build_dataflow.log
  if grep -q "Verification for node_by_node_rtlsim : SUCCESS" "$log" 2>/dev/null &&
     grep -q "Verification for folded_hls_cppsim : SUCCESS" "$log"; then
    warm=$(time_ms "$finn" build_dataflow "$dir")
    result="cppsim SUCCESS, rtlsim SUCCESS"
  else
    warm="-"
    result="FAILED: $(grep -m1 -E 'Error|error|FAIL|failed|no hardware' "$log" 2>/dev/null | cut -c1-110)"
  fi
  nodes=$(grep -c 'hw_ipgen: .*: linted and compiled' "$log" 2>/dev/null || true)
  printf "%-32s %6s %12s %10s  %s\n" "$name" "$nodes" "$cold" "$warm" "$result"
  rm -rf "$dir"
done
