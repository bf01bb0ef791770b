#!/usr/bin/env bash
# Fuzzes every harness of tests/fuzz with AFL++, one after another, at the
# lowest CPU priority, and prints executions, crashes and hangs per harness
# (docs/benchmarks.md, "Fuzzing"). Each starts from the committed seed
# corpus; findings stay under $OUT/<harness>/default/{crashes,hangs}.
#
#   bench/fuzz/run.sh [SECONDS_PER_HARNESS=300] [HARNESS...]
#
# Needs afl++ (apt-get install afl++). Builds build-fuzz (Release, GCC
# coverage hook, AFL++ runtime) first.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-300}
shift || true
HARNESSES=("$@")
if [ ${#HARNESSES[@]} -eq 0 ]; then
  HARNESSES=(scenario events roadef csplib solution plan_json plan_csv job_params http)
fi
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}
OUT=${FUZZ_OUT:-$BUILD/findings}

cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DCOBUILD_FUZZ=ON >/dev/null
targets=()
for h in "${HARNESSES[@]}"; do targets+=("afl_$h"); done
nice -n 19 cmake --build "$BUILD" -j 2 --target "${targets[@]}" >/dev/null

export AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
total=0
crashes_total=0
hangs_total=0
printf '%-12s %12s %10s %8s %6s %6s\n' harness execs execs/s paths crashes hangs
for h in "${HARNESSES[@]}"; do
  rm -rf "${OUT:?}/$h"
  mkdir -p "$OUT/$h"
  # -t: a hang is an input that takes more than 2 s.
  nice -n 19 afl-fuzz -i "tests/fuzz/corpus/$h" -o "$OUT/$h" -t 2000 -V "$SECONDS_EACH" \
    -- "$BUILD/tests/fuzz/afl_$h" >"$OUT/$h.log" 2>&1 || true
  stats="$OUT/$h/default/fuzzer_stats"
  if [ ! -f "$stats" ]; then
    echo "$h: afl-fuzz did not start; see $OUT/$h.log"
    crashes_total=$((crashes_total + 1))
    continue
  fi
  get() { awk -v k="$1" '$1 == k {print $3}' "$stats"; }
  execs=$(get execs_done)
  crashes=$(get saved_crashes)
  hangs=$(get saved_hangs)
  printf '%-12s %12s %10s %8s %6s %6s\n' "$h" "$execs" "$(get execs_per_sec)" "$(get corpus_count)" \
    "$crashes" "$hangs"
  total=$((total + execs))
  crashes_total=$((crashes_total + crashes))
  hangs_total=$((hangs_total + hangs))
done
printf '%-12s %12s %10s %8s %6s %6s\n' total "$total" "" "" "$crashes_total" "$hangs_total"
[ "$crashes_total" -eq 0 ] && [ "$hangs_total" -eq 0 ]
