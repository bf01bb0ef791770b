#!/bin/sh
# The deal report's benchmark on the default scenario (docs/benchmarks.md,
# "Deal report"): `cobuild deal` for the JLR-Chery contract, alone and with
# both sweeps (11 fees under participation constraints, 5 rates of the UK
# duty on cars from China), timed end to end with the machine's load.
# Every plan of the report is re-checked by the plan checker: the command
# exits 1 when one fails, and this script fails with it. The sweeps run
# side by side in one go: their points one after another (`--jobs 1`), in
# 2 worker processes (`--jobs 2`) and, when MPIRUN names an `mpirun` and
# cobuild was built with MPI, on 2 ranks (`mpirun -np 2`); the same
# --threads for all three.
#
# SWEEP_SECONDS (default 0.7) is each sweep solve's limit: a fee point starts from
# the fee sweep's start (solved once with PLAN_SECONDS) and should end in under 1 s.
#
#   [MPIRUN=mpirun] bench/deal/run.sh [BUILD_DIR] [PLAN_SECONDS] [SWEEP_SECONDS] [THREADS]
set -eu
build=${1:-build}
plan_s=${2:-10}
sweep_s=${3:-0.7}
threads=${4:-2}
bin="$build/src/cli/cobuild"
[ -x "$bin" ] || bin="$build/cobuild"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

launcher=""
run() {
  name=$1
  shift
  echo "== $name: $launcher $* (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
  start=$(date +%s.%N)
  $launcher "$bin" deal scenarios/uk-2026.yaml --contract jlr-builds-chery --time-limit "$plan_s" --threads "$threads" \
    --format json "$@" > "$out/$name.json"
  end=$(date +%s.%N)
  echo "$name: $(echo "$end - $start" | bc) s wall (load after: $(cut -d' ' -f1-3 /proc/loadavg))"
  python3 - "$out/$name.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
t = r["terms"]
print(f"  plans: with {r['plans']['with']['status']} gap {100*r['plans']['with']['gap']:.2f}%, "
      f"without {r['plans']['without']['status']} gap {100*r['plans']['without']['gap']:.2f}%")
print(f"  zone GBP {t['host_break_even_fee_gbp']:,.0f} to {t['partner_max_fee_gbp']:,.0f}, proposed "
      f"{t['proposed_fee_gbp']:,.0f}; gains at the contract's fee: host {t['host_gain_gbp']/1e6:,.1f}m, "
      f"partner {t['partner_gain_gbp']/1e6:,.1f}m")
fs = r.get("fee_sweep")
if fs:
    st = fs["start"]
    z = st["zone_pv"]
    print(f"  fee sweep's start at {st['fee_gbp']:,.0f}: GBP {st['objective_gbp']/1e6:,.1f}m {st['status']} "
          f"{100*st['gap']:.2f}% in {st['seconds']:.1f} s, cars {st['cars_hosted']:,.0f}"
          + (f", own zone {z['from']:,.0f} to {z['to']:,.0f}" if z else ""))
    secs = [p['seconds'] for p in fs['points']]
    print(f"  fee sweep: {len(fs['points'])} points in {fs['seconds']:.1f} s; a point {min(secs):.2f} to "
          f"{max(secs):.2f} s, mean {sum(secs)/len(secs):.2f} s")
    for p in fs["points"]:
        print(f"    fee {p['fee_gbp']:>8,.0f}: host {p['host_gain_pv_gbp']/1e6:>8,.1f}m partner "
              f"{p['partner_gain_pv_gbp']/1e6:>8,.1f}m cars {p['cars_hosted']:>9,.0f} "
              f"{p['status']} {100*p['gap']:.2f}% {p['seconds']:.1f}s")
ts = r.get("tariff_sweep")
if ts:
    print(f"  tariff sweep: {len(ts['points'])} rates in {ts['seconds']:.1f} s")
    for p in ts["points"]:
        print(f"    rate {p['rate']:.2f}: cars {p['cars']:,.0f} host {p['host_gain_gbp']/1e6:,.1f}m partner "
              f"{p['partner_gain_gbp']/1e6:,.1f}m zone {p['host_break_even_fee_gbp']} to {p['partner_max_fee_gbp']}")
    for c in ts["crossings"]:
        print(f"    the deal {'starts' if c['starts_paying'] else 'stops'} paying for {c['company']} at {c['rate']:.3f}")
PY
}

run report
run sweeps-jobs1 --sweep --sweep-time-limit "$sweep_s" --jobs 1
run sweeps-jobs2 --sweep --sweep-time-limit "$sweep_s" --jobs 2
if [ -n "${MPIRUN:-}" ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl=self,vader
  launcher="$MPIRUN -np 2"
  run sweeps-mpi2 --sweep --sweep-time-limit "$sweep_s"
fi
