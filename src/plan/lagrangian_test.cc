#include "plan/lagrangian.h"

#include <gtest/gtest.h>

#include <chrono>

#include "model/network_generator.h"
#include "plan/cbc_backend.h"
#include "plan/planner.h"
#include "plan/test_scenarios.h"

namespace cobuild::plan {
namespace {

// The Lagrangian bound at the LP duals and after subgradient steps must lie
// between the MIP optimum and the LP bound.
void ExpectBetweenOptimumAndLp(const model::Scenario& scenario, double expected_optimum = -1) {
  PlanRequest request;
  request.options.solve.time_limit_seconds = 60;
  request.options.solve.relative_gap = 1e-7;
  auto plan = SolvePlan(scenario, request);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  ASSERT_EQ(plan->status, SolveStatus::kOptimal);
  if (expected_optimum >= 0) {
    EXPECT_NEAR(plan->objective_gbp, expected_optimum, 1e-6 * expected_optimum);
  }

  auto built = BuildPlanModel(scenario, request, {});
  ASSERT_TRUE(built.has_value()) << built.error().message;
  MipSolver solver(built->lp);
  const LpSolution lp = solver.SolveRelaxation(60);
  ASSERT_EQ(lp.status, LpStatus::kOptimal);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  const double tolerance = 1e-6 * std::max(1.0, std::abs(plan->objective_gbp));
  for (int iterations : {1, 50}) {
    const LagrangianResult result =
        LagrangianBound(*built, lp.row_duals, plan->objective_gbp, iterations, deadline);
    ASSERT_TRUE(result.valid) << iterations;
    EXPECT_GE(result.bound, plan->objective_gbp - tolerance) << iterations << " iterations";
    EXPECT_LE(result.bound, lp.objective + tolerance) << iterations << " iterations";
    EXPECT_EQ(result.shifts.size(), static_cast<size_t>(built->lp.num_cols()));
  }
}

TEST(LagrangianTest, BoundsTheGoldenOptimumFromAbove) {
  ExpectBetweenOptimumAndLp(testing::GoldenOneLine(), 14'850'000);
}

TEST(LagrangianTest, BoundsMiniUkFromAbove) { ExpectBetweenOptimumAndLp(testing::MiniUk()); }

TEST(LagrangianTest, BoundsSmallGeneratedNetworksFromAbove) {
  for (uint64_t seed : {1, 2, 3}) {
    SCOPED_TRACE(seed);
    auto scenario = model::GenerateNetwork(
        {.plants = 2, .lines = 3, .variants = 4, .markets = 2, .months = 3, .seed = seed});
    ASSERT_TRUE(scenario.has_value()) << scenario.error().message;
    ExpectBetweenOptimumAndLp(*scenario);
  }
}

}  // namespace
}  // namespace cobuild::plan
