#!/usr/bin/env bash
# cobuild's planner against plain CBC (Debian's `cbc` command line on the
# model cobuild writes with --write-mps), side by side in one run, on the
# default scenario and the generated S, M and L networks, at each time limit
# given (default 10 and 60 s). One solve at a time; prints one Markdown row
# per solve with wall and CPU seconds and the machine's load before it.
#
#   bench/planning/vs_cbc.sh build/cobuild [LIMITS...] [--only NAME]
#
# cobuild's objective is the plan's (contribution less penalties, maximised)
# with its proven bound; CBC's is read from its log, negated (the MPS
# minimises minus the contribution), with its best possible value as bound.
# Not part of ctest (docs/benchmarks.md, "Planner against plain CBC").
set -euo pipefail
cobuild=${1:?usage: vs_cbc.sh path/to/cobuild [limits...] [--only NAME]}
shift
limits=()
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only=$2; shift 2 ;;
    *) limits+=("$1"); shift ;;
  esac
done
[ ${#limits[@]} -eq 0 ] && limits=(10 60)
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$cobuild" generate --plants 4 --lines 8 --models 30 --markets 4 --months 36 --seed 1 --out "$work/S.yaml"
"$cobuild" generate --plants 10 --lines 20 --models 100 --markets 6 --months 36 --seed 1 --out "$work/M.yaml"
"$cobuild" generate --plants 30 --lines 60 --models 300 --markets 8 --months 36 --seed 1 --out "$work/L.yaml"
cp "$here/scenarios/uk-2026.yaml" "$work/default.yaml"

load() { cut -d' ' -f1 /proc/loadavg; }
# Wall and CPU (user + system) seconds of a command, into $wall and $cpu.
timed() {
  local t0 t1 c0 c1
  t0=$(date +%s.%N)
  c0=$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)
  "$@"
  t1=$(date +%s.%N)
  c1=$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)
  wall=$(echo "$t1 - $t0" | bc -l)
  cpu=$(echo "($c1 - $c0) / $(getconf CLK_TCK)" | bc -l)
}

echo "| instance | limit s | solver | wall s | CPU s | objective GBP | bound GBP | gap | stopped by | load before |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for name in default S M L; do
  [ -n "$only" ] && [ "$only" != "$name" ] && continue
  "$cobuild" plan "$work/$name.yaml" --write-mps "$work/$name.mps" --write-only
  for limit in "${limits[@]}"; do
    l=$(load)
    timed "$cobuild" plan "$work/$name.yaml" --time-limit "$limit" --format json >"$work/plan.json" 2>/dev/null || true
    python3 -c '
import json, sys
try:
    j = json.load(open(sys.argv[1]))
    s = j.get("stats", {})
    if j.get("status") not in ("optimal", "feasible"):
        raise ValueError(j.get("status"))
    print("| %s | %s | cobuild | %.1f | %.1f | %sm | %sm | %.2f%% | %s | %s |" % (sys.argv[2], sys.argv[3],
          float(sys.argv[4]), float(sys.argv[5]), format(j["objective_gbp"] / 1e6, ",.1f"),
          format(j["bound_gbp"] / 1e6, ",.1f"), 100 * j["gap"], s.get("stop_rule", "-"), sys.argv[6]))
except Exception as e:
    print("| %s | %s | cobuild | %.1f | %.1f | no plan (%s) | - | - | - | %s |" % (sys.argv[2], sys.argv[3],
          float(sys.argv[4]), float(sys.argv[5]), e, sys.argv[6]))' "$work/plan.json" "$name" "$limit" "$wall" "$cpu" "$l"
    l=$(load)
    timed cbc "$work/$name.mps" sec "$limit" timeMode elapsed ratioGap 0.001 solve quit >"$work/cbc.log" 2>&1 || true
    python3 -c '
import math, re, sys
log = open(sys.argv[1]).read()
obj = re.findall(r"Objective value:\s+(\S+)", log)
best = re.findall(r"Lower bound:\s+(\S+)", log)
status = re.findall(r"Result - (.*)", log)
o = -float(obj[-1]) if obj else float("nan")
b = -float(best[-1]) if best else o
gap = "-" if math.isnan(o) else "%.2f%%" % (100 * (b - o) / max(1, abs(o)))
f = lambda v: "-" if math.isnan(v) else format(v / 1e6, ",.1f") + "m"
print("| %s | %s | cbc | %.1f | %.1f | %s | %s | %s | %s | %s |" % (sys.argv[2], sys.argv[3], float(sys.argv[4]),
      float(sys.argv[5]), f(o), f(b), gap, status[-1].strip() if status else "-", sys.argv[6]))' \
      "$work/cbc.log" "$name" "$limit" "$wall" "$cpu" "$l"
  done
done
