#!/usr/bin/env bash
# The scale-out benchmark (never run by ctest): 200 risk draws of the default
# scenario with 1 and 2 solvers, as worker processes and as MPI ranks, each
# with its wall and CPU time, the per-draw times of the MPI runs
# (COBUILD_SCALE_TRACE) and rank 0's capacity (scale_bench); then the
# scaling model for 100,000 draws on 64, 256 and 1,024 ranks.
# Usage: bench/scale/risk_scaling.sh BUILD_DIR OUT_DIR [DRAWS]
set -euo pipefail
build=$1
out=$2
draws=${3:-200}
mkdir -p "$out"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl=self,vader
cobuild=$build/cobuild
scenario=scenarios/uk-2026.yaml
[ -f "$out/plan/plan.json" ] || "$cobuild" plan "$scenario" --out "$out/plan" >/dev/null
risk=(risk "$scenario" --baseline "$out/plan/plan.json" --samples "$draws" --seed 1 --format json)
run() {  # run NAME COMMAND...
  local name=$1
  shift
  uptime | sed "s/^/$name: before: /"
  /usr/bin/time -f "$name: wall %e s, user %U s, system %S s, peak RSS %M KB, page faults %R" "$@" >"$out/$name.json" 2>"$out/$name.err" || true
  tail -1 "$out/$name.err"
}
run processes-1 "$cobuild" "${risk[@]}" --threads 1
run processes-2 "$cobuild" "${risk[@]}" --threads 2
COBUILD_SCALE_TRACE=$out/trace-1.txt run mpi-1 mpirun -np 1 -x COBUILD_SCALE_TRACE "$cobuild" "${risk[@]}" --threads 1
COBUILD_SCALE_TRACE=$out/trace-2.txt run mpi-2 mpirun -np 2 --oversubscribe -x COBUILD_SCALE_TRACE "$cobuild" "${risk[@]}"
for name in processes-2 mpi-1 mpi-2; do
  if cmp -s "$out/processes-1.json" "$out/$name.json"; then echo "$name: output identical to processes-1"
  else echo "$name: output DIFFERS from processes-1"; fi
done
for t in 1 2; do
  # items, ranks, wall and the scheduling thread's CPU seconds (scheduler_cpu)
  [ -f "$out/trace-$t.txt" ] && head -1 "$out/trace-$t.txt" | sed "s/^/mpi-$t: /"
  echo "mpi-$t: draws per rank: $(grep -v '^#' "$out/trace-$t.txt" | awk '{n[$2]++} END {for (r in n) printf "rank %s %d, ", r, n[r]}')"
done
if [ -x "$build/bench/scale/scale_bench" ]; then
  # Lower bounds on rank 0's capacity (each echo rank is bounded by its 1 ms poll).
  for np in 3 9; do
    mpirun -np "$np" --oversubscribe "$build/bench/scale/scale_bench" 20000 | tee -a "$out/capacity.txt"
  done
fi
