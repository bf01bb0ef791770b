#include "app/line_day.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/baseline.h"
#include "io/scenario_reader.h"

namespace cobuild::app {
namespace {

using ::testing::HasSubstr;

class LineDayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto s = io::LoadScenario("tests/data/scenarios/small.yaml");
    ASSERT_TRUE(s) << s.error().message;
    scenario_ = new model::Scenario(std::move(*s));
    Solve solve;
    solve.request.options.solve.time_limit_seconds = 30;
    auto base = ResolveBaseline(*scenario_, solve);
    ASSERT_TRUE(base) << base.error().message;
    plan_ = new plan::Plan(std::move(base->plan));
  }
  static void TearDownTestSuite() {
    delete scenario_;
    delete plan_;
  }
  static sequence::SolveParams Params() {
    sequence::SolveParams params;
    params.seed = 3;
    params.max_evals = 20000;
    params.time_limit_s = 30;
    return params;
  }

  static model::Scenario* scenario_;
  static plan::Plan* plan_;
};

model::Scenario* LineDayTest::scenario_ = nullptr;
plan::Plan* LineDayTest::plan_ = nullptr;

TEST_F(LineDayTest, SequencesTheDaysCarsFromThePlan) {
  auto seq = RunLineDay(*scenario_, *plan_, "home-1", "2026-03-10", Params());
  ASSERT_TRUE(seq) << seq.error().message;
  EXPECT_EQ(seq->seed, 3u);
  EXPECT_EQ(seq->day.line, scenario_->FindLine("home-1"));
  EXPECT_GT(seq->day.instance.cars.size(), 0u);
  EXPECT_EQ(seq->result.solve.order.size(), seq->day.instance.cars.size());
  EXPECT_LE(seq->result.solve.bound.score, seq->result.solve.score);
  const auto j = io::LineDayToJson(*scenario_, *seq);
  EXPECT_EQ(j["line"], "home-1");
  EXPECT_EQ(j["date"], "2026-03-10");

  // Same seed and work limit: the same order.
  auto again = RunLineDay(*scenario_, *plan_, "home-1", "2026-03-10", Params());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->result.solve.order, seq->result.solve.order);
}

TEST_F(LineDayTest, UnknownLineSuggestsTheNearestId) {
  auto seq = RunLineDay(*scenario_, *plan_, "home-2", "2026-03-10", Params());
  ASSERT_FALSE(seq);
  EXPECT_EQ(seq.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(seq.error().message, HasSubstr("line: expected a line of scenario small (home-1, overseas-1), "
                                             "got \"home-2\" (did you mean 'home-1'?)"));
}

TEST_F(LineDayTest, BadDatesAreClearErrors) {
  auto format = RunLineDay(*scenario_, *plan_, "home-1", "10/03/2026", Params());
  ASSERT_FALSE(format);
  EXPECT_THAT(format.error().message, HasSubstr("date: expected a date as YYYY-MM-DD, got \"10/03/2026\""));
  auto outside = RunLineDay(*scenario_, *plan_, "home-1", "2031-03-10", Params());
  ASSERT_FALSE(outside);
  EXPECT_THAT(outside.error().message, HasSubstr("expected a date in the horizon"));
}

TEST_F(LineDayTest, PlanOfAnotherScenarioIsRefused) {
  plan::Plan other = *plan_;
  other.scenario_name = "elsewhere";
  auto seq = RunLineDay(*scenario_, other, "home-1", "2026-03-10", Params());
  ASSERT_FALSE(seq);
  EXPECT_THAT(seq.error().message,
              HasSubstr("expected a plan of scenario \"small\", got one of \"elsewhere\""));
}

}  // namespace
}  // namespace cobuild::app
