#!/usr/bin/env bash
# libFuzzer run of the four parser targets in fuzz/ (model loader + shape inference, build config,
# folding config, .npy): configures and builds an instrumented clang build (FINN_BUILD_FUZZERS=ON,
# ASan+UBSan), assembles seed corpora, runs each fuzzer for a fixed time and prints one table row
# per target. Seeds, corpora and findings stay under <build-dir>/fuzz/, never in git.
#
#   bench/fuzz.sh [seconds-per-target] [build-dir]      (defaults: 60, build-fuzz)
#
# A finding is a crash-/leak-/timeout-/oom- file in <build-dir>/fuzz/findings/<target>/; replay
# one with <build-dir>/fuzz/finn_<target>_fuzzer <file>.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-60}
build=${2:-build-fuzz}
case $build in /*) ;; *) build=$root/$build ;; esac
shared=${FINN_SHARED_DIR:-$root/../shared}
[ -d "$shared" ] && shared=$(cd "$shared" && pwd)
targets=(model config attribute_config npy)
work=$build/fuzz

# --- build (nice -j1: the machine is shared) ------------------------------------------------------
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DFINN_BUILD_FUZZERS=ON >/dev/null
nice -n 10 cmake --build "$build" -j1 --target finn_fuzzers finn_cli

# --- seed corpora ---------------------------------------------------------------------------------
seeds=$work/seeds
for t in "${targets[@]}"; do mkdir -p "$seeds/$t" "$work/corpus/$t" "$work/findings/$t"; done
# Copies files to a seed folder under names that keep their origin readable and unique.
add_seeds() {
  local dest=$1 f name
  shift
  for f in "$@"; do
    name=${f#"$root"/}
    name=${name#"$shared"/}
    [ -f "$f" ] && cp "$f" "$dest/$(echo "$name" | tr '/' '_')"
  done
  return 0
}
shopt -s globstar nullglob
if [ -d "$shared/models" ]; then
  add_seeds "$seeds/model" "$shared"/models/**/*.onnx
  add_seeds "$seeds/npy" "$shared"/models/**/*.npy
  add_seeds "$seeds/attribute_config" "$shared"/models/**/*folding*.json \
    "$shared"/models/**/*specialize*.json
  add_seeds "$seeds/config" "$shared"/models/**/*build_config*.json
fi
add_seeds "$seeds/config" "$root"/examples/**/*.json "$root"/tests/**/*.json
add_seeds "$seeds/attribute_config" "$root"/examples/**/*folding*.json \
  "$root"/examples/**/*specialize*.json
# YAML forms of both config kinds (the repo keeps none as files).
cat >"$seeds/config/build.yaml" <<'EOF'
output_dir: out
synth_clk_period_ns: 10.0
generate_outputs: [estimate_reports, stitched_ip]
board: Pynq-Z1
shell_flow_type: vivado_zynq
target_fps: 100000
verify_steps: [initial_python, folded_hls_cppsim]
steps: [step_qonnx_to_finn, step_tidy_up]
signature: [0xffff, 1]
EOF
cat >"$seeds/attribute_config/folding.yaml" <<'EOF'
Defaults:
  ram_style: [distributed, [MVAU_hls]]
  PE: [1, all]
MVAU_0: {PE: 2, SIMD: 4, mem_mode: internal_decoupled}
Thresholding_0: {PE: 4}
EOF
# Zoo models and their inputs, written by this build's own `finn zoo` (same name and seed, same
# bytes, so files from an earlier run are kept: the sanitized CLI is slow on the CNVs).
finn=$build/tools/finn
zoo_names=$("$finn" zoo --list)
for name in $zoo_names; do
  [ -f "$seeds/model/zoo_$name.onnx" ] && [ -f "$seeds/npy/zoo_$name.npy" ] && continue
  "$finn" zoo "$name" --seed 1 -o "$seeds/model/zoo_$name.onnx" \
    --input-npy "$seeds/npy/zoo_$name.npy" >/dev/null
done

# --- fuzz -----------------------------------------------------------------------------------------
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
rows=()
for t in "${targets[@]}"; do
  log=$work/$t.log
  touch "$work/$t.start" # findings of earlier runs stay, but only this run's are counted
  echo "fuzzing $t for ${seconds}s ..." >&2
  # The first folder collects new inputs; the seeds folder is read only. A crash stops the run
  # early, which the findings column then shows.
  "$build/fuzz/finn_${t}_fuzzer" "$work/corpus/$t" "$seeds/$t" -max_total_time="$seconds" \
    -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$work/findings/$t/" >"$log" 2>&1 || true
  execs=$(awk '/stat::number_of_executed_units/ {print $NF}' "$log" | tail -1)
  rate=$(awk '/stat::average_exec_per_sec/ {print $NF}' "$log" | tail -1)
  corpus=$(find "$work/corpus/$t" -type f | wc -l)
  findings=$(find "$work/findings/$t" -type f -newer "$work/$t.start" \
    \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  rows+=("$t ${execs:-?} ${rate:-?} $corpus $findings")
done

printf '\n%-18s %12s %8s %8s %9s\n' target executions exec/s corpus findings
for r in "${rows[@]}"; do
  # shellcheck disable=SC2086
  printf '%-18s %12s %8s %8s %9s\n' $r
done
echo "logs, corpora and findings: $work" >&2
