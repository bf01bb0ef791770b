#include "plan/explainer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <optional>
#include <vector>

#include "plan/model_builder.h"
#include "plan/planner.h"
#include "plan/test_scenarios.h"

namespace cobuild::plan {
namespace {

// The golden scenario (tests/data/golden/README.md) held to one shift a day:
// January's 1,600 cars of capacity meet 2,000 UK and 500 EU cars of demand,
// so capacity binds in January and not in February (1,000 cars).
model::Scenario OneShiftOnly() {
  model::Scenario s = testing::GoldenOneLine();
  if (!s.lines.empty()) s.lines[0].max_shifts_per_day = 1;
  return s;
}

TEST(ExplainerTest, PricesTheBindingLineCapacityAtTheMarginalCar) {
  const model::Scenario s = OneShiftOnly();
  auto plan = SolvePlan(s, {});
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  ASSERT_EQ(plan->status, SolveStatus::kOptimal);
  // 1,600 UK cars: 1,600 x 4,500 - 200,000 - 900 unmet x 1,000, and
  // February 1,000 x 4,500 - 200,000.
  EXPECT_NEAR(plan->objective_gbp, 6'100'000 + 4'300'000, 1e-3);
  const BindingConstraint* january = nullptr;
  for (const BindingConstraint& b : plan->binding) {
    EXPECT_FALSE(b.kind == "line capacity" && b.month == 1) << "February has spare capacity: " << b.text;
    if (b.kind == "line capacity" && b.month == 0) january = &b;
  }
  ASSERT_NE(january, nullptr);
  EXPECT_EQ(january->line, 0);
  EXPECT_EQ(january->year, 2027);
  // One more car of capacity serves one more UK car: its margin 4,500 plus
  // the 1,000 unmet penalty it avoids.
  EXPECT_NEAR(january->dual_gbp_per_car, 5'500, 1e-6);
  EXPECT_NE(january->text.find("GBP 5,500"), std::string::npos) << january->text;
}

// tests/data/golden/README.md, "retooling-ramp.yaml": in April the line runs
// its one shift full (800 new cars, held there by the 50% ramp-up, and 800
// old), with 1,200 new and 200 old cars unmet. A shift beyond it adds 1,600
// cars of capacity, but only the 200 old cars can use them (margin 1,000
// plus the 100 penalty each avoids): 220,000 against the shift's 200,000,
// worth GBP 20,000. The first car is worth 1,100, and first order (every
// car at the first car's 1,100) the shift would read GBP 1,560,000.
TEST(ExplainerTest, PricesAWholeShiftByItsCarsNotByTheFirstCarsDual) {
  auto plan = SolvePlan(testing::Golden("retooling-ramp.yaml"), testing::QuickRequest());
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  ASSERT_NEAR(plan->objective_gbp, 7'080'000, 1e-3) << "the golden optimum";
  const BindingConstraint* april = nullptr;
  for (const BindingConstraint& b : plan->binding) {
    if (b.kind == "line capacity" && b.month == 3) april = &b;
  }
  ASSERT_NE(april, nullptr);
  EXPECT_NEAR(april->value_gbp, 20'000, 1e-2);
  EXPECT_NEAR(april->dual_gbp_per_car, 1'100, 1e-2);
  EXPECT_NE(april->text.find("would be worth GBP 20,000"), std::string::npos) << april->text;
  EXPECT_NE(april->text.find("GBP 138 a car of capacity on average, GBP 1,100 the first"), std::string::npos)
      << april->text;
}

// The same April statement, explained again from the plan's LP: with time
// it is re-priced to GBP 20,000; with the time limit already past it is
// left out and counted, never listed at its first-order GBP 1,560,000.
TEST(ExplainerTest, LeavesOutCapacityStatementsItHadNoTimeToReprice) {
  const model::Scenario s = testing::Golden("retooling-ramp.yaml");
  PlanRequest request = testing::QuickRequest();
  std::vector<double> values;
  request.options.column_values = &values;
  auto plan = SolvePlan(s, request);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  ASSERT_NEAR(plan->objective_gbp, 7'080'000, 1e-3) << "the golden optimum";
  auto built = BuildPlanModel(s, request, {.shift_cover_cuts = request.options.shift_cover_cuts});
  ASSERT_TRUE(built.has_value()) << built.error().message;
  ASSERT_EQ(values.size(), static_cast<size_t>(built->lp.num_cols()));
  MipSolver solver(built->lp);
  for (int j = 0; j < built->lp.num_cols(); ++j) {
    if (built->lp.is_integer[j]) solver.SetColumnBounds(j, std::round(values[j]), std::round(values[j]));
  }
  const LpSolution at_plan = solver.SolveRelaxation(10);
  ASSERT_EQ(at_plan.status, LpStatus::kOptimal);
  const RowRelaxation relax = [&](int row, double delta) -> std::optional<double> {
    solver.SetRowBounds(row, built->lp.row_lower[row], built->lp.row_upper[row] + delta);
    const LpSolution relaxed = solver.SolveRelaxation(10);
    solver.SetRowBounds(row, built->lp.row_lower[row], built->lp.row_upper[row]);
    if (relaxed.status != LpStatus::kOptimal) return std::nullopt;
    return relaxed.objective;
  };
  auto april_of = [](const Plan& p) -> const BindingConstraint* {
    for (const BindingConstraint& b : p.binding) {
      if (b.kind == "line capacity" && b.month == 3) return &b;
    }
    return nullptr;
  };
  Plan in_time = *plan;
  Explain(s, request, *built, at_plan, relax, std::chrono::steady_clock::time_point::max(), &in_time);
  ASSERT_NE(april_of(in_time), nullptr);
  EXPECT_NEAR(april_of(in_time)->value_gbp, 20'000, 1e-2);
  EXPECT_EQ(in_time.stats.binding_not_repriced, 0);

  Plan late = *plan;
  Explain(s, request, *built, at_plan, relax, std::chrono::steady_clock::now() - std::chrono::seconds(1),
          &late);
  EXPECT_EQ(april_of(late), nullptr) << april_of(late)->text;
  EXPECT_GE(late.stats.binding_not_repriced, 1);
  for (const BindingConstraint& b : late.binding) EXPECT_NE(b.kind, "line capacity") << b.text;
}

TEST(ExplainerTest, NamesACauseForEveryUnmetDemand) {
  const model::Scenario s = OneShiftOnly();
  auto plan = SolvePlan(s, {});
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  double unmet = 0;
  for (const UnmetEntry& u : plan->unmet) unmet += u.units;
  EXPECT_NEAR(unmet, 900, 1e-6);  // 400 UK and 500 EU cars in January
  double explained = 0;
  for (const UnmetCause& c : plan->unmet_causes) {
    EXPECT_EQ(c.month, 0);
    EXPECT_FALSE(c.reason.empty());
    explained += c.units;
  }
  EXPECT_NEAR(explained, unmet, 1e-6);
}

TEST(ExplainerTest, NothingBindsWhenEveryCarIsServedWithSpareShifts) {
  auto plan = SolvePlan(testing::GoldenOneLine(), {});
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  for (const BindingConstraint& b : plan->binding) {
    EXPECT_NE(b.kind, "line capacity") << b.text;
  }
  EXPECT_TRUE(plan->unmet_causes.empty());
}

}  // namespace
}  // namespace cobuild::plan
