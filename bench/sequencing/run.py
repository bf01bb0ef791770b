#!/usr/bin/env python3
"""Line-sequencing benchmark: cobuild's engine beside a MiniZinc + Gecode baseline.

  run.py run SET|PATH ... --time-limit S [--solvers cobuild,gecode] [--seed N]
      Runs every instance of the sets (A, B, X, roadef = A+B+X, csplib-classic, csplib-200,
      csplib-gagne, csplib = all three) or the instance folders / CSPLib files given, one instance
      at a time and one solver at a time, and writes bench/results/sequencing_<tag>_<S>s.csv.
  run.py rescore CSV ...
      Re-scores the stored Gecode solutions of finished runs with `cobuild evaluate` (use it when the
      runs were made before the cobuild binary was available) and fills missing cobuild-side columns.
  run.py report CSV ... [--doc docs/benchmarks.md]
      Writes the section "## Line sequencing" of the document from the CSV files.

cobuild is run as `cobuild sequence INSTANCE --time-limit S --seed N --out FILE --format json`; its
snapshots give the best score at 1 s, 10 s and the end of one run. Gecode is run as
`minizinc --solver gecode -t MS -i --output-time carseq.mzn INSTANCE.dzn`; every intermediate solution
is timed, so the best one at 1 s, 10 s and 60 s is read from one run. Each of these Gecode solutions
is written as a solution file and scored by `cobuild evaluate`, so both columns come from the same
scorer; carseq.py's scorer (an independent Python implementation of the same rules) checks both.
Times are wall-clock from the start of the process, MiniZinc's compilation included.

Python 3.11 standard library only.
"""

import argparse
import csv
import datetime
import glob
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import carseq  # noqa: E402

DATA = os.environ.get("COBUILD_SHARED_DATA",
                      os.path.join(os.path.dirname(REPO), "shared", "data"))
CARSEQ = os.path.join(DATA, "carseq")
MODEL = os.path.join(HERE, "carseq.mzn")
SNAPSHOTS = (1, 10, 60)
NICE = ["nice", "-n", "15"]

FIELDS = [
    "set", "instance", "cars", "solver", "time_limit_s", "seed", "status", "input_score",
    "score_1s", "score_10s", "score_60s", "score", "hprc", "lprc", "colour_changes", "violations",
    "feasible", "lower_bound", "gap_pct", "rank1_optimal", "seconds", "move_evals",
    "move_evals_per_s", "move_evals_per_cpu_s",
    "scorer", "check", "best_known", "first_solution_s", "cpu_s", "load1",
]

# CSPLib prob001 best-known values (BEST_KNOWN.md section 2a/2b): the 9 classic instances and
# the 70 satisfiable 200-car instances. The Gagne set has no authoritative table.
CSPLIB_BEST_KNOWN = {"4_72": 0, "6_76": 6, "10_93": 3, "16_81": 0, "19_71": 2, "21_90": 2,
                     "36_92": 2, "41_66": 0, "26_82": 0}


def set_instances(name):
    """(set, path) pairs of a named set, or of a path."""
    roadef = os.path.join(CARSEQ, "roadef2005")
    std = os.path.join(CARSEQ, "csplib", "derived_standard_format")
    if name in ("A", "B", "X"):
        folders = sorted(glob.glob(os.path.join(roadef, f"Instances_set_{name}", "*", "")))
        return [(name, f.rstrip("/")) for f in folders]
    if name == "roadef":
        return set_instances("A") + set_instances("B") + set_instances("X")
    if name == "csplib-classic":
        return [("csplib-classic", os.path.join(std, f"{k}.txt")) for k in CSPLIB_BEST_KNOWN]
    if name == "csplib-200":
        files = sorted(glob.glob(os.path.join(std, "[0-9][0-9]-[0-9][0-9].txt")))
        return [("csplib-200", f) for f in files]
    if name == "csplib-gagne":
        files = sorted(glob.glob(os.path.join(CARSEQ, "csplib", "ProblemDataSet200to400",
                                              "pb_*.txt")))
        return [("csplib-gagne", f) for f in files]
    if name == "csplib":
        return (set_instances("csplib-classic") + set_instances("csplib-200")
                + set_instances("csplib-gagne"))
    if os.path.isdir(name):
        return [(os.path.basename(os.path.dirname(os.path.abspath(name))).replace(
            "Instances_set_", ""), name.rstrip("/"))]
    if os.path.isfile(name):
        return [("csplib", name)]
    sys.exit(f"run.py: {name}: not a set name (A, B, X, roadef, csplib, csplib-classic, "
             "csplib-200, csplib-gagne), an instance folder or a CSPLib file")


def is_csplib(path):
    return not os.path.isdir(path)


def instance_name(path):
    return carseq.load(path).name


def best_known(set_name, name):
    if set_name == "csplib-200":
        return "0"
    return str(CSPLIB_BEST_KNOWN[name]) if name in CSPLIB_BEST_KNOWN else ""


def gap_pct(score, lower_bound):
    """Gap of a score to a lower bound, in % of the score (0 when both are 0)."""
    if score in ("", None) or lower_bound in ("", None):
        return ""
    score, lower_bound = int(score), int(lower_bound)
    if score <= 0:
        return "0.0"
    return f"{100.0 * (score - lower_bound) / score:.2f}"


# ----------------------------------------------------------------------------------------------
# cobuild


def find_cobuild(explicit):
    candidates = [explicit] if explicit else [
        os.environ.get("COBUILD_BIN", ""),
        os.path.join(REPO, "build-bench", "cobuild"),
        os.path.join(REPO, "build-seqbench", "cobuild"),
        os.path.join(REPO, "build", "cobuild"),
    ]
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return None


_SUBCOMMANDS = {}


def cobuild_has(cobuild, command):
    """Whether `cobuild --help` lists the subcommand."""
    if not cobuild:
        return False
    if cobuild not in _SUBCOMMANDS:
        r = subprocess.run([cobuild, "--help"], capture_output=True, text=True)
        _SUBCOMMANDS[cobuild] = set(re.findall(r"^\s+([a-z][a-z-]*)\s", r.stdout.split(
            "Subcommands:")[-1], flags=re.M)) if r.returncode == 0 else set()
    return command in _SUBCOMMANDS[cobuild]


def cobuild_evaluate(cobuild, path, solution=None):
    """Scores a solution (or the input order) with `cobuild evaluate`; dict or None."""
    if not cobuild_has(cobuild, "evaluate"):
        return None
    cmd = [cobuild, "evaluate", path]  # A regular file is read as a CSPLib instance.
    if solution:
        cmd.append(solution)
    cmd += ["--format", "json"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {r.returncode}: {r.stderr.strip()}")
    return json.loads(r.stdout)


def cobuild_bound(cobuild, path):
    if not cobuild_has(cobuild, "bound"):
        return None
    cmd = [cobuild, "bound", path, "--format", "json"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return json.loads(r.stdout)


def criteria_of(result):
    crit = result.get("criteria", {})
    return {k: crit.get(k, "") for k in ("hprc", "lprc", "colour_changes", "violations")}


def python_score(inst, solution):
    """carseq.py's independent score of a solution file: (score, criteria dict, feasible)."""
    if isinstance(inst, carseq.Roadef):
        r = inst.score(inst.read_solution(solution))
    else:
        r = inst.score_ids(inst.read_ids(solution))
    return r["score"], r["criteria"], r["feasible"]


def timed_run(cmd, row):
    """Runs cmd; records its CPU seconds and the 1-minute load average at the start in row."""
    row["load1"] = f"{os.getloadavg()[0]:.1f}"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = subprocess.run(cmd, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    row["cpu_s"] = f"{after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime:.1f}"
    return r


def run_cobuild(cobuild, set_name, path, limit, seed, work):
    inst = carseq.load(path)
    out = os.path.join(work, f"{inst.name}.cobuild.{limit:g}s.sol")
    cmd = NICE + [cobuild, "sequence"]
    cmd += ["--csplib", path] if is_csplib(path) else [path]
    cmd += ["--time-limit", str(limit), "--seed", str(seed), "--out", out, "--format", "json"]
    row = {"set": set_name, "instance": inst.name, "solver": "cobuild", "time_limit_s": limit,
           "seed": seed, "best_known": best_known(set_name, inst.name)}
    r = timed_run(cmd, row)
    with open(out + ".log", "w", encoding="utf-8") as f:
        f.write(" ".join(cmd) + "\n" + r.stdout + "\n" + r.stderr)
    if r.returncode != 0:
        row["status"] = f"exit {r.returncode}"
        return row
    res = json.loads(r.stdout)
    row.update(criteria_of(res))
    lb = res.get("lower_bound", {}) or {}
    row.update({
        "status": "ok", "cars": res.get("cars", ""), "input_score": res.get("input_score", ""),
        "score": res["score"], "lower_bound": lb.get("score", ""),
        "rank1_optimal": res.get("rank1_optimal", ""), "seconds": res.get("seconds", ""),
        "move_evals_per_s": res.get("move_evals_per_s", ""), "scorer": "cobuild evaluate",
        "move_evals": res.get("move_evals", ""),
    })
    if res.get("move_evals") and float(row["cpu_s"]) > 0:
        row["move_evals_per_cpu_s"] = f"{res['move_evals'] / float(row['cpu_s']):.0f}"
    snaps = sorted(res.get("snapshots", []), key=lambda s: s["seconds"])
    for t in SNAPSHOTS:
        if t > limit:
            continue
        if t == limit:
            row[f"score_{t}s"] = res["score"]
            continue
        best = [s["score"] for s in snaps if s["seconds"] <= t * 1.05 + 0.05]
        row[f"score_{t}s"] = min(best) if best else ""
    # The engine prints its own score; re-score the file with the evaluator and with carseq.py.
    checks = []
    ev = cobuild_evaluate(cobuild, path, out)
    if ev is not None and ev.get("score") != res["score"]:
        checks.append(f"evaluate={ev.get('score')}")
    py_score, _, py_feasible = python_score(inst, out)
    if py_score != res["score"] or not py_feasible:
        checks.append(f"carseq.py={py_score}{'' if py_feasible else ' infeasible'}")
    row["feasible"] = "yes" if py_feasible else "no"
    row["check"] = "; ".join(checks) if checks else "ok"
    row["gap_pct"] = gap_pct(row["score"], row["lower_bound"])
    return row


# ----------------------------------------------------------------------------------------------
# Gecode


def parse_minizinc(text):
    """Timed solutions from `minizinc -i --output-time` output: [(seconds, score, classes)]."""
    sols = []
    score = seq = None
    for line in text.splitlines():
        if line.startswith("SCORE "):
            score = int(line.split()[1])
        elif line.startswith("SEQ "):
            seq = carseq.parse_classes(line[4:])
        elif line.startswith("% time elapsed:"):
            secs = float(line.split(":")[1].split()[0])
            if score is not None and seq is not None:
                sols.append((secs, score, seq))
            score = seq = None
    return sols


def run_gecode(cobuild, set_name, path, limit, seed, work):
    inst = carseq.load(path)
    dzn = os.path.join(work, f"{inst.name}.dzn")
    with open(dzn, "w", encoding="ascii") as f:
        f.write(inst.dzn())
    cmd = NICE + ["minizinc", "--solver", "gecode", "-t", str(int(limit * 1000)), "-i",
                  "--output-time", "-r", str(seed), MODEL, dzn]
    row = {"set": set_name, "instance": inst.name, "solver": "gecode", "time_limit_s": limit,
           "seed": seed, "best_known": best_known(set_name, inst.name)}
    start = time.monotonic()
    r = timed_run(cmd, row)
    row["seconds"] = f"{time.monotonic() - start:.1f}"
    log = os.path.join(work, f"{inst.name}.gecode.{limit:g}s.log")
    with open(log, "w", encoding="utf-8") as f:
        f.write(" ".join(cmd) + "\n" + r.stdout + "\n" + r.stderr)
    sols = parse_minizinc(r.stdout)
    if r.returncode != 0 and not sols:
        row["status"] = f"exit {r.returncode}"
        return row
    row["status"] = "ok" if sols else "no solution"
    row["first_solution_s"] = f"{sols[0][0]:.2f}" if sols else ""
    if "==========" in r.stdout:
        row["status"] = "optimal"
    # One solution file per snapshot: the last (best) solution found by then.
    for t in snapshot_points(limit):
        # Wall-clock from the start of minizinc, compilation included (its -t limit counts
        # only solving, so a run can end later than the limit: those solutions are not used).
        found = [s for s in sols if s[0] <= t * 1.02 + 0.05]
        if not found:
            continue
        secs, mzn_score, seq = found[-1]
        sol = os.path.join(work, f"{inst.name}.gecode.{limit:g}s.at{t:g}s.sol")
        write_class_solution(inst, seq, sol)
        row[f"_sol_{t:g}"] = os.path.relpath(sol, REPO) if sol.startswith(REPO + os.sep) else sol
        row[f"_mzn_{t:g}"] = mzn_score
    if sols and not any(k.startswith("_sol_") for k in row):
        row["status"] = "no solution"  # The first one came after the limit (compilation).
    return score_gecode_row(cobuild, path, row, limit)


def snapshot_points(limit):
    """The snapshot times within a run of `limit` seconds, the limit itself last."""
    return sorted({float(t) for t in SNAPSHOTS if t < limit} | {float(limit)})


def write_class_solution(inst, seq, path):
    if isinstance(inst, carseq.Roadef):
        inst.write_solution(inst.order_from_classes(seq), path)
    else:
        inst.write_solution(inst.ids_from_classes(seq), path)


def score_gecode_row(cobuild, path, row, limit):
    """Scores the stored snapshot solutions; cobuild evaluate when available, else carseq.py."""
    inst = carseq.load(path)
    checks = []
    final = None
    for t in snapshot_points(limit):
        sol = row.get(f"_sol_{t:g}")
        if sol:
            sol = os.path.join(REPO, sol)  # Stored relative to the repository when inside it.
        if not sol or not os.path.isfile(sol):
            continue
        py_score, py_crit, py_feasible = python_score(inst, sol)
        ev = cobuild_evaluate(cobuild, path, sol)
        if ev is not None:
            score, crit, scorer = ev["score"], criteria_of(ev), "cobuild evaluate"
            if py_score != score:
                checks.append(f"{t:g}s carseq.py={py_score}")
        else:
            score, crit, scorer = py_score, py_crit, "carseq.py"
        mzn = row.get(f"_mzn_{t:g}")
        if mzn not in (None, "") and int(mzn) != score:
            checks.append(f"{t:g}s minizinc={mzn}")
        if not py_feasible:
            checks.append(f"{t:g}s batch limit broken")
        if t in SNAPSHOTS:
            row[f"score_{t:g}s"] = score
        row["scorer"] = scorer
        final = (score, crit, py_feasible)
    if final:
        row["score"] = final[0]
        row.update({k: final[1].get(k, "") for k in ("hprc", "lprc", "colour_changes",
                                                       "violations")})
        row["feasible"] = "yes" if final[2] else "no"
    row["check"] = "; ".join(checks) if checks else "ok"
    return row


# ----------------------------------------------------------------------------------------------
# Instance-level columns shared by both solvers


def fill_instance_columns(cobuild, path, rows):
    inst = carseq.load(path)
    cars = len(inst.day) if isinstance(inst, carseq.Roadef) else inst.n
    input_score = ""
    if isinstance(inst, carseq.Roadef):
        ev = cobuild_evaluate(cobuild, path)
        input_score = ev["score"] if ev is not None else inst.score(
            list(range(len(inst.day))))["score"]
    b = cobuild_bound(cobuild, path)
    lb_crit = (b or {}).get("lower_bound", {})
    lb = lb_crit.get("score", "")
    for r in rows:
        if r.get("lower_bound") not in ("", None) and lb != "" and int(r["lower_bound"]) != lb:
            r["check"] = _add_check(r.get("check"), f"engine LB {r['lower_bound']} != bound {lb}")
        # Every solution must respect the bound, criterion by criterion.
        for k, v in lb_crit.items():
            if k != "score" and r.get(k) not in ("", None) and int(r[k]) < int(v):
                r["check"] = _add_check(r.get("check"), f"{k} {r[k]} below its bound {v}")
    for r in rows:
        r.setdefault("cars", cars)
        if r.get("cars") in ("", None):
            r["cars"] = cars
        if r.get("input_score") in ("", None):
            r["input_score"] = input_score
        if r.get("lower_bound") in ("", None):
            r["lower_bound"] = lb
        r["gap_pct"] = gap_pct(r.get("score"), r.get("lower_bound"))


def _add_check(old, msg):
    return msg if old in ("", None, "ok") else f"{old}; {msg}"


def write_csv(path, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS + [k for k in sol_keys(rows)],
                           extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow(r)


def sol_keys(rows):
    keys = []
    for r in rows:
        for k in r:
            if k.startswith("_") and k not in keys:
                keys.append(k)
    return keys


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def cmd_run(args):
    pairs = []
    for s in args.sets:
        pairs += set_instances(s)
    solvers = args.solvers.split(",")
    cobuild = find_cobuild(args.cobuild)
    if "cobuild" in solvers and not cobuild_has(cobuild, "sequence"):
        print("run.py: no cobuild binary with `sequence`; running Gecode alone "
              "(fill the cobuild rows later with --solvers cobuild)", file=sys.stderr)
        solvers = [s for s in solvers if s != "cobuild"]
    if "gecode" in solvers and not shutil.which("minizinc"):
        sys.exit("run.py: minizinc not found (scripts/install-deps installs minizinc, flatzinc)")
    tag = args.tag or "_".join(os.path.basename(s.rstrip("/")) for s in args.sets)
    out = args.csv or os.path.join(REPO, "bench", "results",
                                   f"sequencing_{tag}_{args.time_limit:g}s.csv")
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    rows = read_csv(out) if args.resume and os.path.isfile(out) else []
    done = {(r["instance"], r["solver"]) for r in rows if r["status"] in ("ok", "optimal")}
    for set_name, path in pairs:
        name = instance_name(path)
        new = []
        for solver in solvers:
            if (name, solver) in done:
                continue
            print(f"{set_name} {name} {solver} {args.time_limit:g}s ...", file=sys.stderr,
                  flush=True)
            fn = run_cobuild if solver == "cobuild" else run_gecode
            try:
                new.append(fn(cobuild, set_name, path, args.time_limit, args.seed, work))
            except (RuntimeError, ValueError, json.JSONDecodeError, KeyError) as e:
                new.append({"set": set_name, "instance": name, "solver": solver,
                            "time_limit_s": args.time_limit, "seed": args.seed,
                            "status": f"error: {e}"[:200]})
            r = new[-1]
            print(f"  {r.get('status')} score {r.get('score', '')} "
                  f"(1s {r.get('score_1s', '')}, 10s {r.get('score_10s', '')}) "
                  f"check {r.get('check', '')}", file=sys.stderr, flush=True)
        fill_instance_columns(cobuild, path, new)
        rows = [r for r in rows if (r["instance"], r["solver"]) not in
                {(n["instance"], n["solver"]) for n in new}] + new
        write_csv(out, rows)  # After every instance, so an interrupted run keeps its rows.
    print(out)
    return 0


def cmd_rescore(args):
    cobuild = find_cobuild(args.cobuild)
    if not cobuild_has(cobuild, "evaluate"):
        sys.exit("run.py: rescore needs a cobuild binary with `evaluate`")
    for csv_path in args.csv:
        rows = read_csv(csv_path)
        paths = {}
        for s in {r["set"] for r in rows}:
            for set_name, path in set_instances(s):
                paths[instance_name(path)] = path
        for r in rows:
            path = paths.get(r["instance"])
            if path is None:
                continue
            if r["solver"] == "gecode":
                limit = float(r["time_limit_s"])
                score_gecode_row(cobuild, path, r, limit)
        for name, path in paths.items():
            mine = [r for r in rows if r["instance"] == name]
            for r in mine:
                r["input_score"] = r["lower_bound"] = ""
            fill_instance_columns(cobuild, path, mine)
        write_csv(csv_path, rows)
        print(csv_path)
    return 0


# ----------------------------------------------------------------------------------------------
# Report


def machine_lines(cobuild):
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    cores = os.cpu_count()
    compiler = flags = build_type = "unknown"
    build_dir = os.path.dirname(cobuild) if cobuild else ""
    cache = os.path.join(build_dir, "CMakeCache.txt")
    if os.path.isfile(cache):
        cache_vars = {}
        with open(cache, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = re.match(r"^([A-Z_]+):[A-Z]+=(.*)$", line.strip())
                if m:
                    cache_vars[m.group(1)] = m.group(2)
        cxx = cache_vars.get("CMAKE_CXX_COMPILER", "c++")
        build_type = cache_vars.get("CMAKE_BUILD_TYPE", "")
        v = subprocess.run([cxx, "--version"], capture_output=True, text=True)
        compiler = v.stdout.splitlines()[0] if v.returncode == 0 and v.stdout else cxx
        flags = " ".join(x for x in (cache_vars.get("CMAKE_CXX_FLAGS", ""), cache_vars.get(
            f"CMAKE_CXX_FLAGS_{build_type.upper()}", "")) if x) or "(none)"
    mzn = subprocess.run(["minizinc", "--version"], capture_output=True, text=True)
    mzn_version = mzn.stdout.split("version")[-1].split()[0] if mzn.returncode == 0 else "?"
    gec = subprocess.run(["minizinc", "--solvers"], capture_output=True, text=True)
    m = re.search(r"Gecode (\d+\.\d+\.\d+)", gec.stdout)
    return [
        f"- Machine: {cpu}, {cores} logical cores (shared with other jobs; every run under "
        "`nice -n 15`, one instance and one solver at a time), "
        f"{platform.system()} {platform.release()}.",
        f"- cobuild: {build_type} build, {compiler}, flags `{flags}`, one thread, seed 1.",
        f"- Baseline: MiniZinc {mzn_version} with Gecode {m.group(1) if m else '?'} "
        "(Debian packages `minizinc`, `flatzinc`), model `bench/sequencing/carseq.mzn`, seed 1.",
    ]


def fmt(v):
    if v in ("", None):
        return "—"
    try:
        f = float(v)
    except ValueError:
        return str(v)
    return f"{int(f):,}".replace(",", " ") if f == int(f) else f"{f:.1f}"


def mevals(v):
    return "—" if v in ("", None) else f"{float(v) / 1e6:.1f}"


def merge_runs(rows):
    """Per (instance, solver) the row of the longest finished run."""
    best = {}
    for r in rows:
        key = (r["instance"], r["solver"])
        if r["status"] not in ("ok", "optimal", "no solution"):
            best.setdefault(key, r)
            continue
        old = best.get(key)
        if old is None or old["status"] not in ("ok", "optimal", "no solution") or float(
                r["time_limit_s"]) > float(old["time_limit_s"]):
            best[key] = r
    return best


def rel_diff(a, b):
    """(a - b) / max(a, b): negative when a is better (smaller)."""
    a, b = int(a), int(b)
    return 0.0 if a == b else (a - b) / max(a, b)


def section(rows, cobuild, commit, notes=""):
    best = merge_runs(rows)
    for r in best.values():
        r["gap_pct"] = gap_pct(r.get("score"), r.get("lower_bound"))
    order = []
    for r in rows:
        if (r["set"], r["instance"]) not in order:
            order.append((r["set"], r["instance"]))
    sets = []
    for s, _ in order:
        if s not in sets:
            sets.append(s)
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = ["## Line sequencing", "",
           "Car sequencing (issue 3): cobuild's engine (`cobuild sequence`) beside a MiniZinc + "
           "Gecode baseline on the same instances, at the same wall-clock time per instance. "
           "Data: ROADEF/EURO 2005 sets A, B, X and CSPLib prob001 from `../shared/data/carseq` "
           "(not in this repository). Regenerate with "
           "`python3 bench/sequencing/run.py run X --time-limit 60` (one CSV per run in "
           "`bench/results/`) and `python3 bench/sequencing/run.py report bench/results/"
           "sequencing_*.csv`.", "",
           *machine_lines(cobuild),
           f"- cobuild built from commit `{commit}`; report written {today}.", "",
           "Reading the tables:",
           "- Scores are the ROADEF weighted score (1 000 000 / 1 000 / 1 by the ranks in "
           "`optimization_objectives.txt`) or, for CSPLib, the total excess over full windows. "
           "Every number in a Gecode column is the Gecode solution re-scored by "
           "`cobuild evaluate` (column `scorer` in the CSV says when carseq.py scored it instead); "
           "every cobuild solution file is re-scored by `cobuild evaluate` and by "
           "`bench/sequencing/carseq.py`, an independent Python scorer (CSV column `check`).",
           "- *1 s*, *10 s*, *60 s*: best score found by then in one run of the given limit "
           "(— = not run at that limit, or no solution yet; MiniZinc's time includes compiling "
           "the model, which takes 5-20 s on the 1 000-car instances).",
           "- *criteria*: HPRC / LPRC / colour changes of the final cobuild solution (CSPLib: "
           "window excess). *LB*: `cobuild bound`. *gap*: (score − LB) / score. "
           "*Mev/s*: million move evaluations per second of wall time (one thread), as the engine "
           "reports it; *Mev/CPU s*: the same per second of CPU time the process got, which is "
           "the speed measure that survives a loaded machine.", ""]
    if notes:
        out += [notes.strip(), ""]
    for s in sets:
        names = [n for ss, n in order if ss == s]
        limits = sorted({float(best[(n, sv)]["time_limit_s"]) for n in names
                         for sv in ("cobuild", "gecode") if (n, sv) in best})
        out.append(f"### {s}")
        out.append("")
        out.append("Run at " + ", ".join(f"{x:g} s" for x in limits) + " per instance and solver"
                   + (" (longest run shown; its snapshots fill the shorter columns)."
                      if len(limits) > 1 else "."))
        out.append("")
        out.append("| instance | cars | input | cobuild 1 s | 10 s | 60 s | criteria | LB | gap % "
                   "| Mev/s | Mev/CPU s | Gecode 1 s | 10 s | 60 s | best known |")
        out.append("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        vs_gecode = {t: [] for t in SNAPSHOTS}
        gaps, both_gaps, bk_gaps, rank1 = [], [], [], 0
        cpu_share = {"cobuild": [], "gecode": []}
        wins = {t: [0, 0, 0, 0] for t in SNAPSHOTS}  # better, equal, worse, Gecode had none
        for n in names:
            c = best.get((n, "cobuild"), {})
            g = best.get((n, "gecode"), {})
            any_row = c or g
            if c.get("violations") not in ("", None):
                crit = fmt(c.get("violations"))
            elif c.get("score") not in ("", None):
                crit = " / ".join(fmt(c.get(k)) for k in ("hprc", "lprc", "colour_changes"))
            else:
                crit = "—"
            status = c.get("status", "not run")
            if c and status not in ("ok", "optimal"):
                crit = status
            out.append("| " + " | ".join([
                n, fmt(any_row.get("cars")), fmt(any_row.get("input_score")),
                fmt(c.get("score_1s")), fmt(c.get("score_10s")), fmt(c.get("score_60s")), crit,
                fmt(any_row.get("lower_bound")), fmt(c.get("gap_pct")),
                mevals(c.get("move_evals_per_s")), mevals(c.get("move_evals_per_cpu_s")),
                fmt(g.get("score_1s")), fmt(g.get("score_10s")), fmt(g.get("score_60s")),
                fmt(any_row.get("best_known"))]) + " |")
            for solver, r in (("cobuild", c), ("gecode", g)):
                if r.get("cpu_s") not in ("", None) and r.get("seconds") not in ("", None) and \
                        float(r["seconds"]) > 0:
                    cpu_share[solver].append(float(r["cpu_s"]) / float(r["seconds"]))
            if c.get("gap_pct") not in ("", None):
                gaps.append(float(c["gap_pct"]))
            if g.get("gap_pct") not in ("", None) and c.get("gap_pct") not in ("", None):
                both_gaps.append((float(c["gap_pct"]), float(g["gap_pct"])))
            if str(c.get("rank1_optimal")).lower() in ("true", "1", "yes"):
                rank1 += 1
            if c.get("best_known") not in ("", None) and c.get("score") not in ("", None):
                bk_gaps.append(int(c["score"]) - int(c["best_known"]))
            for t in SNAPSHOTS:
                a, b = c.get(f"score_{t}s"), g.get(f"score_{t}s")
                if a in ("", None):
                    continue
                if b in ("", None):
                    if g:
                        wins[t][3] += 1
                    continue
                vs_gecode[t].append(rel_diff(a, b))
                wins[t][0 if int(a) < int(b) else 1 if int(a) == int(b) else 2] += 1
        out.append("")
        summary = []
        if gaps:
            summary.append(f"mean gap to LB: cobuild {sum(gaps) / len(gaps):.1f} % over "
                           f"{len(gaps)} instances")
        if both_gaps:
            summary.append(f"on the {len(both_gaps)} instances where both have a final "
                           f"solution: cobuild {sum(a for a, _ in both_gaps) / len(both_gaps):.1f}"
                           f" %, Gecode {sum(b for _, b in both_gaps) / len(both_gaps):.1f} %")
        if rank1:
            summary.append(f"rank-1 criterion proved optimal on {rank1} of {len(names)}")
        if bk_gaps:
            summary.append(f"cobuild above best known by {sum(bk_gaps) / len(bk_gaps):.2f} on "
                           f"average, at best known on {sum(1 for x in bk_gaps if x <= 0)} of "
                           f"{len(bk_gaps)}")
        for t in SNAPSHOTS:
            if sum(wins[t]):
                mean = (f", mean (cobuild − Gecode) / max = "
                        f"{100 * sum(vs_gecode[t]) / len(vs_gecode[t]):.1f} %"
                        if vs_gecode[t] else "")
                none = f", Gecode without a solution by then on {wins[t][3]}" if wins[t][3] else ""
                summary.append(f"at {t} s cobuild better / equal / worse than Gecode on "
                               f"{wins[t][0]} / {wins[t][1]} / {wins[t][2]}{mean}{none}")
        for solver, shares in cpu_share.items():
            if shares:
                summary.append(f"{solver} got {100 * sum(shares) / len(shares):.0f} % of a core "
                               "on average (CPU time / wall time)")
        if summary:
            out.append("Summary: " + "; ".join(summary) + ".")
            out.append("")
    return "\n".join(out) + "\n"


def replace_section(doc_path, text):
    old = ""
    if os.path.isfile(doc_path):
        with open(doc_path, encoding="utf-8") as f:
            old = f.read()
    if not old:
        old = "# Benchmarks\n\n"
    m = re.search(r"^## Line sequencing\n", old, flags=re.M)
    if m:
        nxt = re.search(r"^## ", old[m.end():], flags=re.M)
        end = m.end() + nxt.start() if nxt else len(old)
        new = old[:m.start()] + text + ("\n" if nxt else "") + old[end:]
    else:
        new = old.rstrip("\n") + "\n\n" + text
    with open(doc_path, "w", encoding="utf-8") as f:
        f.write(new)


def cmd_report(args):
    rows = []
    for p in args.csv:
        rows += read_csv(p)
    cobuild = find_cobuild(args.cobuild)
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "unknown"
    notes = ""
    if args.notes:
        with open(args.notes, encoding="utf-8") as f:
            notes = f.read()
    text = section(rows, cobuild, args.commit or commit, notes)
    if args.doc == "-":
        sys.stdout.write(text)
    else:
        replace_section(args.doc, text)
        print(args.doc)
    return 0


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("run", help="run sets or instances")
    a.add_argument("sets", nargs="+")
    a.add_argument("--time-limit", type=float, required=True, help="seconds per instance")
    a.add_argument("--solvers", default="cobuild,gecode")
    a.add_argument("--seed", type=int, default=1)
    a.add_argument("--cobuild", help="cobuild binary (default: build-bench/ or build/)")
    a.add_argument("--work", default=os.path.join(REPO, "build-bench", "sequencing"),
                   help="solution files and logs")
    a.add_argument("--csv", help="output CSV (default bench/results/sequencing_<tag>_<S>s.csv)")
    a.add_argument("--tag", help="name part of the default CSV")
    a.add_argument("--resume", action="store_true",
                   help="keep the finished rows of an existing CSV and run only the others")
    a = sub.add_parser("rescore", help="re-score stored Gecode solutions with cobuild evaluate")
    a.add_argument("csv", nargs="+")
    a.add_argument("--cobuild")
    a = sub.add_parser("report", help="write the Line sequencing section")
    a.add_argument("csv", nargs="+")
    a.add_argument("--doc", default=os.path.join(REPO, "docs", "benchmarks.md"))
    a.add_argument("--cobuild")
    a.add_argument("--commit", help="commit of the measured cobuild build")
    a.add_argument("--notes", help="markdown inserted after the section's introduction")
    args = ap.parse_args(argv)
    return {"run": cmd_run, "rescore": cmd_rescore, "report": cmd_report}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
