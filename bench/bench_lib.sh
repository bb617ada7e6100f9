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
