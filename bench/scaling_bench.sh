#!/usr/bin/env bash
# How each step's time grows with model size: the zoo's CNV-w1a1 at width 1, 2 and 4 (`finn zoo
# --width`), i.e. about 1x, 4x and 16x the parameters. Prints each step's median wall time per
# size and the ratio of the 16x time to the 1x time (16 would be linear in the parameters).
#
#   bench/scaling_bench.sh [build-dir] [runs]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build}
runs=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=bench_lib.sh
source "$root/bench/bench_lib.sh"

write_bench_config "$work/config.json"
declare -A ms
for width in 1 2 4; do
  "$build/tools/finn" zoo cnv_w1a1 --width "$width" -o "$work/w$width.onnx" >/dev/null
  ms[load-save,$width]=$(for _ in $(seq "$runs"); do
    time_ms "$build/bench/finn-bench-load-save" "$work/w$width.onnx" "$work/floor.onnx"; done | median)
  prev=$work/w$width.onnx
  for step in $BENCH_STEPS; do
    out=$work/w$width-$step.onnx
    "$build/steps/finn-step-$step" --in "$prev" --out "$out" --config "$work/config.json" \
      --output-dir "$work/od$width" >/dev/null
    ms[$step,$width]=$(for _ in $(seq "$runs"); do
      time_ms "$build/steps/finn-step-$step" --in "$prev" --out "$work/x.onnx" \
        --config "$work/config.json" --output-dir "$work/od$width"; done | median)
    prev=$out
  done
done

echo "== scaling: cnv_w1a1 at 1x / 4x / 16x parameters (--width 1/2/4), median of $runs runs, $(nproc) cores"
printf "%-30s %10s %10s %10s %9s\n" "step" "1x ms" "4x ms" "16x ms" "16x/1x"
for step in load-save $BENCH_STEPS; do
  printf "%-30s %10s %10s %10s %9s\n" "$step" "${ms[$step,1]}" "${ms[$step,2]}" "${ms[$step,4]}" \
    "$(awk -v a="${ms[$step,4]}" -v b="${ms[$step,1]}" 'BEGIN {printf "%.1f", a / b}')"
done
