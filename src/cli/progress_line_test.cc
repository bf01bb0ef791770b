#include "cli/progress_line.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "cli_test_util.h"

namespace cobuild::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

plan::Progress At(const char* phase, double elapsed, bool has, double incumbent, double bound) {
  plan::Progress p;
  p.phase = phase;
  p.elapsed_seconds = elapsed;
  p.has_incumbent = has;
  p.incumbent_gbp = incumbent;
  p.bound_gbp = bound;
  p.gap = has ? (bound - incumbent) / incumbent : 1.0;
  return p;
}

// The sequence that made `--progress` print the gap jumping back from 0.42%
// to 100%: branch and cut starts without the MIP start's incumbent.
TEST(ProgressTrackerTest, IncumbentStaysAndGapNeverJumpsBack) {
  ProgressTracker t;
  EXPECT_THAT(t.Update("plan", At("lp", 0.5, false, 0, 1'010'000)), HasSubstr("best GBP -"));
  const std::string start = t.Update("plan", At("start", 3, true, 1'000'000, 1'004'200));
  EXPECT_THAT(start, HasSubstr("best GBP 1,000,000"));
  EXPECT_THAT(start, HasSubstr("gap 0.42%"));
  const std::string mip = t.Update("plan", At("mip", 4, false, 0, 1'006'000));
  EXPECT_THAT(mip, HasSubstr("best GBP 1,000,000"));
  EXPECT_THAT(mip, HasSubstr("gap 0.42%"));
  EXPECT_THAT(mip, Not(HasSubstr("100")));
  // A worse incumbent from a sub-MIP does not replace the best; the bound only tightens.
  const std::string worse = t.Update("plan", At("improve", 5, true, 990'000, 1'003'000));
  EXPECT_THAT(worse, HasSubstr("best GBP 1,000,000"));
  EXPECT_THAT(worse, HasSubstr("bound GBP 1,003,000"));
  EXPECT_THAT(t.Update("plan", At("mip", 6, true, 1'002'000, 1'003'000)), HasSubstr("gap 0.10%"));
}

TEST(ProgressTrackerTest, NewSolveStartsAfresh) {
  ProgressTracker t;
  t.Update("deal", At("mip", 9, true, 2'000'000, 2'001'000));
  // The next solve of the same command: its clock starts again.
  EXPECT_THAT(t.Update("deal", At("lp", 0.2, false, 0, 1'500'000)), HasSubstr("best GBP -"));
  t.Update("baseline", At("mip", 9, true, 2'000'000, 2'001'000));
  EXPECT_THAT(t.Update("replan", At("mip", 12, true, 1'000, 1'100)), HasSubstr("best GBP 1,000 "));
}

TEST(ProgressLineTest, OffPrintsNothingAndGivesNoCallback) {
  ProgressLine off(ProgressLine::Mode::kOff);
  EXPECT_FALSE(off.on());
  EXPECT_FALSE(static_cast<bool>(off.For("plan")));
  EXPECT_EQ(ProgressLine::ModeOf(true, true), ProgressLine::Mode::kOff);
  EXPECT_EQ(ProgressLine::ModeOf(true, false), ProgressLine::Mode::kLines);
  EXPECT_EQ(ProgressLine::ModeOf(false, false), ProgressLine::Mode::kAuto);
}

// On a terminal (util-linux `script` gives the command one) `cobuild plan`
// shows the line by default, rewritten in place, and erases it before the
// report; --no-progress and a pipe show none.
TEST(ProgressLineTest, PlanShowsTheLineOnATerminalOnly) {
  if (!std::filesystem::exists("/usr/bin/script")) GTEST_SKIP() << "no /usr/bin/script";
  const std::string plan = std::string(std::getenv("COBUILD_BIN")) + " plan tests/data/scenarios/small.yaml";
  const auto through_tty = [](const std::string& command) {
    const std::filesystem::path out = CliTempDir() / "tty";
    const std::string line = "script -qec '" + command + "' /dev/null >" + out.string() + " 2>&1";
    EXPECT_EQ(std::system(line.c_str()), 0) << line;
    return SlurpFile(out);
  };
  const std::string shown = through_tty(plan);
  EXPECT_THAT(shown, HasSubstr("\r\033[Kplan ["));
  EXPECT_THAT(shown, HasSubstr("best GBP "));
  EXPECT_THAT(shown, HasSubstr("Utilization and spare capacity"));
  EXPECT_THAT(through_tty(plan + " --no-progress"), Not(HasSubstr("best GBP")));
  CliRun piped = RunCobuild("plan tests/data/scenarios/small.yaml");
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_THAT(piped.err, Not(HasSubstr("best GBP")));
  CliRun logged = RunCobuild("plan tests/data/scenarios/small.yaml --progress");
  EXPECT_THAT(logged.err, HasSubstr("plan ["));
  EXPECT_THAT(logged.err, Not(HasSubstr("\033[K")));
  EXPECT_EQ(RunCobuild("plan tests/data/scenarios/small.yaml --progress --no-progress").exit_code, 2);
}

}  // namespace
}  // namespace cobuild::cli
