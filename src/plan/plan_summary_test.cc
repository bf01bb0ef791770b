#include "plan/plan_summary.h"

#include <gtest/gtest.h>

#include "plan/planner.h"
#include "plan/test_scenarios.h"

namespace cobuild::plan {
namespace {

// MiniUk and its plan, solved once for the tests below.
struct Solved {
  model::Scenario scenario = testing::MiniUk();
  Plan plan;
};
const Solved& MiniUkPlan() {
  static const Solved* solved = [] {
    auto* out = new Solved;
    PlanRequest request;
    request.options.solve.time_limit_seconds = 30;
    auto plan = SolvePlan(out->scenario, request);
    EXPECT_TRUE(plan && plan->HasSolution());
    if (plan) out->plan = std::move(*plan);
    return out;
  }();
  return *solved;
}

TEST(PlanSummaryTest, EveryViewAddsUpToTheSameProduction) {
  const auto& [s, plan] = MiniUkPlan();
  const PlanSummary summary = Summarize(s, plan);
  const int n = s.horizon.num_months;
  ASSERT_EQ(summary.line_months.size(), s.lines.size() * n);
  ASSERT_EQ(summary.plant_months.size(), s.plants.size() * n);
  double produced = 0;
  for (const auto& e : plan.production) produced += e.units;
  double lines = 0, plants = 0, years = 0, brands = 0, line_capacity = 0, year_capacity = 0;
  for (const auto& lm : summary.line_months) {
    lines += lm.built;
    line_capacity += lm.capacity;
    EXPECT_DOUBLE_EQ(lm.capacity, s.MaxLineCars(lm.line, lm.month));
  }
  for (const auto& pm : summary.plant_months) plants += pm.built;
  for (const auto& py : summary.plant_years) {
    years += py.built;
    year_capacity += py.capacity;
  }
  for (const auto& bp : summary.brand_plants) brands += bp.units;
  EXPECT_GT(produced, 0);
  for (double total : {lines, plants, years, brands}) EXPECT_NEAR(total, produced, 1e-6 * produced);
  EXPECT_NEAR(year_capacity, line_capacity, 1e-6 * line_capacity);
  double line_totals = 0;
  for (int l = 0; l < static_cast<int>(s.lines.size()); ++l) line_totals += summary.LineTotal(s, l).built;
  EXPECT_NEAR(line_totals, produced, 1e-6 * produced);
}

TEST(PlanSummaryTest, CapacityTakesTheRequestsLineAvailability) {
  const auto& [s, plan] = MiniUkPlan();
  const int n = s.horizon.num_months;
  PlanRequest outage;
  outage.SetLineAvailability(s, 0, 3, 0.0);  // line 0 stopped in month 3
  outage.SetLineAvailability(s, 0, 4, 0.5);  // and at half rate in month 4
  const PlanSummary full = Summarize(s, plan);
  const PlanSummary cut = Summarize(s, plan, outage);
  EXPECT_EQ(cut.line_months[3].capacity, 0);
  EXPECT_DOUBLE_EQ(cut.line_months[4].capacity, 0.5 * full.line_months[4].capacity);
  const int plant = s.lines[0].plant;
  EXPECT_DOUBLE_EQ(
      cut.plant_months[static_cast<size_t>(plant * n + 3)].capacity,
      full.plant_months[static_cast<size_t>(plant * n + 3)].capacity - full.line_months[3].capacity);
  // Built is the plan's either way; utilization rises as capacity falls.
  EXPECT_EQ(cut.plant_months[static_cast<size_t>(plant * n + 4)].built,
            full.plant_months[static_cast<size_t>(plant * n + 4)].built);
  EXPECT_LT(cut.plant_years.front().capacity, full.plant_years.front().capacity);
  EXPECT_GE(cut.plant_years.front().utilization(), full.plant_years.front().utilization());
}

}  // namespace
}  // namespace cobuild::plan
