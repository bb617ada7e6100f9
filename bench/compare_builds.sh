#!/usr/bin/env bash
# Two builds of Finn side by side on the same inputs: each step tool's wall time (interleaved runs,
# medians) and, with --instructions, its instruction count under callgrind (deterministic, so a
# loaded machine does not blur it). For "is this change slower?" questions.
#
#   bench/compare_builds.sh <base-build> <new-build> <model.onnx> [runs] [--instructions]
#
# Inputs of each step are the base build's outputs, so both builds see the same bytes; the script
# also says when the two builds' outputs differ.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ $# -ge 3 ] || { echo "usage: $0 <base-build> <new-build> <model.onnx> [runs] [--instructions]" >&2; exit 2; }
base=$1 new=$2 model=$3 runs=${4:-11} instructions=${5:-}
# shellcheck source=bench_lib.sh
source "$root/bench/bench_lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
write_bench_config "$work/config.json"

instructions_of() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | sed -n 's/.*Collected : //p'
}

printf "%-28s %10s %10s %7s" step "base ms" "new ms" ratio
[ "$instructions" = --instructions ] && printf " %14s %14s %7s" "base instr" "new instr" ratio
echo
prev=$model
for step in $BENCH_STEPS; do
  args=(--config "$work/config.json" --output-dir "$work/od")
  "$base/steps/finn-step-$step" --in "$prev" --out "$work/$step.onnx" "${args[@]}" >/dev/null 2>&1 ||
    { echo "$step: the base build fails here; stopping"; break; }
  b=() n=()
  for _ in $(seq "$runs"); do
    b+=("$(time_ms "$base/steps/finn-step-$step" --in "$prev" --out "$work/b.onnx" "${args[@]}")")
    n+=("$(time_ms "$new/steps/finn-step-$step" --in "$prev" --out "$work/n.onnx" "${args[@]}")")
  done
  cmp -s "$work/b.onnx" "$work/n.onnx" || echo "  ($step: the outputs of the two builds differ)"
  mb=$(printf "%s\n" "${b[@]}" | median) mn=$(printf "%s\n" "${n[@]}" | median)
  printf "%-28s %10s %10s %7s" "$step" "$mb" "$mn" "$(awk -v a="$mb" -v c="$mn" 'BEGIN {printf "%.3f", c / a}')"
  if [ "$instructions" = --instructions ]; then
    ib=$(instructions_of "$base/steps/finn-step-$step" --in "$prev" --out "$work/b.onnx" "${args[@]}")
    in=$(instructions_of "$new/steps/finn-step-$step" --in "$prev" --out "$work/n.onnx" "${args[@]}")
    printf " %14s %14s %7s" "$ib" "$in" "$(awk -v a="$ib" -v c="$in" 'BEGIN {printf "%.3f", c / a}')"
  fi
  echo
  prev=$work/$step.onnx
done
