#!/usr/bin/env bash
# Golden outputs of the flow: runs `finn build_dataflow` of one build on every model Finn knows
# (the zoo, and every model under ../shared/models) and keeps every deterministic output with a
# sorted SHA256SUMS manifest, so that two builds are compared file by file:
#
#   bash bench/golden_outputs.sh <build-dir> <out-dir>      # <out-dir> must not exist or be empty
#   diff base/SHA256SUMS new/SHA256SUMS                      # then `cmp` the files it names
#
# Cases (each a simple-mode folder built in a scratch directory, never in ../shared):
# - zoo/<name>/…: every `finn zoo --list` model (seed 0; CNV-w1a1 also at --width 2), written with
#   its input and the executor's expected output (`finn exec`; both kept in inputs/), built with
#   two configurations: `fps100000` (xc7z020, 10 ns, target_fps 100000, verification after
#   qonnx_to_finn, tidy_up and streamline) and `fps1000_w4` (ZCU104, 5 ns, target_fps 1000,
#   mvau_wwidth_max 4, standalone_thresholds: SetFolding's SIMD cap and second pass, standalone
#   Thresholding layers, another part). Both stop at step_generate_estimate_reports.
# - shared/<folder>/…: every folder of ../shared/models with a dataflow_build_config.json, with
#   its own configuration (finn/tfc_w1a1 asks for the hardware flow and stops where Finn does).
# - shared/<model>/…: every other .onnx under ../shared/models with the `fps100000`
#   configuration, as far as the flow goes; verification where an input exists beside the model
#   (input.npy, input_0.pb or test_data_set_0/input_0.pb, converted to inputs/input.npy), against
#   the executor's output of the source model (inputs/expected_output.npy).
#
# Kept per case: the whole output_dir (intermediate_models/ with supported_op_partitions/ and
# dataflow_parent.onnx, report/ with index.html, auto_folding_config.json, final_hw_config.json,
# template_specialize_layers_config.json, verification_output/) except what holds times or
# absolute paths: time_per_step.json (step times), build_dataflow.log (a time stamp on every
# line) and .finn/ (the generated CMake project, Ninja files, configure.log and the per-step
# config slices hold absolute paths; .finn/step_times/ holds times). Instead of the log, each case
# has `build_dataflow.log.txt` (the log without time stamps; paths replaced by <case>, <work>,
# <build>, <shared>) and `status.txt` (exit code of build_dataflow, the steps run, and on failure
# the error lines with the same placeholders). `STATUS` has one line per case: exit code and the
# last step run, or the step that failed.
# The console output of build_dataflow is not kept: besides absolute paths it shows the Ninja
# command lines of the generated project, which are not an output of the flow.
# Nothing else kept holds a time or a path: the parent model names its partition by a path
# relative to intermediate_models/, reports and configs hold none (checked with grep on a full run,
# and two runs in different folders give the same SHA256SUMS). A kept file holding the scratch,
# build or shared path is an error (listed on stderr, exit 1).
set -Eeuo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ $# -ne 2 ]; then
  echo "usage: bash bench/golden_outputs.sh <build-dir> <out-dir>" >&2
  exit 2
fi
build=$(cd "$1" && pwd -P)
out=$2
finn=$build/tools/finn
shared=$(cd "${FINN_SHARED_DIR:-$root/../shared}" && pwd -P)
# shellcheck source=bench_lib.sh
source "$root/bench/bench_lib.sh"

[ -x "$finn" ] || { echo "golden_outputs: $finn not found; build Finn first" >&2; exit 1; }
if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
  echo "golden_outputs: $out is not empty; give a new folder" >&2
  exit 1
fi
mkdir -p "$out"
out=$(cd "$out" && pwd -P)
# Scratch beside the outputs (same file system: kept files are moved, not copied).
work=$(mktemp -d "$out/.scratch.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'echo "golden_outputs: command failed at line $LINENO" >&2' ERR
leaks=0
start=$EPOCHREALTIME

# The configurations; write_config <file> fps100000|fps1000_w4 [verify].
write_config() {
  local verify=
  if [ "${3:-}" = verify ]; then
    verify='"verify_steps": ["finn_onnx_python", "initial_python", "streamlined_python"],
 "verify_input_npy": "input.npy", "verify_expected_output_npy": "expected_output.npy",'
  fi
  case $2 in
    fps100000) cat > "$1" <<JSON
{"output_dir": "output", "fpga_part": "xc7z020clg400-1", "synth_clk_period_ns": 10.0,
 "target_fps": 100000, $verify
 "generate_outputs": ["estimate_reports"], "stop_step": "step_generate_estimate_reports"}
JSON
    ;;
    fps1000_w4) cat > "$1" <<JSON
{"output_dir": "output", "board": "ZCU104", "shell_flow_type": "vivado_zynq",
 "synth_clk_period_ns": 5.0, "target_fps": 1000, "mvau_wwidth_max": 4,
 "standalone_thresholds": true, $verify
 "generate_outputs": ["estimate_reports"], "stop_step": "step_generate_estimate_reports"}
JSON
    ;;
  esac
}

# stdin to stdout with the absolute paths of this run replaced by placeholders ($1: case folder).
sanitize() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line//"$1"/<case>}
    line=${line//"$work"/<work>}
    line=${line//"$build"/<build>}
    line=${line//"$shared"/<shared>}
    printf '%s\n' "$line"
  done
}

# build_case <case id> <folder>: builds the folder and keeps its outputs in $out/<case id>.
build_case() {
  local id=$1 dir=$2 dest=$out/$1 rc=0 t0 od
  t0=$EPOCHREALTIME
  mkdir -p "$dest"
  "$finn" build_dataflow "$dir" >"$work/console.txt" 2>&1 || rc=$?
  od=$("$finn" config "$dir"/dataflow_build_config.json |
       sed -n 's/^  "output_dir": "\(.*\)",\{0,1\}$/\1/p' || true)
  case $od in /*) ;; *) od=$dir/$od ;; esac
  {
    echo "exit $rc"
    grep '^Running step: ' "$work/console.txt" || true
    if [ "$rc" -ne 0 ]; then
      # The one-line errors of the step tools, the generated project and the finn command.
      grep -E '^(step_[a-z_]+|Finn|finn|CMake Error)[: ]' "$work/console.txt" |
        sed 's/^/error: /' || echo "error: (no error line; last line) $(tail -1 "$work/console.txt")"
    fi
  } | sanitize "$dir" > "$dest/status.txt"
  if [ -d "$od" ]; then
    (cd "$od" && find . -type f ! -path './.finn/*' ! -name time_per_step.json \
                       ! -name build_dataflow.log -printf '%P\n') |
      while IFS= read -r f; do
        mkdir -p "$(dirname "$dest/output/$f")"
        mv "$od/$f" "$dest/output/$f"
      done
    if [ -f "$od/build_dataflow.log" ]; then
      sed 's/^\[[0-9]\{4\}-[0-9-]* [0-9:,]*\] //' "$od/build_dataflow.log" |
        sanitize "$dir" > "$dest/build_dataflow.log.txt"
    fi
  fi
  if [ -d "$dest/output" ]; then
    local leaked
    leaked=$(grep -rlF -e "$work" -e "$build" -e "$shared" "$dest/output" || true)
    if [ -n "$leaked" ]; then
      echo "golden_outputs: absolute path in kept output: $leaked" >&2
      leaks=1
    fi
  fi
  # One line per case for STATUS and the console: the last step run, or the step that failed.
  local last failed summary
  last=$(grep '^Running step: ' "$dest/status.txt" | tail -1 | sed 's/^Running step: //')
  failed=$(grep -m1 '^error: ' "$dest/status.txt" |
           sed -n 's/^error: \(Finn: \)\{0,1\}\(step_[a-z_]*\).*/\2/p' || true)
  if [ "$rc" -eq 0 ]; then
    summary="done after ${last:-no step}"
  else
    summary="failed in ${failed:-${last:-configuration}}"
  fi
  printf '%-52s exit %s  %-46s %6.1f s\n' "$id" "$rc" "$summary" \
    "$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {print b - a}')"
  printf '%s: exit %s, %s\n' "$id" "$rc" "$summary" >> "$out/STATUS"
}

# 1. The zoo.
zoo_case() { # <name> <width>
  local name=$1 width=$2 id=zoo/$1 src
  [ "$width" = 1 ] || id=zoo/${name}_width$width
  src=$out/$id/inputs
  mkdir -p "$src"
  "$finn" zoo "$name" --seed 0 --width "$width" -o "$src/model.onnx" --input-npy "$src/input.npy" \
    >/dev/null
  "$finn" exec "$src/model.onnx" --input "$src/input.npy" --output "$src/expected_output.npy" \
    >/dev/null
  local config dir
  for config in fps100000 fps1000_w4; do
    dir=$work/$id/$config
    mkdir -p "$dir"
    cp "$src"/*.onnx "$src"/*.npy "$dir/"
    if [ "$config" = fps100000 ]; then
      write_config "$dir/dataflow_build_config.json" "$config" verify
    else
      write_config "$dir/dataflow_build_config.json" "$config"
    fi
    build_case "$id/$config" "$dir"
  done
}
for name in $("$finn" zoo --list); do
  zoo_case "$name" 1
done
zoo_case cnv_w1a1 2

# 2. The simple-mode folders of ../shared/models.
while IFS= read -r config; do
  folder=$(dirname "$config")
  id=shared/${folder#"$shared/models/"}
  mkdir -p "$work/$id"
  cp -r "$folder"/. "$work/$id/"
  build_case "$id" "$work/$id"
done < <(find "$shared/models" -name dataflow_build_config.json | sort)

# 3. Every other model: the fps100000 flow, verified when an input lies beside it.
while IFS= read -r model; do
  folder=$(dirname "$model")
  [ -f "$folder/dataflow_build_config.json" ] && continue
  rel=${model#"$shared/models/"}
  id=shared/${rel%.onnx}
  dir=$work/$id
  mkdir -p "$dir"
  cp "$model" "$dir/model.onnx"
  input=
  for candidate in "$folder/input.npy" "$folder/input_0.pb" "$folder/test_data_set_0/input_0.pb"; do
    if [ -f "$candidate" ]; then input=$candidate; break; fi
  done
  verify=
  if [ -n "$input" ]; then
    src=$out/$id/inputs
    mkdir -p "$src" "$work/dump"
    dump=(--dump-dir "$work/dump")
    case $input in *.npy) cp "$input" "$src/input.npy"; dump=() ;; esac
    # A .pb input becomes .npy through --dump-dir, which writes every tensor (inputs too).
    if "$finn" exec "$dir/model.onnx" --input "$input" --output "$src/expected_output.npy" \
         "${dump[@]}" >/dev/null 2>"$work/exec.err"; then
      if [ ! -f "$src/input.npy" ]; then
        in_name=$("$finn" inspect "$dir/model.onnx" --json |
                  awk '/^  "inputs": \[/ && !done {getline; gsub(/[ ",]/, ""); print; done = 1}')
        cp "$work/dump/${in_name//[\/:]/_}.npy" "$src/input.npy"
      fi
      cp "$src/input.npy" "$src/expected_output.npy" "$dir/"
      verify=verify
    else
      { echo "no verification: finn exec of the source model failed:"; cat "$work/exec.err"; } |
        sanitize "$dir" > "$src/exec_status.txt"
    fi
    rm -rf "$work/dump"
  fi
  write_config "$dir/dataflow_build_config.json" fps100000 $verify
  build_case "$id" "$dir"
done < <(find "$shared/models" -name '*.onnx' | sort)

rm -rf "$work"
# The manifest: every kept file but itself, by path.
(cd "$out" && find . -type f ! -name SHA256SUMS -printf '%P\n' | sort |
   xargs -d '\n' sha256sum) > "$out/SHA256SUMS"
echo "$(wc -l < "$out/SHA256SUMS") files in $out/SHA256SUMS;" \
  "$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.0f", b - a}') s"
exit "$leaks"
