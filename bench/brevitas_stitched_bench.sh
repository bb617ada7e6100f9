#!/usr/bin/env bash
# The stitched accelerator of every real Brevitas export in ../shared/models/brevitas: each
# folder's own configuration continued through step_measure_rtlsim_performance (FIFO sizing with
# largefifo_rtlsim, the stitched IP, stitched_ip_rtlsim, 3 frames), with ccache as installed (the
# node builds are bench/brevitas_rtlsim_bench.sh's figure). Prints the verification, the wall
# time, FIFO sizing's own time and the steady-state throughput against the estimate. The tests
# (Shared/Brevitas*Hardware) verify every export as a stitched design with characterize sizing;
# largefifo_rtlsim's simulated sizing is too heavy for CI on the conv nets.
#
#   bench/brevitas_stitched_bench.sh [build-dir] [model-folder...]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build}
shift || true
finn=$build/tools/finn
models=$root/../shared/models/brevitas
# shellcheck source=bench_lib.sh
source "$root/bench/bench_lib.sh"

if [ ! -d "$models" ]; then
  echo "== Brevitas stitched: not measured - ../shared/models/brevitas is absent"; exit 0
fi
if ! command -v verilator >/dev/null || ! command -v make >/dev/null; then
  echo "== Brevitas stitched: not measured - needs Verilator and make"; exit 0
fi
folders=("$@")
[ ${#folders[@]} -eq 0 ] && mapfile -t folders < <(ls "$models")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== Brevitas exports through step_measure_rtlsim_performance with stitched_ip_rtlsim, $(nproc) cores"
printf "%-30s %10s  %-28s %s\n" "model" "wall ms" "stitched_ip_rtlsim" "FIFO sizing; steady fps / estimate"
for name in "${folders[@]}"; do
  [ -f "$models/$name/dataflow_build_config.json" ] || continue
  dir=$work/$name
  cp -r "$models/$name" "$dir"
  python3 - "$dir/dataflow_build_config.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
config.update(output_dir="out", stop_step="step_measure_rtlsim_performance", rtlsim_batch_size=3,
              verify_save_rtlsim_waveforms=False)
config["generate_outputs"] = ["estimate_reports", "stitched_ip", "rtlsim_performance"]
config["verify_steps"] = ["stitched_ip_rtlsim"]
json.dump(config, open(sys.argv[1], "w"), indent=1)
PY
  ms=$(time_ms "$finn" build_dataflow "$dir")
  log=$dir/out/build_dataflow.log
  if grep -q "Verification for stitched_ip_rtlsim : SUCCESS" "$log" 2>/dev/null &&
     [ -f "$dir/out/report/rtlsim_performance.json" ]; then
    result="SUCCESS"
    perf=$(python3 - "$dir/out" <<'PY'
import json, sys
out = sys.argv[1]
p = json.load(open(out + "/report/rtlsim_performance.json"))
e = json.load(open(out + "/report/estimate_network_performance.json"))
clk = 1000.0 / p["fclk[mhz]"]
fps = (p["N"] - 1) / ((p["cycles"] - p["latency_cycles"]) * clk * 1e-9)
print(f"{fps:.0f} / {e['estimated_throughput_fps']:.0f} = {100 * fps / e['estimated_throughput_fps']:.1f} %")
PY
)
  else
    result="FAILED"
    perf=$(grep -m1 -E 'failed|Error|FAIL' "$log" 2>/dev/null | cut -c1-120)
  fi
  sizing=$(grep -o 'simulated [0-9]* frames.*' "$log" | tail -1 | sed 's/ (.*) in / in /')
  printf "%-30s %10s  %-28s %s; %s\n" "$name" "$ms" "$result" "$sizing" "$perf"
  rm -rf "$dir"
done
