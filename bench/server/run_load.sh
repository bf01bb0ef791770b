#!/usr/bin/env bash
# Load benchmark of `cobuild serve`'s HTTP front (docs/benchmarks.md,
# "Server under load"): 200 concurrent clients reading the API and 20
# slowloris clients (one header byte every 2 s) while a plan solves.
# Passes with 0 failed requests, /api/health p99 under 1 s and the plan
# still solving at the end. Not part of ctest.
#
#   bench/server/run_load.sh [extra server_load_check options]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BENCH_DIR:-build-bench}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DCOBUILD_BUILD_BENCH=ON >/dev/null
cmake --build "$BUILD" -j 2 --target server_load_check >/dev/null
uptime
"$BUILD/src/server/server_load_check" --clients 200 --requests 25 --slow-clients 20 --time-limit 120 "$@"
