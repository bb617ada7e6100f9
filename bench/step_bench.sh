#!/usr/bin/env bash
# Step tools (front end, folding and estimates) on FINN's TFC (../shared/models/finn/tfc_w1a1) and on the zoo's CNV-w1a1:
# wall time of each step as a whole process (median of N runs), against the floor of a bare
# load+save of the same model, and each step's peak memory (max RSS).
#
#   bench/step_bench.sh [build-dir] [runs]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build}
runs=${2:-11}
shared=${FINN_SHARED_DIR:-$root/../shared}
steps_dir=$build/steps
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=bench_lib.sh
source "$root/bench/bench_lib.sh"

# peak RSS in MB of one run, from /proc via GNU time when available
peak_mb() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.1f\n", $1/1024}'
  else
    echo "n/a"
  fi
}

bench_model() {
  local label=$1 model=$2
  echo "== $label ($(basename "$model")), $runs runs each, $(nproc) cores"
  printf "%-34s %10s %10s %10s\n" "step" "median ms" "x floor" "peak MB"
  local floor
  floor=$(for _ in $(seq "$runs"); do time_ms "$build/bench/finn-bench-load-save" "$model" "$work/floor.onnx"; done | median)
  printf "%-34s %10s %10s %10s\n" "load+save (floor)" "$floor" "1.00" "$(peak_mb "$build/bench/finn-bench-load-save" "$model" "$work/floor.onnx")"
  local prev=$model total=0
  for step in $BENCH_STEPS; do
    local tool=$steps_dir/finn-step-$step out=$work/$label-$step.onnx
    [ -x "$tool" ] || { printf "%-34s %10s\n" "$step" "(not built)"; continue; }
    if ! "$tool" --in "$prev" --out "$out" --config "$work/config.json" --output-dir "$work/od" >/dev/null 2>"$work/err"; then
      printf "%-34s %s\n" "$step" "failed: $(head -c 160 "$work/err")..."
      break
    fi
    local t
    t=$(for _ in $(seq "$runs"); do time_ms "$tool" --in "$prev" --out "$work/x.onnx" --config "$work/config.json" --output-dir "$work/od"; done | median)
    total=$(awk -v a="$total" -v b="$t" 'BEGIN {printf "%.2f", a + b}')
    printf "%-34s %10s %10s %10s\n" "$step" "$t" "$(awk -v a="$t" -v b="$floor" 'BEGIN {printf "%.2f", a / b}')" \
      "$(peak_mb "$tool" --in "$prev" --out "$work/x.onnx" --config "$work/config.json" --output-dir "$work/od")"
    prev=$out
  done
  printf "%-34s %10s\n" "all steps" "$total"
  # The front end as a user (or Ninja) runs it: six processes one after another, timed as a whole.
  local front
  front=$(for _ in $(seq "$runs"); do time_ms run_front_end "$model"; done | median)
  printf "%-34s %10s\n" "front end, 6 processes in sequence" "$front"
  echo
}

# qonnx_to_finn .. specialize_layers on the model, each step's output the next one's input.
run_front_end() {
  local prev=$1 step
  for step in $FRONT_END_STEPS; do
    "$steps_dir/finn-step-$step" --in "$prev" --out "$work/front-$step.onnx" --config "$work/config.json" \
      --output-dir "$work/od-front" || return 1
    prev=$work/front-$step.onnx
  done
}

write_bench_config "$work/config.json"
if [ -f "$shared/models/finn/tfc_w1a1/model.onnx" ]; then
  bench_model tfc_w1a1 "$shared/models/finn/tfc_w1a1/model.onnx"
else
  echo "(../shared not found: skipping FINN's TFC)"
fi
"$build/tools/finn" zoo cnv_w1a1 -o "$work/cnv_w1a1.onnx" >/dev/null
bench_model cnv_w1a1 "$work/cnv_w1a1.onnx"
