# Helpers shared by the benchmark scripts (sourced, not run).

# The median of the numbers on stdin.
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# Milliseconds of wall time of one run of the command in "$@" (its output discarded).
time_ms() {
  local t0 t1
  t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
  awk -v d=$((t1 - t0)) 'BEGIN {printf "%.2f\n", d / 1e6}'
}
