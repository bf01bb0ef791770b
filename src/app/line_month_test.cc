#include "app/line_month.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/baseline.h"
#include "io/scenario_reader.h"
#include "sequence/evaluator.h"
#include "sequence/plan_day.h"

namespace cobuild::app {
namespace {

using ::testing::HasSubstr;

class LineMonthTest : public ::testing::Test {
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
    line_ = scenario_->FindLine("home-1");
  }
  static void TearDownTestSuite() {
    delete scenario_;
    delete plan_;
  }

  static model::Scenario* scenario_;
  static plan::Plan* plan_;
  static int line_;
};

model::Scenario* LineMonthTest::scenario_ = nullptr;
plan::Plan* LineMonthTest::plan_ = nullptr;
int LineMonthTest::line_ = -1;

constexpr LineMonthOptions kOptions{.seed = 4, .max_evals_per_day = 20000};

TEST_F(LineMonthTest, EveryWorkingDayInOrderWithThePlansCars) {
  const int month = 2;  // 2026-03
  auto m = SequenceLineMonth(*scenario_, *plan_, line_, month, kOptions);
  ASSERT_TRUE(m) << m.error().message;
  const std::vector<int> days = sequence::LineDaysOfMonth(*scenario_, *plan_, line_, month);
  const std::vector<int> cars = sequence::DailyCarCounts(*scenario_, *plan_, line_, month);
  ASSERT_EQ(m->days.size(), days.size());
  EXPECT_EQ(m->line, "home-1");
  EXPECT_EQ(m->month, "2026-03");
  for (size_t d = 0; d < days.size(); ++d) {
    const LineMonthDay& day = m->days[d];
    EXPECT_EQ(day.cars, cars[d]) << day.date;
    if (day.cars == 0) continue;
    // The first day's D-1 comes from the plan (February), every later
    // day's from the day before as sequenced.
    EXPECT_EQ(day.previous_from_solution, d > 0) << day.date;
    if (d > 0) {
      EXPECT_EQ(day.previous_date, m->days[d - 1].date);
    }
    EXPECT_LE(day.bound, day.score);
    EXPECT_LE(day.unavoidable_excess, day.hprc + day.lprc);
    EXPECT_EQ(day.proved_optimal, day.score == day.bound);
    // The CSV has a header and one line per car.
    EXPECT_EQ(std::count(day.csv.begin(), day.csv.end(), '\n'), day.cars + 1) << day.date;
  }
}

TEST_F(LineMonthTest, EachDayStartsFromThePreviousDaysSolution) {
  const int month = 2;
  auto m = SequenceLineMonth(*scenario_, *plan_, line_, month, kOptions);
  ASSERT_TRUE(m) << m.error().message;
  // Re-build day 2 with day 1 as the month ran it and re-score the order
  // of the month's CSV from scratch: the same criteria.
  const std::vector<int> days = sequence::LineDaysOfMonth(*scenario_, *plan_, line_, month);
  ASSERT_GE(days.size(), 2u);
  const model::Date first{2026, 3, days[0]};
  const model::Date second{2026, 3, days[1]};
  auto day1 = sequence::BuildLineDay(*scenario_, *plan_, line_, first, {.seed = kOptions.seed});
  ASSERT_TRUE(day1) << day1.error().message;
  sequence::SolveParams params;
  params.seed = kOptions.seed;
  params.max_evals = kOptions.max_evals_per_day;
  params.time_limit_s = 0;
  auto solved1 = sequence::SolveLineDay(*day1, params);
  ASSERT_TRUE(solved1);
  EXPECT_EQ(solved1->solve.score, m->days[0].score);
  const sequence::RanDay ran = sequence::RanDayOf(*day1, solved1->solve.order);
  auto day2 = sequence::BuildLineDay(*scenario_, *plan_, line_, second,
                                     {.seed = kOptions.seed, .previous_day = &ran});
  ASSERT_TRUE(day2) << day2.error().message;
  EXPECT_TRUE(day2->previous_day_given);
  // The tail is the last cars of day 1 as it ran.
  const size_t tail = day2->instance.previous_day.size();
  ASSERT_GT(tail, 0u);
  for (size_t i = 0; i < tail; ++i) {
    const size_t ran_index = ran.options.size() - tail + i;
    EXPECT_EQ(day2->instance.previous_day[i].options, ran.options[ran_index]);
    EXPECT_EQ(day2->previous_variants[i], ran.variants[ran_index]);
  }
  auto solved2 = sequence::SolveLineDay(*day2, params);
  ASSERT_TRUE(solved2);
  auto rescored = sequence::Evaluate(day2->instance, solved2->solve.order);
  ASSERT_TRUE(rescored);
  EXPECT_EQ(rescored->hprc, m->days[1].hprc);
  EXPECT_EQ(rescored->lprc, m->days[1].lprc);
  EXPECT_EQ(rescored->colour_changes, m->days[1].colour_changes);
  EXPECT_TRUE(rescored->batch_limit_ok);
}

TEST_F(LineMonthTest, DeterministicAndLosslessThroughJson) {
  auto a = SequenceLineMonth(*scenario_, *plan_, line_, 4, kOptions);
  auto b = SequenceLineMonth(*scenario_, *plan_, line_, 4, kOptions);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  auto back = LineMonthFromJson(LineMonthToJson(*a));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, *a);
}

TEST_F(LineMonthTest, AGivenPreviousDayMustBeTheWorkingDayBefore) {
  const std::vector<int> days = sequence::LineDaysOfMonth(*scenario_, *plan_, line_, 2);
  ASSERT_GE(days.size(), 3u);
  const sequence::RanDay wrong{.date = {2026, 3, days[0]}};
  auto day = sequence::BuildLineDay(*scenario_, *plan_, line_, {2026, 3, days[2]},
                                    {.seed = 1, .previous_day = &wrong});
  ASSERT_FALSE(day);
  EXPECT_THAT(day.error().message, HasSubstr("previous day: expected line home-1's working day before"));
}

TEST_F(LineMonthTest, RefusesBadInput) {
  EXPECT_FALSE(SequenceLineMonth(*scenario_, *plan_, 99, 2, kOptions));
  EXPECT_FALSE(SequenceLineMonth(*scenario_, *plan_, line_, 40, kOptions));
  auto no_limit = SequenceLineMonth(*scenario_, *plan_, line_, 2, {.seed = 1, .max_evals_per_day = 0});
  ASSERT_FALSE(no_limit);
  EXPECT_THAT(no_limit.error().message, HasSubstr("work limit"));
  EXPECT_FALSE(LineMonthFromJson(nlohmann::json{{"line", "x"}}));
}

TEST_F(LineMonthTest, LinesWithCarsAreTheLinesWithStations) {
  const std::vector<int> lines = LinesWithCars(*scenario_, *plan_, 2);
  ASSERT_EQ(lines.size(), 1u);  // overseas-1 has no stations
  EXPECT_EQ(lines[0], line_);
}

}  // namespace
}  // namespace cobuild::app
