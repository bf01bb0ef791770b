// CBC's preprocessing stopped by the time limit between two of its passes
// (see the note at the top of cbc_backend.cc): CglPreProcess::postProcess
// then read a null model and the process died. Wall-clock timing decides
// where the limit falls, so this test runs CBC on a clock of its own: while
// a FakeTimeOfDay is alive, gettimeofday (CBC's and Cgl's only clock in
// elapsed-time mode, through CoinGetTimeOfDay) moves a fixed step forward at
// every call, so the limit falls after a given number of clock readings,
// the same on every machine and under any load. The test executable defines
// gettimeofday itself, ahead of the C library's in symbol lookup (the target
// exports its symbols, so the COIN-OR libraries bind to it too).
#include <gtest/gtest.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "plan/cbc_backend.h"
#include "plan/improvement.h"
#include "plan/planner.h"
#include "plan/test_scenarios.h"

namespace {

std::atomic<bool> fake_time_on{false};
std::atomic<int64_t> fake_time_us{0};
std::atomic<int64_t> fake_step_us{0};

}  // namespace

// The C library's gettimeofday, or, while a FakeTimeOfDay is alive, a clock
// that moves `step` forward at every reading.
extern "C" int gettimeofday(struct timeval* __restrict tv, void* __restrict /*tz*/) noexcept {
  int64_t us = 0;
  if (fake_time_on.load()) {
    us = fake_time_us.fetch_add(fake_step_us.load()) + fake_step_us.load();
  } else {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    us = static_cast<int64_t>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
  }
  tv->tv_sec = static_cast<time_t>(us / 1000000);  // never null: glibc declares it nonnull
  tv->tv_usec = static_cast<suseconds_t>(us % 1000000);
  return 0;
}

namespace cobuild::plan {
namespace {

class FakeTimeOfDay {
 public:
  explicit FakeTimeOfDay(double step_seconds) {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    fake_time_us = static_cast<int64_t>(now.tv_sec) * 1000000;
    fake_step_us = static_cast<int64_t>(std::llround(step_seconds * 1e6));
    fake_time_on = true;
  }
  ~FakeTimeOfDay() { fake_time_on = false; }
  FakeTimeOfDay(const FakeTimeOfDay&) = delete;
  FakeTimeOfDay& operator=(const FakeTimeOfDay&) = delete;
};

TEST(FakeTimeOfDayTest, StepsAtEveryReading) {
  const FakeTimeOfDay clock(0.5);
  timeval a{};
  timeval b{};
  gettimeofday(&a, nullptr);
  gettimeofday(&b, nullptr);
  EXPECT_EQ((b.tv_sec - a.tv_sec) * 1000000 + (b.tv_usec - a.tv_usec), 500000);
}

TEST(CbcPreprocessTimeTest, ALimitBetweenPreprocessingPassesKeepsTheStart) {
  // The model the planner solves for a small scenario, and its plan's column
  // values as the start.
  const model::Scenario scenario = testing::MiniUk();
  PlanRequest request = testing::QuickRequest();
  std::vector<double> start;
  request.options.column_values = &start;
  const Result<Plan> plan = SolvePlan(scenario, request);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  ASSERT_TRUE(plan->HasSolution());
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("cobuild_preprocess_time_" + std::to_string(::getpid()) + ".mps");
  ASSERT_TRUE(WritePlanModel(scenario, request, path.string(), ModelFileFormat::kMps).has_value());
  const Result<LinearProgram> lp = ReadModelFile(path.string(), ModelFileFormat::kMps);
  std::filesystem::remove(path);
  ASSERT_TRUE(lp.has_value()) << lp.error().message;
  ASSERT_EQ(start.size(), static_cast<size_t>(lp->num_cols()));
  ASSERT_TRUE(IsFeasiblePoint(*lp, start));
  const double start_value = lp->Evaluate(start);

  MipSolver solver(*lp);
  ASSERT_EQ(solver.SolveRelaxation(30).status, LpStatus::kOptimal);
  // CBC's limit runs out after `readings` readings of the fake clock: from
  // before preprocessing, through each of its passes, to after it. The
  // limit in wall time is long (our own deadline, on the steady clock, never
  // ends these solves); the fake clock's step decides where CBC's share of
  // it (SolveMip gives CBC 95% of a limit this long) runs out.
  constexpr double kLimitSeconds = 60;
  for (int readings = 0; readings <= 40; ++readings) {
    SCOPED_TRACE("limit after " + std::to_string(readings) + " clock readings");
    const FakeTimeOfDay clock(0.95 * kLimitSeconds / (readings + 0.5));
    const MipParams params{.time_limit_seconds = kLimitSeconds, .relative_gap = 1e-6};
    const MipSolution result = solver.SolveMip(params, start);
    ASSERT_TRUE(result.status == SolveStatus::kOptimal || result.status == SolveStatus::kFeasibleGap)
        << result.message;
    EXPECT_TRUE(IsFeasiblePoint(*lp, result.values));
    EXPECT_GE(lp->Evaluate(result.values), start_value - 1e-6 * std::abs(start_value));
  }
}

}  // namespace
}  // namespace cobuild::plan
