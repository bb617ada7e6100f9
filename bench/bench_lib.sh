# Helpers shared by the benchmark scripts (sourced, not run).

# A "." decimal point in EPOCHREALTIME and awk, whatever the caller's locale.
export LC_ALL=C

# The median of the numbers on stdin.
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# Milliseconds of wall time of one run of the command in "$@" (its output discarded). Bash's own
# clock (EPOCHREALTIME) is read right before and after, so no helper process is timed with it.
time_ms() {
  local t0 t1
  t0=$EPOCHREALTIME; "$@" >/dev/null 2>&1; t1=$EPOCHREALTIME
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f\n", (b - a) * 1000}'
}

# The step tools the step benchmarks time: every implemented step in flow order, read from the one
# list of steps (steps/builtin_steps.def); the first six are the front end.
BENCH_STEPS=$(sed -n 's/^FINN_STEP(\(.*\))$/\1/p' "$(dirname "${BASH_SOURCE[0]}")/../steps/builtin_steps.def" |
              tr '_\n' '- ')
FRONT_END_STEPS=$(echo "$BENCH_STEPS" | cut -d' ' -f1-6)

# Writes the build configuration the step benchmarks run with to "$1": target_fps high enough that
# SetFolding has real work on every benchmarked network, estimate reports requested.
write_bench_config() {
  cat > "$1" <<'JSON'
{"fpga_part": "xc7z020clg400-1", "synth_clk_period_ns": 10.0, "target_fps": 100000,
 "generate_outputs": ["estimate_reports"]}
JSON
}
