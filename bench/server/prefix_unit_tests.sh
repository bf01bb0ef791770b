#!/usr/bin/env bash
# Main's issue-13 unit tests that still compile against the code before the
# fixes, run there (docs/hardening.md). The others use functions the fixes
# introduced (the request guard, ApiServer::HandleForTest, the diagnostics
# cap) and are covered by bench/server/prefix_check.sh instead.
#
#   git worktree add --detach /work/wt-prefix f19f124
#   bench/server/prefix_unit_tests.sh /work/wt-prefix     # then: git worktree remove --force /work/wt-prefix
#
# Copies into that checkout (resetting it first): ParseYamlTextTest.
# RefusesAliasBombs into its yaml_reader_test.cc, replan_io_test.cc, and the
# fuzz harnesses whose parsers existed then (tests/fuzz, without scenario,
# job_params and http); builds those targets in PREFIX/build (Release, ccache
# when present) and prints one table row per test or reproducer: the outcome
# there. On main all of them pass (ctest).
set -euo pipefail
cd "$(dirname "$0")/../.." || exit 2
MAIN=$PWD
if [[ $# -ne 1 || ! -d "$1/.git" && ! -f "$1/.git" ]]; then
  echo "usage: $0 PREFIX_WORKTREE (a checkout of the commit before the fixes)" >&2
  exit 2
fi
P=$(realpath "$1")
git -C "$P" checkout -q -- .
git -C "$P" clean -qfd -- src tests CMakeLists.txt

# The alias-bomb test, inserted before the old test file's closing namespaces.
test_text=$(awk '/^TEST\(ParseYamlTextTest, RefusesAliasBombs\)/ {p = 1} p && /^TEST\(/ && !/RefusesAliasBombs/ {p = 0} p' \
  "$MAIN/src/io/yaml_reader_test.cc")
T=$test_text awk '/^}  \/\/ namespace$/ && !done {print ENVIRON["T"]; done = 1} {print}' "$P/src/io/yaml_reader_test.cc" |
  sed '0,/#include <gtest\/gtest.h>/s//#include <gtest\/gtest.h>\n#include <fmt\/format.h>/' >"$P/yaml_reader_test.tmp"
mv "$P/yaml_reader_test.tmp" "$P/src/io/yaml_reader_test.cc"
cp "$MAIN/src/io/replan_io_test.cc" "$P/src/io/"
echo 'cobuild_test(io_replan_io_test SRCS replan_io_test.cc ../plan/test_scenarios.cc DEPS cobuild_io_replan TIMEOUT 60)' \
  >>"$P/src/io/CMakeLists.txt"
HARNESSES=(events roadef csplib solution plan_json plan_csv)
mkdir -p "$P/tests/fuzz"
cp -r "$MAIN"/tests/fuzz/{CMakeLists.txt,fuzz_support.cc,fuzz_support.h,replay_main.cc,corpus,reproducers} "$P/tests/fuzz/"
for h in "${HARNESSES[@]}"; do cp "$MAIN/tests/fuzz/fuzz_$h.cc" "$P/tests/fuzz/"; done
sed -i "s/^set(COBUILD_FUZZ_TARGETS .*/set(COBUILD_FUZZ_TARGETS ${HARNESSES[*]})/" "$P/tests/fuzz/CMakeLists.txt"
echo 'add_subdirectory(tests/fuzz)' >>"$P/CMakeLists.txt"

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$P" -B "$P/build" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
targets=(io_yaml_reader_test io_replan_io_test)
for h in "${HARNESSES[@]}"; do targets+=("fuzz_replay_$h"); done
nice -n 5 cmake --build "$P/build" -j 2 --target "${targets[@]}" >/dev/null

# "passes" or what went wrong, for one command run from the old checkout.
outcome() {
  local out rc
  out=$(cd "$P" && ulimit -v 4194304 && timeout 120 "$@" 2>&1) && rc=0 || rc=$?
  if ((rc == 0)); then
    echo "passes"
  elif ((rc > 128)); then
    echo "**killed by signal $((rc - 128))**: $(grep -m1 -E 'what\(\)|terminate' <<<"$out" | cut -c1-110)"
  else
    echo "**fails** ($(grep -c 'Failure$' <<<"$out") failed expectations; first at $(grep -m1 'Failure$' <<<"$out" |
      sed 's|.*/src/|src/|; s|: Failure||'))"
  fi
}
echo "| test on main, run on the code before the fixes | outcome |"
echo "|---|---|"
echo "| \`io_yaml_reader_test\` ParseYamlTextTest.RefusesAliasBombs | $(outcome build/src/io/io_yaml_reader_test \
  --gtest_filter=ParseYamlTextTest.RefusesAliasBombs) |"
for t in NoPercentilesWhenEveryDrawFailed PercentilesOfTheDrawsThatSucceeded; do
  echo "| \`io_replan_io_test\` RiskJsonTest.$t | $(outcome build/src/io/io_replan_io_test --gtest_filter=RiskJsonTest.$t) |"
done
for h in "${HARNESSES[@]}"; do
  for f in "$P/tests/fuzz/reproducers/$h"/*; do
    echo "| \`fuzz_replay_$h\` reproducers/$h/$(basename "$f") | $(outcome "build/tests/fuzz/fuzz_replay_$h" "$f") |"
  done
done
