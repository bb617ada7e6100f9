#!/usr/bin/env bash
# Rebuild cost of the simple-mode TFC example (examples/tfc_w1a1 with the zoo's TFC-w1a1):
# wall time of `finn build_dataflow` for a clean build (--clean), a no-op rebuild, and a rebuild
# after editing the folding config, with the number of steps each ran (median of N runs).
#
#   bench/rebuild_bench.sh [build-dir] [runs]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build}
runs=${2:-7}
finn=$build/tools/finn
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=bench_lib.sh
source "$root/bench/bench_lib.sh"


cp "$root"/examples/tfc_w1a1/*.json "$work/"
"$finn" zoo tfc_w1a1 --seed 0 -o "$work/model.onnx" --input-npy "$work/input.npy" >/dev/null
"$finn" exec "$work/model.onnx" --input "$work/input.npy" --output "$work/expected_output.npy" >/dev/null

# One build: prints "<ms> <steps run>".
build_once() {
  local t0 t1 log
  log=$work/last.log
  t0=$(date +%s%N)
  "$finn" build_dataflow "$work" "$@" >"$log" 2>&1 || { cat "$log"; exit 1; }
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000000 )) $(grep -c 'Running step:' "$log" || true)"
}

# The folding edit: MVAU_hls_1's PE between 8 and 4 (both divide MH = 64).
toggle_folding() {
  if grep -q '"MVAU_hls_1": {"PE": 8' "$work/folding_config.json"; then
    sed -i 's/"MVAU_hls_1": {"PE": 8/"MVAU_hls_1": {"PE": 4/' "$work/folding_config.json"
  else
    sed -i 's/"MVAU_hls_1": {"PE": 4/"MVAU_hls_1": {"PE": 8/' "$work/folding_config.json"
  fi
}

build_once >/dev/null # configure once
declare -A ms steps
for _ in $(seq "$runs"); do
  read -r t s < <(build_once --clean); ms[clean]+="$t "; steps[clean]=$s
  read -r t s < <(build_once); ms[noop]+="$t "; steps[noop]=$s
  toggle_folding
  read -r t s < <(build_once); ms[folding]+="$t "; steps[folding]=$s
done

echo "== simple-mode TFC example (finn build_dataflow), $runs runs each, $(nproc) cores"
echo "   flow: $(grep -o '"stop_step": *"[a-z_]*"' "$work/dataflow_build_config.json")"
printf "%-26s %10s %11s\n" "build" "median ms" "steps run"
for kind in clean noop folding; do
  label=$kind
  [ "$kind" = noop ] && label="no-op rebuild"
  [ "$kind" = folding ] && label="folding-config edit"
  [ "$kind" = clean ] && label="clean build (--clean)"
  printf "%-26s %10s %11s\n" "$label" "$(echo "${ms[$kind]}" | tr ' ' '\n' | grep . | median)" "${steps[$kind]}"
done
