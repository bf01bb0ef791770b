#!/usr/bin/env python3
"""Move-evaluation speed of `cobuild sequence` on the largest ROADEF instances.

  speed.py [--cobuild BIN ...] [--evals N] [--seed S] [--csv FILE] [INSTANCE_DIR ...]

Runs each binary on each instance (default: the 13 ROADEF instances with more than 1,200 day-D
cars) with a work limit (`--max-evals N --time-limit 0`), so every run does the same search and
the speed is comparable across binaries, and prints a markdown table of million move evaluations
per CPU second (the engine's own CPU-time measure, which survives a loaded machine), with the
final score as a check that the runs did the same work. Appends one CSV row per run when --csv is
given. Runs under `nice -n 15`, one at a time.

Python 3.11 standard library only.
"""

import argparse
import csv
import datetime
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DATA = os.environ.get("COBUILD_SHARED_DATA",
                      os.path.join(os.path.dirname(REPO), "shared", "data"))
ROADEF = os.path.join(DATA, "carseq", "roadef2005")

LARGEST = [
    "Instances_set_A/024_38_3_EP_ENP_RAF", "Instances_set_A/024_38_3_EP_RAF_ENP",
    "Instances_set_A/024_38_5_EP_ENP_RAF", "Instances_set_A/024_38_5_EP_RAF_ENP",
    "Instances_set_B/024_V2_EP_ENP_RAF_S22_J1", "Instances_set_B/024_V2_EP_RAF_ENP_S22_J1",
    "Instances_set_B/024_V2_RAF_EP_ENP_S22_J1", "Instances_set_B/039_ch1_EP_ENP_RAF_S22_J4",
    "Instances_set_B/039_ch1_EP_RAF_ENP_S22_J4", "Instances_set_B/039_ch1_RAF_EP_ENP_S22_J4",
    "Instances_set_X/023_EP_RAF_ENP_S49_J2", "Instances_set_X/024_EP_RAF_ENP_S49_J2",
    "Instances_set_X/039_CH1_EP_RAF_ENP_S49_J1",
]

FIELDS = ["binary", "instance", "cars", "evals", "seed", "score", "cpu_s", "wall_s",
          "mev_per_cpu_s", "when"]


def run_one(binary, folder, evals, seed):
    cmd = ["nice", "-n", "15", binary, "sequence", folder, "--time-limit", "0",
           "--max-evals", str(evals), "--seed", str(seed), "--quiet", "--format", "json"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("instances", nargs="*", help="instance folders (default: the largest 13)")
    ap.add_argument("--cobuild", action="append",
                    help="cobuild binary; repeat to compare (default build-bench/ or build/)")
    ap.add_argument("--evals", type=int, default=20_000_000, help="move evaluations per run")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--csv", help="append one row per run to this CSV")
    args = ap.parse_args(argv)
    binaries = args.cobuild or [p for p in (os.path.join(REPO, "build-bench", "cobuild"),
                                            os.path.join(REPO, "build", "cobuild"))
                                if os.path.isfile(p)][:1]
    if not binaries:
        sys.exit("no cobuild binary: build one or pass --cobuild")
    folders = args.instances or [os.path.join(ROADEF, name) for name in LARGEST]
    rows = []
    for folder in folders:
        for binary in binaries:
            d = run_one(binary, folder, args.evals, args.seed)
            rows.append({
                "binary": binary, "instance": d["instance"], "cars": d["cars"],
                "evals": d["move_evals"], "seed": args.seed, "score": d["score"],
                "cpu_s": round(d["cpu_seconds"], 3), "wall_s": round(d["seconds"], 2),
                "mev_per_cpu_s": round(d["move_evals_per_cpu_s"] / 1e6, 2),
                "when": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
            })
            print(f"{d['instance']} {binary}: {rows[-1]['mev_per_cpu_s']} Mev/CPU s",
                  file=sys.stderr)
    if args.csv:
        new = not os.path.isfile(args.csv)
        with open(args.csv, "a", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=FIELDS)
            if new:
                w.writeheader()
            w.writerows(rows)
    print("| instance | cars | " + " | ".join(f"{os.path.basename(b)} Mev/CPU s | score"
                                               for b in binaries) + " |")
    print("|---|---:|" + "---:|---:|" * len(binaries))
    for folder in folders:
        name = os.path.basename(folder.rstrip("/"))
        mine = [r for r in rows if r["instance"] == name]
        cells = []
        for b in binaries:
            r = next(r for r in mine if r["binary"] == b)
            cells += [f"{r['mev_per_cpu_s']:.1f}", f"{r['score']:,}".replace(",", " ")]
        print(f"| {name} | {mine[0]['cars']} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
