#!/usr/bin/env bash
# The stitched accelerator of FINN's TFC-w1a1 folder (../shared/models/finn/tfc_w1a1, its folding
# config) and, with --cnv, of the zoo's CNV-w1a1: a clean `finn build_dataflow` through
# step_measure_rtlsim_performance with ccache off, a no-op rebuild and a rebuild after one layer's
# PE changed (TFC); FIFO sizing's own time (largefifo_rtlsim: simulation, and the Verilator build
# of its design; characterize: the transaction models and DeriveFIFOSizes) from the build log;
# the stitched simulation's speed in simulated cycles per second against a bare eval() loop of
# the same model (the harness overhead).
#
#   bench/stitched_bench.sh [build-dir] [runs] [--cnv]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
runs=${2:-3}
cnv=${3:-}
finn=$build/tools/finn
tfc=$root/../shared/models/finn/tfc_w1a1
# shellcheck source=bench_lib.sh
source "$root/bench/bench_lib.sh"

if [ ! -d "$tfc" ]; then
  echo "== stitched TFC: not measured - ../shared/models/finn/tfc_w1a1 is absent"; exit 0
fi
if ! command -v verilator >/dev/null || ! command -v make >/dev/null; then
  echo "== stitched TFC: not measured - needs Verilator and make"; exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# configure <folder> <model source folder or "zoo:<name>">: a folder building through
# step_measure_rtlsim_performance without waveforms (they would slow the simulation).
configure() {
  local dir=$1 source=$2
  mkdir -p "$dir"
  if [ "${source#zoo:}" != "$source" ]; then
    (cd "$dir" && "$finn" zoo "${source#zoo:}" -o model.onnx >/dev/null)
    cat >"$dir/dataflow_build_config.json" <<'JSON'
{"output_dir": "out", "fpga_part": "xc7z020clg400-1", "synth_clk_period_ns": 10.0,
 "target_fps": 5000, "generate_outputs": ["estimate_reports", "stitched_ip", "rtlsim_performance"],
 "stop_step": "step_measure_rtlsim_performance", "rtlsim_batch_size": 4}
JSON
  else
    cp "$source"/{model.onnx,input.npy,expected_output.npy,folding_config.json,specialize_layers_config.json} "$dir/"
    python3 - "$source/dataflow_build_config.json" "$dir/dataflow_build_config.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
config.update(output_dir="out", stop_step="step_measure_rtlsim_performance",
              generate_outputs=["estimate_reports", "stitched_ip", "rtlsim_performance"],
              specialize_layers_config_file="specialize_layers_config.json",
              verify_save_rtlsim_waveforms=False, force_python_rtlsim=False,
              rtlsim_batch_size=100)
json.dump(config, open(sys.argv[2], "w"), indent=1)
PY
  fi
}

build_ms() {
  local dir=$1 ms
  ms=$(time_ms "$finn" build_dataflow "$dir")
  [ -f "$dir/out/report/rtlsim_performance.json" ] ||
    { echo "stitched_bench: the build of $dir failed" >&2; tail -20 "$dir/out/build_dataflow.log" >&2; exit 1; }
  echo "$ms"
}

# FIFO sizing's log line: "set_fifo_depths: largefifo_rtlsim: ... in <s> s (Verilator build <s> s)"
sizing_line() { grep -o 'largefifo_rtlsim: .*' "$1/out/build_dataflow.log" | tail -1; }

# The same folder rebuilt with auto_fifo_strategy characterize: the transaction models' time and
# DeriveFIFOSizes' from the log ("characterized ... in <s> s", "derived the FIFO depths in <s> s").
characterize_line() {
  local dir=$1
  python3 - "$dir/dataflow_build_config.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
config.update(auto_fifo_depths=True, auto_fifo_strategy="characterize")
json.dump(config, open(sys.argv[1], "w"), indent=1)
PY
  build_ms "$dir" >/dev/null
  grep -o 'characterized .*\|derived the FIFO depths in .*' "$dir/out/build_dataflow.log" | tail -2 | tr '\n' ';'
}

declare -A ms
for _ in $(seq "$runs"); do
  rm -rf "$work/tfc"
  configure "$work/tfc" "$tfc"
  ms[clean]+="$(OBJCACHE= build_ms "$work/tfc") "
  sizing=$(sizing_line "$work/tfc")
  ms[noop]+="$(build_ms "$work/tfc") "
  python3 - "$work/tfc/folding_config.json" <<'PY'
import json, sys
folding = json.load(open(sys.argv[1]))
folding["MVAU_hls_1"]["PE"] = 4 if folding["MVAU_hls_1"]["PE"] == 8 else 8
json.dump(folding, open(sys.argv[1], "w"), indent=1)
PY
  ms[pe]+="$(OBJCACHE= build_ms "$work/tfc") "
done

echo "== FINN's TFC-w1a1 through step_measure_rtlsim_performance (finn build_dataflow, no ccache), $runs runs, $(nproc) cores"
printf "%-40s %10s\n" "build" "median ms"
printf "%-40s %10s\n" "clean build" "$(echo "${ms[clean]}" | tr ' ' '\n' | grep . | median)"
printf "%-40s %10s\n" "no-op rebuild" "$(echo "${ms[noop]}" | tr ' ' '\n' | grep . | median)"
printf "%-40s %10s\n" "MVAU_hls_1 PE edit" "$(echo "${ms[pe]}" | tr ' ' '\n' | grep . | median)"
echo "FIFO sizing (last clean build): $sizing"
echo "rtlsim_performance.json: $(tr -d '\n ' <"$work/tfc/out/report/rtlsim_performance.json")"
"$root/bench/stitched_speed.py" "$work/tfc/out" 20000 "$runs"
echo "FIFO sizing by characterize: $(characterize_line "$work/tfc")"

if [ "$cnv" = "--cnv" ]; then
  configure "$work/cnv" zoo:cnv_w1a1
  cnv_ms=$(OBJCACHE= build_ms "$work/cnv")
  echo "== zoo CNV-w1a1 (target_fps 5000) through step_measure_rtlsim_performance, one clean build, no ccache: $cnv_ms ms"
  echo "FIFO sizing: $(sizing_line "$work/cnv")"
  echo "rtlsim_performance.json: $(tr -d '\n ' <"$work/cnv/out/report/rtlsim_performance.json")"
  "$root/bench/stitched_speed.py" "$work/cnv/out" 20 "$runs"
  echo "FIFO sizing by characterize: $(characterize_line "$work/cnv")"
fi
