#!/usr/bin/env python3
"""Scaling model for risk draws on many MPI ranks, fed by measurements.

Input: a COBUILD_SCALE_TRACE file of a measured run (one line per draw:
"item rank seconds", seconds from handing the draw out to its result) and
rank 0's measured capacity in messages a second (bench/scale/scale_bench).
The model replays dynamic scheduling (each draw to the first free rank, as
src/scale/work_items.cc does) of `draws` draws whose times are resampled
from the measured ones (fixed seed), on P solving ranks, adding per draw
the round trip through rank 0 (two messages at rank 0's capacity) and per
rank a set-up time (the job context: baseline, warm start). It prints the
makespan and the message rate rank 0 must sustain (2 per draw plus one
heartbeat a second from each busy rank) against its capacity.

  bench/scale/scaling_model.py trace.txt --capacity 120000 --setup 2.0 --draws 100000 --ranks 64 256 1024

--order longest-first hands the resampled draws out longest first, as
cobuild's risk does by its expected cost (replan::RiskDrawOrder, which put
the 200 draws of the idle benchmark in an order as good as sorting by their
measured times: docs/scale-out.md); the default, random, hands them out in
resampled order, as cobuild did before it.
"""
import argparse
import heapq
import random
import statistics


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("trace")
    ap.add_argument("--capacity", type=float, required=True, help="rank 0's measured messages per second")
    ap.add_argument("--setup", type=float, default=0.0, help="seconds before a rank's first draw")
    ap.add_argument("--draws", type=int, default=100000)
    ap.add_argument("--ranks", type=int, nargs="+", default=[64, 256, 1024])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--order", choices=["random", "longest-first"], default="random")
    a = ap.parse_args()
    times = []
    for line in open(a.trace):
        if line.startswith("#") or not line.strip():
            continue
        _, _, seconds = line.split()
        times.append(float(seconds))
    times.sort()
    n = len(times)
    q = lambda p: times[min(n - 1, int(p * (n - 1) + 0.5))]
    print(f"measured draws {n}: mean {statistics.mean(times):.3f} s, p50 {q(0.5):.3f}, p90 {q(0.9):.3f}, "
          f"p99 {q(0.99):.3f}, max {times[-1]:.3f}; total {sum(times):.1f} s")
    rng = random.Random(a.seed)
    draws = [rng.choice(times) for _ in range(a.draws)]
    if a.order == "longest-first":
        draws.sort(reverse=True)
    round_trip = 2.0 / a.capacity  # rank 0's time per draw (one message out, one back)
    print(f"model: {a.draws} draws resampled, handed out in {a.order} order, rank 0 {round_trip * 1e6:.1f} us "
          f"per draw, set-up {a.setup} s a rank")
    print("| solving ranks | makespan | ideal (total / ranks) | efficiency | rank 0 messages/s needed | "
          "rank 0 capacity | rank 0 busy |")
    print("|---|---|---|---|---|---|---|")
    for p in a.ranks:
        free = [(a.setup, r) for r in range(p)]
        heapq.heapify(free)
        rank0_free = 0.0  # rank 0 serialises the hand-outs
        end = 0.0
        for t in draws:
            start, r = heapq.heappop(free)
            start = max(start, rank0_free)
            rank0_free = start + round_trip
            finish = start + round_trip + t
            end = max(end, finish)
            heapq.heappush(free, (finish, r))
        ideal = a.setup + sum(draws) / p
        msgs = 2 * a.draws / end + p  # results and hand-outs, plus a heartbeat a second per rank
        print(f"| {p} | {end:.0f} s ({end / 60:.1f} min) | {ideal:.0f} s | {ideal / end:.0%} | {msgs:,.0f} | "
              f"{a.capacity:,.0f} | {msgs / a.capacity:.1%} |")


if __name__ == "__main__":
    main()
