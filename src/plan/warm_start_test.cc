#include "plan/warm_start.h"

#include <gtest/gtest.h>

#include <cmath>

#include "plan/plan_checker.h"
#include "plan/planner.h"
#include "plan/test_scenarios.h"

namespace cobuild::plan {
namespace {

using testing::QuickRequest;

// MiniUk's baseline, and a replan of it with months frozen, a stability
// penalty and an outage: the same scenario's model with rows and columns
// added (stability), fixed (frozen months) and changed (availability).
class WarmStartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scenario_ = testing::MiniUk();
    Result<Plan> baseline = SolvePlan(scenario_, QuickRequest());
    ASSERT_TRUE(baseline && baseline->HasSolution());
    baseline_ = std::move(*baseline);
    replan_ = QuickRequest();
    replan_.baseline = &baseline_;
    replan_.frozen_months = 4;
    replan_.stability_penalty_gbp_per_car = 50;
    for (int t = 5; t < 8; ++t) replan_.SetPlantAvailability(scenario_, 0, t, 0.0);
  }

  model::Scenario scenario_;
  Plan baseline_;
  PlanRequest replan_;
};

TEST_F(WarmStartTest, GivesAModelItsOwnBasisBack) {
  Result<BuiltModel> built = BuildPlanModel(scenario_, QuickRequest(), {});
  ASSERT_TRUE(built);
  MipSolver solver(built->lp);
  ASSERT_EQ(solver.SolveRelaxation(30).status, LpStatus::kOptimal);
  const LpBasis basis = solver.Basis();
  ASSERT_EQ(basis.columns.size(), static_cast<size_t>(built->lp.num_cols()));
  ASSERT_EQ(basis.rows.size(), static_cast<size_t>(built->lp.num_rows()));
  const LpBasis again = LpWarmStart(*built, basis).For(*built);
  EXPECT_EQ(again.columns, basis.columns);
  EXPECT_EQ(again.rows, basis.rows);
}

// Columns and rows are matched by meaning: the replan's stability rows are
// new (slack basic), its deviation columns new (at their lower bound), and
// every column both models have keeps the baseline's status.
TEST_F(WarmStartTest, MatchesColumnsAndRowsByMeaning) {
  Result<BuiltModel> base = BuildPlanModel(scenario_, QuickRequest(), {});
  Result<BuiltModel> replan = BuildPlanModel(scenario_, replan_, {});
  ASSERT_TRUE(base && replan);
  MipSolver solver(base->lp);
  ASSERT_EQ(solver.SolveRelaxation(30).status, LpStatus::kOptimal);
  const LpBasis basis = solver.Basis();
  const LpBasis mapped = LpWarmStart(*base, basis).For(*replan);
  ASSERT_EQ(mapped.columns.size(), static_cast<size_t>(replan->lp.num_cols()));
  ASSERT_EQ(mapped.rows.size(), static_cast<size_t>(replan->lp.num_rows()));
  int deviations = 0, stability = 0, shared = 0;
  for (size_t j = 0; j < replan->columns.size(); ++j) {
    const ColumnInfo& c = replan->columns[j];
    if (c.kind == ColumnKind::kDeviation) {
      ++deviations;
      EXPECT_EQ(mapped.columns[j], BasisStatus::kAtLower);
      continue;
    }
    for (size_t k = 0; k < base->columns.size(); ++k) {
      const ColumnInfo& b = base->columns[k];
      if (b.kind == c.kind && b.plant == c.plant && b.line == c.line && b.variant == c.variant &&
          b.market == c.market && b.month == c.month && b.other == c.other) {
        EXPECT_EQ(mapped.columns[j], basis.columns[k]) << "column " << j;
        ++shared;
        break;
      }
    }
  }
  for (size_t i = 0; i < replan->rows.size(); ++i) {
    if (replan->rows[i].kind != RowKind::kStability) continue;
    ++stability;
    EXPECT_EQ(mapped.rows[i], BasisStatus::kBasic);
  }
  EXPECT_GT(deviations, 0);
  EXPECT_EQ(stability, 2 * deviations);
  EXPECT_GT(shared, 0);
}

// Stock columns are matched by meaning too (plant, variant, month): a model
// without stock gets them new (at their lower bound), and the basis of a
// model with stock carries them to a related model with stock.
TEST_F(WarmStartTest, MatchesStockColumnsByMeaning) {
  model::Scenario with_stock = scenario_;
  with_stock.stock = {{.plant = 0, .holding_cost_gbp_per_car_month = 100, .max_cars = 3000}};
  Result<BuiltModel> plain = BuildPlanModel(scenario_, QuickRequest(), {});
  Result<BuiltModel> base = BuildPlanModel(with_stock, QuickRequest(), {});
  PlanRequest outage = QuickRequest();
  for (int t = 5; t < 8; ++t) outage.SetPlantAvailability(with_stock, 0, t, 0.5);
  Result<BuiltModel> related = BuildPlanModel(with_stock, outage, {});
  ASSERT_TRUE(plain && base && related);
  MipSolver plain_solver(plain->lp);
  ASSERT_EQ(plain_solver.SolveRelaxation(30).status, LpStatus::kOptimal);
  const LpBasis from_plain = LpWarmStart(*plain, plain_solver.Basis()).For(*base);
  MipSolver solver(base->lp);
  ASSERT_EQ(solver.SolveRelaxation(30).status, LpStatus::kOptimal);
  const LpBasis basis = solver.Basis();
  const LpBasis mapped = LpWarmStart(*base, basis).For(*related);
  int stock = 0;
  for (size_t j = 0; j < base->columns.size(); ++j) {
    if (base->columns[j].kind != ColumnKind::kStock) continue;
    ++stock;
    EXPECT_EQ(from_plain.columns[j], BasisStatus::kAtLower);
  }
  EXPECT_GT(stock, 0);
  int carried = 0;
  for (size_t j = 0; j < related->columns.size(); ++j) {
    const ColumnInfo& c = related->columns[j];
    if (c.kind != ColumnKind::kStock) continue;
    for (size_t k = 0; k < base->columns.size(); ++k) {
      const ColumnInfo& b = base->columns[k];
      if (b.kind == c.kind && b.plant == c.plant && b.variant == c.variant && b.month == c.month) {
        EXPECT_EQ(mapped.columns[j], basis.columns[k]) << "stock column " << j;
        ++carried;
        break;
      }
    }
  }
  EXPECT_EQ(carried, stock);
}

// The warm start changes where the LP starts, not what is solved: the replan
// from the baseline's basis passes the checker with the cold start's
// objective.
TEST_F(WarmStartTest, ASolveFromABasisIsTheSamePlanProblem) {
  PlanRequest reference = QuickRequest();
  reference.baseline = &baseline_;
  reference.stability_penalty_gbp_per_car = replan_.stability_penalty_gbp_per_car;
  reference.fixed_integer_months.assign(static_cast<size_t>(scenario_.horizon.num_months), 1);
  Result<LpWarmStart> warm = SolveWarmStart(scenario_, reference);
  ASSERT_TRUE(warm) << warm.error().message;
  ASSERT_FALSE(warm->empty());
  Result<Plan> cold = SolvePlan(scenario_, replan_);
  PlanRequest warm_request = replan_;
  warm_request.warm_start = &*warm;
  Result<Plan> started = SolvePlan(scenario_, warm_request);
  ASSERT_TRUE(cold && cold->HasSolution());
  ASSERT_TRUE(started && started->HasSolution());
  const CheckReport report = CheckPlan(scenario_, *started, warm_request);
  for (const auto& v : report.violations) ADD_FAILURE() << v;
  EXPECT_NEAR(started->stats.lp_bound_gbp, cold->stats.lp_bound_gbp,
              1e-6 * std::abs(cold->stats.lp_bound_gbp));
  EXPECT_NEAR(started->objective_gbp, cold->objective_gbp, 1.0 + 2e-6 * std::abs(cold->objective_gbp));
}

// A basis whose sizes do not fit the model is ignored (a cold start).
TEST(MipSolverBasisTest, AWrongSizedBasisIsIgnored) {
  LinearProgram lp;
  const int x = lp.AddColumn(0, 4, 1, false, "x");
  const int r = lp.AddRow(-kInfinity, 3, "r");
  lp.AddEntry(r, x, 1);
  MipSolver solver(lp);
  solver.SetBasis({.columns = {BasisStatus::kBasic, BasisStatus::kAtLower}, .rows = {}});
  const LpSolution solution = solver.SolveRelaxation(10);
  ASSERT_EQ(solution.status, LpStatus::kOptimal);
  EXPECT_NEAR(solution.objective, 3, 1e-9);
}

TEST_F(WarmStartTest, ARequestThatDoesNotFitTheScenarioIsAnError) {
  PlanRequest request = QuickRequest();
  request.fixed_integer_months.assign(3, 1);  // no baseline, wrong length
  EXPECT_FALSE(SolveWarmStart(scenario_, request));
}

}  // namespace
}  // namespace cobuild::plan
